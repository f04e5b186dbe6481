// The sites page and the filter bar: GET /api/sites (sites, regions, teams and
// channels in the caller's scope), POST /api/sites/{site} (admins: settings).
#include <set>

#include "sync/central/dashboard/endpoints.h"

namespace feedback::central::dashboard {

http::Response ListSites(Call& call) {
  CentralStore& store = call.store;
  const User& u = call.user;
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
    list.push_back(SiteJson(s, call.admin()));
    if (!s.region.empty()) regions.insert(s.region);
  }
  Result<DashboardFilter> f = MakeFilter(store, u, call.request, call.now, false);
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

http::Response UpdateSite(Call& call) {
  if (!call.admin()) return Error(403, "only admins change site settings");
  const std::string site = call.Path("site");
  json body;
  if (!ParseBody(call.request, &body)) return Error(400, "the body must be a JSON object");
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
  SiteStore& store = call.store;
  if (Status s = store.UpdateSite(site, st); !s.ok()) return FromStatus(s);
  Result<std::vector<Site>> sites = store.ListSites();
  if (!sites.ok()) return FromStatus(sites.status());
  for (const Site& s : *sites) {
    if (s.site_id == site) return Json(SiteJson(s, true));
  }
  return Error(404, "no site '" + site + "'");
}

}  // namespace feedback::central::dashboard
