// On-screen keyboard for the kiosk's free-text and hero-name questions: QWERTY with a
// Spanish ñ key, a row of accented vowels and ¿ ¡, shift, backspace, space and done.
// Like the other touch widgets it keeps no state: the caller owns the text and the
// shift flag, draws the keyboard with them and applies the returned key with
// ApplyKeyPress (pure; tested without ImGui). Keys are laid out at the theme's minimum
// target size (15 mm) or larger; when the available width is too small for that (a
// compact desktop window) keys shrink and KeyboardLayout::meets_min_target says so.
// Drawing is UI thread only; the layout and editing functions are pure and thread-safe.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ui/theme.h"
#include "ui/touch_widgets.h"

namespace feedback::ui {

enum class KeyAction { kCharacter, kBackspace, kSpace, kShift, kDone };

struct KeyPress {
  KeyAction action = KeyAction::kCharacter;
  std::string text;  // UTF-8 of the character (already shifted), for kCharacter only
  friend bool operator==(const KeyPress&, const KeyPress&) = default;
};

struct KeyboardLabels {
  std::string space = "space";  // translated by the caller, e.g. "espacio"
  std::string done = "Done";    // e.g. "Listo"
};

struct KeyRect {
  KeyPress key;
  std::string probe_name;  // "ñ", "space", "backspace", "shift", "done"
  Rect rect;
};

struct KeyboardLayout {
  std::vector<KeyRect> keys;
  ImVec2 size;                    // total width and height in pixels
  float key_px = 0.0f;            // width of a one-unit key
  bool meets_min_target = false;  // every key is at least theme.sizing.min_target_mm
};

// Where every key goes when drawn from `origin` in `avail_width` pixels.
KeyboardLayout LayoutKeyboard(ImVec2 origin, float avail_width, bool shift, const Theme& theme,
                              const KeyboardLabels& labels);

// Draws the keyboard at the cursor; returns the key tapped this frame.
std::optional<KeyPress> OnScreenKeyboard(const char* id, bool shift, const Theme& theme,
                                         const KeyboardLabels& labels = {});

struct TextEditResult {
  std::string text;
  bool shift = false;
  bool done = false;
};

// Applies a key to `text`: characters append (unless `max_chars` code points are already
// there), backspace removes one whole UTF-8 code point, shift toggles, and shift is
// released after one character (one-shot, like phone keyboards).
TextEditResult ApplyKeyPress(std::string text, bool shift, const KeyPress& key, size_t max_chars);

// Number of UTF-8 code points in `text`.
size_t Utf8Length(std::string_view text);
// Removes the last UTF-8 code point (no-op on an empty string).
void PopUtf8CodePoint(std::string& text);

}  // namespace feedback::ui
