// The kiosk's screens in a headless ImGui frame (no window): every screen of the
// flow draws in landscape and portrait, in English and Spanish; every touch target
// is at least 15 mm and on screen; taps on named targets become the right events.
#include "ui/kiosk_screens.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "logic/kiosk_state.h"
#include "ui/headless_ui.h"
#include "ui/item_probe.h"

namespace feedback::kiosk {
namespace {

constexpr TimeMs kNow = 1'700'000'000'000;

struct ItemRect {
  float x, y, w, h;
};

std::shared_ptr<const SurveyDefinition> Survey(const std::string& path) {
  Result<SurveyDefinition> s = LoadSurveyDefinition(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::make_shared<const SurveyDefinition>(std::move(s).value());
}

class ScreensTest : public testing::TestWithParam<ImVec2> {
 protected:
  ScreensTest()
      : ui_(GetParam(), 96.0f, FEEDBACK_ASSETS_DIR),
        machine_(Settings{}, [](std::string_view p) { return p == "1234"; }) {
    ui::SetProbeEnabled(true);
    view_.roster = {{"s1", "Ana García", ""}, {"s2", "Ben Okafor", ""}, {"s3", "Chloé Martin", ""}};
    view_.hero_stories = {
        {"h1", "s1", "Ana García", "She found my size in the stockroom and was so kind.", "", 0}};
    view_.admin.device_id = "kiosk-1";
    view_.admin.backlog = 3;
  }

  // Draws one frame of `state` (plus a tap when `tap` is set); returns the events and
  // records the probed rectangles.
  std::vector<Event> Draw(const KioskState& state, std::optional<ImVec2> tap = std::nullopt) {
    std::vector<Event> events;
    auto draw = [&] {
      const ui::FrameContext frame{ui_.theme(), ui_.fonts(), GetParam(), 0, false};
      std::vector<Event> e =
          DrawKioskContent(ScreenInput{state, view_, machine_.settings(), true, kNow}, frame);
      events.insert(events.end(), e.begin(), e.end());
    };
    testing::internal::CaptureStdout();
    if (tap) {
      ui_.Tap(*tap, draw);
    } else {
      ui_.Frame(draw);
      ui_.Frame(draw);
    }
    const std::string out = testing::internal::GetCapturedStdout();
    // Lines printed by shared/ui/item_probe.cpp: "ui-item NAME X Y W H" (integers).
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string tag, name;
      int x = 0, y = 0, w = 0, h = 0;
      if (fields >> tag >> name >> x >> y >> w >> h && tag == "ui-item" && (fields >> std::ws).eof()) {
        rects_[name] = {static_cast<float>(x), static_cast<float>(y), static_cast<float>(w),
                        static_cast<float>(h)};
        seen_this_draw_.insert(name);
      }
    }
    return events;
  }

  ImVec2 Center(const std::string& name) {
    auto it = rects_.find(name);
    EXPECT_NE(it, rects_.end()) << name;
    if (it == rects_.end()) return ImVec2(-1, -1);
    return ImVec2(it->second.x + it->second.w * 0.5f, it->second.y + it->second.h * 0.5f);
  }

  // Steps the machine through `events` from attract.
  KioskState Reach(std::shared_ptr<const SurveyDefinition> survey,
                   const std::vector<Event>& events) {
    KioskState s = machine_.Initial(std::move(survey), kNow);
    for (const Event& e : events) {
      s = machine_.Step(s, e, kNow);
      if (s.capture_request) s = machine_.Step(s, CaptureDone{true, ""}, kNow);
    }
    return s;
  }

  ui::HeadlessUi ui_;
  KioskMachine machine_;
  ViewData view_;
  std::map<std::string, ItemRect> rects_;
  std::set<std::string> seen_this_draw_;
};

std::vector<std::vector<Event>> EveryScreen() {
  return {
      {},
      {StartSurvey{}},                                                  // nps
      {StartSurvey{}, AnswerScore{3}},                                  // csat
      {StartSurvey{}, AnswerScore{3}, AnswerScore{2}},                  // ces
      {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5}},  // choice
      {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5},
       ToggleOption{"return"}},  // multi
      {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5}, ToggleOption{"return"},
       Next{}},  // text
      {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5}, ToggleOption{"shop"}, Next{},
       Next{}},  // hero
      {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5}, ToggleOption{"shop"}, Next{},
       Next{}, TypeHeroName{}},
      {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5}, ToggleOption{"shop"}, Next{},
       Next{}, PickStaff{"s1", "Ana García"}},
      {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5}, ToggleOption{"shop"}, Next{},
       Next{}, Next{}},  // contact
      {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5}, ToggleOption{"shop"}, Next{},
       Next{}, Next{}, ContactOptIn{true}},
      {StartSurvey{}, AnswerScore{9}, Next{}, Next{}, ToggleOption{"shop"}, Next{}, Next{},
       PickStaff{"s1", "Ana García"}, Next{}},  // thank-you (capture acknowledged)
      {CaptureUnavailable{"disk"}},
      {AdminCornerTap{}, AdminCornerTap{}, AdminCornerTap{}, AdminCornerTap{}, AdminCornerTap{}},
      {AdminCornerTap{}, AdminCornerTap{}, AdminCornerTap{}, AdminCornerTap{}, AdminCornerTap{},
       PinDigit{1}, PinDigit{2}, PinDigit{3}, PinDigit{4}, PinSubmit{}},
  };
}

