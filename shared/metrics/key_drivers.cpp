#include "metrics/key_drivers.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>

namespace feedback::metrics {
namespace {

// Fewer rows than this cannot give a correlation that means anything (two points always
// lie on a line), whatever minimum the caller asks for.
constexpr int64_t kMinimumRows = 3;

// A centred sum of squares this small relative to the raw one is rounding residue: the
// variable took one value in every row.
constexpr double kConstantTolerance = 1e-11;

// A remaining diagonal (1 - R² of that driver on the drivers before it) below this means the
// driver is a linear combination of them.
constexpr double kPivotTolerance = 1e-9;

// Below this the model explains nothing and shares are left at 0.
constexpr double kZeroRSquared = 1e-12;

Status CheckDriverCount(std::size_t k) {
  if (k == 0) {
    return Status::InvalidArgument("key driver analysis needs at least one driver question");
  }
  if (k > kMaxDrivers) {
    return Status::InvalidArgument(
        "key driver analysis supports at most " + std::to_string(kMaxDrivers) +
        " drivers (exact Shapley regression fits all 2^k driver subsets), got " +
        std::to_string(k) + "; analyse fewer driver questions at once");
  }
  return Status::Ok();
}

bool IsConstant(const DriverMoments& moments, std::size_t var) {
  const double centred = moments.CoMoment(var, var);
  const double raw = moments.CrossProduct(var, var);
  return centred <= kConstantTolerance * raw;
}

// The (k+1)x(k+1) correlation matrix, row-major, outcome last. Constant drivers get an
// all-zero row and column (diagonal included) so elimination skips them.
std::vector<double> CorrelationMatrix(const DriverMoments& moments,
                                      const std::vector<bool>& constant) {
  const std::size_t m = moments.num_variables();
  std::vector<double> corr(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    if (i < constant.size() && constant[i]) continue;
    for (std::size_t j = i; j < m; ++j) {
      if (j < constant.size() && constant[j]) continue;
      double r = 1.0;
      if (i != j) {
        r = moments.CoMoment(i, j) / std::sqrt(moments.CoMoment(i, i) * moments.CoMoment(j, j));
        r = std::clamp(r, -1.0, 1.0);
      }
      corr[i * m + j] = r;
      corr[j * m + i] = r;
    }
  }
  return corr;
}

// R² of the outcome (index m-1) on the drivers whose bits are set in `mask`.
double SubsetRSquared(const std::vector<double>& corr, std::size_t m, uint32_t mask) {
  std::array<std::size_t, kMaxDrivers + 1> index{};
  std::size_t s = 0;
  for (std::size_t i = 0; i + 1 < m; ++i) {
    if ((mask >> i) & 1U) index[s++] = i;
  }
  index[s] = m - 1;
  const std::size_t dim = s + 1;

  std::array<double, (kMaxDrivers + 1) * (kMaxDrivers + 1)> a{};
  for (std::size_t r = 0; r < dim; ++r) {
    for (std::size_t c = 0; c < dim; ++c) a[r * dim + c] = corr[index[r] * m + index[c]];
  }
  for (std::size_t p = 0; p < s; ++p) {
    const double pivot = a[p * dim + p];
    if (pivot < kPivotTolerance) continue;
    for (std::size_t i = p + 1; i < dim; ++i) {
      const double factor = a[i * dim + p] / pivot;
      if (factor == 0.0) continue;
      for (std::size_t j = p + 1; j < dim; ++j) a[i * dim + j] -= factor * a[p * dim + j];
    }
  }
  return std::clamp(1.0 - a[s * dim + s], 0.0, 1.0);
}

// Shapley values of the R² game over k drivers, from R² of every subset.
std::vector<double> ShapleyValues(const std::vector<double>& r2_by_mask, std::size_t k) {
  // weight[s] = s! (k - s - 1)! / k!: the probability that, in a random ordering of the
  // drivers, the ones before driver j are exactly a given set of s others. Factorials up to
  // 12! are exact in a double.
  std::vector<double> factorial(k + 1, 1.0);
  for (std::size_t i = 1; i <= k; ++i) factorial[i] = factorial[i - 1] * static_cast<double>(i);
  std::vector<double> weight(k, 0.0);
  for (std::size_t s = 0; s < k; ++s)
    weight[s] = factorial[s] * factorial[k - s - 1] / factorial[k];

  std::vector<double> phi(k, 0.0);
  const uint32_t subsets = 1U << k;
  for (std::size_t j = 0; j < k; ++j) {
    const uint32_t bit = 1U << j;
    for (uint32_t mask = 0; mask < subsets; ++mask) {
      if (mask & bit) continue;
      const auto size = static_cast<std::size_t>(std::popcount(mask));
      phi[j] += weight[size] * (r2_by_mask[mask | bit] - r2_by_mask[mask]);
    }
  }
  return phi;
}

}  // namespace

Result<KeyDriverReport> AnalyzeKeyDrivers(const DriverMoments& moments,
                                          std::span<const std::string> driver_names,
                                          int64_t min_n) {
  const std::size_t k = moments.num_drivers();
  if (Status s = CheckDriverCount(k); !s.ok()) return s;
  if (driver_names.size() != k) {
    return Status::InvalidArgument("key driver analysis got " +
                                   std::to_string(driver_names.size()) + " driver names for " +
                                   std::to_string(k) + " drivers");
  }

  KeyDriverReport report;
  report.n = moments.n();
  report.rows_dropped = moments.rows_dropped();
  report.min_n = min_n;
  if (report.n < std::max(min_n, kMinimumRows)) return report;

  const std::size_t outcome = moments.outcome_index();
  if (IsConstant(moments, outcome)) {
    return Status::InvalidArgument(
        "key driver analysis: all " + std::to_string(report.n) +
        " responses gave the same outcome rating, so no driver can explain it; widen the "
        "period or the sites analysed");
  }

  std::vector<bool> constant(k, false);
  for (std::size_t i = 0; i < k; ++i) constant[i] = IsConstant(moments, i);
  const std::vector<double> corr = CorrelationMatrix(moments, constant);
  const std::size_t m = moments.num_variables();

  const uint32_t subsets = 1U << k;
  std::vector<double> r2_by_mask(subsets, 0.0);
  for (uint32_t mask = 1; mask < subsets; ++mask) r2_by_mask[mask] = SubsetRSquared(corr, m, mask);
  const std::vector<double> phi = ShapleyValues(r2_by_mask, k);

  KeyDriverAnalysis analysis;
  analysis.n = report.n;
  analysis.r_squared = r2_by_mask[subsets - 1];
  analysis.outcome_mean = moments.Mean(outcome);
  analysis.drivers.resize(k);
  std::vector<double> importance;
  std::vector<double> performance;
  for (std::size_t i = 0; i < k; ++i) {
    DriverImportance& d = analysis.drivers[i];
    d.name = driver_names[i];
    d.mean = moments.Mean(i);
    d.constant = constant[i];
    if (d.constant) continue;  // correlation, Shapley value and share stay 0
    d.correlation = corr[i * m + outcome];
    d.shapley_r2 = phi[i];
    d.share = analysis.r_squared > kZeroRSquared ? phi[i] / analysis.r_squared : 0.0;
    importance.push_back(d.share);
    performance.push_back(d.mean);
  }

  Result<std::vector<Quadrant>> quadrants = ClassifyQuadrants(importance, performance);
  if (!quadrants.ok()) return quadrants.status().WithContext("key driver analysis");
  std::size_t next = 0;
  for (DriverImportance& d : analysis.drivers) {
    if (!d.constant) d.quadrant = (*quadrants)[next++];
  }

  report.analysis = std::move(analysis);
  return report;
}

Result<KeyDriverReport> AnalyzeKeyDriverRows(std::span<const DriverRow> rows,
                                             std::span<const std::string> driver_names,
                                             int64_t min_n) {
  if (Status s = CheckDriverCount(driver_names.size()); !s.ok()) return s;
  DriverMoments moments(driver_names.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (Status s = moments.AddRowWithMissing(rows[r].drivers, rows[r].outcome); !s.ok()) {
      return s.WithContext("key driver analysis, row " + std::to_string(r));
    }
  }
  return AnalyzeKeyDrivers(moments, driver_names, min_n);
}

}  // namespace feedback::metrics
