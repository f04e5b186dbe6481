#!/usr/bin/env python3
"""End-to-end test of feedback-agent: the real binary in a real X window under Xvfb,
driven by real key events (xdotool), its records opened with the test central key
(feedback_testkit dump-records) and checked field by field. Screenshots go to
--artifacts (build/artifacts/agent/).

Scenarios (one CTest test each):
  three_calls    sign in by staff id, log three calls from the keyboard (one escalated with
                 the customer's praise, one partly by mouse and after a refused submit);
                 the typical log is asserted to take at most 8 keys besides typed text.
  draft_restore  a half-filled log survives closing the window (sealed: its texts are not
                 in the database file) and is finished after the restart.
  idle           30 s of doing nothing: CPU share and frames drawn; resident memory under
                 80 MB with --software-renderer and no OpenGL/Mesa/LLVM library mapped.
  laptop         the default window on a 1366x768 screen with a task bar and on a 1280x720
                 one: inside the usable area by the X server's geometry, Log call visible;
                 a call logged with real keys at 1366x768 and its record checked.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e", "lib"))
from xvfb_gui import GuiApp, GuiTestError, XvfbDisplay, png_size, require_tools  # noqa: E402

MAX_TYPICAL_KEYS = 8
MAX_IDLE_CPU = 0.02  # of one core
MAX_RSS_KB = 80 * 1024  # resident memory with --software-renderer (issue 13: < 80 MB)
STAFF = "A1042"


def run(argv):
    res = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if res.returncode != 0:
        raise GuiTestError("%s failed (%d): %s" % (" ".join(argv), res.returncode, res.stderr))
    return res.stdout


def make_device(args, folder):
    run([args.testkit, "make-device", "--dir", folder, "--kind", "agent", "--site", "cc-madrid",
         "--team", "north"])
    return os.path.join(folder, "device.json")


def dump_records(args, folder):
    out = run([args.testkit, "dump-records", "--device-config", os.path.join(folder, "device.json"),
               "--central-key", os.path.join(folder, "central_hpke.key")])
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def answers(record):
    return {a["q"]: a for a in record["answers"]}


def expect(cond, what):
    if not cond:
        raise GuiTestError(what)


def wait_line(app, pattern, start=0, timeout=10.0):
    """(index, match) of the first stdout line at index >= start matching `pattern`."""
    rx = re.compile(pattern)
    deadline = time.monotonic() + timeout
    with app._cond:
        while True:
            for i in range(start, len(app.lines)):
                m = rx.search(app.lines[i])
                if m:
                    return i, m
            start = max(start, len(app.lines))
            left = deadline - time.monotonic()
            if left <= 0 or not app.alive():
                raise GuiTestError("no stdout line matching %r within %.0f s%s" % (
                    pattern, timeout, app._context()))
            app._cond.wait(min(left, 0.2))


def drawn(app, start):
    """Waits until what the app logged at or after line `start` is on screen: the frame
    that drew it started after it, and the one after that frame has started (the app
    prints "frame N" as each frame begins; the shell draws frames after every input)."""
    i, _ = wait_line(app, r"^frame \d+$", start)
    wait_line(app, r"^frame \d+$", i + 1)


class KeyCounter:
    """Sends keys through the app and counts them (typed text is counted apart). Every
    step waits for the app to say it has handled it (its debug log lines)."""

    def __init__(self, app):
        self.app = app
        self.keys = 0

    def key(self, *names):
        self.app.display.run_tool(["xdotool", "key", "--window", self.app._window(),
                                   "--clearmodifiers", "--delay", "30"] + list(names))
        self.keys += len(names)

    def focus(self, keys, field):
        """Presses `keys` and waits until `field` has the keyboard."""
        mark = self.app.mark()
        self.key(*keys)
        wait_line(self.app, r"focus on %s$" % re.escape(field), mark)

    def type(self, text, field):
        """Types `text` into the focused `field` and waits until the field holds all of it."""
        mark = self.app.mark()
        self.app.type_text(text, delay_ms=25)
        wait_line(self.app, r"field %s holds %d characters$" % (re.escape(field), len(text)), mark,
                  timeout=10.0 + len(text) * 0.1)


def agent_argv(args, config, *extra):
    return [args.agent, "--device-config", config, "--window", "480x900", "--dpi", "96",
            "--software-renderer", "--log-level", "debug", "--log-frames"] + list(extra)


def window_shot(app, path, since=None, size=(480, 900)):
    """The app's window only (import -window <id>), as a PNG, once what the app logged
    from line `since` on has been drawn."""
    if since is not None:
        drawn(app, since)
    app.display.run_tool(["import", "-display", app.display.name, "-window", app._window(), path],
                         timeout=20.0)
    w, h = png_size(path)
    expect((w, h) == tuple(size), "screenshot %s is %dx%d, expected the %dx%d window" % (
        path, w, h, size[0], size[1]))
    print("screenshot:", path)
    return path


def wait_captured(app, mark):
    m = app.wait_for_line(r"call log (\S+) captured durably ([0-9.]+) ms", start=mark, timeout=10.0)
    return m.group(1), float(m.group(2))


def scenario_three_calls(args):
    with tempfile.TemporaryDirectory(prefix="agent-e2e-") as folder:
        config = make_device(args, folder)
        run([args.seed, config, STAFF, "24"])  # a month of earlier logs, hero stories, roster
        with XvfbDisplay(1280, 1024) as display, \
                GuiApp(agent_argv(args, config), display) as app:
            first = app.wait_for_line(r"first frame presented (\d+) ms after process start")
            app.wait_for_window()
            window_shot(app, os.path.join(args.artifacts, "agent_0_sign_in.png"), since=0)

            # Sign in by staff id (once per desktop; not part of a log).
            mark = app.mark()
            app.type_text(STAFF)
            app.key("Return")
            signed, _ = wait_line(app, r"rep %s signed in" % STAFF, mark)
            window_shot(app, os.path.join(args.artifacts, "agent_1_ready.png"), since=signed)

            latencies = []
            kb = KeyCounter(app)

            # Call 1, the typical log: Ctrl+N, reference, Tab 4, Tab 1, Tab 6, Enter.
            mark = app.mark()
            kb.focus(["ctrl+n"], "call_ref")
            kb.type("C-30001", "call_ref")
            kb.key("Tab", "4", "Tab", "1", "Tab", "6", "Return")
            rid1, ms = wait_captured(app, mark)
            latencies.append(ms)
            typical_keys = kb.keys
            print("typical log: %d keystrokes besides the typed reference" % typical_keys)
            expect(typical_keys <= MAX_TYPICAL_KEYS,
                   "typical log took %d keys (max %d)" % (typical_keys, MAX_TYPICAL_KEYS))

            # Call 2: escalated, and the customer praised the rep (the story is typed text).
            mark = app.mark()
            kb.keys = 0
            kb.focus(["ctrl+n"], "call_ref")
            kb.type("C-30002", "call_ref")
            kb.focus(["Tab", "5", "Tab", "4", "Tab", "3", "Tab", "Tab"], "praise.story")
            story = "Lucia stayed on the line until my card worked. Best service ever!"
            typed = app.mark()
            kb.type(story, "praise.story")
            window_shot(app, os.path.join(args.artifacts, "agent_2_praise_typed.png"), since=typed)
            kb.key("Return")
            rid2, ms = wait_captured(app, mark)
            latencies.append(ms)

            # Call 3: scores by mouse, a refused submit (effort missing), then a note.
            mark = app.mark()
            kb.focus(["ctrl+n"], "call_ref")
            kb.type("C-30003", "call_ref")
            for item, field in (("greeting/2", "greeting"),
                                ("resolution/partly_resolved", "resolution")):
                clicked = app.mark()
                app.click_item(item)
                wait_line(app, r"field %s answered$" % field, clicked)
            kb.key("Return")
            refused, _ = wait_line(app, r"submit refused: 1 field\(s\) to fix \(effort\)", mark)
            window_shot(app, os.path.join(args.artifacts, "agent_3_validation.png"), since=refused)
            # The refused submit moved the focus to effort.
            kb.focus(["3", "Tab", "Tab", "Tab"], "notes")
            kb.type("Customer wants a callback about the refund", "notes")
            mark = app.mark()
            kb.key("Return")
            rid3, ms = wait_captured(app, mark)
            latencies.append(ms)
            logged, _ = wait_line(app, r"call log %s captured" % rid3, mark)
            window_shot(app, os.path.join(args.artifacts, "agent_4_after_three_calls.png"),
                        since=logged)
            # The panels under the form: the rep's last calls and the team's hero stories.
            for tab, shot in ((1, "agent_5_last_calls.png"), (2, "agent_6_hero_stories.png")):
                mark = app.mark()
                app.click_item("tab/%d" % tab)
                shown, _ = wait_line(app, r"panel tab %d shown$" % tab, mark)
                window_shot(app, os.path.join(args.artifacts, shot), since=shown)
            code = app.stop()
            expect(code == 0, "feedback-agent exited with %s on SIGTERM" % code)

        # The three records, opened with the central key, field by field.
        records = dump_records(args, folder)
        expect(len(records) == 3, "expected 3 pending records, got %d" % len(records))
        by_id = {r["id"]: r for r in records}
        expect(set(by_id) == {rid1, rid2, rid3}, "record ids differ from the captured ones")
        for r in records:
            expect(r["staff_id"] == STAFF, "staff_id %r" % r.get("staff_id"))
            expect(r["survey_id"] == "call_log" and r["survey_version"] == 1, "survey %s" % r)
            expect(r["channel"] == "call" and r["status"] == "complete", "channel/status %s" % r)
            expect(r["device_id"] == "agent-test-1" and r["site_id"] == "cc-madrid", "ids %s" % r)
            expect(r["locale"] == "en", "locale %s" % r["locale"])
            expect(r["started_at"] <= r["submitted_at"], "times %s" % r)
        a1, a2, a3 = answers(by_id[rid1]), answers(by_id[rid2]), answers(by_id[rid3])
        expect(a1["call_ref"]["t"] == "C-30001", "call 1 ref %s" % a1)
        expect(a1["greeting"]["n"] == 4 and a1["effort"]["n"] == 6, "call 1 scores %s" % a1)
        expect(a1["resolution"]["c"] == ["resolved"], "call 1 resolution %s" % a1)
        expect("hero" not in by_id[rid1] and "notes" not in a1, "call 1 extras %s" % by_id[rid1])
        expect(a2["call_ref"]["t"] == "C-30002", "call 2 ref %s" % a2)
        expect(a2["greeting"]["n"] == 5 and a2["effort"]["n"] == 3, "call 2 scores %s" % a2)
        expect(a2["resolution"]["c"] == ["escalated"], "call 2 resolution %s" % a2)
        hero = by_id[rid2].get("hero")
        expect(hero == {"staff_id": STAFF, "name": "",
                        "story": "Lucia stayed on the line until my card worked. Best service ever!"},
               "call 2 hero %s" % hero)
        expect(a3["call_ref"]["t"] == "C-30003", "call 3 ref %s" % a3)
        expect(a3["greeting"]["n"] == 2 and a3["effort"]["n"] == 3, "call 3 scores %s" % a3)
        expect(a3["resolution"]["c"] == ["partly_resolved"], "call 3 resolution %s" % a3)
        expect(a3["notes"]["t"] == "Customer wants a callback about the refund", "call 3 notes %s" % a3)
        expect("hero" not in by_id[rid3], "call 3 hero")

        # Nothing typed rests in plaintext in the capture DB.
        raw = b""
        for suffix in ("", "-wal"):
            path = os.path.join(folder, "capture.db" + suffix)
            if os.path.exists(path):
                raw += open(path, "rb").read()
        for secret in (b"C-30002", b"Best service ever", b"callback about the refund"):
            expect(secret not in raw, "%r rests in plaintext in capture.db" % secret)

        print("start to first frame: %s ms" % first.group(1))
        print("Enter to durable capture: %s ms" % ", ".join("%.2f" % x for x in latencies))


def scenario_draft_restore(args):
    with tempfile.TemporaryDirectory(prefix="agent-e2e-") as folder:
        config = make_device(args, folder)
        with XvfbDisplay(1280, 1024) as display:
            with GuiApp(agent_argv(args, config, "--staff-id", "B7"), display) as app:
                app.wait_for_line(r"rep B7 signed in")
                app.wait_for_window()
                kb = KeyCounter(app)
                kb.focus(["ctrl+n"], "call_ref")
                kb.type("C-777", "call_ref")
                kb.focus(["Tab", "3", "Tab", "Tab", "Tab", "Tab"], "praise.story")
                kb.type("Half typed praise from a happy customer", "praise.story")
                mark = app.mark()
                code = app.stop()  # SIGTERM: the window closes with a half-filled form
                expect(code == 0, "exit code %s" % code)
                app.wait_for_line(r"saved the unfinished log of B7 \(sealed\)|closed", start=mark)
            raw = b""
            for suffix in ("", "-wal"):
                path = os.path.join(folder, "capture.db" + suffix)
                if os.path.exists(path):
                    raw += open(path, "rb").read()
            expect(b"Half typed praise" not in raw and b"C-777" not in raw,
                   "the draft rests in plaintext in capture.db")
            key = os.path.join(folder, "agent_draft.key")
            expect(os.path.exists(key) and (os.stat(key).st_mode & 0o777) == 0o600,
                   "draft key missing or not 0600")

            # Restart without --staff-id: the rep is remembered and the draft is back.
            with GuiApp(agent_argv(args, config), display) as app:
                restored, _ = wait_line(app, r"restored the unfinished log of B7")
                app.wait_for_window()
                window_shot(app, os.path.join(args.artifacts, "agent_7_draft_restored.png"),
                            since=restored)
                kb = KeyCounter(app)
                mark = app.mark()
                kb.key("ctrl+n", "Tab", "Tab", "2", "Tab", "5", "Return")
                wait_captured(app, mark)
        records = dump_records(args, folder)
        expect(len(records) == 1, "expected 1 record, got %d" % len(records))
        r = records[0]
        a = answers(r)
        expect(r["staff_id"] == "B7", "staff %s" % r.get("staff_id"))
        expect(a["call_ref"]["t"] == "C-777" and a["greeting"]["n"] == 3, "restored values %s" % a)
        expect(a["resolution"]["c"] == ["partly_resolved"] and a["effort"]["n"] == 5, "finished %s" % a)
        expect(r["hero"]["story"] == "Half typed praise from a happy customer", "hero %s" % r.get("hero"))
        print("draft restored after restart and logged once")


def window_geometry(app):
    """(x, y, w, h) of the app's window as the X server has it (xdotool getwindowgeometry)."""
    out = app.display.run_tool(["xdotool", "getwindowgeometry", app._window()])
    pos = re.search(r"Position: (-?\d+),(-?\d+)", out)
    size = re.search(r"Geometry: (\d+)x(\d+)", out)
    expect(pos and size, "unexpected xdotool getwindowgeometry output: %r" % out)
    return int(pos.group(1)), int(pos.group(2)), int(size.group(1)), int(size.group(2))


