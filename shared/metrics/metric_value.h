// MetricValue: one figure for a report or dashboard together with the number of responses
// behind it. It is either a number (with an optional 95% confidence interval) or "not enough
// responses" when n is below the caller's minimum. The number is only reachable through
// std::optional accessors, so a suppressed figure cannot be shown as a number by accident,
// and n is always available so every figure can say how many responses it rests on.
//
// A small immutable value type with no thread affinity; safe to copy and share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace feedback::metrics {

// The default minimum number of responses for a figure to be shown (DESIGN.md, "Metrics").
inline constexpr int64_t kDefaultMinResponses = 10;

// A closed interval [low, high] in the same unit as the figure it belongs to.
struct Interval {
  double low = 0.0;
  double high = 0.0;

  friend bool operator==(const Interval&, const Interval&) = default;
};

class MetricValue {
 public:
  // A figure over no responses: suppressed.
  MetricValue() = default;

  // The figure `value` over `n` responses. Suppressed (value and interval dropped) when
  // n < min_n; a min_n below 1 acts as 1, because no responses never give a number.
  static MetricValue Make(double value, std::optional<Interval> ci, int64_t n, int64_t min_n);

  // A figure with no number: `n` responses, fewer than `min_n` (or none at all).
  static MetricValue NotEnoughResponses(int64_t n, int64_t min_n);

  // Whether a figure over n responses would be suppressed under min_n. Compute functions
  // ask this first so they never divide by a zero or tiny n.
  static bool IsSuppressed(int64_t n, int64_t min_n);

  bool suppressed() const { return !value_.has_value(); }
  int64_t n() const { return n_; }
  int64_t min_n() const { return min_n_; }

  // The number, or nullopt when there are not enough responses.
  std::optional<double> value() const { return value_; }
  // The 95% confidence interval, or nullopt when suppressed or when none is defined.
  std::optional<Interval> confidence_interval() const { return ci_; }

  // "42.0 (n=57)" or "not enough responses (n=7)"; `decimals` is clamped to 0..6.
  std::string ToDisplayString(int decimals = 1) const;

 private:
  MetricValue(std::optional<double> value, std::optional<Interval> ci, int64_t n, int64_t min_n)
      : value_(value), ci_(ci), n_(n), min_n_(min_n) {}

  std::optional<double> value_;
  std::optional<Interval> ci_;
  int64_t n_ = 0;
  int64_t min_n_ = kDefaultMinResponses;
};

}  // namespace feedback::metrics
