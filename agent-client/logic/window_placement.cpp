#include "logic/window_placement.h"

#include <algorithm>

namespace feedback::agent {
namespace {

// One axis: the client's start and length inside [origin, origin + span) with `before`
// and `after` pixels of frame on either side.
void PlaceAxis(int wanted, int minimum, int origin, int span, int before, int after, int& start,
               int& length, bool& reduced) {
  const int room = span - before - after;
  length = std::max(minimum, std::min(wanted, room));
  if (length < wanted) reduced = true;
  start = origin + before + std::max(0, (room - length) / 2);
}

}  // namespace

WindowPlacement PlaceWindow(PixelSize wanted, PixelRect usable, FrameBorders borders) {
  WindowPlacement p;
  PlaceAxis(wanted.w, kMinWindowSize.w, usable.x, usable.w, borders.left, borders.right, p.client.x,
            p.client.w, p.reduced);
  PlaceAxis(wanted.h, kMinWindowSize.h, usable.y, usable.h, borders.top, borders.bottom, p.client.y,
            p.client.h, p.reduced);
  return p;
}

std::string DescribePlacement(const WindowPlacement& placement, PixelSize wanted,
                              PixelRect usable) {
  const PixelRect& c = placement.client;
  std::string out = std::to_string(c.w) + "x" + std::to_string(c.h) + " at " + std::to_string(c.x) +
                    "," + std::to_string(c.y);
  if (placement.reduced) {
    out += " (wanted " + std::to_string(wanted.w) + "x" + std::to_string(wanted.h) + ";";
  } else {
    out += " (";
  }
  out += std::string(placement.reduced ? " " : "") + "usable area " + std::to_string(usable.w) +
         "x" + std::to_string(usable.h) + " at " + std::to_string(usable.x) + "," +
         std::to_string(usable.y) + ")";
  return out;
}

}  // namespace feedback::agent
