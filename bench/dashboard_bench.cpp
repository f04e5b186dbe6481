// Dashboard latency on a big store (issue 7): seeds N records into a fresh
// central store (SeedStore: the ingest commit path, so rollups are what ingest
// makes), logs in as an admin, then times GET /api/overview and GET
// /api/drivers through the route table the server dispatches to (DashboardApi's
// routes, a store leased from a pool) - the code the HTTP server calls, minus
// cpp-httplib's socket and thread pool - and, in the same run, the same
// headline figures computed from the raw rows (the answers in records.public_json) with
// the same shared/metrics functions. Prints p50/p95 of each and the ratio
// raw p95 / API p95 (targets: p95 <= 50 ms, >= 100x faster than raw).
//
//   build/bench/dashboard_bench [--records 1000000] [--sites 20] [--days 365]
//                               [--runs 50] [--raw-runs 3] [--db PATH] [--keep 1]
// --db with an existing seeded file skips seeding (re-measure without re-seeding).
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.h"
#include "metrics/ces.h"
#include "metrics/csat.h"
#include "metrics/key_drivers.h"
#include "metrics/nps.h"
#include "store/sqlite.h"
#include "sync/central/dashboard/dashboard_api.h"
#include "sync/central/dashboard/password_hash.h"
#include "sync/central/cli/seed.h"
#include "sync/central/http/route_table.h"
#include "sync/central/store/store_pool.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"

namespace feedback::central {
namespace {

using BenchClock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "dashboard_bench: %s\n", what.c_str());
  std::exit(1);
}

double Ms(BenchClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(BenchClock::now() - t0).count();
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct RawOverview {
  int64_t responses = 0;
  metrics::NpsCounts nps;
  int64_t csat_n = 0, ces_n = 0;
  double nps_value = 0;
};

// The overview's headline figures and weekly trend from raw rows.
RawOverview RawOverviewFigures(Database& db, int64_t from, int64_t to) {
  RawOverview out;
  Result<Statement> resp =
      db.Prepare("SELECT day, count(*) FROM records WHERE day BETWEEN ? AND ? GROUP BY day");
  if (!resp.ok()) Die(resp.status().ToString());
  resp->Bind(1, from).Bind(2, to);
  std::map<std::string, int64_t> week_responses;
  while (*resp->Step()) {
    out.responses += resp->ColumnInt(1);
    week_responses[PeriodKey(resp->ColumnInt(0), "week")] += resp->ColumnInt(1);
  }
  Result<Statement> scores = db.Prepare(
      "SELECT r.day, CASE json_extract(a.value, '$.q') WHEN 'nps' THEN 'nps' WHEN "
      "'satisfaction' THEN 'csat' ELSE 'ces' END, json_extract(a.value, '$.n'), count(*) "
      "FROM records r, json_each(r.public_json, '$.answers') a WHERE r.day BETWEEN ? AND ? AND "
      "json_extract(a.value, '$.q') IN ('nps', 'satisfaction', 'effort') GROUP BY 1, 2, 3");
  if (!scores.ok()) Die(scores.status().ToString());
  scores->Bind(1, from).Bind(2, to);
  std::map<std::string, metrics::NpsCounts> week_nps;
  metrics::CsatCounts csat;
  metrics::CesCounts ces;
  while (*scores->Step()) {
    const std::string type = scores->ColumnText(1);
    const int score = static_cast<int>(scores->ColumnInt(2));
    const int64_t n = scores->ColumnInt(3);
    if (type == "nps") {
      metrics::NpsCounts& week = week_nps[PeriodKey(scores->ColumnInt(0), "week")];
      for (int64_t i = 0; i < n; ++i) {
        (void)out.nps.Add(score);
        (void)week.Add(score);
      }
    } else if (type == "csat") {
      (void)csat.AddCount(score, n);
      out.csat_n += n;
    } else {
      (void)ces.AddCount(score, n);
      out.ces_n += n;
    }
  }
  Result<metrics::NpsReport> nps = metrics::ComputeNps(out.nps);
  if (nps.ok() && nps->nps.value()) out.nps_value = *nps->nps.value();
  (void)metrics::ComputeCsat(csat);
  (void)metrics::ComputeCes(ces);
  for (const auto& [week, counts] : week_nps) (void)metrics::ComputeNps(counts);
  return out;
}

// Key drivers of the seed's kiosk survey from raw rows (one row per record).
int64_t RawDrivers(Database& db, int64_t from, int64_t to) {
  const std::vector<std::string> drivers = {"greeting", "speed", "cleanliness", "availability",
                                            "knowledge"};
  Result<Statement> s = db.Prepare(
      "SELECT r.record_id, json_extract(a.value, '$.q'), json_extract(a.value, '$.n') "
      "FROM records r, json_each(r.public_json, '$.answers') a WHERE r.survey_id = "
      "'retail_kiosk_seed' AND r.day BETWEEN ? AND ? AND json_type(a.value, '$.n') = 'integer' "
      "ORDER BY r.record_id");
  if (!s.ok()) Die(s.status().ToString());
  s->Bind(1, from).Bind(2, to);
  std::vector<metrics::DriverRow> rows;
  std::string current;
  while (*s->Step()) {
    std::string id = s->ColumnText(0);
    if (id != current) {
      rows.push_back({std::vector<std::optional<double>>(drivers.size()), std::nullopt});
      current = std::move(id);
    }
    const std::string q = s->ColumnText(1);
    const double v = static_cast<double>(s->ColumnInt(2));
    if (q == "nps") rows.back().outcome = v;
    for (size_t i = 0; i < drivers.size(); ++i) {
      if (q == drivers[i]) rows.back().drivers[i] = v;
    }
  }
  Result<metrics::KeyDriverReport> report = metrics::AnalyzeKeyDriverRows(rows, drivers);
  if (!report.ok()) Die(report.status().ToString());
  return report->n;
}

}  // namespace
}  // namespace feedback::central

