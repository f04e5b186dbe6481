// The manager dashboard API (issue 7) against the real feedback-central
// process on 127.0.0.1: figures equal what the test computes itself from the
// raw records, every endpoint is scoped to the caller, logged-out clients get
// 401, state changes need the CSRF token, logins are rate limited, static
// files are served safely, and a detractor with contact ingested through the
// real batch path produces exactly one e-mail and one webhook.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "central_harness.h"
#include "raw_scores.h"

namespace feedback::central::testing {
namespace {

using nlohmann::json;

std::string PasswordFrom(const std::string& out) {
  const std::string key = "password: ";
  const size_t p = out.find(key);
  if (p == std::string::npos) return "";
  std::string pw = out.substr(p + key.size());
  return pw.substr(0, pw.find('\n'));
}

std::string AdminPassword(const std::string& init_out) {
  const std::string key = "admin password:";
  size_t p = init_out.find(key);
  if (p == std::string::npos) return "";
  p = init_out.find_first_not_of(' ', p + key.size());
  return init_out.substr(p, init_out.find('\n', p) - p);
}

std::string AddUser(const std::string& data_dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"user", "add", "--data-dir", data_dir});
  CliResult r = RunCli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return PasswordFrom(r.out);
}

struct Session {
  std::string cookie;
  std::string csrf;
};

struct Answer {
  int status = -1;
  std::string body;
  httplib::Headers headers;
  json Json() const { return json::parse(body, nullptr, false); }
};

class Api {
 public:
  explicit Api(const CentralProcess& p) : client_(p.Client()) {}

  Answer Login(const std::string& user, const std::string& pw, Session* s = nullptr) {
    auto res = client_.Post("/api/login", json{{"username", user}, {"password", pw}}.dump(),
                            "application/json");
    if (!res) return {};
    Answer a{res->status, res->body, res->headers};
    if (s != nullptr && res->status == 200) {
      const std::string c = res->get_header_value("Set-Cookie");
      s->cookie = c.substr(0, c.find(';'));
      s->csrf = a.Json()["csrf_token"].get<std::string>();
    }
    return a;
  }
  Answer Get(const std::string& path, const Session* s) {
    httplib::Headers h;
    if (s != nullptr) h.emplace("Cookie", s->cookie);
    auto res = client_.Get(path.c_str(), h);
    if (!res) return {};
    return {res->status, res->body, res->headers};
  }
  Answer Post(const std::string& path, const Session* s, const json& body, bool csrf = true,
              const std::string& csrf_value = "") {
    httplib::Headers h;
    if (s != nullptr) h.emplace("Cookie", s->cookie);
    if (s != nullptr && csrf) h.emplace("X-CSRF-Token", csrf_value.empty() ? s->csrf : csrf_value);
    auto res = client_.Post(path.c_str(), h, body.dump(), "application/json");
    if (!res) return {};
    return {res->status, res->body, res->headers};
  }

 private:
  httplib::Client client_;
};

// Counts per question type and score, computed from the raw tables.
struct RawCounts {
  std::map<std::string, std::map<int, int64_t>> by_type;
  int64_t responses = 0;
};

double RawNps(const std::map<int, int64_t>& c, int64_t* n, double* lo, double* hi) {
  int64_t p = 0, d = 0, total = 0;
  for (auto [score, k] : c) {
    total += k;
    if (score >= 9) p += k;
    if (score <= 6) d += k;
  }
  *n = total;
  const double ps = static_cast<double>(p) / static_cast<double>(total);
  const double ds = static_cast<double>(d) / static_cast<double>(total);
  const double nps = 100.0 * (ps - ds);
  const double se = std::sqrt((ps + ds - (ps - ds) * (ps - ds)) / static_cast<double>(total));
  *lo = std::max(-100.0, nps - 1.96 * se * 100.0);
  *hi = std::min(100.0, nps + 1.96 * se * 100.0);
  return nps;
}

double RawCsat(const std::map<int, int64_t>& c, int64_t* n) {
  int64_t good = 0, total = 0;
  for (auto [score, k] : c) {
    total += k;
    if (score >= 4) good += k;
  }
  *n = total;
  return 100.0 * static_cast<double>(good) / static_cast<double>(total);
}

double RawMean(const std::map<int, int64_t>& c, int64_t* n) {
  int64_t sum = 0, total = 0;
  for (auto [score, k] : c) {
    total += k;
    sum += score * k;
  }
  *n = total;
  return static_cast<double>(sum) / static_cast<double>(total);
}

class DashboardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    data_dir_ = tmp_->path() + "/central";
    CliResult init = InitCentral(data_dir_);
    ASSERT_EQ(init.exit_code, 0) << init.err;
    admin_pw_ = AdminPassword(init.out);
    CliResult seed = RunCli({"seed", "--data-dir", data_dir_, "--records", "6000", "--sites",
                             "4", "--days", "30", "--seed", "7"});
    ASSERT_EQ(seed.exit_code, 0) << seed.err;
    pw_["mgr_a"] = AddUser(data_dir_, {"--username", "mgr_a", "--role", "site_manager", "--site",
                                       "site-02"});
    pw_["regional"] = AddUser(data_dir_, {"--username", "regional", "--role", "regional_manager",
                                          "--site", "site-01", "--site", "site-03"});
    pw_["lead_a"] =
        AddUser(data_dir_, {"--username", "lead_a", "--role", "team_lead", "--team", "team-02a"});
    // Static files for the serving tests.
    static_dir_ = tmp_->path() + "/dash";
    std::filesystem::create_directories(static_dir_ + "/js");
    std::ofstream(static_dir_ + "/index.html") << "<!doctype html><title>x</title>";
    std::ofstream(static_dir_ + "/js/app.js") << "console.log(1);";
    std::ofstream(static_dir_ + "/style.css") << "body{}";
    std::ofstream(static_dir_ + "/logo.svg") << "<svg/>";
    std::ofstream(tmp_->path() + "/secret.txt") << "secret";
    server_ = new CentralProcess();
    ASSERT_TRUE(server_->Start(data_dir_, false, {"--dashboard-dir", static_dir_}));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete tmp_;
  }

  // Raw score counts within the filter, from the records' public JSON.
  static RawCounts Raw(const std::string& where) {
    CentralDb db(data_dir_);
    RawCounts rc;
    for (const auto& row :
         db.Rows(std::string("SELECT s.question_type, s.score, COUNT(*) FROM ") + kRawScores +
                     " s JOIN records r "
                 "ON r.record_id = s.record_id WHERE " +
                     where + " GROUP BY 1, 2",
                 3)) {
      rc.by_type[row[0]][std::stoi(row[1])] = std::stoll(row[2]);
    }
    rc.responses = db.Int("SELECT COUNT(*) FROM records r WHERE " + where);
    return rc;
  }

  static void ExpectFigures(const json& row, const RawCounts& raw, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(row["responses"].get<int64_t>(), raw.responses);
    auto check = [&](const char* type, const json& fig, double value, int64_t n) {
      EXPECT_EQ(fig["n"].get<int64_t>(), n) << type;
      if (n < 10) {
        EXPECT_TRUE(fig["value"].is_null()) << type;
        EXPECT_TRUE(fig["suppressed"].get<bool>()) << type;
      } else {
        ASSERT_TRUE(fig["value"].is_number()) << type;
        EXPECT_NEAR(fig["value"].get<double>(), value, 1e-9) << type;
      }
    };
    int64_t n = 0;
    double lo = 0, hi = 0;
    if (raw.by_type.count("nps")) {
      const double nps = RawNps(raw.by_type.at("nps"), &n, &lo, &hi);
      check("nps", row["nps"], nps, n);
      if (n >= 10) {
        EXPECT_NEAR(row["nps"]["ci"][0].get<double>(), lo, 1e-9);
        EXPECT_NEAR(row["nps"]["ci"][1].get<double>(), hi, 1e-9);
      }
    } else {
      EXPECT_EQ(row["nps"]["n"].get<int64_t>(), 0);
      EXPECT_TRUE(row["nps"]["value"].is_null());
    }
    if (raw.by_type.count("csat")) {
      const double v = RawCsat(raw.by_type.at("csat"), &n);
      check("csat", row["csat"], v, n);
    } else {
      EXPECT_EQ(row["csat"]["n"].get<int64_t>(), 0);
    }
    if (raw.by_type.count("ces")) {
      const double v = RawMean(raw.by_type.at("ces"), &n);
      check("ces", row["ces"], v, n);
    } else {
      EXPECT_EQ(row["ces"]["n"].get<int64_t>(), 0);
    }
  }

  static std::string Range() {
    const int64_t today = DayNumber(SystemClock::Instance().NowMs());
    return "from=" + FormatDayForTest(today - 40) + "&to=" + FormatDayForTest(today);
  }
  static std::string FormatDayForTest(int64_t day) {
    // Independent of the server's formatter: via time_t.
    const time_t t = static_cast<time_t>(day * 86400);
    char buf[16];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
    return buf;
  }

  static inline TempDir* tmp_ = nullptr;
  static inline CentralProcess* server_ = nullptr;
  static inline std::string data_dir_;
  static inline std::string static_dir_;
  static inline std::string admin_pw_;
  static inline std::map<std::string, std::string> pw_;
};

