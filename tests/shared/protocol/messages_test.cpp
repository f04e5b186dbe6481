// JSON bodies: round trips and field-naming errors for hostile input.
#include "protocol/messages.h"

#include <gtest/gtest.h>

namespace feedback::protocol {
namespace {

TEST(MessagesTest, EnrollRequestRoundTripAndErrors) {
  EnrollRequest m{"secret", Bytes(32, 7), "kiosk", "kiosk-12"};
  Result<EnrollRequest> back = ParseEnrollRequest(ToJson(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  auto err = [](std::string_view body) { return ParseEnrollRequest(body).status().message(); };
  EXPECT_NE(err("[1]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(err("{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(err(R"({"public_key":"AAAA","kind":"kiosk"})").find("'token' is missing"),
            std::string::npos);
  EXPECT_NE(err(R"({"token":"t","public_key":"AAAA","kind":"kiosk"})").find("'public_key'"),
            std::string::npos);
  m.kind = "toaster";
  EXPECT_NE(ParseEnrollRequest(ToJson(m)).status().message().find("'kind'"), std::string::npos);
  EXPECT_EQ(ParseEnrollRequest(std::string(70'000, ' ')).status().code(),
            Status::Code::kResourceExhausted);
}

TEST(MessagesTest, EnrollResponseRoundTrip) {
  EnrollResponse m{"dev-1", "store-1", "team-a", Bytes(32, 9), std::string(64, 'a')};
  Result<EnrollResponse> back = ParseEnrollResponse(ToJson(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  m.cert_sha256 = "abc";
  EXPECT_FALSE(ParseEnrollResponse(ToJson(m)).ok());
}

TEST(MessagesTest, BatchAckRoundTripAndErrors) {
  BatchAck m{7, 10, 2, 1};
  Result<BatchAck> back = ParseBatchAck(ToJson(m));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, m);
  EXPECT_NE(ParseBatchAck(R"({"seq":0,"stored":0,"duplicates":0,"quarantined":0})")
                .status()
                .message()
                .find("'seq'"),
            std::string::npos);
  EXPECT_NE(ParseBatchAck(R"({"seq":1,"stored":"1","duplicates":0,"quarantined":0})")
                .status()
                .message()
                .find("'stored' is not an integer"),
            std::string::npos);
}

TEST(MessagesTest, DeviceStateRoundTrip) {
  DeviceState m;
  m.surveys.push_back({"retail_kiosk", 3, Channel::kKiosk, R"({"id":"retail_kiosk","version":3})"});
  m.roster.push_back({"s1", "Ana", "team-a"});
  m.hero_stories.push_back({"h1", "s1", "Ana", "She found my keys", "team-a", 1234});
  m.branding = {{"logo", "x.png"}};
  Result<DeviceState> back = ParseDeviceState(ToJson(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  EXPECT_NE(ParseDeviceState(R"({"surveys":[{"id":"a","version":1,"channel":"tv","definition":{}}],
            "roster":[],"hero_stories":[]})")
                .status()
                .message()
                .find("'channel'"),
            std::string::npos);
  EXPECT_NE(
      ParseDeviceState(R"({"surveys":[],"hero_stories":[]})").status().message().find("'roster'"),
      std::string::npos);
}

// The device keys its roster and stories by id: a repeated id is refused as
// malformed (before, it failed the capture DB's primary key and the pull
// returned a local-store error, which stops the daemon).
TEST(MessagesTest, DeviceStateWithARepeatedIdIsRefused) {
  const Result<DeviceState> staff = ParseDeviceState(
      R"({"surveys":[],"hero_stories":[],"roster":[{"staff_id":"s1","display_name":"Ana"},
          {"staff_id":"s1","display_name":"Bo"}]})");
  ASSERT_FALSE(staff.ok());
  EXPECT_NE(staff.status().message().find("staff_id 's1' twice"), std::string::npos)
      << staff.status().message();
  const Result<DeviceState> story = ParseDeviceState(
      R"({"surveys":[],"roster":[],"hero_stories":[{"story_id":"h1","story":"a","published_at":1},
          {"story_id":"h1","story":"b","published_at":2}]})");
  ASSERT_FALSE(story.ok());
  EXPECT_NE(story.status().message().find("story_id 'h1' twice"), std::string::npos)
      << story.status().message();
}

TEST(MessagesTest, ErrorBodies) {
  EXPECT_EQ(ParseErrorMessage(ErrorJson("device revoked")), "device revoked");
  EXPECT_EQ(ParseErrorMessage("<html>bad gateway</html>"), "<html>bad gateway</html>");
}

}  // namespace
}  // namespace feedback::protocol
