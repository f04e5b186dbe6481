// CES: exact mean, interval and % easy on hand-computed answers; edge cases; ranges.
#include "metrics/ces.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace feedback::metrics {
namespace {

constexpr double kTol = 1e-9;

CesCounts CountsOf(std::vector<int> scores) {
  Result<CesCounts> counts = CesCounts::FromScores(scores);
  EXPECT_TRUE(counts.ok()) << counts.status().ToString();
  return counts.value_or(CesCounts{});
}

TEST(CesTest, MeanIntervalAndEasyShareOnHandComputedAnswers) {
  // 7 7 6 5 5 4 3 2 6 5: n 10, sum 50 -> mean 5.0; sum of squares 274;
  // s^2 = (10 * 274 - 50^2) / (10 * 9) = 240 / 90 = 2.666...; se = sqrt(.2666...) = .516398;
  // half = 1.96 * .516398 = 1.012139647808872 -> [3.987860352, 6.012139648].
  // Easy (5-7): 7 7 6 5 5 6 5 = 7 of 10 -> 70%; Wilson [39.677322, 89.221071]%.
  const CesReport report = ComputeCes(CountsOf({7, 7, 6, 5, 5, 4, 3, 2, 6, 5}));
  EXPECT_EQ(report.n, 10);
  ASSERT_TRUE(report.mean.value().has_value());
  EXPECT_NEAR(*report.mean.value(), 5.0, kTol);
  ASSERT_TRUE(report.mean.confidence_interval().has_value());
  EXPECT_NEAR(report.mean.confidence_interval()->low, 3.987860352191128, kTol);
  EXPECT_NEAR(report.mean.confidence_interval()->high, 6.012139647808872, kTol);
  ASSERT_TRUE(report.easy_pct.value().has_value());
  EXPECT_NEAR(*report.easy_pct.value(), 70.0, kTol);
  EXPECT_NEAR(report.easy_pct.confidence_interval()->low, 39.677321997956520, kTol);
  EXPECT_NEAR(report.easy_pct.confidence_interval()->high, 89.221071251378800, kTol);
}

TEST(CesTest, AllTheSameAnswerHasAZeroWidthMeanInterval) {
  // Ten 7s: mean 7, s = 0, interval [7, 7]; all easy -> 100%.
  const CesReport report = ComputeCes(CountsOf({7, 7, 7, 7, 7, 7, 7, 7, 7, 7}));
  EXPECT_NEAR(*report.mean.value(), 7.0, kTol);
  EXPECT_NEAR(report.mean.confidence_interval()->low, 7.0, kTol);
  EXPECT_NEAR(report.mean.confidence_interval()->high, 7.0, kTol);
  EXPECT_NEAR(*report.easy_pct.value(), 100.0, kTol);
}

TEST(CesTest, FourIsNotEasyFiveIs) {
  // Five 4s and five 5s: mean 4.5, easy 5 of 10 -> 50%.
  const CesReport report = ComputeCes(CountsOf({4, 4, 4, 4, 4, 5, 5, 5, 5, 5}));
  EXPECT_NEAR(*report.mean.value(), 4.5, kTol);
  EXPECT_NEAR(*report.easy_pct.value(), 50.0, kTol);
}

TEST(CesTest, MeanFromMergedRollupsIsExact) {
  CesCounts a = CountsOf({7, 7, 6, 5, 5});
  const CesCounts b = CountsOf({4, 3, 2, 6, 5});
  a += b;
  EXPECT_EQ(a.Sum(), 50);
  EXPECT_EQ(a.SumOfSquares(), 274);
  EXPECT_EQ(*ComputeCes(a).mean.value(), 5.0);
}

TEST(CesTest, NoResponsesAreSuppressed) {
  const CesReport report = ComputeCes(CesCounts{});
  EXPECT_EQ(report.n, 0);
  EXPECT_TRUE(report.mean.suppressed());
  EXPECT_TRUE(report.easy_pct.suppressed());
}

TEST(CesTest, BelowMinimumIsNotEnoughResponses) {
  const CesReport report = ComputeCes(CountsOf({7, 6, 5}));
  EXPECT_TRUE(report.mean.suppressed());
  EXPECT_EQ(report.mean.n(), 3);
  EXPECT_EQ(report.mean.ToDisplayString(), "not enough responses (n=3)");
}

TEST(CesTest, SingleResponseWithMinimumOneHasAMeanButNoInterval) {
  // n = 1: the sample standard deviation is undefined, so no interval is claimed.
  const CesReport report = ComputeCes(CountsOf({6}), 1);
  EXPECT_NEAR(*report.mean.value(), 6.0, kTol);
  EXPECT_FALSE(report.mean.confidence_interval().has_value());
}

TEST(CesTest, OutOfRangeScoresAreRejectedWithTheValueAndRange) {
  for (const int bad : {0, 8}) {
    const std::vector<int> scores = {5, bad};
    Result<CesReport> report = ComputeCesFromScores(scores);
    ASSERT_EQ(report.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(report.status().message().find(std::to_string(bad)), std::string::npos);
    EXPECT_NE(report.status().message().find("1-7"), std::string::npos);
  }
}

}  // namespace
}  // namespace feedback::metrics
