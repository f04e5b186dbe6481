#include "metrics/csat.h"

#include "metrics/estimators.h"

namespace feedback::metrics {

CsatReport ComputeCsat(const CsatCounts& counts, int64_t min_n) {
  CsatReport report;
  report.n = counts.n();
  report.csat_pct =
      PercentWithWilson(counts.CountBetween(kCsatSatisfiedFrom, CsatCounts::kMax), report.n, min_n);
  return report;
}

Result<CsatReport> ComputeCsatFromScores(std::span<const int> scores, int64_t min_n) {
  Result<CsatCounts> counts = CsatCounts::FromScores(scores);
  if (!counts.ok()) return counts.status().WithContext("CSAT");
  return ComputeCsat(*counts, min_n);
}

}  // namespace feedback::metrics
