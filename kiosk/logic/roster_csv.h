// The staff roster as a CSV file (--roster), for sites whose roster is not (yet)
// pulled down by the sync daemon. Format, one person a line, UTF-8:
//   staff_id,display_name[,team]
// An optional header line starting with "staff_id" is skipped; fields may be
// double-quoted ("Smith, Ann"), with "" for a quote inside; blank lines and lines
// starting with # are ignored. Plain functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/capture_store.h"

namespace feedback::kiosk {

inline constexpr size_t kMaxRosterFileBytes = 1024 * 1024;
inline constexpr size_t kMaxRosterEntries = 2000;

// Errors name the source, the line and the problem.
Result<std::vector<StaffMember>> ParseRosterCsv(std::string_view text, std::string_view source);
Result<std::vector<StaffMember>> LoadRosterCsv(const std::string& path);

}  // namespace feedback::kiosk
