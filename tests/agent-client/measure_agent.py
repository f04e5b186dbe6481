#!/usr/bin/env python3
"""Measures feedback-agent for docs/agent-client.md: start to first frame, idle CPU over
30 s (from /proc/PID/stat), resident memory (/proc/PID/status, smaps_rollup), and the
time from the Enter key to the durable capture of a log (the app logs it per log).

  python3 tests/agent-client/measure_agent.py --build build-agent [--logs 20] [--idle 30]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e", "lib"))
from xvfb_gui import GuiApp, XvfbDisplay  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", required=True)
    p.add_argument("--logs", type=int, default=20)
    p.add_argument("--idle", type=float, default=30.0)
    p.add_argument("--starts", type=int, default=5)
    a = p.parse_args()
    agent = os.path.join(a.build, "agent-client", "feedback-agent")
    testkit = os.path.join(a.build, "tests", "tools", "feedback_testkit")
    seed = os.path.join(a.build, "tests", "agent-client", "agent_seed_tool")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([testkit, "make-device", "--dir", folder, "--kind", "agent", "--team", "north"],
                       check=True, capture_output=True)
        config = os.path.join(folder, "device.json")
        subprocess.run([seed, config, "A1042", "600"], check=True, capture_output=True)
        argv = [agent, "--device-config", config, "--staff-id", "A1042", "--software-renderer",
                "--dpi", "96", "--log-frames"]
        with XvfbDisplay(1280, 1024) as display:
            starts = []
            for _ in range(a.starts):
                with GuiApp(argv, display) as app:
                    m = app.wait_for_line(r"first frame presented (\d+) ms after process start")
                    starts.append(int(m.group(1)))
            print("start to first frame (ms, %d starts, 600 stored logs): median %d, min %d, max %d"
                  % (len(starts), statistics.median(starts), min(starts), max(starts)))
            with GuiApp(argv, display) as app:
                app.wait_for_line(r"first frame presented")
                app.wait_for_window()
                app.measure_idle(2.0)
                cpu, frames = app.measure_idle(a.idle)
                print("idle over %.0f s: %.3f%% of one core, %d frames" % (a.idle, cpu * 100, frames))
                status = open("/proc/%d/status" % app.pid).read()
                rollup = open("/proc/%d/smaps_rollup" % app.pid).read()
                field = lambda text, name: int(re.search(name + r":\s+(\d+) kB", text).group(1))
                print("memory: VmRSS %d kB, Pss %d kB, private (clean+dirty) %d kB, VmHWM %d kB" % (
                    field(status, "VmRSS"), field(rollup, "Pss"),
                    field(rollup, "Private_Clean") + field(rollup, "Private_Dirty"),
                    field(status, "VmHWM")))
                latencies = []
                for i in range(a.logs):
                    mark = app.mark()
                    app.key("ctrl+n")
                    app.type_text("M-%d" % i, delay_ms=10)
                    for k in ("Tab", "4", "Tab", "1", "Tab", "6", "Return"):
                        app.key(k)
                    m = app.wait_for_line(r"captured durably ([0-9.]+) ms", start=mark)
                    latencies.append(float(m.group(1)))
                latencies.sort()
                print("Enter to durable capture (ms, %d logs): median %.2f, p90 %.2f, max %.2f" % (
                    len(latencies), statistics.median(latencies),
                    latencies[int(0.9 * (len(latencies) - 1))], latencies[-1]))


if __name__ == "__main__":
    main()
