// The integrity rules of ingest (sync/central/ingest_rules.h) on plain values,
// table-driven: which staff id a device may credit, which record times are
// plausible, how far a batch seq may jump. The same rules through a real
// server: central_integrity_test.cpp.
#include "sync/central/ingest/ingest_rules.h"

#include <gtest/gtest.h>

#include <limits>

namespace feedback::central {
namespace {

Device MakeDevice(const std::string& kind, const std::string& team) {
  Device d;
  d.device_id = kind + "-0000000000000001";
  d.site_id = "store-1";
  d.kind = kind;
  d.team = team;
  d.enrolled_at = 1'700'000'000'000;
  return d;
}

TEST(IngestRulesTest, StaffMustBeOnTheSiteRosterAndTheAgentsTeam) {
  const StaffRow ana{"ana", "Ana", "team-a", "store-1"};
  const StaffRow ben{"ben", "Ben", "team-b", "store-1"};
  const StaffRow cy{"cy", "Cy", "", "store-1"};
  const StaffRow dee{"dee", "Dee", "team-a", "store-2"};
  struct Case {
    Device device;
    std::string staff_id;
    std::optional<StaffRow> entry;
    std::string want;  // empty: allowed; else a part of the reason
  };
  const Device kiosk = MakeDevice("kiosk", "");
  const Device agent_a = MakeDevice("agent", "team-a");
  const Device agent_no_team = MakeDevice("agent", "");
  const std::vector<Case> cases = {
      {kiosk, "", std::nullopt, ""},
      {kiosk, "ana", ana, ""},
      {kiosk, "ben", ben, ""},
      {kiosk, "cy", cy, ""},
      {kiosk, "dee", dee, "is on the roster of site 'store-2', not of the device's site 'store-1'"},
      {kiosk, "ghost", std::nullopt, "staff_id 'ghost' is on no roster"},
      {agent_a, "", std::nullopt, ""},
      {agent_a, "ana", ana, ""},
      {agent_a, "ben", ben, "is in team 'team-b' at site 'store-1', not in the agent desktop's "
                            "team 'team-a'"},
      {agent_a, "cy", cy, "is in no team at site 'store-1'"},
      {agent_a, "dee", dee, "roster of site 'store-2'"},
      {agent_no_team, "ben", ben, ""},
      {agent_no_team, "dee", dee, "roster of site 'store-2'"},
  };
  for (const Case& c : cases) {
    std::optional<std::string> problem = StaffProblem(c.device, c.staff_id, c.entry);
    if (c.want.empty()) {
      EXPECT_FALSE(problem) << c.device.kind << "/" << c.device.team << " " << c.staff_id << ": "
                            << *problem;
    } else {
      ASSERT_TRUE(problem) << c.device.kind << "/" << c.device.team << " " << c.staff_id;
      EXPECT_NE(problem->find(c.want), std::string::npos) << *problem;
    }
  }
  // Ids from devices are cut short in messages.
  const std::string long_id(300, 'x');
  EXPECT_LT(StaffProblem(kiosk, long_id, std::nullopt)->size(), 200u);
}

TEST(IngestRulesTest, RecordTimesLieBetweenEnrollmentAndTomorrow) {
  const Device d = MakeDevice("kiosk", "");
  const IngestRules rules;  // 1 h before enrollment, 24 h after now
  const TimeMs hour = 3'600'000;
  const TimeMs now = d.enrolled_at + 10 * hour;
  struct Case {
    TimeMs started_at, submitted_at;
    std::string want;
  };
  const std::vector<Case> cases = {
      {now - 20'000, now, ""},
      {d.enrolled_at - hour, d.enrolled_at - hour + 1, ""},  // the tolerance, inclusive
      {now + 24 * hour - 1, now + 24 * hour, ""},
      {d.enrolled_at - hour - 1, now, "started_at 2023-11-14T21:13:19.999Z is before the device "
                                      "was enrolled (2023-11-14T22:13:20.000Z, 1h tolerance)"},
      {now, now + 24 * hour + 1, "submitted_at 2023-11-16T08:13:20.001Z is more than 24h after "
                                 "the central clock (2023-11-15T08:13:20.000Z)"},
      {4'102'444'800'000, 4'102'444'800'000, "started_at 2100-01-01T00:00:00.000Z is more than"},
      {0, now, "started_at 1970-01-01T00:00:00.000Z is before"},
  };
  for (const Case& c : cases) {
    std::optional<std::string> problem =
        RecordTimeProblem(d, c.started_at, c.submitted_at, now, rules);
    if (c.want.empty()) {
      EXPECT_FALSE(problem) << c.started_at << " " << c.submitted_at << ": " << *problem;
    } else {
      ASSERT_TRUE(problem) << c.started_at << " " << c.submitted_at;
      EXPECT_NE(problem->find(c.want), std::string::npos) << *problem;
    }
  }
  IngestRules wide;
  wide.enrollment_skew_ms = 72 * hour;
  EXPECT_FALSE(RecordTimeProblem(d, d.enrolled_at - 48 * hour, now, now, wide));
}

TEST(IngestRulesTest, SeqAdvancesByAtMostTheStep) {
  EXPECT_FALSE(SeqStepProblem(0, 1, 1000));
  EXPECT_FALSE(SeqStepProblem(0, 1000, 1000));
  EXPECT_FALSE(SeqStepProblem(41, 1041, 1000));
  ASSERT_TRUE(SeqStepProblem(41, 1042, 1000));
  EXPECT_EQ(*SeqStepProblem(41, 1042, 1000),
            "sequence number 1042 jumps more than 1000 above the last accepted 41; nothing was "
            "stored: send the batch as 42");
  EXPECT_TRUE(SeqStepProblem(0, std::numeric_limits<int64_t>::max(), 1000));
  EXPECT_TRUE(SeqStepProblem(std::numeric_limits<int64_t>::max() - 5000,
                             std::numeric_limits<int64_t>::max(), 1000));
}

TEST(IngestRulesTest, DurationsReadAsTheyWereGiven) {
  EXPECT_EQ(DurationText(3'600'000), "1h");
  EXPECT_EQ(DurationText(86'400'000), "24h");
  EXPECT_EQ(DurationText(7 * 86'400'000), "7d");
  EXPECT_EQ(DurationText(600'000), "10 min");
  EXPECT_EQ(DurationText(90'000), "90s");
  EXPECT_EQ(DurationText(1500), "1500 ms");
  EXPECT_EQ(PossibleCloneReason(3, 600'000).rfind("3 sequence conflicts (409) within 10 min", 0),
            0u);
}

}  // namespace
}  // namespace feedback::central
