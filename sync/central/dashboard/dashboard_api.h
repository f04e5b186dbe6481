// DashboardApi: the manager dashboard's JSON API under /api/ (everything but
// the device endpoints), independent of the HTTP library: login with scrypt
// and a per user+IP rate limit, sessions (cookie, hashed in the store, idle and
// absolute expiry), CSRF tokens on every state change, the caller's scope
// applied to every query, figures computed from the rollups with
// shared/metrics, and CSV export. The contract is docs/dashboard-api.md.
//
// Threading: Handle() may be called from many request threads at once, each
// with its own store. Borrows the clock. Never throws: every failure becomes
// a JSON error answer.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "sync/central/store/central_store.h"

namespace feedback::central {

struct DashboardRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/api/overview"
  std::map<std::string, std::string> params;  // query string (first value of each)
  std::string body;
  std::string content_type;
  std::string cookie;       // the Cookie header
  std::string csrf_header;  // X-CSRF-Token
  std::string remote_ip;
};

struct DashboardResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string log_note;  // never secrets
};

struct DashboardOptions {
  bool secure_cookie = true;  // false only on the plain-HTTP loopback test mode
  TimeMs session_ttl_ms = 12LL * 3600 * 1000;
  TimeMs session_idle_ms = 2LL * 3600 * 1000;
  int max_login_failures = 5;
  TimeMs lockout_ms = 15LL * 60 * 1000;
};

inline constexpr char kSessionCookie[] = "fc_session";

class DashboardApi {
 public:
  DashboardApi(const Clock& clock, DashboardOptions options);

  DashboardResponse Handle(CentralStore& store, const DashboardRequest& request);

 private:
  DashboardResponse HandleUnsafe(CentralStore& store, const DashboardRequest& request);

  const Clock& clock_;
  DashboardOptions options_;
  std::string dummy_hash_;  // verified against for unknown users (same cost)
};

// Day numbers <-> "YYYY-MM-DD" (proleptic Gregorian, UTC). ParseDay: nullopt if malformed.
std::string FormatDay(int64_t day);
std::optional<int64_t> ParseDay(std::string_view text);
// The period key of a day: "YYYY-MM-DD" (day), the Monday's date (week), "YYYY-MM" (month).
std::string PeriodKey(int64_t day, std::string_view period);
// The rollup grouping for a period name: "week" -> kWeek, "month" -> kMonth, else kDay.
GroupBy PeriodGroup(std::string_view period);

}  // namespace feedback::central
