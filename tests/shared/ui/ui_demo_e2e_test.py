#!/usr/bin/env python3
"""End-to-end test of the app shell + touch widgets: ui_demo in a real X window under Xvfb,
clicked with real xdotool pointer events.

Scenarios (one CTest test each):
  click     1920x1080 screen, 1280x800 window: clicks reach BigButton, the NPS row and the
            on-screen keyboard (ñ); X screenshot + the shell's own PNG screenshot saved.
  portrait  1080x1920 screen, fullscreen window: a click reaches the button; screenshot.
  touch     a finger tap as SDL reports it (touch-synthesised mouse events, press and
            release in the same event batch) reaches the button, and the idle loop then
            sleeps again.
  idle      nothing happens for 5 s: the event-driven loop draws (almost) no frames and
            uses ~0% CPU. Prints the measured figures.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "e2e", "lib"))
from xvfb_gui import GuiApp, GuiTestError, XvfbDisplay, png_size, require_tools  # noqa: E402

# Frames the idle demo may draw in 5 s. The loop draws on input only; any redraw here
# would come from window-system events. A polling loop would draw ~300 (60 Hz).
MAX_IDLE_FRAMES = 3
MAX_IDLE_CPU = 0.02  # 2 % of one core


def scenario_click(args):
    with XvfbDisplay(1920, 1080) as display, GuiApp(
            [args.demo, "--width", "1280", "--height", "800", "--dpi", "96", "--software",
             "--screenshot-on-press", os.path.join(args.artifacts, "ui_demo_shell_frame.png")],
            display) as app:
        app.wait_for_line(r"^ready ")
        app.wait_for_window()

        mark = app.mark()
        app.click_item("press")
        app.wait_for_line(r"^pressed 1$", start=mark)

        mark = app.mark()
        app.click_item("nps/9")
        app.wait_for_line(r"^nps 9$", start=mark)

        mark = app.mark()
        app.click_item("csat/5")
        app.wait_for_line(r"^csat 5$", start=mark)

        mark = app.mark()
        app.click_item("kbd/\u00f1")  # ñ on the on-screen keyboard
        app.wait_for_line(r"^key \u00f1 text=\u00f1$", start=mark)

        # A click beside the button (in the gap under it) must not press it.
        x, y, w, h = app.item("press")
        mark = app.mark()
        app.click(x + w // 2, y + h + 2)
        app.click_item("press")
        m = app.wait_for_line(r"^pressed (\d+)$", start=mark)
        if m.group(1) != "2":
            raise GuiTestError("expected exactly one more press, got %s" % m.group(0))

        shot = app.screenshot(os.path.join(args.artifacts, "ui_demo_click.png"))
        if png_size(shot) != (1920, 1080):
            raise GuiTestError("X screenshot has size %s" % (png_size(shot),))
        shell_shot = os.path.join(args.artifacts, "ui_demo_shell_frame.png")
        if png_size(shell_shot) != (1280, 800):
            raise GuiTestError("shell screenshot has size %s" % (png_size(shell_shot),))
        print("screenshots:", shot, shell_shot)


def scenario_portrait(args):
    with XvfbDisplay(1080, 1920) as display, GuiApp(
            [args.demo, "--fullscreen", "--dpi", "96", "--software"], display) as app:
        app.wait_for_line(r"^ready ")
        app.wait_for_window()
        mark = app.mark()
        app.click_item("press")
        app.wait_for_line(r"^pressed 1$", start=mark)
        mark = app.mark()
        app.click_item("lang/en")
        app.wait_for_line(r"^language en$", start=mark)
        # Fullscreen on a portrait screen: the window covers it and keys keep 15 mm
        # (56.7 px at 96 DPI).
        x, y, w, h = app.item("kbd/q")
        if w < 57 or h < 57 or x + w > 1080:
            raise GuiTestError("keyboard key q is %dx%d at x=%d on a 1080 px wide screen" % (w, h, x))
        mark = app.mark()
        app.click_item("kbd/q")
        app.wait_for_line(r"^key q text=q$", start=mark)
        shot = app.screenshot(os.path.join(args.artifacts, "ui_demo_portrait.png"))
        print("screenshot:", shot)


def scenario_touch(args):
    with XvfbDisplay(1920, 1080) as display, GuiApp(
            [args.demo, "--width", "1280", "--height", "800", "--dpi", "96", "--software",
             "--synthetic-touch-tap", "--log-frames"], display) as app:
        app.wait_for_line(r"^touch-tap queued$")
        mark = app.mark()
        app.wait_for_line(r"^pressed 1$", timeout=5.0)
        # Once the frames that follow input are done, nothing keeps redrawing.
        app.measure_idle(0.5)
        _, frames = app.measure_idle(2.0)
        if frames > 0:
            raise GuiTestError("%d frames drawn while idle after a touch tap" % frames)
        print("touch tap reached the button; frames after it: %d" % sum(
            1 for line in app.lines[mark:] if line.startswith("frame ")))


def scenario_idle(args):
    with XvfbDisplay(1920, 1080) as display, GuiApp(
            [args.demo, "--width", "1280", "--height", "800", "--dpi", "96", "--software",
             "--log-frames"], display) as app:
        app.wait_for_line(r"^ready ")
        app.wait_for_window()
        # Let start-up frames and window-mapping events settle, then measure doing nothing.
        app.measure_idle(1.0)
        cpu, frames = app.measure_idle(5.0)
        print("idle over 5 s: cpu=%.2f%% of one core, frames=%d" % (cpu * 100.0, frames))
        # The loop still answers input promptly after sleeping.
        mark = app.mark()
        app.click_item("press")
        app.wait_for_line(r"^pressed 1$", start=mark, timeout=5.0)
        after_click = sum(1 for line in app.lines[mark:] if line.startswith("frame "))
        print("frames drawn for one click: %d" % after_click)
        code = app.stop()
        total = app.wait_for_line(r"^frames_rendered (\d+)$", timeout=5.0)
        print("frames over the whole run: %s, exit code %s" % (total.group(1), code))
        if code != 0:
            raise GuiTestError("ui_demo did not exit cleanly on SIGTERM (code %s)" % code)
        if frames > MAX_IDLE_FRAMES:
            raise GuiTestError("idle demo drew %d frames in 5 s (max %d): the loop is not "
                               "event-driven" % (frames, MAX_IDLE_FRAMES))
        if cpu > MAX_IDLE_CPU:
            raise GuiTestError("idle demo used %.1f%% CPU (max %.1f%%)" % (cpu * 100, MAX_IDLE_CPU * 100))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", choices=["click", "portrait", "touch", "idle"])
    parser.add_argument("--demo", required=True, help="path of the ui_demo executable")
    parser.add_argument("--artifacts", required=True, help="folder for screenshots")
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    require_tools("Xvfb", "xdotool", "import")
    {"click": scenario_click, "portrait": scenario_portrait, "touch": scenario_touch,
     "idle": scenario_idle}[args.scenario](args)
    print("PASS", args.scenario)


if __name__ == "__main__":
    try:
        main()
    except GuiTestError as e:
        print("FAIL:", e, file=sys.stderr)
        sys.exit(1)
