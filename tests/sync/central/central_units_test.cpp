// Pure functions of feedback-central: listen addresses, durations, passwords,
// the staff CSV parser, and the rollup contributions of one record.
#include <gtest/gtest.h>

#include "model/survey.h"
#include "sync/central/central_commands.h"
#include "sync/central/central_server.h"
#include "sync/central/ingestor.h"
#include "sync/central/password_hash.h"
#include "sync/central/rollup_delta.h"
#include "sync/central/staff_csv.h"

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
  ASSERT_EQ(delta.driver_rows().size(), 1u);
  EXPECT_EQ(delta.driver_rows().begin()->second.n, 0);
  EXPECT_EQ(delta.driver_rows().begin()->second.rows_dropped, 1);
  EXPECT_TRUE(delta.driver_sums().empty());
  EXPECT_EQ(delta.scores().size(), 2u);
  // A promoter with contact opens no follow-up.
  PreparedRecord q;
  r.answers[0].number = 9;
  AddContributions(*def, r, q);
  EXPECT_FALSE(q.follow_up.has_value());
}

}  // namespace
}  // namespace feedback::central
