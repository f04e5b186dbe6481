// Estimators shared by the survey metrics: percentages with Wilson score intervals and means
// with normal-approximation intervals, computed exactly from integer counts so a rollup
// that merges counts gives the same figure as the raw responses.
//
// Pure functions over values; safe to call from any thread.
#pragma once

#include <cstdint>

#include "metrics/metric_value.h"

namespace feedback::metrics {

// The two-sided 95% normal quantile. The rounded 1.96 (not 1.959964...) is used everywhere
// so figures match the formulas in DESIGN.md and hand computations.
inline constexpr double kZ95 = 1.96;

// Wilson score interval for a proportion, in [0, 1]:
//   p = successes / n, z = 1.96
//   centre = (p + z^2 / (2n)) / (1 + z^2 / n)
//   half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
// Chosen over the normal (Wald) interval because it stays inside [0, 1] and is not
// degenerate at p = 0 or p = 1, which small sites hit often. Requires 0 <= successes <= n
// and n > 0.
Interval WilsonInterval(int64_t successes, int64_t n);

// 100 * successes / n as a MetricValue with the Wilson interval scaled to percent;
// suppressed when n < min_n. Requires 0 <= successes <= n.
MetricValue PercentWithWilson(int64_t successes, int64_t n, int64_t min_n);

// The mean of n values from their exact sum and sum of squares, with the 95% interval
//   mean +/- 1.96 * s / sqrt(n),   s^2 = (n * sum_sq - sum^2) / (n (n - 1))
// (sample standard deviation s). No interval when n < 2. Suppressed when n < min_n.
MetricValue MeanWithNormalInterval(int64_t n, int64_t sum, int64_t sum_squares, int64_t min_n);

}  // namespace feedback::metrics
