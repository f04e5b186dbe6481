// The kiosk's theme: the brand theme with the kiosk's reading-distance type sizes
// (assets/kiosk/theme.json), fitted to the screen it runs on. FitKioskTheme scales
// type, spacing and the touch-target size to the screen's physical size: 15 mm targets
// and full type wherever the short side has room (>= 135 mm), shrinking towards 9.5 mm
// targets and ~55 % type on a phone-sized panel (~90 mm), never below. Plain functions.
#pragma once

#include <imgui.h>

#include <string>

#include "core/result.h"
#include "ui/theme.h"

namespace feedback::kiosk {

Result<ui::Theme> LoadKioskTheme(const std::string& assets_dir);

// Adapts `theme` (whose dpi is already the display's) to a window of `window_px`.
void FitKioskTheme(ui::Theme& theme, ImVec2 window_px);

}  // namespace feedback::kiosk
