// The tables of the sites and team & reps pages: GET /api/breakdown - the
// figures grouped by site, region, channel, team, rep or period.
#include "sync/central/dashboard/csv_export.h"
#include "sync/central/dashboard/days.h"
#include "sync/central/dashboard/endpoints.h"

namespace feedback::central::dashboard {

http::Response Breakdown(Call& call) {
  CentralStore& store = call.store;
  Result<DashboardFilter> f = MakeFilter(store, call.user, call.request, call.now, true);
  if (!f.ok()) return FromStatus(f.status());
  const std::string by = call.Param("by");
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
  if (call.csv()) {
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

}  // namespace feedback::central::dashboard
