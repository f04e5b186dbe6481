// ScaleCounts<kLow, kHigh>: how many responses gave each value of an integer rating scale
// (1-5 for CSAT and driver ratings, 1-7 for CES). Counts add and merge, so a rollup can
// store them per day/site and combine them later; sums, means and shares derived from the
// counts are exact, so a figure from merged rollups equals the figure from raw responses.
// Unanswered questions are simply not added.
//
// A plain value type: not synchronised, so guard shared instances externally.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/result.h"
#include "core/status.h"

namespace feedback::metrics {

template <int kLow, int kHigh>
class ScaleCounts {
  static_assert(kLow < kHigh, "a rating scale needs at least two values");

 public:
  static constexpr int kMin = kLow;
  static constexpr int kMax = kHigh;
  static constexpr std::size_t kSize = static_cast<std::size_t>(kHigh - kLow + 1);

  // Counts every score, or fails on the first one outside the scale (then nothing is added).
  static Result<ScaleCounts> FromScores(std::span<const int> scores) {
    ScaleCounts counts;
    for (const int score : scores) {
      if (Status s = counts.Add(score); !s.ok()) return s;
    }
    return counts;
  }

  // Counts one answer. InvalidArgument naming the score and the scale if it is outside it.
  Status Add(int score) { return AddCount(score, 1); }

  // Adds `count` answers of `score`, e.g. when loading a stored rollup. InvalidArgument if
  // the score is outside the scale or the count is negative; the counts are then unchanged.
  Status AddCount(int score, int64_t count) {
    if (score < kLow || score > kHigh) {
      return Status::InvalidArgument("rating " + std::to_string(score) +
                                     " is outside the allowed range " + std::to_string(kLow) + "-" +
                                     std::to_string(kHigh));
    }
    if (count < 0) {
      return Status::InvalidArgument("count " + std::to_string(count) + " for rating " +
                                     std::to_string(score) + " is negative");
    }
    counts_[Index(score)] += count;
    return Status::Ok();
  }

  // Responses that gave `score`; 0 for a value outside the scale.
  int64_t count(int score) const {
    return (score < kLow || score > kHigh) ? 0 : counts_[Index(score)];
  }

  // Responses that gave a value in [low, high] (clipped to the scale).
  int64_t CountBetween(int low, int high) const {
    int64_t total = 0;
    for (int v = low < kLow ? kLow : low; v <= high && v <= kHigh; ++v) total += count(v);
    return total;
  }

  // Responses counted.
  int64_t n() const { return CountBetween(kLow, kHigh); }

  // Sum of all scores and of their squares, exact.
  int64_t Sum() const {
    int64_t total = 0;
    for (int v = kLow; v <= kHigh; ++v) total += count(v) * v;
    return total;
  }
  int64_t SumOfSquares() const {
    int64_t total = 0;
    for (int v = kLow; v <= kHigh; ++v) total += count(v) * v * v;
    return total;
  }

  ScaleCounts& operator+=(const ScaleCounts& other) {
    for (std::size_t i = 0; i < kSize; ++i) counts_[i] += other.counts_[i];
    return *this;
  }
  friend ScaleCounts operator+(ScaleCounts a, const ScaleCounts& b) { return a += b; }
  friend bool operator==(const ScaleCounts&, const ScaleCounts&) = default;

 private:
  static std::size_t Index(int score) { return static_cast<std::size_t>(score - kLow); }

  std::array<int64_t, kSize> counts_{};
};

}  // namespace feedback::metrics
