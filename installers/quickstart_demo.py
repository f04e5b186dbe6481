#!/usr/bin/env python3
"""The headless part of the quick start: with no display, a scripted customer
and rep use the real kiosk and agent apps under Xvfb (real X pointer and key
events), then this waits until both records have reached the central store and
shows up in its dashboard API. Exits non-zero, naming what failed, otherwise."""

import argparse
import http.cookiejar
import json
import os
import ssl
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e", "lib"))
from kiosk_driver import Kiosk  # noqa: E402
from xvfb_gui import GuiApp, GuiTestError, XvfbDisplay, require_tools  # noqa: E402


def kiosk_customer(args):
    """A detractor who names a hero and asks to be called back."""
    with XvfbDisplay(1920, 1080) as display, \
            Kiosk(args, display, os.path.join(args.data, "kiosk"), [], "quickstart") as k:
        k.wait(r"attract locale=en", timeout=30)
        k.app.wait_for_window()
        k.tap("start", r"question:nps:main")
        k.tap("nps/3", r"question:greeting:main")
        for qid, score, nxt in [("greeting", 2, "speed"), ("speed", 2, "cleanliness"),
                                ("cleanliness", 4, "availability"), ("availability", 3, "knowledge"),
                                ("knowledge", 4, "comment")]:
            k.tap("%s/%d" % (qid, score), r"question:%s:main" % nxt)
        k.type_on_keyboard("Long queue", "question:comment:main", "answer")
        k.tap("next", r"question:hero:main")
        k.tap("hero-type-name", r"question:hero:hero-name")
        k.type_on_keyboard("Ana", "question:hero:hero-name", "hero-name")
        k.tap("next", r"question:hero:hero-story")
        k.type_on_keyboard("She was kind", "question:hero:hero-story", "hero-story")
        k.tap("next", r"question:contact:main")
        k.tap("contact-yes", r"question:contact:contact-details .*field=contact-name")
        k.type_on_keyboard("Pat", "question:contact:contact-details", "contact-name")
        k.tap("field/contact-phone", r"question:contact:contact-details .*field=contact-phone:0:")
        k.type_on_keyboard("5550100", "question:contact:contact-details", "contact-phone")
        mark = k.app.mark()
        k.click_item("next")
        k.wait_after(mark, r"thank-you")
        k.shot("thank_you")
    print("kiosk: one survey captured (NPS 3, a hero story, a call-back request)")


def agent_rep(args):
    """A rep signs in and logs one call with the keyboard."""
    argv = [args.agent, "--device-config", os.path.join(args.data, "agent", "device.json"),
            "--assets", args.assets, "--window", "480x900", "--dpi", "96", "--software-renderer"]
    with XvfbDisplay(1280, 1024) as display, GuiApp(argv, display) as app:
        app.wait_for_line(r"first frame presented", timeout=30)
        app.wait_for_window()
        time.sleep(0.3)
        if not any("signed in" in line for line in list(app.lines)):
            mark = app.mark()
            app.type_text("A1001")
            app.key("Return")
            app.wait_for_line(r"rep A1001 signed in", start=mark)
        mark = app.mark()
        for key in ["ctrl+n"]:
            app.key(key)
        app.type_text("QS-1001")
        for key in ["Tab", "4", "Tab", "1", "Tab", "6", "Return"]:
            app.key(key)
            time.sleep(0.03)
        app.wait_for_line(r"call log (\S+) captured durably", start=mark, timeout=15)
    print("agent: one call logged by rep A1001")


def wait_in_central(args, timeout=90):
    """Both channels' records visible through the dashboard API."""
    ctx = ssl.create_default_context(cafile=os.path.join(args.data, "central", "tls.crt"))
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx),
                                         urllib.request.HTTPCookieProcessor(jar))
    with open(os.path.join(args.data, "admin-password")) as f:
        password = f.read().strip()
    body = json.dumps({"username": "admin", "password": password}).encode()
    opener.open(urllib.request.Request(args.url + "/api/login", data=body,
                                       headers={"Content-Type": "application/json"}), timeout=10)
    deadline = time.monotonic() + timeout
    counts = {}
    while time.monotonic() < deadline:
        with opener.open(args.url + "/api/breakdown?by=channel", timeout=10) as r:
            rows = json.load(r)["rows"]
        counts = {row["key"]: row["responses"] for row in rows}
        if counts.get("kiosk", 0) >= 1 and counts.get("call", 0) >= 1:
            print("central store: %d kiosk and %d call-log records (dashboard API /api/breakdown?by=channel)"
                  % (counts["kiosk"], counts["call"]))
            return
        time.sleep(2)
    raise GuiTestError("records did not reach the central store within %d s: %s (see the sync logs)"
                       % (timeout, counts))


def main():
    p = argparse.ArgumentParser()
    for name in ("kiosk", "agent", "assets", "data", "central", "url"):
        p.add_argument("--" + name, required=True)
    args = p.parse_args()
    args.artifacts = os.path.join(args.data, "screenshots")
    os.makedirs(args.artifacts, exist_ok=True)
    require_tools("Xvfb", "xdotool", "import")
    kiosk_customer(args)
    agent_rep(args)
    wait_in_central(args)


if __name__ == "__main__":
    try:
        main()
    except (GuiTestError, OSError) as e:
        print("quickstart: scripted session failed: %s" % e, file=sys.stderr)
        sys.exit(1)
