#!/usr/bin/env python3
"""The package test (issue 8): the .debs install, run and uninstall as an operator expects.

Runs on this machine as root (CI machines are disposable) and installs into the real /usr,
so CTest runs it alone (RUN_SERIAL). Only with CI=true or FEEDBACK_PACKAGE_TEST=1, and as
root; otherwise skipped (exit 77). It refuses to start when feedback packages or
/var/lib/feedback already exist (it would purge them), and it purges what it installed
on every exit path (the `feedback` system user stays, as Debian policy wants).

 1. Build the packages from this build tree (installers/build-packages.sh --reuse-build)
    and check their control data: names, Depends (shlibdeps libraries + explicit ones),
    maintainer scripts, conffiles, files.
 2. Install them with apt-get. Check the `feedback` system user, /etc/feedback (root,
    readable), /var/lib/feedback (feedback:feedback, 0750 or stricter), the units.
 3. systemd-analyze verify on every unit; the services' offline security exposure.
 4. Central store as docs/deploy.md says: `feedback-central init` (as feedback), survey
    publish, enrollment token; then `serve` exactly as feedback-central.service starts it
    (ExecStart + EnvironmentFile of the installed unit, as user feedback, UMask 0077,
    no new privileges, empty capability bounding set) on 127.0.0.1 and a free port, HTTPS.
 5. Device: `feedback-sync enroll` over HTTPS with the pinned certificate, then the
    daemon exactly as feedback-sync.service starts it.
 6. Capture: the installed feedback-kiosk, started with feedback-kiosk.service's
    arguments (cage replaced by an Xvfb screen), as user feedback; a real pointer taps
    "start" and NPS 9, then the customer walks away: the idle timeout saves the record.
 7. The record reaches the central store: `feedback-central devices --json` counts it and
    the central DB holds NPS 9 for that record id; `feedback-sync status` is healthy.
    Then, with docs/deploy.md's commands: an online sqlite3 .backup + keys, the store
    lost and restored (the device syncs again, the record is there); the TLS certificate
    rotated (the device refuses it until re-pinned with the documented sed line, then
    syncs; new tokens carry the new pin). Modes of every key and database are checked.
 8. The installed agent app starts through its desktop launcher (test device, Xvfb).
 9. apt-get remove: binaries gone; data, keys and configuration stay, modes unchanged.
10. Reinstall (what an upgrade does): the same store and device are used, nothing lost.
11. apt-get purge: data, configuration and units are gone.
"""

import argparse
import glob
import hashlib
import http.client
import json
import os
import pwd
import grp
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import ssl
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e", "lib"))
from xvfb_gui import GuiApp, XvfbDisplay  # noqa: E402

PACKAGES = ["feedback-common", "feedback-central", "feedback-sync", "feedback-kiosk",
            "feedback-agent"]
DATA = "/var/lib/feedback"
CENTRAL_DIR = DATA + "/central"
DEVICE_DIR = DATA + "/device"
UNIT_DIR = "/usr/lib/systemd/system"
ASSETS = "/usr/share/feedback/assets"
SITE = "store-1"
SKIP = 77
# The NPS answer of one stored record, from its public JSON (the central store keeps the
# answers there, no per-answer table).
NPS_OF_RECORD = ("SELECT json_extract(a.value, '$.n') FROM records r, "
                 "json_each(r.public_json, '$.answers') a "
                 "WHERE r.record_id = ? AND json_extract(a.value, '$.q') = 'nps'")


class TestFailure(AssertionError):
    pass


def log(msg):
    print("[package-test %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def run(argv, timeout=120, env=None, check_rc=True, umask=None, cwd=None, binary=False):
    """Runs a command to completion; raises with its output when it fails or hangs."""
    log("$ %s%s%s" % ("(cd %s) " % cwd if cwd else "", "(umask %03o) " % umask if umask is not None else "",
                      " ".join(shlex.quote(a) for a in argv)))
    try:
        res = subprocess.run(argv, capture_output=True, text=not binary, timeout=timeout, env=env,
                             cwd=cwd, stdin=subprocess.DEVNULL,
                             preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)
    except subprocess.TimeoutExpired:
        raise TestFailure("%s: no answer within %d s" % (argv[0], timeout))
    if check_rc and res.returncode != 0:
        raise TestFailure("%s exited %d\n--- stdout ---\n%s\n--- stderr ---\n%s" % (
            " ".join(argv), res.returncode, res.stdout[-4000:], res.stderr[-4000:]))
    return res


def as_operator(argv):
    """How docs/deploy.md tells the operator to run the CLI: as the feedback user (with
    `umask 077` in the operator's shell: runuser keeps it; see operator())."""
    return ["runuser", "-u", "feedback", "--"] + argv


def operator(argv, **kw):
    """docs/deploy.md: `umask 077` first, then runuser -u feedback -- COMMAND."""
    return run(as_operator(argv), umask=0o077, **kw)


def mode_of(path):
    st = os.lstat(path)
    return stat.S_IMODE(st.st_mode), pwd.getpwuid(st.st_uid).pw_name, grp.getgrgid(st.st_gid).gr_name


def expect_mode(path, owner, group, max_mode=None, exact=None):
    mode, o, g = mode_of(path)
    check(o == owner and g == group, "%s is owned by %s:%s, expected %s:%s" % (path, o, g, owner, group))
    if exact is not None:
        check(mode == exact, "%s has mode %04o, expected %04o" % (path, mode, exact))
    if max_mode is not None:
        check(mode & ~max_mode == 0, "%s has mode %04o, more than %04o allows" % (path, mode, max_mode))
    log("ok %s %s:%s %04o" % (path, o, g, mode))


def dpkg_status(package):
    res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return res.stdout.strip() if res.returncode == 0 else ""


def installed_feedback_packages():
    res = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Status}\n", "feedback-*"],
                         capture_output=True, text=True)
    out = []
    for line in res.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[-1] != "not-installed":
            out.append(parts[0])
    return out


