#!/usr/bin/env python3
"""Measures feedback-agent for docs/agent-client.md: start to first frame, idle CPU over
30 s (from /proc/PID/stat), resident memory (/proc/PID/status, smaps_rollup, and the
largest mapped files from /proc/PID/smaps), and the time from the Enter key to the
durable capture of a log (the app logs it per log).

The app runs with its default window on a 1366x768 Xvfb screen (a laptop), with
--software-renderer. For comparison, memory is also measured with SDL presenting through
an OpenGL context (SDL_FRAMEBUFFER_ACCELERATION=1 in the environment overrides the app's
hint), which is what the app did before. Exits 1 when VmRSS is above --max-rss-mb.

  python3 tests/agent-client/measure_agent.py --build build [--logs 20] [--idle 30]
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


def field(text, name):
    return int(re.search(name + r":\s+(\d+) kB", text).group(1))


def memory(pid):
    """(VmRSS kB, Pss kB, private kB, VmHWM kB, [(rss kB, file)] largest first)."""
    status = open("/proc/%d/status" % pid).read()
    rollup = open("/proc/%d/smaps_rollup" % pid).read()
    per_file = {}
    current = None
    for line in open("/proc/%d/smaps" % pid):
        parts = line.split()
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            current = parts[5] if len(parts) > 5 else "[anon]"
        elif parts and parts[0] == "Rss:":
            per_file[current] = per_file.get(current, 0) + int(parts[1])
    top = sorted(((kb, os.path.basename(f)) for f, kb in per_file.items()), reverse=True)
    return (field(status, "VmRSS"), field(rollup, "Pss"),
            field(rollup, "Private_Clean") + field(rollup, "Private_Dirty"),
            field(status, "VmHWM"), top)


def print_memory(label, mem):
    rss, pss, private, hwm, top = mem
    print("%s: VmRSS %d kB, Pss %d kB, private (clean+dirty) %d kB, VmHWM %d kB" % (
        label, rss, pss, private, hwm))
    print("  largest: " + ", ".join("%s %.1f MB" % (f, kb / 1024.0) for kb, f in top[:8]))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", required=True)
    p.add_argument("--logs", type=int, default=20)
    p.add_argument("--idle", type=float, default=30.0)
    p.add_argument("--starts", type=int, default=5)
    p.add_argument("--max-rss-mb", type=float, default=80.0)
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
        gl_env = {"SDL_FRAMEBUFFER_ACCELERATION": "1"}
        with XvfbDisplay(1366, 768) as display:
            with GuiApp(argv, display, env=gl_env) as app:
                app.wait_for_line(r"first frame presented")
                app.wait_for_window()
                app.measure_idle(2.0)
                print_memory("memory, OpenGL framebuffer (before)", memory(app.pid))
            for label, env in (("OpenGL framebuffer (before)", gl_env), ("X11 framebuffer", None)):
                starts = []
                for _ in range(a.starts):
                    with GuiApp(argv, display, env=env) as app:
                        m = app.wait_for_line(r"first frame presented (\d+) ms after process start")
                        starts.append(int(m.group(1)))
                print("start to first frame, %s (ms, %d starts, 600 stored logs): median %d, "
                      "min %d, max %d" % (label, len(starts), statistics.median(starts),
                                          min(starts), max(starts)))
            with GuiApp(argv, display) as app:
                app.wait_for_line(r"first frame presented")
                app.wait_for_window()
                app.measure_idle(2.0)
                cpu, frames = app.measure_idle(a.idle)
                print("idle over %.0f s: %.3f%% of one core, %d frames" % (a.idle, cpu * 100, frames))
                mem = memory(app.pid)
                print_memory("memory, X11 framebuffer", mem)
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
                print_memory("memory after %d logs" % a.logs, memory(app.pid))
    if mem[0] > a.max_rss_mb * 1024:
        print("FAIL: VmRSS %d kB is above %.0f MB" % (mem[0], a.max_rss_mb))
        sys.exit(1)
    print("VmRSS %.1f MB <= %.0f MB" % (mem[0] / 1024.0, a.max_rss_mb))


if __name__ == "__main__":
    main()
