#include "metrics/rating.h"

#include <cstddef>

#include "metrics/estimators.h"

namespace feedback::metrics {

RatingSummary SummarizeRatings(const RatingCounts& counts, int64_t min_n) {
  RatingSummary summary;
  summary.n = counts.n();
  summary.mean = MeanWithNormalInterval(summary.n, counts.Sum(), counts.SumOfSquares(), min_n);
  for (std::size_t i = 0; i < RatingCounts::kSize; ++i) {
    const int value = RatingCounts::kMin + static_cast<int>(i);
    summary.value_pct[i] = PercentWithWilson(counts.count(value), summary.n, min_n);
  }
  return summary;
}

Result<RatingSummary> SummarizeRatingScores(std::span<const int> scores, int64_t min_n) {
  Result<RatingCounts> counts = RatingCounts::FromScores(scores);
  if (!counts.ok()) return counts.status().WithContext("driver rating");
  return SummarizeRatings(*counts, min_n);
}

}  // namespace feedback::metrics
