// RollupStore: the store's role for the dashboard's figures - reads of the
// rollup tables that ingest maintains (never raw records): score counts of
// nps / csat / ces questions, response counts and driver moments within a
// DashboardFilter. One of the role interfaces CentralStore aggregates
// (central_store.h).
//
// Threading and errors: as CentralStore.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "sync/central/store/dashboard_filter.h"

namespace feedback::central {

// The dimension a rollup query groups by ("" key when ungrouped). kDay, kWeek
// and kMonth key rows by a day number that lies in the group's period (the
// caller maps it to the period with PeriodKey); the store may then read whole
// periods of that size or finer.
enum class GroupBy { kNone, kSite, kChannel, kTeam, kStaff, kDay, kWeek, kMonth };

// SUM(count) of one score of one question type, per group.
struct ScoreCountRow {
  std::string key;
  std::string question_type;  // "nps" | "csat" | "ces"
  int score = 0;
  int64_t count = 0;
};

// SUM(count) of responses per group and status.
struct ResponseCountRow {
  std::string key;
  std::string status;
  int64_t count = 0;
};

// Driver moments summed over the filter, per survey version.
struct DriverRowsSum {
  std::string survey_id;
  int survey_version = 0;
  int64_t n = 0;
  int64_t rows_dropped = 0;
};
struct DriverSumRow {
  std::string survey_id;
  int survey_version = 0;
  std::string var_a;
  std::string var_b;  // empty: the raw sum of var_a
  double total = 0;
};

class RollupStore {
 public:
  virtual ~RollupStore() = default;

  virtual Result<std::vector<ScoreCountRow>> QueryScoreCounts(const DashboardFilter& filter,
                                                              GroupBy group) = 0;
  virtual Result<std::vector<ResponseCountRow>> QueryResponseCounts(const DashboardFilter& filter,
                                                                    GroupBy group) = 0;
  virtual Status QueryDriverMoments(const DashboardFilter& filter,
                                    std::vector<DriverRowsSum>* rows,
                                    std::vector<DriverSumRow>* sums) = 0;
  // Distinct teams and channels present in the rollups within the filter.
  virtual Result<std::vector<std::string>> DistinctRollupValues(const DashboardFilter& filter,
                                                                const std::string& column) = 0;
};

}  // namespace feedback::central
