// The key drivers page: GET /api/drivers - per survey, each driver's
// importance (correlation, Shapley share) against its mean performance, from
// the rollups' driver moments merged over the versions that ask the same
// drivers as the newest.
#include <algorithm>
#include <set>

#include "metrics/driver_moments.h"
#include "metrics/key_drivers.h"
#include "model/survey.h"
#include "sync/central/dashboard/csv_export.h"
#include "sync/central/dashboard/days.h"
#include "sync/central/dashboard/endpoints.h"

namespace feedback::central::dashboard {

http::Response Drivers(Call& call) {
  CentralStore& store = call.store;
  Result<DashboardFilter> f = MakeFilter(store, call.user, call.request, call.now, true);
  if (!f.ok()) return FromStatus(f.status());
  std::vector<DriverRowsSum> row_sums;
  std::vector<DriverSumRow> sums;
  if (Status s = store.QueryDriverMoments(*f, &row_sums, &sums); !s.ok()) return FromStatus(s);
  const std::string only = call.Param("survey");
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
  if (call.csv()) {
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

}  // namespace feedback::central::dashboard
