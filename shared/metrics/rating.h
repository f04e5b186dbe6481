// Summary of a 1-5 driver rating question ("how warm was the greeting", "how clean was the
// branch"): n, the mean with its 95% interval, and the share of each value.
//
//   mean      = sum / n, interval mean +/- 1.96 * s / sqrt(n) (normal approximation; none
//               when n < 2)
//   value_pct = 100 * count(value) / n, Wilson 95% interval
//
// RatingCounts is the rollup accumulator (counts per value 1..5; the counts themselves are
// read from it directly). Everything here is a plain value or a pure function.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "core/result.h"
#include "metrics/metric_value.h"
#include "metrics/scale_counts.h"

namespace feedback::metrics {

using RatingCounts = ScaleCounts<1, 5>;

struct RatingSummary {
  int64_t n = 0;
  MetricValue mean;                                        // 1..5
  std::array<MetricValue, RatingCounts::kSize> value_pct;  // [0] is rating 1 ... [4] rating 5
};

// The summary, every figure suppressed when n < min_n.
RatingSummary SummarizeRatings(const RatingCounts& counts, int64_t min_n = kDefaultMinResponses);

// Same, from raw 1-5 answers. InvalidArgument naming the first score outside 1-5.
Result<RatingSummary> SummarizeRatingScores(std::span<const int> scores,
                                            int64_t min_n = kDefaultMinResponses);

}  // namespace feedback::metrics