TEST_F(DashboardTest, OverviewAndBreakdownFiguresEqualRawRecords) {
  Api api(*server_);
  Session admin;
  ASSERT_EQ(api.Login("admin", admin_pw_, &admin).status, 200);
  Answer ov = api.Get("/api/overview?period=week&" + Range(), &admin);
  ASSERT_EQ(ov.status, 200) << ov.body;
  const json o = ov.Json();
  ExpectFigures(o, Raw("1=1"), "overview");
  EXPECT_EQ(o["responses"].get<int64_t>(), 6000);
  // Trend: per ISO week (Monday), each equal to the raw records of that week.
  int64_t trend_total = 0;
  for (const json& t : o["trend"]) {
    trend_total += t["responses"].get<int64_t>();
    const std::string monday = t["period"];
    ExpectFigures(t, Raw("r.day >= CAST(julianday('" + monday +
                         "') - 2440587.5 AS INTEGER) AND r.day < CAST(julianday('" + monday +
                         "') - 2440587.5 AS INTEGER) + 7"),
                  "week " + monday);
  }
  EXPECT_EQ(trend_total, 6000);
  // Breakdowns by site, team, rep and channel.
  for (const auto& [by, column] : std::vector<std::pair<std::string, std::string>>{
           {"site", "r.site_id"}, {"team", "r.team"}, {"rep", "r.staff_id"},
           {"channel", "r.channel"}}) {
    Answer b = api.Get("/api/breakdown?by=" + by + "&" + Range(), &admin);
    ASSERT_EQ(b.status, 200) << b.body;
    int64_t total = 0;
    const json body = b.Json();
    for (const json& row : body["rows"]) {
      total += row["responses"].get<int64_t>();
      ExpectFigures(row, Raw(column + " = '" + row["key"].get<std::string>() + "'"),
                    by + " " + row["key"].get<std::string>());
    }
    EXPECT_EQ(total, 6000) << by;
  }
  // A narrower date range and a site filter.
  const int64_t today = DayNumber(SystemClock::Instance().NowMs());
  Answer narrow = api.Get("/api/overview?site=site-03&from=" + FormatDayForTest(today - 6) +
                              "&to=" + FormatDayForTest(today),
                          &admin);
  ASSERT_EQ(narrow.status, 200);
  ExpectFigures(narrow.Json(),
                Raw("r.site_id = 'site-03' AND r.day >= " + std::to_string(today - 6)),
                "site-03 last 7 days");
  // A rep with few responses in one day is suppressed, never a number.
  Answer tiny = api.Get("/api/overview?rep=team-02a-rep-1&from=" + FormatDayForTest(today) +
                            "&to=" + FormatDayForTest(today),
                        &admin);
  ASSERT_EQ(tiny.status, 200);
  const json t = tiny.Json();
  ASSERT_LT(t["ces"]["n"].get<int64_t>(), 10);
  EXPECT_TRUE(t["ces"]["value"].is_null());
  EXPECT_EQ(t["ces"]["label"], "not enough responses");
}

