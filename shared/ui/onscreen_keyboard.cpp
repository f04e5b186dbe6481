#include "ui/onscreen_keyboard.h"

#include <algorithm>
#include <cmath>

#include "ui/item_probe.h"

namespace feedback::ui {
namespace {

// A key as laid out: its action, lower/upper case text, and width in key units.
struct KeySpec {
  KeyAction action;
  const char* lower;
  const char* upper;
  float units;
};

constexpr float kMaxKeyMm = 22.0f;  // beyond this a keyboard looks like a toy
constexpr int kUnitsPerRow = 10;

#define FB_CHAR(l, u) \
  KeySpec { KeyAction::kCharacter, l, u, 1.0f }
const std::vector<std::vector<KeySpec>>& Rows() {
  static const std::vector<std::vector<KeySpec>> kRows = {
      {FB_CHAR("1", "1"), FB_CHAR("2", "2"), FB_CHAR("3", "3"), FB_CHAR("4", "4"),
       FB_CHAR("5", "5"), FB_CHAR("6", "6"), FB_CHAR("7", "7"), FB_CHAR("8", "8"),
       FB_CHAR("9", "9"), FB_CHAR("0", "0")},
      {FB_CHAR("q", "Q"), FB_CHAR("w", "W"), FB_CHAR("e", "E"), FB_CHAR("r", "R"),
       FB_CHAR("t", "T"), FB_CHAR("y", "Y"), FB_CHAR("u", "U"), FB_CHAR("i", "I"),
       FB_CHAR("o", "O"), FB_CHAR("p", "P")},
      {FB_CHAR("a", "A"), FB_CHAR("s", "S"), FB_CHAR("d", "D"), FB_CHAR("f", "F"),
       FB_CHAR("g", "G"), FB_CHAR("h", "H"), FB_CHAR("j", "J"), FB_CHAR("k", "K"),
       FB_CHAR("l", "L"), FB_CHAR("\xC3\xB1", "\xC3\x91")},  // ñ Ñ
      {KeySpec{KeyAction::kShift, "shift", "shift", 1.5f}, FB_CHAR("z", "Z"), FB_CHAR("x", "X"),
       FB_CHAR("c", "C"), FB_CHAR("v", "V"), FB_CHAR("b", "B"), FB_CHAR("n", "N"),
       FB_CHAR("m", "M"), KeySpec{KeyAction::kBackspace, "backspace", "backspace", 1.5f}},
      {FB_CHAR("\xC3\xA1", "\xC3\x81"), FB_CHAR("\xC3\xA9", "\xC3\x89"),  // á é
       FB_CHAR("\xC3\xAD", "\xC3\x8D"), FB_CHAR("\xC3\xB3", "\xC3\x93"),  // í ó
       FB_CHAR("\xC3\xBA", "\xC3\x9A"), FB_CHAR("\xC3\xBC", "\xC3\x9C"),  // ú ü
       FB_CHAR("\xC2\xBF", "\xC2\xBF"), FB_CHAR("?", "?"),                // ¿ ?
       FB_CHAR("\xC2\xA1", "\xC2\xA1"), FB_CHAR("!", "!")},               // ¡ !
      {FB_CHAR(",", ","), FB_CHAR(".", "."), FB_CHAR("@", "@"),
       KeySpec{KeyAction::kSpace, "space", "space", 5.0f},
       KeySpec{KeyAction::kDone, "done", "done", 2.0f}},
  };
  return kRows;
}

#define FB_KEY(action, name, units) \
  KeySpec { KeyAction::action, name, name, units }
const std::vector<std::vector<KeySpec>>& CompactLetters() {
  static const std::vector<std::vector<KeySpec>> kRows = {
      {FB_CHAR("q", "Q"), FB_CHAR("w", "W"), FB_CHAR("e", "E"), FB_CHAR("r", "R"),
       FB_CHAR("t", "T"), FB_CHAR("y", "Y"), FB_CHAR("u", "U"), FB_CHAR("i", "I"),
       FB_CHAR("o", "O"), FB_CHAR("p", "P")},
      {FB_CHAR("a", "A"), FB_CHAR("s", "S"), FB_CHAR("d", "D"), FB_CHAR("f", "F"),
       FB_CHAR("g", "G"), FB_CHAR("h", "H"), FB_CHAR("j", "J"), FB_CHAR("k", "K"),
       FB_CHAR("l", "L"), FB_CHAR("\xC3\xB1", "\xC3\x91")},
      {FB_KEY(kShift, "shift", 1.5f), FB_CHAR("z", "Z"), FB_CHAR("x", "X"), FB_CHAR("c", "C"),
       FB_CHAR("v", "V"), FB_CHAR("b", "B"), FB_CHAR("n", "N"), FB_CHAR("m", "M"),
       FB_KEY(kBackspace, "backspace", 1.5f)},
      {FB_KEY(kLayer, "layer", 1.5f), FB_CHAR(",", ","), FB_KEY(kSpace, "space", 4.5f),
       FB_CHAR(".", "."), FB_KEY(kDone, "done", 2.0f)},
  };
  return kRows;
}

const std::vector<std::vector<KeySpec>>& CompactSymbols() {
  static const std::vector<std::vector<KeySpec>> kRows = {
      {FB_CHAR("1", "1"), FB_CHAR("2", "2"), FB_CHAR("3", "3"), FB_CHAR("4", "4"),
       FB_CHAR("5", "5"), FB_CHAR("6", "6"), FB_CHAR("7", "7"), FB_CHAR("8", "8"),
       FB_CHAR("9", "9"), FB_CHAR("0", "0")},
      {FB_CHAR("\xC3\xA1", "\xC3\x81"), FB_CHAR("\xC3\xA9", "\xC3\x89"),
       FB_CHAR("\xC3\xAD", "\xC3\x8D"), FB_CHAR("\xC3\xB3", "\xC3\x93"),
       FB_CHAR("\xC3\xBA", "\xC3\x9A"), FB_CHAR("\xC3\xBC", "\xC3\x9C"),
       FB_CHAR("\xC2\xBF", "\xC2\xBF"), FB_CHAR("?", "?"), FB_CHAR("\xC2\xA1", "\xC2\xA1"),
       FB_CHAR("!", "!")},
      {FB_CHAR("@", "@"), FB_CHAR("-", "-"), FB_CHAR("'", "'"), FB_CHAR("(", "("),
       FB_CHAR(")", ")"), FB_CHAR("&", "&"), FB_CHAR(":", ":"), FB_CHAR("+", "+"),
       FB_KEY(kBackspace, "backspace", 2.0f)},
      {FB_KEY(kLayer, "layer", 1.5f), FB_CHAR(",", ","), FB_KEY(kSpace, "space", 4.5f),
       FB_CHAR(".", "."), FB_KEY(kDone, "done", 2.0f)},
  };
  return kRows;
}

const std::vector<std::vector<KeySpec>>& NarrowLetters() {
  static const std::vector<std::vector<KeySpec>> kRows = {
      {FB_CHAR("a", "A"), FB_CHAR("b", "B"), FB_CHAR("c", "C"), FB_CHAR("d", "D"),
       FB_CHAR("e", "E"), FB_CHAR("f", "F"), FB_CHAR("g", "G")},
      {FB_CHAR("h", "H"), FB_CHAR("i", "I"), FB_CHAR("j", "J"), FB_CHAR("k", "K"),
       FB_CHAR("l", "L"), FB_CHAR("m", "M"), FB_CHAR("n", "N")},
      {FB_CHAR("\xC3\xB1", "\xC3\x91"), FB_CHAR("o", "O"), FB_CHAR("p", "P"), FB_CHAR("q", "Q"),
       FB_CHAR("r", "R"), FB_CHAR("s", "S"), FB_CHAR("t", "T")},
      {FB_CHAR("u", "U"), FB_CHAR("v", "V"), FB_CHAR("w", "W"), FB_CHAR("x", "X"),
       FB_CHAR("y", "Y"), FB_CHAR("z", "Z"), FB_KEY(kBackspace, "backspace", 1.0f)},
      {FB_KEY(kShift, "shift", 1.0f), FB_KEY(kLayer, "layer", 1.0f), FB_KEY(kSpace, "space", 3.0f),
       FB_KEY(kDone, "done", 2.0f)},
  };
  return kRows;
}

const std::vector<std::vector<KeySpec>>& NarrowSymbols() {
  static const std::vector<std::vector<KeySpec>> kRows = {
      {FB_CHAR("1", "1"), FB_CHAR("2", "2"), FB_CHAR("3", "3"), FB_CHAR("4", "4"),
       FB_CHAR("5", "5"), FB_CHAR("6", "6"), FB_CHAR("7", "7")},
      {FB_CHAR("8", "8"), FB_CHAR("9", "9"), FB_CHAR("0", "0"), FB_CHAR(",", ","),
       FB_CHAR(".", "."), FB_CHAR("@", "@"), FB_CHAR("-", "-")},
      {FB_CHAR("\xC3\xA1", "\xC3\x81"), FB_CHAR("\xC3\xA9", "\xC3\x89"),
       FB_CHAR("\xC3\xAD", "\xC3\x8D"), FB_CHAR("\xC3\xB3", "\xC3\x93"),
       FB_CHAR("\xC3\xBA", "\xC3\x9A"), FB_CHAR("\xC3\xBC", "\xC3\x9C"), FB_CHAR("'", "'")},
      {FB_CHAR("\xC2\xBF", "\xC2\xBF"), FB_CHAR("?", "?"), FB_CHAR("\xC2\xA1", "\xC2\xA1"),
       FB_CHAR("!", "!"), FB_CHAR("(", "("), FB_CHAR(")", ")"),
       FB_KEY(kBackspace, "backspace", 1.0f)},
      {FB_KEY(kLayer, "layer", 2.0f), FB_KEY(kSpace, "space", 3.0f), FB_KEY(kDone, "done", 2.0f)},
  };
  return kRows;
}
#undef FB_KEY

const std::vector<std::vector<KeySpec>>& RowsFor(KeyboardMode mode) {
  switch (mode.kind) {
    case KeyboardKind::kFull:
      return Rows();
    case KeyboardKind::kCompact:
      return mode.symbols ? CompactSymbols() : CompactLetters();
    case KeyboardKind::kNarrow:
      return mode.symbols ? NarrowSymbols() : NarrowLetters();
  }
  return Rows();
}
#undef FB_CHAR

void DrawShiftIcon(ImDrawList* dl, const Rect& r, ImU32 color, bool filled) {
  const ImVec2 c = r.Center();
  const float s = std::min(r.Width(), r.Height()) * 0.22f;
  const ImVec2 pts[7] = {ImVec2(c.x, c.y - s),
                         ImVec2(c.x + s, c.y),
                         ImVec2(c.x + s * 0.45f, c.y),
                         ImVec2(c.x + s * 0.45f, c.y + s),
                         ImVec2(c.x - s * 0.45f, c.y + s),
                         ImVec2(c.x - s * 0.45f, c.y),
                         ImVec2(c.x - s, c.y)};
  if (filled) {  // the arrow is concave, so fill it as a head triangle plus a stem
    dl->AddTriangleFilled(pts[0], pts[1], pts[6], color);
    dl->AddRectFilled(pts[5], pts[3], color);
  }
  dl->AddPolyline(pts, 7, color, ImDrawFlags_Closed, std::max(2.0f, s * 0.12f));
}

void DrawBackspaceIcon(ImDrawList* dl, const Rect& r, ImU32 color) {
  const ImVec2 c = r.Center();
  const float s = std::min(r.Width(), r.Height()) * 0.2f;
  const ImVec2 pts[5] = {ImVec2(c.x - s * 1.6f, c.y), ImVec2(c.x - s * 0.6f, c.y - s),
                         ImVec2(c.x + s * 1.4f, c.y - s), ImVec2(c.x + s * 1.4f, c.y + s),
                         ImVec2(c.x - s * 0.6f, c.y + s)};
  const float t = std::max(2.0f, s * 0.12f);
  dl->AddPolyline(pts, 5, color, ImDrawFlags_Closed, t);
  const float x0 = c.x + s * 0.4f;
  dl->AddLine(ImVec2(x0 - s * 0.45f, c.y - s * 0.45f), ImVec2(x0 + s * 0.45f, c.y + s * 0.45f),
              color, t);
  dl->AddLine(ImVec2(x0 - s * 0.45f, c.y + s * 0.45f), ImVec2(x0 + s * 0.45f, c.y - s * 0.45f),
              color, t);
}

}  // namespace

int KeyboardColumns(KeyboardKind kind) { return kind == KeyboardKind::kNarrow ? 7 : 10; }

int KeyboardRows(KeyboardKind kind) {
  switch (kind) {
    case KeyboardKind::kFull:
      return 6;
    case KeyboardKind::kCompact:
      return 4;
    case KeyboardKind::kNarrow:
      return 5;
  }
  return 6;
}

std::string_view KeyboardKindName(KeyboardKind kind) {
  switch (kind) {
    case KeyboardKind::kFull:
      return "full";
    case KeyboardKind::kCompact:
      return "compact";
    case KeyboardKind::kNarrow:
      return "narrow";
  }
  return "?";
}

bool OnSymbolsLayer(KeyboardKind kind, std::string_view ch) {
  if (kind == KeyboardKind::kFull) return false;
  const KeyboardMode letters{kind, false};
  for (const std::vector<KeySpec>& row : RowsFor(letters)) {
    for (const KeySpec& spec : row) {
      if (spec.action == KeyAction::kCharacter && (ch == spec.lower || ch == spec.upper)) {
        return false;
      }
    }
  }
  return ch != " ";
}

KeyboardLayout LayoutKeyboard(ImVec2 origin, float avail_width, ImVec2 key_size, float gap,
                              bool shift, KeyboardMode mode, const Theme& theme) {
  KeyboardLayout layout;
  const int units = KeyboardColumns(mode.kind);
  const float key = key_size.x;
  layout.key_px = key;
  layout.meets_min_target = std::min(key_size.x, key_size.y) + 0.01f >= theme.MinTargetPx();
  const float row_width = key * static_cast<float>(units) + gap * static_cast<float>(units - 1);
  const float x0 = origin.x + std::max(0.0f, (avail_width - row_width) * 0.5f);

  float y = origin.y;
  for (const std::vector<KeySpec>& row : RowsFor(mode)) {
    float x = x0;
    for (const KeySpec& spec : row) {
      // A key of n units also covers the n-1 gaps it spans, so rows line up.
      const float w = key * spec.units + gap * (spec.units - 1.0f);
      KeyRect k;
      k.key.action = spec.action;
      k.rect = Rect{ImVec2(x, y), ImVec2(x + w, y + key_size.y)};
      switch (spec.action) {
        case KeyAction::kCharacter:
          k.key.text = shift ? spec.upper : spec.lower;
          k.probe_name = spec.lower;
          break;
        case KeyAction::kSpace:
          k.probe_name = "space";
          break;
        case KeyAction::kDone:
          k.probe_name = "done";
          break;
        case KeyAction::kShift:
          k.probe_name = "shift";
          break;
        case KeyAction::kBackspace:
          k.probe_name = "backspace";
          break;
        case KeyAction::kLayer:
          k.probe_name = "layer";
          break;
      }
      layout.keys.push_back(std::move(k));
      x += w + gap;
    }
    y += key_size.y + gap;
  }
  layout.size = ImVec2(row_width, y - gap - origin.y);
  return layout;
}

KeyboardLayout LayoutKeyboard(ImVec2 origin, float avail_width, bool shift, const Theme& theme,
                              const KeyboardLabels& labels) {
  const float gap = theme.GapPx();
  const float fit = (avail_width - gap * static_cast<float>(kUnitsPerRow - 1)) / kUnitsPerRow;
  const float key = std::max(1.0f, std::min(fit, theme.MmToPx(kMaxKeyMm)));
  (void)labels;  // labels only change what is drawn, not where
  return LayoutKeyboard(origin, avail_width, ImVec2(key, key), gap, shift, KeyboardMode{}, theme);
}

std::optional<KeyPress> OnScreenKeyboard(const char* id, bool shift, const Theme& theme,
                                         const KeyboardLabels& labels) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float avail = ImGui::GetContentRegionAvail().x;
  const KeyboardLayout layout = LayoutKeyboard(origin, avail, shift, theme, labels);
  std::optional<KeyPress> pressed = DrawKeyboard(id, layout, shift, KeyboardMode{}, theme, labels);
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(std::max(layout.size.x, avail), layout.size.y));
  return pressed;
}

