#include "sync/central/dashboard/days.h"

#include <cstdio>
#include <string>

namespace feedback::central {

std::string FormatDay(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return buf;
}

std::optional<int64_t> ParseDay(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  }
  int64_t y = std::stoll(std::string(t.substr(0, 4)));
  const int64_t m = std::stoll(std::string(t.substr(5, 2)));
  const int64_t d = std::stoll(std::string(t.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t z = era * 146097 + doe - 719468;
  if (FormatDay(z) != t) return std::nullopt;  // e.g. 2023-02-30
  return z;
}

std::string PeriodKey(int64_t day, std::string_view period) {
  if (period == "week") {
    // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7.
    const int64_t wd = ((day + 3) % 7 + 7) % 7;
    return FormatDay(day - wd);
  }
  if (period == "month") return FormatDay(day).substr(0, 7);
  return FormatDay(day);
}

GroupBy PeriodGroup(std::string_view period) {
  if (period == "week") return GroupBy::kWeek;
  if (period == "month") return GroupBy::kMonth;
  return GroupBy::kDay;
}

}  // namespace feedback::central
