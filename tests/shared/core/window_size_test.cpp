#include "core/window_size.h"

#include <gtest/gtest.h>

#include <string>

namespace feedback {
namespace {

TEST(WindowSizeTest, ParsesWidthAndHeight) {
  auto size = ParseWindowSize("1920x1080");
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 1920);
  EXPECT_EQ(size->height, 1080);
  size = ParseWindowSize("1x99999");
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 1);
  EXPECT_EQ(size->height, 99999);
}

TEST(WindowSizeTest, RejectsAnythingElse) {
  for (const std::string bad :
       {"", "x", "1920", "1920x", "x1080", "big", "1920X1080", "1920x1080x", "1920x1080 ",
        " 1920x1080", "-1920x1080", "+1920x1080", "1920x-1080", "123456x100", "100x123456",
        "19 20x1080", "1920xx1080", "0x19a0"}) {
    EXPECT_FALSE(ParseWindowSize(bad).has_value()) << '"' << bad << '"';
  }
}

}  // namespace
}  // namespace feedback
