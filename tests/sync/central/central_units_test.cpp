// Pure functions of feedback-central: listen addresses, durations, passwords,
// the staff CSV parser, and the rollup contributions of one record.
#include <gtest/gtest.h>

#include <map>

#include "model/survey.h"
#include "sync/central/cli/central_commands.h"
#include "sync/central/http/central_server.h"
#include "sync/central/dashboard/dashboard_api.h"
#include "sync/central/ingest/ingestor.h"
#include "sync/central/dashboard/password_hash.h"
#include "sync/central/store/rollup_delta.h"
#include "sync/central/cli/staff_csv.h"

namespace feedback::central {
namespace {

TEST(CentralUnitsTest, ListenAddresses) {
  EXPECT_EQ(ParseListenAddress("127.0.0.1:8443").value(),
            std::make_pair(std::string("127.0.0.1"), 8443));
  EXPECT_EQ(ParseListenAddress("[::1]:0").value(), std::make_pair(std::string("::1"), 0));
  EXPECT_FALSE(ParseListenAddress("127.0.0.1").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:99999").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:8x").ok());
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
}

TEST(CentralUnitsTest, Durations) {
  EXPECT_EQ(ParseDurationMs("24h"), 24LL * 3600 * 1000);
  EXPECT_EQ(ParseDurationMs("30m"), 30LL * 60 * 1000);
  EXPECT_EQ(ParseDurationMs("90"), 90'000);
  EXPECT_EQ(ParseDurationMs("2d"), 2LL * 86'400'000);
  EXPECT_EQ(ParseDurationMs("h"), -1);
  EXPECT_EQ(ParseDurationMs("1y"), -1);
}

TEST(CentralUnitsTest, PasswordHashes) {
  const std::string hash = HashPassword("correct horse").value();
  EXPECT_TRUE(VerifyPassword("correct horse", hash).value());
  EXPECT_FALSE(VerifyPassword("correct horsE", hash).value());
  EXPECT_NE(HashPassword("correct horse").value(), hash);  // salted
  EXPECT_FALSE(VerifyPassword("x", "md5$abc").ok());
  EXPECT_FALSE(VerifyPassword("x", "scrypt$40$8$1$AAAA$AAAA").ok());
  const std::string p = GeneratePassword().value();
  EXPECT_EQ(p.size(), 20u);
  EXPECT_NE(p, GeneratePassword().value());
}

TEST(CentralUnitsTest, StaffCsv) {
  auto rows =
      ParseStaffCsv("site,staff_id,display_name,team\nA,s1,\"X, Y\",t\n\nA,s2,Z,\n", "f", "");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].display_name, "X, Y");
  EXPECT_EQ((*rows)[1].site_id, "A");
  EXPECT_NE(ParseStaffCsv("staff_id,display_name\ns1,X\n", "f", "")
                .status()
                .message()
                .find("no 'site' column"),
            std::string::npos);
  EXPECT_NE(ParseStaffCsv("staff_id,display_name,site\ns1,X\n", "f", "")
                .status()
                .message()
                .find("line 2"),
            std::string::npos);
  EXPECT_NE(ParseStaffCsv("staff_id,name\n", "f", "").status().message().find("unknown column"),
            std::string::npos);
  EXPECT_NE(ParseStaffCsv("staff_id,display_name,site\ns1,\"X,S\n", "f", "")
                .status()
                .message()
                .find("never closed"),
            std::string::npos);
  EXPECT_NE(ParseStaffCsv("staff_id,display_name,site\ns1,X,A\ns1,Y,A\n", "f", "")
                .status()
                .message()
                .find("appears twice"),
            std::string::npos);
}

