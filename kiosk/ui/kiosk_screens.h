// The kiosk's screens drawn with Dear ImGui: DrawKiosk() renders the current
// KioskState (and the controller's ViewData) and returns what the customer did
// this frame as state-machine Events. It never changes state itself and never
// touches the database (STYLE.md "Screens" 5). Sizes come from the theme in
// millimetres, so every touch target is at least 15 mm at the configured DPI.
// UI thread only, between ImGui::NewFrame and ImGui::Render.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "logic/kiosk_controller.h"
#include "logic/kiosk_state.h"
#include "ui/app_shell.h"

namespace feedback::kiosk {

struct ScreenInput {
  const KioskState& state;
  const ViewData& view;
  const Settings& settings;
  bool has_pin = false;
  TimeMs now = 0;
  ImTextureID logo = nullptr;  // the brand logo texture, or null for the built-in mark
};

// Opens the full-screen window and draws the current screen in it.
std::vector<Event> DrawKiosk(const ScreenInput& input, const ui::FrameContext& frame);
// The same inside a full-screen window the caller has already begun (the
// headless test harness opens its own).
std::vector<Event> DrawKioskContent(const ScreenInput& input, const ui::FrameContext& frame);

// What the last DrawKiosk chose that the state does not say, for --layout-log:
// "kb=full|compact|narrow" on typing screens, "roster=all|index|letters|names" on the
// hero picker; empty elsewhere. UI thread only.
const std::string& LastLayoutNote();

}  // namespace feedback::kiosk
