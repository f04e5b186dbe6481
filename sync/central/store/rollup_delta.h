// RollupDelta: sums the rollup contributions of the records one batch newly
// stores, so the store issues one additive upsert per distinct rollup key
// instead of one per answer. Keys are site / channel / staff / team / period /
// survey (and question, score or option); see docs/central.md "Rollups".
//
// Every contribution is kept at four grains: per rep and UTC day (the rollup_*
// tables, read when a query names or groups by a rep) and, without the rep,
// per day, ISO week (Monday) and calendar month (the summary_* tables, which
// the dashboard reads for everything else: a year of 20 sites is a few
// thousand month rows instead of a few million rep-day rows).
// Store-independent; a plain value, not synchronised.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sync/central/store/prepared_batch.h"

namespace feedback::central {

enum class RollupGrain {
  kRepDay,  // rollup_* tables: staff_id kept, period = the day
  kDay,     // summary_* tables from here on: staff_id empty
  kWeek,    // period = the Monday of the week
  kMonth,   // period = the 1st of the month
};

// The summary tables' `grain` column.
char GrainCode(RollupGrain grain);
// The first day of the period of `grain` that contains `day` (days since 1970-01-01).
int64_t PeriodStart(RollupGrain grain, int64_t day);
// The last day of that period.
int64_t PeriodEnd(RollupGrain grain, int64_t day);

// Whole periods of one grain: those whose first day is in [first, last].
struct PeriodRange {
  RollupGrain grain = RollupGrain::kDay;
  int64_t first = 0;
  int64_t last = 0;
  auto operator<=>(const PeriodRange&) const = default;
};

// Whole periods of the summary grains, none coarser than `coarsest` (kDay,
// kWeek or kMonth), that together cover exactly the days [from, to]: the whole
// months inside it, then whole weeks inside what is left, then single days.
// With kMonth no period crosses a month boundary (weeks only inside the
// partial months at the ends), so a trend by month can place every period.
// Empty when from > to.
std::vector<PeriodRange> CoverDays(int64_t from, int64_t to, RollupGrain coarsest);

// Dimensions every rollup row has.
struct RollupDims {
  RollupGrain grain = RollupGrain::kRepDay;
  std::string site_id;
  std::string channel;
  std::string staff_id;  // empty at the summary grains
  std::string team;
  int64_t period = 0;    // first day of the period
  std::string survey_id;

  auto operator<=>(const RollupDims&) const = default;
};

// Driver moments of one survey version under one RollupDims: the raw sums of
// each variable and of the product of each pair (var_a <= var_b in the
// survey's variable order), stored by question id.
struct MomentSums {
  int64_t n = 0;
  int64_t rows_dropped = 0;
  std::vector<std::string> variables;
  std::vector<double> sums;      // sums[a]
  std::vector<double> products;  // (a, b >= a), row by row
  // Rows whose variables differ from the first row's (a survey version has
  // one variable list, so this stays empty in practice): (var_a, var_b) -> sum.
  std::map<std::pair<std::string, std::string>, double> other;

  // Every (var_a, var_b or "", total) sum, in a stable order.
  std::vector<std::tuple<std::string, std::string, double>> Sums() const;
};

// Everything the new records of a batch add under one RollupDims.
struct RollupGroup {
  std::map<std::string, int64_t> responses;  // status -> count
  // (question_id, score) -> (question_type, count)
  std::map<std::pair<std::string, int>, std::pair<std::string, int64_t>> scores;
  std::map<std::pair<std::string, std::string>, int64_t> choices;  // (question, option) -> count
  std::map<int, MomentSums> drivers;                            // survey_version -> moments
};

class RollupDelta {
 public:
  // Adds one new record of a batch from site_id / team (at the rep-day grain).
  void Add(const PreparedRecord& record, const std::string& site_id, const std::string& team);
  // Derives the day / week / month summary groups from the rep-day ones.
  // Call once, after the last Add.
  void Summarize();

  const std::map<RollupDims, RollupGroup>& groups() const { return groups_; }

 private:
  std::map<RollupDims, RollupGroup> groups_;
};

}  // namespace feedback::central