TEST(CentralUnitsTest, ContributionsOfOneRecord) {
  Result<SurveyDefinition> def =
      LoadSurveyDefinition(std::string(FEEDBACK_ASSETS_DIR) + "/surveys/retail_kiosk.json");
  ASSERT_TRUE(def.ok());
  FeedbackRecord r;
  r.answers = {{"nps", 4, {}, ""}, {"greeting", 2, {}, ""}, {"comment", std::nullopt, {}, "slow"}};
  r.contact = Contact{"", "555", ""};
  r.hero = Hero{"", "Bo", "kind"};
  PreparedRecord p;
  AddContributions(*def, r, p);
  ASSERT_EQ(p.scores.size(), 2u);
  EXPECT_EQ(p.scores[0].question_type, "nps");
  EXPECT_EQ(p.scores[1].question_type, "rating");
  ASSERT_TRUE(p.drivers.has_value());
  EXPECT_EQ(p.drivers->variables.back(), "nps");
  EXPECT_EQ(p.drivers->values.size(), 6u);
  ASSERT_TRUE(p.follow_up.has_value());
  EXPECT_EQ(p.follow_up->reason, "nps 4");
  EXPECT_EQ(p.follow_up->comment, "slow");
  ASSERT_TRUE(p.hero.has_value());
  EXPECT_EQ(p.hero->story, "kind");

  // Listwise deletion: the row has missing drivers, so it only counts as dropped.
  RollupDelta delta;
  p.day = 7;
  p.channel = "kiosk";
  p.status = "complete";
  delta.Add(p, "s", "");
  ASSERT_EQ(delta.groups().size(), 1u);
  const RollupGroup& g = delta.groups().begin()->second;
  ASSERT_EQ(g.drivers.size(), 1u);
  EXPECT_EQ(g.drivers.begin()->second.n, 0);
  EXPECT_EQ(g.drivers.begin()->second.rows_dropped, 1);
  EXPECT_TRUE(g.drivers.begin()->second.Sums().empty());
  EXPECT_EQ(g.scores.size(), 2u);
  // A promoter with contact opens no follow-up.
  PreparedRecord q;
  r.answers[0].number = 9;
  AddContributions(*def, r, q);
  EXPECT_FALSE(q.follow_up.has_value());
}

int64_t Day(std::string_view iso) { return ParseDay(iso).value(); }

TEST(RollupGrainTest, PeriodsOfADay) {
  // 1970-01-01 (day 0) was a Thursday: its week began on Monday 1969-12-29.
  EXPECT_EQ(PeriodStart(RollupGrain::kWeek, 0), Day("1969-12-29"));
  EXPECT_EQ(PeriodEnd(RollupGrain::kWeek, 0), Day("1970-01-04"));
  EXPECT_EQ(PeriodStart(RollupGrain::kWeek, Day("2026-11-02")), Day("2026-11-02"));  // a Monday
  EXPECT_EQ(PeriodStart(RollupGrain::kWeek, Day("2026-11-01")), Day("2026-10-26"));  // a Sunday
  EXPECT_EQ(PeriodStart(RollupGrain::kMonth, Day("2026-11-23")), Day("2026-11-01"));
  EXPECT_EQ(PeriodEnd(RollupGrain::kMonth, Day("2026-11-01")), Day("2026-11-30"));
  EXPECT_EQ(PeriodEnd(RollupGrain::kMonth, Day("2028-02-10")), Day("2028-02-29"));  // leap year
  EXPECT_EQ(PeriodEnd(RollupGrain::kMonth, Day("2026-12-31")), Day("2026-12-31"));
  EXPECT_EQ(PeriodStart(RollupGrain::kDay, 12345), 12345);
  // The week and month keys the dashboard prints agree with the grains.
  for (int64_t d = Day("2025-12-20"); d < Day("2026-03-10"); ++d) {
    EXPECT_EQ(PeriodKey(PeriodStart(RollupGrain::kWeek, d), "week"), PeriodKey(d, "week"));
    EXPECT_EQ(PeriodKey(PeriodStart(RollupGrain::kMonth, d), "month"), PeriodKey(d, "month"));
  }
}

