// A central store written by the previous release (schema v2: rollups per rep
// and day only; tests/data/central-store-v2.db.gz) opens with this one: the v3
// migration rebuilds the rep-day rollups and fills the day / week / month
// summaries, and every figure the dashboard reads from them equals the raw
// records it was built from.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <tuple>

#include "common/temp_dir.h"
#include "core/clock.h"
#include "store/sqlite.h"
#include "sync/central/dashboard/dashboard_api.h"
#include "raw_scores.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"
#include "sync/central/store/sqlite/sqlite_user_names.h"

namespace feedback::central {
namespace {

using Counts = std::map<std::tuple<std::string, std::string, int>, int64_t>;  // key, type, score

class CentralMigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (tmp_.path() / "central.db").string();
    const std::string cmd = "gzip -dc '" + std::string(FEEDBACK_TEST_DATA_DIR) +
                            "/central-store-v2.db.gz' > '" + path_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }

  int64_t Int(const std::string& sql) {
    Result<Database> db = Database::Open(path_);
    EXPECT_TRUE(db.ok());
    return db.ok() ? db->QueryInt(sql).value_or(-1) : -1;
  }

  // Raw score counts per key (a SQL expression over records r) within [from, to].
  Counts Raw(const std::string& key, int64_t from, int64_t to, const std::string& period = "") {
    Result<Database> db = Database::Open(path_);
    EXPECT_TRUE(db.ok());
    Result<Statement> s = db->Prepare(
        "SELECT " + key + ", s.question_type, s.score, COUNT(*) FROM " + kRawScores + " s JOIN records "
        "r ON r.record_id = s.record_id WHERE r.day BETWEEN ? AND ? AND s.question_type IN "
        "('nps', 'csat', 'ces') GROUP BY 1, 2, 3");
    EXPECT_TRUE(s.ok());
    s->Bind(1, from).Bind(2, to);
    Counts out;
    while (*s->Step()) {
      std::string k = s->ColumnText(0);
      if (!period.empty()) k = PeriodKey(std::stoll(k), period);
      out[{k, s->ColumnText(1), static_cast<int>(s->ColumnInt(2))}] += s->ColumnInt(3);
    }
    return out;
  }

  static Counts Api(const std::vector<ScoreCountRow>& rows, const std::string& period = "") {
    Counts out;
    for (const ScoreCountRow& r : rows) {
      const std::string k = period.empty() ? r.key : PeriodKey(std::stoll(r.key), period);
      out[{k, r.question_type, r.score}] += r.count;
    }
    return out;
  }

  testing::TempDir tmp_;
  std::string path_;
};

TEST_F(CentralMigrationTest, V2StoreGainsSummariesThatEqualRawRecords) {
  ASSERT_EQ(Int("SELECT MAX(version) FROM schema_migrations"), 2);
  const int64_t records = Int("SELECT COUNT(*) FROM records");
  const int64_t first = Int("SELECT MIN(day) FROM records");
  const int64_t last = Int("SELECT MAX(day) FROM records");
  ASSERT_GT(records, 100);
  ASSERT_GT(last - first, 60) << "the fixture should span several months";

  Result<std::unique_ptr<SqliteCentralStore>> store = SqliteCentralStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  SqliteCentralStore& s = **store;
  EXPECT_EQ(Int("SELECT MAX(version) FROM schema_migrations"), 6);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM records"), records);
  // Migration 5: each device's quarantined count from the quarantine table, no
  // device marked, every queued alert a follow-up alert.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM devices d WHERE records_quarantined != "
                "(SELECT COUNT(*) FROM quarantine q WHERE q.device_id = d.device_id)"),
            0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM devices WHERE possible_clone_at IS NOT NULL"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM alerts WHERE event != 'followup.opened' OR device_id != ''"),
            0);
  // Every grain of the summaries holds every response once.
  for (const char* grain : {"d", "w", "m"}) {
    EXPECT_EQ(Int(std::string("SELECT SUM(count) FROM summary_responses WHERE grain = '") + grain +
                  "'"),
              records)
        << grain;
  }

  const int64_t oct1 = *ParseDay("2026-10-01"), oct31 = *ParseDay("2026-10-31");
  const std::vector<std::pair<int64_t, int64_t>> ranges = {
      {first, last}, {oct1, oct31}, {first + 3, last - 5}, {oct1 - 2, oct31 + 9}};
  for (const auto& [from, to] : ranges) {
    SCOPED_TRACE(FormatDay(from) + " .. " + FormatDay(to));
    DashboardFilter f;
    f.from_day = from;
    f.to_day = to;
    Result<std::vector<ScoreCountRow>> all = s.QueryScoreCounts(f, GroupBy::kNone);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(Api(*all), Raw("''", from, to));
    Result<std::vector<ScoreCountRow>> sites = s.QueryScoreCounts(f, GroupBy::kSite);
    ASSERT_TRUE(sites.ok());
    EXPECT_EQ(Api(*sites), Raw("r.site_id", from, to));
    for (const auto& [group, period] : std::vector<std::pair<GroupBy, std::string>>{
             {GroupBy::kDay, "day"}, {GroupBy::kWeek, "week"}, {GroupBy::kMonth, "month"}}) {
      Result<std::vector<ScoreCountRow>> by = s.QueryScoreCounts(f, group);
      ASSERT_TRUE(by.ok());
      EXPECT_EQ(Api(*by, period), Raw("r.day", from, to, period)) << period;
    }
    // Reps come from the rebuilt rep-day rollups.
    Result<std::vector<ScoreCountRow>> reps = s.QueryScoreCounts(f, GroupBy::kStaff);
    ASSERT_TRUE(reps.ok());
    EXPECT_EQ(Api(*reps), Raw("r.staff_id", from, to));
    // Driver rows: every kiosk record with all five drivers and the outcome.
    std::vector<DriverRowsSum> rows;
    std::vector<DriverSumRow> sums;
    ASSERT_TRUE(s.QueryDriverMoments(f, &rows, &sums).ok());
    int64_t kiosk_rows = 0;
    for (const DriverRowsSum& r : rows) {
      if (r.survey_id == "retail_kiosk_seed") kiosk_rows += r.n;
    }
    EXPECT_EQ(kiosk_rows,
              Int("SELECT COUNT(*) FROM records r WHERE r.survey_id = 'retail_kiosk_seed' AND "
                  "r.day BETWEEN " +
                  std::to_string(from) + " AND " + std::to_string(to) +
                  " AND (SELECT COUNT(*) FROM " + std::string(kRawScores) +
                  " s WHERE s.record_id = r.record_id AND "
                  "s.question_id IN ('greeting', 'speed', 'cleanliness', 'availability', "
                  "'knowledge', 'nps')) = 6"));
  }
}

