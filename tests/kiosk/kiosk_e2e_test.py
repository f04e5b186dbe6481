#!/usr/bin/env python3
"""End-to-end test of the real feedback-kiosk binary under Xvfb.

1. Landscape 1920x1080 and portrait 1080x1920: a customer goes through the whole
   retail survey with real X pointer events (xdotool) - language switch, NPS,
   five driver ratings, a comment typed on the on-screen keyboard, a hero
   nomination (picked from the --roster CSV in landscape, typed by name in
   portrait with the roster and hero stories the sync daemon left in the DB),
   contact details - then staff open the admin screen with the PIN and exit.
   The captured record is opened with the test central key (feedback_testkit
   dump-records) and every answer is checked. Every target the kiosk reported
   must be at least 15 mm at the configured DPI.
2. Idle: at the attract screen the kiosk draws no frames and uses ~0% CPU.
3. Failures: a capture DB that is not a database -> out-of-service at start; a DB
   that refuses the insert mid-survey -> out-of-service, never thank-you, nothing stored.

Screenshots of every screen go to --artifacts.
"""

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e", "lib"))
from kiosk_driver import DPI, PIN, Kiosk, check  # noqa: E402
from xvfb_gui import GuiTestError, XvfbDisplay, png_size, require_tools  # noqa: E402

MIN_TARGET_PX = 15.0 / 25.4 * DPI - 0.51  # probe rectangles are rounded to whole pixels


def testkit(args, *argv, stdin=None):
    res = subprocess.run([args.testkit] + list(argv), capture_output=True, text=True, timeout=60, input=stdin)
    check(res.returncode == 0, "feedback_testkit %s failed: %s" % (" ".join(argv), res.stderr))
    return res.stdout


def make_device(args, name):
    device_dir = os.path.join(args.work, name)
    shutil.rmtree(device_dir, ignore_errors=True)
    testkit(args, "make-device", "--dir", device_dir, "--kind", "kiosk", "--site", "store-e2e")
    res = subprocess.run([args.kiosk, "set-pin", "--admin-pin-file", os.path.join(device_dir, "admin.pin"),
                          "--iterations", "20000"], input=PIN + "\n", capture_output=True, text=True, timeout=30)
    check(res.returncode == 0, "set-pin failed: %s" % res.stderr)
    check(oct(os.stat(os.path.join(device_dir, "admin.pin")).st_mode & 0o777) == "0o600", "PIN file not 0600")
    return device_dir


def dump_records(args, device_dir):
    out = testkit(args, "dump-records", "--device-config", os.path.join(device_dir, "device.json"),
                  "--central-key", os.path.join(device_dir, "central_hpke.key"))
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def answer(record, question_id):
    for a in record["answers"]:
        if a["q"] == question_id:  # RecordToJson's compact answer keys: q, n, t, c
            return a
    raise GuiTestError("record has no answer to %s: %s" % (question_id, json.dumps(record)))


