#!/usr/bin/env python3
"""Measures the figures in docs/kiosk.md on the real binary under Xvfb:
start to first frame, idle CPU at the attract screen over 30 s (with and without
hero stories rotating), resident memory, and CPU time per rendered frame.

  python3 tests/kiosk/measure_kiosk.py --kiosk build/kiosk/feedback-kiosk \
      --testkit build/tests/tools/feedback_testkit --assets assets [--idle-seconds 30]
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e", "lib"))
from xvfb_gui import GuiApp, XvfbDisplay  # noqa: E402


def vm_rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def run(args, stories, width, height, dpi=96):
    work = tempfile.mkdtemp(prefix="kiosk-measure-")
    try:
        subprocess.run([args.testkit, "make-device", "--dir", work, "--kind", "kiosk", "--site", "s"],
                       check=True, capture_output=True)
        subprocess.run([args.testkit, "dump-records", "--device-config", work + "/device.json",
                        "--central-key", work + "/central_hpke.key"], check=True, capture_output=True)
        if stories:
            db = sqlite3.connect(work + "/capture.db")
            db.executemany("INSERT INTO hero_stories VALUES (?, '', ?, ?, '', ?)",
                           [("h%d" % i, "Person %d" % i, "Story number %d about great service." % i, i)
                            for i in range(3)])
            db.commit()
            db.close()
        argv = [args.kiosk, "--device-config", work + "/device.json", "--window", "%dx%d" % (width, height),
                "--dpi", str(dpi), "--software-renderer", "--layout-log", "--assets", args.assets]
        with XvfbDisplay(width, height, dpi=dpi) as display, GuiApp(argv, display) as app:
            first = int(app.wait_for_line(r"^first-frame-ms (\d+)", timeout=20).group(1))
            app.wait_for_line(r"^kiosk-screen attract", timeout=20)
            app.wait_for_window()
            time.sleep(1.0)
            cpu, frames = app.measure_idle(args.idle_seconds, frame_pattern=r"^frame \d+")
            rss_idle = vm_rss_mb(app.pid)
            # Frames under input: switch language back and forth; each tap draws a few frames.
            start_line = app.mark()
            cpu0 = app.cpu_seconds()
            x, y, w, h = app.item("lang/es")
            xe, ye, we, he = app.item("lang/en")
            for i in range(20):
                if i % 2 == 0:
                    app.click(x + w // 2 + (i % 4), y + h // 2)
                else:
                    app.click(xe + we // 2 + (i % 4), ye + he // 2)
                time.sleep(0.15)
            time.sleep(0.5)
            cpu1 = app.cpu_seconds()
            drawn = sum(1 for line in app.lines[start_line:] if line.startswith("frame "))
            # Memory after a full keyboard screen has been drawn too.
            app.click_item("start")
            app.wait_for_line(r"^kiosk-screen question:nps", start=start_line, timeout=10)
            rss_busy = vm_rss_mb(app.pid)
        return {"first_frame_ms": first, "idle_cpu_pct": cpu * 100, "idle_frames": frames,
                "rss_idle_mb": rss_idle, "rss_after_survey_start_mb": rss_busy,
                "cpu_ms_per_frame": (cpu1 - cpu0) * 1000.0 / max(1, drawn), "frames_measured": drawn}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kiosk", required=True)
    p.add_argument("--testkit", required=True)
    p.add_argument("--assets", required=True)
    p.add_argument("--idle-seconds", type=float, default=30.0)
    args = p.parse_args()
    for label, stories, w, h, dpi in (("1920x1080, no hero stories", False, 1920, 1080, 96),
                                      ("1920x1080, 3 hero stories rotating", True, 1920, 1080, 96),
                                      ("1080x1920, no hero stories", False, 1080, 1920, 96),
                                      ("800x1280 at 149 dpi, no stories", False, 800, 1280, 149)):
        r = run(args, stories, w, h, dpi)
        print("%-36s first frame %4d ms | idle %4.0f s: %.3f%% CPU, %d frames | VmRSS %.1f MB idle, "
              "%.1f MB on a question | %.2f ms CPU per frame (%d frames)" % (
                  label, r["first_frame_ms"], args.idle_seconds, r["idle_cpu_pct"], r["idle_frames"],
                  r["rss_idle_mb"], r["rss_after_survey_start_mb"], r["cpu_ms_per_frame"], r["frames_measured"]))


if __name__ == "__main__":
    main()
