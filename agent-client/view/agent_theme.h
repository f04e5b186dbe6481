// The agent desktop's sizing on top of the brand theme (colours from
// assets/branding/theme.json via ui::LoadBrandTheme): a compact mouse-and-keyboard
// window, not a 15 mm touch screen, so fonts and paddings are desktop-sized. The
// numbers live here and nowhere else in the view (STYLE.md "Screens" 6).
// Plain values; no ImGui state is touched.
#pragma once

#include "core/result.h"
#include "ui/theme.h"

namespace feedback::agent {

// Desktop sizes over brand colours.
ui::Theme AgentTheme(const ui::Theme& brand);

// Loads the brand theme from assets and applies AgentTheme().
Result<ui::Theme> LoadAgentTheme(const std::string& assets_dir);

// Sizes the view uses, in pixels for the theme's DPI.
struct AgentMetrics {
  float pad;         // inner padding of cards
  float gap;         // between items
  float row;         // height of a score button / single-line field
  float score_cell;  // width of a score button
  float card_rounding;
  float focus_ring;  // thickness of the focused-field ring
};
// Windows shorter than this get the compact sizes (smaller rows and gaps), so that on a
// 1366x768 or 1280x720 laptop the whole form down to "Log call" fits without scrolling.
inline constexpr float kCompactBelowHeightPx = 760.0f;
AgentMetrics MetricsOf(const ui::Theme& theme, bool compact = false);

}  // namespace feedback::agent
