#!/usr/bin/env python3
"""The fleet soak (issue 14; docs/reliability.md "Fleet soak").

Simulates a fleet of devices - each with its own capture DB and its own sync
daemon (the daemon's library, RunDaemon), hosted a few dozen per process by
`fleet_soak_tool fleet` - capturing for a bounded time over real HTTP on
127.0.0.1 to a real `feedback-central serve`, while:
  - the sync end-to-end tests' fault proxy (tests/sync/e2e/fault_proxy.py) cuts
    requests mid-body, truncates and swallows answers, delays, answers 503 and
    429 (each kind at most --faults-per-kind times);
  - the central store is SIGKILLed and restarted (--central-kills times);
  - device processes are SIGKILLed mid-capture and restarted on their DBs
    (--device-kills times);
  - some devices' clocks are a day ahead or behind (--skewed devices);
  - one kiosk's disk fills a third of the way through (its captures refused).
Then, with the proxy's faults off, it waits (bounded) for every device to
have every record acknowledged, stops everything and runs
`fleet_soak_tool verdict`: every record whose capture returned is stored
exactly once (records, or quarantine with its reason), nothing is stored
that was never captured, every rollup equals a recomputation from the raw
records. Prints a one-screen summary; exit 0 pass, 1 the verdict failed,
2 the soak could not run.

Why a script driving C++ tools: the fault proxy, the central store's
helpers and its process handling already exist in python for the sync
end-to-end tests (reused, not copied); the devices and the verdict are C++
because they are the daemon's and the capture store's own code.

  python3 bench/fleet_soak.py --build build [--devices 200] [--seconds 60] ...
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import signal
import sqlite3
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "sync", "e2e"))
import sync_e2e_test as e2e  # noqa: E402  (Central, spawn, run, wait_for, log, PROCS)
from fault_proxy import FAULTS, FaultProxy  # noqa: E402

DAY_MS = 86_400_000


class Fleet:
    """One fleet_soak_tool process hosting devices [first, first + count)."""

    def __init__(self, args, work, index, first, count, server):
        self.args, self.index, self.first, self.count, self.server = args, index, first, count, server
        self.devices_file = os.path.join(work, "devices.tsv")
        self.ready = os.path.join(work, f"fleet-{index}.ready")
        self.log = os.path.join(work, f"fleet-{index}.log")
        self.proc = None
        self.starts = 0

    def base(self):
        return [self.args.tool, "fleet", "--devices", self.devices_file, "--first", str(self.first),
                "--count", str(self.count), "--server", self.server]

    def enroll(self):
        e2e.run(self.base() + ["--capture-until-ms", "0", "--enroll-only"], timeout=120)

    def start(self, until_ms, disk_full_at_ms):
        if os.path.exists(self.ready):
            os.remove(self.ready)
        self.starts += 1
        self.proc = e2e.spawn(self.base() + [
            "--capture-until-ms", str(until_ms), "--disk-full-at-ms", str(disk_full_at_ms),
            "--capture-mean-ms", str(self.args.capture_mean_ms), "--interval-ms", str(self.args.interval_ms),
            "--ready-file", self.ready, "--seed", str(self.args.seed * 1000 + self.index * 10 + self.starts),
            "--log-level", "warn"], self.log)

    def wait_ready(self):
        def ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"fleet {self.index} exited with {self.proc.returncode}; see {self.log}")
            return os.path.exists(self.ready)
        e2e.wait_for(ready, 60, f"fleet process {self.index} ready")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            code = e2e.stop(self.proc, timeout=20)
            if code != 0:
                raise RuntimeError(f"fleet {self.index} exited {code} on SIGTERM; see {self.log}")


def plan_devices(args, work, central, pool):
    """Sites, kinds, staff, skews and the disk-full kiosk; one token per device."""
    rng = random.Random(args.seed)
    sites = [f"store-{s + 1:02d}" for s in range(args.sites)]
    devices, roster = [], []
    for i in range(args.devices):
        site = sites[i % len(sites)]
        agent = (i // len(sites)) < args.agents_per_site
        team = f"{site}-team-{'ab'[(i // len(sites)) % 2]}" if agent else ""
        staff = [f"{site}-rep-{i}-{k}" for k in range(2)] if agent else []
        roster += [(s, f"Rep {s}", team, site) for s in staff]
        devices.append({"dir": os.path.join(work, "devices", f"d{i:03d}"), "site": site,
                        "kind": "agent" if agent else "kiosk", "team": team, "staff": staff,
                        "skew": 0, "disk_full": False})
    kiosks = [d for d in devices if d["kind"] == "kiosk"]
    skewed = rng.sample(devices, args.skewed)
    for n, d in enumerate(skewed):
        d["skew"] = DAY_MS if n % 2 == 0 else -DAY_MS
    rng.choice([d for d in kiosks if d["skew"] == 0])["disk_full"] = True

    def token(d):
        cmd = [args.central, "enroll-token", "--data-dir", central.dir, "--site", d["site"], "--kind", d["kind"]]
        if d["team"]:
            cmd += ["--team", d["team"]]
        out = e2e.run(cmd).stdout
        m = re.search(r"[A-Za-z0-9_-]{43}\.[0-9a-f]{64}", out)
        assert m, f"no token in enroll-token output: {out!r}"
        return m.group(0)

    for d, t in zip(devices, pool.map(token, devices)):
        d["token"] = t
    roster_csv = os.path.join(work, "roster.csv")
    with open(roster_csv, "w") as f:
        f.write("staff_id,display_name,team,site\n")
        for row in roster:
            f.write(",".join(row) + "\n")
    e2e.run([args.central, "staff", "import", roster_csv, "--data-dir", central.dir])
    with open(os.path.join(work, "devices.tsv"), "w") as f:
        for d in devices:
            f.write("\t".join([d["dir"], d["kind"], d["token"], str(d["skew"]), "1" if d["disk_full"] else "0",
                               ",".join(d["staff"]) or "-"]) + "\n")
    return devices


def backlog(devices):
    """Records not yet acknowledged, summed over every device DB (-1: a DB not readable now)."""
    total = 0
    for d in devices:
        try:
            con = sqlite3.connect(f"file:{d['dir']}/capture.db?mode=ro", uri=True, timeout=5)
            try:
                total += con.execute("SELECT count(*) FROM records WHERE outbox_state != 2").fetchone()[0]
            finally:
                con.close()
        except sqlite3.Error:
            return -1
    return total


def soak(args, work):
    t_begin = time.time()
    central = e2e.Central(work, "central", site="store-01")
    for survey in ("retail_kiosk.json", "call_log.json"):
        central.publish(os.path.join(args.assets, "surveys", survey))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        devices = plan_devices(args, work, central, pool)
    serve_args = ["--threads", str(args.central_threads or args.devices + 16)]
    central.start(serve_args)
    proxy = FaultProxy(central.port, seed=args.seed, fault_rate=0.0, max_per_kind=args.faults_per_kind)
    server = f"http://127.0.0.1:{proxy.port}"
    per = -(-args.devices // args.processes)
    fleets = [Fleet(args, work, g, g * per, min(per, args.devices - g * per), server)
              for g in range(args.processes) if g * per < args.devices]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(fleets)) as pool:
        list(pool.map(Fleet.enroll, fleets))
    e2e.log(f"setup: {len(devices)} devices enrolled in {time.time() - t_begin:.1f}s")

    # The capture window: faults on, kills spread over it.
    t0 = time.time()
    until_ms = int((t0 + args.seconds) * 1000)
    disk_full_at_ms = int((t0 + args.seconds / 3) * 1000)
    proxy.fault_rate = args.fault_rate
    for f in fleets:
        f.start(until_ms, disk_full_at_ms)
    for f in fleets:
        f.wait_ready()
    rng = random.Random(args.seed + 1)
    events = [(t0 + args.seconds * (k + 1) / (args.central_kills + 1) + rng.uniform(-1, 1), "central")
              for k in range(args.central_kills)]
    events += [(t0 + args.seconds * (k + 0.5) / args.device_kills + rng.uniform(-1, 1), "fleet")
               for k in range(args.device_kills)]
    events.sort()
    central_kills, device_kills, devices_killed = 0, 0, 0
    for at, what in events:
        time.sleep(max(0.0, at - time.time()))
        if what == "central":
            central.kill()
            central_kills += 1
            time.sleep(rng.uniform(0.2, 1.5))
            central.start(serve_args)
            e2e.log(f"central kill {central_kills}: SIGKILLed and restarted")
        else:
            f = rng.choice(fleets)
            f.kill()
            device_kills += 1
            devices_killed += f.count
            time.sleep(rng.uniform(0.2, 1.0))
            f.start(until_ms, disk_full_at_ms)
            f.wait_ready()
            e2e.log(f"device kill {device_kills}: fleet {f.index} ({f.count} devices) SIGKILLed mid-capture, "
                    "restarted on its DBs")
    time.sleep(max(0.0, until_ms / 1000 - time.time()))
    capture_s = time.time() - t0

    # The drain: no more faults; wait for every record to be acknowledged.
    proxy.fault_rate = 0.0
    t_drain = time.time()
    drained = True
    try:
        e2e.wait_for(lambda: backlog(devices) == 0, args.drain_seconds, "every device's backlog to drain",
                     interval=0.5)
    except AssertionError as e:
        drained = False
        e2e.log(str(e))
    drain_s = time.time() - t_drain
    for f in fleets:
        f.stop()
    central.stop()
    proxy.stop()

    cmd = [args.tool, "verdict", "--central-db", central.db, "--devices", os.path.join(work, "devices.tsv"),
           "--assets", args.assets]
    if args.defect:
        cmd += ["--defect", args.defect]
    r = e2e.run(cmd, check=False, timeout=300)
    if r.returncode not in (0, 1):
        raise RuntimeError(f"verdict could not check ({r.returncode}):\n{r.stderr}")
    v = json.loads(r.stdout)
    if not drained:
        v["failures"].insert(0, f"the backlog did not drain within {args.drain_seconds}s")
        v["pass"] = False

    skews = sum(1 for d in devices if d["skew"])
    cut = sum(e2e.count_in_log(f.log, "Empty reply from server") for f in fleets)
    lines = [
        "=" * 78,
        f"FLEET SOAK  {len(devices)} devices ({sum(d['kind'] == 'agent' for d in devices)} agent desktops) "
        f"on {args.sites} sites, {len(fleets)} device processes, seed {args.seed}",
        f"duration    capture {capture_s:.0f}s, drain {drain_s:.1f}s, total {time.time() - t_begin:.0f}s",
        f"records     captured {v['captured_in_device_dbs']} (capture returned {v['captures_returned']}, "
        f"committed but unconfirmed at a kill {v['captured_unconfirmed']})",
        f"            stored {v['stored_records'] + v['stored_quarantine']}: {v['stored_records']} records + "
        f"{v['stored_quarantine']} quarantined with their reason",
    ]
    for reason, n in sorted(v["quarantine_reasons"].items(), key=lambda kv: -kv[1]):
        lines.append(f"              quarantine {n}: {reason}")
    lines += [
        f"faults      {sum(proxy.counts.values())} injected: "
        + ", ".join(f"{k} {proxy.counts[k]}" for k in FAULTS) + f"; {proxy.passed} requests passed",
        f"kills       central store SIGKILL+restart {central_kills} (requests cut: {cut}); device processes "
        f"SIGKILL+restart {device_kills} ({devices_killed} devices)",
        f"clocks      {skews} devices skewed (+1 day {sum(d['skew'] > 0 for d in devices)}, "
        f"-1 day {sum(d['skew'] < 0 for d in devices)}); capture clock only, see docs/reliability.md",
        f"disk full   1 kiosk, full from {args.seconds / 3:.0f}s: {v['refused_disk_full']} captures refused "
        f"(other capture errors: {v['refused_other']})",
        f"checks      lost {v['lost']}, duplicated {v['duplicated']}, stored but never captured "
        f"{v['unexpected']}, unacknowledged {v['unacknowledged']}, rollup tables "
        f"{len(v['rollup_rows_checked'])} ({sum(v['rollup_rows_checked'].values())} rows) vs raw records",
    ]
    if args.defect:
        lines.append(f"defect      {args.defect} injected (test only): the verdict must fail")
    lines.append(f"VERDICT: {'PASS' if v['pass'] else 'FAIL'}" + ("" if v["pass"] else " - " + "; ".join(v["failures"])))
    lines.append("=" * 78)
    print("\n".join(lines), flush=True)
    return 0 if v["pass"] else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build", help="the CMake build folder")
    p.add_argument("--assets", default=os.path.join(HERE, "..", "assets"))
    p.add_argument("--devices", type=int, default=200)
    p.add_argument("--processes", type=int, default=4, help="device processes (devices spread evenly)")
    p.add_argument("--sites", type=int, default=10)
    p.add_argument("--agents-per-site", type=int, default=2)
    p.add_argument("--seconds", type=float, default=60, help="capture time")
    p.add_argument("--capture-mean-ms", type=int, default=2000, help="mean time between captures per device")
    p.add_argument("--interval-ms", type=int, default=2000, help="each daemon's sync interval")
    p.add_argument("--fault-rate", type=float, default=0.05)
    p.add_argument("--faults-per-kind", type=int, default=40)
    p.add_argument("--central-kills", type=int, default=3)
    p.add_argument("--device-kills", type=int, default=3)
    p.add_argument("--skewed", type=int, default=10)
    p.add_argument("--central-threads", type=int, default=0,
                   help="feedback-central serve --threads (default: devices + 16; see docs/reliability.md)")
    p.add_argument("--drain-seconds", type=float, default=60)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--defect", choices=["drop-expected", "duplicate", "lose", "rollup"],
                   help="test only: break one thing before the verdict, which must then fail")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    args = p.parse_args()
    args.central = os.path.join(args.build, "sync", "central", "feedback-central")
    args.tool = os.path.join(args.build, "bench", "fleet_soak_tool")
    args.assets = os.path.abspath(args.assets)
    # The e2e helpers read their binaries from their module's ARGS.
    e2e.ARGS = argparse.Namespace(central=args.central, sync=None, tool=None, assets=args.assets)
    work = tempfile.mkdtemp(prefix="fleet-soak-")
    e2e.log(f"fleet soak in {work}")
    code = 2
    try:
        code = soak(args, work)
    except Exception:  # the soak could not run: say why, keep the folder
        traceback.print_exc()
        code = 2
    finally:
        if e2e.finish(work, code != 2, args.keep, tail_lines=15):
            print(f"work folder kept: {work}")
    return code


if __name__ == "__main__":
    sys.exit(main())