TEST(RollupGrainTest, CoverDaysIsExactAndSmall) {
  EXPECT_TRUE(CoverDays(10, 9, RollupGrain::kMonth).empty());
  // 2026-01-01 .. 2026-12-31 at month grain: exactly the twelve months.
  EXPECT_EQ(CoverDays(Day("2026-01-01"), Day("2026-12-31"), RollupGrain::kMonth),
            (std::vector<PeriodRange>{
                {RollupGrain::kMonth, Day("2026-01-01"), Day("2026-12-01")}}));
  // A Monday-to-Sunday fortnight at week grain: two weeks.
  EXPECT_EQ(CoverDays(Day("2026-11-02"), Day("2026-11-15"), RollupGrain::kWeek),
            (std::vector<PeriodRange>{
                {RollupGrain::kWeek, Day("2026-11-02"), Day("2026-11-09")}}));
  // Every range [from, to] of a span crossing a leap day, at each grain: the
  // periods of the ranges are disjoint, inside [from, to] and cover every day
  // of it; no grain is coarser than asked; few runs and few single days.
  const int64_t base = Day("2027-12-01");
  for (RollupGrain coarsest : {RollupGrain::kDay, RollupGrain::kWeek, RollupGrain::kMonth}) {
    for (int64_t from = base; from < base + 100; from += 3) {
      for (int64_t to = from - 1; to < from + 130; to += 7) {
        std::map<int64_t, int> covered;
        std::map<RollupGrain, int> runs;
        int single_days = 0;
        for (const PeriodRange& r : CoverDays(from, to, coarsest)) {
          ASSERT_LE(static_cast<int>(r.grain), static_cast<int>(coarsest));
          ASSERT_LE(r.first, r.last);
          ++runs[r.grain];
          if (r.grain == RollupGrain::kDay) single_days += static_cast<int>(r.last - r.first + 1);
          for (int64_t p = r.first; p <= r.last; p = PeriodEnd(r.grain, p) + 1) {
            ASSERT_EQ(PeriodStart(r.grain, p), p) << "a range starts mid-period";
            if (coarsest == RollupGrain::kMonth) {
              ASSERT_EQ(PeriodStart(RollupGrain::kMonth, p),
                        PeriodStart(RollupGrain::kMonth, PeriodEnd(r.grain, p)))
                  << "a period crosses a month boundary";
            }
            for (int64_t d = p; d <= PeriodEnd(r.grain, p); ++d) ++covered[d];
          }
        }
        ASSERT_EQ(static_cast<int64_t>(covered.size()), std::max<int64_t>(0, to - from + 1))
            << "from " << from << " to " << to;
        for (const auto& [d, n] : covered) {
          ASSERT_EQ(n, 1) << "day " << d << " covered " << n << " times";
          ASSERT_TRUE(d >= from && d <= to);
        }
        EXPECT_LE(runs[RollupGrain::kMonth], 1);
        EXPECT_LE(runs[RollupGrain::kWeek], 2);
        EXPECT_LE(runs[RollupGrain::kDay], 4);
        if (coarsest != RollupGrain::kDay) {
          // Single days only where no whole week fits: under a week at each end
          // (and, with months, on both sides of the weeks before/after them).
          EXPECT_LE(single_days, coarsest == RollupGrain::kWeek ? 12 : 24);
        }
      }
    }
  }
}

TEST(RollupGrainTest, SummariesAddUpTheRepDays) {
  auto record = [](const std::string& staff, int64_t day, int nps, int greeting) {
    PreparedRecord r;
    r.channel = "kiosk";
    r.status = "complete";
    r.survey_id = "s";
    r.survey_version = 1;
    r.staff_id = staff;
    r.day = day;
    r.scores = {{"nps", "nps", nps}, {"greeting", "rating", greeting}};
    r.drivers = DriverContribution{{"greeting", "nps"}, {greeting, nps}};
    return r;
  };
  RollupDelta delta;
  const int64_t mon = Day("2026-11-02"), sun = Day("2026-11-08"), next_mon = Day("2026-11-09");
  delta.Add(record("ana", mon, 9, 5), "site-1", "t");
  delta.Add(record("ben", sun, 3, 2), "site-1", "t");
  delta.Add(record("ana", next_mon, 10, 4), "site-1", "t");
  delta.Summarize();
  auto group = [&](RollupGrain grain, const std::string& staff, int64_t period) {
    auto it = delta.groups().find({grain, "site-1", "kiosk", staff, "t", period, "s"});
    EXPECT_NE(it, delta.groups().end());
    return it == delta.groups().end() ? RollupGroup{} : it->second;
  };
  EXPECT_EQ(group(RollupGrain::kRepDay, "ana", mon).responses.at("complete"), 1);
  EXPECT_EQ(group(RollupGrain::kDay, "", sun).responses.at("complete"), 1);
  const RollupGroup week = group(RollupGrain::kWeek, "", mon);
  EXPECT_EQ(week.responses.at("complete"), 2);
  EXPECT_EQ(week.scores.at({"nps", 9}).second, 1);
  EXPECT_EQ(week.scores.at({"nps", 3}).second, 1);
  EXPECT_EQ(week.scores.at({"nps", 3}).first, "nps");
  const RollupGroup month = group(RollupGrain::kMonth, "", Day("2026-11-01"));
  EXPECT_EQ(month.responses.at("complete"), 3);
  const MomentSums& m = month.drivers.at(1);
  EXPECT_EQ(m.n, 3);
  // sum(greeting) = 11, sum(nps) = 22, sum(greeting * nps) = 45 + 6 + 40.
  std::map<std::pair<std::string, std::string>, double> sums;
  for (const auto& [a, b, total] : m.Sums()) sums[{a, b}] = total;
  EXPECT_DOUBLE_EQ((sums[{"greeting", ""}]), 11);
  EXPECT_DOUBLE_EQ((sums[{"nps", ""}]), 22);
  EXPECT_DOUBLE_EQ((sums[{"greeting", "nps"}]), 91);
  // 3 rep-day + 3 day + 2 week + 1 month groups.
  EXPECT_EQ(delta.groups().size(), 9u);
}

}  // namespace
}  // namespace feedback::central
