// Touch widgets: plain Dear ImGui drawing functions for big, hover-free touch targets.
// Each takes the current value from the caller and returns the user's intent for this
// frame (what was tapped) — none of them keeps state, so a screen's state struct stays
// the single source of truth and the next customer never inherits the last one's taps.
// A "tap" is press-and-release on the same target (ImGui's click semantics), so sliding
// a finger off a target cancels it. Targets are at least theme.sizing.min_target_mm
// (15 mm) on each side; rows wrap rather than shrink below that.
// Labels use the current ImGui font (push fonts.large for question screens).
// With FEEDBACK_UI_PROBE=1 each target reports its rectangle (see item_probe.h) under
// "<id>" (buttons) or "<id>/<value>" (cells of a row).
// UI thread only, between ImGui::NewFrame and ImGui::Render.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ui/theme.h"

namespace feedback::ui {

struct Rect {
  ImVec2 min;
  ImVec2 max;
  float Width() const { return max.x - min.x; }
  float Height() const { return max.y - min.y; }
  ImVec2 Center() const { return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f); }
};

// ---- Text that fits its box ----------------------------------------------------------
// Word-wrapped lines of `text` at `scale` x the font's size, as FitText chose them.
struct FittedText {
  std::vector<std::string> lines;
  float scale = 1.0f;  // font size factor (1 = as given)
  ImVec2 size;         // extent of all lines at that scale
};

// Fits `text` into `box` (pixels): one line if it fits; else word-wrapped lines (never
// more than fit in box.y); else the font shrunk step by step down to `min_scale`. Words
// are never cut: a word wider than the box at min_scale makes the result wider than the
// box, which the layout check reports.
FittedText FitText(ImFont* font, float font_size, std::string_view text, ImVec2 box,
                   float min_scale = 0.6f);

enum class TextAlign { kLeft, kCenter, kRight };

// Draws fitted text inside `box` (lines aligned horizontally, the block centred
// vertically unless `top` is set) and reports it to the item probe as `probe_name`.
void DrawFittedText(ImDrawList* dl, ImFont* font, float font_size, const FittedText& text,
                    const Rect& box, ImU32 color, TextAlign align, std::string_view probe_name,
                    bool top = false);

// Begins a borderless window covering the whole display in the theme background;
// always pair with EndScreen(). Screens draw inside it.
void BeginScreen(const char* id);
void EndScreen();

// Lays out `count` equal cells left to right from `origin` within `width`, centred,
// wrapping to more rows when a row of cells at least `min_cell` wide does not fit.
// Cells are at most `max_cell` wide and `cell_height` tall; `gap` between them.
std::vector<Rect> LayoutCells(ImVec2 origin, float width, int count, float min_cell, float max_cell,
                              float cell_height, float gap);

enum class ButtonKind { kPrimary, kSecondary, kDanger };

// A large button. size.x/y of 0 = fit the label (never under the minimum target);
// size.x < 0 = the full available width. Returns true on the frame it is tapped.
bool BigButton(const char* id, std::string_view label, const Theme& theme,
               ButtonKind kind = ButtonKind::kPrimary, ImVec2 size = ImVec2(0.0f, 0.0f));

enum class ScaleColoring {
  kNeutral,  // every cell in the brand colour
  kNps,      // 0-6 detractor, 7-8 passive, 9-10 promoter colours
};

struct ScaleSpec {
  int min = 0;
  int max = 10;
  std::string_view low_label;   // anchor under the first cell, e.g. "Not at all likely"
  std::string_view high_label;  // anchor under the last cell, e.g. "Extremely likely"
  ScaleColoring coloring = ScaleColoring::kNeutral;
};

// A row of numbered cells spec.min..spec.max. Cells are square, as large as the width
// and the available height allow (up to 28 mm, never under the minimum target); when one
// row does not fit they wrap into balanced rows (0-10 -> 0-5 / 6-10), with the low anchor
// under the first row and the high anchor under the last, each word-wrapped in its half
// of the width. Returns the value tapped this frame.
std::optional<int> ScaleRow(const char* id, std::optional<int> selected, const ScaleSpec& spec,
                            const Theme& theme);
// 0-10 likelihood-to-recommend, coloured by NPS group.
std::optional<int> NpsRow(const char* id, std::optional<int> selected, std::string_view low_label,
                          std::string_view high_label, const Theme& theme);
// 1..points (e.g. 1-5 drivers, 1-7 CES) with anchor labels.
std::optional<int> RatingRow(const char* id, std::optional<int> selected, int points,
                             std::string_view low_label, std::string_view high_label,
                             const Theme& theme);

// Five faces for CSAT 1 (very unhappy) .. 5 (very happy), drawn with ImDrawList.
// `labels` (optional, 5 entries) are shown under the faces.
std::optional<int> SmileyRow(const char* id, std::optional<int> selected, const Theme& theme,
                             std::span<const std::string> labels = {});

// Draws one face into `rect`: mood 1..5 sets colour and mouth curve. Exposed for the
// attract screen and tests.
void DrawSmiley(ImDrawList* draw_list, const Rect& rect, int mood, bool dimmed, bool selected,
                const Theme& theme);

// A list of large toggles (single choice draws radio marks, multi draws check boxes).
// `selected` holds the chosen indices. Returns the index tapped: the caller selects it
// (single) or toggles it (multi). `columns` 0 = one column, or two when there are more
// than 4 options and room for two.
std::optional<size_t> OptionList(const char* id, std::span<const std::string> labels,
                                 std::span<const int> selected, bool multi, const Theme& theme,
                                 int columns = 0);

struct LanguageOption {
  std::string code;   // "es"
  std::string label;  // "Español" (each language named in itself)
};

// A row of language buttons; the current one is highlighted. Returns the index tapped.
std::optional<size_t> LanguageSwitch(const char* id, std::span<const LanguageOption> options,
                                     std::string_view current_code, const Theme& theme);

}  // namespace feedback::ui
