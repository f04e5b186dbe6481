// What every dashboard endpoint shares: the request as a handler sees it
// (Call: the HTTP request, the leased store, the caller and the clock), the
// answers (JSON, errors, store failures through the one Status map of
// http/responses.h), the caller's scope and the filter built from it, the
// figures with their n and interval, and the JSON of each entity. One handler
// per endpoint lives in the file of its dashboard page (endpoints.h).
//
// Threading: a Call belongs to one request on one thread. The functions are
// stateless.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "metrics/ces.h"
#include "metrics/csat.h"
#include "metrics/key_drivers.h"
#include "metrics/nps.h"
#include "sync/central/dashboard/dashboard_options.h"
#include "sync/central/http/http_message.h"
#include "sync/central/store/central_store.h"

namespace feedback::central::dashboard {

using nlohmann::json;

inline constexpr int64_t kMinN = metrics::kDefaultMinResponses;
inline constexpr int64_t kMinDriverN = metrics::kDefaultMinDriverResponses;
inline constexpr int64_t kDefaultRangeDays = 90;
inline constexpr size_t kMaxNoteLength = 2000;

// What the API keeps between requests (read-only while serving).
struct Context {
  const Clock& clock;
  DashboardOptions options;
  std::string dummy_hash;  // verified against for unknown users (same cost)
};

// One request as an endpoint's handler sees it. user and session are the
// caller's, checked before the handler runs (empty for POST /api/login).
struct Call {
  const http::Request& request;
  CentralStore& store;
  const Context& context;
  TimeMs now = 0;
  User user;
  Session session;

  // A query parameter, "" when absent.
  std::string Param(std::string_view name) const { return std::string(request.Query(name)); }
  // A path parameter of the endpoint's pattern ("{id}").
  std::string Path(std::string_view name) const { return std::string(request.PathParam(name)); }
  bool admin() const { return user.role == UserRole::kAdmin; }
  // format=csv: the endpoint answers a CSV file instead of JSON.
  bool csv() const { return request.Query("format") == "csv"; }
};

using Handler = http::Response (*)(Call& call);

// --- answers ---
http::Response Error(int status, std::string_view message);
http::Response Json(const json& j);
// A store failure, through http::StatusResponse (the one Status -> HTTP map).
http::Response FromStatus(const Status& s);

// --- tokens and cookies ---
// 32 random bytes, base64url without padding; "" when the RNG fails.
std::string RandomToken();
std::string Sha256Hex(std::string_view s);
std::string CookieValue(std::string_view header, const std::string& name);

// --- request bodies ---
// The body as a JSON object; false when it is not one.
bool ParseBody(const http::Request& request, json* out);
std::optional<std::string> BodyString(const json& j, const char* key);
// "YYYY-MM-DDTHH:MM:SSZ" (or with ".mmm") -> ms since the epoch.
std::optional<TimeMs> ParseIsoTime(const std::string& s);

// --- scope and filter ---
bool SiteInScope(const User& u, const std::string& site);
bool InScope(const User& u, const std::string& site, const std::string& team);
// The filter of a data request: its parameters (from, to, site, region, team,
// channel, rep) narrowed to the caller's scope. PermissionDenied for a filter
// outside it, InvalidArgument for a malformed one.
Result<DashboardFilter> MakeFilter(SiteStore& store, const User& u, const http::Request& request,
                                   TimeMs now, bool dates_by_default);

// --- figures ---
json Figure(const metrics::MetricValue& m);

// Score and response counts of one group, summed from rollup rows.
struct ScoreAgg {
  metrics::NpsCounts nps;
  metrics::CsatCounts csat;
  metrics::CesCounts ces;
  int64_t responses = 0;
  int64_t complete = 0;

  void Add(const ScoreCountRow& r);
  void Add(const ResponseCountRow& r);
};
// responses, complete, nps, csat, ces of one group.
json AggJson(const ScoreAgg& a);
// The CSV cells of an AggJson row: responses, nps (value, n, ci), csat, ces.
std::vector<std::string> FigureCells(const json& row);

// --- entities ---
json Iso(std::optional<TimeMs> t);
json OptStr(const std::optional<std::string>& s);
json UserJson(const User& u);
json SiteJson(const Site& s, bool admin);
json StoryJson(const HeroStory& h, const std::map<std::string, std::string>& site_names);
json FollowUpJson(const FollowUp& x, TimeMs now);
// site id -> name; empty when the store fails (names are decoration).
std::map<std::string, std::string> SiteNames(SiteStore& store);

}  // namespace feedback::central::dashboard
