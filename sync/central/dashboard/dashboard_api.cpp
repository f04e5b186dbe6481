#include "sync/central/dashboard/dashboard_api.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "core/bytes.h"
#include "metrics/ces.h"
#include "metrics/csat.h"
#include "metrics/driver_moments.h"
#include "metrics/key_drivers.h"
#include "metrics/nps.h"
#include "model/survey.h"
#include "sync/central/dashboard/password_hash.h"

namespace feedback::central {
namespace {

using nlohmann::json;

constexpr int64_t kMinN = metrics::kDefaultMinResponses;
constexpr int64_t kMinDriverN = metrics::kDefaultMinDriverResponses;
constexpr int64_t kDefaultRangeDays = 90;
constexpr size_t kMaxNoteLength = 2000;

// --- small helpers -------------------------------------------------------------------

DashboardResponse Error(int status, std::string_view message) {
  DashboardResponse r;
  r.status = status;
  r.body = json{{"error", message}}.dump();
  r.log_note = std::string(message);
  return r;
}

DashboardResponse Json(const json& j) {
  DashboardResponse r;
  r.body = j.dump();
  return r;
}

DashboardResponse FromStatus(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
      return Error(400, s.message());
    case Status::Code::kPermissionDenied:
      return Error(403, s.message());
    case Status::Code::kNotFound:
      return Error(404, s.message());
    case Status::Code::kAlreadyExists:
    case Status::Code::kConflict:
      return Error(409, s.message());
    default: {
      DashboardResponse r = Error(503, "central store unavailable: " + s.message());
      r.headers.emplace_back("Retry-After", "5");
      return r;
    }
  }
}

std::string RandomToken() {
  unsigned char buf[32];
  if (RAND_bytes(buf, sizeof(buf)) != 1) return "";
  std::string b64 = Base64Encode(ByteView(buf, sizeof(buf)));
  // base64url without padding: safe in cookies and headers.
  for (char& c : b64) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  return b64;
}

std::string Sha256Hex(std::string_view s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr) != 1) return "";
  return HexEncode(ByteView(md, len));
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    const size_t a = part.find_first_not_of(' ');
    if (a != std::string::npos) part = part.substr(a);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

