// CSAT: exact percentage and Wilson interval on hand-computed counts, edge cases, ranges.
#include "metrics/csat.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace feedback::metrics {
namespace {

constexpr double kTol = 1e-9;

CsatCounts CountsOf(std::vector<int> scores) {
  Result<CsatCounts> counts = CsatCounts::FromScores(scores);
  EXPECT_TRUE(counts.ok()) << counts.status().ToString();
  return counts.value_or(CsatCounts{});
}

struct CsatCase {
  const char* name;
  std::vector<int> scores;
  double csat;
  double ci_low;
  double ci_high;
};

// Wilson with z = 1.96 (z^2 = 3.8416): centre = (p + z^2/2n) / (1 + z^2/n),
// half = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2).
const CsatCase kCases[] = {
    // Counts 1:1 2:1 3:2 4:3 5:5, n 12, satisfied 8 -> 66.666...%.
    // p = 2/3, 1 + z^2/n = 1.320133..., centre = (.666667 + .160067)/1.320133 = .626252...,
    // half = 1.484697... * sqrt(.0185185 + .0066694) = .235626... -> [39.0618, 86.1882]%.
    {"twelve",
     {1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5},
     200.0 / 3.0,
     39.061758739761380,
     86.188216010263860},
    // All 5s, n 10: p = 1 -> 100%; Wilson lower bound 1 / 1.38416 = 72.24598...%, upper 100%.
    {"all_satisfied", {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 100.0, 72.245983123338350, 100.0},
    // All 1-3, n 10: p = 0 -> 0%; Wilson upper bound .38416 / 1.38416 = 27.75402%.
    {"none_satisfied", {1, 2, 3, 1, 2, 3, 1, 2, 3, 3}, 0.0, 0.0, 27.754016876661660},
};

class CsatTableTest : public testing::TestWithParam<CsatCase> {};

TEST_P(CsatTableTest, PercentAndInterval) {
  const CsatCase& c = GetParam();
  const CsatReport report = ComputeCsat(CountsOf(c.scores));
  EXPECT_EQ(report.n, static_cast<int64_t>(c.scores.size()));
  ASSERT_TRUE(report.csat_pct.value().has_value());
  EXPECT_NEAR(*report.csat_pct.value(), c.csat, kTol);
  ASSERT_TRUE(report.csat_pct.confidence_interval().has_value());
  EXPECT_NEAR(report.csat_pct.confidence_interval()->low, c.ci_low, kTol);
  EXPECT_NEAR(report.csat_pct.confidence_interval()->high, c.ci_high, kTol);
}

INSTANTIATE_TEST_SUITE_P(HandComputed, CsatTableTest, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<CsatCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

TEST(CsatTest, FourAndFiveCountAsSatisfiedThreeDoesNot) {
  // 3 x 3 + 7 x 4 -> 7 of 10 satisfied -> 70%.
  const CsatReport report = ComputeCsat(CountsOf({3, 3, 3, 4, 4, 4, 4, 4, 4, 4}));
  EXPECT_NEAR(*report.csat_pct.value(), 70.0, kTol);
}

TEST(CsatTest, MergedRollupsEqualTheWhole) {
  const std::vector<int> first = {1, 2, 3, 3, 4, 4};
  const std::vector<int> second = {4, 5, 5, 5, 5, 5};
  const CsatReport merged = ComputeCsat(CountsOf(first) + CountsOf(second));
  const CsatReport whole = ComputeCsat(CountsOf({1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5}));
  EXPECT_EQ(merged.n, whole.n);
  EXPECT_EQ(*merged.csat_pct.value(), *whole.csat_pct.value());
}

TEST(CsatTest, NoResponsesAreSuppressed) {
  const CsatReport report = ComputeCsat(CsatCounts{});
  EXPECT_EQ(report.n, 0);
  EXPECT_TRUE(report.csat_pct.suppressed());
}

TEST(CsatTest, BelowMinimumIsNotEnoughResponses) {
  const CsatReport report = ComputeCsat(CountsOf({5, 5, 5, 5, 5, 5, 5, 5, 5}));  // n = 9
  EXPECT_TRUE(report.csat_pct.suppressed());
  EXPECT_EQ(report.csat_pct.n(), 9);
  const CsatReport lenient = ComputeCsat(CountsOf({5, 5, 5, 5, 5, 5, 5, 5, 5}), 5);
  EXPECT_FALSE(lenient.csat_pct.suppressed());
}

TEST(CsatTest, OutOfRangeScoresAreRejectedWithTheValueAndRange) {
  for (const int bad : {0, 6, -3}) {
    const std::vector<int> scores = {4, bad};
    Result<CsatReport> report = ComputeCsatFromScores(scores);
    ASSERT_EQ(report.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(report.status().message().find(std::to_string(bad)), std::string::npos);
    EXPECT_NE(report.status().message().find("1-5"), std::string::npos);
  }
}

}  // namespace
}  // namespace feedback::metrics