def full_survey(args, width, height, name, hero_typed):
    """The whole retail survey with real clicks; returns the kiosk's process exit code."""
    device_dir = make_device(args, name)
    extra = []
    if hero_typed:
        # What the sync daemon leaves in the capture DB: roster and published hero stories.
        testkit(args, "dump-records", "--device-config", os.path.join(device_dir, "device.json"),
                "--central-key", os.path.join(device_dir, "central_hpke.key"))  # creates the schema
        db = sqlite3.connect(os.path.join(device_dir, "capture.db"))
        db.executemany("INSERT INTO staff(staff_id, display_name, team) VALUES (?, ?, '')",
                       [("s-1", "Ana García"), ("s-2", "Ben Okafor"), ("s-3", "Chloé Martin")])
        db.executemany("INSERT INTO hero_stories VALUES (?, ?, ?, ?, '', ?)",
                       [("h1", "s-1", "Ana García",
                         "Ana walked me to the right aisle and found the last blue kettle in the stockroom.", 2),
                        ("h2", "s-2", "Ben Okafor", "Ben carried my shopping to the car in the rain.", 1)])
        db.commit()
        db.close()
    else:
        extra = ["--roster", os.path.join(HERE, "data", "roster.csv")]

    with XvfbDisplay(width, height, dpi=DPI) as display, Kiosk(args, display, device_dir, extra, name) as k:
        first = k.app.wait_for_line(r"^first-frame-ms (\d+)", timeout=20)
        k.wait(r"attract locale=en")
        k.app.wait_for_window()
        k.shot("01_attract")

        # Language switch, both ways.
        k.tap("lang/es", r"attract locale=es")
        k.shot("02_attract_es")
        k.tap("lang/en", r"attract locale=en")

        k.tap("start", r"question:nps:main")
        k.shot("03_nps")
        k.tap("nps/4", r"question:greeting:main")
        k.shot("04_rating")
        k.tap("greeting/5", r"question:speed:main")
        k.tap("speed/4", r"question:cleanliness:main")
        # A change of mind: back, and a different score.
        k.tap("back", r"question:speed:main")
        k.tap("speed/2", r"question:cleanliness:main")
        k.tap("cleanliness/3", r"question:availability:main")
        k.tap("availability/1", r"question:knowledge:main")
        k.tap("knowledge/5", r"question:comment:main")

        comment = "Great help at the tills"
        k.type_on_keyboard(comment, "question:comment:main", "answer")
        k.shot("05_comment_keyboard")
        k.tap("next", r"question:hero:main")
        k.shot("06_hero_pick")

        if hero_typed:
            hero_name, hero_staff = "Zoe", ""
            k.tap("hero-type-name", r"question:hero:hero-name")
            k.type_on_keyboard(hero_name, "question:hero:hero-name", "hero-name")
            k.shot("07_hero_name")
            k.tap("next", r"question:hero:hero-story")
        else:
            hero_name, hero_staff = "Diego Núñez", "s-diego"
            k.tap("staff/s-diego", r"question:hero:hero-story")
        story = "Found my size"
        k.type_on_keyboard(story, "question:hero:hero-story", "hero-story")
        k.shot("08_hero_story")
        k.tap("next", r"question:contact:main")
        k.shot("09_contact_optin")
        k.tap("contact-yes", r"question:contact:contact-details .*field=contact-name")
        k.type_on_keyboard("Pat", "question:contact:contact-details", "contact-name")
        k.tap("field/contact-phone", r"question:contact:contact-details .*field=contact-phone:0:")
        k.type_on_keyboard("5550100", "question:contact:contact-details", "contact-phone")
        k.shot("10_contact_details")
        mark = k.app.mark()
        k.click_item("next")
        k.wait_after(mark, r"thank-you")
        k.shot("11_thank_you")

        # The record was stored, sealed, before thank-you appeared: open it.
        records = dump_records(args, device_dir)
        check(len(records) == 1, "expected 1 record, got %d: %s" % (len(records), records))
        r = records[0]
        check(r["status"] == "complete", "status %s" % r["status"])
        check(r["survey_id"] == "retail_kiosk" and r["survey_version"] == 1, "survey %s" % r)
        check(r["locale"] == "en", "locale %s" % r["locale"])
        check(r["site_id"] == "store-e2e" and r["device_id"] == "kiosk-test-1", "device/site %s" % r)
        check(r["channel"] == "kiosk", "channel %s" % r["channel"])
        check(r["submitted_at"] >= r["started_at"] > 0, "times %s" % r)
        check(not r.get("flagged_burst", False), "flagged as burst")
        expected = {"nps": 4, "greeting": 5, "speed": 2, "cleanliness": 3, "availability": 1, "knowledge": 5}
        for qid, value in expected.items():
            check(answer(r, qid).get("n") == value, "%s: %s" % (qid, answer(r, qid)))
        check(answer(r, "comment").get("t") == comment, "comment %s" % answer(r, "comment"))
        check(len(r["answers"]) == 7, "answers %s" % r["answers"])
        hero = r.get("hero") or {}
        check(hero.get("name") == hero_name and hero.get("story") == story and
              hero.get("staff_id", "") == hero_staff, "hero %s" % hero)
        contact = r.get("contact") or {}
        check(contact.get("name") == "Pat" and contact.get("phone") == "5550100" and not contact.get("email"),
              "contact %s" % contact)

        # Thank-you -> attract; the next customer sees nothing of this one.
        k.tap("thanks", r"attract locale=en")
        k.tap("start", r"question:nps:main locale=en field=answer:0:")
        k.shot("12_next_customer_nps")
        k.click_item("back")  # no previous question: nothing happens
        # Idle: back to attract after the idle timeout is covered by the unit tests;
        # here the admin exits instead.

    return first, k


FIRST = ["Ana", "Ben", "Chloé", "Diego", "Emma", "Farah", "Gustavo", "Hiroshi", "Inés", "Jonas",
         "Kwame", "Lucía", "Maximiliano", "Nadia", "Óscar", "Priya", "Quentin", "Rosalind", "Søren",
         "Tomás"]
LAST = ["García", "Fernández-Villaverde", "Okafor", "Castillo-Hernández"]


