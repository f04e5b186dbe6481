// Device health: GET /api/devices - every device in the caller's scope, the
// possible clones (repeated sequence conflicts) first, then the silent ones
// (no batch for silent_hours).
#include <algorithm>
#include <cstdlib>

#include "sync/central/dashboard/csv_export.h"
#include "sync/central/dashboard/endpoints.h"

namespace feedback::central::dashboard {

http::Response ListDevices(Call& call) {
  CentralStore& store = call.store;
  const TimeMs now = call.now;
  Result<DashboardFilter> f = MakeFilter(store, call.user, call.request, now, false);
  if (!f.ok()) return FromStatus(f.status());
  double silent_hours = 24;
  if (!call.Param("silent_hours").empty()) {
    silent_hours = std::atof(call.Param("silent_hours").c_str());
    if (!(silent_hours > 0) || silent_hours > 24 * 365) {
      return Error(400, "silent_hours must be a number of hours above 0");
    }
  }
  Result<std::vector<Device>> devices = store.ListDevices();
  if (!devices.ok()) return FromStatus(devices.status());
  std::vector<json> list;
  for (const Device& d : *devices) {
    if (!InScope(call.user, d.site_id, d.team)) continue;
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
  std::stable_sort(list.begin(), list.end(), [](const json& a, const json& b) {
    auto rank = [](const json& d) {
      return d["possible_clone"].get<bool>() ? 0 : d["silent"].get<bool>() ? 1 : 2;
    };
    return rank(a) < rank(b);
  });
  if (call.csv()) {
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

}  // namespace feedback::central::dashboard
