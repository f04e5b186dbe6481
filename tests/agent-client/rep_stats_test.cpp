// The rep's history and trend figures, and the sync status line.
#include "logic/rep_stats.h"

#include <gtest/gtest.h>

#include <ostream>

#include "agent_test_util.h"

namespace feedback::agent {
namespace {

constexpr TimeMs kNow = 1'700'000'000'000;

FeedbackRecord Log(TimeMs days_ago, int greeting, const std::string& resolution, int effort,
                   const std::string& id = "") {
  FeedbackRecord r;
  r.id = id.empty() ? "r" + std::to_string(days_ago) + "-" + std::to_string(greeting) : id;
  r.survey_id = "call_log";
  r.survey_version = 1;
  r.channel = Channel::kCall;
  r.staff_id = "A1";
  r.submitted_at = kNow - days_ago * kDayMs - 1000;
  r.answers.push_back(Answer{"greeting", greeting, {}, ""});
  r.answers.push_back(Answer{"resolution", std::nullopt, {resolution}, ""});
  r.answers.push_back(Answer{"effort", effort, {}, ""});
  return r;
}

const SurveyDefinition& Def() {
  static const auto survey = testing::CallLogSurvey();
  return survey->definition;
}

struct TrendCase {
  std::string name;
  std::vector<FeedbackRecord> records;
  int64_t min_n;
  int64_t logs7, logs30;
  // expected figure texts, 7 then 30 days: greeting, resolved %, effort
  std::vector<std::string> week, month;
  std::vector<int64_t> week_n, month_n;
};
void PrintTo(const TrendCase& c, std::ostream* os) { *os << c.name; }

std::vector<FeedbackRecord> Repeat(int n, TimeMs days_ago, int greeting, const std::string& res,
                                   int effort) {
  std::vector<FeedbackRecord> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(Log(days_ago, greeting, res, effort,
                      "x" + std::to_string(days_ago) + "-" + std::to_string(i) + res));
  }
  return out;
}

std::vector<FeedbackRecord> Concat(std::vector<std::vector<FeedbackRecord>> parts) {
  std::vector<FeedbackRecord> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

class TrendTest : public ::testing::TestWithParam<TrendCase> {};

TEST_P(TrendTest, Figures) {
  const TrendCase& c = GetParam();
  RepTrend t = ComputeRepTrend(c.records, Def(), "en", kNow, c.min_n);
  EXPECT_EQ(t.logs7, c.logs7);
  EXPECT_EQ(t.logs30, c.logs30);
  ASSERT_EQ(t.figures.size(), 3u);
  EXPECT_EQ(t.figures[0].caption, "Greeting warmth");
  EXPECT_EQ(t.figures[0].scale, "1-5");
  EXPECT_EQ(t.figures[1].caption, "Resolved");
  EXPECT_EQ(t.figures[1].unit, FigureUnit::kPercent);
  EXPECT_EQ(t.figures[2].caption, "Customer effort");
  EXPECT_EQ(t.figures[2].scale, "1-7");
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(FigureText(t.figures[i].last7, t.figures[i].unit, "en"), c.week[i]) << i;
    EXPECT_EQ(FigureText(t.figures[i].last30, t.figures[i].unit, "en"), c.month[i]) << i;
    EXPECT_EQ(t.figures[i].last7.n(), c.week_n[i]) << i;
    EXPECT_EQ(t.figures[i].last30.n(), c.month_n[i]) << i;
  }
}

const TrendCase kTrends[] = {
    {"NoLogs",
     {},
     10,
     0,
     0,
     {"not enough", "not enough", "not enough"},
     {"not enough", "not enough", "not enough"},
     {0, 0, 0},
     {0, 0, 0}},
    {"BelowMinimumIsNeverANumber",
     Repeat(3, 1, 5, "resolved", 7),
     10,
     3,
     3,
     {"not enough", "not enough", "not enough"},
     {"not enough", "not enough", "not enough"},
     {3, 3, 3},
     {3, 3, 3}},
    {"WeekAndMonthDiffer",
     Concat({Repeat(8, 2, 4, "resolved", 6), Repeat(2, 3, 2, "escalated", 3),
             Repeat(10, 20, 5, "resolved", 7), Repeat(5, 40, 1, "not_resolved", 1)}),
     10,
     10,
     20,
     // week: greeting (8*4+2*2)/10 = 3.6, resolved 8/10, effort (48+6)/10 = 5.4
     {"3.6", "80%", "5.4"},
     // month: greeting (32+4+50)/20 = 4.3, resolved 18/20, effort (48+6+70)/20 = 6.2
     {"4.3", "90%", "6.2"},
     {10, 10, 10},
     {20, 20, 20}},
    {"MinimumOfOneShowsEveryFigure",
     Repeat(1, 0, 3, "partly_resolved", 2),
     1,
     1,
     1,
     {"3.0", "0%", "2.0"},
     {"3.0", "0%", "2.0"},
     {1, 1, 1},
     {1, 1, 1}},
    {"FutureAndOtherSurveysIgnored",
     [] {
       std::vector<FeedbackRecord> v = Repeat(2, 1, 5, "resolved", 7);
       v.push_back(Log(-1, 1, "not_resolved", 1, "future"));
       FeedbackRecord other = Log(1, 1, "not_resolved", 1, "kiosk");
       other.survey_id = "retail_kiosk";
       v.push_back(other);
       return v;
     }(),
     1,
     2,
     2,
     {"5.0", "100%", "7.0"},
     {"5.0", "100%", "7.0"},
     {2, 2, 2},
     {2, 2, 2}},
};

INSTANTIATE_TEST_SUITE_P(Rep, TrendTest, ::testing::ValuesIn(kTrends),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(HistoryTest, NewestEntriesWithLabelsAndSessionNotes) {
  std::vector<FeedbackRecord> records = {Log(0, 4, "escalated", 3, "new"),
                                         Log(1, 2, "resolved", 6, "old"),
                                         Log(2, 5, "resolved", 7, "older")};
  const std::vector<SessionNote> notes = {{"new", "C-9", true}};
  std::vector<HistoryEntry> h = MakeHistory(records, Def(), "en", 2, notes);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].record_id, "new");
  EXPECT_EQ(h[0].call_ref, "C-9");
  EXPECT_TRUE(h[0].praised);
  ASSERT_EQ(h[0].parts.size(), 3u);
  EXPECT_EQ(h[0].parts[0], (HistoryPart{"Greeting warmth", "4/5", true}));
  EXPECT_EQ(h[0].parts[1], (HistoryPart{"Resolution", "Escalated", false}));
  EXPECT_EQ(h[0].parts[2], (HistoryPart{"Customer effort", "3/7", true}));
  // Every number says what it is and out of how much.
  EXPECT_EQ(HistoryLine(h[0]), "C-9  ·  Greeting warmth 4/5  ·  Escalated  ·  Customer effort 3/7");
  EXPECT_EQ(h[1].call_ref, "");  // an earlier session's reference stays sealed
  EXPECT_FALSE(h[1].praised);
  EXPECT_EQ(HistoryLine(h[1]), "Greeting warmth 2/5  ·  Resolved  ·  Customer effort 6/7");
  std::vector<HistoryEntry> es = MakeHistory(records, Def(), "es", 1, {});
  EXPECT_EQ(es[0].parts[1].value, "Escalado");
  EXPECT_EQ(HistoryLine(es[0]), "Calidez del saludo 4/5  ·  Escalado  ·  Esfuerzo del cliente 3/7");
}

