// Small drawing helpers the kiosk screens share: wrapped and centred text blocks,
// the brand mark, icons, cards and fixed-size regions for the shared touch
// widgets. Plain functions over Dear ImGui; UI thread only, between NewFrame and
// Render. Nothing here keeps state.
#pragma once

#include <imgui.h>

#include <string_view>

#include "ui/theme.h"
#include "ui/touch_widgets.h"

namespace feedback::kiosk {

enum class Align { kLeft, kCenter, kRight };

// Draws `text` word-wrapped to `wrap_width` with `font`, each line aligned around
// `x` (left edge, centre or right edge). Returns the height used. With
// max_lines > 0 the text stops there and the last line ends in "…".
// `end_pos` (optional) receives the point just after the last glyph (for a caret).
float DrawTextBlock(ImDrawList* dl, ImFont* font, std::string_view text, float x, float y,
                    float wrap_width, ImU32 color, Align align, int max_lines = 0,
                    ImVec2* end_pos = nullptr);
// While one of these lives, DrawTextBlock does not report its text to the item probe
// (text scrolled and clipped inside a text field is the field's content, not a label).
struct TextProbeOff {
  TextProbeOff();
  ~TextProbeOff();
  TextProbeOff(const TextProbeOff&) = delete;
  TextProbeOff& operator=(const TextProbeOff&) = delete;
};

// The height DrawTextBlock would use.
float MeasureTextBlock(ImFont* font, std::string_view text, float wrap_width, int max_lines = 0);

// The brand mark: a speech bubble with a heart, in the brand colour.
void DrawBrandMark(ImDrawList* dl, ImVec2 center, float radius, const ui::Theme& theme);
// A filled circle with a check mark (thank-you) or an exclamation mark (out of service).
void DrawCheckBadge(ImDrawList* dl, ImVec2 center, float radius, ui::Rgba fill, ui::Rgba ink);
void DrawAlertBadge(ImDrawList* dl, ImVec2 center, float radius, ui::Rgba fill, ui::Rgba ink);
// A rounded card with a soft shadow.
void DrawCard(ImDrawList* dl, const ui::Rect& rect, const ui::Theme& theme);

// Runs `body` with the layout cursor at rect.min and the available width limited
// to rect's width (a borderless, background-free child window), so the shared
// widgets that fill the available width fill exactly `rect`.
template <typename Body>
void InRegion(const char* id, const ui::Rect& rect, Body body) {
  ImGui::SetCursorScreenPos(rect.min);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0.0f, 0.0f));
  constexpr ImGuiWindowFlags kFlags =
      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
      ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings;
  if (ImGui::BeginChild(id, ImVec2(rect.Width(), rect.Height()), false, kFlags)) body();
  ImGui::EndChild();
  ImGui::PopStyleVar();
}

// An invisible touch target over `rect`; true when tapped. Reported to the item
// probe under `probe_name` (tests click it by name).
bool TouchTarget(const char* id, const ui::Rect& rect, std::string_view probe_name,
                 bool* held = nullptr);

}  // namespace feedback::kiosk
