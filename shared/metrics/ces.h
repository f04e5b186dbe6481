// Customer effort score (CES) on the 1-7 "how easy was it" scale: the mean answer and the
// percentage of "easy" answers (5-7).
//
//   mean    = sum / n, with 95% interval mean +/- 1.96 * s / sqrt(n) (normal approximation,
//             s the sample standard deviation from the exact sum of squares; none when n < 2)
//   easy %  = 100 * (count(5) + count(6) + count(7)) / n, with the Wilson 95% interval
//
// CesCounts is the rollup accumulator: counts per value 1..7, from which the sum and sum of
// squares are exact integers, so the mean from merged rollups equals the mean of the raw
// answers. Everything here is a plain value or a pure function.
#pragma once

#include <cstdint>
#include <span>

#include "core/result.h"
#include "metrics/metric_value.h"
#include "metrics/scale_counts.h"

namespace feedback::metrics {

using CesCounts = ScaleCounts<1, 7>;

// The lowest answer that counts as "easy".
inline constexpr int kCesEasyFrom = 5;

struct CesReport {
  int64_t n = 0;
  MetricValue mean;      // 1..7, normal 95% interval of the mean
  MetricValue easy_pct;  // 0..100, Wilson 95% interval
};

// CES figures, suppressed when n < min_n. ScaleCounts cannot hold invalid counts,
// so this cannot fail.
CesReport ComputeCes(const CesCounts& counts, int64_t min_n = kDefaultMinResponses);

// Same, from raw 1-7 answers. InvalidArgument naming the first score outside 1-7.
Result<CesReport> ComputeCesFromScores(std::span<const int> scores,
                                       int64_t min_n = kDefaultMinResponses);

}  // namespace feedback::metrics
