#include "view/window_fit.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace feedback::agent {

PixelRect UsableArea(SDL_Window* window) {
  const int display = window != nullptr ? std::max(0, SDL_GetWindowDisplayIndex(window)) : 0;
  SDL_Rect r;
  if (SDL_GetDisplayUsableBounds(display, &r) == 0 && r.w > 0 && r.h > 0) {
    return {r.x, r.y, r.w, r.h};
  }
  if (SDL_GetDisplayBounds(display, &r) == 0 && r.w > 0 && r.h > 0) return {r.x, r.y, r.w, r.h};
  spdlog::warn("display {}: no bounds from SDL ({}); assuming 1280x720", display, SDL_GetError());
  return {0, 0, 1280, 720};
}

WindowPlacement FitWindowToDisplay(SDL_Window* window, PixelSize wanted) {
  SDL_SetWindowMinimumSize(window, kMinWindowSize.w, kMinWindowSize.h);
  FrameBorders borders;
  if (SDL_GetWindowBordersSize(window, &borders.top, &borders.left, &borders.bottom,
                               &borders.right) != 0) {
    borders = {};  // no window manager, or it does not say: the client is the frame
  }
  const PixelRect usable = UsableArea(window);
  const WindowPlacement placement = PlaceWindow(wanted, usable, borders);
  const PixelRect& c = placement.client;
  int w = 0;
  int h = 0;
  SDL_GetWindowSize(window, &w, &h);
  if (w != c.w || h != c.h) SDL_SetWindowSize(window, c.w, c.h);
  SDL_SetWindowPosition(window, c.x, c.y);
  spdlog::info("window {}; frame {} {} {} {}", DescribePlacement(placement, wanted, usable),
               borders.top, borders.left, borders.bottom, borders.right);
  return placement;
}

}  // namespace feedback::agent