def write_roster(args, count):
    """A roster CSV of `count` people, A to T, some with long double-barrelled names."""
    path = os.path.join(args.work, "roster_%d.csv" % count)
    with open(path, "w", encoding="utf-8") as f:
        f.write("staff_id,display_name,team\n")
        for i in range(count):
            f.write("s-%02d,%s %s,floor\n" % (i, FIRST[i % len(FIRST)], LAST[(i // len(FIRST) + i) % len(LAST)]))
    return path


def pick_hero(k, staff_id, letter):
    """Finds `staff_id` on the hero picker however the kiosk laid the roster out: all names,
    a first-letter index with pages, or letters first and then names (short screens)."""
    line = k.last_screen()
    if "roster=index" in line or "roster=letters" in line:
        k.tap("hero-letter/" + letter, r"question:hero:main .*hero=%s:0" % letter)
    for _ in range(20):
        names = [n for (n, x, y, w, h) in k.items()]
        if ("staff/" + staff_id) in names:
            break
        k.tap("hero-page/next", r"question:hero:main .*hero=\S+:\d+")
    k.tap("staff/" + staff_id, r"question:hero:hero-story")


def small_screen_survey(args, width, height, dpi, name):
    """The whole retail survey on a tablet-sized screen at its real density: the first tap
    on attract is the NPS answer, a comment with spaces, a hero found in a 40-name roster by
    its first letter (and pages), contact details typed on whichever keyboard fits."""
    device_dir = make_device(args, name)
    roster = write_roster(args, 40)
    with XvfbDisplay(width, height, dpi=dpi) as display, \
            Kiosk(args, display, device_dir, ["--roster", roster], name, dpi=dpi) as k:
        k.app.wait_for_line(r"^first-frame-ms (\d+)", timeout=20)
        k.wait(r"attract locale=en")
        k.app.wait_for_window()
        k.shot("01_attract_question")
        k.tap("nps/3", r"question:greeting:main")  # the first tap is the answer
        k.shot("02_rating")
        for qid, v in (("greeting", 5), ("speed", 4), ("cleanliness", 3), ("availability", 2)):
            k.tap("%s/%d" % (qid, v), r"question:")
        k.tap("knowledge/5", r"question:comment:main")
        comment = "Great help at the tills"
        k.type_on_keyboard(comment, "question:comment:main", "answer")
        k.shot("03_comment_keyboard")
        k.tap("next", r"question:hero:main")
        k.shot("04_hero_roster")
        pick_hero(k, "s-01", "B")  # Ben Fernández-Villaverde, a long name
        story = "Found my size"
        k.type_on_keyboard(story, "question:hero:hero-story", "hero-story")
        k.shot("05_hero_story")
        k.tap("next", r"question:contact:main")
        k.shot("06_contact_optin")
        k.tap("contact-yes", r"question:contact:contact-details .*field=contact-name")
        k.type_on_keyboard("Pat Li", "question:contact:contact-details", "contact-name")
        k.tap("field/contact-phone", r"question:contact:contact-details .*field=contact-phone:0:")
        k.type_on_keyboard("5550100", "question:contact:contact-details", "contact-phone")
        k.shot("07_contact_details")
        mark = k.app.mark()
        k.click_item("next")
        k.wait_after(mark, r"thank-you")
        k.shot("08_thank_you")
        check_layout(k)
        k.full_path_taps = k.clicks

        records = dump_records(args, device_dir)
        check(len(records) == 1, "expected 1 record, got %d: %s" % (len(records), records))
        r = records[0]
        check(r["status"] == "complete", "status %s" % r["status"])
        expected = {"nps": 3, "greeting": 5, "speed": 4, "cleanliness": 3, "availability": 2, "knowledge": 5}
        for qid, value in expected.items():
            check(answer(r, qid).get("n") == value, "%s: %s" % (qid, answer(r, qid)))
        check(answer(r, "comment").get("t") == comment, "comment %s" % answer(r, "comment"))
        check(len(r["answers"]) == 7, "answers %s" % r["answers"])
        hero = r.get("hero") or {}
        check(hero.get("name") == "Ben Fernández-Villaverde" and hero.get("story") == story and
              hero.get("staff_id") == "s-01", "hero %s" % hero)
        contact = r.get("contact") or {}
        check(contact.get("name") == "Pat Li" and contact.get("phone") == "5550100" and
              not contact.get("email"), "contact %s" % contact)
    return k


def still_there(args, name):
    """A tap on an attract score is stored as that answer; "Still there?" shows before the
    idle reset and a touch keeps the survey; with no touch the survey is saved as abandoned
    with the answers given."""
    device_dir = make_device(args, name)
    with XvfbDisplay(1280, 800, dpi=149) as display, \
            Kiosk(args, display, device_dir, [], name, dpi=149, idle_timeout=12) as k:
        k.wait(r"attract locale=en")
        k.app.wait_for_window()
        k.tap("nps/9", r"question:greeting:main")
        k.tap("greeting/4", r"question:speed:main")
        # 12 s idle timeout: the warning comes at 6 s (half the timeout at the least).
        mark = k.app.mark()
        k.wait_after(mark, r"question:speed:main .*still-there", timeout=20)
        k.shot("01_still_there")
        check(not dump_records(args, device_dir), "a record was stored while the customer was asked")
        k.tap("still-here", r"question:speed:main (?!.*still-there)")
        k.tap("speed/2", r"question:cleanliness:main")
        mark = k.app.mark()
        k.wait_after(mark, r"question:cleanliness:main .*still-there", timeout=20)
        k.wait_after(mark, r"attract locale=en", timeout=20)
        deadline = time.monotonic() + 10
        records = []
        while time.monotonic() < deadline:
            records = dump_records(args, device_dir)
            if records:
                break
            time.sleep(0.2)
        check(len(records) == 1, "expected 1 abandoned record, got %s" % records)
        r = records[0]
        check(r["status"] == "abandoned", "status %s" % r["status"])
        check(answer(r, "nps").get("n") == 9, "the attract tap was not stored: %s" % r["answers"])
        check(answer(r, "greeting").get("n") == 4 and answer(r, "speed").get("n") == 2,
              "answers %s" % r["answers"])
        check(len(r["answers"]) == 3, "answers %s" % r["answers"])


def check_layout(k):
    """Every target the kiosk reported on its last screen is at least 9 mm, on screen."""
    min_px = 9.0 / 25.4 * k.dpi - 0.51
    small = [(n, w, h) for (n, x, y, w, h) in k.items() if w < min_px or h < min_px]
    check(not small, "targets under 9 mm at %d dpi: %s" % (k.dpi, small[:10]))
    off = [(n, x, y, w, h) for (n, x, y, w, h) in k.items()
           if x < 0 or y < 0 or x + w > k.display.width + 1 or y + h > k.display.height + 1]
    check(not off, "targets off screen: %s" % off[:10])


def admin_and_idle(args, name):
    """Idle CPU at attract, then admin PIN (a wrong one first), status screen and exit."""
    device_dir = make_device(args, name)
    with XvfbDisplay(1920, 1080, dpi=DPI) as display, Kiosk(args, display, device_dir, [], name) as k:
        k.wait(r"attract locale=en")
        k.app.wait_for_window()
        time.sleep(1.0)  # settle
        cpu, frames = k.app.measure_idle(3.0, frame_pattern=r"^frame \d+")
        check(frames == 0, "idle attract drew %d frames in 3 s; it must wait for input" % frames)
        check(cpu < 0.02, "idle attract used %.1f%% CPU" % (cpu * 100))
        for _ in range(5):
            mark = k.app.mark()
            k.click_item("admin-corner")
            k.app.wait_for_line(r"^frame", start=mark)
            time.sleep(0.05)
        k.wait(r"admin-pin")
        for i, d in enumerate("1111"):
            k.tap("pin/" + d, r"admin-pin .*pin=%d" % (i + 1))
        k.tap("pin/ok", r"admin-pin .*pin=0 rejected")
        k.shot("01_admin_pin_wrong")
        for i, d in enumerate(PIN):
            k.tap("pin/" + d, r"admin-pin .*pin=%d" % (i + 1))
        k.tap("pin/ok", r"admin locale")
        k.shot("02_admin")
        k.click_item("admin-exit")
        deadline = time.monotonic() + 10
        while k.app.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        check(not k.app.alive(), "the kiosk did not exit from the admin screen")
        check(k.app.proc.returncode == 0, "exit code %s" % k.app.proc.returncode)
    return cpu


def failures(args):
    """A DB that cannot be opened, and a DB that refuses the record mid-survey."""
    device_dir = make_device(args, "fail_open")
    with open(os.path.join(device_dir, "capture.db"), "wb") as f:
        f.write(b"this is not a database" * 500)
    with XvfbDisplay(1920, 1080, dpi=DPI) as display, Kiosk(args, display, device_dir, [], "fail_open") as k:
        k.wait(r"out-of-service")
        k.app.wait_for_window()
        k.shot("01_out_of_service")
        k.app.click(960, 700)
        k.last_click = (960, 700)
        time.sleep(0.5)
        check(not any(l.startswith("kiosk-screen question") or l.startswith("kiosk-screen thank-you")
                      for l in k.app.lines), "a survey started on a kiosk that cannot store it")
        check(any("out of service" in l and "capture" in l for l in k.app.stderr_lines),
              "the log does not say why: %s" % k.app.stderr_lines[-5:])

    device_dir = make_device(args, "fail_write")
    with XvfbDisplay(1080, 1920, dpi=DPI) as display, Kiosk(args, display, device_dir, [], "fail_write") as k:
        k.wait(r"attract")
        k.app.wait_for_window()
        k.tap("start", r"question:nps:main")
        k.tap("nps/10", r"question:greeting:main")
        # Another process makes the capture DB refuse new records (as a full or
        # read-only disk would): every INSERT into records now fails.
        db = sqlite3.connect(os.path.join(device_dir, "capture.db"), timeout=10)
        db.execute("CREATE TRIGGER refuse_records BEFORE INSERT ON records "
                   "BEGIN SELECT RAISE(FAIL, 'the disk refused the write'); END")
        db.commit()
        db.close()
        for qid in ("greeting", "speed", "cleanliness", "availability"):
            k.tap(qid + "/5", r"question:")
        k.tap("knowledge/5", r"question:comment:main")
        k.tap("next", r"question:hero:main")
        mark = k.app.mark()
        k.click_item("next")  # "No, thanks": the promoter's survey ends here
        k.wait_after(mark, r"out-of-service")
        k.shot("02_out_of_service_after_failed_capture")
        time.sleep(0.5)
        check(not any(l.startswith("kiosk-screen thank-you") for l in k.app.lines),
              "thank-you shown for a record that was not stored")
        check(any("could not capture" in l for l in k.app.stderr_lines), "no log line says why")
    db = sqlite3.connect(os.path.join(device_dir, "capture.db"))
    count = db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
    db.close()
    check(count == 0, "%d records stored despite the failure" % count)


def check_targets(k):
    small = [(n, w, h) for (n, x, y, w, h) in k.items() if w < MIN_TARGET_PX or h < MIN_TARGET_PX]
    check(not small, "targets under 15 mm at %d dpi: %s" % (DPI, small[:10]))
    off = [(n, x, y, w, h) for (n, x, y, w, h) in k.items()
           if x < 0 or y < 0 or x + w > k.display.width + 1 or y + h > k.display.height + 1]
    check(not off, "targets off screen: %s" % off[:10])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kiosk", required=True)
    p.add_argument("--testkit", required=True)
    p.add_argument("--assets", required=True)
    p.add_argument("--artifacts", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    require_tools("Xvfb", "xdotool", "import")
    os.makedirs(args.artifacts, exist_ok=True)
    os.makedirs(args.work, exist_ok=True)
    t0 = time.monotonic()

    first_l, kl = full_survey(args, 1920, 1080, "landscape", hero_typed=False)
    check_targets(kl)
    print("landscape 1920x1080: full survey ok, first frame %s ms, %d screenshots" % (first_l.group(1), len(kl.shots)))
    first_p, kp = full_survey(args, 1080, 1920, "portrait", hero_typed=True)
    check_targets(kp)
    print("portrait 1080x1920: full survey ok, first frame %s ms, %d screenshots" % (first_p.group(1), len(kp.shots)))
    for (w, h) in ((800, 1280), (1280, 800)):
        ks = small_screen_survey(args, w, h, 149, "tablet_%dx%d" % (w, h))
        print("tablet %dx%d at 149 dpi: full survey (first tap on attract, 40-name roster) ok in %d taps, "
              "%d screenshots" % (w, h, ks.clicks, len(ks.shots)))
    still_there(args, "still_there")
    print("attract tap stored; still-there shown, a touch kept the survey; no touch -> abandoned with 3 answers")
    cpu = admin_and_idle(args, "admin")
    print("idle attract: %.2f%% CPU, no frames; admin PIN + exit ok" % (cpu * 100))
    failures(args)
    print("failures: unopenable DB and refused write both show out-of-service, never thank-you")
    print("kiosk e2e passed in %.0f s; screenshots in %s" % (time.monotonic() - t0, args.artifacts))


if __name__ == "__main__":
    try:
        main()
    except GuiTestError as e:
        print("FAIL: %s" % e, file=sys.stderr)
        sys.exit(1)