# --- what the units say -----------------------------------------------------------------
def read_env_file(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            name, value = line.split("=", 1)
            words = shlex.split(value) if value else []
            env[name.strip()] = " ".join(words)
    return env


def unit_setting(unit_path, key):
    values = []
    with open(unit_path) as f:
        for line in f:
            if line.startswith(key + "="):
                values.append(line[len(key) + 1:].strip())
    return values


def exec_start_argv(unit_path, overrides):
    """ExecStart= of an installed unit, expanded the way systemd does: the unit's
    EnvironmentFile, then `overrides` (what `systemctl edit` or the conffile would set);
    ${NAME} is one word, a lone $NAME splits on whitespace."""
    env = {}
    for env_file in unit_setting(unit_path, "EnvironmentFile"):
        env.update(read_env_file(env_file.lstrip("-")))
    env.update(overrides)
    (line,) = unit_setting(unit_path, "ExecStart")
    argv = []
    for word in shlex.split(line):
        m = re.fullmatch(r"\$(\w+)", word)
        if m:
            argv += env.get(m.group(1), "").split()
        else:
            argv.append(re.sub(r"\$\{(\w+)\}", lambda g: env.get(g.group(1), ""), word))
    return argv


def unit_user_prefix(unit_path):
    """Runs a command the way the unit's [Service] section sets up the process: its
    User/Group with their supplementary groups, NoNewPrivileges, an empty capability
    bounding set (CapabilityBoundingSet=), UMask (applied in preexec)."""
    (user,) = unit_setting(unit_path, "User")
    check(user == "feedback", "%s runs as %s, expected feedback" % (unit_path, user))
    check(unit_setting(unit_path, "NoNewPrivileges") == ["yes"], "%s: NoNewPrivileges=yes missing" % unit_path)
    check(unit_setting(unit_path, "CapabilityBoundingSet") == [""],
          "%s: CapabilityBoundingSet= (empty) missing" % unit_path)
    return ["setpriv", "--reuid", user, "--regid", user, "--init-groups", "--no-new-privs",
            "--bounding-set", "-all", "--inh-caps", "-all", "--"]


def unit_env():
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": DATA, "USER": "feedback",
            "LOGNAME": "feedback", "LANG": "C.UTF-8"}


def unit_umask(unit_path):
    (umask,) = unit_setting(unit_path, "UMask")
    value = int(umask, 8)
    return lambda: os.umask(value)


