#include "ui/sdl_init.h"

#include <SDL.h>

#include <string>

namespace feedback::ui {

Result<std::unique_ptr<SdlInit>> SdlInit::Create() {
  // A finger tap must reach ImGui as a mouse click: SDL synthesises mouse events from the
  // first finger (ImGui 1.86 only understands the mouse), while the reverse synthesis is
  // off so that a real mouse is not reported twice.
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
  SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
  // A touch screen gives no focus-click; the first tap must already press a button.
  SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
  // Kiosks run for months: never let the screen saver blank a waiting kiosk.
  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    return Status::Unavailable(std::string("SDL_Init(SDL_INIT_VIDEO) failed: ") + SDL_GetError() +
                               " (is there a display? check DISPLAY / WAYLAND_DISPLAY, or run "
                               "under Xvfb for tests)");
  }
  return std::unique_ptr<SdlInit>(new SdlInit());
}

SdlInit::~SdlInit() { SDL_Quit(); }

}  // namespace feedback::ui
