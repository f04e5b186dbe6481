#include "metrics/importance_quadrant.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <string>

namespace feedback::metrics {

std::string_view QuadrantName(Quadrant quadrant) {
  switch (quadrant) {
    case Quadrant::kKeyStrength:
      return "key strength";
    case Quadrant::kPriorityToFix:
      return "priority to fix";
    case Quadrant::kMaintain:
      return "maintain";
    case Quadrant::kLowPriority:
      return "low priority";
    case Quadrant::kNoVariation:
      return "no variation";
  }
  return "unknown";
}

Result<std::vector<Quadrant>> ClassifyQuadrants(std::span<const double> importance,
                                                std::span<const double> performance) {
  if (importance.size() != performance.size()) {
    return Status::InvalidArgument("quadrant classification got " +
                                   std::to_string(importance.size()) + " importances but " +
                                   std::to_string(performance.size()) + " performances");
  }
  for (std::size_t i = 0; i < importance.size(); ++i) {
    if (!std::isfinite(importance[i]) || !std::isfinite(performance[i])) {
      return Status::InvalidArgument("quadrant classification: driver " + std::to_string(i) +
                                     " has a non-finite importance or performance");
    }
  }
  std::vector<Quadrant> quadrants;
  if (importance.empty()) return quadrants;

  const double count = static_cast<double>(importance.size());
  const double mean_importance = std::accumulate(importance.begin(), importance.end(), 0.0) / count;
  const double mean_performance =
      std::accumulate(performance.begin(), performance.end(), 0.0) / count;
  // Equal values must land on the same side of their own mean, which the rounding of the
  // mean could otherwise break (five shares of 0.2 average to a hair above 0.2).
  auto at_or_above = [](double value, double mean) {
    return value >= mean - 1e-12 * std::max(1.0, std::fabs(mean));
  };
  quadrants.reserve(importance.size());
  for (std::size_t i = 0; i < importance.size(); ++i) {
    const bool important = at_or_above(importance[i], mean_importance);
    const bool performing = at_or_above(performance[i], mean_performance);
    if (important) {
      quadrants.push_back(performing ? Quadrant::kKeyStrength : Quadrant::kPriorityToFix);
    } else {
      quadrants.push_back(performing ? Quadrant::kMaintain : Quadrant::kLowPriority);
    }
  }
  return quadrants;
}

}  // namespace feedback::metrics
