#!/usr/bin/env python3
"""Slow and idle clients against a real feedback-central (issue 12).

1 000 connections from ten loopback addresses (127.0.0.2-127.0.0.11), half
sending their request head one byte a second, half sending nothing, held for
30 s (a connection the server drops is opened again at once). Meanwhile:
  - a real feedback-sync on 127.0.0.1 delivers 1 000 records in under 5 s;
  - dashboard GET /api/overview answers with p95 under 500 ms;
  - one device floods 2 000 signed batches over 16 keep-alive connections
    (ingest_flood_tool), and a second device's 20 records arrive in under 2 s.
The same deliveries and probes are measured first without any attack, for
docs/central.md. Reuses the process helpers of tests/sync/e2e/sync_e2e_test.py.
Bounded: every wait has a deadline; the whole run takes about a minute.
"""
import argparse
import http.client
import json
import os
import selectors
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import sync_e2e_test as e2e  # noqa: E402

ATTACK_CONNECTIONS = 1000
ATTACK_ADDRESSES = [f"127.0.0.{i}" for i in range(2, 12)]
ATTACK_SECONDS = 30
SLOW_HEAD = b"GET /api/overview HTTP/1.1\r\nHost: central\r\nX-Slow: " + b"a" * 200


class SlowClients:
    """The attack: ATTACK_CONNECTIONS sockets, half trickling a head, half idle."""

    def __init__(self, port):
        self.port = port
        self.sel = selectors.DefaultSelector()
        self.stop_event = threading.Event()
        self.open = 0
        self.reopened = 0
        self.refused = 0
        self.thread = threading.Thread(target=self.run, daemon=True)

    def connect(self, i):
        s = socket.socket()
        s.bind((ATTACK_ADDRESSES[i % len(ATTACK_ADDRESSES)], 0))
        s.settimeout(5)
        try:
            s.connect(("127.0.0.1", self.port))
        except OSError:
            s.close()
            self.refused += 1
            return False
        s.setblocking(False)
        self.sel.register(s, selectors.EVENT_READ, {"i": i, "sent": 0, "slow": i % 2 == 0})
        self.open += 1
        return True

    def start(self):
        for i in range(ATTACK_CONNECTIONS):
            self.connect(i)
        self.thread.start()

    def run(self):
        next_tick = time.monotonic()
        while not self.stop_event.is_set():
            for key, _ in self.sel.select(timeout=0.05):
                # The server answered (408) or closed: that client comes back.
                try:
                    data = key.fileobj.recv(4096)
                except OSError:
                    data = b""
                if not data or b"\r\n\r\n" in data:
                    self.sel.unregister(key.fileobj)
                    key.fileobj.close()
                    self.open -= 1
                    self.reopened += 1
                    self.connect(key.data["i"])
            if time.monotonic() >= next_tick:
                next_tick += 1.0
                for key in list(self.sel.get_map().values()):
                    d = key.data
                    if d["slow"] and d["sent"] < len(SLOW_HEAD):
                        try:
                            key.fileobj.send(SLOW_HEAD[d["sent"]:d["sent"] + 1])
                            d["sent"] += 1
                        except OSError:
                            pass

    def stop(self):
        self.stop_event.set()
        self.thread.join(10)
        for key in list(self.sel.get_map().values()):
            key.fileobj.close()


