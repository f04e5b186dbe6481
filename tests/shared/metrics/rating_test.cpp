// Driver rating accumulator (ScaleCounts<1, 5>) and its summary.
#include "metrics/rating.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace feedback::metrics {
namespace {

constexpr double kTol = 1e-9;

TEST(RatingCountsTest, CountsPerValueAndExactSums) {
  // 1 2 2 3 3 3 4 4 4 4 5: counts 1,2,3,4,1; sum 1+4+9+16+5 = 35; squares 1+8+27+64+25 = 125.
  const std::vector<int> scores = {1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5};
  Result<RatingCounts> counts = RatingCounts::FromScores(scores);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->n(), 11);
  const int64_t expected[] = {1, 2, 3, 4, 1};
  for (int v = 1; v <= 5; ++v) EXPECT_EQ(counts->count(v), expected[v - 1]) << v;
  EXPECT_EQ(counts->count(0), 0);
  EXPECT_EQ(counts->count(6), 0);
  EXPECT_EQ(counts->Sum(), 35);
  EXPECT_EQ(counts->SumOfSquares(), 125);
  EXPECT_EQ(counts->CountBetween(4, 5), 5);
}

TEST(RatingCountsTest, AddCountLoadsRollupsAndRejectsBadInput) {
  RatingCounts counts;
  ASSERT_TRUE(counts.AddCount(4, 7).ok());
  EXPECT_EQ(counts.count(4), 7);
  EXPECT_EQ(counts.AddCount(4, -1).code(), Status::Code::kInvalidArgument);
  const Status out_of_range = counts.AddCount(6, 1);
  EXPECT_EQ(out_of_range.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(out_of_range.message().find("rating 6"), std::string::npos);
  EXPECT_NE(out_of_range.message().find("1-5"), std::string::npos);
  EXPECT_EQ(counts.n(), 7);
}

TEST(RatingCountsTest, MergeAddsCounts) {
  RatingCounts a;
  RatingCounts b;
  ASSERT_TRUE(a.Add(1).ok());
  ASSERT_TRUE(b.Add(1).ok());
  ASSERT_TRUE(b.Add(5).ok());
  const RatingCounts merged = a + b;
  EXPECT_EQ(merged.count(1), 2);
  EXPECT_EQ(merged.count(5), 1);
  EXPECT_EQ(merged.n(), 3);
}

TEST(RatingSummaryTest, MeanAndDistributionOnHandComputedAnswers) {
  // Same 11 answers: mean 35 / 11 = 3.181818...; s^2 = (11 * 125 - 35^2) / (11 * 10)
  // = 150 / 110 = 1.363636...; half = 1.96 * sqrt(1.363636 / 11) = 1.96 * .352089 = .690095.
  // Shares: 1/11, 2/11, 3/11, 4/11, 1/11.
  const std::vector<int> scores = {1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5};
  Result<RatingSummary> summary = SummarizeRatingScores(scores);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->n, 11);
  EXPECT_NEAR(*summary->mean.value(), 35.0 / 11.0, kTol);
  EXPECT_NEAR(summary->mean.confidence_interval()->low, 35.0 / 11.0 - 0.690095214415140, kTol);
  EXPECT_NEAR(summary->mean.confidence_interval()->high, 35.0 / 11.0 + 0.690095214415140, kTol);
  const double expected_pct[] = {100.0 / 11, 200.0 / 11, 300.0 / 11, 400.0 / 11, 100.0 / 11};
  for (std::size_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(summary->value_pct[i].value().has_value());
    EXPECT_NEAR(*summary->value_pct[i].value(), expected_pct[i], kTol) << "rating " << i + 1;
  }
}

TEST(RatingSummaryTest, BelowMinimumSuppressesEveryFigure) {
  RatingCounts counts;
  ASSERT_TRUE(counts.AddCount(5, 4).ok());
  const RatingSummary summary = SummarizeRatings(counts);
  EXPECT_EQ(summary.n, 4);
  EXPECT_TRUE(summary.mean.suppressed());
  for (const MetricValue& share : summary.value_pct) EXPECT_TRUE(share.suppressed());
}

TEST(RatingSummaryTest, OutOfRangeScoresAreRejected) {
  const std::vector<int> scores = {3, 9};
  Result<RatingSummary> summary = SummarizeRatingScores(scores);
  ASSERT_EQ(summary.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(summary.status().message().find("rating 9"), std::string::npos);
}

}  // namespace
}  // namespace feedback::metrics