int main(int argc, char** argv) {
  using namespace feedback;
  using namespace feedback::central;
  SeedOptions seed;
  seed.records = 1'000'000;
  seed.sites = 20;
  seed.days = 365;
  seed.batch_records = 5000;
  int runs = 50, raw_runs = 3;
  std::string db_path;
  bool keep = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* v = argv[i + 1];
    if (flag == "--records") seed.records = std::atoll(v);
    else if (flag == "--sites") seed.sites = std::atoi(v);
    else if (flag == "--days") seed.days = std::atoi(v);
    else if (flag == "--runs") runs = std::atoi(v);
    else if (flag == "--raw-runs") raw_runs = std::atoi(v);
    else if (flag == "--db") db_path = v;
    else if (flag == "--keep") keep = std::string(v) == "1";
    else Die("unknown flag " + flag);
  }
  std::string work;
  if (db_path.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "dashboard-bench-XXXXXX").string();
    work = mkdtemp(pattern.data());
    db_path = work + "/central.db";
  }
  const bool seeded_before = std::filesystem::exists(db_path);

  // 1. The store: seed it (the ingest commit path) unless it exists.
  Result<std::unique_ptr<SqliteCentralStore>> store = SqliteCentralStore::Open(db_path);
  if (!store.ok()) Die(store.status().ToString());
  if (!seeded_before) {
    const auto t0 = BenchClock::now();
    int64_t reported = 0;
    Result<SeedSummary> s = SeedStore(**store, seed, [&](int64_t done) {
      if (done / 1'000'000 > reported / 1'000'000) {
        std::printf("  seeded %lld records (%.0f s)\n", static_cast<long long>(done), Ms(t0) / 1e3);
        std::fflush(stdout);
      }
      reported = done;
    });
    if (!s.ok()) Die(s.status().ToString());
    const double secs = Ms(t0) / 1e3;
    std::printf("seeded %lld records, %d sites, %d days in %.0f s (%.0f records/s)\n",
                static_cast<long long>(s->records), seed.sites, seed.days, secs,
                static_cast<double>(s->records) / secs);
    User admin;
    admin.username = "bench";
    admin.password_hash = HashPassword("bench-password").value();
    admin.role = UserRole::kAdmin;
    if (Status st = (*store)->CreateUser(admin); !st.ok()) Die(st.ToString());
  }
  std::printf("central.db %.0f MiB\n",
              static_cast<double>(std::filesystem::file_size(db_path)) / (1 << 20));

  // 2. Log in as the handlers would be asked to.
  DashboardOptions options;
  options.secure_cookie = false;
  DashboardApi api(SystemClock::Instance(), options);
  CentralStorePool pool(
      [&db_path]() -> Result<std::unique_ptr<CentralStore>> {
        FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCentralStore> s,
                                  SqliteCentralStore::Open(db_path));
        return std::unique_ptr<CentralStore>(std::move(s));
      },
      1);
  http::RouteTable routes;
  api.AddRoutes(routes, pool);
  http::Request login;
  login.method = "POST";
  login.path = login.target = "/api/login";
  login.headers = {{"content-type", "application/json"}};
  login.body = R"({"username":"bench","password":"bench-password"})";
  login.remote_ip = "127.0.0.1";
  http::Response lr = routes.Dispatch(login);
  std::string cookie;
  for (const auto& [k, v] : lr.headers) {
    if (k == "Set-Cookie") cookie = v.substr(0, v.find(';'));
  }
  if (lr.status != 200 || cookie.empty()) Die("login failed: " + lr.body);

  // 3. The whole seeded range, every site (the admin's scope: the widest query).
  const int64_t to = DayNumber(SystemClock::Instance().NowMs());
  const int64_t from = to - seed.days + 1;
  auto time_api = [&](const std::string& path, nlohmann::json* last) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
      http::Request r;
      r.method = "GET";
      r.path = path;
      r.target = path + "?from=" + FormatDay(from) + "&to=" + FormatDay(to);
      r.query = {{"from", FormatDay(from)}, {"to", FormatDay(to)}};
      r.headers = {{"cookie", cookie}};
      r.remote_ip = "127.0.0.1";
      const auto t0 = BenchClock::now();
      http::Response res = routes.Dispatch(std::move(r));
      ms.push_back(Ms(t0));
      if (res.status != 200) Die(path + " answered " + std::to_string(res.status) + ": " + res.body);
      if (i == 0) *last = nlohmann::json::parse(res.body);
    }
    return ms;
  };
  nlohmann::json overview, drivers;
  const std::vector<double> overview_ms = time_api("/api/overview", &overview);
  const std::vector<double> drivers_ms = time_api("/api/drivers", &drivers);

  // 4. The same figures from raw rows, on a second connection (read-only).
  Database::Options ro;
  ro.read_only = true;
  Result<Database> raw_db = Database::Open(db_path, ro);
  if (!raw_db.ok()) Die(raw_db.status().ToString());
  std::vector<double> raw_overview_ms, raw_drivers_ms;
  RawOverview raw;
  int64_t raw_driver_n = 0;
  for (int i = 0; i < raw_runs; ++i) {
    auto t0 = BenchClock::now();
    raw = RawOverviewFigures(*raw_db, from, to);
    raw_overview_ms.push_back(Ms(t0));
    t0 = BenchClock::now();
    raw_driver_n = RawDrivers(*raw_db, from, to);
    raw_drivers_ms.push_back(Ms(t0));
  }

  // 5. Same answers, then the figures.
  const int64_t api_nps_n = overview["nps"]["n"].get<int64_t>();
  const int64_t api_responses = overview["responses"].get<int64_t>();
  int64_t api_driver_n = -1;
  for (const auto& s : drivers["surveys"]) {
    if (s["survey_id"] == "retail_kiosk_seed") api_driver_n = s["n"].get<int64_t>();
  }
  std::printf("check: responses api %lld raw %lld; nps n api %lld raw %lld; nps api %.3f raw %.3f;"
              " kiosk driver rows api %lld raw %lld\n",
              static_cast<long long>(api_responses), static_cast<long long>(raw.responses),
              static_cast<long long>(api_nps_n), static_cast<long long>(raw.nps.n()),
              overview["nps"]["value"].is_number() ? overview["nps"]["value"].get<double>() : -999,
              raw.nps_value, static_cast<long long>(api_driver_n),
              static_cast<long long>(raw_driver_n));
  if (api_responses != raw.responses || api_nps_n != raw.nps.n() || api_driver_n != raw_driver_n) {
    Die("the API and the raw rows disagree");
  }
  auto line = [](const char* name, const std::vector<double>& api_ms,
                 const std::vector<double>& raw_ms) {
    const double p95 = Percentile(api_ms, 0.95), raw_p95 = Percentile(raw_ms, 0.95);
    std::printf("%-9s api p50 %8.2f ms  p95 %8.2f ms (target <= 50) | raw p95 %9.1f ms | "
                "ratio %6.0fx (target >= 100)\n",
                name, Percentile(api_ms, 0.5), p95, raw_p95, raw_p95 / p95);
  };
  line("overview", overview_ms, raw_overview_ms);
  line("drivers", drivers_ms, raw_drivers_ms);
  store->reset();
  if (!work.empty()) {
    if (keep) {
      std::printf("store kept: %s\n", db_path.c_str());
    } else {
      std::filesystem::remove_all(work);
    }
  }
  return 0;
}
