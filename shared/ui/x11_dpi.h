// The X screen's density from the core protocol (DisplayWidth / DisplayWidthMM), for X
// servers whose RandR outputs report no physical size (SDL_GetDisplayDPI then fails) but
// whose screen does - Xvfb -dpi, many kiosk X setups. Kept in its own file because Xlib's
// macros (Status, None, ...) clash with ours. Thread-safe (opens its own connection).
#pragma once

#include <optional>

namespace feedback::ui {

// nullopt when not on X11, no display, or no plausible size (50-500 dpi).
std::optional<float> X11ScreenDpi();

}  // namespace feedback::ui
