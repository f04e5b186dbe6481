// Key driver analysis: which driver ratings (greeting, speed, cleanliness...) explain the
// outcome rating (satisfaction, NPS), shown against how well each driver performs.
//
// For each driver it reports, over the rows with no missing value (listwise deletion):
//   mean         its mean rating (performance)
//   correlation  Pearson r with the outcome
//   shapley_r2   its Shapley value in the decomposition of the OLS R² of the outcome on all
//                drivers (Shapley regression / LMG):
//                  phi_j = sum over S not containing j of |S|! (k-|S|-1)! / k!
//                          * (R²(S + j) - R²(S)),
//                exact over all 2^k subsets. The phi_j sum to the full-model R².
//   share        phi_j / R², the normalised relative importance; shares sum to 1 (all 0 when
//                R² is 0, where there is nothing to share)
//   quadrant     importance (share) vs performance (mean), see importance_quadrant.h
//
// Each R²(S) is r_S' R_SS^-1 r_S on the correlation matrix, computed by symmetric Gaussian
// elimination (Cholesky without square roots) of [R_SS r_S; r_S' 1]: after eliminating the
// drivers of S the outcome's diagonal is 1 - R²(S). A driver whose remaining diagonal is
// below 1e-9 is an exact linear combination of the drivers already eliminated; it adds
// nothing to R², so it is skipped rather than failing. Hence:
//   - a constant driver (no variation among the rows) gets correlation 0, Shapley value 0,
//     share 0, constant = true and quadrant kNoVariation; the others are analysed as if it
//     were absent;
//   - perfectly collinear drivers (the same question asked twice) share their joint
//     contribution through the Shapley averaging instead of making the system singular.
// An outcome with no variation is an error: there is nothing to explain.
//
// Limits: at most kMaxDrivers = 12 drivers (4096 subsets); fewer than min_n complete rows
// (default 30, and never fewer than 3) gives a suppressed report. The quadrant averages mean
// ratings, so all drivers should be on the same scale.
//
// The analysis runs on DriverMoments (sufficient statistics), so rollups can keep those and
// the row-based entry point is just "accumulate, then analyse". Pure functions over values;
// safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "metrics/driver_moments.h"
#include "metrics/importance_quadrant.h"

namespace feedback::metrics {

inline constexpr std::size_t kMaxDrivers = 12;
inline constexpr int64_t kDefaultMinDriverResponses = 30;

struct DriverImportance {
  std::string name;
  double mean = 0.0;         // performance: mean rating
  double correlation = 0.0;  // Pearson r with the outcome; 0 for a constant driver
  double shapley_r2 = 0.0;   // raw Shapley contribution to R²
  double share = 0.0;        // shapley_r2 / r_squared
  bool constant = false;     // no variation among the rows used
  Quadrant quadrant = Quadrant::kNoVariation;
};

struct KeyDriverAnalysis {
  int64_t n = 0;           // rows used
  double r_squared = 0.0;  // OLS R² of the outcome on all drivers
  double outcome_mean = 0.0;
  std::vector<DriverImportance> drivers;  // in input order
};

struct KeyDriverReport {
  int64_t n = 0;             // complete rows used
  int64_t rows_dropped = 0;  // rows with a missing driver or outcome
  int64_t min_n = kDefaultMinDriverResponses;
  // nullopt when n is below the minimum: show "not enough responses".
  std::optional<KeyDriverAnalysis> analysis;

  bool suppressed() const { return !analysis.has_value(); }
};

// One response: its driver ratings in a fixed order, and the outcome; nullopt = unanswered.
struct DriverRow {
  std::vector<std::optional<double>> drivers;
  std::optional<double> outcome;
};

// Analyses accumulated moments; driver_names[i] names driver i. InvalidArgument if the
// driver count is 0 or above kMaxDrivers, the names do not match the driver count, or the
// outcome has no variation.
Result<KeyDriverReport> AnalyzeKeyDrivers(const DriverMoments& moments,
                                          std::span<const std::string> driver_names,
                                          int64_t min_n = kDefaultMinDriverResponses);

// Accumulates rows (listwise deletion) and analyses them; the driver count is
// driver_names.size(). Errors as above, plus InvalidArgument naming the first row whose
// driver count differs or that holds a non-finite value.
Result<KeyDriverReport> AnalyzeKeyDriverRows(std::span<const DriverRow> rows,
                                             std::span<const std::string> driver_names,
                                             int64_t min_n = kDefaultMinDriverResponses);

}  // namespace feedback::metrics