TEST_F(DashboardTest, DriversMatchRawCorrelationsAndRecoverPlantedOrder) {
  Api api(*server_);
  Session admin;
  ASSERT_EQ(api.Login("admin", admin_pw_, &admin).status, 200);
  Answer d = api.Get("/api/drivers?" + Range(), &admin);
  ASSERT_EQ(d.status, 200) << d.body;
  CentralDb db(data_dir_);
  // Complete rows of the call survey: (greeting, effort).
  auto rows = db.Rows(
      std::string("SELECT g.score, e.score FROM ") + kRawScores + " g JOIN " + kRawScores +
          " e ON e.record_id = "
      "g.record_id AND e.question_id = 'effort' JOIN records r ON r.record_id = g.record_id "
      "WHERE g.question_id = 'greeting' AND r.survey_id = 'call_log_seed'",
      2);
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  const double n = static_cast<double>(rows.size());
  for (const auto& r : rows) {
    const double x = std::stod(r[0]), y = std::stod(r[1]);
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
  }
  const double corr = (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  bool saw_call = false, saw_retail = false;
  const json body = d.Json();
  for (const json& s : body["surveys"]) {
    ASSERT_FALSE(s["suppressed"].get<bool>());
    if (s["survey_id"] == "call_log_seed") {
      saw_call = true;
      EXPECT_EQ(s["n"].get<int64_t>(), static_cast<int64_t>(rows.size()));
      EXPECT_NEAR(s["drivers"][0]["correlation"].get<double>(), corr, 1e-9);
      EXPECT_NEAR(s["drivers"][0]["mean"].get<double>(), sx / n, 1e-9);
    }
    if (s["survey_id"] == "retail_kiosk_seed") {
      saw_retail = true;
      std::map<std::string, double> share;
      for (const json& x : s["drivers"]) share[x["id"]] = x["share"].get<double>();
      // Planted weights: greeting .9 > availability .7 > speed .5 > knowledge .3 > cleanliness .1
      EXPECT_GT(share["greeting"], share["availability"]);
      EXPECT_GT(share["availability"], share["speed"]);
      EXPECT_GT(share["speed"], share["knowledge"]);
      EXPECT_GT(share["knowledge"], share["cleanliness"]);
      EXPECT_GT(s["rows_dropped"].get<int64_t>(), 0);  // availability skipped sometimes
    }
  }
  EXPECT_TRUE(saw_call && saw_retail);
}

// The figures come from summaries read in whole months, weeks and single days
// (the rep-day rollups when a rep is named): ranges that cut weeks and months
// anywhere, and whole months, must still equal the raw records exactly.
TEST_F(DashboardTest, AnyDateRangeEqualsRawRecords) {
  Api api(*server_);
  Session admin;
  ASSERT_EQ(api.Login("admin", admin_pw_, &admin).status, 200);
  const int64_t today = DayNumber(SystemClock::Instance().NowMs());
  auto first_of_month = [](int64_t day) {  // via time_t, independent of the server
    const time_t t = static_cast<time_t>(day * 86400);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return day - (tm.tm_mday - 1);
  };
  const int64_t this_month = first_of_month(today);
  const int64_t last_month = first_of_month(this_month - 1);
  const std::vector<std::pair<int64_t, int64_t>> ranges = {
      {last_month, this_month - 1},  // one whole month
      {last_month - 3, today},       // days, weeks, a whole month, weeks, days
      {this_month - 9, this_month + 4},
      {today - 17, today - 2},
      {today - 29, today - 29},  // one day
      {today - 400, today}};     // over a year
  CentralDb db(data_dir_);
  for (const auto& [from, to] : ranges) {
    const std::string range = "from=" + FormatDayForTest(from) + "&to=" + FormatDayForTest(to);
    const std::string days =
        "r.day BETWEEN " + std::to_string(from) + " AND " + std::to_string(to);
    SCOPED_TRACE(range);
    for (const char* period : {"day", "week", "month"}) {
      Answer ov = api.Get("/api/overview?period=" + std::string(period) + "&" + range, &admin);
      ASSERT_EQ(ov.status, 200) << ov.body;
      ExpectFigures(ov.Json(), Raw(days), std::string("overview by ") + period);
    }
    Answer months = api.Get("/api/breakdown?by=month&" + range, &admin);
    ASSERT_EQ(months.status, 200) << months.body;
    const json month_rows = months.Json()["rows"];
    ASSERT_FALSE(month_rows.empty());
    for (const json& row : month_rows) {
      ExpectFigures(row,
                    Raw(days + " AND strftime('%Y-%m', r.day * 86400, 'unixepoch') = '" +
                        row["key"].get<std::string>() + "'"),
                    "month " + row["key"].get<std::string>());
    }
    Answer sites = api.Get("/api/breakdown?by=site&channel=kiosk&" + range, &admin);
    ASSERT_EQ(sites.status, 200) << sites.body;
    const json site_rows = sites.Json()["rows"];
    for (const json& row : site_rows) {
      ExpectFigures(row,
                    Raw(days + " AND r.channel = 'kiosk' AND r.site_id = '" +
                        row["key"].get<std::string>() + "'"),
                    "kiosk at " + row["key"].get<std::string>());
    }
    Answer lead = api.Get("/api/overview?team=team-02a&" + range, &admin);
    ASSERT_EQ(lead.status, 200) << lead.body;
    ExpectFigures(lead.Json(), Raw(days + " AND r.team = 'team-02a'"), "team-02a");
    // Driver rows: kiosk records with every driver and the outcome answered.
    Answer d = api.Get("/api/drivers?survey=retail_kiosk_seed&" + range, &admin);
    ASSERT_EQ(d.status, 200) << d.body;
    const int64_t complete_rows = db.Int(
        "SELECT COUNT(*) FROM records r WHERE r.survey_id = 'retail_kiosk_seed' AND " + days +
        " AND (SELECT COUNT(*) FROM " + kRawScores + " s WHERE s.record_id = r.record_id AND "
        "s.question_id IN ('greeting', 'speed', 'cleanliness', 'availability', 'knowledge', "
        "'nps')) = 6");
    const json body = d.Json();
    const int64_t api_rows =
        body["surveys"].empty() ? 0 : body["surveys"][0]["n"].get<int64_t>();
    EXPECT_EQ(api_rows, complete_rows);
  }
}

// Every data endpoint, for the scope checks.
std::vector<std::string> DataEndpoints() {
  return {"/api/me",
          "/api/sites",
          "/api/overview",
          "/api/overview?format=csv",
          "/api/breakdown?by=site",
          "/api/breakdown?by=region",
          "/api/breakdown?by=team",
          "/api/breakdown?by=rep",
          "/api/breakdown?by=channel",
          "/api/breakdown?by=week&format=csv",
          "/api/drivers",
          "/api/drivers?format=csv",
          "/api/stories?state=all&limit=500",
          "/api/stories?format=csv&limit=500",
          "/api/followups?state=all&limit=500",
          "/api/followups?format=csv&state=all&limit=500",
          "/api/devices",
          "/api/devices?format=csv"};
}

TEST_F(DashboardTest, LoggedOutClientsGetNothing) {
  Api api(*server_);
  std::vector<std::string> all = DataEndpoints();
  for (const char* p : {"/api/users", "/api/alert-rules", "/api/alerts",
                        "/api/stories/wall?site=site-01", "/api/followups/x",
                        "/api/followups/x/owners"}) {
    all.push_back(p);
  }
  for (const std::string& p : all) {
    Answer a = api.Get(p, nullptr);
    EXPECT_EQ(a.status, 401) << p;
    EXPECT_EQ(a.body.find("site-0"), std::string::npos) << p;
  }
  Session forged{"fc_session=forged-token", "x"};
  EXPECT_EQ(api.Get("/api/overview", &forged).status, 401);
  EXPECT_EQ(api.Post("/api/stories/x/moderate", nullptr, {{"state", "published"}}).status, 401);
}

TEST_F(DashboardTest, SiteManagerSeesOnlyTheirSite) {
  Api api(*server_);
  Session s;
  ASSERT_EQ(api.Login("mgr_a", pw_["mgr_a"], &s).status, 200);
  for (const std::string& p : DataEndpoints()) {
    Answer a = api.Get(p + (p.find('?') == std::string::npos ? "?" : "&") + Range(), &s);
    ASSERT_EQ(a.status, 200) << p << " " << a.body;
    for (const char* other : {"site-01", "site-03", "site-04", "team-04"}) {
      EXPECT_EQ(a.body.find(other), std::string::npos) << p << " leaks " << other;
    }
  }
  // Its overview equals the raw figures of its site only.
  ExpectFigures(api.Get("/api/overview?" + Range(), &s).Json(), Raw("r.site_id = 'site-02'"),
                "mgr_a overview");
  // Asking for another site or region is refused; admin pages are refused.
  EXPECT_EQ(api.Get("/api/overview?site=site-01", &s).status, 403);
  EXPECT_EQ(api.Get("/api/breakdown?by=site&site=site-03", &s).status, 403);
  EXPECT_EQ(api.Get("/api/overview?region=north", &s).status, 403);  // site-01 is north
  EXPECT_EQ(api.Get("/api/devices?site=site-01", &s).status, 403);
  EXPECT_EQ(api.Get("/api/users", &s).status, 403);
  EXPECT_EQ(api.Get("/api/alert-rules", &s).status, 403);
  EXPECT_EQ(api.Get("/api/stories/wall?site=site-01", &s).status, 403);
  // Objects of another site are "not found", also for state changes.
  CentralDb db(data_dir_);
  const std::string other_story = db.Rows(
      "SELECT story_id FROM hero_stories WHERE site_id = 'site-01' LIMIT 1", 1)[0][0];
  const std::string other_fu =
      db.Rows("SELECT followup_id FROM follow_ups WHERE site_id = 'site-01' LIMIT 1", 1)[0][0];
  EXPECT_EQ(api.Get("/api/followups/" + other_fu, &s).status, 404);
  EXPECT_EQ(api.Get("/api/followups/" + other_fu + "/owners", &s).status, 404);
  // Its own follow-ups' owners: users who can see site-02, never another site's manager.
  const std::string own_fu =
      db.Rows("SELECT followup_id FROM follow_ups WHERE site_id = 'site-02' LIMIT 1", 1)[0][0];
  Answer owners = api.Get("/api/followups/" + own_fu + "/owners", &s);
  ASSERT_EQ(owners.status, 200) << owners.body;
  std::set<std::string> names;
  const json owner_list = owners.Json()["owners"];
  for (const json& o : owner_list) names.insert(o["username"].get<std::string>());
  EXPECT_TRUE(names.count("mgr_a") && names.count("admin")) << owners.body;
  EXPECT_FALSE(names.count("regional")) << "regional manages site-01 and site-03 only";
  EXPECT_EQ(owners.body.find("email"), std::string::npos) << "names and roles only";
  EXPECT_EQ(api.Post("/api/stories/" + other_story + "/moderate", &s, {{"state", "published"}})
                .status,
            404);
  EXPECT_EQ(api.Post("/api/followups/" + other_fu + "/close", &s, {{"note", "x"}}).status, 404);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM hero_stories WHERE story_id = '" + other_story +
                   "' AND state = 'new'"),
            1);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM follow_ups WHERE followup_id = '" + other_fu +
                   "' AND state = 'open'"),
            1);
}