struct SyncCase {
  std::string name;
  SyncStatus status;
  SyncHealth health;
  std::string line;
};
void PrintTo(const SyncCase& c, std::ostream* os) { *os << c.name; }

class SyncTest : public ::testing::TestWithParam<SyncCase> {};
TEST_P(SyncTest, ClassifiesAndDescribes) {
  const SyncCase& c = GetParam();
  EXPECT_EQ(ClassifySync(c.status, kNow), c.health);
  EXPECT_EQ(DescribeSync(c.status, kNow, "en"), c.line);
}
const SyncCase kSync[] = {
    {"NeverSynced",
     {0, std::nullopt, std::nullopt, ""},
     SyncHealth::kWaiting,
     "all synced  ·  not synced yet"},
    {"Healthy",
     {0, std::nullopt, kNow - 5 * 60'000, ""},
     SyncHealth::kHealthy,
     "all synced  ·  last sync 5 min ago"},
    {"BacklogWaiting",
     {3, kNow - 60'000, kNow - 30'000, ""},
     SyncHealth::kWaiting,
     "3 waiting to sync  ·  last sync just now"},
    {"StaleBacklogIsAProblem",
     {7, kNow - 2 * 3600'000, kNow - 3 * 3600'000, ""},
     SyncHealth::kProblem,
     "7 waiting to sync  ·  last sync 3 h ago"},
    {"DaemonError",
     {1, kNow - 1000, kNow - 2 * kDayMs, "central answered 503"},
     SyncHealth::kProblem,
     "1 waiting to sync  ·  last sync 2 days ago"},
};
INSTANTIATE_TEST_SUITE_P(Status, SyncTest, ::testing::ValuesIn(kSync),
                         [](const auto& test_info) { return test_info.param.name; });

}  // namespace
}  // namespace feedback::agent
