// Where the call-log window opens and how big it is, from the display's usable area (the
// screen minus task bars and docks: SDL_GetDisplayUsableBounds, i.e. _NET_WORKAREA on
// X11) and the window manager's frame around the window (SDL_GetWindowBordersSize).
// A 1366x768 laptop with a 32 px panel and a 30 px title bar has 706 px of height for the
// window: the 900 px the window would like is cut to that, and the window is placed so
// that its frame, title bar included, stays on screen.
//
// Pure functions over values (main.cpp asks SDL for the numbers); no thread affinity.
#pragma once

#include <optional>
#include <string>

namespace feedback::agent {

struct PixelSize {
  int w = 0;
  int h = 0;
};

struct PixelRect {
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;
};

// The frame a window manager draws around a window's client area (title bar on top).
struct FrameBorders {
  int top = 0;
  int left = 0;
  int bottom = 0;
  int right = 0;
};

// The window the rep gets when nothing is asked for: tall and narrow, beside the phone
// software. Smaller screens get less height; the form scrolls below kMinWindowSize.
inline constexpr PixelSize kPreferredWindowSize{480, 900};
// The smallest window whose every control is laid out without clipping or overlap
// (checked by tests/agent-client/agent_layout_test.cpp); SDL refuses to shrink below it.
inline constexpr PixelSize kMinWindowSize{360, 480};

struct WindowPlacement {
  PixelRect client;      // the window's drawable area, in screen pixels
  bool reduced = false;  // the wanted size did not fit the usable area and was cut
};

// The client rectangle for a window that wants `wanted` (the --window size, or
// kPreferredWindowSize): never larger than `usable` minus `borders`, never smaller than
// kMinWindowSize, centred in the usable area with its frame inside it. When even the
// minimum does not fit, the frame's top-left corner is kept on screen (the title bar
// stays reachable) and the rest scrolls off the far edges.
WindowPlacement PlaceWindow(PixelSize wanted, PixelRect usable, FrameBorders borders);

// "480x706 at 443,31 (wanted 480x900; usable area 1366x736 at 0,0)" for the log.
std::string DescribePlacement(const WindowPlacement& placement, PixelSize wanted, PixelRect usable);

}  // namespace feedback::agent
