#include "view/agent_theme.h"

namespace feedback::agent {

ui::Theme AgentTheme(const ui::Theme& brand) {
  ui::Theme t = brand;
  t.name = brand.name + "+agent-desktop";
  // ~15 px body, 18 px headings, 22 px title at 96 dpi.
  t.font_sizes.body_mm = 3.95f;
  t.font_sizes.large_mm = 4.75f;
  t.font_sizes.title_mm = 5.8f;
  // Mouse-sized targets (the window is driven mostly from the keyboard).
  t.sizing.min_target_mm = 7.0f;
  t.sizing.gap_mm = 1.6f;
  t.sizing.padding_mm = 3.0f;
  t.sizing.corner_mm = 1.3f;
  return t;
}

Result<ui::Theme> LoadAgentTheme(const std::string& assets_dir) {
  Result<ui::Theme> brand = ui::LoadBrandTheme(assets_dir);
  if (!brand.ok()) return brand.status();
  return AgentTheme(*brand);
}

AgentMetrics MetricsOf(const ui::Theme& theme, bool compact) {
  AgentMetrics m{};
  m.pad = theme.MmToPx(compact ? 2.4f : theme.sizing.padding_mm);
  m.gap = compact ? theme.MmToPx(1.1f) : theme.GapPx();
  m.row = theme.MmToPx(compact ? 6.4f : 7.4f);
  m.score_cell = theme.MmToPx(9.5f);
  m.card_rounding = theme.MmToPx(theme.sizing.corner_mm) * 1.5f;
  m.focus_ring = theme.MmToPx(0.55f);
  return m;
}

}  // namespace feedback::agent
