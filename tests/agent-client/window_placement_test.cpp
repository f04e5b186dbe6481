// Where the call-log window opens: sized and placed inside the display's usable area.
#include "logic/window_placement.h"

#include <gtest/gtest.h>

#include <ostream>

namespace feedback::agent {
namespace {

struct Case {
  const char* name;
  PixelSize wanted;
  PixelRect usable;
  FrameBorders borders;
  PixelRect client;  // expected
  bool reduced;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class PlaceWindowTest : public ::testing::TestWithParam<Case> {};

TEST_P(PlaceWindowTest, ClientRect) {
  const Case& c = GetParam();
  const WindowPlacement p = PlaceWindow(c.wanted, c.usable, c.borders);
  EXPECT_EQ(p.client.x, c.client.x);
  EXPECT_EQ(p.client.y, c.client.y);
  EXPECT_EQ(p.client.w, c.client.w);
  EXPECT_EQ(p.client.h, c.client.h);
  EXPECT_EQ(p.reduced, c.reduced);
  // Whenever the minimum fits, the frame is wholly inside the usable area.
  if (c.usable.w >= kMinWindowSize.w + c.borders.left + c.borders.right &&
      c.usable.h >= kMinWindowSize.h + c.borders.top + c.borders.bottom) {
    EXPECT_GE(p.client.x - c.borders.left, c.usable.x);
    EXPECT_GE(p.client.y - c.borders.top, c.usable.y);
    EXPECT_LE(p.client.x + p.client.w + c.borders.right, c.usable.x + c.usable.w);
    EXPECT_LE(p.client.y + p.client.h + c.borders.bottom, c.usable.y + c.usable.h);
  }
}

constexpr PixelSize kDefault = kPreferredWindowSize;

INSTANTIATE_TEST_SUITE_P(
    Screens, PlaceWindowTest,
    ::testing::Values(
        // The laptop: 900 px wanted, 768 px screen. No WM (Xvfb): the whole height.
        Case{"Laptop1366NoWm", kDefault, {0, 0, 1366, 768}, {}, {443, 0, 480, 768}, true},
        // A 32 px bottom panel and a 30 px title bar: 706 px left, title bar at y = 0.
        Case{"Laptop1366Panel",
             kDefault,
             {0, 0, 1366, 736},
             {30, 1, 1, 1},
             {443, 30, 480, 705},
             true},
        // A top panel moves the usable area down.
        Case{"Laptop1280TopPanel",
             kDefault,
             {0, 27, 1280, 693},
             {28, 0, 0, 0},
             {400, 55, 480, 665},
             true},
        Case{"FullHdFits", kDefault, {0, 0, 1920, 1040}, {30, 0, 0, 0}, {720, 85, 480, 900}, false},
        // A second monitor to the right: placed on it, not on the first one.
        Case{"SecondMonitor", kDefault, {1920, 0, 1366, 768}, {}, {2363, 0, 480, 768}, true},
        // --window 900x640 on a 1366x768 laptop fits as asked.
        Case{"Wide900x640",
             {900, 640},
             {0, 0, 1366, 736},
             {30, 0, 0, 0},
             {233, 63, 900, 640},
             false},
        // --window larger than the screen is cut to it.
        Case{"TooWide", {2000, 1200}, {0, 0, 1280, 720}, {}, {0, 0, 1280, 720}, true},
        // Smaller than the minimum: the minimum, top-left corner kept on screen.
        Case{"TinyScreen", kDefault, {0, 0, 320, 400}, {20, 0, 0, 0}, {0, 20, 360, 480}, true}));

TEST(PlaceWindowTest, DescribeSaysWhatWasWantedWhenCut) {
  const PixelRect usable{0, 0, 1366, 768};
  const WindowPlacement p = PlaceWindow(kDefault, usable, {});
  EXPECT_EQ(DescribePlacement(p, kDefault, usable),
            "480x768 at 443,0 (wanted 480x900; usable area 1366x768 at 0,0)");
  const WindowPlacement fits = PlaceWindow({400, 500}, usable, {});
  EXPECT_EQ(DescribePlacement(fits, {400, 500}, usable),
            "400x500 at 483,134 (usable area 1366x768 at 0,0)");
}

}  // namespace
}  // namespace feedback::agent
