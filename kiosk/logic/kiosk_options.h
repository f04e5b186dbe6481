// The feedback-kiosk command line (CLI11): `feedback-kiosk [options]` runs the
// kiosk, `feedback-kiosk set-pin` writes the admin PIN hash. --help documents
// every option. Parsing never throws to the caller. Plain values; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"

namespace feedback::kiosk {

struct KioskOptions {
  std::string device_config = "/var/lib/feedback/device.json";
  std::string survey;      // empty: newest in the capture DB, else the bundled retail survey
  std::string assets_dir;  // fonts/, branding/, surveys/
  std::string roster;      // CSV; empty: the roster the sync daemon stored
  std::string locale;      // empty: the survey's default locale
  int width = 1920;
  int height = 1080;
  bool fullscreen = false;
  float dpi = 0.0f;  // 0: ask the display
  double idle_timeout_s = 45.0;
  double thank_you_s = 6.0;
  int burst_max = 5;
  double burst_window_s = 60.0;
  std::string admin_pin_file;  // empty: kiosk_admin.pin beside the device config
  bool software_renderer = false;
  bool show_cursor = false;
  bool layout_log = false;  // tests: print screens and widget rectangles on stdout
  std::string log_level = "info";
};

struct SetPinOptions {
  std::string admin_pin_file;
  int iterations = 0;  // 0: the default
};

struct Command {
  enum class Kind { kRun, kSetPin, kExit } kind = Kind::kRun;
  KioskOptions run;
  SetPinOptions set_pin;
  int exit_code = 0;  // kExit: --help was printed (0) or the command line was wrong (non-zero)
};

// Parses argv. Help and usage errors are printed here (stdout / stderr) and come
// back as Kind::kExit with the exit code to use.
Command ParseCommandLine(int argc, const char* const* argv, const std::string& default_assets_dir);

// The optional "display_dpi" number in device.json (a panel whose EDID lies, or an
// X server that reports no physical size); nullopt when absent, unreadable or outside
// 50-600. The kiosk logs which density it used and where it came from.
std::optional<float> ReadDisplayDpi(const std::string& device_config_path);

// The admin PIN file to use for `options` (its own flag, else beside device.json).
std::string AdminPinPath(const KioskOptions& options);

}  // namespace feedback::kiosk
