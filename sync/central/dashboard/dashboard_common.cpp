#include "sync/central/dashboard/dashboard_common.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>

#include "core/bytes.h"
#include "sync/central/dashboard/csv_export.h"
#include "sync/central/dashboard/days.h"
#include "sync/central/http/responses.h"

namespace feedback::central::dashboard {

// --- answers -----------------------------------------------------------------------------

http::Response Error(int status, std::string_view message) {
  return http::ErrorResponse(status, message);
}

http::Response Json(const json& j) { return http::Response::Json(200, j.dump()); }

http::Response FromStatus(const Status& s) { return http::StatusResponse(s); }

// --- tokens and cookies ------------------------------------------------------------------

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

std::string CookieValue(std::string_view header_view, const std::string& name) {
  const std::string header(header_view);
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

// --- request bodies ----------------------------------------------------------------------

bool ParseBody(const http::Request& request, json* out) {
  *out = json::parse(request.body, nullptr, false);
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

// --- scope and filter --------------------------------------------------------------------

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

Result<DashboardFilter> MakeFilter(SiteStore& store, const User& u, const http::Request& request,
                                   TimeMs now, bool dates_by_default) {
  auto param = [&request](std::string_view name) { return std::string(request.Query(name)); };
  DashboardFilter f;
  const std::string from = param("from");
  const std::string to = param("to");
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
  const std::string site = param("site");
  if (!site.empty()) {
    if (!SiteInScope(u, site)) {
      return Status::PermissionDenied("site '" + site + "' is outside your scope");
    }
    f.sites = std::vector<std::string>{site};
  }
  const std::string region = param("region");
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
  const std::string team = param("team");
  if (!team.empty()) {
    if (f.team && *f.team != team) {
      return Status::PermissionDenied("team '" + team + "' is outside your scope");
    }
    f.team = team;
  }
  if (!param("channel").empty()) f.channel = param("channel");
  if (!param("rep").empty()) f.staff_id = param("rep");
  return f;
}

// --- figures -----------------------------------------------------------------------------

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

void ScoreAgg::Add(const ScoreCountRow& r) {
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

void ScoreAgg::Add(const ResponseCountRow& r) {
  responses += r.count;
  if (r.status == "complete") complete += r.count;
}

namespace {

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

}  // namespace

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

// --- entities ----------------------------------------------------------------------------

json Iso(std::optional<TimeMs> t) { return t ? json(FormatIso8601(*t)) : json(nullptr); }
json OptStr(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

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

std::map<std::string, std::string> SiteNames(SiteStore& store) {
  std::map<std::string, std::string> out;
  if (Result<std::vector<Site>> s = store.ListSites(); s.ok()) {
    for (const Site& x : *s) out[x.site_id] = x.name;
  }
  return out;
}

}  // namespace feedback::central::dashboard