TEST_P(ScreensTest, EveryScreenDrawsWithFingerSizedTargetsOnScreen) {
  auto survey = Survey(std::string(KIOSK_TEST_DATA_DIR) + "/all_types.json");
  const float min_px = ui_.theme().MinTargetPx() - 0.51f;  // probe rects are rounded to pixels
  std::set<std::string> screens;
  for (const char* locale : {"en", "es"}) {
    for (const std::vector<Event>& path : EveryScreen()) {
      std::vector<Event> events = path;
      events.insert(events.begin(), SetLocale{locale});
      const KioskState state = Reach(survey, events);
      screens.insert(ScreenKey(state));
      seen_this_draw_.clear();
      Draw(state);
      EXPECT_GT(ui_.last_vertex_count(), 500) << ScreenKey(state);
      for (const std::string& name : seen_this_draw_) {
        const ItemRect& r = rects_[name];
        EXPECT_GE(r.w, min_px) << name << " on " << ScreenKey(state);
        EXPECT_GE(r.h, min_px) << name << " on " << ScreenKey(state);
        EXPECT_GE(r.x, 0) << name;
        EXPECT_GE(r.y, 0) << name;
        EXPECT_LE(r.x + r.w, GetParam().x + 1) << name << " on " << ScreenKey(state);
        EXPECT_LE(r.y + r.h, GetParam().y + 1) << name << " on " << ScreenKey(state);
      }
    }
  }
  // Every screen and every step of the flow was drawn.
  for (const char* key :
       {"attract", "question:nps:main", "question:csat:main", "question:effort:main",
        "question:visit:main", "question:extras:main", "question:why_return:main",
        "question:hero:main", "question:hero:hero-name", "question:hero:hero-story",
        "question:contact:main", "question:contact:contact-details", "thank-you", "out-of-service",
        "admin-pin", "admin"}) {
    EXPECT_TRUE(screens.count(key)) << key;
  }
}

TEST_P(ScreensTest, TapsBecomeEvents) {
  auto survey = Survey(std::string(FEEDBACK_ASSETS_DIR) + "/surveys/retail_kiosk.json");
  KioskState attract = Reach(survey, {});
  Draw(attract);
  std::vector<Event> e = Draw(attract, Center("start"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<StartSurvey>(e[0]));

  e = Draw(attract, Center("lang/es"));
  ASSERT_EQ(e.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<SetLocale>(e[0]));
  EXPECT_EQ(std::get<SetLocale>(e[0]).locale, "es");

  KioskState nps = Reach(survey, {StartSurvey{}});
  Draw(nps);
  e = Draw(nps, Center("nps/7"));
  ASSERT_EQ(e.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<AnswerScore>(e[0]));
  EXPECT_EQ(std::get<AnswerScore>(e[0]).value, 7);

  KioskState comment = Reach(survey, {StartSurvey{}, AnswerScore{9}, AnswerScore{5}, AnswerScore{5},
                                      AnswerScore{5}, AnswerScore{5}, AnswerScore{5}});
  ASSERT_EQ(ScreenKey(comment), "question:comment:main");
  Draw(comment);
  e = Draw(comment, Center("kb/g"));
  ASSERT_EQ(e.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<SetText>(e[0]));
  EXPECT_EQ(std::get<SetText>(e[0]).text, "G") << "the first letter is capitalised";
  EXPECT_TRUE(std::holds_alternative<SetShift>(e[1]));

  KioskState hero = machine_.Step(comment, Next{}, kNow);
  Draw(hero);
  e = Draw(hero, Center("staff/s2"));
  ASSERT_EQ(e.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<PickStaff>(e[0]));
  EXPECT_EQ(std::get<PickStaff>(e[0]).name, "Ben Okafor");
  e = Draw(hero, Center("next"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<Next>(e[0]));

  KioskState pin = Reach(survey, std::vector<Event>(5, AdminCornerTap{}));
  Draw(pin);
  e = Draw(pin, Center("pin/4"));
  ASSERT_EQ(e.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<PinDigit>(e[0]));
  EXPECT_EQ(std::get<PinDigit>(e[0]).digit, 4);
}

TEST_P(ScreensTest, NextCustomerSeesNoPreviousAnswer) {
  auto survey = Survey(std::string(FEEDBACK_ASSETS_DIR) + "/surveys/retail_kiosk.json");
  KioskState s = Reach(survey, {StartSurvey{}, AnswerScore{2}});
  s = machine_.Step(s, Tick{}, kNow + machine_.settings().idle_timeout_ms + 1'000);
  ASSERT_EQ(s.screen, Screen::kAttract);
  s = machine_.Step(s, CaptureDone{true, ""}, kNow + 60'000);
  s = machine_.Step(s, StartSurvey{}, kNow + 61'000);
  ASSERT_EQ(ScreenKey(s), "question:nps:main");
  EXPECT_EQ(FindAnswer(s.session, "nps"), nullptr);
  Draw(s);  // draws with nothing selected (the widget gets the session's empty answer)
}

INSTANTIATE_TEST_SUITE_P(Kiosk, ScreensTest,
                         testing::Values(ImVec2(1920, 1080), ImVec2(1080, 1920)),
                         [](const testing::TestParamInfo<ImVec2>& size) {
                           return size.param.x > size.param.y ? std::string("Landscape")
                                                              : std::string("Portrait");
                         });

}  // namespace
}  // namespace feedback::kiosk
