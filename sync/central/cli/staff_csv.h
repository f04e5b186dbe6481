// The staff roster CSV that `feedback-central staff import` loads: a header
// row naming the columns staff_id, display_name, team, site (any order; team
// and site may be omitted), then one person per row. RFC 4180 quoting
// ("Smith, Ann" and "" inside quotes), CRLF or LF, UTF-8. Parsing is strict:
// errors name the line and the column. Plain functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sync/central/store/central_store.h"

namespace feedback::central {

inline constexpr size_t kMaxStaffCsvBytes = 8 * 1024 * 1024;
inline constexpr size_t kMaxDisplayNameBytes = 200;

// only_site: when non-empty (--site S) every row's site must be empty or S,
// and empty sites become S. Without it every row must name its site.
Result<std::vector<StaffRow>> ParseStaffCsv(std::string_view text, std::string_view source_name,
                                            const std::string& only_site);

}  // namespace feedback::central