def resident_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1))


def gl_libraries(pid):
    """The OpenGL/Mesa/LLVM libraries mapped into the process (none with the X11 framebuffer)."""
    with open("/proc/%d/maps" % pid) as f:
        paths = {line.split()[-1] for line in f if ".so" in line}
    return sorted(p for p in paths if re.search(r"libLLVM|_dri\.so|libGLX|libGL\.so|libgallium", p))


def scenario_laptop(args):
    """The default window on the laptops reps have: a 1366x768 screen with a 32 px task bar
    at the bottom, then one of 27 px at the top (the window manager's work area,
    _NET_WORKAREA, which SDL reads as the usable bounds), and a bare 1280x720 screen. The whole window must be on screen by the X server's own
    geometry, the Log call button visible without scrolling; at 1366x768 a call is logged
    with real keys and the stored record checked."""
    with tempfile.TemporaryDirectory(prefix="agent-e2e-") as folder:
        config = make_device(args, folder)
        run([args.seed, config, STAFF, "24"])
        rid = None
        # (screen, work area the task bar leaves or None, log a call here)
        for (screen_w, screen_h), area, log_call in (((1366, 768), (0, 0, 1366, 736), True),
                                                     ((1366, 768), (0, 27, 1366, 741), False),
                                                     ((1280, 720), None, False)):
            with XvfbDisplay(screen_w, screen_h) as display:
                area_x, area_y, area_w, area_h = area or (0, 0, screen_w, screen_h)
                usable_h = area_h
                if area:
                    display.run_tool(["xprop", "-root", "-format", "_NET_WORKAREA", "32c", "-set",
                                      "_NET_WORKAREA", ",".join(str(v) for v in area)])
                argv = [args.agent, "--device-config", config, "--staff-id", STAFF, "--dpi", "96",
                        "--software-renderer", "--log-level", "debug", "--log-frames"]
                with GuiApp(argv, display) as app:
                    _, placed = wait_line(app, r"window (\d+)x(\d+) at (-?\d+),(-?\d+)")
                    app.wait_for_window()
                    x, y, w, h = window_geometry(app)
                    print("%dx%d screen, usable %dx%d at %d,%d: window %dx%d at %d,%d" % (
                        screen_w, screen_h, area_w, area_h, area_x, area_y, w, h, x, y))
                    expect(x >= area_x and y >= area_y and x + w <= area_x + area_w and
                           y + h <= area_y + area_h,
                           "window %dx%d at %d,%d is not inside the usable %dx%d at %d,%d" % (
                               w, h, x, y, area_w, area_h, area_x, area_y))
                    expect((w, h) == (int(placed.group(1)), int(placed.group(2))),
                           "X geometry %dx%d differs from the app's placement %s" % (
                               w, h, placed.group(0)))
                    expect(w == 480 and h == usable_h, "window %dx%d, expected 480x%d" % (
                        w, h, usable_h))
                    lx, ly, lw, lh = app.item("log-call")
                    expect(ly >= 0 and ly + lh <= h and lx + lw <= w,
                           "Log call at %d,%d %dx%d is not visible in the %dx%d window" % (
                               lx, ly, lw, lh, w, h))
                    shot = os.path.join(args.artifacts, "agent_laptop_%dx%d_area_%d_%d.png" % (
                        screen_w, screen_h, area_y, area_h))
                    drawn(app, 0)
                    display.screenshot(shot)
                    print("screenshot:", shot)
                    if not log_call:
                        continue
                    # A call, keyboard only.
                    kb = KeyCounter(app)
                    mark = app.mark()
                    kb.focus(["ctrl+n"], "call_ref")
                    kb.type("L-1366", "call_ref")
                    kb.key("Tab", "2", "Tab", "4", "Tab", "7", "Return")
                    logged, m = wait_line(app, r"call log (\S+) captured durably", mark)
                    rid = m.group(1)
                    window_shot(app, os.path.join(args.artifacts, "agent_laptop_logged.png"),
                                since=logged, size=(w, h))
                    rss = resident_kb(app.pid)
                    print("VmRSS after a logged call: %d kB; GL libraries mapped: %s" % (
                        rss, gl_libraries(app.pid) or "none"))
                    expect(rss <= MAX_RSS_KB, "VmRSS %d kB (max %d kB with --software-renderer)" % (
                        rss, MAX_RSS_KB))
        records = dump_records(args, folder)
        expect(len(records) == 1, "expected 1 pending record, got %d" % len(records))
        r = records[0]
        a = answers(r)
        expect(r["id"] == rid and r["staff_id"] == STAFF and r["status"] == "complete",
               "record %s" % r)
        expect(a["call_ref"]["t"] == "L-1366" and a["greeting"]["n"] == 2 and
               a["resolution"]["c"] == ["escalated"] and a["effort"]["n"] == 7, "answers %s" % a)


