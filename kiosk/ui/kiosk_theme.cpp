#include "ui/kiosk_theme.h"

#include <algorithm>
#include <filesystem>

#include "device/device_config.h"

namespace feedback::kiosk {

Result<ui::Theme> LoadKioskTheme(const std::string& assets_dir) {
  FEEDBACK_ASSIGN_OR_RETURN(ui::Theme theme, ui::LoadBrandTheme(assets_dir));
  const std::string path = (std::filesystem::path(assets_dir) / "kiosk" / "theme.json").string();
  Result<std::string> text = ReadSmallFile(path, 64 * 1024);
  if (!text.ok()) {
    if (text.status().code() != Status::Code::kNotFound) return text.status();
    return theme;
  }
  FEEDBACK_ASSIGN_OR_RETURN(ui::Theme kiosk, ui::ParseTheme(*text, path));
  theme.font_sizes = kiosk.font_sizes;
  return theme;
}

void FitKioskTheme(ui::Theme& theme, ImVec2 window_px) {
  const float w_mm = theme.PxToMm(window_px.x);
  const float h_mm = theme.PxToMm(window_px.y);
  const float short_mm = std::min(w_mm, h_mm);
  // 0 on a ~90 mm panel, 1 from 135 mm up.
  const float room = std::clamp((short_mm - 88.0f) / (135.0f - 88.0f), 0.0f, 1.0f);
  const float full_target = theme.sizing.min_target_mm;
  theme.sizing.min_target_mm = 9.5f + (full_target - 9.5f) * room;
  theme.sizing.gap_mm = 1.5f + (theme.sizing.gap_mm - 1.5f) * room;
  theme.sizing.padding_mm = 2.0f + (theme.sizing.padding_mm - 2.0f) * room;
  // Type follows the screen's short side: full size from 200 mm up.
  const float type = std::clamp(short_mm / 200.0f, 0.55f, 1.0f);
  theme.font_sizes.body_mm *= type;
  theme.font_sizes.large_mm *= type;
  theme.font_sizes.title_mm *= type;
}

}  // namespace feedback::kiosk
