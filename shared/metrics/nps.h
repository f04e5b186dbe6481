// Net Promoter Score over answers to the 0-10 "how likely are you to recommend" question.
//
//   promoters = answers 9-10, passives = 7-8, detractors = 0-6, n = all three
//   NPS = 100 * (promoters - detractors) / n, in points from -100 to 100
//
// 95% confidence interval (normal approximation for a difference of two multinomial
// shares; p = promoters / n, d = detractors / n):
//   var = (p + d - (p - d)^2) / n
//   CI  = NPS +/- 1.96 * sqrt(var) * 100, clamped to [-100, 100]
// When every answer is a promoter (or every one a detractor) var is 0 and the interval
// collapses to the point: a known weakness of the normal approximation at the extremes,
// kept so that figures match the documented formula.
//
// NpsCounts is the rollup accumulator; everything here is a plain value or a pure function.
#pragma once

#include <cstdint>
#include <span>

#include "core/result.h"
#include "core/status.h"
#include "metrics/metric_value.h"

namespace feedback::metrics {

// Answers counted by NPS group. Adds and merges, so rollups store these three counts.
struct NpsCounts {
  int64_t promoters = 0;
  int64_t passives = 0;
  int64_t detractors = 0;

  // Counts every score, or fails on the first one outside 0-10 (then nothing is returned).
  static Result<NpsCounts> FromScores(std::span<const int> scores);

  // Counts one answer. InvalidArgument naming the score if it is outside 0-10; the counts
  // are then unchanged. Unanswered questions are simply not added.
  Status Add(int score);

  int64_t n() const { return promoters + passives + detractors; }

  NpsCounts& operator+=(const NpsCounts& other);
  friend NpsCounts operator+(NpsCounts a, const NpsCounts& b) { return a += b; }
  friend bool operator==(const NpsCounts&, const NpsCounts&) = default;
};

struct NpsReport {
  int64_t n = 0;
  MetricValue nps;             // points, -100..100, with the interval above
  MetricValue promoters_pct;   // 0..100, Wilson 95% interval
  MetricValue passives_pct;    // 0..100, Wilson 95% interval
  MetricValue detractors_pct;  // 0..100, Wilson 95% interval
};

// The NPS figures, each suppressed when n < min_n. InvalidArgument if a count is negative.
Result<NpsReport> ComputeNps(const NpsCounts& counts, int64_t min_n = kDefaultMinResponses);

// Same, from raw 0-10 answers. InvalidArgument naming the first score outside 0-10.
Result<NpsReport> ComputeNpsFromScores(std::span<const int> scores,
                                       int64_t min_n = kDefaultMinResponses);

}  // namespace feedback::metrics
