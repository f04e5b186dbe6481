// feedback-agent's command line.
#include "logic/agent_options.h"

#include <gtest/gtest.h>

#include <ostream>

namespace feedback::agent {
namespace {

ParsedOptions Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "feedback-agent");
  return ParseAgentOptions(args, "/assets");
}

TEST(AgentOptionsTest, Defaults) {
  ParsedOptions p = Parse({});
  ASSERT_FALSE(p.exit) << p.output;
  EXPECT_EQ(p.options.device_config, "/var/lib/feedback/device.json");
  EXPECT_EQ(p.options.assets_dir, "/assets");
  EXPECT_EQ(p.options.width, 480);
  EXPECT_EQ(p.options.height, 900);
  EXPECT_EQ(p.options.locale, "en");
  EXPECT_TRUE(p.options.survey_path.empty());
  EXPECT_TRUE(p.options.staff_id.empty());
}

TEST(AgentOptionsTest, EveryOption) {
  ParsedOptions p = Parse({"--device-config",
                           "/d/device.json",
                           "--survey",
                           "/s.json",
                           "--staff-id",
                           "A1042",
                           "--window",
                           "900x700",
                           "--locale",
                           "es",
                           "--assets",
                           "/a",
                           "--draft-key",
                           "/k",
                           "--software-renderer",
                           "--dpi",
                           "120",
                           "--log-level",
                           "debug",
                           "--log-frames"});
  ASSERT_FALSE(p.exit) << p.output;
  const AgentOptions& o = p.options;
  EXPECT_EQ(o.device_config, "/d/device.json");
  EXPECT_EQ(o.survey_path, "/s.json");
  EXPECT_EQ(o.staff_id, "A1042");
  EXPECT_EQ(o.width, 900);
  EXPECT_EQ(o.height, 700);
  EXPECT_EQ(o.locale, "es");
  EXPECT_EQ(o.assets_dir, "/a");
  EXPECT_EQ(o.draft_key, "/k");
  EXPECT_TRUE(o.software_renderer);
  EXPECT_FLOAT_EQ(o.dpi, 120.0f);
  EXPECT_EQ(o.log_level, "debug");
  EXPECT_TRUE(o.log_frames);
}

TEST(AgentOptionsTest, HelpDocumentsEveryOption) {
  ParsedOptions p = Parse({"--help"});
  EXPECT_TRUE(p.exit);
  EXPECT_EQ(p.exit_code, 0);
  for (const char* option :
       {"--device-config", "--survey", "--staff-id", "--window", "--locale", "--assets",
        "--draft-key", "--software-renderer", "--dpi", "--log-level", "--log-frames", "Ctrl+N"}) {
    EXPECT_NE(p.output.find(option), std::string::npos) << option;
  }
}

struct BadArgs {
  std::string name;
  std::vector<std::string> args;
  std::string says;
};
void PrintTo(const BadArgs& c, std::ostream* os) { *os << c.name; }
class BadArgsTest : public ::testing::TestWithParam<BadArgs> {};
TEST_P(BadArgsTest, ExitsWithError) {
  ParsedOptions p = Parse(GetParam().args);
  EXPECT_TRUE(p.exit);
  EXPECT_NE(p.exit_code, 0);
  EXPECT_NE(p.output.find(GetParam().says), std::string::npos) << p.output;
}
INSTANTIATE_TEST_SUITE_P(
    Args, BadArgsTest,
    ::testing::Values(BadArgs{"BadWindow", {"--window", "big"}, "WIDTHxHEIGHT"},
                      BadArgs{"TinyWindow", {"--window", "100x100"}, "at least 360x480"},
                      BadArgs{"UnknownOption", {"--fullscreen"}, "fullscreen"},
                      BadArgs{"BadLogLevel", {"--log-level", "loud"}, "loud"}),
    [](const auto& test_info) { return test_info.param.name; });

}  // namespace
}  // namespace feedback::agent