std::optional<KeyPress> DrawKeyboard(const char* id, const KeyboardLayout& layout, bool shift,
                                     KeyboardMode mode, const Theme& theme,
                                     const KeyboardLabels& labels) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ThemeColors& c = theme.colors;
  const float corner = theme.MmToPx(theme.sizing.corner_mm);
  std::optional<KeyPress> pressed;

  ImGui::PushID(id);
  for (size_t i = 0; i < layout.keys.size(); ++i) {
    const KeyRect& k = layout.keys[i];
    ImGui::SetCursorScreenPos(k.rect.min);
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::InvisibleButton("##key", ImVec2(k.rect.Width(), k.rect.Height()))) pressed = k.key;
    const bool held = ImGui::IsItemActive();
    ImGui::PopID();
    if (ProbeEnabled()) ProbeItem(std::string(id) + "/" + k.probe_name, k.rect.min, k.rect.max);

    const bool action_key =
        k.key.action != KeyAction::kCharacter && k.key.action != KeyAction::kSpace;
    (void)mode;
    const bool lit =
        (k.key.action == KeyAction::kShift && shift) || k.key.action == KeyAction::kDone;
    Rgba fill = lit ? c.primary : (action_key ? c.outline : c.surface);
    if (held) fill = c.pressed;
    const ImU32 ink = (lit || held ? c.on_primary : c.text).ToU32();
    dl->AddRectFilled(k.rect.min, k.rect.max, fill.ToU32(), corner);
    dl->AddRect(k.rect.min, k.rect.max, c.outline.ToU32(), corner, 0, 1.5f);

    const std::string* text = &k.key.text;
    switch (k.key.action) {
      case KeyAction::kShift:
        DrawShiftIcon(dl, k.rect, ink, shift);
        continue;
      case KeyAction::kBackspace:
        DrawBackspaceIcon(dl, k.rect, ink);
        continue;
      case KeyAction::kSpace:
        text = &labels.space;
        break;
      case KeyAction::kDone:
        text = &labels.done;
        break;
      case KeyAction::kLayer:
        text = mode.symbols ? &labels.letters : &labels.symbols;
        break;
      case KeyAction::kCharacter:
        break;
    }
    const float inset = std::min(4.0f, k.rect.Width() * 0.06f);
    const Rect box{ImVec2(k.rect.min.x + inset, k.rect.min.y), ImVec2(k.rect.max.x - inset, k.rect.max.y)};
    const FittedText fitted =
        FitText(ImGui::GetFont(), ImGui::GetFontSize(), *text, ImVec2(box.Width(), box.Height()));
    DrawFittedText(dl, ImGui::GetFont(), ImGui::GetFontSize(), fitted, box, ink, TextAlign::kCenter,
                   ProbeEnabled() ? std::string(id) + "/" + k.probe_name + "/label" : std::string());
  }
  ImGui::PopID();
  return pressed;
}

size_t Utf8Length(std::string_view text) {
  size_t n = 0;
  for (const char ch : text) {
    if ((static_cast<unsigned char>(ch) & 0xC0u) != 0x80u) ++n;  // count non-continuation bytes
  }
  return n;
}

void PopUtf8CodePoint(std::string& text) {
  while (!text.empty()) {
    const auto byte = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((byte & 0xC0u) != 0x80u) return;  // removed the lead byte: the code point is gone
  }
}

TextEditResult ApplyKeyPress(std::string text, bool shift, const KeyPress& key, size_t max_chars) {
  TextEditResult out{std::move(text), shift, false};
  switch (key.action) {
    case KeyAction::kCharacter:
      if (Utf8Length(out.text) < max_chars) out.text += key.text;
      out.shift = false;
      break;
    case KeyAction::kSpace:
      if (Utf8Length(out.text) < max_chars) out.text += ' ';
      break;
    case KeyAction::kBackspace:
      PopUtf8CodePoint(out.text);
      break;
    case KeyAction::kShift:
      out.shift = !shift;
      break;
    case KeyAction::kDone:
      out.done = true;
      break;
    case KeyAction::kLayer:
      out.toggle_layer = true;
      break;
  }
  return out;
}

}  // namespace feedback::ui
