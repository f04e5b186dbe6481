#include "logic/agent_options.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <optional>
#include <sstream>

#include "core/window_size.h"
#include "logic/window_placement.h"

namespace feedback::agent {
namespace {

constexpr const char* kDescription =
    "feedback-agent: the call-center rep's call-log window.\n"
    "After each call: Ctrl+N, type the call reference, Tab, greeting warmth 1-5, Tab,\n"
    "resolution 1-4, Tab, customer effort 1-7, Enter. Esc clears (Ctrl+Z undoes), Shift+Tab\n"
    "goes back, arrows step a score. Logs are sealed to the central store and kept on this\n"
    "desktop until feedback-sync sends them; the window never uses the network.";

}  // namespace

ParsedOptions ParseAgentOptions(const std::vector<std::string>& args,
                                const std::string& default_assets_dir) {
  ParsedOptions parsed;
  AgentOptions& o = parsed.options;
  o.assets_dir = default_assets_dir;
  std::string window = std::to_string(o.width) + "x" + std::to_string(o.height);

  CLI::App app(kDescription, "feedback-agent");
  app.set_version_flag("--version", "feedback-agent 0.1.0");
  app.add_option("--device-config", o.device_config,
                 "device.json written by `feedback-sync enroll` (names the capture DB, the "
                 "central store's sealing key and the device key)")
      ->capture_default_str();
  app.add_option("--survey", o.survey_path,
                 "call-log survey definition file to use; default: the newest call survey the "
                 "sync daemon stored in the capture DB, else <assets>/surveys/call_log.json");
  app.add_option("--staff-id", o.staff_id,
                 "sign in as this rep (remembered on this desktop); default: the remembered "
                 "rep, else the window asks");
  app.add_option("--window", window,
                 "wanted window size in pixels, WIDTHxHEIGHT; cut to the display's usable area")
      ->capture_default_str();
  app.add_option("--locale", o.locale,
                 "language of the window and of the recorded answers (en, es)")
      ->capture_default_str();
  app.add_option("--assets", o.assets_dir, "assets folder (fonts/, surveys/, branding/)")
      ->capture_default_str();
  app.add_option("--draft-key", o.draft_key,
                 "file holding the AES-256 key that seals unfinished logs (mode 0600, made on "
                 "first use); default: agent_draft.key beside the device key");
  app.add_flag("--software-renderer", o.software_renderer,
               "draw with SDL's software renderer (no GPU, e.g. under Xvfb)");
  app.add_option("--dpi", o.dpi, "display DPI for sizing; default: ask the display");
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  app.add_flag("--log-frames", o.log_frames,
               "print \"frame N\" on stdout for every frame drawn (tests and measurements)");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  if (!reversed.empty()) reversed.pop_back();  // the program name
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    std::ostringstream err;
    parsed.exit = true;
    parsed.exit_code = app.exit(e, out, err);
    parsed.output = out.str() + err.str();
    return parsed;
  } catch (const std::exception& e) {
    parsed.exit = true;
    parsed.exit_code = 2;
    parsed.output = std::string("feedback-agent: ") + e.what() + "\n";
    return parsed;
  }

  const std::optional<WindowSize> size = ParseWindowSize(window);
  if (!size || size->width < kMinWindowSize.w || size->height < kMinWindowSize.h) {
    parsed.exit = true;
    parsed.exit_code = 2;
    parsed.output = "feedback-agent: --window " + window + ": expected WIDTHxHEIGHT of at least " +
                    std::to_string(kMinWindowSize.w) + "x" + std::to_string(kMinWindowSize.h) +
                    ", e.g. --window 480x860\n";
    return parsed;
  }
  o.width = size->width;
  o.height = size->height;
  return parsed;
}

}  // namespace feedback::agent
