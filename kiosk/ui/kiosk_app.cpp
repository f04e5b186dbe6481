#include "ui/kiosk_app.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <stb_image.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "device/device_capture.h"
#include "logic/admin_pin.h"
#include "logic/kiosk_controller.h"
#include "logic/roster_csv.h"
#include "ui/app_shell.h"
#include "ui/item_probe.h"
#include "ui/kiosk_screens.h"
#include "ui/kiosk_theme.h"
#include "ui/sdl_handles.h"
#include "ui/sdl_init.h"

namespace feedback::kiosk {
namespace {

TimeMs Seconds(double s) { return static_cast<TimeMs>(s * 1000.0); }

// Logs go to stderr (journald under systemd); stdout is kept for --layout-log.
void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("kiosk");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ feedback-kiosk: %v");
}

// The PIN check, or an empty verifier (admin screen disabled) when no usable PIN file exists.
PinVerifier LoadPinVerifier(const std::string& path) {
  Result<PinHash> hash = LoadPinFile(path);
  if (!hash.ok()) {
    if (hash.status().code() == Status::Code::kNotFound) {
      spdlog::warn("{}; the admin screen cannot be opened", hash.status().message());
    } else {
      spdlog::error("{}; the admin screen cannot be opened", hash.status().ToString());
    }
    return {};
  }
  return
      [stored = std::move(hash).value()](std::string_view pin) { return VerifyPin(stored, pin); };
}

// The brand logo as a texture for the renderer, or null (the screens then draw a
// vector mark). A missing or unreadable logo is logged, never fatal.
ui::SdlTexturePtr LoadLogo(SDL_Renderer* renderer, const std::string& path) {
  if (path.empty()) return nullptr;
  int w = 0;
  int h = 0;
  int channels = 0;
  std::unique_ptr<unsigned char, void (*)(void*)> pixels(
      stbi_load(path.c_str(), &w, &h, &channels, 4), stbi_image_free);
  if (!pixels) {
    spdlog::warn("brand logo {} cannot be read ({}); drawing the built-in mark", path,
                 stbi_failure_reason());
    return nullptr;
  }
  ui::SdlTexturePtr texture(
      SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC, w, h));
  if (!texture || SDL_UpdateTexture(texture.get(), nullptr, pixels.get(), w * 4) != 0) {
    spdlog::warn("brand logo {}: {}", path, SDL_GetError());
    return nullptr;
  }
  SDL_SetTextureBlendMode(texture.get(), SDL_BLENDMODE_BLEND);
  return texture;
}

// One line that changes whenever what the screen shows changes: the screen, the
// language, the keyboard's field and its length, the PIN length. --layout-log
// prints it so an end-to-end test knows when its last tap has been handled.
std::string LayoutDigest(const KioskState& s) {
  std::string d = ScreenKey(s) + " locale=" + s.locale;
  if (s.screen == Screen::kQuestion) {
    d += " field=" + std::string(TextFieldName(s.session.focus)) + ":" +
         std::to_string(FieldText(s.session, s.session.focus).size()) + ":" +
         (s.session.shift ? "shift" : "lower");
  }
  if (s.screen == Screen::kAdminPin) {
    d += " pin=" + std::to_string(s.pin_entry.size()) + (s.pin_rejected ? " rejected" : "");
  }
  return d;
}

}  // namespace

