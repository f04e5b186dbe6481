// The feedback-kiosk command line.
#include "logic/kiosk_options.h"

#include <gtest/gtest.h>

#include <vector>

namespace feedback::kiosk {
namespace {

Command Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "feedback-kiosk");
  return ParseCommandLine(static_cast<int>(args.size()), args.data(), "/assets");
}

TEST(KioskOptionsTest, Defaults) {
  Command c = Parse({});
  ASSERT_EQ(c.kind, Command::Kind::kRun);
  EXPECT_EQ(c.run.width, 1920);
  EXPECT_EQ(c.run.height, 1080);
  EXPECT_EQ(c.run.assets_dir, "/assets");
  EXPECT_EQ(c.run.idle_timeout_s, 45.0);
  EXPECT_EQ(AdminPinPath(c.run), "/var/lib/feedback/kiosk_admin.pin");
}

TEST(KioskOptionsTest, EveryOption) {
  Command c = Parse({"--device-config",
                     "/d/device.json",
                     "--survey",
                     "s.json",
                     "--roster",
                     "r.csv",
                     "--locale",
                     "es",
                     "--window",
                     "1080x1920",
                     "--fullscreen",
                     "--dpi",
                     "120",
                     "--idle-timeout",
                     "20",
                     "--thank-you",
                     "3",
                     "--burst-max",
                     "9",
                     "--burst-window",
                     "30",
                     "--software-renderer",
                     "--show-cursor",
                     "--layout-log",
                     "--log-level",
                     "debug",
                     "--assets",
                     "/a"});
  ASSERT_EQ(c.kind, Command::Kind::kRun);
  EXPECT_EQ(c.run.device_config, "/d/device.json");
  EXPECT_EQ(c.run.survey, "s.json");
  EXPECT_EQ(c.run.roster, "r.csv");
  EXPECT_EQ(c.run.locale, "es");
  EXPECT_EQ(c.run.width, 1080);
  EXPECT_EQ(c.run.height, 1920);
  EXPECT_TRUE(c.run.fullscreen);
  EXPECT_FLOAT_EQ(c.run.dpi, 120.0f);
  EXPECT_EQ(c.run.idle_timeout_s, 20.0);
  EXPECT_EQ(c.run.thank_you_s, 3.0);
  EXPECT_EQ(c.run.burst_max, 9);
  EXPECT_EQ(c.run.burst_window_s, 30.0);
  EXPECT_TRUE(c.run.software_renderer);
  EXPECT_TRUE(c.run.show_cursor);
  EXPECT_TRUE(c.run.layout_log);
  EXPECT_EQ(c.run.log_level, "debug");
  EXPECT_EQ(c.run.assets_dir, "/a");
  EXPECT_EQ(AdminPinPath(c.run), "/d/kiosk_admin.pin");
}

TEST(KioskOptionsTest, SetPinSubcommand) {
  Command c = Parse({"set-pin", "--admin-pin-file", "/x/pin", "--iterations", "5000"});
  ASSERT_EQ(c.kind, Command::Kind::kSetPin);
  EXPECT_EQ(c.set_pin.admin_pin_file, "/x/pin");
  EXPECT_EQ(c.set_pin.iterations, 5000);
}

TEST(KioskOptionsTest, BadValuesExitWithAnError) {
  for (std::vector<const char*> args :
       std::vector<std::vector<const char*>>{{"--window", "big"},
                                             {"--window", "10x10"},
                                             {"--idle-timeout", "0"},
                                             {"--dpi", "-3"},
                                             {"--log-level", "loud"},
                                             {"--no-such-option"},
                                             {"set-pin"}}) {
    Command c = Parse(args);
    EXPECT_EQ(c.kind, Command::Kind::kExit) << args[0];
    EXPECT_NE(c.exit_code, 0) << args[0];
  }
}

TEST(KioskOptionsTest, HelpListsEveryOption) {
  testing::internal::CaptureStdout();
  Command c = Parse({"--help"});
  const std::string help = testing::internal::GetCapturedStdout();
  EXPECT_EQ(c.kind, Command::Kind::kExit);
  EXPECT_EQ(c.exit_code, 0);
  for (const char* flag : {"--device-config", "--survey", "--roster", "--locale", "--window",
                           "--fullscreen", "--dpi", "--idle-timeout", "--admin-pin-file",
                           "--thank-you", "--burst-max", "--assets", "--layout-log", "set-pin"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag << "\n" << help;
  }
}

}  // namespace
}  // namespace feedback::kiosk
