#include "metrics/nps.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "metrics/estimators.h"

namespace feedback::metrics {

Result<NpsCounts> NpsCounts::FromScores(std::span<const int> scores) {
  NpsCounts counts;
  for (const int score : scores) {
    if (Status s = counts.Add(score); !s.ok()) return s;
  }
  return counts;
}

Status NpsCounts::Add(int score) {
  if (score < 0 || score > 10) {
    return Status::InvalidArgument("NPS score " + std::to_string(score) +
                                   " is outside the allowed range 0-10");
  }
  if (score >= 9) {
    ++promoters;
  } else if (score >= 7) {
    ++passives;
  } else {
    ++detractors;
  }
  return Status::Ok();
}

NpsCounts& NpsCounts::operator+=(const NpsCounts& other) {
  promoters += other.promoters;
  passives += other.passives;
  detractors += other.detractors;
  return *this;
}

Result<NpsReport> ComputeNps(const NpsCounts& counts, int64_t min_n) {
  if (counts.promoters < 0 || counts.passives < 0 || counts.detractors < 0) {
    return Status::InvalidArgument("NPS counts must not be negative (promoters " +
                                   std::to_string(counts.promoters) + ", passives " +
                                   std::to_string(counts.passives) + ", detractors " +
                                   std::to_string(counts.detractors) + "); the rollup is corrupt");
  }
  NpsReport report;
  report.n = counts.n();
  report.promoters_pct = PercentWithWilson(counts.promoters, report.n, min_n);
  report.passives_pct = PercentWithWilson(counts.passives, report.n, min_n);
  report.detractors_pct = PercentWithWilson(counts.detractors, report.n, min_n);
  if (MetricValue::IsSuppressed(report.n, min_n)) {
    report.nps = MetricValue::NotEnoughResponses(report.n, min_n);
    return report;
  }
  const double n = static_cast<double>(report.n);
  const double p = static_cast<double>(counts.promoters) / n;
  const double d = static_cast<double>(counts.detractors) / n;
  const double nps = 100.0 * (p - d);
  // Rounding can push p + d - (p - d)^2 a hair below zero when p or d is 1.
  const double variance = std::max(0.0, (p + d - (p - d) * (p - d)) / n);
  const double half = kZ95 * std::sqrt(variance) * 100.0;
  const Interval ci{std::clamp(nps - half, -100.0, 100.0), std::clamp(nps + half, -100.0, 100.0)};
  report.nps = MetricValue::Make(nps, ci, report.n, min_n);
  return report;
}

Result<NpsReport> ComputeNpsFromScores(std::span<const int> scores, int64_t min_n) {
  Result<NpsCounts> counts = NpsCounts::FromScores(scores);
  if (!counts.ok()) return counts.status();
  return ComputeNps(*counts, min_n);
}

}  // namespace feedback::metrics
