// Command line of feedback-agent (CLI11). Parsing is a plain function so that tests can
// check every option without starting a window. Never throws: CLI11's exceptions are
// caught here and turned into a result that says what to print and the exit code.
#pragma once

#include <string>
#include <vector>

namespace feedback::agent {

struct AgentOptions {
  std::string device_config = "/var/lib/feedback/device.json";
  std::string survey_path;  // empty: the newest call-log survey in the DB, else the asset
  std::string staff_id;     // empty: the id remembered on this desktop, else ask
  int width = 480;
  int height = 900;
  std::string locale = "en";
  std::string assets_dir;  // fonts/, surveys/, branding/
  std::string draft_key;   // empty: agent_draft.key beside the device key
  bool software_renderer = false;
  float dpi = 0.0f;  // 0: ask the display
  std::string log_level = "info";
  bool log_frames = false;  // print "frame N" for each frame drawn (tests, measurements)
};

struct ParsedOptions {
  AgentOptions options;
  bool exit = false;  // --help / --version or an error: print `output` and exit
  int exit_code = 0;
  std::string output;  // help text or the error with a usage hint
};

// default_assets_dir is the compiled-in assets location (source tree or install prefix).
ParsedOptions ParseAgentOptions(const std::vector<std::string>& args,
                                const std::string& default_assets_dir);

}  // namespace feedback::agent
