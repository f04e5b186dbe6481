// DashboardFilter: what a dashboard read covers (rollups, stories,
// follow-ups), already narrowed to the caller's scope by the dashboard layer,
// so the store only applies it. Plain value, no thread affinity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace feedback::central {

// Every field narrows; an unset optional means "no restriction on that
// column". The dashboard layer intersects the request's filters with the
// caller's scope before building this (sites = {} with has_sites means "no
// site at all": empty answer).
struct DashboardFilter {
  int64_t from_day = 0;  // UTC day numbers, inclusive
  int64_t to_day = 0;
  bool use_days = true;  // stories / follow-ups may ignore the date range
  std::optional<std::vector<std::string>> sites;
  std::optional<std::string> team;
  std::optional<std::string> channel;
  std::optional<std::string> staff_id;
};

}  // namespace feedback::central