class Service:
    """A long-running process started as its unit would start it; stdout/stderr kept."""

    def __init__(self, name, argv, env, preexec):
        self.name = name
        log("start %s: %s" % (name, " ".join(shlex.quote(a) for a in argv)))
        self.proc = subprocess.Popen(argv, env=env, cwd="/", stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     preexec_fn=preexec)
        self.out, self.err = [], []
        self._cond = threading.Condition()
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._pump, args=(stream, sink), daemon=True).start()

    def _pump(self, stream, sink):
        for line in iter(stream.readline, ""):
            with self._cond:
                sink.append(line.rstrip("\n"))
                self._cond.notify_all()

    def context(self):
        return "\n--- %s stdout ---\n%s\n--- %s stderr (last 30) ---\n%s" % (
            self.name, "\n".join(self.out[-30:]), self.name, "\n".join(self.err[-30:]))

    def wait_output(self, pattern, timeout):
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.out + self.err:  # spdlog may log to either
                    m = rx.search(line)
                    if m:
                        return m
                if self.proc.poll() is not None:
                    raise TestFailure("%s exited %s before printing %r%s" % (
                        self.name, self.proc.returncode, pattern, self.context()))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TestFailure("%s printed no %r within %d s%s" % (
                        self.name, pattern, timeout, self.context()))
                self._cond.wait(min(left, 0.2))

    def stop(self, timeout):
        """SIGTERM, as systemctl stop sends; returns the exit code (SIGKILL after timeout)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                raise TestFailure("%s did not stop within %d s of SIGTERM%s" % (
                    self.name, timeout, self.context()))
        return self.proc.returncode


def wait_until(what, fn, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise TestFailure("%s: not within %d s (last: %r)" % (what, timeout, last))


# --- steps --------------------------------------------------------------------------------
def build_packages(args, out_dir):
    run([os.path.join(args.source_dir, "installers", "build-packages.sh"), "--build-dir",
         args.build_dir, "--output", out_dir, "--reuse-build", "--jobs", "2"], timeout=240)
    debs = {}
    for path in glob.glob(os.path.join(out_dir, "feedback-*.deb")):
        name = run(["dpkg-deb", "-f", path, "Package"]).stdout.strip()
        debs[name] = path
    check(sorted(debs) == sorted(PACKAGES), "packages made: %s, expected %s" % (sorted(debs), PACKAGES))
    return debs


def check_control(debs):
    def field(pkg, name):
        return run(["dpkg-deb", "-f", debs[pkg], name], check_rc=False).stdout.strip()

    def files(pkg):
        return {line.split()[-1].lstrip(".") for line in
                run(["dpkg-deb", "-c", debs[pkg]]).stdout.splitlines()}

    check(field("feedback-common", "Architecture") == "all", "feedback-common must be Architecture: all")
    needs = {
        "feedback-central": ["feedback-common (= ", "libc6", "libssl3", "libsqlite3-0"],
        "feedback-sync": ["feedback-common (= ", "libc6", "libcurl4", "libssl3", "libsqlite3-0"],
        "feedback-kiosk": ["feedback-common (= ", "feedback-sync (= ", "libsdl2-2.0-0", "libsqlite3-0",
                           "fonts-dejavu-core"],
        "feedback-agent": ["feedback-common (= ", "feedback-sync (= ", "libsdl2-2.0-0", "fonts-dejavu-core"],
        "feedback-common": ["adduser"],
    }
    for pkg, deps in needs.items():
        depends = field(pkg, "Depends")
        for dep in deps:
            check(dep in depends, "%s Depends lacks %s: %s" % (pkg, dep, depends))
        log("ok %s Depends: %s" % (pkg, depends))
    expected_files = {
        "feedback-central": ["/usr/bin/feedback-central", UNIT_DIR + "/feedback-central.service",
                             "/etc/feedback/central.conf"],
        "feedback-sync": ["/usr/bin/feedback-sync", UNIT_DIR + "/feedback-sync.service",
                          "/etc/feedback/sync.conf"],
        "feedback-kiosk": ["/usr/bin/feedback-kiosk", UNIT_DIR + "/feedback-kiosk.service",
                           "/etc/feedback/kiosk.conf"],
        "feedback-agent": ["/usr/bin/feedback-agent", "/usr/lib/systemd/user/feedback-agent-sync.service",
                           "/usr/libexec/feedback/feedback-agent-launch",
                           "/usr/share/applications/feedback-agent.desktop"],
        "feedback-common": [ASSETS + "/surveys/retail_kiosk.json", ASSETS + "/surveys/call_log.json",
                            ASSETS + "/branding/theme.json", "/usr/share/doc/feedback-common/deploy.md"],
    }
    for pkg, paths in expected_files.items():
        have = files(pkg)
        for p in paths:
            check(p in have, "%s does not ship %s" % (pkg, p))
        check(not any(p.startswith(DATA) for p in have), "%s ships files in %s" % (pkg, DATA))
    with tempfile.TemporaryDirectory() as tmp:
        for pkg in PACKAGES:
            ctrl = os.path.join(tmp, pkg)
            run(["dpkg-deb", "-e", debs[pkg], ctrl])
            scripts = ["postinst", "postrm"] + ([] if pkg == "feedback-common" else ["prerm"])
            for s in scripts:
                path = os.path.join(ctrl, s)
                check(os.path.exists(path), "%s has no %s" % (pkg, s))
                check(os.stat(path).st_mode & 0o111, "%s %s is not executable" % (pkg, s))
                run(["sh", "-n", path])
            conf = "/etc/feedback/%s.conf" % pkg.split("-")[1]
            if pkg in ("feedback-central", "feedback-sync", "feedback-kiosk"):
                with open(os.path.join(ctrl, "conffiles")) as f:
                    check(conf in f.read().split(), "%s: %s is not a conffile" % (pkg, conf))
    log("ok control data, files and maintainer scripts of %d packages" % len(debs))


def apt_install(paths):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends"] + sorted(paths), timeout=240, env=env)


def apt(action, env_extra=None):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", action, "-y", "-q"] + PACKAGES, timeout=180, env=env)


def check_installed_layout():
    for pkg in PACKAGES:
        check(dpkg_status(pkg) == "install ok installed", "%s: dpkg status %r" % (pkg, dpkg_status(pkg)))
    user = pwd.getpwnam("feedback")
    check(user.pw_uid < 1000, "feedback is not a system user (uid %d)" % user.pw_uid)
    check(user.pw_shell in ("/usr/sbin/nologin", "/bin/false"), "feedback has a login shell: " + user.pw_shell)
    check(user.pw_dir == DATA, "feedback's home is %s" % user.pw_dir)
    check(grp.getgrgid(user.pw_gid).gr_name == "feedback", "feedback's primary group is not feedback")
    expect_mode(DATA, "feedback", "feedback", max_mode=0o750)
    expect_mode("/etc/feedback", "root", "root", exact=0o755)
    for conf in ("central", "sync", "kiosk"):
        expect_mode("/etc/feedback/%s.conf" % conf, "root", "root", exact=0o644)
    for exe in ("feedback-central", "feedback-sync", "feedback-kiosk", "feedback-agent"):
        expect_mode("/usr/bin/" + exe, "root", "root", exact=0o755)
        run(["/usr/bin/" + exe, "--help"], timeout=20)  # every shared library resolves
    for unit in ("feedback-central", "feedback-sync"):
        check(os.path.islink("/etc/systemd/system/multi-user.target.wants/%s.service" % unit),
              "%s.service was not enabled on installation" % unit)
    check(not os.path.exists("/etc/systemd/system/multi-user.target.wants/feedback-kiosk.service"),
          "feedback-kiosk.service must not be enabled by installation (it takes over tty1)")


def verify_units(tmp):
    if not shutil.which("systemd-analyze"):
        log("systemd-analyze is not installed: units not verified")
        return
    for unit in ("feedback-central", "feedback-sync"):
        run(["systemd-analyze", "verify", "%s/%s.service" % (UNIT_DIR, unit)], timeout=60)
        res = run(["systemd-analyze", "security", "--offline=true", "--threshold=20",
                   "%s/%s.service" % (UNIT_DIR, unit)], timeout=60)
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", res.stdout)
        check(m and float(m.group(1)) <= 2.0,
              "%s.service is not hardened enough: %s" % (unit, m.group(0) if m else res.stdout[-500:]))
        log("ok %s.service verified; exposure %s" % (unit, m.group(1)))
    kiosk = "%s/feedback-kiosk.service" % UNIT_DIR
    if not os.access("/usr/bin/cage", os.X_OK):
        # verify also checks that ExecStart's program exists; cage is only Recommended.
        copy = os.path.join(tmp, "feedback-kiosk.service")
        with open(kiosk) as src, open(copy, "w") as dst:
            dst.write(src.read().replace("/usr/bin/cage ", "/usr/bin/feedback-kiosk "))
        kiosk = copy
        log("cage is not installed: verifying the kiosk unit with its ExecStart program swapped")
    run(["systemd-analyze", "verify", kiosk], timeout=60)
    runtime = os.path.join(tmp, "xdg-runtime")
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    run(["systemd-analyze", "--user", "verify", "/usr/lib/systemd/user/feedback-agent-sync.service"],
        timeout=60, env=dict(os.environ, XDG_RUNTIME_DIR=runtime))
    log("ok unit files verified")


def central_sql(query, params=()):
    db = sqlite3.connect("file:%s/central.db?mode=ro" % CENTRAL_DIR, uri=True, timeout=10)
    try:
        return db.execute(query, params).fetchall()
    finally:
        db.close()


def devices_json():
    res = operator(["feedback-central", "devices", "--data-dir", CENTRAL_DIR, "--json"], timeout=30)
    return json.loads(res.stdout)


def https_get_pinned(url, path, pin):
    """GET over HTTPS, trusting exactly the pinned certificate, as the devices do."""
    u = urllib.parse.urlsplit(url)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # replaced by the pin check below
    conn = http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=15)
    try:
        conn.connect()
        der = conn.sock.getpeercert(binary_form=True)
        check(hashlib.sha256(der).hexdigest() == pin, "the server's certificate does not match the pin")
        conn.request("GET", path)
        res = conn.getresponse()
        return res.status, res.read()
    finally:
        conn.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_central(port):
    """feedback-central serve exactly as its unit starts it, but on 127.0.0.1:port."""
    unit = UNIT_DIR + "/feedback-central.service"
    # The conffile says 0.0.0.0:8443; the test listens on loopback.
    argv = exec_start_argv(unit, {"FEEDBACK_CENTRAL_LISTEN": "127.0.0.1:%d" % port})
    check(argv[:2] == ["/usr/bin/feedback-central", "serve"] and "--insecure-http-loopback" not in argv,
          "unexpected central ExecStart: %s" % argv)
    central = Service("feedback-central", unit_user_prefix(unit) + argv, unit_env(), unit_umask(unit))
    url = central.wait_output(r"listening on (https://\S+)", timeout=30).group(1)
    return central, url


def sync_once():
    """One `feedback-sync run --once` as feedback-sync.service would run the daemon."""
    unit = UNIT_DIR + "/feedback-sync.service"
    argv = exec_start_argv(unit, {"FEEDBACK_SYNC_OPTS": "--once --connect-timeout 5s"})
    log("$ " + " ".join(argv))
    res = subprocess.run(unit_user_prefix(unit) + argv, env=unit_env(), cwd="/", capture_output=True,
                         text=True, timeout=60, preexec_fn=unit_umask(unit), stdin=subprocess.DEVNULL)
    return res


def backup_and_restore(tmp, port):
    """docs/deploy.md "Back up and restore", with cp instead of tar+gpg."""
    backup = os.path.join(tmp, "backup")
    run(["install", "-d", "-o", "feedback", "-g", "feedback", "-m", "0700", backup])
    # Online, while the server runs.
    operator(["sqlite3", CENTRAL_DIR + "/central.db", ".backup '%s/central.db'" % backup])
    res = operator(["sqlite3", backup + "/central.db", "PRAGMA integrity_check"])
    check(res.stdout.strip() == "ok", "backup integrity_check: %r" % res.stdout)
    run(["cp", "-p", CENTRAL_DIR + "/hpke.key", CENTRAL_DIR + "/tls.key", CENTRAL_DIR + "/tls.crt", backup])
    return backup


def restore(backup):
    aside = CENTRAL_DIR + ".before-restore"
    run(["mv", CENTRAL_DIR, aside])
    run(["install", "-d", "-o", "feedback", "-g", "feedback", "-m", "0700", CENTRAL_DIR])
    run(["cp", "-p"] + sorted(glob.glob(backup + "/*")) + [CENTRAL_DIR])
    run(["chown", "feedback:feedback"] + sorted(glob.glob(CENTRAL_DIR + "/*")))
    run(["chmod", "0600", CENTRAL_DIR + "/central.db"] + sorted(glob.glob(CENTRAL_DIR + "/*.key")))
    res = operator(["sqlite3", CENTRAL_DIR + "/central.db", "PRAGMA integrity_check"])
    check(res.stdout.strip() == "ok", "restored integrity_check: %r" % res.stdout)
    return aside


def rotate_certificate():
    """docs/deploy.md "Rotate the TLS certificate", steps 1-2; returns the new pin."""
    names = ["-keyout", "tls.key.new", "-out", "tls.crt.new"]
    run(as_operator(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-days", "3650", "-subj", "/O=feedback-central/CN=central.example.com",
                     "-addext", "subjectAltName=DNS:central.example.com,DNS:localhost,IP:127.0.0.1"]
                    + names), umask=0o077, cwd=CENTRAL_DIR)
    der = run(["openssl", "x509", "-in", CENTRAL_DIR + "/tls.crt.new", "-outform", "DER"],
              binary=True).stdout
    new_pin = hashlib.sha256(der).hexdigest()
    for f in ("tls.key", "tls.crt"):
        operator(["cp", "-p", f, f + ".old"], cwd=CENTRAL_DIR)
    for f in ("tls.key", "tls.crt"):
        operator(["mv", f + ".new", f], cwd=CENTRAL_DIR)
    return new_pin


def repin_device(new_pin):
    """docs/deploy.md "Rotate the TLS certificate", step 3 (the sed line, verbatim)."""
    operator(["sed", "-i", "-E", 's/("central_cert_sha256": *")[0-9a-f]{64}"/\\1%s"/' % new_pin,
              DEVICE_DIR + "/device.json"])
    with open(DEVICE_DIR + "/device.json") as f:
        check(json.load(f)["central_cert_sha256"] == new_pin, "device.json was not re-pinned")


def check_data_modes():
    """Every file under /var/lib/feedback belongs to feedback and is not for others;
    keys and databases are 0600 in 0700 folders."""
    for dirpath, dirnames, filenames in os.walk(DATA):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            mode, owner, group = mode_of(path)
            check(owner == "feedback" and group == "feedback", "%s is owned by %s:%s" % (path, owner, group))
            # Public by design, inside 0700 folders: the certificate and device.json (which
            # the code writes 0644: it names files and the central store, no secrets).
            if path not in (CENTRAL_DIR + "/tls.crt", DEVICE_DIR + "/device.json"):
                check(mode & 0o007 == 0, "%s is accessible to other users (%04o)" % (path, mode))
    expect_mode(CENTRAL_DIR, "feedback", "feedback", exact=0o700)
    for f in ("central.db", "hpke.key", "tls.key"):
        expect_mode(os.path.join(CENTRAL_DIR, f), "feedback", "feedback", exact=0o600)
    expect_mode(DEVICE_DIR, "feedback", "feedback", exact=0o700)
    expect_mode(os.path.join(DEVICE_DIR, "device.key"), "feedback", "feedback", exact=0o600)
    expect_mode(os.path.join(DEVICE_DIR, "capture.db"), "feedback", "feedback", max_mode=0o600)


def kiosk_capture(args):
    """The installed kiosk, as feedback-kiosk.service starts it minus cage, on Xvfb; a
    customer taps start and NPS 9, then walks away. Returns the captured record id."""
    unit = UNIT_DIR + "/feedback-kiosk.service"
    argv = exec_start_argv(unit, {})
    check(argv[0] == "/usr/bin/cage" and "--" in argv, "kiosk unit does not start cage: %s" % argv)
    kiosk_argv = argv[argv.index("--") + 1:]
    check(kiosk_argv[0] == "/usr/bin/feedback-kiosk", "cage does not run the kiosk: %s" % kiosk_argv)
    check("--fullscreen" in kiosk_argv, "the kiosk unit does not ask for full screen")
    # The test's own additions: no GPU under Xvfb, widget positions on stdout, a short idle.
    kiosk_argv += ["--software-renderer", "--layout-log", "--dpi", "96", "--idle-timeout", "2"]
    env = dict(unit_env(), FEEDBACK_UI_PROBE="1")
    with XvfbDisplay(1280, 800, dpi=96) as display:
        app = GuiApp(unit_user_prefix(unit) + kiosk_argv, display, env=env, cwd="/")
        app.start()
        try:
            app.wait_for_line(r"^kiosk-screen attract", timeout=30)
            app.wait_for_window()
            os.makedirs(args.artifacts, exist_ok=True)
            if shutil.which("import"):
                display.screenshot(os.path.join(args.artifacts, "installed_kiosk_attract.png"))
            mark = app.mark()
            app.click_item("start")
            app.wait_for_line(r"^kiosk-screen question:nps", timeout=15, start=mark)
            mark = app.mark()
            app.click_item("nps/9")
            app.wait_for_line(r"^kiosk-screen question:greeting", timeout=15, start=mark)
            mark = app.mark()
            # Nobody touches the screen: the idle timeout saves the answers as abandoned.
            app.wait_for_line(r"^kiosk-screen attract", timeout=20, start=mark)
            check(app.alive(), "the kiosk exited after the idle timeout")
        finally:
            code = app.stop()
    log("kiosk stopped with %s" % code)
    db = sqlite3.connect("file:%s/capture.db?mode=ro" % DEVICE_DIR, uri=True, timeout=10)
    try:
        rows = db.execute("SELECT id, status, public_json FROM records").fetchall()
    finally:
        db.close()
    check(len(rows) == 1, "the kiosk captured %d records, expected 1" % len(rows))
    record_id, status, public_json = rows[0]
    answers = {a["q"]: a.get("n") for a in json.loads(public_json).get("answers", [])}
    check(status == "abandoned", "the walked-away survey has status %r" % status)
    check(answers == {"nps": 9}, "the kiosk stored the answers %r, expected NPS 9 only" % answers)
    log("ok kiosk captured record %s (%s): %s" % (record_id, status, public_json[:300]))
    return record_id


def agent_starts(args, tmp):
    """The installed agent app starts from its desktop launcher and draws frames."""
    launcher = "/usr/libexec/feedback/feedback-agent-launch"
    home = os.path.join(tmp, "rep-home")
    os.makedirs(home)
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8"}
    res = run([launcher], env=env, check_rc=False, timeout=20)
    check(res.returncode == 1 and "not enrolled" in res.stderr,
          "launcher without an enrolled account: %d %s" % (res.returncode, res.stderr))
    device = os.path.join(home, ".local", "share", "feedback", "device")
    run([args.testkit, "make-device", "--dir", device, "--kind", "agent", "--site", SITE, "--team", "t1"])
    with XvfbDisplay(1024, 768, dpi=96) as display:
        app = GuiApp([launcher, "--software-renderer", "--log-frames"], display, env=env, cwd=home)
        app.start()
        try:
            app.wait_for_line(r"^frame 1\b", timeout=30)
        finally:
            app.stop()
    log("ok the installed agent app drew its first frame with %s" % ASSETS)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--testkit", required=True, help="feedback_testkit (tests/tools)")
    ap.add_argument("--artifacts", required=True)
    args = ap.parse_args()

    # It changes the machine (packages in /usr, a system user): only where that is wanted.
    if os.environ.get("CI") != "true" and os.environ.get("FEEDBACK_PACKAGE_TEST") != "1":
        print("package test skipped: it installs the packages into this machine's /usr, so it "
              "runs only in CI (CI=true) or with FEEDBACK_PACKAGE_TEST=1, as root, on a machine "
              "whose feedback packages and /var/lib/feedback may be installed and purged")
        return SKIP
    if os.geteuid() != 0:
        print("package test skipped: it installs packages with apt-get and needs root")
        return SKIP
    for tool in ("dpkg", "apt-get", "runuser", "setpriv", "Xvfb", "xdotool", "sqlite3", "openssl"):
        if not shutil.which(tool):
            raise TestFailure("%s is missing (installers/install-deps.sh installs it)" % tool)
    present = installed_feedback_packages()
    check(not present, "feedback packages are already installed here (%s); this test installs and "
          "purges them, so run it on a disposable machine or purge them first" % ", ".join(present))
    check(not os.path.exists(DATA), "%s exists; this test would purge it. Move it away first." % DATA)

    services = []
    installed = False
    tmp = tempfile.mkdtemp(prefix="feedback-package-test-")
    os.chmod(tmp, 0o755)
    started = time.monotonic()
    try:
        log("1. build the packages")
        debs = build_packages(args, os.path.join(tmp, "debs"))
        check_control(debs)

        log("2. install")
        installed = True
        apt_install(debs.values())
        check_installed_layout()

        log("3. verify the units")
        verify_units(tmp)

        log("4. central store")
        init = operator(["feedback-central", "init", "--data-dir", CENTRAL_DIR, "--site", SITE])
        pin = re.search(r"TLS certificate pin:\s+([0-9a-f]{64})", init.stdout)
        check(pin and re.search(r"admin password:\s+\S{20}", init.stdout), "init output: " + init.stdout)
        operator(["feedback-central", "survey", "publish", "--data-dir", CENTRAL_DIR,
                  ASSETS + "/surveys/retail_kiosk.json", "--all"])
        token = operator(["feedback-central", "enroll-token", "--data-dir", CENTRAL_DIR,
                          "--site", SITE, "--kind", "kiosk", "--ttl", "10m"]).stdout.strip()
        check(token.endswith("." + pin.group(1)), "the token does not carry the pin: " + token)
        port = free_port()
        central, url = start_central(port)
        services.append(central)
        code, body = https_get_pinned(url, "/healthz", pin.group(1))
        check(code == 200 and json.loads(body).get("ok") is True, "GET /healthz: %d %r" % (code, body))
        index = ASSETS + "/dashboard/index.html"
        if os.path.exists(index):  # the dashboard's static files, served from the package
            code, body = https_get_pinned(url, "/dashboard/", pin.group(1))
            with open(index, "rb") as f:
                check(code == 200 and body == f.read(), "GET /dashboard/ did not serve %s (%d)" % (index, code))
        log("ok central serves %s (pinned certificate, /healthz%s)" % (
            url, ", /dashboard/" if os.path.exists(index) else ""))

        log("5. device: enroll and start the sync daemon")
        enroll = operator(["feedback-sync", "enroll", "--server", url, "--token", token,
                           "--kind", "kiosk", "--dir", DEVICE_DIR], timeout=60)
        device_id = re.search(r"enrolled device (\S+)", enroll.stdout).group(1)
        unit = UNIT_DIR + "/feedback-sync.service"
        # An operator's `systemctl edit` could shorten the interval the same way.
        argv = exec_start_argv(unit, {"FEEDBACK_SYNC_OPTS": "--interval 1s"})
        check(argv[:1] == ["/usr/bin/feedback-sync"] and "run" in argv, "unexpected sync ExecStart: %s" % argv)
        sync = Service("feedback-sync", unit_user_prefix(unit) + argv, unit_env(), unit_umask(unit))
        services.append(sync)

        log("6. capture with the installed kiosk")
        record_id = kiosk_capture(args)

        log("7. the record reaches the central store")

        def stored():
            devs = [d for d in devices_json() if d["device_id"] == device_id]
            return devs and devs[0]["records_stored"] >= 1 and devs[0]
        dev = wait_until("the central store counts the kiosk's record", stored, timeout=60)
        check(dev["records_stored"] == 1 and dev["site_id"] == SITE and not dev["last_error"],
              "device as the central store sees it: %s" % dev)
        rows = central_sql(NPS_OF_RECORD.replace("SELECT", "SELECT r.status,", 1), (record_id,))
        check(rows == [("abandoned", 9)], "central store has %r for record %s, expected NPS 9" % (rows, record_id))
        log("ok central store: record %s, NPS 9" % record_id)
        def healthy_status():
            r = operator(["feedback-sync", "status", "--device-config", DEVICE_DIR + "/device.json",
                          "--json"], check_rc=False, timeout=30)
            st = json.loads(r.stdout) if r.returncode == 0 else {}
            return st if st.get("healthy") and st.get("backlog") == 0 and st.get("acknowledged") == 1 else None
        status = wait_until("feedback-sync status: healthy, nothing waiting", healthy_status, timeout=30)
        log("ok sync status: %s" % json.dumps(status))
        check(sync.stop(timeout=15) == 0, "feedback-sync did not exit 0 on SIGTERM" + sync.context())

        log("7b. back up online, lose the store, restore (docs/deploy.md)")
        backup = backup_and_restore(tmp, port)
        check(central.stop(timeout=30) == 0, "feedback-central did not exit 0 on SIGTERM" + central.context())
        aside = restore(backup)
        central, url = start_central(port)
        services.append(central)
        devs = devices_json()
        check([(d["device_id"], d["records_stored"]) for d in devs] == [(device_id, 1)],
              "devices after the restore: %s" % devs)
        check(central_sql(NPS_OF_RECORD, (record_id,)) == [(9,)], "the restored store lost the NPS 9 record")
        res = sync_once()
        check(res.returncode == 0, "sync after the restore: exit %d\n%s" % (res.returncode, res.stderr[-3000:]))
        run(["rm", "-rf", aside])  # "keep until verified"
        log("ok restored store serves the device, record %s NPS 9 kept" % record_id)

        log("7c. rotate the TLS certificate and re-pin the device (docs/deploy.md)")
        new_pin = rotate_certificate()
        check(new_pin != pin.group(1), "the new certificate has the old pin")
        check(central.stop(timeout=30) == 0, "feedback-central did not exit 0 on SIGTERM" + central.context())
        central, url = start_central(port)  # systemctl restart feedback-central
        services.append(central)
        code, _ = https_get_pinned(url, "/healthz", new_pin)
        check(code == 200, "GET /healthz with the new pin: %d" % code)
        res = sync_once()
        check(res.returncode != 0, "a device with the old pin synced with the new certificate")
        log("ok the device refuses the new certificate before re-pinning (exit %d)" % res.returncode)
        repin_device(new_pin)
        res = sync_once()
        check(res.returncode == 0, "sync after re-pinning: exit %d\n%s" % (res.returncode, res.stderr[-3000:]))
        wait_until("feedback-sync status healthy after re-pinning", healthy_status, timeout=30)
        run(["rm", "-f", CENTRAL_DIR + "/tls.key.old", CENTRAL_DIR + "/tls.crt.old"])
        token = operator(["feedback-central", "enroll-token", "--data-dir", CENTRAL_DIR,
                          "--site", SITE, "--kind", "kiosk", "--ttl", "1m"]).stdout.strip()
        check(token.endswith("." + new_pin), "new tokens do not carry the new pin")
        log("ok certificate rotated; the device syncs with the new pin")
        check(central.stop(timeout=30) == 0, "feedback-central did not exit 0 on SIGTERM" + central.context())
        check_data_modes()

        log("8. the agent app")
        agent_starts(args, tmp)

        log("9. remove: data and configuration stay")
        before = sorted(os.path.relpath(os.path.join(d, f), DATA)
                        for d, _, fs in os.walk(DATA) for f in fs)
        apt("remove")
        for exe in ("feedback-central", "feedback-sync", "feedback-kiosk", "feedback-agent"):
            check(not os.path.exists("/usr/bin/" + exe), "/usr/bin/%s is still there after remove" % exe)
        for pkg in ("feedback-central", "feedback-sync", "feedback-kiosk"):
            check(dpkg_status(pkg) == "deinstall ok config-files", "%s after remove: %r" % (pkg, dpkg_status(pkg)))
        after = sorted(os.path.relpath(os.path.join(d, f), DATA) for d, _, fs in os.walk(DATA) for f in fs)
        check(set(before) <= set(after), "files lost on remove: %s" % sorted(set(before) - set(after)))
        check(central_sql("SELECT count(*) FROM records") == [(1,)], "the central records did not survive remove")
        for conf in ("central", "sync", "kiosk"):
            check(os.path.exists("/etc/feedback/%s.conf" % conf), "/etc/feedback/%s.conf removed" % conf)
        check_data_modes()
        log("ok %d data files kept" % len(after))

        log("10. reinstall (an upgrade): the same store and device")
        apt_install(debs.values())
        run(["dpkg", "-i", debs["feedback-central"], debs["feedback-sync"]], timeout=120)  # configure with old version
        devs = devices_json()
        check([(d["device_id"], d["records_stored"]) for d in devs] == [(device_id, 1)],
              "devices after reinstall: %s" % devs)
        check_data_modes()
        operator(["feedback-sync", "status", "--device-config", DEVICE_DIR + "/device.json"], timeout=30)

        log("11. purge")
        apt("purge")
        installed = False
        check(not installed_feedback_packages(), "left installed: %s" % installed_feedback_packages())
        check(not os.path.exists(DATA), "%s still exists after purge: %s" % (DATA, os.listdir(DATA) if os.path.isdir(DATA) else ""))
        check(not os.path.exists("/etc/feedback"), "/etc/feedback still exists after purge")
        for unit in ("feedback-central", "feedback-sync"):
            check(not os.path.lexists("/etc/systemd/system/multi-user.target.wants/%s.service" % unit),
                  "%s.service is still enabled after purge" % unit)
        log("PASS in %.0f s" % (time.monotonic() - started))
        return 0
    finally:
        for s in services:
            if s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait(5)
        if installed or installed_feedback_packages():
            log("cleanup: purging the packages")
            subprocess.run(["apt-get", "purge", "-y", "-q"] + PACKAGES, capture_output=True, timeout=180,
                           env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        if os.path.exists(DATA):
            shutil.rmtree(DATA, ignore_errors=True)  # it did not exist before the test
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except TestFailure as e:
        log("FAIL: %s" % e)
        sys.exit(1)
