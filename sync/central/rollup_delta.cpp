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
  for (size_t a = 0; a < d.variables.size(); ++a) {
    const double va = *d.values[a];
    driver_sums_[DriverSumKey{key, d.variables[a], ""}] += va;
    for (size_t b = a; b < d.variables.size(); ++b) {
      driver_sums_[DriverSumKey{key, d.variables[a], d.variables[b]}] += va * *d.values[b];
    }
  }
}

}  // namespace feedback::central
