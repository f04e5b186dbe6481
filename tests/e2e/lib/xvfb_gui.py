"""Helpers for end-to-end GUI tests under Xvfb: a virtual X screen, the app under test in
a real window, real pointer/keyboard events through xdotool, screenshots through
ImageMagick's `import`, and CPU/frame measurements from /proc.

Standard library only (python3 on Debian 12). Everything started here is killed again,
even when the test fails or the test runner itself is killed: children get
PR_SET_PDEATHSIG, and `with` blocks stop them on any exception. Every wait is bounded.

Example:

    import sys; sys.path.insert(0, "<repo>/tests/e2e/lib")
    from xvfb_gui import XvfbDisplay, GuiApp

    with XvfbDisplay(1920, 1080) as display, \\
         GuiApp(["build/kiosk/feedback-kiosk", "--dpi", "96"], display) as app:
        app.wait_for_line(r"^ready")            # stdout line printed after the first frame
        app.click_item("nps/9")                 # rect reported by FEEDBACK_UI_PROBE=1
        app.wait_for_line(r"^nps 9$")
        app.screenshot("build/artifacts/kiosk_nps.png")

Apps built on feedback::ui report widget rectangles as "ui-item NAME X Y W H" lines when
FEEDBACK_UI_PROBE=1 (GuiApp sets it), in window pixels; click_item clicks their centre.
"""

import ctypes
import os
import re
import select
import shutil
import signal
import subprocess
import threading
import time

PR_SET_PDEATHSIG = 1
_ITEM_RE = re.compile(r"^ui-item (\S+) (-?\d+) (-?\d+) (\d+) (\d+)$")


class GuiTestError(AssertionError):
    """A GUI test step failed or timed out; the message says which and shows context."""


def _die_with_parent():
    # Runs in the child between fork and exec: if the test runner dies (e.g. CTest's
    # timeout kills it), the kernel kills this child too, so no Xvfb or app is left over.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def require_tools(*names):
    """Fails with the Debian package to install when a tool is missing."""
    packages = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick",
                "convert": "imagemagick"}
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        raise GuiTestError("missing tools: %s; install: apt-get install %s" % (
            ", ".join(missing), " ".join(sorted({packages.get(n, n) for n in missing}))))


def _stop_process(proc, timeout=5.0):
    """SIGTERM, wait up to `timeout`, then SIGKILL. Returns the exit code."""
    if proc is None:
        return None
    if proc.poll() is None:
        try:
            proc.terminate()
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    return proc.returncode


class XvfbDisplay:
    """A private Xvfb server on a free display number (Xvfb picks it: -displayfd).

    width x height x depth is the screen; dpi is what the X server reports (SDL reads it
    when an app does not get --dpi).
    """

    def __init__(self, width=1920, height=1080, depth=24, dpi=96, timeout=15.0):
        self.width, self.height, self.depth, self.dpi = width, height, depth, dpi
        self.timeout = timeout
        self.proc = None
        self.number = None

    @property
    def name(self):
        return ":%d" % self.number

    def env(self, extra=None):
        env = dict(os.environ)
        env["DISPLAY"] = self.name
        env.pop("WAYLAND_DISPLAY", None)
        env.update(extra or {})
        return env

    def start(self):
        require_tools("Xvfb")
        read_fd, write_fd = os.pipe()
        try:
            self.proc = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_fd), "-screen", "0",
                 "%dx%dx%d" % (self.width, self.height, self.depth), "-dpi", str(self.dpi),
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                preexec_fn=_die_with_parent)
            os.close(write_fd)
            write_fd = None
            # Xvfb writes the display number once it accepts connections: that is "ready".
            data = b""
            deadline = time.monotonic() + self.timeout
            while not data.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    err = self.proc.stderr.read().decode(errors="replace") if self.proc.poll() is not None else ""
                    raise GuiTestError("Xvfb did not become ready within %.0f s %s" % (self.timeout, err))
                ready, _, _ = select.select([read_fd], [], [], left)
                if ready:
                    chunk = os.read(read_fd, 64)
                    if not chunk:
                        break
                    data += chunk
            self.number = int(data.strip())
        except BaseException:
            self.stop()
            raise
        finally:
            if write_fd is not None:
                os.close(write_fd)
            os.close(read_fd)
        return self

    def stop(self):
        _stop_process(self.proc)
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def run_tool(self, argv, timeout=10.0):
        """Runs an X client (xdotool, import...) on this display; raises on failure/timeout."""
        try:
            res = subprocess.run(argv, env=self.env(), capture_output=True, timeout=timeout,
                                 preexec_fn=_die_with_parent)
        except subprocess.TimeoutExpired:
            raise GuiTestError("%s timed out after %.0f s" % (" ".join(argv), timeout))
        if res.returncode != 0:
            raise GuiTestError("%s failed (%d): %s" % (" ".join(argv), res.returncode,
                                                       res.stderr.decode(errors="replace")))
        return res.stdout.decode(errors="replace")

    def screenshot(self, path, timeout=20.0):
        """The whole X screen as an image file (format from the extension)."""
        require_tools("import")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.run_tool(["import", "-display", self.name, "-window", "root", path], timeout=timeout)
        return path


