// Day numbers and the dashboard's periods (proleptic Gregorian, UTC).
// Stateless functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sync/central/store/rollup_store.h"

namespace feedback::central {

// Day numbers <-> "YYYY-MM-DD". ParseDay: nullopt if malformed.
std::string FormatDay(int64_t day);
std::optional<int64_t> ParseDay(std::string_view text);
// The period key of a day: "YYYY-MM-DD" (day), the Monday's date (week), "YYYY-MM" (month).
std::string PeriodKey(int64_t day, std::string_view period);
// The rollup grouping for a period name: "week" -> kWeek, "month" -> kMonth, else kDay.
GroupBy PeriodGroup(std::string_view period);

}  // namespace feedback::central
