"""Drives the real feedback-kiosk on an Xvfb screen: start it with the test
flags, click the widgets it reports (--layout-log / FEEDBACK_UI_PROBE), type on
its on-screen keyboard, wait for its screen-state lines, take screenshots.
Used by tests/kiosk/kiosk_e2e_test.py and by the headless quick start.

`args` needs .kiosk (binary), .assets (assets folder) and .artifacts (where
screenshots go).
"""

import os
import time

from xvfb_gui import GuiApp, GuiTestError, png_size

DPI = 96
PIN = "2468"


def check(condition, message):
    if not condition:
        raise GuiTestError(message)


class Kiosk:
    """One kiosk process on one X screen, with the helpers a survey needs."""

    def __init__(self, args, display, device_dir, extra_args, name, dpi=DPI, idle_timeout=300):
        self.args, self.display, self.device_dir, self.name = args, display, device_dir, name
        self.dpi = dpi
        argv = [args.kiosk, "--device-config", os.path.join(device_dir, "device.json"),
                "--window", "%dx%d" % (display.width, display.height), "--dpi", str(dpi),
                "--software-renderer", "--layout-log", "--assets", args.assets,
                "--admin-pin-file", os.path.join(device_dir, "admin.pin"),
                "--idle-timeout", str(idle_timeout), "--thank-you", "60"] + extra_args
        self.app = GuiApp(argv, display)
        self.shots = []
        self.last_click = None
        self.clicks = 0  # taps a customer would make (for the path-length figures)

    def __enter__(self):
        self.app.start()
        return self

    def __exit__(self, *exc):
        self.app.stop()
        return False

    def wait(self, pattern, timeout=15.0):
        return self.app.wait_for_line(r"^kiosk-screen " + pattern, timeout=timeout, start=0)

    def wait_after(self, mark, pattern, timeout=15.0):
        return self.app.wait_for_line(r"^kiosk-screen " + pattern, timeout=timeout, start=mark)

    def click_item(self, item):
        """Clicks a reported widget's centre. `xdotool mousemove --sync` never returns
        when the pointer is already there (a double letter), so a repeat is nudged."""
        x, y, w, h = self.app.item(item)
        cx, cy = x + w // 2, y + h // 2
        if self.last_click == (cx, cy):
            cx += 3
        self.last_click = (cx, cy)
        self.clicks += 1
        self.app.click(cx, cy)

    def tap(self, item, expect, timeout=15.0):
        """Clicks a reported widget and waits until the screen shows `expect`."""
        mark = self.app.mark()
        self.click_item(item)
        return self.wait_after(mark, expect, timeout)

    def shot(self, label):
        time.sleep(0.15)  # let the frame after the last state line reach the X server
        path = os.path.join(self.args.artifacts, "%s_%s.png" % (self.name, label))
        self.app.screenshot(path)
        w, h = png_size(path)
        check((w, h) == (self.display.width, self.display.height), "%s is %dx%d" % (path, w, h))
        self.shots.append(path)
        return path

    # Characters on the letters layer of the compact and narrow keyboards (the full
    # one has every key at once); anything else is one "123" tap away.
    _LETTERS = set("abcdefghijklmnopqrstuvwxyz\u00f1 ")
    _COMPACT_BOTH = set(",.")

    def last_screen(self):
        for line in reversed(list(self.app.lines)):
            if line.startswith("kiosk-screen "):
                return line
        return ""

    def type_on_keyboard(self, text, screen, field):
        """Types `text` key by key on the on-screen keyboard, whichever layout the kiosk
        chose (kb=full|compact|narrow in its screen line); waits for each key."""
        typed = 0
        state = self.last_screen()
        shift = ":shift:" in state  # the keyboard capitalises the first letter of an empty field
        for ch in text:
            state = self.last_screen()
            kind = "full"
            for part in state.split():
                if part.startswith("kb="):
                    kind = part[3:]
            sym = ":sym" in state
            if kind != "full" and ch.lower() not in self._LETTERS and not (
                    kind == "compact" and ch in self._COMPACT_BOTH):
                need_sym = True
            else:
                need_sym = False if ch.lower() in self._LETTERS else sym
            if need_sym != sym:
                self.tap("kb/layer", r"%s .*field=%s:%d:\w+:%s" % (screen, field, typed,
                                                                    "sym" if need_sym else "abc"))
            if ch.isalpha() and ch.isupper() != shift:
                shift = not shift
                self.tap("kb/shift", r"%s .*field=%s:%d:%s:" % (screen, field, typed,
                                                               "shift" if shift else "lower"))
            key = "space" if ch == " " else ch.lower()
            typed += len(ch.encode("utf-8"))
            self.tap("kb/" + key, r"%s .*field=%s:%d:lower:" % (screen, field, typed))
            shift = False

    def items(self):
        """Every (name, x, y, w, h) the kiosk reported."""
        out = []
        for line in list(self.app.lines):
            parts = line.split()
            if len(parts) == 6 and parts[0] == "ui-item":
                out.append((parts[1],) + tuple(int(p) for p in parts[2:]))
        return out


