// DriverMoments: the sufficient statistics of key driver analysis — the number of complete
// rows and the raw sums and sums of cross-products of k driver ratings and the outcome —
// so the central store can keep them in rollups (add rows as responses arrive, merge the
// accumulators of days or sites) and run the analysis without the raw rows.
//
// Variables are indexed 0..k-1 for the drivers and k for the outcome. Cross-products are
// kept as the packed upper triangle of the (k+1)x(k+1) matrix, row by row: (0,0), (0,1),
// ..., (0,k), (1,1), ..., (k,k). Raw (uncentred) sums are kept because they merge by plain
// addition, also in SQL; for integer ratings they are integers and exact in a double up to
// 2^53, so the centred moments derived from them carry no accumulated rounding error.
//
// A plain value type that owns its vectors; not synchronised, so guard shared instances
// externally.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace feedback::metrics {

class DriverMoments {
 public:
  // An empty accumulator for `num_drivers` drivers plus the outcome.
  explicit DriverMoments(std::size_t num_drivers);

  // Rebuilds an accumulator from stored sums (see the layout above). InvalidArgument if a
  // vector has the wrong length for num_drivers, a count is negative or a value is not finite.
  static Result<DriverMoments> FromSums(std::size_t num_drivers, int64_t n, int64_t rows_dropped,
                                        std::vector<double> sums,
                                        std::vector<double> cross_products);

  // Adds one complete row. InvalidArgument (and nothing added) if drivers.size() != k or a
  // value is not finite.
  Status AddRow(std::span<const double> drivers, double outcome);

  // Listwise deletion: a row with any missing driver or outcome is only counted in
  // rows_dropped(); a complete row is added as by AddRow. Same errors as AddRow.
  Status AddRowWithMissing(std::span<const std::optional<double>> drivers,
                           std::optional<double> outcome);

  // Adds another accumulator's rows. InvalidArgument if its driver count differs.
  Status Merge(const DriverMoments& other);

  std::size_t num_drivers() const { return num_drivers_; }
  std::size_t num_variables() const { return num_drivers_ + 1; }
  std::size_t outcome_index() const { return num_drivers_; }

  // Complete rows added, and rows dropped for a missing value.
  int64_t n() const { return n_; }
  int64_t rows_dropped() const { return rows_dropped_; }

  // Raw sum of variable `var`, and of the products of variables a and b (in either order).
  double Sum(std::size_t var) const { return sums_[var]; }
  double CrossProduct(std::size_t a, std::size_t b) const { return cross_[PackedIndex(a, b)]; }

  // Mean of `var`; requires n() > 0.
  double Mean(std::size_t var) const;
  // Centred co-moment sum((x_a - mean_a) * (x_b - mean_b)) = S_ab - S_a * S_b / n; requires
  // n() > 0.
  double CoMoment(std::size_t a, std::size_t b) const;

  // The stored form, for persisting a rollup.
  const std::vector<double>& sums() const { return sums_; }
  const std::vector<double>& cross_products() const { return cross_; }

  friend bool operator==(const DriverMoments&, const DriverMoments&) = default;

 private:
  std::size_t PackedIndex(std::size_t a, std::size_t b) const;

  std::size_t num_drivers_ = 0;
  int64_t n_ = 0;
  int64_t rows_dropped_ = 0;
  std::vector<double> sums_;   // k + 1
  std::vector<double> cross_;  // (k + 1)(k + 2) / 2
};

}  // namespace feedback::metrics
