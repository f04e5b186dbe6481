// Sizes and places the call-log window on the display it opens on (the SDL side of
// logic/window_placement.h): the usable area from SDL_GetDisplayUsableBounds (the screen
// minus panels and docks), the window manager's frame from SDL_GetWindowBordersSize.
//
// SDL video calls: main thread only, after SdlInit.
#pragma once

#include <SDL.h>

#include "logic/window_placement.h"

namespace feedback::agent {

// The usable area of the display `window` is on (display 0 when window is null, i.e.
// before it exists). Falls back to the whole display, then to a 1280x720 guess.
PixelRect UsableArea(SDL_Window* window);

// Once the window exists (and its frame is known): sizes and places it again inside the
// usable area of its display, frame included, and sets its minimum size to
// kMinWindowSize. Logs and returns what it did.
WindowPlacement FitWindowToDisplay(SDL_Window* window, PixelSize wanted);

}  // namespace feedback::agent
