// The importance-vs-performance quadrant of key driver analysis: where each driver sits
// relative to the average importance and the average performance of all drivers shown
// together. A driver at or above a mean counts as high on that axis.
//
//                      performance high     performance low
//   importance high    key strength         priority to fix
//   importance low     maintain             low priority
//
// Pure functions; safe to call from any thread.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace feedback::metrics {

enum class Quadrant {
  kKeyStrength,    // matters and performs well: protect it
  kPriorityToFix,  // matters and performs poorly: act here first
  kMaintain,       // performs well but matters little: do not over-invest
  kLowPriority,    // performs poorly but matters little: watch it
  kNoVariation,    // every response gave the same rating, so importance cannot be estimated
};

// "key strength", "priority to fix", "maintain", "low priority", "no variation".
std::string_view QuadrantName(Quadrant quadrant);

// The quadrant of each driver i from importance[i] (e.g. its Shapley share of R²) and
// performance[i] (its mean rating; all drivers on the same scale). InvalidArgument if the
// spans differ in length or hold a non-finite value. Empty spans give an empty vector.
Result<std::vector<Quadrant>> ClassifyQuadrants(std::span<const double> importance,
                                                std::span<const double> performance);

}  // namespace feedback::metrics
