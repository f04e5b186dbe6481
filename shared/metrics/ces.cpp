#include "metrics/ces.h"

#include "metrics/estimators.h"

namespace feedback::metrics {

CesReport ComputeCes(const CesCounts& counts, int64_t min_n) {
  CesReport report;
  report.n = counts.n();
  report.mean = MeanWithNormalInterval(report.n, counts.Sum(), counts.SumOfSquares(), min_n);
  report.easy_pct =
      PercentWithWilson(counts.CountBetween(kCesEasyFrom, CesCounts::kMax), report.n, min_n);
  return report;
}

Result<CesReport> ComputeCesFromScores(std::span<const int> scores, int64_t min_n) {
  Result<CesCounts> counts = CesCounts::FromScores(scores);
  if (!counts.ok()) return counts.status().WithContext("CES");
  return ComputeCes(*counts, min_n);
}

}  // namespace feedback::metrics