class GuiApp:
    """The program under test, in a window on `display`, its stdout collected line by line."""

    def __init__(self, argv, display, env=None, probe=True, cwd=None):
        self.argv = list(argv)
        self.display = display
        self.extra_env = dict(env or {})
        if probe:
            self.extra_env.setdefault("FEEDBACK_UI_PROBE", "1")
        self.cwd = cwd
        self.proc = None
        self.lines = []
        self.stderr_lines = []
        self._cond = threading.Condition()
        self._threads = []
        self.window = None

    # --- lifecycle -------------------------------------------------------------------
    def start(self):
        self.proc = subprocess.Popen(self.argv, env=self.display.env(self.extra_env), cwd=self.cwd,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
        for stream, sink in ((self.proc.stdout, self.lines), (self.proc.stderr, self.stderr_lines)):
            t = threading.Thread(target=self._pump, args=(stream, sink), daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def _pump(self, stream, sink):
        for raw in iter(stream.readline, b""):
            with self._cond:
                sink.append(raw.decode("utf-8", errors="replace").rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def stop(self, timeout=5.0):
        """SIGTERM (the shell turns it into a clean quit), then SIGKILL. Returns the exit code."""
        code = _stop_process(self.proc, timeout)
        for t in self._threads:
            t.join(timeout=2.0)
        return code

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    # --- output ----------------------------------------------------------------------
    def _context(self):
        return "\n--- stdout (last 20) ---\n%s\n--- stderr (last 20) ---\n%s" % (
            "\n".join(self.lines[-20:]), "\n".join(self.stderr_lines[-20:]))

    def wait_for_line(self, pattern, timeout=10.0, start=0):
        """The first stdout line at index >= start matching regex `pattern` (a re.Match)."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines[start:]:
                    m = rx.search(line)
                    if m:
                        return m
                start = max(start, len(self.lines))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise GuiTestError("no stdout line matching %r within %.0f s%s" % (
                        pattern, timeout, self._context()))
                if not self.alive() and all(not t.is_alive() for t in self._threads):
                    raise GuiTestError("app exited (%s) before printing %r%s" % (
                        self.proc.returncode, pattern, self._context()))
                self._cond.wait(min(left, 0.2))

    def mark(self):
        """Index of the next stdout line, for wait_for_line(start=...) after an action."""
        with self._cond:
            return len(self.lines)

    def item(self, name, timeout=10.0):
        """(x, y, w, h) of a probed widget, in window pixels (the latest report wins)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                for line in reversed(self.lines):
                    m = _ITEM_RE.match(line)
                    if m and m.group(1) == name:
                        return tuple(int(g) for g in m.groups()[1:])
            if time.monotonic() > deadline:
                raise GuiTestError("widget %r was never reported (is FEEDBACK_UI_PROBE=1 "
                                   "set and the widget on screen?)%s" % (name, self._context()))
            with self._cond:
                self._cond.wait(0.1)  # woken by the next stdout line

    # --- window and input ------------------------------------------------------------
    def wait_for_window(self, timeout=15.0):
        """The X window id of the app's visible window (xdotool search --sync --pid)."""
        out = self.display.run_tool(["xdotool", "search", "--sync", "--onlyvisible", "--pid",
                                     str(self.pid)], timeout=timeout)
        ids = [w for w in out.split() if w.strip()]
        if not ids:
            raise GuiTestError("no window for pid %d%s" % (self.pid, self._context()))
        self.window = ids[0]
        return self.window

    def _window(self):
        return self.window or self.wait_for_window()

    def click(self, x, y, button=1):
        """A real pointer click at (x, y) in window pixels."""
        self.display.run_tool(["xdotool", "mousemove", "--window", self._window(), "--sync",
                               str(int(x)), str(int(y)), "click", str(button)])

    def click_item(self, name, timeout=10.0):
        x, y, w, h = self.item(name, timeout)
        self.click(x + w // 2, y + h // 2)

    def key(self, *keys):
        """xdotool key names, e.g. key("Tab"), key("ctrl+a"), key("Return")."""
        self.display.run_tool(["xdotool", "key", "--window", self._window(), "--clearmodifiers"]
                              + list(keys))

    def type_text(self, text, delay_ms=20):
        self.display.run_tool(["xdotool", "type", "--window", self._window(), "--delay",
                               str(delay_ms), text], timeout=10.0 + len(text) * delay_ms / 1000.0)

    def screenshot(self, path):
        return self.display.screenshot(path)

    # --- measurements ----------------------------------------------------------------
    def cpu_seconds(self):
        """User + system CPU time the app has used so far (from /proc/PID/stat)."""
        with open("/proc/%d/stat" % self.pid) as f:
            stat = f.read()
        fields = stat[stat.rindex(")") + 2:].split()  # the command name may contain spaces
        utime, stime = int(fields[11]), int(fields[12])
        return (utime + stime) / os.sysconf("SC_CLK_TCK")

    def measure_idle(self, seconds, frame_pattern=r"^frame \d+"):
        """CPU share (0..1) and frames drawn over `seconds` of doing nothing. Frames are
        counted from stdout lines matching `frame_pattern` (ui_demo --log-frames)."""
        rx = re.compile(frame_pattern)
        start_line = self.mark()
        cpu0, t0 = self.cpu_seconds(), time.monotonic()
        time.sleep(seconds)
        cpu1, t1 = self.cpu_seconds(), time.monotonic()
        with self._cond:
            frames = sum(1 for line in self.lines[start_line:] if rx.search(line))
        return (cpu1 - cpu0) / (t1 - t0), frames


def png_size(path):
    """(width, height) of a PNG file, read from its header."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise GuiTestError("%s is not a PNG file" % path)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