TEST_F(DashboardTest, RegionalManagerSeesItsSitesOnly) {
  Api api(*server_);
  Session s;
  ASSERT_EQ(api.Login("regional", pw_["regional"], &s).status, 200);
  Answer b = api.Get("/api/breakdown?by=site&" + Range(), &s);
  ASSERT_EQ(b.status, 200);
  std::set<std::string> keys;
  const json body = b.Json();
  for (const json& r : body["rows"]) keys.insert(r["key"]);
  EXPECT_EQ(keys, (std::set<std::string>{"site-01", "site-03"}));
  ExpectFigures(api.Get("/api/overview?" + Range(), &s).Json(),
                Raw("r.site_id IN ('site-01', 'site-03')"), "regional overview");
  for (const std::string& p : DataEndpoints()) {
    Answer a = api.Get(p, &s);
    ASSERT_EQ(a.status, 200) << p;
    EXPECT_EQ(a.body.find("site-02"), std::string::npos) << p;
    EXPECT_EQ(a.body.find("site-04"), std::string::npos) << p;
  }
}

TEST_F(DashboardTest, TeamLeadSeesOnlyTheirTeam) {
  Api api(*server_);
  Session s;
  ASSERT_EQ(api.Login("lead_a", pw_["lead_a"], &s).status, 200);
  for (const std::string& p : DataEndpoints()) {
    Answer a = api.Get(p + (p.find('?') == std::string::npos ? "?" : "&") + Range(), &s);
    ASSERT_EQ(a.status, 200) << p << " " << a.body;
    for (const char* other : {"team-02b", "team-04a", "team-04b", "site-01", "site-03",
                              "floor"}) {
      EXPECT_EQ(a.body.find(other), std::string::npos) << p << " leaks " << other;
    }
  }
  ExpectFigures(api.Get("/api/overview?" + Range(), &s).Json(), Raw("r.team = 'team-02a'"),
                "lead overview");
  const json reps = api.Get("/api/breakdown?by=rep&" + Range(), &s).Json();
  ASSERT_FALSE(reps["rows"].empty());
  for (const json& r : reps["rows"]) {
    EXPECT_EQ(r["key"].get<std::string>().rfind("team-02a-rep-", 0), 0u) << r["key"];
  }
  EXPECT_EQ(api.Get("/api/overview?team=team-02b", &s).status, 403);
  // Kiosk stories (no team) and other teams' stories are invisible.
  CentralDb db(data_dir_);
  const std::string kiosk_story =
      db.Rows("SELECT story_id FROM hero_stories WHERE team = '' LIMIT 1", 1)[0][0];
  EXPECT_EQ(api.Post("/api/stories/" + kiosk_story + "/moderate", &s, {{"state", "hidden"}})
                .status,
            404);
}