// Migration 4's tallies start equal to the rows and follow every change.
TEST_F(CentralMigrationTest, TalliesFollowEveryChange) {
  Result<std::unique_ptr<SqliteCentralStore>> store = SqliteCentralStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto same = [&](const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(Int("SELECT COUNT(*) FROM (SELECT site_id, team, state, COALESCE(due_at / 86400000, "
                  "-1) AS d, COUNT(*) AS n FROM follow_ups GROUP BY 1, 2, 3, 4 EXCEPT SELECT "
                  "site_id, team, state, due_day, count FROM followup_tally WHERE count > 0)"),
              0);
    EXPECT_EQ(Int("SELECT SUM(count) FROM followup_tally"), Int("SELECT COUNT(*) FROM follow_ups"));
    EXPECT_EQ(Int("SELECT COUNT(*) FROM (SELECT site_id, team, channel, staff_id, state, COUNT(*) "
                  "FROM hero_stories GROUP BY 1, 2, 3, 4, 5 EXCEPT SELECT site_id, team, channel, "
                  "staff_id, state, count FROM story_tally WHERE count > 0)"),
              0);
    EXPECT_EQ(Int("SELECT SUM(count) FROM story_tally"), Int("SELECT COUNT(*) FROM hero_stories"));
  };
  ASSERT_GT(Int("SELECT COUNT(*) FROM follow_ups"), 2);
  ASSERT_GT(Int("SELECT COUNT(*) FROM hero_stories"), 1);
  same("after the migration");
  Result<Database> db = Database::Open(path_);
  ASSERT_TRUE(db.ok());
  auto first_id = [&](const std::string& sql) {
    Result<Statement> q = db->Prepare(sql);
    EXPECT_TRUE(q.ok() && *q->Step());
    return q->ColumnText(0);
  };
  const TimeMs now = SystemClock::Instance().NowMs();
  const std::string fu = first_id("SELECT followup_id FROM follow_ups ORDER BY 1 LIMIT 1");
  ASSERT_TRUE((*store)->AssignFollowUp(fu, std::nullopt, now - 3 * 86'400'000).ok());
  same("after a new due time");
  ASSERT_TRUE((*store)->CloseFollowUp(fu, "admin", "called back", now).ok());
  same("after closing");
  const std::string story = first_id("SELECT story_id FROM hero_stories ORDER BY 1 LIMIT 1");
  ASSERT_TRUE((*store)->ModerateStory(story, "published", "admin", now).ok());
  same("after publishing a story");
  // The counts the overview shows come from the tallies and equal the rows.
  DashboardFilter all;
  all.use_days = false;
  Result<FollowUpPage> page = (*store)->ListFollowUps(all, "open", false, now, 0, 0);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->count_open, Int("SELECT COUNT(*) FROM follow_ups WHERE state = 'open'"));
  EXPECT_EQ(page->count_closed, 1);
  EXPECT_EQ(page->count_overdue, Int("SELECT COUNT(*) FROM follow_ups WHERE state = 'open' AND "
                                     "due_at < " + std::to_string(now)));
  Result<StoryPage> stories = (*store)->ListStories(all, "new", 0, 0);
  ASSERT_TRUE(stories.ok());
  EXPECT_EQ(stories->count_new, Int("SELECT COUNT(*) FROM hero_stories WHERE state = 'new'"));
  EXPECT_EQ(stories->count_published, 1);
}


