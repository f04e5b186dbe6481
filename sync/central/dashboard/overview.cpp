// The overview page: GET /api/overview - NPS, CSAT and CES over the range with
// their trend per day, week or month, and the work waiting for the viewer.
#include <algorithm>

#include "sync/central/dashboard/csv_export.h"
#include "sync/central/dashboard/days.h"
#include "sync/central/dashboard/endpoints.h"

namespace feedback::central::dashboard {

http::Response Overview(Call& call) {
  CentralStore& store = call.store;
  const User& u = call.user;
  const TimeMs now = call.now;
  Result<DashboardFilter> f = MakeFilter(store, u, call.request, now, true);
  if (!f.ok()) return FromStatus(f.status());
  std::string period = call.Param("period");
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
  if (call.csv()) {
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

}  // namespace feedback::central::dashboard
