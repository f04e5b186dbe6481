// The on-screen keyboard: layout keeps keys >= 15 mm where the screen allows, taps
// return the right key (shifted when shift is on, Spanish letters included), and
// ApplyKeyPress edits UTF-8 text one code point at a time.
#include "ui/onscreen_keyboard.h"

#include <gtest/gtest.h>

#include <map>

#include "ui/headless_ui.h"
#include "ui/item_probe.h"

namespace feedback::ui {
namespace {

const KeyRect* FindKey(const KeyboardLayout& layout, const std::string& probe_name) {
  for (const KeyRect& k : layout.keys) {
    if (k.probe_name == probe_name) return &k;
  }
  return nullptr;
}

TEST(LayoutKeyboard, KeysAreAtLeast15MmOnAKioskScreen) {
  Theme theme;
  theme.dpi = 92.0f;  // a 24" 1920x1080 monitor
  const KeyboardLayout layout = LayoutKeyboard(ImVec2(0, 0), 1800.0f, false, theme, {});
  EXPECT_TRUE(layout.meets_min_target);
  for (const KeyRect& k : layout.keys) {
    EXPECT_GE(theme.PxToMm(k.rect.Width()) + 0.01f, 15.0f) << k.probe_name;
    EXPECT_GE(theme.PxToMm(k.rect.Height()) + 0.01f, 15.0f) << k.probe_name;
    EXPECT_LE(k.rect.max.x, 1800.0f) << k.probe_name;
  }
  for (const char* name :
       {"\xC3\xB1", "q", "a", "z", "0", "\xC2\xBF", "space", "done", "shift", "backspace"}) {
    EXPECT_NE(FindKey(layout, name), nullptr) << name;
  }
}

TEST(LayoutKeyboard, RowsDoNotOverlap) {
  Theme theme;
  const KeyboardLayout layout = LayoutKeyboard(ImVec2(0, 0), 1200.0f, false, theme, {});
  for (size_t i = 0; i < layout.keys.size(); ++i) {
    for (size_t j = i + 1; j < layout.keys.size(); ++j) {
      const Rect& a = layout.keys[i].rect;
      const Rect& b = layout.keys[j].rect;
      const bool overlap =
          a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
      EXPECT_FALSE(overlap) << layout.keys[i].probe_name << " / " << layout.keys[j].probe_name;
    }
  }
}

TEST(LayoutKeyboard, ShrinksAndSaysSoWhenTheWindowIsTooNarrow) {
  Theme theme;
  theme.dpi = 96.0f;
  const KeyboardLayout layout = LayoutKeyboard(ImVec2(0, 0), 400.0f, false, theme, {});
  EXPECT_FALSE(layout.meets_min_target);
  EXPECT_LE(layout.size.x, 400.0f + 0.01f);
}

TEST(OnScreenKeyboard, TapsReturnKeysWithShift) {
  HeadlessUi ui(ImVec2(1920, 1080), 96.0f);
  bool shift = false;
  std::optional<KeyPress> pressed;
  ImVec2 origin;
  float avail = 0.0f;
  auto draw = [&] {
    origin = ImGui::GetCursorScreenPos();
    avail = ImGui::GetContentRegionAvail().x;
    if (auto k = OnScreenKeyboard("kbd", shift, ui.theme(), {"espacio", "Listo"})) pressed = k;
  };
  ui.Frame(draw);
  const KeyboardLayout layout = LayoutKeyboard(origin, avail, shift, ui.theme(), {});
  ASSERT_TRUE(layout.meets_min_target);

  ui.Tap(FindKey(layout, "\xC3\xB1")->rect.Center(), draw);
  ASSERT_TRUE(pressed.has_value());
  EXPECT_EQ(*pressed, (KeyPress{KeyAction::kCharacter, "\xC3\xB1"}));

  shift = true;
  pressed.reset();
  ui.Tap(FindKey(layout, "\xC3\xB1")->rect.Center(), draw);
  EXPECT_EQ(*pressed, (KeyPress{KeyAction::kCharacter, "\xC3\x91"}));  // Ñ

  for (const auto& [name, action] :
       std::map<std::string, KeyAction>{{"space", KeyAction::kSpace},
                                        {"backspace", KeyAction::kBackspace},
                                        {"shift", KeyAction::kShift},
                                        {"done", KeyAction::kDone}}) {
    pressed.reset();
    ui.Tap(FindKey(layout, name)->rect.Center(), draw);
    ASSERT_TRUE(pressed.has_value()) << name;
    EXPECT_EQ(pressed->action, action) << name;
  }
}

TEST(ApplyKeyPress, TypesSpanishAndDeletesWholeCodePoints) {
  TextEditResult r = ApplyKeyPress("", false, KeyPress{KeyAction::kCharacter, "\xC2\xBF"}, 100);
  r = ApplyKeyPress(r.text, r.shift, KeyPress{KeyAction::kShift, ""}, 100);
  EXPECT_TRUE(r.shift);
  r = ApplyKeyPress(r.text, r.shift, KeyPress{KeyAction::kCharacter, "Q"}, 100);
  EXPECT_FALSE(r.shift) << "shift is one-shot";
  r = ApplyKeyPress(r.text, r.shift, KeyPress{KeyAction::kCharacter, "u"}, 100);
  r = ApplyKeyPress(r.text, r.shift, KeyPress{KeyAction::kCharacter, "\xC3\xA9"}, 100);
  std::string text = r.text;
  EXPECT_EQ(text, "\xC2\xBFQu\xC3\xA9");
  EXPECT_EQ(Utf8Length(text), 4u);
  text = ApplyKeyPress(text, false, KeyPress{KeyAction::kBackspace, ""}, 100).text;
  EXPECT_EQ(text, "\xC2\xBFQu");
  text = ApplyKeyPress(text, false, KeyPress{KeyAction::kSpace, ""}, 100).text;
  EXPECT_EQ(text, "\xC2\xBFQu ");
  EXPECT_TRUE(ApplyKeyPress(text, false, KeyPress{KeyAction::kDone, ""}, 100).done);
  EXPECT_TRUE(ApplyKeyPress(text, false, KeyPress{KeyAction::kShift, ""}, 100).shift);
  std::string empty;
  PopUtf8CodePoint(empty);
  EXPECT_TRUE(empty.empty());
}

TEST(ApplyKeyPress, StopsAtMaxCodePoints) {
  std::string text = "\xC3\xB1\xC3\xB1";  // "ññ": 2 code points, 4 bytes
  text = ApplyKeyPress(text, false, KeyPress{KeyAction::kCharacter, "a"}, 3).text;
  EXPECT_EQ(Utf8Length(text), 3u);
  text = ApplyKeyPress(text, false, KeyPress{KeyAction::kCharacter, "b"}, 3).text;
  text = ApplyKeyPress(text, false, KeyPress{KeyAction::kSpace, ""}, 3).text;
  EXPECT_EQ(text,
            "\xC3\xB1\xC3\xB1"
            "a");
}

}  // namespace
}  // namespace feedback::ui