json Iso(std::optional<TimeMs> t) { return t ? json(FormatIso8601(*t)) : json(nullptr); }
json OptStr(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    if (end > pos) out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// --- CSV -------------------------------------------------------------------------------

std::string CsvCell(std::string v) {
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) {
    // A negative number is data, not a formula.
    const bool number = v.size() > 1 && v[0] == '-' &&
                        v.find_first_not_of("0123456789.", 1) == std::string::npos;
    if (!number) v = "'" + v;
  }
  if (v.find_first_of(",\"\r\n") != std::string::npos) {
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  return v;
}

DashboardResponse Csv(const std::string& name, const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  auto line = [&out](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvCell(cells[i]);
    out += "\r\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
  DashboardResponse r;
  r.body = std::move(out);
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  return r;
}

std::string Num(const json& v) {
  if (v.is_null()) return "";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.6g", v.get<double>());
    return buf;
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// --- figures ---------------------------------------------------------------------------

json Figure(const metrics::MetricValue& m) {
  json j;
  j["value"] = m.value() ? json(*m.value()) : json(nullptr);
  j["n"] = m.n();
  if (auto ci = m.confidence_interval()) {
    j["ci"] = json::array({ci->low, ci->high});
  } else {
    j["ci"] = nullptr;
  }
  j["suppressed"] = m.suppressed();
  if (m.suppressed()) j["label"] = "not enough responses";
  return j;
}

struct ScoreAgg {
  metrics::NpsCounts nps;
  metrics::CsatCounts csat;
  metrics::CesCounts ces;
  int64_t responses = 0;
  int64_t complete = 0;

  void Add(const ScoreCountRow& r) {
    if (r.question_type == "nps" && r.score >= 0 && r.score <= 10) {
      if (r.score >= 9) {
        nps.promoters += r.count;
      } else if (r.score >= 7) {
        nps.passives += r.count;
      } else {
        nps.detractors += r.count;
      }
    } else if (r.question_type == "csat") {
      (void)csat.AddCount(r.score, r.count);
    } else if (r.question_type == "ces") {
      (void)ces.AddCount(r.score, r.count);
    }
  }
  void Add(const ResponseCountRow& r) {
    responses += r.count;
    if (r.status == "complete") complete += r.count;
  }
};

json NpsJson(const metrics::NpsCounts& c) {
  Result<metrics::NpsReport> r = metrics::ComputeNps(c, kMinN);
  json j = r.ok() ? Figure(r->nps) : Figure(metrics::MetricValue::NotEnoughResponses(c.n(), kMinN));
  j["promoters"] = c.promoters;
  j["passives"] = c.passives;
  j["detractors"] = c.detractors;
  return j;
}
json CsatJson(const metrics::CsatCounts& c) { return Figure(metrics::ComputeCsat(c, kMinN).csat_pct); }
json CesJson(const metrics::CesCounts& c) {
  metrics::CesReport r = metrics::ComputeCes(c, kMinN);
  json j = Figure(r.mean);
  j["easy_pct"] = r.easy_pct.value() ? json(*r.easy_pct.value()) : json(nullptr);
  return j;
}
json AggJson(const ScoreAgg& a) {
  return json{{"responses", a.responses},
              {"complete", a.complete},
              {"nps", NpsJson(a.nps)},
              {"csat", CsatJson(a.csat)},
              {"ces", CesJson(a.ces)}};
}
std::vector<std::string> FigureCells(const json& row) {
  const json& n = row["nps"];
  std::string lo, hi;
  if (n["ci"].is_array()) {
    lo = Num(n["ci"][0]);
    hi = Num(n["ci"][1]);
  }
  return {Num(row["responses"]), Num(n["value"]),          Num(n["n"]),
          lo,                    hi,                       Num(row["csat"]["value"]),
          Num(row["csat"]["n"]), Num(row["ces"]["value"]), Num(row["ces"]["n"])};
}

// --- the caller --------------------------------------------------------------------------

struct Caller {
  User user;
  Session session;
};

bool SiteInScope(const User& u, const std::string& site) {
  if (u.role == UserRole::kAdmin) return true;
  if (u.role == UserRole::kTeamLead && u.site_ids.empty()) return true;
  return std::find(u.site_ids.begin(), u.site_ids.end(), site) != u.site_ids.end();
}

bool InScope(const User& u, const std::string& site, const std::string& team) {
  if (!SiteInScope(u, site)) return false;
  if (u.role == UserRole::kTeamLead) return !u.team.empty() && team == u.team;
  return true;
}

std::string Param(const DashboardRequest& req, const std::string& name) {
  auto it = req.params.find(name);
  return it == req.params.end() ? "" : it->second;
}

// The filter of a data request: its parameters narrowed to the caller's scope.
Result<DashboardFilter> MakeFilter(CentralStore& store, const User& u, const DashboardRequest& req,
                                   TimeMs now, bool dates_by_default) {
  DashboardFilter f;
  const std::string from = Param(req, "from");
  const std::string to = Param(req, "to");
  f.use_days = dates_by_default || !from.empty() || !to.empty();
  f.to_day = DayNumber(now);
  if (!to.empty()) {
    std::optional<int64_t> d = ParseDay(to);
    if (!d) return Status::InvalidArgument("parameter 'to' must be a day YYYY-MM-DD");
    f.to_day = *d;
  }
  f.from_day = dates_by_default ? f.to_day - (kDefaultRangeDays - 1) : 0;
  if (!from.empty()) {
    std::optional<int64_t> d = ParseDay(from);
    if (!d) return Status::InvalidArgument("parameter 'from' must be a day YYYY-MM-DD");
    f.from_day = *d;
  }
  if (f.from_day > f.to_day) return Status::InvalidArgument("'from' is after 'to'");
  // Scope.
  if (u.role == UserRole::kRegionalManager || u.role == UserRole::kSiteManager ||
      (u.role == UserRole::kTeamLead && !u.site_ids.empty())) {
    f.sites = u.site_ids;
  }
  if (u.role == UserRole::kTeamLead) f.team = u.team;
  // Filters within the scope.
  const std::string site = Param(req, "site");
  if (!site.empty()) {
    if (!SiteInScope(u, site)) {
      return Status::PermissionDenied("site '" + site + "' is outside your scope");
    }
    f.sites = std::vector<std::string>{site};
  }
  const std::string region = Param(req, "region");
  if (!region.empty()) {
    FEEDBACK_ASSIGN_OR_RETURN(std::vector<Site> sites, store.ListSites());
    std::vector<std::string> in_region;
    for (const Site& s : sites) {
      if (s.region != region) continue;
      if (f.sites && std::find(f.sites->begin(), f.sites->end(), s.site_id) == f.sites->end()) {
        continue;
      }
      in_region.push_back(s.site_id);
    }
    if (in_region.empty()) {
      return Status::PermissionDenied("region '" + region + "' has no site in your scope");
    }
    f.sites = in_region;
  }
  const std::string team = Param(req, "team");
  if (!team.empty()) {
    if (f.team && *f.team != team) {
      return Status::PermissionDenied("team '" + team + "' is outside your scope");
    }
    f.team = team;
  }
  if (!Param(req, "channel").empty()) f.channel = Param(req, "channel");
  if (!Param(req, "rep").empty()) f.staff_id = Param(req, "rep");
  return f;
}

json UserJson(const User& u) {
  return json{{"username", u.username},
              {"role", UserRoleName(u.role)},
              {"sites", u.site_ids},
              {"team", u.team},
              {"email", u.email},
              {"disabled", u.disabled},
              {"created_at", FormatIso8601(u.created_at)}};
}

json SiteJson(const Site& s, bool admin) {
  json j{{"site_id", s.site_id}, {"name", s.name}, {"region", s.region}};
  if (admin) {
    j["mail_relay_url"] = s.mail_relay_url;
    j["followup_owner"] = s.followup_owner;
    j["followup_due_hours"] = s.followup_due_hours;
  }
  return j;
}

json StoryJson(const HeroStory& h, const std::map<std::string, std::string>& site_names) {
  auto it = site_names.find(h.site_id);
  return json{{"story_id", h.story_id},
              {"site_id", h.site_id},
              {"site_name", it == site_names.end() ? h.site_id : it->second},
              {"team", h.team},
              {"channel", h.channel},
              {"staff_id", h.staff_id},
              {"staff_name", h.staff_name},
              {"story", h.story},
              {"state", h.state},
              {"submitted_at", FormatIso8601(h.submitted_at)},
              {"moderated_by", OptStr(h.moderated_by)},
              {"moderated_at", Iso(h.moderated_at)},
              {"published_at", Iso(h.published_at)}};
}

json FollowUpJson(const FollowUp& x, TimeMs now) {
  json notes = json::array();
  for (const FollowUpNote& n : x.notes) {
    notes.push_back({{"at", FormatIso8601(n.at)}, {"by", n.by}, {"text", n.text}});
  }
  const bool overdue = x.state == "open" && x.due_at && *x.due_at < now;
  return json{{"followup_id", x.followup_id},
              {"record_id", x.record_id},
              {"site_id", x.site_id},
              {"team", x.team},
              {"reason", x.reason},
              {"contact",
               {{"name", x.contact_name}, {"phone", x.contact_phone}, {"email", x.contact_email}}},
              {"comment", x.comment},
              {"state", x.state},
              {"owner", OptStr(x.owner)},
              {"due_at", Iso(x.due_at)},
              {"overdue", overdue},
              {"created_at", FormatIso8601(x.created_at)},
              {"closed_at", Iso(x.closed_at)},
              {"closed_by", OptStr(x.closed_by)},
              {"close_note", OptStr(x.close_note)},
              {"notes", notes}};
}

std::map<std::string, std::string> SiteNames(CentralStore& store) {
  std::map<std::string, std::string> out;
  if (Result<std::vector<Site>> s = store.ListSites(); s.ok()) {
    for (const Site& x : *s) out[x.site_id] = x.name;
  }
  return out;
}

bool ParseBody(const DashboardRequest& req, json* out) {
  *out = json::parse(req.body, nullptr, false);
  return out->is_object();
}

std::optional<std::string> BodyString(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<TimeMs> ParseIsoTime(const std::string& s) {
  // "YYYY-MM-DDTHH:MM:SSZ" or with ".mmm".
  if (s.size() < 20 || s[10] != 'T') return std::nullopt;
  std::optional<int64_t> day = ParseDay(s.substr(0, 10));
  if (!day) return std::nullopt;
  int h = 0, m = 0, sec = 0;
  if (std::sscanf(s.c_str() + 11, "%2d:%2d:%2d", &h, &m, &sec) != 3) return std::nullopt;
  if (h > 23 || m > 59 || sec > 60) return std::nullopt;
  return *day * 86'400'000 + (h * 3600 + m * 60 + sec) * 1000LL;
}

}  // namespace

// --- days --------------------------------------------------------------------------------

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

// --- the API -----------------------------------------------------------------------------

DashboardApi::DashboardApi(const Clock& clock, DashboardOptions options)
    : clock_(clock), options_(options) {
  dummy_hash_ = HashPassword(RandomToken()).value_or("");
}

DashboardResponse DashboardApi::Handle(CentralStore& store, const DashboardRequest& req) {
  try {
    return HandleUnsafe(store, req);
  } catch (const std::exception& e) {
    return Error(500, std::string("internal error: ") + e.what());
  } catch (...) {
    return Error(500, "internal error");
  }
}

DashboardResponse DashboardApi::HandleUnsafe(CentralStore& store, const DashboardRequest& req) {
  const TimeMs now = clock_.NowMs();
  const std::vector<std::string> seg = SplitPath(req.path);  // "api", ...
  const bool is_get = req.method == "GET";
  const bool is_post = req.method == "POST";
  if (seg.size() < 2 || seg[0] != "api") return Error(404, "no such endpoint");
  if (!is_get && !is_post) return Error(405, "method not allowed on this endpoint");
  const bool json_body = req.content_type.rfind("application/json", 0) == 0;

  // --- login: no session yet, rate limited per user + IP ---
  if (seg.size() == 2 && seg[1] == "login") {
    if (!is_post) return Error(405, "use POST /api/login");
    if (!json_body) return Error(415, "send the login as Content-Type: application/json");
    json body;
    if (!ParseBody(req, &body)) return Error(400, "the body must be a JSON object");
    const std::optional<std::string> username = BodyString(body, "username");
    const std::optional<std::string> password = BodyString(body, "password");
    if (!username || !password || username->empty() || username->size() > 100 ||
        password->size() > 1024) {
      return Error(400, "send {\"username\": ..., \"password\": ...}");
    }
    const TimeMs since = now - options_.lockout_ms;
    Result<int64_t> failures = store.CountLoginFailures(*username, req.remote_ip, since);
    if (!failures.ok()) return FromStatus(failures.status());
    if (*failures >= options_.max_login_failures) {
      Result<std::optional<TimeMs>> oldest =
          store.OldestLoginFailure(*username, req.remote_ip, since);
      const TimeMs until =
          (oldest.ok() && oldest->has_value() ? **oldest : now) + options_.lockout_ms;
      const int64_t secs = std::max<int64_t>(1, (until - now + 999) / 1000);
      DashboardResponse r = Error(429, "too many failed logins for this user from this address; "
                                       "try again in " +
                                           std::to_string((secs + 59) / 60) + " minutes");
      r.headers.emplace_back("Retry-After", std::to_string(secs));
      return r;
    }
    Result<User> user = store.GetUser(*username);
    bool ok = false;
    if (user.ok() && !user->disabled) {
      Result<bool> v = VerifyPassword(*password, user->password_hash);
      ok = v.ok() && *v;
    } else {
      (void)VerifyPassword(*password, dummy_hash_);  // same cost for unknown users
      if (!user.ok() && user.status().code() != Status::Code::kNotFound) {
        return FromStatus(user.status());
      }
    }
    if (!ok) {
      if (Status s = store.RecordLoginFailure(*username, req.remote_ip, now); !s.ok()) {
        return FromStatus(s);
      }
      return Error(401, "wrong user name or password");
    }
    (void)store.ClearLoginFailures(*username, req.remote_ip);
    const std::string token = RandomToken();
    Session session{Sha256Hex(token), user->username, RandomToken(), now, now,
                    now + options_.session_ttl_ms};
    if (token.empty() || session.csrf_token.empty()) {
      return Error(500, "cannot generate a session token");
    }
    if (Status s = store.CreateSession(session); !s.ok()) return FromStatus(s);
    DashboardResponse r =
        Json({{"user", UserJson(*user)}, {"csrf_token", session.csrf_token}});
    r.headers.emplace_back(
        "Set-Cookie", std::string(kSessionCookie) + "=" + token +
                          "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                          std::to_string(options_.session_ttl_ms / 1000) +
                          (options_.secure_cookie ? "; Secure" : ""));
    r.log_note = "login " + user->username;
    return r;
  }

  // --- everything else needs a session ---
  const std::string token = CookieValue(req.cookie, kSessionCookie);
  if (token.empty()) return Error(401, "not logged in: POST /api/login first");
  Result<Session> session = store.GetSession(Sha256Hex(token), now, options_.session_idle_ms);
  if (!session.ok()) {
    if (session.status().code() == Status::Code::kNotFound) {
      return Error(401, "session expired or unknown: log in again");
    }
    return FromStatus(session.status());
  }
  Result<User> user_r = store.GetUser(session->username);
  if (!user_r.ok() || user_r->disabled) return Error(401, "this account is disabled or gone");
  const User& u = *user_r;
  if (now - session->last_seen_at > 60'000) (void)store.TouchSession(session->token_hash, now);
  const bool admin = u.role == UserRole::kAdmin;

  // CSRF: every state change carries the session's token in X-CSRF-Token.
  if (is_post) {
    if (req.csrf_header.empty() ||
        !ConstantTimeEqual(AsBytes(req.csrf_header), AsBytes(session->csrf_token))) {
      return Error(403, "missing or wrong CSRF token: send the token from /api/login or "
                        "/api/me in the X-CSRF-Token header");
    }
    if (!json_body) return Error(415, "send Content-Type: application/json");
  }
  const bool csv = Param(req, "format") == "csv";
  const std::string& what = seg[1];

  if (what == "logout" && seg.size() == 2) {
    if (!is_post) return Error(405, "use POST /api/logout");
    if (Status s = store.DeleteSession(session->token_hash); !s.ok()) return FromStatus(s);
    DashboardResponse r = Json({{"ok", true}});
    r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                             "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                             (options_.secure_cookie ? "; Secure" : ""));
    return r;
  }

  if (what == "me" && seg.size() == 2 && is_get) {
    return Json({{"user", UserJson(u)},
                 {"csrf_token", session->csrf_token},
                 {"min_n", kMinN},
                 {"min_driver_n", kMinDriverN}});
  }

  // --- sites ---
  if (what == "sites") {
    if (seg.size() == 2 && is_get) {
      Result<std::vector<Site>> sites = store.ListSites();
      if (!sites.ok()) return FromStatus(sites.status());
      json list = json::array();
      std::set<std::string> regions;
      for (const Site& s : *sites) {
        if (!SiteInScope(u, s.site_id)) continue;
        if (u.role == UserRole::kTeamLead && u.site_ids.empty()) {
          // A team lead without sites sees the sites its team has data at.
          continue;
        }
        list.push_back(SiteJson(s, admin));
        if (!s.region.empty()) regions.insert(s.region);
      }
      Result<DashboardFilter> f = MakeFilter(store, u, req, now, false);
      if (!f.ok()) return FromStatus(f.status());
      f->use_days = false;
      if (u.role == UserRole::kTeamLead && u.site_ids.empty()) {
        // Sites where the team has responses.
        std::set<std::string> team_sites;
        Result<std::vector<ResponseCountRow>> rows = store.QueryResponseCounts(*f, GroupBy::kSite);
        if (!rows.ok()) return FromStatus(rows.status());
        for (const ResponseCountRow& r : *rows) team_sites.insert(r.key);
        for (const Site& s : *sites) {
          if (team_sites.count(s.site_id)) {
            list.push_back(SiteJson(s, false));
            if (!s.region.empty()) regions.insert(s.region);
          }
        }
      }
      Result<std::vector<std::string>> teams = store.DistinctRollupValues(*f, "team");
      Result<std::vector<std::string>> channels = store.DistinctRollupValues(*f, "channel");
      if (!teams.ok()) return FromStatus(teams.status());
      if (!channels.ok()) return FromStatus(channels.status());
      return Json({{"sites", list}, {"regions", regions}, {"teams", *teams}, {"channels", *channels}});
    }
    if (seg.size() == 3 && is_post) {
      if (!admin) return Error(403, "only admins change site settings");
      json body;
      if (!ParseBody(req, &body)) return Error(400, "the body must be a JSON object");
      SiteSettings st;
      st.name = BodyString(body, "name");
      st.region = BodyString(body, "region");
      st.mail_relay_url = BodyString(body, "mail_relay_url");
      st.followup_owner = BodyString(body, "followup_owner");
      if (body.contains("followup_due_hours")) {
        if (!body["followup_due_hours"].is_number_integer() ||
            body["followup_due_hours"].get<int>() < 1 ||
            body["followup_due_hours"].get<int>() > 24 * 90) {
          return Error(400, "followup_due_hours must be a whole number from 1 to 2160");
        }
        st.followup_due_hours = body["followup_due_hours"].get<int>();
      }
      if (st.mail_relay_url && !st.mail_relay_url->empty() &&
          st.mail_relay_url->rfind("smtp://", 0) != 0 && st.mail_relay_url->rfind("smtps://", 0) != 0) {
        return Error(400, "mail_relay_url must start with smtp:// or smtps://");
      }
      if (Status s = store.UpdateSite(seg[2], st); !s.ok()) return FromStatus(s);
      Result<std::vector<Site>> sites = store.ListSites();
      if (!sites.ok()) return FromStatus(sites.status());
      for (const Site& s : *sites) {
        if (s.site_id == seg[2]) return Json(SiteJson(s, true));
      }
      return Error(404, "no site '" + seg[2] + "'");
    }
    return Error(404, "no such endpoint");
  }

  // --- overview ---
  if (what == "overview" && seg.size() == 2 && is_get) {
    Result<DashboardFilter> f = MakeFilter(store, u, req, now, true);
    if (!f.ok()) return FromStatus(f.status());
    std::string period = Param(req, "period");
    if (period.empty()) period = "week";
    if (period != "day" && period != "week" && period != "month") {
      return Error(400, "period must be day, week or month");
    }
    const GroupBy grouping = PeriodGroup(period);
    Result<std::vector<ScoreCountRow>> scores = store.QueryScoreCounts(*f, grouping);
    if (!scores.ok()) return FromStatus(scores.status());
    Result<std::vector<ResponseCountRow>> responses = store.QueryResponseCounts(*f, grouping);
    if (!responses.ok()) return FromStatus(responses.status());
    ScoreAgg total;
    std::map<std::string, ScoreAgg> by_period;
    for (const ScoreCountRow& r : *scores) {
      total.Add(r);
      by_period[PeriodKey(std::stoll(r.key), period)].Add(r);
    }
    for (const ResponseCountRow& r : *responses) {
      total.Add(r);
      by_period[PeriodKey(std::stoll(r.key), period)].Add(r);
    }
    json trend = json::array();
    for (const auto& [key, agg] : by_period) {
      json row = AggJson(agg);
      row["period"] = key;
      trend.push_back(row);
    }
    if (csv) {
      std::vector<std::vector<std::string>> rows;
      for (const json& t : trend) {
        std::vector<std::string> cells = FigureCells(t);
        cells.insert(cells.begin(), t["period"].get<std::string>());
        rows.push_back(cells);
      }
      return Csv("overview-" + FormatDay(f->from_day) + "-" + FormatDay(f->to_day),
                 {"period", "responses", "nps", "nps_n", "nps_ci_low", "nps_ci_high", "csat",
                  "csat_n", "ces", "ces_n"},
                 rows);
    }
    json out = AggJson(total);
    out["from"] = FormatDay(f->from_day);
    out["to"] = FormatDay(f->to_day);
    out["period"] = period;
    out["min_n"] = kMinN;
    out["trend"] = trend;
    // Work waiting for the viewer (same scope, no date limit).
    DashboardFilter all = *f;
    all.use_days = false;
    all.channel.reset();
    all.staff_id.reset();
    Result<FollowUpPage> fu = store.ListFollowUps(all, "open", false, now, 0, 0);
    Result<StoryPage> st = store.ListStories(all, "new", 0, 0);
    if (!fu.ok()) return FromStatus(fu.status());
    if (!st.ok()) return FromStatus(st.status());
    out["open_followups"] = fu->count_open;
    out["overdue_followups"] = fu->count_overdue;
    out["new_stories"] = st->count_new;
    Result<std::vector<Device>> devices = store.ListDevices();
    if (!devices.ok()) return FromStatus(devices.status());
    int64_t silent = 0;
    for (const Device& d : *devices) {
      if (!InScope(u, d.site_id, d.team) || d.revoked_at) continue;
      if (all.sites && std::find(all.sites->begin(), all.sites->end(), d.site_id) == all.sites->end()) {
        continue;
      }
      if (!d.last_batch_at || now - *d.last_batch_at > 24LL * 3600 * 1000) ++silent;
    }
    out["silent_devices"] = silent;
    return Json(out);
  }

  // --- breakdown ---
  if (what == "breakdown" && seg.size() == 2 && is_get) {
    Result<DashboardFilter> f = MakeFilter(store, u, req, now, true);
    if (!f.ok()) return FromStatus(f.status());
    const std::string by = Param(req, "by");
    const bool by_period = by == "day" || by == "week" || by == "month";
    GroupBy g = GroupBy::kNone;
    if (by == "site" || by == "region") {
      g = GroupBy::kSite;
    } else if (by == "channel") {
      g = GroupBy::kChannel;
    } else if (by == "team") {
      g = GroupBy::kTeam;
    } else if (by == "rep") {
      g = GroupBy::kStaff;
    } else if (by_period) {
      g = PeriodGroup(by);
    } else {
      return Error(400, "by must be site, region, channel, team, rep, day, week or month");
    }
    Result<std::vector<ScoreCountRow>> scores = store.QueryScoreCounts(*f, g);
    if (!scores.ok()) return FromStatus(scores.status());
    Result<std::vector<ResponseCountRow>> responses = store.QueryResponseCounts(*f, g);
    if (!responses.ok()) return FromStatus(responses.status());
    Result<std::vector<Site>> sites = store.ListSites();
    if (!sites.ok()) return FromStatus(sites.status());
    std::map<std::string, const Site*> site_of;
    for (const Site& s : *sites) site_of[s.site_id] = &s;
    std::map<std::string, std::string> staff_names;
    if (by == "rep") {
      Result<std::vector<StaffRow>> staff = store.ListStaff();
      if (!staff.ok()) return FromStatus(staff.status());
      for (const StaffRow& s : *staff) staff_names[s.staff_id] = s.display_name;
    }
    auto key_of = [&](const std::string& k) {
      if (by == "region") {
        auto it = site_of.find(k);
        return it == site_of.end() ? std::string() : it->second->region;
      }
      if (by_period) return PeriodKey(std::stoll(k), by);
      return k;
    };
    std::map<std::string, ScoreAgg> groups;
    for (const ScoreCountRow& r : *scores) groups[key_of(r.key)].Add(r);
    for (const ResponseCountRow& r : *responses) groups[key_of(r.key)].Add(r);
    json rows = json::array();
    std::vector<std::vector<std::string>> csv_rows;
    for (const auto& [key, agg] : groups) {
      json row = AggJson(agg);
      row["key"] = key;
      std::string label = key.empty() ? "(none)" : key;
      if (by == "site" && site_of.count(key)) {
        label = site_of[key]->name;
        row["region"] = site_of[key]->region;
      }
      if (by == "rep" && staff_names.count(key)) label = staff_names[key];
      row["label"] = label;
      std::vector<std::string> cells = FigureCells(row);
      cells.insert(cells.begin(), {key, label});
      csv_rows.push_back(cells);
      rows.push_back(row);
    }
    if (csv) {
      return Csv("breakdown-" + by + "-" + FormatDay(f->from_day) + "-" + FormatDay(f->to_day),
                 {"key", "label", "responses", "nps", "nps_n", "nps_ci_low", "nps_ci_high", "csat",
                  "csat_n", "ces", "ces_n"},
                 csv_rows);
    }
    return Json({{"by", by},
                 {"from", FormatDay(f->from_day)},
                 {"to", FormatDay(f->to_day)},
                 {"min_n", kMinN},
                 {"rows", rows}});
  }

  // --- drivers ---
  if (what == "drivers" && seg.size() == 2 && is_get) {
    Result<DashboardFilter> f = MakeFilter(store, u, req, now, true);
    if (!f.ok()) return FromStatus(f.status());
    std::vector<DriverRowsSum> row_sums;
    std::vector<DriverSumRow> sums;
    if (Status s = store.QueryDriverMoments(*f, &row_sums, &sums); !s.ok()) return FromStatus(s);
    const std::string only = Param(req, "survey");
    // Survey id -> versions present, newest first.
    std::map<std::string, std::vector<int>> versions;
    for (const DriverRowsSum& r : row_sums) {
      if (only.empty() || r.survey_id == only) versions[r.survey_id].push_back(r.survey_version);
    }
    json surveys = json::array();
    std::vector<std::vector<std::string>> csv_rows;
    for (auto& [survey_id, vs] : versions) {
      std::sort(vs.rbegin(), vs.rend());
      // Variables (drivers then outcome) of each version, from its definition.
      std::map<int, std::vector<std::string>> vars;
      std::map<std::string, std::string> labels;
      std::string outcome;
      for (int v : vs) {
        Result<SurveyVersion> sv = store.GetSurvey(survey_id, v);
        if (!sv.ok()) continue;
        Result<SurveyDefinition> def = ParseSurveyDefinition(sv->definition_json, survey_id);
        if (!def.ok() || def->Outcome() == nullptr) continue;
        std::vector<std::string> list;
        for (const Question* q : def->Drivers()) {
          if (q == def->Outcome()) continue;
          list.push_back(q->id);
          if (!labels.count(q->id)) labels[q->id] = std::string(def->Text(q->prompt, "en"));
        }
        list.push_back(def->Outcome()->id);
        if (outcome.empty()) outcome = def->Outcome()->id;
        vars[v] = list;
      }
      if (vars.empty()) continue;
      const std::vector<std::string> use = vars.rbegin()->second;  // the newest version's
      const size_t k = use.size() - 1;
      std::set<int> merged;
      for (const auto& [v, list] : vars) {
        if (list == use) merged.insert(v);
      }
      int64_t n = 0, dropped = 0;
      for (const DriverRowsSum& r : row_sums) {
        if (r.survey_id == survey_id && merged.count(r.survey_version)) {
          n += r.n;
          dropped += r.rows_dropped;
        }
      }
      std::map<std::string, size_t> index;
      for (size_t i = 0; i < use.size(); ++i) index[use[i]] = i;
      std::vector<double> raw(k + 1, 0.0);
      std::vector<double> cross((k + 1) * (k + 2) / 2, 0.0);
      for (const DriverSumRow& r : sums) {
        if (r.survey_id != survey_id || !merged.count(r.survey_version)) continue;
        auto a = index.find(r.var_a);
        if (a == index.end()) continue;
        if (r.var_b.empty()) {
          raw[a->second] += r.total;
          continue;
        }
        auto b = index.find(r.var_b);
        if (b == index.end()) continue;
        size_t i = std::min(a->second, b->second), j = std::max(a->second, b->second);
        // Packed upper triangle, row by row.
        const size_t pos = i * (k + 1) - i * (i - 1) / 2 + (j - i);
        cross[pos] += r.total;
      }
      json sj{{"survey_id", survey_id}, {"outcome", outcome}, {"n", n}, {"rows_dropped", dropped}};
      Result<metrics::DriverMoments> mom =
          metrics::DriverMoments::FromSums(k, n, dropped, raw, cross);
      std::vector<std::string> names(use.begin(), use.end() - 1);
      Result<metrics::KeyDriverReport> rep =
          mom.ok() ? metrics::AnalyzeKeyDrivers(*mom, names, kMinDriverN)
                   : Result<metrics::KeyDriverReport>(mom.status());
      json drivers = json::array();
      if (rep.ok() && !rep->suppressed()) {
        const metrics::KeyDriverAnalysis& an = *rep->analysis;
        double mi = 0, mp = 0;
        for (const metrics::DriverImportance& d : an.drivers) {
          mi += d.share;
          mp += d.mean;
          drivers.push_back({{"id", d.name},
                             {"label", labels[d.name]},
                             {"mean", d.mean},
                             {"correlation", d.correlation},
                             {"shapley_r2", d.shapley_r2},
                             {"share", d.share},
                             {"constant", d.constant},
                             {"quadrant", metrics::QuadrantName(d.quadrant)}});
          csv_rows.push_back({survey_id, d.name, Num(d.mean), Num(d.correlation),
                              Num(d.shapley_r2), Num(d.share),
                              std::string(metrics::QuadrantName(d.quadrant)), std::to_string(n)});
        }
        sj["suppressed"] = false;
        sj["r_squared"] = an.r_squared;
        sj["outcome_mean"] = an.outcome_mean;
        sj["mean_importance"] = an.drivers.empty() ? 0.0 : mi / static_cast<double>(an.drivers.size());
        sj["mean_performance"] = an.drivers.empty() ? 0.0 : mp / static_cast<double>(an.drivers.size());
      } else {
        sj["suppressed"] = true;
        sj["label"] = rep.ok() || n < kMinDriverN ? "not enough responses"
                                                  : "cannot analyse: " + rep.status().message();
      }
      sj["drivers"] = drivers;
      surveys.push_back(sj);
    }
    if (csv) {
      return Csv("drivers-" + FormatDay(f->from_day) + "-" + FormatDay(f->to_day),
                 {"survey_id", "driver", "mean", "correlation", "shapley_r2", "share", "quadrant",
                  "n"},
                 csv_rows);
    }
    return Json({{"from", FormatDay(f->from_day)},
                 {"to", FormatDay(f->to_day)},
                 {"min_n", kMinDriverN},
                 {"surveys", surveys}});
  }

  // --- hero stories ---
  if (what == "stories") {
    const auto names = SiteNames(store);
    if (seg.size() == 2 && is_get) {
      Result<DashboardFilter> f = MakeFilter(store, u, req, now, false);
      if (!f.ok()) return FromStatus(f.status());
      std::string state = Param(req, "state");
      if (state == "all") state.clear();
      if (!state.empty() && state != "new" && state != "published" && state != "hidden") {
        return Error(400, "state must be new, published, hidden or all");
      }
      const int limit = std::clamp(std::atoi(Param(req, "limit").c_str()), 0, 500);
      const int offset = std::max(0, std::atoi(Param(req, "offset").c_str()));
      Result<StoryPage> page = store.ListStories(*f, state, Param(req, "limit").empty() ? 100 : limit,
                                                 offset);
      if (!page.ok()) return FromStatus(page.status());
      if (csv) {
        std::vector<std::vector<std::string>> rows;
        for (const HeroStory& h : page->stories) {
          rows.push_back({h.story_id, h.site_id, h.team, h.channel, h.staff_id, h.staff_name,
                          h.story, h.state, FormatIso8601(h.submitted_at)});
        }
        return Csv("stories", {"story_id", "site_id", "team", "channel", "staff_id", "staff_name",
                               "story", "state", "submitted_at"},
                   rows);
      }
      json list = json::array();
      for (const HeroStory& h : page->stories) list.push_back(StoryJson(h, names));
      return Json({{"total", page->total},
                   {"counts",
                    {{"new", page->count_new},
                     {"published", page->count_published},
                     {"hidden", page->count_hidden}}},
                   {"stories", list}});
    }
    if (seg.size() == 3 && seg[2] == "wall" && is_get) {
      if (Param(req, "site").empty() && Param(req, "team").empty()) {
        return Error(400, "the wall needs site=... or team=...");
      }
      Result<DashboardFilter> f = MakeFilter(store, u, req, now, false);
      if (!f.ok()) return FromStatus(f.status());
      const int limit = Param(req, "limit").empty()
                            ? 50
                            : std::clamp(std::atoi(Param(req, "limit").c_str()), 0, 500);
      Result<StoryPage> page = store.ListStories(*f, "published", limit, 0);
      if (!page.ok()) return FromStatus(page.status());
      json list = json::array();
      for (const HeroStory& h : page->stories) list.push_back(StoryJson(h, names));
      return Json({{"site", Param(req, "site").empty() ? json(nullptr) : json(Param(req, "site"))},
                   {"team", Param(req, "team").empty() ? json(nullptr) : json(Param(req, "team"))},
                   {"stories", list}});
    }
    if (seg.size() == 4 && seg[3] == "moderate" && is_post) {
      Result<HeroStory> h = store.GetStory(seg[2]);
      if (!h.ok() || !InScope(u, h->site_id, h->team)) return Error(404, "no such hero story");
      json body;
      if (!ParseBody(req, &body)) return Error(400, "the body must be a JSON object");
      const std::optional<std::string> state = BodyString(body, "state");
      if (!state || (*state != "new" && *state != "published" && *state != "hidden")) {
        return Error(400, "state must be published, hidden or new");
      }
      if (Status s = store.ModerateStory(seg[2], *state, u.username, now); !s.ok()) {
        return FromStatus(s);
      }
      Result<HeroStory> after = store.GetStory(seg[2]);
      if (!after.ok()) return FromStatus(after.status());
      DashboardResponse r = Json(StoryJson(*after, names));
      r.log_note = "story " + seg[2] + " -> " + *state + " by " + u.username;
      return r;
    }
    return Error(404, "no such endpoint");
  }

  // --- follow-ups ---
  if (what == "followups") {
    if (seg.size() == 2 && is_get) {
      Result<DashboardFilter> f = MakeFilter(store, u, req, now, false);
      if (!f.ok()) return FromStatus(f.status());
      std::string state = Param(req, "state");
      if (state.empty()) state = "open";
      if (state == "all") state.clear();
      if (!state.empty() && state != "open" && state != "closed") {
        return Error(400, "state must be open, closed or all");
      }
      const bool overdue = Param(req, "overdue") == "1" || Param(req, "overdue") == "true";
      const int limit = Param(req, "limit").empty()
                            ? 200
                            : std::clamp(std::atoi(Param(req, "limit").c_str()), 0, 500);
      const int offset = std::max(0, std::atoi(Param(req, "offset").c_str()));
      Result<FollowUpPage> page = store.ListFollowUps(*f, state, overdue, now, limit, offset);
      if (!page.ok()) return FromStatus(page.status());
      if (csv) {
        std::vector<std::vector<std::string>> rows;
        for (const FollowUp& x : page->followups) {
          const bool od = x.state == "open" && x.due_at && *x.due_at < now;
          rows.push_back({x.followup_id, x.site_id, x.team, x.reason, x.state,
                          x.owner.value_or(""), x.due_at ? FormatIso8601(*x.due_at) : "",
                          od ? "true" : "false", FormatIso8601(x.created_at),
                          x.closed_at ? FormatIso8601(*x.closed_at) : "", x.close_note.value_or("")});
        }
        return Csv("followups", {"followup_id", "site_id", "team", "reason", "state", "owner",
                                 "due_at", "overdue", "created_at", "closed_at", "close_note"},
                   rows);
      }
      json list = json::array();
      for (const FollowUp& x : page->followups) list.push_back(FollowUpJson(x, now));
      return Json({{"total", page->total},
                   {"counts",
                    {{"open", page->count_open},
                     {"overdue", page->count_overdue},
                     {"closed", page->count_closed}}},
                   {"followups", list}});
    }
    if (seg.size() >= 3) {
      Result<FollowUp> x = store.GetFollowUp(seg[2]);
      if (!x.ok() || !InScope(u, x->site_id, x->team)) return Error(404, "no such follow-up");
      if (seg.size() == 3 && is_get) return Json(FollowUpJson(*x, now));
      if (seg.size() == 4 && is_get && seg[3] == "owners") {
        // Who it can be assigned to: active users who can see it (names and roles only).
        Result<std::vector<User>> users = store.ListUsers();
        if (!users.ok()) return FromStatus(users.status());
        json owners = json::array();
        for (const User& o : *users) {
          if (o.disabled || !InScope(o, x->site_id, x->team)) continue;
          owners.push_back({{"username", o.username}, {"role", UserRoleName(o.role)}});
        }
        return Json({{"followup_id", x->followup_id}, {"owners", owners}});
      }
      if (seg.size() == 4 && is_post) {
        json body;
        if (!ParseBody(req, &body)) return Error(400, "the body must be a JSON object");
        Status st;
        if (seg[3] == "notes") {
          const std::optional<std::string> text = BodyString(body, "text");
          if (!text || text->empty() || text->size() > kMaxNoteLength) {
            return Error(400, "text must be 1 to 2000 characters");
          }
          st = store.AddFollowUpNote(seg[2], {now, u.username, *text});
        } else if (seg[3] == "close") {
          const std::optional<std::string> note = BodyString(body, "note");
          if (!note || note->empty() || note->size() > kMaxNoteLength) {
            return Error(400, "closing needs a note of 1 to 2000 characters");
          }
          st = store.CloseFollowUp(seg[2], u.username, *note, now);
        } else if (seg[3] == "assign") {
          std::optional<std::string> owner = BodyString(body, "owner");
          std::optional<TimeMs> due;
          if (std::optional<std::string> d = BodyString(body, "due_at")) {
            due = ParseIsoTime(*d);
            if (!due) return Error(400, "due_at must look like 2024-05-08T12:00:00Z");
          }
          if (!owner && !due) return Error(400, "send owner and/or due_at");
          if (owner) {
            Result<User> o = store.GetUser(*owner);
            if (!o.ok() || o->disabled || !InScope(*o, x->site_id, x->team)) {
              return Error(400, "owner must be an active user who can see this follow-up");
            }
          }
          st = store.AssignFollowUp(seg[2], owner, due);
        } else {
          return Error(404, "no such endpoint");
        }
        if (!st.ok()) return FromStatus(st);
        Result<FollowUp> after = store.GetFollowUp(seg[2]);
        if (!after.ok()) return FromStatus(after.status());
        DashboardResponse r = Json(FollowUpJson(*after, now));
        r.log_note = "follow-up " + seg[2] + " " + seg[3] + " by " + u.username;
        return r;
      }
    }
    return Error(404, "no such endpoint");
  }

  // --- devices ---
  if (what == "devices" && seg.size() == 2 && is_get) {
    Result<DashboardFilter> f = MakeFilter(store, u, req, now, false);
    if (!f.ok()) return FromStatus(f.status());
    double silent_hours = 24;
    if (!Param(req, "silent_hours").empty()) {
      silent_hours = std::atof(Param(req, "silent_hours").c_str());
      if (!(silent_hours > 0) || silent_hours > 24 * 365) {
        return Error(400, "silent_hours must be a number of hours above 0");
      }
    }
    Result<std::vector<Device>> devices = store.ListDevices();
    if (!devices.ok()) return FromStatus(devices.status());
    std::vector<json> list;
    for (const Device& d : *devices) {
      if (!InScope(u, d.site_id, d.team)) continue;
      if (f->sites && std::find(f->sites->begin(), f->sites->end(), d.site_id) == f->sites->end()) {
        continue;
      }
      if (f->team && d.team != *f->team) continue;
      const double hours =
          d.last_batch_at ? static_cast<double>(now - *d.last_batch_at) / 3.6e6 : -1.0;
      const bool silent = !d.revoked_at && (!d.last_batch_at || hours > silent_hours);
      list.push_back({{"device_id", d.device_id},
                      {"site_id", d.site_id},
                      {"kind", d.kind},
                      {"team", d.team},
                      {"hostname", d.hostname},
                      {"enrolled_at", FormatIso8601(d.enrolled_at)},
                      {"last_seen_at", Iso(d.last_seen_at)},
                      {"last_batch_at", Iso(d.last_batch_at)},
                      {"backlog", d.backlog},
                      {"records_stored", d.records_stored},
                      {"records_quarantined", d.records_quarantined},
                      {"revoked", d.revoked_at.has_value()},
                      {"last_error", d.last_error},
                      {"silent", silent},
                      {"hours_since_batch", hours < 0 ? json(nullptr) : json(hours)},
                      {"possible_clone", d.possible_clone_at.has_value()},
                      {"possible_clone_at", Iso(d.possible_clone_at)},
                      {"possible_clone_reason", d.possible_clone_reason}});
    }
    // Possible clones first, then silent devices.
    std::stable_sort(list.begin(), list.end(), [](const json& a, const json& b) {
      auto rank = [](const json& d) {
        return d["possible_clone"].get<bool>() ? 0 : d["silent"].get<bool>() ? 1 : 2;
      };
      return rank(a) < rank(b);
    });
    if (csv) {
      std::vector<std::vector<std::string>> rows;
      for (const json& d : list) {
        rows.push_back({Num(d["device_id"]), Num(d["site_id"]), Num(d["kind"]), Num(d["team"]),
                        Num(d["hostname"]), Num(d["last_seen_at"]), Num(d["last_batch_at"]),
                        Num(d["backlog"]), Num(d["records_stored"]), Num(d["revoked"]),
                        Num(d["silent"]), Num(d["last_error"]), Num(d["records_quarantined"]),
                        Num(d["possible_clone"])});
      }
      return Csv("devices", {"device_id", "site_id", "kind", "team", "hostname", "last_seen_at",
                             "last_batch_at", "backlog", "records_stored", "revoked", "silent",
                             "last_error", "records_quarantined", "possible_clone"},
                 rows);
    }
    return Json({{"silent_hours", silent_hours}, {"now", FormatIso8601(now)}, {"devices", list}});
  }

  // --- admin only from here ---
  if (what == "users" || what == "alert-rules" || what == "alerts") {
    if (!admin) return Error(403, "only admins may use /api/" + what);
  }

  if (what == "users") {
    if (seg.size() == 2 && is_get) {
      Result<std::vector<User>> users = store.ListUsers();
      if (!users.ok()) return FromStatus(users.status());
      if (csv) {
        std::vector<std::vector<std::string>> rows;
        for (const User& x : *users) {
          std::string sites;
          for (const std::string& s : x.site_ids) sites += (sites.empty() ? "" : " ") + s;
          rows.push_back({x.username, std::string(UserRoleName(x.role)), sites, x.team, x.email,
                          x.disabled ? "true" : "false", FormatIso8601(x.created_at)});
        }
        return Csv("users", {"username", "role", "sites", "team", "email", "disabled", "created_at"},
                   rows);
      }
      json list = json::array();
      for (const User& x : *users) list.push_back(UserJson(x));
      return Json({{"users", list}});
    }
    if (seg.size() == 2 && is_post) {
      json body;
      if (!ParseBody(req, &body)) return Error(400, "the body must be a JSON object");
      User nu;
      nu.username = BodyString(body, "username").value_or("");
      const std::string password = BodyString(body, "password").value_or("");
      const std::string role = BodyString(body, "role").value_or("");
      nu.team = BodyString(body, "team").value_or("");
      nu.email = BodyString(body, "email").value_or("");
      if (body.contains("sites") && body["sites"].is_array()) {
        for (const auto& s : body["sites"]) {
          if (s.is_string()) nu.site_ids.push_back(s.get<std::string>());
        }
      }
      if (nu.username.empty() || nu.username.size() > 64 ||
          nu.username.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789._-@") != std::string::npos) {
        return Error(400, "username must be 1-64 characters of letters, digits . _ - @");
      }
      if (password.size() < 12) return Error(400, "password must have at least 12 characters");
      bool known = false;
      for (UserRole r : {UserRole::kAdmin, UserRole::kRegionalManager, UserRole::kSiteManager,
                         UserRole::kTeamLead}) {
        if (UserRoleName(r) == role) {
          nu.role = r;
          known = true;
        }
      }
      if (!known) {
        return Error(400, "role must be admin, regional_manager, site_manager or team_lead");
      }
      if (nu.role == UserRole::kSiteManager && nu.site_ids.size() != 1) {
        return Error(400, "a site manager has exactly one site");
      }
      if (nu.role == UserRole::kRegionalManager && nu.site_ids.empty()) {
        return Error(400, "a regional manager needs at least one site");
      }
      if (nu.role == UserRole::kTeamLead && nu.team.empty()) {
        return Error(400, "a team lead needs a team");
      }
      Result<std::string> hash = HashPassword(password);
      if (!hash.ok()) return Error(500, "cannot hash the password: " + hash.status().message());
      nu.password_hash = *hash;
      nu.created_at = now;
      if (Status s = store.CreateUser(nu); !s.ok()) return FromStatus(s);
      DashboardResponse r = Json(UserJson(nu));
      r.log_note = "user " + nu.username + " created by " + u.username;
      return r;
    }
    if (seg.size() == 4 && is_post && (seg[3] == "disable" || seg[3] == "enable")) {
      if (seg[3] == "disable" && seg[2] == u.username) {
        return Error(400, "you cannot disable your own account");
      }
      if (Status s = store.SetUserDisabled(seg[2], seg[3] == "disable"); !s.ok()) {
        return FromStatus(s);
      }
      Result<User> x = store.GetUser(seg[2]);
      if (!x.ok()) return FromStatus(x.status());
      return Json(UserJson(*x));
    }
    return Error(404, "no such endpoint");
  }

  if (what == "alert-rules" && seg.size() == 2) {
    Result<AlertRules> rules = store.GetAlertRules();
    if (!rules.ok()) return FromStatus(rules.status());
    if (is_post) {
      json body;
      if (!ParseBody(req, &body)) return Error(400, "the body must be a JSON object");
      auto int_field = [&body](const char* k, int lo, int hi, int& out) {
        if (!body.contains(k)) return true;
        if (!body[k].is_number_integer()) return false;
        const int v = body[k].get<int>();
        if (v < lo || v > hi) return false;
        out = v;
        return true;
      };
      if (!int_field("nps_max", -1, 10, rules->nps_max)) {
        return Error(400, "nps_max must be a whole number from -1 (off) to 10");
      }
      if (!int_field("csat_max", 0, 5, rules->csat_max)) {
        return Error(400, "csat_max must be a whole number from 0 (off) to 5");
      }
      if (body.contains("words")) {
        if (!body["words"].is_array()) return Error(400, "words must be a list of strings");
        rules->words.clear();
        for (const auto& w : body["words"]) {
          if (!w.is_string() || w.get<std::string>().size() > 100) {
            return Error(400, "words must be strings of at most 100 characters");
          }
          if (!w.get<std::string>().empty()) rules->words.push_back(w.get<std::string>());
        }
      }
      if (body.contains("email_enabled")) {
        if (!body["email_enabled"].is_boolean()) return Error(400, "email_enabled must be true/false");
        rules->email_enabled = body["email_enabled"].get<bool>();
      }
      for (auto [key, field, prefixes] :
           {std::tuple{"webhook_url", &rules->webhook_url, "http"},
            std::tuple{"smtp_url", &rules->smtp_url, "smtp"},
            std::tuple{"dashboard_url", &rules->dashboard_url, "http"},
            std::tuple{"mail_from", &rules->mail_from, ""}}) {
        if (std::optional<std::string> v = BodyString(body, key)) {
          if (!v->empty() && std::string(prefixes).size() && v->rfind(prefixes, 0) != 0) {
            return Error(400, std::string(key) + " must start with " + prefixes);
          }
          *field = *v;
        }
      }
      if (Status s = store.SetAlertRules(*rules); !s.ok()) return FromStatus(s);
    }
    return Json({{"nps_max", rules->nps_max},
                 {"csat_max", rules->csat_max},
                 {"words", rules->words},
                 {"email_enabled", rules->email_enabled},
                 {"webhook_url", rules->webhook_url},
                 {"smtp_url", rules->smtp_url},
                 {"mail_from", rules->mail_from},
                 {"dashboard_url", rules->dashboard_url}});
  }

  if (what == "alerts" && seg.size() == 2 && is_get) {
    Result<std::vector<Alert>> alerts = store.ListAlerts(500);
    if (!alerts.ok()) return FromStatus(alerts.status());
    json list = json::array();
    for (const Alert& a : *alerts) {
      list.push_back({{"alert_id", a.alert_id},
                      {"event", a.event},
                      {"followup_id", a.followup_id},
                      {"device_id", a.device_id},
                      {"kind", a.kind},
                      {"target", a.target},
                      {"state", a.state},
                      {"attempts", a.attempts},
                      {"last_error", a.last_error},
                      {"created_at", FormatIso8601(a.created_at)},
                      {"sent_at", Iso(a.sent_at)}});
    }
    return Json({{"alerts", list}});
  }

  return Error(404, "no such endpoint");
}

}  // namespace feedback::central