// Migration 6: user names ignore case. A v2 store whose names are already
// unique in any case upgrades and finds its users in any case; one holding
// "SM1" and "sm1" is refused, unchanged, with both names and the fix, until
// one is renamed (RenameUser, `feedback-central user rename`).
class CentralUserNameMigrationTest : public CentralMigrationTest {
 protected:
  void AddUser(const std::string& name, const std::string& site) {
    Result<Database> db = Database::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Prepare("INSERT INTO users(username, password_hash, role, created_at) VALUES "
                            "(?, 'scrypt$15$8$1$AAAA$AAAA', 'site_manager', 1)")
                    ->Bind(1, name)
                    .Run()
                    .ok());
    ASSERT_TRUE(db->Prepare("INSERT INTO user_sites(username, site_id) VALUES (?, ?)")
                    ->Bind(1, name)
                    .Bind(2, site)
                    .Run()
                    .ok());
  }
};

TEST_F(CentralUserNameMigrationTest, UniqueNamesUpgradeAndMatchInAnyCase) {
  AddUser("Ana.Lopez", "site-01");
  AddUser("bo", "site-02");
  Result<std::unique_ptr<SqliteCentralStore>> store = SqliteCentralStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Int("SELECT MAX(version) FROM schema_migrations"), 6);
  Result<User> ana = (*store)->GetUser("ana.lopez");
  ASSERT_TRUE(ana.ok()) << ana.status().ToString();
  EXPECT_EQ(ana->username, "Ana.Lopez");
  EXPECT_EQ(ana->site_ids, std::vector<std::string>{"site-01"});
  EXPECT_EQ((*store)->GetUser("BO")->username, "bo");
  User dup;
  dup.username = "ANA.LOPEZ";
  dup.password_hash = "x";
  dup.role = UserRole::kAdmin;
  EXPECT_EQ((*store)->CreateUser(dup).code(), Status::Code::kAlreadyExists);
  dup.username = "new.user";
  dup.role = UserRole::kSiteManager;
  dup.site_ids = {"no-such-site"};
  Status unknown_site = (*store)->CreateUser(dup);
  EXPECT_EQ(unknown_site.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(unknown_site.message().find("site 'no-such-site' does not exist"), std::string::npos);
}

TEST_F(CentralUserNameMigrationTest, CaseDuplicatesAreRefusedUntilOneIsRenamed) {
  AddUser("SM1", "site-01");
  AddUser("sm1", "site-02");
  AddUser("Bo", "site-01");
  AddUser("BO", "site-02");
  Result<std::unique_ptr<SqliteCentralStore>> refused = SqliteCentralStore::Open(path_);
  ASSERT_FALSE(refused.ok());
  const std::string why = refused.status().message();
  EXPECT_NE(why.find("'SM1' and 'sm1'"), std::string::npos) << why;
  EXPECT_NE(why.find("'BO' and 'Bo'"), std::string::npos) << why;
  EXPECT_NE(why.find("feedback-central user rename"), std::string::npos) << why;
  EXPECT_EQ(Int("SELECT MAX(version) FROM schema_migrations"), 2);  // nothing changed

  Result<Database> db = Database::Open(path_);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(RenameUser(*db, "sm2", "x").code(), Status::Code::kNotFound);
  EXPECT_EQ(RenameUser(*db, "SM1", "Sm1").code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(RenameUser(*db, "SM1", "bad name").code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(RenameUser(*db, "SM1", "sm1-north").ok());
  EXPECT_FALSE(SqliteCentralStore::Open(path_).ok());  // Bo / BO still clash
  ASSERT_TRUE(RenameUser(*db, "BO", "bo-2").ok());
  Result<std::unique_ptr<SqliteCentralStore>> store = SqliteCentralStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Int("SELECT MAX(version) FROM schema_migrations"), 6);
  EXPECT_EQ((*store)->GetUser("SM1-NORTH")->site_ids, std::vector<std::string>{"site-01"});
  EXPECT_EQ((*store)->GetUser("SM1")->site_ids, std::vector<std::string>{"site-02"});
  EXPECT_EQ((*store)->GetUser("sm1")->username, "sm1");
}

}  // namespace
}  // namespace feedback::central
