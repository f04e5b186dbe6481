// Keyboard navigation: which key gives which form event in which state, and the
// keystroke budget of a typical log (at most 8 keys besides the typed text).
#include "logic/keyboard.h"

#include <gtest/gtest.h>

#include <ostream>

#include "agent_test_util.h"

namespace feedback::agent {
namespace {

using testing::Apply;
using testing::CallLogSurvey;

FormState On(size_t field) { return Apply(NewForm(CallLogSurvey(), "en"), {FocusField{field}}); }

struct KeyCase {
  std::string name;
  size_t focus;  // field index: 0 call_ref (text), 1 greeting (score), 2 resolution (choice)
  KeyInput key;
  std::string expected;  // EventName(), or "none"
  int value = 0;         // Digit.digit / Step.delta when relevant
};
void PrintTo(const KeyCase& c, std::ostream* os) { *os << c.name; }

class KeyMapTest : public ::testing::TestWithParam<KeyCase> {};

TEST_P(KeyMapTest, MapsKey) {
  const KeyCase& c = GetParam();
  std::optional<FormEvent> e = KeyToEvent(c.key, On(c.focus));
  if (c.expected == "none") {
    EXPECT_FALSE(e.has_value()) << EventName(*e);
    return;
  }
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(EventName(*e), c.expected);
  if (const auto* d = std::get_if<Digit>(&*e)) {
    EXPECT_EQ(d->digit, c.value);
  }
  if (const auto* s = std::get_if<Step>(&*e)) {
    EXPECT_EQ(s->delta, c.value);
  }
}

const KeyCase kKeys[] = {
    {"TabOnText", 0, {Key::kTab}, "FocusNext"},
    {"ShiftTab", 1, {Key::kTab, 0, false, true}, "FocusPrev"},
    {"EnterSubmitsFromText", 0, {Key::kEnter}, "Submit"},
    {"EnterSubmitsFromScore", 1, {Key::kEnter}, "Submit"},
    {"CtrlEnterIsANewLineInText", 0, {Key::kEnter, 0, true}, "none"},
    {"EscClears", 1, {Key::kEscape}, "Clear"},
    {"CtrlNNewLogFromText", 0, {Key::kN, 0, true}, "NewLog"},
    {"CtrlNNewLogFromScore", 1, {Key::kN, 0, true}, "NewLog"},
    {"PlainNIsTyping", 0, {Key::kN}, "none"},
    {"CtrlZUndo", 2, {Key::kZ, 0, true}, "Undo"},
    {"DigitOnScore", 1, {Key::kDigit, 4}, "Digit", 4},
    {"DigitOnChoice", 2, {Key::kDigit, 3}, "Digit", 3},
    {"DigitOnTextIsTyping", 0, {Key::kDigit, 4}, "none"},
    {"ShiftDigitIsNotAScore", 1, {Key::kDigit, 4, false, true}, "none"},
    {"AltDigitIgnored", 1, {Key::kDigit, 4, false, false, true}, "none"},
    {"AltTabIgnored", 1, {Key::kTab, 0, false, false, true}, "none"},
    {"RightStepsScore", 1, {Key::kRight}, "Step", 1},
    {"LeftStepsChoice", 2, {Key::kLeft}, "Step", -1},
    {"RightInTextMovesCursor", 0, {Key::kRight}, "none"},
    {"DownMovesOnFromScore", 1, {Key::kDown}, "FocusNext"},
    {"UpMovesBackFromChoice", 2, {Key::kUp}, "FocusPrev"},
    {"UpInTextMovesCursor", 0, {Key::kUp}, "none"},
    {"OtherKeyNothing", 1, {Key::kOther}, "none"},
};

INSTANTIATE_TEST_SUITE_P(Keys, KeyMapTest, ::testing::ValuesIn(kKeys),
                         [](const auto& test_info) { return test_info.param.name; });

// One step of a scripted session: a key press, or typed text.
struct Stroke {
  KeyInput key;
  std::string text;  // non-empty: typed into the focused text field
};

// Replays a script the way the window does and counts the keys that are not text.
FormState Replay(FormState s, const std::vector<Stroke>& script, int* keys) {
  *keys = 0;
  for (const Stroke& stroke : script) {
    if (!stroke.text.empty()) {
      const FormField& f = s.fields[s.focus];
      EXPECT_TRUE(IsTextKind(f.kind)) << "typing into " << f.key;
      s = Reduce(std::move(s), SetText{f.key, std::string(FieldText(s, f.key)) + stroke.text}, 100);
      continue;
    }
    ++*keys;
    if (std::optional<FormEvent> e = KeyToEvent(stroke.key, s)) s = Reduce(std::move(s), *e, 100);
  }
  return s;
}

Stroke K(Key key, int digit = 0, bool ctrl = false, bool shift = false) {
  return {KeyInput{key, digit, ctrl, shift}, ""};
}
Stroke T(std::string text) { return {KeyInput{}, std::move(text)}; }

// Ctrl+N, reference, Tab 4, Tab 1, Tab 6, Enter.
const std::vector<Stroke> kTypicalLog = {K(Key::kN, 0, true), T("C-20231"),      K(Key::kTab),
                                         K(Key::kDigit, 4),   K(Key::kTab),      K(Key::kDigit, 1),
                                         K(Key::kTab),        K(Key::kDigit, 6), K(Key::kEnter)};

TEST(KeystrokeBudgetTest, TypicalLogTakesAtMostEightKeys) {
  int keys = 0;
  FormState s = Replay(NewForm(CallLogSurvey(), "en"), kTypicalLog, &keys);
  EXPECT_LE(keys, 8);
  EXPECT_EQ(keys, 8);
  EXPECT_TRUE(s.submit_ready) << s.notice.text;
  EXPECT_EQ(s.values.numbers.at("greeting"), 4);
  EXPECT_EQ(s.values.choices.at("resolution"), std::vector<std::string>{"resolved"});
  EXPECT_EQ(s.values.numbers.at("effort"), 6);
}

TEST(KeystrokeBudgetTest, EscalatedLogWithPraiseKeepsTheSameKeyBudgetPlusPraiseTabs) {
  // Escalated (4) and the customer's praise: 3 more Tabs to reach the story, text only.
  const std::vector<Stroke> script = {K(Key::kN, 0, true),
                                      T("C-20232"),
                                      K(Key::kTab),
                                      K(Key::kDigit, 5),
                                      K(Key::kTab),
                                      K(Key::kDigit, 4),
                                      K(Key::kTab),
                                      K(Key::kDigit, 3),
                                      K(Key::kTab),
                                      K(Key::kTab),
                                      T("Best service I ever had"),
                                      K(Key::kEnter)};
  int keys = 0;
  FormState s = Replay(NewForm(CallLogSurvey(), "en"), script, &keys);
  EXPECT_EQ(keys, 10);
  EXPECT_TRUE(s.submit_ready) << s.notice.text;
  EXPECT_EQ(s.values.choices.at("resolution"), std::vector<std::string>{"escalated"});
  EXPECT_EQ(FieldText(s, "praise.story"), "Best service I ever had");
}

TEST(KeystrokeBudgetTest, ShiftTabCorrectsAScore) {
  const std::vector<Stroke> script = {
      T("C-1"),         K(Key::kTab), K(Key::kDigit, 2), K(Key::kTab), K(Key::kTab, 0, false, true),
      K(Key::kDigit, 5)};
  int keys = 0;
  FormState s = Replay(NewForm(CallLogSurvey(), "en"), script, &keys);
  EXPECT_EQ(s.values.numbers.at("greeting"), 5);
  EXPECT_EQ(s.focus, 1u);
}

}  // namespace
}  // namespace feedback::agent