class Dashboard:
    """A logged-in dashboard user timing GET /api/overview."""

    def __init__(self, port, username, password):
        self.port = port
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("POST", "/api/login", json.dumps({"username": username, "password": password}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        assert r.status == 200, f"dashboard login failed with HTTP {r.status}"
        self.cookie = r.getheader("Set-Cookie").split(";")[0]
        c.close()
        self.times = []
        self.failures = 0
        self.stop_event = threading.Event()
        self.thread = None

    def probe(self):
        t0 = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            c.request("GET", "/api/overview", headers={"Cookie": self.cookie})
            r = c.getresponse()
            r.read()
            c.close()
            ok = r.status == 200
        except OSError:
            ok = False
        if ok:
            self.times.append((t0, time.monotonic() - t0))
        else:
            self.failures += 1

    def start(self):
        self.times, self.failures = [], 0
        self.stop_event.clear()

        def loop():
            while not self.stop_event.is_set():
                self.probe()
                self.stop_event.wait(0.1)
        self.thread = threading.Thread(target=loop, daemon=True)
        self.thread.start()

    def stop(self):
        self.stop_event.set()
        self.thread.join(15)
        return self.p95(), len(self.times), self.failures

    def p95(self, since=0.0, until=float("inf")):
        """p95 of the probes started in [since, until), and how many there were."""
        t = sorted(dt for start, dt in self.times if since <= start < until)
        if not t:
            return float("inf")
        return t[min(len(t) - 1, int(round(0.95 * (len(t) - 1))))]

    def count(self, since=0.0, until=float("inf")):
        return sum(1 for start, _ in self.times if since <= start < until)


def device_id(device):
    with open(device.config) as f:
        return json.load(f)["device_id"]


def records_of(central, dev_id):
    try:
        con = sqlite3.connect(f"file:{central.db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM records WHERE device_id = ?", (dev_id,)).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return -1


def deliver(device, central, n, timeout):
    """Starts the device's daemon; seconds until its n records are stored centrally."""
    dev_id = device_id(device)
    t0 = time.monotonic()
    device.start(interval="1s")
    e2e.wait_for(lambda: records_of(central, dev_id) >= n, timeout, f"{n} records of {dev_id} stored")
    seconds = time.monotonic() - t0
    device.stop()
    return seconds


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--central", required=True)
    p.add_argument("--sync", required=True)
    p.add_argument("--tool", required=True)
    p.add_argument("--flood", required=True)
    p.add_argument("--assets", required=True)
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    e2e.ARGS = argparse.Namespace(central=args.central, sync=args.sync, tool=args.tool, assets=args.assets)
    work = tempfile.mkdtemp(prefix="slow-clients-")
    ok = False
    attack = None
    try:
        # Set-up: the server, three devices with their records captured, a dashboard user.
        central = e2e.setup(work)
        devices = {}
        for name, n in (("baseline", 1000), ("attacked", 1000), ("second", 20)):
            d = e2e.Device(work, name)
            d.enroll(central.url, central.token())
            d.capture(n)
            devices[name] = d
        user = e2e.run([args.central, "user", "add", "--data-dir", central.dir, "--username", "probe",
                        "--role", "admin"])
        password = user.stdout.split("password: ")[1].split()[0]
        dashboard = Dashboard(central.port, "probe", password)
        result = {}

        # 1. Without an attack: the figures to compare against (probes for 5 s).
        probes_start = time.monotonic()
        dashboard.start()
        s = deliver(devices["baseline"], central, 1000, 60)
        e2e.wait_for(lambda: time.monotonic() - probes_start >= 5, 10, "5 s of baseline probes")
        p95, n, failures = dashboard.stop()
        result["baseline"] = {"records_per_s": round(1000 / s), "seconds": round(s, 2),
                              "overview_p95_ms": round(p95 * 1000, 1), "probes": n, "failed": failures}
        e2e.log(f"baseline: {result['baseline']}")

        # 2. The attack: 1 000 slow or idle connections, then a real sync and the dashboard.
        attack = SlowClients(central.port)
        attack_start = time.monotonic()
        attack.start()
        assert attack.open >= ATTACK_CONNECTIONS * 0.99, f"only {attack.open} attack connections opened"
        e2e.log(f"attack: {attack.open} connections open from {len(ATTACK_ADDRESSES)} addresses")
        # The dashboard is probed for the whole 30 s of the attack (sync and flood included).
        dashboard.start()
        s = deliver(devices["attacked"], central, 1000, 60)
        result["attack"] = {"records_per_s": round(1000 / s), "seconds": round(s, 2), "open": attack.open}
        e2e.log(f"under attack: {result['attack']}")
        assert s < 5, f"feedback-sync needed {s:.2f}s for 1000 records under attack (limit 5 s)"

        # 3. One device floods 2 000 batches over 16 connections; a second device's 20 records.
        flood = subprocess.Popen([args.flood, "--port", str(central.port), "--token", central.token(),
                                  "--batches", "2000", "--connections", "16", "--records", "10",
                                  "--max-seconds", "40"], stdout=subprocess.PIPE, text=True)
        e2e.PROCS.append(flood)
        enrolled = flood.stdout.readline()
        assert "enrolled" in enrolled, f"ingest_flood_tool did not enroll: {enrolled!r}"
        flood_id = json.loads(enrolled)["enrolled"]
        e2e.wait_for(lambda: records_of(central, flood_id) > 0, 20, "the flood's first batches stored")
        flood_start = time.monotonic()
        s = deliver(devices["second"], central, 20, 30)
        flooding = flood.poll() is None
        result["flood"] = {"second_device_20_records_s": round(s, 2), "flood_still_running": flooding}
        e2e.log(f"flood: {result['flood']}")
        assert flooding, "the flood ended before the second device was measured: make it longer"
        assert s < 2, f"the second device needed {s:.2f}s for 20 records during the flood (limit 2 s)"

        # 4. Hold the attack for its 30 s, then check it was really held.
        e2e.wait_for(lambda: time.monotonic() - attack_start >= ATTACK_SECONDS, ATTACK_SECONDS + 5,
                     "the attack's 30 s")
        result["attack"]["held_s"] = round(time.monotonic() - attack_start, 1)
        result["attack"]["open_at_end"] = attack.open
        result["attack"]["reopened"] = attack.reopened
        p95, n, failures = dashboard.stop()
        result["attack"].update({"overview_p95_ms": round(p95 * 1000, 1), "probes": n, "failed": failures})
        out, _ = flood.communicate(timeout=60)
        result["flood"]["tool"] = json.loads(out.strip().splitlines()[-1])
        flood_end = flood_start + result["flood"]["tool"]["seconds"]
        result["flood"]["overview_p95_ms"] = round(dashboard.p95(flood_start, flood_end) * 1000, 1)
        result["flood"]["probes"] = dashboard.count(flood_start, flood_end)
        e2e.log(f"attack held: {result['attack']}")
        assert attack.open >= ATTACK_CONNECTIONS * 0.95, f"only {attack.open} attack connections at the end"
        assert failures == 0, f"{failures} /api/overview probes failed under attack"
        assert n >= 50, f"only {n} /api/overview probes in 30 s"
        assert p95 < 0.5, f"/api/overview p95 {p95 * 1000:.0f} ms under attack (limit 500 ms)"
        attack.stop()
        attack = None
        e2e.log(f"RESULT slow-clients: {json.dumps(result)}")
        ok = True
    finally:
        if attack is not None:
            attack.stop()
        e2e.finish(work, ok, args.keep, tail_lines=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
