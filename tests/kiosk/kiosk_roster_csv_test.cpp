// The --roster CSV file: staff_id,display_name[,team], quoted fields, errors by line.
#include <gtest/gtest.h>

#include "logic/roster_csv.h"

namespace feedback::kiosk {
namespace {

TEST(RosterCsvTest, ParsesHeaderQuotesCommentsAndTeams) {
  Result<std::vector<StaffMember>> r = ParseRosterCsv(
      "\xEF\xBB\xBFstaff_id,display_name,team\r\n"
      "# front of store\n"
      "s1,Ana López,floor\n"
      "\n"
      "s2,\"Smith, John \"\"Jack\"\"\",tills\n"
      "s3, Zoë \n",
      "roster.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].staff_id, "s1");
  EXPECT_EQ((*r)[0].display_name, "Ana López");
  EXPECT_EQ((*r)[0].team, "floor");
  EXPECT_EQ((*r)[1].display_name, "Smith, John \"Jack\"");
  EXPECT_EQ((*r)[2].display_name, "Zoë");
  EXPECT_EQ((*r)[2].team, "");
}

TEST(RosterCsvTest, ErrorsNameTheLine) {
  struct Case {
    const char* text;
    const char* needle;
  };
  const Case cases[] = {
      {"s1,Ana\ns2\n", "roster.csv:2: expected staff_id,display_name"},
      {"s1,Ana\ns1,Bea\n", "roster.csv:2: staff_id \"s1\" appears twice"},
      {"s1,\"Ana\n", "roster.csv:1: a quoted field is not closed"},
      {",Ana\n", "roster.csv:1: staff_id must be"},
      {"s1,\n", "roster.csv:1: display_name must be"},
      {"s1,\xC3\n", "roster.csv:1: display_name is not valid UTF-8"},
      {"s1,a,b,c\n", "roster.csv:1: expected"},
  };
  for (const Case& c : cases) {
    Result<std::vector<StaffMember>> r = ParseRosterCsv(c.text, "roster.csv");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.needle), std::string::npos) << r.status().message();
  }
}

TEST(RosterCsvTest, MissingFile) {
  EXPECT_EQ(LoadRosterCsv("/nonexistent/roster.csv").status().code(), Status::Code::kNotFound);
}

TEST(RosterCsvTest, LoadsTheTestRoster) {
  Result<std::vector<StaffMember>> r =
      LoadRosterCsv(std::string(KIOSK_TEST_DATA_DIR) + "/roster.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(r->size(), 4u);
}

}  // namespace
}  // namespace feedback::kiosk
