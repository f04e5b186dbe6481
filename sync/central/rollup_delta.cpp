#include "sync/central/rollup_delta.h"

namespace feedback::central {

void RollupDelta::Add(const PreparedRecord& r, const std::string& site_id,
                      const std::string& team) {
  const RollupDims dims{site_id, r.channel, r.staff_id, team, r.day, r.survey_id};
  ++responses_[ResponseKey{dims, r.status}];
  for (const ScoreContribution& s : r.scores) {
    ++scores_[ScoreKey{dims, s.question_id, s.question_type, s.score}];
  }
  for (const ChoiceContribution& c : r.choices) {
    ++choices_[ChoiceKey{dims, c.question_id, c.option_id}];
  }
  if (!r.drivers) return;
  const DriverContribution& d = *r.drivers;
  const DriverKey key{dims, r.survey_version};
  DriverRows& rows = driver_rows_[key];
  for (const std::optional<int>& v : d.values) {
    if (!v) {
      ++rows.rows_dropped;
      return;
    }
  }
  ++rows.n;
  const size_t k = d.variables.size();
  Moments& m = moments_[key];
  if (m.variables.empty()) {
    m.variables = d.variables;
    m.sums.assign(k, 0.0);
    m.products.assign(k * (k + 1) / 2, 0.0);
  }
  if (m.variables != d.variables) {
    for (size_t a = 0; a < k; ++a) {
      const double va = *d.values[a];
      other_sums_[DriverSumKey{key, d.variables[a], ""}] += va;
      for (size_t b = a; b < k; ++b) {
        other_sums_[DriverSumKey{key, d.variables[a], d.variables[b]}] += va * *d.values[b];
      }
    }
    return;
  }
  size_t p = 0;
  for (size_t a = 0; a < k; ++a) {
    const double va = *d.values[a];
    m.sums[a] += va;
    for (size_t b = a; b < k; ++b) m.products[p++] += va * *d.values[b];
  }
}

std::map<DriverSumKey, double> RollupDelta::driver_sums() const {
  std::map<DriverSumKey, double> out = other_sums_;
  for (const auto& [key, m] : moments_) {
    const size_t k = m.variables.size();
    size_t p = 0;
    for (size_t a = 0; a < k; ++a) {
      out[DriverSumKey{key, m.variables[a], ""}] += m.sums[a];
      for (size_t b = a; b < k; ++b) {
        out[DriverSumKey{key, m.variables[a], m.variables[b]}] += m.products[p++];
      }
    }
  }
  return out;
}

}  // namespace feedback::central
