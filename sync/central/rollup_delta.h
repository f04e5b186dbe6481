// RollupDelta: sums the rollup contributions of the records one batch newly
// stores, so the store issues one additive upsert per distinct rollup key
// instead of one per answer. Keys are site / channel / staff / team / UTC day /
// survey (and question, score or option); see docs/central.md "Rollups".
// Store-independent; a plain value, not synchronised.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "sync/central/ingest_types.h"

namespace feedback::central {

// Dimensions every rollup row has.
struct RollupDims {
  std::string site_id;
  std::string channel;
  std::string staff_id;
  std::string team;
  int64_t day = 0;
  std::string survey_id;

  auto operator<=>(const RollupDims&) const = default;
};

struct ScoreKey {
  RollupDims dims;
  std::string question_id;
  std::string question_type;
  int score = 0;
  auto operator<=>(const ScoreKey&) const = default;
};

struct ResponseKey {
  RollupDims dims;
  std::string status;
  auto operator<=>(const ResponseKey&) const = default;
};

struct ChoiceKey {
  RollupDims dims;
  std::string question_id;
  std::string option_id;
  auto operator<=>(const ChoiceKey&) const = default;
};

// Driver moments are per survey version: the set of drivers may change.
struct DriverKey {
  RollupDims dims;
  int survey_version = 0;
  auto operator<=>(const DriverKey&) const = default;
};

// Raw sum of one variable (var_b empty) or of the product of two (var_a <= var_b
// in the survey's variable order, stored by question id).
struct DriverSumKey {
  DriverKey key;
  std::string var_a;
  std::string var_b;
  auto operator<=>(const DriverSumKey&) const = default;
};

struct DriverRows {
  int64_t n = 0;
  int64_t rows_dropped = 0;
};

class RollupDelta {
 public:
  // Adds one new record of a batch from site_id / team.
  void Add(const PreparedRecord& record, const std::string& site_id, const std::string& team);

  const std::map<ResponseKey, int64_t>& responses() const { return responses_; }
  const std::map<ScoreKey, int64_t>& scores() const { return scores_; }
  const std::map<ChoiceKey, int64_t>& choices() const { return choices_; }
  const std::map<DriverKey, DriverRows>& driver_rows() const { return driver_rows_; }
  // Built on each call from the per-key moment vectors (call once per batch).
  std::map<DriverSumKey, double> driver_sums() const;

 private:
  // The sums of one DriverKey, in the record's variable order: sums[a] for
  // each variable, then products[(a, b >= a)] row by row. Accumulated in
  // vectors (not one map entry per pair) because this runs per record.
  struct Moments {
    std::vector<std::string> variables;
    std::vector<double> sums;
    std::vector<double> products;
  };

  std::map<ResponseKey, int64_t> responses_;
  std::map<ScoreKey, int64_t> scores_;
  std::map<ChoiceKey, int64_t> choices_;
  std::map<DriverKey, DriverRows> driver_rows_;
  std::map<DriverKey, Moments> moments_;
  // Records whose variables differ from their key's first record (a survey
  // version has one variable list, so this stays empty in practice).
  std::map<DriverSumKey, double> other_sums_;
};

}  // namespace feedback::central
