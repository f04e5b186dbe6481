#include "logic/kiosk_options.h"

#include <nlohmann/json.hpp>

#include <fstream>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "core/window_size.h"
#include "logic/admin_pin.h"

namespace feedback::kiosk {

Command ParseCommandLine(int argc, const char* const* argv, const std::string& default_assets_dir) {
  Command cmd;
  KioskOptions& o = cmd.run;
  o.assets_dir = default_assets_dir;
  CLI::App app{
      "feedback-kiosk: the full-screen customer feedback kiosk (touch screen near a store exit).\n"
      "Captures each survey, sealed to the central store's key, into the device's capture DB;\n"
      "feedback-sync uploads it. Admin screen: tap the top-left corner 5 times, then the PIN.",
      "feedback-kiosk"};
  app.option_defaults()->always_capture_default();
  std::string window = std::to_string(o.width) + "x" + std::to_string(o.height);

  app.add_option("--device-config", o.device_config,
                 "device.json written at enrollment (device id, site, capture DB, central key)");
  app.add_option(
      "--survey", o.survey,
      "survey definition JSON to show, always (default: the newest kiosk survey the sync "
      "daemon stored in the capture DB, else <assets>/surveys/retail_kiosk.json)");
  app.add_option("--assets", o.assets_dir, "assets folder (fonts/, branding/, surveys/)");
  app.add_option("--roster", o.roster,
                 "staff roster CSV (staff_id,display_name[,team]) for hero nominations "
                 "(default: the roster the sync daemon stored in the capture DB)");
  app.add_option("--locale", o.locale,
                 "language each customer starts in, e.g. en or es (default: the survey's first)");
  app.add_option("--window", window, "window size WxH in pixels, e.g. 1080x1920 for portrait");
  app.add_flag("--fullscreen", o.fullscreen, "borderless full screen on the current display");
  app.add_option(
         "--dpi", o.dpi,
         "display dots per inch, for 15 mm touch targets (default: ask the display, else 96)")
      ->check(CLI::Range(0.0f, 1000.0f));
  app.add_option("--idle-timeout", o.idle_timeout_s,
                 "seconds without a touch before a started survey is saved as abandoned")
      ->check(CLI::Range(1.0, 3600.0));
  app.add_option("--thank-you", o.thank_you_s, "seconds the thank-you screen stays up")
      ->check(CLI::Range(0.5, 600.0));
  app.add_option("--burst-max", o.burst_max,
                 "records allowed per burst window before further ones are flagged as a burst")
      ->check(CLI::Range(1, 10000));
  app.add_option("--burst-window", o.burst_window_s, "burst window in seconds")
      ->check(CLI::Range(1.0, 86400.0));
  app.add_option("--admin-pin-file", o.admin_pin_file,
                 "admin PIN hash file, mode 0600 (default: kiosk_admin.pin beside device.json); "
                 "without one the admin screen cannot be opened");
  app.add_flag("--software-renderer", o.software_renderer,
               "use SDL's software renderer (no GPU, e.g. under Xvfb)");
  app.add_flag("--show-cursor", o.show_cursor, "show the mouse pointer (hidden by default)");
  app.add_flag("--layout-log", o.layout_log,
               "tests: print each screen shown and every touch target's rectangle on stdout");
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));

  CLI::App* set_pin = app.add_subcommand(
      "set-pin",
      "write the admin PIN hash (PBKDF2-HMAC-SHA256, salted) to --admin-pin-file, mode 0600; "
      "reads the 4-12 digit PIN from standard input");
  set_pin->add_option("--admin-pin-file", cmd.set_pin.admin_pin_file, "where to write it")
      ->required();
  set_pin
      ->add_option("--iterations", cmd.set_pin.iterations,
                   "PBKDF2 iterations (default " + std::to_string(kDefaultPinIterations) + ")")
      ->check(CLI::Range(1'000, 10'000'000));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    cmd.kind = Command::Kind::kExit;
    cmd.exit_code = app.exit(e);
    return cmd;
  }
  if (set_pin->parsed()) {
    cmd.kind = Command::Kind::kSetPin;
    return cmd;
  }
  const std::optional<WindowSize> size = ParseWindowSize(window);
  if (!size || size->width < 100 || size->height < 100) {
    std::fprintf(stderr, "--window: expected WxH such as 1920x1080, got \"%s\"\n", window.c_str());
    cmd.kind = Command::Kind::kExit;
    cmd.exit_code = 2;
    return cmd;
  }
  o.width = size->width;
  o.height = size->height;
  return cmd;
}

std::string AdminPinPath(const KioskOptions& options) {
  if (!options.admin_pin_file.empty()) return options.admin_pin_file;
  return (std::filesystem::path(options.device_config).parent_path() / "kiosk_admin.pin").string();
}

std::optional<float> ReadDisplayDpi(const std::string& device_config_path) {
  std::ifstream in(device_config_path);
  if (!in) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("display_dpi") || !j["display_dpi"].is_number()) {
    return std::nullopt;
  }
  const float dpi = j["display_dpi"].get<float>();
  if (dpi < 50.0f || dpi > 600.0f) return std::nullopt;
  return dpi;
}

}  // namespace feedback::kiosk