def scenario_idle(args):
    with tempfile.TemporaryDirectory(prefix="agent-e2e-") as folder:
        config = make_device(args, folder)
        run([args.seed, config, STAFF, "24"])
        with XvfbDisplay(1280, 1024) as display, \
                GuiApp(agent_argv(args, config, "--staff-id", STAFF, "--log-frames"), display) as app:
            first = app.wait_for_line(r"first frame presented (\d+) ms after process start")
            app.wait_for_window()
            app.measure_idle(2.0)  # let start-up frames settle
            cpu, frames = app.measure_idle(args.idle_seconds)
            rss = resident_kb(app.pid)
            gl = gl_libraries(app.pid)
            print("start to first frame: %s ms" % first.group(1))
            print("idle over %.0f s: cpu=%.3f%% of one core, frames=%d, VmRSS=%d kB" % (
                args.idle_seconds, cpu * 100.0, frames, rss))
            print("GL libraries mapped: %s" % (", ".join(gl) or "none"))
            # The software renderer presents through X11's framebuffer: no Mesa, no LLVM.
            expect(rss <= MAX_RSS_KB, "VmRSS %d kB (max %d kB with --software-renderer)" % (
                rss, MAX_RSS_KB))
            expect(not gl, "OpenGL libraries loaded with --software-renderer: %s" % gl)
            # It still answers at once after sleeping.
            mark = app.mark()
            app.key("ctrl+n")
            app.wait_for_line(r"^frame \d+", start=mark, timeout=5.0)
            expect(cpu <= MAX_IDLE_CPU, "idle CPU %.2f%% (max %.1f%%)" % (cpu * 100, MAX_IDLE_CPU * 100))
            # The status refresh wakes it every 10 s at most; a polling loop would draw ~1800.
            expect(frames <= args.idle_seconds / 10.0 + 2, "%d frames while idle" % frames)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", choices=["three_calls", "draft_restore", "idle", "laptop"])
    parser.add_argument("--agent", required=True)
    parser.add_argument("--testkit", required=True)
    parser.add_argument("--seed", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--idle-seconds", type=float, default=30.0)
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    require_tools("Xvfb", "xdotool", "import", "xprop")
    {"three_calls": scenario_three_calls, "draft_restore": scenario_draft_restore,
     "idle": scenario_idle, "laptop": scenario_laptop}[args.scenario](args)
    print("PASS", args.scenario)


if __name__ == "__main__":
    try:
        main()
    except GuiTestError as e:
        print("FAIL:", e, file=sys.stderr)
        sys.exit(1)
