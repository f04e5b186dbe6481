// Importance-vs-performance quadrants on a hand-made set of drivers.
#include "metrics/importance_quadrant.h"

#include <gtest/gtest.h>

#include <iterator>
#include <limits>
#include <vector>

namespace feedback::metrics {
namespace {

TEST(ImportanceQuadrantTest, HandMadeDrivers) {
  // Importance .40 .30 .15 .10 .05 -> mean .20; performance 4.5 3.0 4.2 3.1 4.0 -> mean 3.76.
  struct Case {
    const char* driver;
    double importance;
    double performance;
    Quadrant expected;
  };
  const Case kCases[] = {
      {"greeting warmth", 0.40, 4.5, Quadrant::kKeyStrength},  // .40 >= .20, 4.5 >= 3.76
      {"speed", 0.30, 3.0, Quadrant::kPriorityToFix},          // .30 >= .20, 3.0 < 3.76
      {"cleanliness", 0.15, 4.2, Quadrant::kMaintain},         // .15 < .20, 4.2 >= 3.76
      {"availability", 0.10, 3.1, Quadrant::kLowPriority},     // .10 < .20, 3.1 < 3.76
      {"knowledge", 0.05, 4.0, Quadrant::kMaintain},           // .05 < .20, 4.0 >= 3.76
  };
  std::vector<double> importance;
  std::vector<double> performance;
  for (const Case& c : kCases) {
    importance.push_back(c.importance);
    performance.push_back(c.performance);
  }
  Result<std::vector<Quadrant>> quadrants = ClassifyQuadrants(importance, performance);
  ASSERT_TRUE(quadrants.ok()) << quadrants.status().ToString();
  ASSERT_EQ(quadrants->size(), std::size(kCases));
  for (std::size_t i = 0; i < std::size(kCases); ++i) {
    EXPECT_EQ((*quadrants)[i], kCases[i].expected)
        << kCases[i].driver << " is " << QuadrantName((*quadrants)[i]);
  }
}

TEST(ImportanceQuadrantTest, ValuesEqualToTheMeanCountAsHigh) {
  // Five equal shares of .2 must all sit on the same side of their mean despite rounding.
  const std::vector<double> importance(5, 0.2);
  const std::vector<double> performance = {4.0, 4.0, 3.0, 3.0, 3.5};  // mean 3.5
  Result<std::vector<Quadrant>> quadrants = ClassifyQuadrants(importance, performance);
  ASSERT_TRUE(quadrants.ok());
  EXPECT_EQ(*quadrants, (std::vector<Quadrant>{Quadrant::kKeyStrength, Quadrant::kKeyStrength,
                                               Quadrant::kPriorityToFix, Quadrant::kPriorityToFix,
                                               Quadrant::kKeyStrength}));
}

TEST(ImportanceQuadrantTest, NamesAreReadable) {
  EXPECT_EQ(QuadrantName(Quadrant::kKeyStrength), "key strength");
  EXPECT_EQ(QuadrantName(Quadrant::kPriorityToFix), "priority to fix");
  EXPECT_EQ(QuadrantName(Quadrant::kMaintain), "maintain");
  EXPECT_EQ(QuadrantName(Quadrant::kLowPriority), "low priority");
  EXPECT_EQ(QuadrantName(Quadrant::kNoVariation), "no variation");
}

TEST(ImportanceQuadrantTest, MismatchedOrNonFiniteInputIsRejected) {
  const std::vector<double> two = {0.5, 0.5};
  const std::vector<double> three = {1.0, 2.0, 3.0};
  EXPECT_EQ(ClassifyQuadrants(two, three).status().code(), Status::Code::kInvalidArgument);
  const std::vector<double> nan = {0.5, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_EQ(ClassifyQuadrants(two, nan).status().code(), Status::Code::kInvalidArgument);
  Result<std::vector<Quadrant>> empty = ClassifyQuadrants({}, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace feedback::metrics
