// The layout property test (issue 13): every kiosk screen, drawn headless at every
// size x density x language of the matrix, keeps the layout rules of
// shared/ui/layout_check.h - nothing off screen, no overlapping targets, no target under
// 9 mm, no text outside its box or overprinted, the focused field clear of the
// on-screen keyboard. A failure names the screen, size, density, locale and the
// rectangles involved.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "logic/kiosk_state.h"
#include "ui/headless_ui.h"
#include "ui/kiosk_screens.h"
#include "ui/kiosk_theme.h"
#include "ui/layout_check.h"

namespace feedback::kiosk {
namespace {

constexpr TimeMs kNow = 1'700'000'000'000;

std::shared_ptr<const SurveyDefinition> Survey(const std::string& path) {
  Result<SurveyDefinition> s = LoadSurveyDefinition(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::make_shared<const SurveyDefinition>(std::move(s).value());
}

// `count` staff, A to Z, some with long double-barrelled names.
std::vector<StaffMember> Roster(size_t count) {
  static const char* kFirst[] = {"Ana",    "Ben",       "Chloé",  "Diego",   "Emma",
                                 "Farah",  "Gustavo",   "Hiroshi", "Inés",   "Jonas",
                                 "Kwame",  "Lucía",     "Maximiliano", "Nadia", "Óscar",
                                 "Priya",  "Quentin",   "Rosalind", "Søren", "Tomás",
                                 "Ulrike", "Valentina", "Wei",    "Xiomara", "Yusuf", "Zoë"};
  static const char* kLast[] = {"García", "Fernández-Villaverde", "Okafor", "Martin",
                                "Castillo-Hernández", "Núñez", "Li", "Papadopoulou-Smith"};
  std::vector<StaffMember> roster;
  for (size_t i = 0; i < count; ++i) {
    const std::string name =
        std::string(kFirst[i % 26]) + " " + kLast[(i / 26 + i) % 8];
    roster.push_back({"s" + std::to_string(i), name, ""});
  }
  return roster;
}

struct Scene {
  std::string name;
  std::shared_ptr<const SurveyDefinition> survey;
  std::vector<Event> events;
  size_t roster = 3;
  bool story = true;
};

std::vector<Scene> Scenes() {
  auto retail = Survey(std::string(FEEDBACK_ASSETS_DIR) + "/surveys/retail_kiosk.json");
  auto types = Survey(std::string(KIOSK_TEST_DATA_DIR) + "/all_types.json");
  const std::vector<Event> to_comment = {StartSurvey{},  AnswerScore{3}, AnswerScore{5},
                                         AnswerScore{5}, AnswerScore{5}, AnswerScore{5},
                                         AnswerScore{5}};
  auto then = [](std::vector<Event> a, std::vector<Event> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  const std::vector<Event> to_hero = then(to_comment, {Next{}});
  const std::string long_text =
      "The staff at the tills were wonderful and patient with my elderly mother, thank you";
  return {
      {"attract", retail, {}},
      {"attract-no-story", retail, {}, 3, false},
      {"nps", retail, {StartSurvey{}}},
      {"nps-answered", retail, {StartSurvey{}, AnswerScore{4}, Back{}}},
      {"rating", retail, {StartSurvey{}, AnswerScore{3}}},
      {"csat", types, {StartSurvey{}, AnswerScore{3}}},
      {"ces", types, {StartSurvey{}, AnswerScore{3}, AnswerScore{2}}},
      {"choice", types, {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5}}},
      {"multi", types,
       {StartSurvey{}, AnswerScore{3}, AnswerScore{2}, AnswerScore{5}, ToggleOption{"shop"}}},
      {"text-keyboard", retail, to_comment},
      {"text-keyboard-long", retail, then(to_comment, {SetText{TextField::kAnswer, long_text}})},
      {"hero-roster-3", retail, to_hero, 3},
      {"hero-roster-40", retail, to_hero, 40},
      {"hero-roster-200", retail, to_hero, 200},
      {"hero-name-keyboard", retail, then(to_hero, {TypeHeroName{}})},
      {"hero-story-keyboard", retail,
       then(to_hero, {PickStaff{"s1", "Gustavo Fernández-Villaverde"}}), 40},
      {"contact-ask", retail, then(to_hero, {Next{}})},
      {"contact-name-keyboard", retail, then(to_hero, {Next{}, ContactOptIn{true}})},
      {"contact-email-keyboard", retail,
       then(to_hero, {Next{}, ContactOptIn{true},
                      SetText{TextField::kContactName, "Maximiliano Castillo-Hernández"},
                      FocusField{TextField::kContactEmail}})},
      {"thank-you", retail,
       {StartSurvey{}, AnswerScore{9}, Next{}, Next{}, Next{}, Next{}, Next{}, Next{},
        PickStaff{"s1", "Gustavo Fernández-Villaverde"}, Next{}}},
      {"out-of-service", retail, {CaptureUnavailable{"disk"}}},
      {"admin-pin", retail, std::vector<Event>(5, AdminCornerTap{})},
      {"admin", retail,
       then(std::vector<Event>(5, AdminCornerTap{}),
            {PinDigit{1}, PinDigit{2}, PinDigit{3}, PinDigit{4}, PinSubmit{}})},
  };
}

struct Cell {
  ImVec2 size;
  float dpi;
};

std::string CellName(const Cell& c) {
  std::ostringstream o;
  o << c.size.x << "x" << c.size.y << "@" << c.dpi;
  return o.str();
}

class KioskLayout : public testing::TestWithParam<Cell> {};

TEST_P(KioskLayout, EveryScreenKeepsTheLayoutRules) {
  const Cell cell = GetParam();
  Result<ui::Theme> loaded = LoadKioskTheme(FEEDBACK_ASSETS_DIR);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ui::Theme theme = *loaded;
  theme.dpi = cell.dpi;
  FitKioskTheme(theme, cell.size);
  ui::HeadlessUi ui(cell.size, theme, FEEDBACK_ASSETS_DIR);
  ASSERT_TRUE(ui.fonts_loaded());
  KioskMachine machine(Settings{}, [](std::string_view p) { return p == "1234"; });
  ui::LayoutRecorder recorder;
  int checked = 0;
  for (const Scene& scene : Scenes()) {
    for (const char* locale : {"en", "es"}) {
      KioskState s = machine.Initial(scene.survey, kNow);
      s = machine.Step(s, SetLocale{locale}, kNow);
      for (const Event& e : scene.events) {
        s = machine.Step(s, e, kNow);
        if (s.capture_request) s = machine.Step(s, CaptureDone{true, ""}, kNow);
      }
      ViewData view;
      view.roster = Roster(scene.roster);
      if (scene.story) {
        view.hero_stories = {{"h1", "s1", "Gustavo Fernández-Villaverde",
                              "He found my size in the stockroom, carried everything to the car "
                              "in the rain and was so kind to my children.",
                              "", 0}};
      }
      view.admin.device_id = "kiosk-0123456789abcdef";
      view.admin.site_id = "store-madrid-centro";
      view.admin.backlog = 3;
      view.admin.last_sync_error = "central store unreachable: connection refused (retrying)";
      recorder.Clear();
      auto draw = [&] {
        const ui::FrameContext frame{ui.theme(), ui.fonts(), cell.size, 0, false};
        (void)DrawKioskContent(ScreenInput{s, view, machine.settings(), true, kNow}, frame);
      };
      ui.Frame(draw);
      ui.Frame(draw);
      ui::LayoutRules rules;
      rules.display = cell.size;
      rules.dpi = cell.dpi;
      const bool typing = s.screen == Screen::kQuestion &&
                          (s.step != Step::kMain ||
                           CurrentQuestion(s)->type == QuestionType::kText);
      if (typing) rules.focused_field = "field/" + std::string(TextFieldName(s.session.focus));
      ++checked;
      int targets = 0;
      for (const ui::LayoutItem& item : recorder.items()) {
        targets += item.kind == ui::ProbeKind::kTarget ? 1 : 0;
      }
      EXPECT_GT(targets, 0) << scene.name << " drew no target";
      for (const ui::LayoutProblem& p : ui::CheckLayout(recorder.items(), rules)) {
        ADD_FAILURE() << scene.name << " (" << ScreenKey(s) << ") at " << CellName(cell) << " dpi, "
                      << locale << ": " << p.ToString();
      }
    }
  }
  EXPECT_EQ(checked, static_cast<int>(Scenes().size()) * 2);
}

std::vector<Cell> Matrix() {
  std::vector<Cell> cells;
  for (ImVec2 size : {ImVec2(1920, 1080), ImVec2(1366, 768), ImVec2(1280, 800), ImVec2(1024, 768),
                      ImVec2(800, 1280), ImVec2(1080, 1920)}) {
    for (float dpi : {96.0f, 141.0f, 149.0f, 220.0f}) cells.push_back({size, dpi});
  }
  return cells;
}

INSTANTIATE_TEST_SUITE_P(Matrix, KioskLayout, testing::ValuesIn(Matrix()),
                         [](const testing::TestParamInfo<Cell>& param) {
                           std::string n = CellName(param.param);
                           for (char& ch : n) {
                             if (ch == '@') ch = '_';
                           }
                           return "s" + n + "dpi";
                         });

}  // namespace
}  // namespace feedback::kiosk
