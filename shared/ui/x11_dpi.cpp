#include "ui/x11_dpi.h"

#include <SDL.h>
#include <X11/Xlib.h>

#include <cstring>

namespace feedback::ui {

std::optional<float> X11ScreenDpi() {
  const char* driver = SDL_GetCurrentVideoDriver();
  if (driver == nullptr || std::strcmp(driver, "x11") != 0) return std::nullopt;
  Display* display = XOpenDisplay(nullptr);
  if (display == nullptr) return std::nullopt;
  const int screen = DefaultScreen(display);
  const int mm = DisplayWidthMM(display, screen);
  const int px = DisplayWidth(display, screen);
  XCloseDisplay(display);
  if (mm <= 0 || px <= 0) return std::nullopt;
  const float dpi = static_cast<float>(px) * 25.4f / static_cast<float>(mm);
  if (dpi < 50.0f || dpi > 500.0f) return std::nullopt;
  return dpi;
}

}  // namespace feedback::ui
