// NPS: exact figures and intervals on hand-computed splits, edge cases, range checks.
#include "metrics/nps.h"

#include <gtest/gtest.h>

#include <vector>

namespace feedback::metrics {
namespace {

constexpr double kTol = 1e-9;

struct NpsCase {
  const char* name;
  NpsCounts counts;
  double nps;
  double ci_low;
  double ci_high;
};

// Hand computation for each row: p = promoters/n, d = detractors/n,
// NPS = 100 (p - d), var = (p + d - (p - d)^2) / n, half = 1.96 sqrt(var) 100.
const NpsCase kCases[] = {
    // 5/2/3 of 10: p .5, d .3 -> NPS 20; var (.8 - .04)/10 = .076;
    // half = 196 * sqrt(.076) = 196 * .275680975... = 54.033471108...
    {"five_two_three", {5, 2, 3}, 20.0, -34.033471108193666, 74.033471108193666},
    // 4/2/4 of 10: NPS 0; var (.8 - 0)/10 = .08; half = 196 * .282842712... = 55.437171645...
    {"balanced", {4, 2, 4}, 0.0, -55.437171645025330, 55.437171645025330},
    // 3/3/4 of 10: NPS -10; var (.7 - .01)/10 = .069; half = 196 * .262678510... = 51.484988...
    {"negative", {3, 3, 4}, -10.0, -61.484988103329684, 41.484988103329684},
    // 9/0/1 of 10: NPS 80; var (1 - .64)/10 = .036; half = 196 * .189736659... = 37.188385...;
    // the upper bound 117.19 is clamped to 100.
    {"clamped_high", {9, 0, 1}, 80.0, 42.811614716419860, 100.0},
    // All promoters: p 1, d 0 -> NPS 100, var (1 - 1)/10 = 0, degenerate interval.
    {"all_promoters", {10, 0, 0}, 100.0, 100.0, 100.0},
    // All detractors: NPS -100, var 0.
    {"all_detractors", {0, 0, 10}, -100.0, -100.0, -100.0},
    // All passives: p = d = 0 -> NPS 0, var 0.
    {"all_passives", {0, 12, 0}, 0.0, 0.0, 0.0},
};

class NpsTableTest : public testing::TestWithParam<NpsCase> {};

TEST_P(NpsTableTest, ScoreAndInterval) {
  const NpsCase& c = GetParam();
  Result<NpsReport> report = ComputeNps(c.counts);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->n, c.counts.n());
  ASSERT_TRUE(report->nps.value().has_value());
  EXPECT_NEAR(*report->nps.value(), c.nps, kTol);
  ASSERT_TRUE(report->nps.confidence_interval().has_value());
  EXPECT_NEAR(report->nps.confidence_interval()->low, c.ci_low, kTol);
  EXPECT_NEAR(report->nps.confidence_interval()->high, c.ci_high, kTol);
  EXPECT_EQ(report->nps.n(), c.counts.n());
}

INSTANTIATE_TEST_SUITE_P(HandComputed, NpsTableTest, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<NpsCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

TEST(NpsTest, ScoresAreGroupedAtTheBoundaries) {
  struct Boundary {
    int score;
    NpsCounts expected;
  };
  const Boundary kBoundaries[] = {
      {0, {0, 0, 1}}, {6, {0, 0, 1}}, {7, {0, 1, 0}},
      {8, {0, 1, 0}}, {9, {1, 0, 0}}, {10, {1, 0, 0}},
  };
  for (const Boundary& b : kBoundaries) {
    NpsCounts counts;
    ASSERT_TRUE(counts.Add(b.score).ok()) << b.score;
    EXPECT_EQ(counts, b.expected) << "score " << b.score;
  }
}

TEST(NpsTest, FromScoresMatchesHandCount) {
  // 10, 10, 10, 9, 9 promoters; 8, 7 passives; 6, 3, 0 detractors -> 5/2/3 -> NPS 20.
  const std::vector<int> scores = {10, 10, 10, 9, 9, 8, 7, 6, 3, 0};
  Result<NpsReport> report = ComputeNpsFromScores(scores);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->n, 10);
  EXPECT_NEAR(*report->nps.value(), 20.0, kTol);
  // Shares 50%, 20%, 30% of 10.
  EXPECT_NEAR(*report->promoters_pct.value(), 50.0, kTol);
  EXPECT_NEAR(*report->passives_pct.value(), 20.0, kTol);
  EXPECT_NEAR(*report->detractors_pct.value(), 30.0, kTol);
  // Wilson for 5 of 10: centre (.5 + .19208)/1.38416 = .5, half = 1.96/1.38416 *
  // sqrt(.025 + .009604) = 1.416021... * .186021... = .263410... -> [23.658959, 76.341041]%.
  EXPECT_NEAR(report->promoters_pct.confidence_interval()->low, 23.658959361548730, kTol);
  EXPECT_NEAR(report->promoters_pct.confidence_interval()->high, 76.341040638451260, kTol);
}

TEST(NpsTest, CountsMergeByAddition) {
  NpsCounts a{3, 1, 2};
  const NpsCounts b{2, 1, 1};
  EXPECT_EQ(a + b, (NpsCounts{5, 2, 3}));
  a += b;
  EXPECT_EQ(a, (NpsCounts{5, 2, 3}));
  EXPECT_EQ(a.n(), 10);
}

TEST(NpsTest, NoResponsesAreSuppressedWithoutDividingByZero) {
  Result<NpsReport> report = ComputeNps(NpsCounts{});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->n, 0);
  EXPECT_TRUE(report->nps.suppressed());
  EXPECT_TRUE(report->promoters_pct.suppressed());
  EXPECT_TRUE(report->passives_pct.suppressed());
  EXPECT_TRUE(report->detractors_pct.suppressed());
  EXPECT_EQ(report->nps.ToDisplayString(), "not enough responses (n=0)");
}