TEST_F(DashboardTest, StateChangesNeedTheCsrfToken) {
  Api api(*server_);
  Session s;
  ASSERT_EQ(api.Login("mgr_a", pw_["mgr_a"], &s).status, 200);
  CentralDb db(data_dir_);
  const std::string story = db.Rows(
      "SELECT story_id FROM hero_stories WHERE site_id = 'site-02' AND state = 'new' LIMIT 1",
      1)[0][0];
  const std::string path = "/api/stories/" + story + "/moderate";
  EXPECT_EQ(api.Post(path, &s, {{"state", "published"}}, /*csrf=*/false).status, 403);
  EXPECT_EQ(api.Post(path, &s, {{"state", "published"}}, true, "wrong-token").status, 403);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM hero_stories WHERE story_id = '" + story +
                   "' AND state = 'new'"),
            1);
  Answer ok = api.Post(path, &s, {{"state", "published"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["state"], "published");
  EXPECT_EQ(ok.Json()["moderated_by"], "mgr_a");
  // The published story is on the site's wall.
  Answer wall = api.Get("/api/stories/wall?site=site-02", &s);
  EXPECT_NE(wall.body.find(story), std::string::npos);
  // Follow-up: note, close (needs a note), close again -> 409.
  const std::string fu = db.Rows(
      "SELECT followup_id FROM follow_ups WHERE site_id = 'site-02' AND state = 'open' LIMIT 1",
      1)[0][0];
  EXPECT_EQ(api.Post("/api/followups/" + fu + "/close", &s, {{"note", "x"}}, false).status, 403);
  EXPECT_EQ(api.Post("/api/followups/" + fu + "/notes", &s, {{"text", "called, voicemail"}}).status,
            200);
  EXPECT_EQ(api.Post("/api/followups/" + fu + "/close", &s, json::object()).status, 400);
  Answer closed = api.Post("/api/followups/" + fu + "/close", &s, {{"note", "refunded"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json()["state"], "closed");
  EXPECT_EQ(closed.Json()["notes"].size(), 1u);
  EXPECT_EQ(api.Post("/api/followups/" + fu + "/close", &s, {{"note", "again"}}).status, 409);
  // Logout needs CSRF too, then the session is gone.
  EXPECT_EQ(api.Post("/api/logout", &s, json::object(), false).status, 403);
  EXPECT_EQ(api.Post("/api/logout", &s, json::object()).status, 200);
  EXPECT_EQ(api.Get("/api/me", &s).status, 401);
}

TEST_F(DashboardTest, CookieFlagsAndSecurityHeaders) {
  Api api(*server_);
  Answer login = api.Login("regional", pw_["regional"]);
  ASSERT_EQ(login.status, 200);
  std::string cookie;
  for (const auto& [k, v] : login.headers) {
    if (k == "Set-Cookie") cookie = v;
  }
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain-HTTP loopback test mode only
  auto header = [&](const Answer& a, const std::string& name) {
    auto it = a.headers.find(name);
    return it == a.headers.end() ? std::string() : it->second;
  };
  Answer page = api.Get("/dashboard/", nullptr);
  EXPECT_NE(header(page, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_NE(header(page, "Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(header(page, "Content-Security-Policy").find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(header(page, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(page, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(header(login, "X-Content-Type-Options"), "nosniff");
  // Only the hash of the session token is stored.
  const std::string token = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  CentralDb db(data_dir_);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM sessions WHERE token_hash = '" + token + "'"), 0);
}

TEST_F(DashboardTest, LoginIsRateLimitedPerUserAndAddress) {
  Api api(*server_);
  const std::string pw = AddUser(
      data_dir_, {"--username", "victim", "--role", "site_manager", "--site", "site-04"});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(api.Login("victim", "wrong password").status, 401);
  Answer locked = api.Login("victim", pw);  // even the right password
  EXPECT_EQ(locked.status, 429);
  EXPECT_FALSE(locked.headers.find("Retry-After") == locked.headers.end());
  // Other users are not locked out; unknown users answer like wrong passwords.
  EXPECT_EQ(api.Login("regional", pw_["regional"]).status, 200);
  EXPECT_EQ(api.Login("nobody", "whatever").status, 401);
  // A disabled user cannot log in and loses sessions.
  Session s;
  ASSERT_EQ(api.Login("lead_a", pw_["lead_a"], &s).status, 200);
  CliResult disabled = RunCli({"user", "disable", "--data-dir", data_dir_, "--username", "lead_a"});
  EXPECT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_EQ(api.Get("/api/me", &s).status, 401);
  EXPECT_EQ(api.Login("lead_a", pw_["lead_a"]).status, 401);
  CentralDb db(data_dir_);
  db.Int("SELECT 1");
  // Re-enable for the other tests of this suite (order is not guaranteed).
  Session admin;
  ASSERT_EQ(api.Login("admin", admin_pw_, &admin).status, 200);
  EXPECT_EQ(api.Post("/api/users/lead_a/enable", &admin, json::object()).status, 200);
}

TEST_F(DashboardTest, StaticFilesWithMimeTypesAndNoTraversal) {
  httplib::Client c = server_->Client();
  auto get = [&](const std::string& p) { return c.Get(p.c_str()); };
  auto idx = get("/dashboard/");
  ASSERT_TRUE(idx);
  EXPECT_EQ(idx->status, 200);
  EXPECT_EQ(idx->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(get("/dashboard/js/app.js")->get_header_value("Content-Type"),
            "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/dashboard/style.css")->get_header_value("Content-Type"),
            "text/css; charset=utf-8");
  EXPECT_EQ(get("/dashboard/logo.svg")->get_header_value("Content-Type"), "image/svg+xml");
  EXPECT_EQ(get("/")->status, 302);
  for (const char* bad :
       {"/dashboard/../secret.txt", "/dashboard/..%2fsecret.txt", "/dashboard/%2e%2e/secret.txt",
        "/dashboard/js/../../secret.txt", "/dashboard//etc/passwd", "/dashboard/.hidden",
        "/dashboard/..\\secret.txt", "/dashboard/missing.js", "/dashboard/../central/central.db"}) {
    auto r = get(bad);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 404) << bad;
    EXPECT_EQ(r->body.find("secret"), std::string::npos) << bad;
  }
}

// Alerts through the real ingest path: a separate central with a kiosk device.
TEST(DashboardAlertTest, DetractorWithContactSendsOneMailAndOneWebhook) {
  CentralFixture f;
  ASSERT_TRUE(f.Setup());
  // Sinks.
  const std::string out_dir = f.tmp.path() + "/sink";
  std::filesystem::create_directories(out_dir);
  int pipe_fd[2];
  ASSERT_EQ(pipe(pipe_fd), 0);
  std::vector<std::string> args = {"/usr/bin/python3", std::string(FEEDBACK_TEST_SOURCE_DIR) +
                                                           "/alert_sinks.py",
                                   out_dir};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipe_fd[1], 1);
  posix_spawn_file_actions_addclose(&fa, pipe_fd[0]);
  pid_t sink_pid = -1;
  std::vector<char*> argv = Argv(args);
  ASSERT_EQ(posix_spawn(&sink_pid, argv[0], &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  close(pipe_fd[1]);
  struct Killer {
    pid_t pid;
    ~Killer() {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  } killer{sink_pid};
  std::string line;
  char ch = 0;
  while (read(pipe_fd[0], &ch, 1) == 1 && ch != '\n') line += ch;
  close(pipe_fd[0]);
  int smtp_port = 0, http_port = 0;
  ASSERT_EQ(std::sscanf(line.c_str(), "smtp %d http %d", &smtp_port, &http_port), 2) << line;

  // A site manager with an e-mail owns store-1's follow-ups; rules point at the sinks.
  AddUser(f.data_dir, {"--username", "owner", "--role", "site_manager", "--site", "store-1",
                       "--email", "owner@example.com"});
  Api api(f.server);
  CliResult init_out;  // the fixture's admin password is in its init output; make our own admin
  const std::string admin_pw =
      AddUser(f.data_dir, {"--username", "root", "--role", "admin"});
  Session admin;
  ASSERT_EQ(api.Login("root", admin_pw, &admin).status, 200);
  Answer rules = api.Post("/api/alert-rules", &admin,
                          {{"smtp_url", "smtp://127.0.0.1:" + std::to_string(smtp_port)},
                           {"webhook_url", "http://127.0.0.1:" + std::to_string(http_port) + "/hook"},
                           {"dashboard_url", "https://central.example:8443"},
                           {"words", {"lawyer"}}});
  ASSERT_EQ(rules.status, 200) << rules.body;

  // The real sync path: an enrolled kiosk posts a signed, sealed batch.
  std::unique_ptr<TestDevice> dev = f.NewDevice();
  ASSERT_TRUE(dev);
  const std::string comment = "waited 20 minutes, nobody helped";
  FeedbackRecord detractor = KioskRecord(*dev, 2, 1);
  detractor.answers.push_back({"comment", std::nullopt, {}, comment});
  detractor.contact = Contact{"Sam Doe", "555-0100", "sam@example.com"};
  FeedbackRecord happy = KioskRecord(*dev, 10);
  happy.contact = Contact{"Pat", "", "pat@example.com"};  // promoter: no follow-up
  httplib::Client c = f.server.Client();
  ASSERT_EQ(PostBatch(c, BatchOf(*dev, {detractor, happy})).status, 200);

  // Wait (generous deadline: the dispatcher polls every second) until the
  // store says every queued alert was sent. Then "nothing more arrives" is a
  // fact of the queue - two alerts, each sent on its first attempt, none
  // pending - not a guess from a quiet interval.
  const std::string mail = out_dir + "/mail-1.eml";
  const std::string hook = out_dir + "/webhook-1.json";
  CentralDb db(f.data_dir);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline &&
         !(db.Int("SELECT COUNT(*) FROM alerts") > 0 &&
           db.Int("SELECT COUNT(*) FROM alerts WHERE state <> 'sent'") == 0)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM alerts WHERE state <> 'sent'"), 0) << f.server.Log();
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM alerts"), 2);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM alerts WHERE attempts = 1 AND kind = 'email'"), 1);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM alerts WHERE attempts = 1 AND kind = 'webhook'"), 1);
  ASSERT_TRUE(std::filesystem::exists(mail)) << f.server.Log();
  ASSERT_TRUE(std::filesystem::exists(hook)) << f.server.Log();
  EXPECT_FALSE(std::filesystem::exists(out_dir + "/mail-2.eml"));
  EXPECT_FALSE(std::filesystem::exists(out_dir + "/webhook-2.json"));

  auto fu = db.Rows("SELECT followup_id, owner, reason, due_at - created_at FROM follow_ups", 4);
  ASSERT_EQ(fu.size(), 1u);
  EXPECT_EQ(fu[0][1], "owner");
  EXPECT_EQ(fu[0][2], "nps 2");
  EXPECT_EQ(fu[0][3], std::to_string(48LL * 3600 * 1000));
  const std::string text = ReadAll(mail);
  const std::string subject = text.substr(text.find("Subject: "), text.find("\r\n", text.find("Subject: ")) - text.find("Subject: "));
  EXPECT_NE(subject.find("Follow-up needed"), std::string::npos) << subject;
  EXPECT_EQ(subject.find("waited"), std::string::npos) << subject;
  EXPECT_EQ(text.find(comment), std::string::npos);      // not in the body either
  EXPECT_EQ(text.find("Sam Doe"), std::string::npos);    // nor the contact
  EXPECT_NE(text.find("https://central.example:8443/dashboard/#/followups/" + fu[0][0]),
            std::string::npos)
      << text;
  EXPECT_NE(ReadAll(out_dir + "/mail-1.env").find("owner@example.com"), std::string::npos);
  const json w = json::parse(ReadAll(hook));
  EXPECT_EQ(w["event"], "followup.opened");
  EXPECT_EQ(w["followup_id"], fu[0][0]);
  EXPECT_EQ(w["url"], "https://central.example:8443/dashboard/#/followups/" + fu[0][0]);
  EXPECT_EQ(ReadAll(hook).find("waited"), std::string::npos);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM alerts WHERE state = 'sent'"), 2);

  // The word list adds to the reason (the kiosk survey offers contact to NPS <= 6 only).
  FeedbackRecord passive = KioskRecord(*dev, 6);
  passive.answers.push_back({"comment", std::nullopt, {}, "My LAWYER will call"});
  passive.contact = Contact{"Lee", "555", ""};
  ASSERT_EQ(PostBatch(c, BatchOf(*dev, {passive})).status, 200);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM follow_ups WHERE reason = 'nps 6, word ''lawyer'''"), 1);
}

}  // namespace
}  // namespace feedback::central::testing
