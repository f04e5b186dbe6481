#include "metrics/metric_value.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace feedback::metrics {

bool MetricValue::IsSuppressed(int64_t n, int64_t min_n) { return n < std::max<int64_t>(min_n, 1); }

MetricValue MetricValue::Make(double value, std::optional<Interval> ci, int64_t n, int64_t min_n) {
  if (IsSuppressed(n, min_n)) return NotEnoughResponses(n, min_n);
  // A non-finite figure past the threshold means a compute function divided by zero.
  assert(std::isfinite(value));
  return MetricValue(value, ci, n, min_n);
}

MetricValue MetricValue::NotEnoughResponses(int64_t n, int64_t min_n) {
  return MetricValue(std::nullopt, std::nullopt, n, min_n);
}

std::string MetricValue::ToDisplayString(int decimals) const {
  const int places = std::clamp(decimals, 0, 6);
  char buffer[96];
  if (value_.has_value()) {
    std::snprintf(buffer, sizeof(buffer), "%.*f (n=%lld)", places, *value_,
                  static_cast<long long>(n_));
  } else {
    std::snprintf(buffer, sizeof(buffer), "not enough responses (n=%lld)",
                  static_cast<long long>(n_));
  }
  return buffer;
}

}  // namespace feedback::metrics