TEST(NpsTest, BelowDefaultMinimumIsNotEnoughResponses) {
  Result<NpsReport> report = ComputeNps(NpsCounts{5, 2, 2});  // n = 9 < 10
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->n, 9);
  EXPECT_TRUE(report->nps.suppressed());
  EXPECT_FALSE(report->nps.value().has_value());
  EXPECT_EQ(report->nps.n(), 9);
  EXPECT_TRUE(report->promoters_pct.suppressed());
}

TEST(NpsTest, MinimumIsConfigurablePerCall) {
  const NpsCounts counts{5, 2, 3};  // n = 10
  Result<NpsReport> strict = ComputeNps(counts, 11);
  ASSERT_TRUE(strict.ok());
  EXPECT_TRUE(strict->nps.suppressed());
  Result<NpsReport> lenient = ComputeNps(NpsCounts{1, 0, 1}, 2);  // n = 2: NPS 0
  ASSERT_TRUE(lenient.ok());
  ASSERT_FALSE(lenient->nps.suppressed());
  EXPECT_NEAR(*lenient->nps.value(), 0.0, kTol);
}

TEST(NpsTest, OutOfRangeScoresAreRejectedWithTheValueAndRange) {
  for (const int bad : {-1, 11, 100}) {
    NpsCounts counts;
    const Status s = counts.Add(bad);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(s.message().find(std::to_string(bad)), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("0-10"), std::string::npos) << s.message();
    EXPECT_EQ(counts, NpsCounts{});
  }
  const std::vector<int> scores = {9, 10, 11};
  Result<NpsReport> report = ComputeNpsFromScores(scores);
  EXPECT_EQ(report.status().code(), Status::Code::kInvalidArgument);
}

TEST(NpsTest, NegativeStoredCountsAreRejected) {
  Result<NpsReport> report = ComputeNps(NpsCounts{12, 0, -1});
  EXPECT_EQ(report.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace feedback::metrics
