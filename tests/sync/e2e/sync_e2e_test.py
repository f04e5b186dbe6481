#!/usr/bin/env python3
"""End-to-end sync tests with REAL processes on 127.0.0.1: feedback-central
(serve), feedback-sync (enroll, run, status) and sync_e2e_tool (captures
records as a kiosk would; reads the central store's records back).

Scenarios (one per ctest test, each bounded in time and in fault count):
  faults        a fault proxy between daemon and central drops requests mid-body,
                truncates answers, swallows answers, delays, answers 503 and 429
  kill-central  feedback-central SIGKILLed 10 times while batches are being ingested
  kill-sync     feedback-sync SIGKILLed 10 times while it is sending
  survey        a survey published centrally reaches the device's DB within one
                sync interval; records captured before the switch are accepted and
                stored with their old version
  pin           over HTTPS: the daemon syncs with the pinned central store, then
                refuses an impostor with another certificate on the same address

After convergence every scenario checks: every captured record is in the central
store exactly once, its digest (all fields, sensitive ones as decrypted centrally)
equals the digest taken at capture, nothing is quarantined, and the device's
outbox is empty. python3 standard library only.
"""

import argparse
import base64
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_proxy import FaultProxy  # noqa: E402

ARGS = None
PROCS = []


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(cmd, check=True, timeout=60, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def spawn(cmd, logfile):
    out = open(logfile, "ab")
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    PROCS.append(p)
    return p


def stop(p, sig=signal.SIGTERM, timeout=15):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise RuntimeError(f"process {p.args[0]} ignored {sig} for {timeout}s")
    return p.returncode


def wait_for(pred, timeout, what, interval=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Central:
    """One feedback-central data dir and (re)startable server process."""

    def __init__(self, work, name, site="store-1", https=False):
        self.dir = os.path.join(work, name)
        self.db = os.path.join(self.dir, "central.db")
        self.log = os.path.join(work, name + ".log")
        self.https = https
        self.port = free_port()
        self.proc = None
        run([ARGS.central, "init", "--data-dir", self.dir, "--site", site])
        self.pin = self.read_pin()

    def read_pin(self):
        # The pin is the SHA-256 of the certificate's DER, i.e. of the PEM body.
        with open(os.path.join(self.dir, "tls.crt")) as f:
            pem = f.read()
        body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
        return hashlib.sha256(base64.b64decode("".join(body.split()))).hexdigest()

    @property
    def url(self):
        return f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"

    def start(self, extra=()):
        cmd = [ARGS.central, "serve", "--data-dir", self.dir, "--listen", f"127.0.0.1:{self.port}", *extra]
        if not self.https:
            cmd.append("--insecure-http-loopback")
        self.proc = spawn(cmd, self.log)
        wait_for(self.listening, 20, f"feedback-central on port {self.port}")

    def listening(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"feedback-central exited with {self.proc.returncode}; see {self.log}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc is not None:
            stop(self.proc)

    def token(self, site="store-1", kind="kiosk"):
        r = run([ARGS.central, "enroll-token", "--data-dir", self.dir, "--site", site, "--kind", kind])
        m = re.search(r"[A-Za-z0-9_-]{43}\.[0-9a-f]{64}", r.stdout)
        assert m, f"no token in enroll-token output: {r.stdout!r}"
        return m.group(0)

    def publish(self, survey_file, site=None):
        cmd = [ARGS.central, "survey", "publish", survey_file, "--data-dir", self.dir]
        cmd += ["--site", site] if site else ["--all"]
        run(cmd)

    def record_count(self):
        try:
            con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5)
            try:
                return con.execute("SELECT count(*) FROM records").fetchone()[0]
            finally:
                con.close()
        except sqlite3.Error:
            return -1


class Device:
    def __init__(self, work, name):
        self.dir = os.path.join(work, name)
        self.config = os.path.join(self.dir, "device.json")
        self.digests = os.path.join(work, name + "-digests.txt")
        self.log = os.path.join(work, name + "-sync.log")
        self.proc = None
        self.seed = 1

    def enroll(self, url, token):
        run([ARGS.sync, "enroll", "--server", url, "--token", token, "--dir", self.dir])

    def capture(self, n, version=1):
        self.seed += 1
        run([ARGS.tool, "capture", "--device-config", self.config, "--count", str(n), "--seed", str(self.seed),
             "--survey-version", str(version), "--digests", self.digests], timeout=300)

    def start(self, interval="1s", extra=()):
        self.proc = spawn([ARGS.sync, "run", "--device-config", self.config, "--interval", interval,
                           "--request-timeout", "10s", "--connect-timeout", "2s", "--max-backoff", "1s",
                           *extra], self.log)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            t0 = time.time()
            # An in-flight request gets 5 s of grace, then it is abandoned; the
            # deadline is generous (sanitizers, load) and the only time bound.
            code = stop(self.proc, timeout=30)
            elapsed = time.time() - t0
            assert code == 0, f"feedback-sync exited {code} on SIGTERM; see {self.log}"
            log(f"feedback-sync stopped on SIGTERM in {elapsed:.2f}s")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def status(self):
        r = run([ARGS.sync, "status", "--device-config", self.config, "--json"], check=False)
        return r.returncode, json.loads(r.stdout) if r.stdout.strip() else {}

    def captured(self):
        out = {}
        with open(self.digests) as f:
            for line in f:
                rid, digest = line.split()
                assert rid not in out
                out[rid] = digest
        return out

    def db(self, sql):
        con = sqlite3.connect(os.path.join(self.dir, "capture.db"), timeout=10)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


def count_in_log(path, text):
    with open(path, errors="replace") as f:
        return sum(line.count(text) for line in f)


def central_digests(central):
    r = run([ARGS.tool, "central-digests", "--db", central.db], timeout=120)
    rows, quarantined = {}, None
    dup = 0
    for line in r.stdout.splitlines():
        parts = line.split()
        if parts[0] == "quarantined":
            quarantined = int(parts[1])
            continue
        if parts[0] in rows:
            dup += 1
        rows[parts[0]] = (parts[1], int(parts[2]))
    return rows, quarantined, dup


def converge(device, central, timeout=90):
    want = len(device.captured())
    wait_for(lambda: device.status()[1].get("backlog", 1) == 0 and central.record_count() >= want,
             timeout, f"device backlog 0 and {want} records centrally")


def check_exactly_once(device, central, versions=None):
    captured = device.captured()
    rows, quarantined, dup = central_digests(central)
    missing = [r for r in captured if r not in rows]
    extra = [r for r in rows if r not in captured]
    wrong = [r for r in captured if r in rows and rows[r][0] != captured[r]]
    assert not missing, f"{len(missing)} captured records never reached the central store, e.g. {missing[:3]}"
    assert not extra, f"{len(extra)} unexpected central records, e.g. {extra[:3]}"
    assert dup == 0, f"{dup} duplicated records"
    assert not wrong, f"{len(wrong)} records differ from what was captured, e.g. {wrong[:3]}"
    assert quarantined == 0, f"{quarantined} records quarantined"
    pending = device.db("SELECT count(*) FROM records WHERE outbox_state != 2")[0][0]
    assert pending == 0, f"{pending} records not acknowledged on the device"
    con = sqlite3.connect(f"file:{central.db}?mode=ro", uri=True)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    if versions is not None:
        for rid, v in versions.items():
            assert rows[rid][1] == v, f"record {rid} stored with survey version {rows[rid][1]}, captured with {v}"
    log(f"OK: {len(captured)} records, each exactly once, digests equal, none quarantined")


def setup(work, https=False, name="central"):
    central = Central(work, name, https=https)
    central.publish(os.path.join(ARGS.assets, "surveys", "retail_kiosk.json"))
    central.start()
    return central


# --- scenarios --------------------------------------------------------------------------------

def scenario_faults(work):
    central = setup(work)
    per_kind = 8
    proxy = FaultProxy(central.port, seed=7, fault_rate=0.5, max_per_kind=per_kind)
    device = Device(work, "kiosk")
    device.enroll(f"http://127.0.0.1:{proxy.port}", central.token())
    device.capture(400)
    device.start(interval="500ms", extra=["--max-batch-records", "50"])
    # Keep capturing while faults happen, until every fault kind fired its
    # quota: what is counted is the faults themselves, each new capture waiting
    # for the daemon's next batch POST - never a fixed window of time (under
    # load or sanitizers the daemon is slower, it just takes longer). The
    # deadline only keeps a broken build from running forever.
    deadline = time.monotonic() + 240
    while not all(c >= per_kind for c in proxy.counts.values()) and time.monotonic() < deadline:
        seen = proxy.batch_posts
        device.capture(100)
        proxy.wait_batch_posts(seen + 1, max(0.0, deadline - time.monotonic()))
    log(f"faults injected: {proxy.counts}, batch posts: {proxy.batch_posts}, requests passed: {proxy.passed}")
    assert all(c >= per_kind for c in proxy.counts.values()), f"not every fault fired: {proxy.counts}"
    proxy.fault_rate = 0.0
    # SIGTERM while a request is in flight and the central store does not
    # answer: the daemon gives it 5 s of grace, abandons it and exits cleanly.
    proxy.hang_seconds = 20
    device.capture(10)
    assert proxy.hanging.wait(30), "no batch reached the hanging proxy"
    t0 = time.time()
    device.stop()
    sigterm_s = time.time() - t0
    assert sigterm_s > 4, f"feedback-sync stopped in {sigterm_s:.1f}s: did it wait for the in-flight request?"
    device.start(interval="500ms", extra=["--max-batch-records", "50"])
    converge(device, central)
    code, st = device.status()
    assert code == 0 and st["healthy"], f"device unhealthy after convergence: {st}"
    device.stop()
    central.stop()
    check_exactly_once(device, central)
    proxy.stop()
    return {"faults": proxy.counts, "total": sum(proxy.counts.values()),
            "sigterm_with_request_in_flight_s": round(sigterm_s, 2),
            "replayed_batches": count_in_log(central.log, "replay, answered again")}


def scenario_kill_central(work):
    central = setup(work)
    # The daemon reaches the central store through a pass-through proxy that
    # tells us the moment a batch has been sent in full: the SIGKILL then lands
    # while the central store is ingesting it (before it could answer).
    proxy = FaultProxy(central.port, seed=11, fault_rate=0.0)
    device = Device(work, "kiosk")
    device.enroll(f"http://127.0.0.1:{proxy.port}", central.token())
    rng = random.Random(3)
    kills = []
    ready = [True]  # False while the main thread restarts the server

    def kill_during_ingest():
        if not ready[0] or len(kills) >= 10 or rng.random() < 0.4 or central.proc.poll() is not None:
            return
        time.sleep(rng.random() * 0.015)
        n = central.record_count()
        ready[0] = False
        central.kill()
        kills.append(n)
        log(f"kill {len(kills)}: feedback-central SIGKILLed while ingesting a batch ({n} records stored before)")

    proxy.on_forwarded = kill_during_ingest
    device.start(interval="300ms")
    deadline = time.time() + 100
    while len(kills) < 10 and time.time() < deadline:
        device.capture(1500)
        if central.proc.poll() is not None:
            time.sleep(rng.random() * 0.3)
            central.start()
            ready[0] = True
        time.sleep(0.1)
    assert len(kills) == 10, f"only {len(kills)} kills in time"
    proxy.on_forwarded = None
    if central.proc.poll() is not None:
        central.start()
    converge(device, central, timeout=120)
    device.stop()
    central.stop()
    proxy.stop()
    check_exactly_once(device, central)
    # Requests the kills cut off (curl saw the connection close with no answer).
    cut = count_in_log(device.log, "Empty reply from server")
    assert cut >= 10, f"only {cut} requests were cut by the kills"
    return {"central_kills_during_ingest": len(kills), "requests_cut": cut,
            "replayed_batches": count_in_log(central.log, "replay, answered again")}


def scenario_kill_sync(work):
    central = setup(work)
    device = Device(work, "kiosk")
    device.enroll(central.url, central.token())
    rng = random.Random(5)
    kills_mid_send = 0
    for i in range(10):
        # 40 batches of 100: long enough (~0.3 s at full speed) for the kill to land mid-send.
        device.capture(4000)
        before = central.record_count()
        device.start(interval="300ms", extra=["--max-batch-records", "100"])
        wait_for(lambda: central.record_count() > before, 30, "sending to start")
        time.sleep(rng.random() * 0.05)
        backlog = device.status()[1].get("backlog", 0)
        device.kill()
        kills_mid_send += 1 if backlog > 0 else 0
        log(f"kill {i + 1}: feedback-sync SIGKILLed with backlog {backlog}")
    device.start(interval="300ms")
    converge(device, central, timeout=120)
    device.stop()
    central.stop()
    check_exactly_once(device, central)
    assert kills_mid_send >= 8, f"only {kills_mid_send} of 10 kills landed mid-send"
    resumed = count_in_log(device.log, "resuming batch")
    assert resumed >= 5, f"only {resumed} restarts found a batch in flight to resume"
    return {"sync_kills": 10, "kills_with_backlog": kills_mid_send, "restarts_resuming_inflight_batch": resumed,
            "replayed_batches": count_in_log(central.log, "replay, answered again")}


def scenario_survey(work):
    central = setup(work)
    device = Device(work, "kiosk")
    device.enroll(central.url, central.token())
    interval_s = 2.0
    device.start(interval=f"{int(interval_s * 1000)}ms")
    wait_for(lambda: device.db("SELECT count(*) FROM surveys WHERE survey_id='retail_kiosk' AND version=1")[0][0],
             60, "survey v1 on the device")
    # Records captured with v1, still on the device when v2 is published.
    device.stop()
    device.capture(30, version=1)
    v1_ids = list(device.captured())
    with open(os.path.join(ARGS.assets, "surveys", "retail_kiosk.json")) as f:
        definition = json.load(f)
    definition["version"] = 2
    v2_file = os.path.join(work, "retail_kiosk_v2.json")
    with open(v2_file, "w") as f:
        json.dump(definition, f)
    device.start(interval=f"{int(interval_s * 1000)}ms")
    time.sleep(0.5)
    central.publish(v2_file)
    t0 = time.time()
    # The figure logged below is the switch time; the deadline is only generous.
    wait_for(lambda: device.db("SELECT count(*) FROM surveys WHERE survey_id='retail_kiosk' AND version=2")[0][0],
             60, "survey v2 on the device", interval=0.05)
    switch_s = time.time() - t0
    log(f"survey v2 reached the device DB {switch_s:.2f}s after publishing (interval {interval_s}s)")
    device.capture(10, version=2)
    converge(device, central)
    device.stop()
    central.stop()
    versions = {rid: 1 for rid in v1_ids}
    versions.update({rid: 2 for rid in device.captured() if rid not in versions})
    check_exactly_once(device, central, versions)
    return {"survey_switch_s": round(switch_s, 2), "interval_s": interval_s}


def scenario_pin(work):
    central = setup(work, https=True)
    device = Device(work, "kiosk")
    device.enroll(central.url, central.token())
    device.capture(50)
    device.start(interval="500ms")
    converge(device, central)
    device.stop()
    central.stop()
    check_exactly_once(device, central)
    # An impostor with its own certificate takes the central store's address.
    impostor = Central(work, "impostor", https=True)
    impostor.publish(os.path.join(ARGS.assets, "surveys", "retail_kiosk.json"))
    impostor.port = central.port
    impostor.start()
    device.capture(20)
    r = run([ARGS.sync, "run", "--device-config", device.config, "--once"], check=False)
    assert r.returncode != 0, "feedback-sync accepted a server whose certificate does not match the pin"
    assert "pinned" in r.stderr, r.stderr
    code, st = device.status()
    assert code != 0 and "pinned" in st["last_error"], st
    assert st["backlog"] == 20, st
    assert impostor.record_count() == 0
    impostor.stop()
    log("OK: the impostor's certificate was refused; 20 records kept on the device")
    return {"pin_refused": True}


SCENARIOS = {"faults": scenario_faults, "kill-central": scenario_kill_central,
             "kill-sync": scenario_kill_sync, "survey": scenario_survey, "pin": scenario_pin}



def finish(work, ok, keep, tail_lines=25):
    """Ends a run: kills every process still in PROCS; on failure prints the last
    lines of each log in `work` and keeps the folder; on success removes it
    unless `keep`. Returns whether the folder was kept."""
    for proc in PROCS:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if not ok:
        for name in sorted(os.listdir(work)):
            if name.endswith(".log"):
                with open(os.path.join(work, name), errors="replace") as f:
                    tail = f.readlines()[-tail_lines:]
                print(f"--- last lines of {name} ---\n{''.join(tail)}", flush=True)
    if ok and not keep:
        shutil.rmtree(work, ignore_errors=True)
        return False
    return True

def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--central", required=True)
    p.add_argument("--sync", required=True)
    p.add_argument("--tool", required=True)
    p.add_argument("--assets", required=True)
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    ARGS = p.parse_args()
    work = tempfile.mkdtemp(prefix=f"sync-e2e-{ARGS.scenario}-")
    log(f"scenario {ARGS.scenario} in {work}")
    ok = False
    try:
        result = SCENARIOS[ARGS.scenario](work)
        log(f"RESULT {ARGS.scenario}: {json.dumps(result)}")
        ok = True
    finally:
        finish(work, ok, ARGS.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
