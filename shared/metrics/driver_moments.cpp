#include "metrics/driver_moments.h"

#include <cassert>
#include <cmath>
#include <string>
#include <utility>

namespace feedback::metrics {
namespace {

std::size_t PackedSize(std::size_t num_variables) {
  return num_variables * (num_variables + 1) / 2;
}

}  // namespace

DriverMoments::DriverMoments(std::size_t num_drivers)
    : num_drivers_(num_drivers),
      sums_(num_drivers + 1, 0.0),
      cross_(PackedSize(num_drivers + 1), 0.0) {}

Result<DriverMoments> DriverMoments::FromSums(std::size_t num_drivers, int64_t n,
                                              int64_t rows_dropped, std::vector<double> sums,
                                              std::vector<double> cross_products) {
  const std::size_t m = num_drivers + 1;
  if (sums.size() != m || cross_products.size() != PackedSize(m)) {
    return Status::InvalidArgument(
        "driver moments for " + std::to_string(num_drivers) + " drivers need " + std::to_string(m) +
        " sums and " + std::to_string(PackedSize(m)) + " cross-products, got " +
        std::to_string(sums.size()) + " and " + std::to_string(cross_products.size()) +
        "; the stored rollup is corrupt");
  }
  if (n < 0 || rows_dropped < 0) {
    return Status::InvalidArgument("driver moments have a negative row count (n " +
                                   std::to_string(n) + ", dropped " + std::to_string(rows_dropped) +
                                   ")");
  }
  for (const std::vector<double>* values : {&sums, &cross_products}) {
    for (const double v : *values) {
      if (!std::isfinite(v)) {
        return Status::InvalidArgument("driver moments contain a non-finite sum");
      }
    }
  }
  DriverMoments moments(num_drivers);
  moments.n_ = n;
  moments.rows_dropped_ = rows_dropped;
  moments.sums_ = std::move(sums);
  moments.cross_ = std::move(cross_products);
  return moments;
}

Status DriverMoments::AddRow(std::span<const double> drivers, double outcome) {
  if (drivers.size() != num_drivers_) {
    return Status::InvalidArgument("driver row has " + std::to_string(drivers.size()) +
                                   " ratings but the analysis has " + std::to_string(num_drivers_) +
                                   " drivers");
  }
  for (std::size_t i = 0; i < drivers.size(); ++i) {
    if (!std::isfinite(drivers[i])) {
      return Status::InvalidArgument("driver " + std::to_string(i) + " rating is not finite");
    }
  }
  if (!std::isfinite(outcome)) return Status::InvalidArgument("outcome rating is not finite");

  const std::size_t m = num_variables();
  auto value = [&](std::size_t var) { return var < num_drivers_ ? drivers[var] : outcome; };
  std::size_t packed = 0;
  for (std::size_t a = 0; a < m; ++a) {
    const double x = value(a);
    sums_[a] += x;
    for (std::size_t b = a; b < m; ++b) cross_[packed++] += x * value(b);
  }
  ++n_;
  return Status::Ok();
}

Status DriverMoments::AddRowWithMissing(std::span<const std::optional<double>> drivers,
                                        std::optional<double> outcome) {
  if (drivers.size() != num_drivers_) {
    return Status::InvalidArgument("driver row has " + std::to_string(drivers.size()) +
                                   " ratings but the analysis has " + std::to_string(num_drivers_) +
                                   " drivers");
  }
  std::vector<double> complete;
  complete.reserve(drivers.size());
  for (const std::optional<double>& d : drivers) {
    if (!d.has_value()) {
      ++rows_dropped_;
      return Status::Ok();
    }
    complete.push_back(*d);
  }
  if (!outcome.has_value()) {
    ++rows_dropped_;
    return Status::Ok();
  }
  return AddRow(complete, *outcome);
}

Status DriverMoments::Merge(const DriverMoments& other) {
  if (other.num_drivers_ != num_drivers_) {
    return Status::InvalidArgument(
        "cannot merge driver moments for " + std::to_string(other.num_drivers_) +
        " drivers into moments for " + std::to_string(num_drivers_) + " drivers");
  }
  n_ += other.n_;
  rows_dropped_ += other.rows_dropped_;
  for (std::size_t i = 0; i < sums_.size(); ++i) sums_[i] += other.sums_[i];
  for (std::size_t i = 0; i < cross_.size(); ++i) cross_[i] += other.cross_[i];
  return Status::Ok();
}

double DriverMoments::Mean(std::size_t var) const {
  assert(n_ > 0);
  return sums_[var] / static_cast<double>(n_);
}

double DriverMoments::CoMoment(std::size_t a, std::size_t b) const {
  assert(n_ > 0);
  return CrossProduct(a, b) - sums_[a] * sums_[b] / static_cast<double>(n_);
}

std::size_t DriverMoments::PackedIndex(std::size_t a, std::size_t b) const {
  if (a > b) std::swap(a, b);
  const std::size_t m = num_variables();
  assert(b < m);
  // Row a of the packed upper triangle starts after rows 0..a-1, of lengths m, m-1, ...,
  // m-a+1, which sum to a * (2m - a + 1) / 2.
  return a * (2 * m - a + 1) / 2 + (b - a);
}

}  // namespace feedback::metrics
