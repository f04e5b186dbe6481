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

enum class KeyAction { kCharacter, kBackspace, kSpace, kShift, kDone, kLayer };

// Which key arrangement: the full one (6 rows x 10 keys: digits, QWERTY + ñ, shift/
// backspace, accents, punctuation/space/done); a compact one for short screens (4 rows
// x 10: QWERTY + ñ, with a "123" key to a layer of digits, accents and punctuation);
// and a narrow one for screens too narrow for 10 keys (alphabetical, 7 keys a row,
// 5 rows, same "123" layer). The caller owns the layer flag like the shift flag.
enum class KeyboardKind { kFull, kCompact, kNarrow };
struct KeyboardMode {
  KeyboardKind kind = KeyboardKind::kFull;
  bool symbols = false;  // compact / narrow: the digits-and-accents layer is showing
};
// Keys per row (in width units) and rows of a mode.
int KeyboardColumns(KeyboardKind kind);
int KeyboardRows(KeyboardKind kind);
std::string_view KeyboardKindName(KeyboardKind kind);  // "full", "compact", "narrow"
// Whether `ch` (one UTF-8 character) is typed from the symbols layer in `kind`.
bool OnSymbolsLayer(KeyboardKind kind, std::string_view ch);

struct KeyPress {
  KeyAction action = KeyAction::kCharacter;
  std::string text;  // UTF-8 of the character (already shifted), for kCharacter only
  friend bool operator==(const KeyPress&, const KeyPress&) = default;
};

struct KeyboardLabels {
  std::string space = "space";  // translated by the caller, e.g. "espacio"
  std::string done = "Done";    // e.g. "Listo"
  std::string symbols = "123";  // the layer key on the letters layer
  std::string letters = "abc";  // ... and on the symbols layer
};

struct KeyRect {
  KeyPress key;
  std::string probe_name;  // "ñ", "space", "backspace", "shift", "done", "layer"
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

// Where every key of `mode` goes from `origin` with one-unit keys of `key` pixels
// (width, height) and `gap` between them; the rows are centred in `avail_width`.
KeyboardLayout LayoutKeyboard(ImVec2 origin, float avail_width, ImVec2 key, float gap, bool shift,
                              KeyboardMode mode, const Theme& theme);

// Draws the keyboard at the cursor; returns the key tapped this frame.
std::optional<KeyPress> OnScreenKeyboard(const char* id, bool shift, const Theme& theme,
                                         const KeyboardLabels& labels = {});
// Draws a keyboard laid out by LayoutKeyboard; returns the key tapped this frame.
std::optional<KeyPress> DrawKeyboard(const char* id, const KeyboardLayout& layout, bool shift,
                                     KeyboardMode mode, const Theme& theme,
                                     const KeyboardLabels& labels);

struct TextEditResult {
  std::string text;
  bool shift = false;
  bool done = false;
  bool toggle_layer = false;  // the layer key: the caller flips KeyboardMode::symbols
};

// Applies a key to `text`: characters append (unless `max_chars` code points are already
// there), backspace removes one whole UTF-8 code point, shift toggles, and shift is
// released after one character (one-shot, like phone keyboards); the layer key only
// sets toggle_layer.
TextEditResult ApplyKeyPress(std::string text, bool shift, const KeyPress& key, size_t max_chars);

// Number of UTF-8 code points in `text`.
size_t Utf8Length(std::string_view text);
// Removes the last UTF-8 code point (no-op on an empty string).
void PopUtf8CodePoint(std::string& text);

}  // namespace feedback::ui
