// SdlInit: the one-time SDL set-up a GUI main() does first, and SDL_Quit when it goes
// out of scope (so it must outlive every window, renderer and AppShell). Create exactly
// one, on the main thread, at the top of main():
//
//   auto sdl = feedback::ui::SdlInit::Create();
//   if (!sdl.ok()) { fprintf(stderr, "%s\n", sdl.status().ToString().c_str()); return 1; }
//
// Only SDL's video (+events) subsystem is started: joystick/sensor subsystems would make
// SDL_WaitEvent poll instead of block, and an idle kiosk must sleep.
#pragma once

#include <memory>

#include "core/result.h"

namespace feedback::ui {

class SdlInit {
 public:
  // Sets the touch hints (fingers synthesise mouse events, the mouse does not synthesise
  // touches), then SDL_Init(SDL_INIT_VIDEO). Fails with the SDL error text, e.g. when
  // there is no display (DISPLAY unset / no X server).
  static Result<std::unique_ptr<SdlInit>> Create();

  ~SdlInit();
  SdlInit(const SdlInit&) = delete;
  SdlInit& operator=(const SdlInit&) = delete;

 private:
  SdlInit() = default;
};

}  // namespace feedback::ui