int RunKiosk(const KioskOptions& options, std::chrono::steady_clock::time_point process_start) {
  // Logging first, so every later failure is explained.
  SetUpLogging(options.log_level);
  if (options.layout_log) ui::SetProbeEnabled(true);

  // The capture session: a failure here is shown as out-of-service, not a crash,
  // so the store sees a clear screen and staff can read the reason in the admin screen.
  DeviceConfig device;
  Result<DeviceCapture> capture = [&]() -> Result<DeviceCapture> {
    Result<DeviceConfig> config = LoadDeviceConfig(options.device_config);
    if (!config.ok()) return config.status().WithContext("reading the device configuration");
    device = *config;
    Result<DeviceCapture> opened = DeviceCapture::Open(*config);
    if (!opened.ok())
      return opened.status().WithContext("opening the capture DB " + config->capture_db);
    return opened;
  }();

  // What the controller needs: timeouts, survey source, roster, PIN.
  ControllerOptions controller_options;
  controller_options.device = device;
  Settings& settings = controller_options.settings;
  settings.idle_timeout_ms = Seconds(options.idle_timeout_s);
  settings.thank_you_ms = Seconds(options.thank_you_s);
  settings.burst_max_per_window = options.burst_max;
  settings.burst_window_ms = Seconds(options.burst_window_s);
  controller_options.survey_source.pinned_path = options.survey;
  controller_options.survey_source.fallback_path =
      (std::filesystem::path(options.assets_dir) / "surveys" / "retail_kiosk.json").string();
  if (!options.roster.empty()) {
    Result<std::vector<StaffMember>> roster = LoadRosterCsv(options.roster);
    if (!roster.ok()) {
      spdlog::error("--roster: {}", roster.status().ToString());
      return 2;
    }
    spdlog::info("roster: {} people from {}", roster->size(), options.roster);
    controller_options.roster_override = std::move(roster).value();
  }
  if (!options.locale.empty()) settings.default_locale = options.locale;
  PinVerifier verifier = LoadPinVerifier(AdminPinPath(options));
  const bool has_pin = static_cast<bool>(verifier);

  Result<std::unique_ptr<KioskController>> created = KioskController::Create(
      controller_options, std::move(capture), std::move(verifier), SystemClock::Instance());
  if (!created.ok()) {
    spdlog::error("{}", created.status().ToString());
    return 1;
  }
  KioskController& controller = **created;
  if (options.locale.empty()) {
    // Without --locale every customer starts in the survey's own first language.
    spdlog::debug("default locale: {}", controller.state().locale);
  }

  // SDL, then the window, renderer, ImGui and fonts (AppShell). With the software
  // renderer, present through X11's own framebuffer: SDL would otherwise wrap the
  // window surface in an OpenGL context, which on a GPU-less machine loads Mesa's
  // llvmpipe (~100 MB resident) just to copy pixels.
  if (options.software_renderer) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  Result<std::unique_ptr<ui::SdlInit>> sdl = ui::SdlInit::Create();
  if (!sdl.ok()) {
    spdlog::error("starting SDL: {} (is DISPLAY set and the X server running?)",
                  sdl.status().ToString());
    return 1;
  }
  ui::ShellOptions shell_options;
  shell_options.title = "Feedback kiosk";
  shell_options.width = options.width;
  shell_options.height = options.height;
  shell_options.fullscreen = options.fullscreen;
  shell_options.resizable = !options.fullscreen;
  shell_options.software_renderer = options.software_renderer;
  // Density: --dpi, else device.json's "display_dpi", else what the display reports.
  float dpi = options.dpi;
  std::string dpi_source = "--dpi";
  if (dpi <= 0.0f) {
    if (std::optional<float> configured = ReadDisplayDpi(options.device_config)) {
      dpi = *configured;
      dpi_source = options.device_config + " display_dpi";
    }
  }
  shell_options.dpi = dpi;
  shell_options.fit_theme = FitKioskTheme;
  shell_options.hide_cursor = !options.show_cursor;
  shell_options.assets_dir = options.assets_dir;
  Result<ui::Theme> theme = LoadKioskTheme(options.assets_dir);
  if (!theme.ok()) {
    spdlog::error("kiosk theme: {}", theme.status().ToString());
    return 1;
  }
  shell_options.theme = *theme;
  Result<std::unique_ptr<ui::AppShell>> shell = ui::AppShell::Create(shell_options);
  if (!shell.ok()) {
    spdlog::error("creating the kiosk window: {}", shell.status().ToString());
    return 1;
  }
  const ui::Theme& fitted = (*shell)->theme();
  spdlog::info("window {:.0f}x{:.0f}{} at {:.0f} dpi ({}), {:.0f}x{:.0f} mm; targets {:.1f} mm, "
               "renderer {}",
               (*shell)->window_size().x, (*shell)->window_size().y,
               options.fullscreen ? " (full screen)" : "", (*shell)->dpi(),
               dpi > 0.0f ? dpi_source : (*shell)->dpi_source(),
               fitted.PxToMm((*shell)->window_size().x), fitted.PxToMm((*shell)->window_size().y),
               fitted.sizing.min_target_mm, (*shell)->renderer_name());
  if (options.layout_log) {
    std::printf("kiosk-dpi %.1f\n", static_cast<double>((*shell)->dpi()));
  }

  const ui::SdlTexturePtr logo = LoadLogo((*shell)->renderer(), (*shell)->theme().logo_path);

  // The frame loop: tick the clock, draw the state, apply the customer's intents.
  std::string last_screen;
  Status run = (*shell)->Run([&](const ui::FrameContext& frame) -> ui::FrameResult {
    if (frame.frame_number == 1) {
      // Frame 0 has been presented by the time frame 1 starts.
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - process_start)
                          .count();
      spdlog::info("first frame presented {} ms after start", ms);
      if (options.layout_log) std::printf("first-frame-ms %lld\n", static_cast<long long>(ms));
    }
    controller.Tick();
    const TimeMs now = SystemClock::Instance().NowMs();
    const std::vector<Event> events =
        DrawKiosk(ScreenInput{controller.state(), controller.view(),
                              controller.machine().settings(), has_pin, now, logo.get()},
                  frame);
    const std::string drawn = LayoutDigest(controller.state());
    for (const Event& e : events) controller.Dispatch(e);
    if (options.layout_log) {
      // After the widgets' ui-item lines: a test that sees this line can click them.
      if (drawn != last_screen) std::printf("kiosk-screen %s\n", drawn.c_str());
      std::printf("frame %llu\n", static_cast<unsigned long long>(frame.frame_number));
      std::fflush(stdout);
    }
    last_screen = drawn;
    if (controller.state().exit_requested) {
      spdlog::warn("admin exit from the kiosk screen");
      return ui::FrameResult::Quit();
    }
    // Something changed this frame: draw the new state at once.
    if (!events.empty()) return ui::FrameResult::After(0);
    const int wait = controller.MsUntilNextTick();
    return wait < 0 ? ui::FrameResult::OnInput() : ui::FrameResult::After(wait);
  });
  if (!run.ok()) {
    spdlog::error("frame loop: {}", run.ToString());
    return 1;
  }
  spdlog::info("feedback-kiosk stopped after {} frames", (*shell)->frames_rendered());
  return 0;
}

int RunSetPin(const SetPinOptions& options) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty) {
    // Do not echo the PIN to the terminal.
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  auto ask = [&](const char* prompt) {
    if (tty) std::fprintf(stderr, "%s", prompt);
    std::string line;
    std::getline(std::cin, line);
    if (tty) std::fprintf(stderr, "\n");
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
  };
  const std::string pin = ask("New admin PIN (4-12 digits): ");
  const std::string again = tty ? ask("Repeat it: ") : pin;
  if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  if (pin != again) {
    std::fprintf(stderr, "feedback-kiosk set-pin: the two PINs differ; nothing written\n");
    return 1;
  }
  Result<PinHash> hash =
      HashPin(pin, options.iterations > 0 ? options.iterations : kDefaultPinIterations);
  if (!hash.ok()) {
    std::fprintf(stderr, "feedback-kiosk set-pin: %s\n", hash.status().message().c_str());
    return 1;
  }
  if (Status s = SavePinFile(options.admin_pin_file, *hash); !s.ok()) {
    std::fprintf(stderr, "feedback-kiosk set-pin: %s\n", s.ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "admin PIN hash written to %s (mode 0600)\n",
               options.admin_pin_file.c_str());
  return 0;
}

}  // namespace feedback::kiosk
