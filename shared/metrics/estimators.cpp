#include "metrics/estimators.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <optional>

namespace feedback::metrics {

Interval WilsonInterval(int64_t successes, int64_t n) {
  assert(n > 0 && successes >= 0 && successes <= n);
  const double nd = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nd;
  const double z2 = kZ95 * kZ95;
  const double denominator = 1.0 + z2 / nd;
  const double centre = (p + z2 / (2.0 * nd)) / denominator;
  const double half = kZ95 / denominator * std::sqrt(p * (1.0 - p) / nd + z2 / (4.0 * nd * nd));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

MetricValue PercentWithWilson(int64_t successes, int64_t n, int64_t min_n) {
  if (MetricValue::IsSuppressed(n, min_n)) return MetricValue::NotEnoughResponses(n, min_n);
  const Interval ci = WilsonInterval(successes, n);
  const double percent = 100.0 * static_cast<double>(successes) / static_cast<double>(n);
  return MetricValue::Make(percent, Interval{100.0 * ci.low, 100.0 * ci.high}, n, min_n);
}

MetricValue MeanWithNormalInterval(int64_t n, int64_t sum, int64_t sum_squares, int64_t min_n) {
  if (MetricValue::IsSuppressed(n, min_n)) return MetricValue::NotEnoughResponses(n, min_n);
  const double nd = static_cast<double>(n);
  const double mean = static_cast<double>(sum) / nd;
  std::optional<Interval> ci;
  if (n >= 2) {
    // n * sum_sq - sum^2 in long double: exact for integer ratings well past int64 products,
    // so a constant column gives a variance of exactly 0 rather than a rounding residue.
    const long double ln = static_cast<long double>(n);
    const long double numerator = ln * static_cast<long double>(sum_squares) -
                                  static_cast<long double>(sum) * static_cast<long double>(sum);
    const double variance = std::max(0.0, static_cast<double>(numerator / (ln * (ln - 1.0L))));
    const double half = kZ95 * std::sqrt(variance / nd);
    ci = Interval{mean - half, mean + half};
  }
  return MetricValue::Make(mean, ci, n, min_n);
}

}  // namespace feedback::metrics
