// Customer satisfaction (CSAT): the percentage of answers of 4 or 5 on the 1-5 scale.
//
//   CSAT = 100 * (count(4) + count(5)) / n
//   95% interval: Wilson score interval (see estimators.h), scaled to percent.
//
// CsatCounts is the rollup accumulator (counts per value 1..5); everything here is a plain
// value or a pure function.
#pragma once

#include <cstdint>
#include <span>

#include "core/result.h"
#include "metrics/metric_value.h"
#include "metrics/scale_counts.h"

namespace feedback::metrics {

using CsatCounts = ScaleCounts<1, 5>;

// The lowest answer that counts as satisfied.
inline constexpr int kCsatSatisfiedFrom = 4;

struct CsatReport {
  int64_t n = 0;
  MetricValue csat_pct;  // 0..100, Wilson 95% interval
};

// CSAT figures, suppressed when n < min_n. ScaleCounts cannot hold invalid counts,
// so this cannot fail.
CsatReport ComputeCsat(const CsatCounts& counts, int64_t min_n = kDefaultMinResponses);

// Same, from raw 1-5 answers. InvalidArgument naming the first score outside 1-5.
Result<CsatReport> ComputeCsatFromScores(std::span<const int> scores,
                                         int64_t min_n = kDefaultMinResponses);

}  // namespace feedback::metrics
