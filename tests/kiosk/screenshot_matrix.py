#!/usr/bin/env python3
"""Screenshots of the kiosk at every size x density of the layout matrix (issue 13), for
people to look at: the attract screen (first question), a rating, the comment keyboard and
the hero picker with a 40-name roster, in English. Real binary, Xvfb at that -dpi, real
clicks. Not a CTest test (the headless kiosk_layout_test checks the same screens); run:

  python3 tests/kiosk/screenshot_matrix.py --kiosk build/kiosk/feedback-kiosk \\
      --testkit build/tests/tools/feedback_testkit --assets assets --out build/artifacts/matrix
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e", "lib"))
sys.path.insert(0, HERE)
from kiosk_driver import Kiosk  # noqa: E402
from xvfb_gui import GuiTestError, XvfbDisplay  # noqa: E402
import kiosk_e2e_test as e2e  # noqa: E402

SIZES = [(1920, 1080), (1366, 768), (1280, 800), (1024, 768), (800, 1280), (1080, 1920)]
DPIS = [96, 141, 149, 220]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kiosk", required=True)
    p.add_argument("--testkit", required=True)
    p.add_argument("--assets", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    args.work = os.path.join(args.out, "work")
    args.artifacts = args.out
    os.makedirs(args.work, exist_ok=True)
    roster = e2e.write_roster(args, 40)
    failed = []
    for (w, h) in SIZES:
        for dpi in DPIS:
            name = "m%dx%d_%d" % (w, h, dpi)
            device_dir = e2e.make_device(args, name)
            try:
                with XvfbDisplay(w, h, dpi=dpi) as display, \
                        Kiosk(args, display, device_dir, ["--roster", roster], name, dpi=dpi) as k:
                    k.wait(r"attract locale=en")
                    k.app.wait_for_window()
                    k.shot("1_attract")
                    k.tap("nps/5", r"question:greeting:main")
                    k.shot("2_rating")
                    for qid in ("greeting", "speed", "cleanliness", "availability"):
                        k.tap(qid + "/4", r"question:")
                    k.tap("knowledge/4", r"question:comment:main")
                    k.type_on_keyboard("Hi there", "question:comment:main", "answer")
                    k.shot("3_comment")
                    k.tap("next", r"question:hero:main")
                    k.shot("4_hero")
                print("%s ok" % name)
            except GuiTestError as e:
                failed.append(name)
                print("%s FAILED: %s" % (name, str(e).splitlines()[0]))
    print("%d cells, %d failed: %s" % (len(SIZES) * len(DPIS), len(failed), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
