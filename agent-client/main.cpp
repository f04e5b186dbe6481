// feedback-agent: the call-center rep's call-log window. A thin list of steps; the form
// and everything it does live in logic/ (no UI), the drawing in view/.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>
#include <vector>

#include "logic/agent_options.h"
#include "logic/agent_session.h"
#include "logic/process_age.h"
#include "ui/app_shell.h"
#include "ui/sdl_init.h"
#include "view/agent_theme.h"
#include "view/agent_view.h"
#include "view/key_queue.h"
#include "view/window_fit.h"

#ifndef FEEDBACK_DEFAULT_ASSETS_DIR
#define FEEDBACK_DEFAULT_ASSETS_DIR "/usr/share/feedback/assets"
#endif

int main(int argc, char** argv) {
  using namespace feedback;
  using namespace feedback::agent;

  // 1. Command line.
  const ParsedOptions parsed =
      ParseAgentOptions(std::vector<std::string>(argv, argv + argc), FEEDBACK_DEFAULT_ASSETS_DIR);
  if (parsed.exit) {
    std::fputs(parsed.output.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code;
  }
  const AgentOptions& options = parsed.options;

  // 2. Logging to stdout (never the typed texts: they are sealed for a reason).
  spdlog::set_default_logger(spdlog::stdout_color_mt("agent"));
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ feedback-agent: %v");

  // 3. The capture session: device config, sealed capture store, draft key, survey, rep.
  SessionConfig config;
  config.device_config_path = options.device_config;
  config.survey_path = options.survey_path;
  config.fallback_survey_path = options.assets_dir + "/surveys/call_log.json";
  config.staff_id = options.staff_id;
  config.locale = options.locale;
  config.draft_key_path = options.draft_key;
  Result<std::unique_ptr<AgentSession>> opened = AgentSession::Open(config);
  if (!opened.ok()) {
    spdlog::error("cannot start: {}", opened.status().ToString());
    return 1;
  }
  AgentSession& session = **opened;

  // 4. SDL (video only), once for the process. With the software renderer, present
  //    through X11's own framebuffer (XShm): by default SDL wraps the window surface in
  //    an OpenGL context, which without a GPU loads Mesa's swrast/llvmpipe and LLVM
  //    (~100 MB resident) only to copy pixels to the screen.
  if (options.software_renderer) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  Result<std::unique_ptr<ui::SdlInit>> sdl = ui::SdlInit::Create();
  if (!sdl.ok()) {
    spdlog::error("{}", sdl.status().ToString());
    return 1;
  }

  // 5. Window, renderer, ImGui context, desktop-sized brand theme, fonts; the window
  //    sized to the display's usable area (a 1366x768 laptop has no room for 900 px).
  Result<ui::Theme> theme = LoadAgentTheme(options.assets_dir);
  if (!theme.ok()) {
    spdlog::error("{}", theme.status().ToString());
    return 1;
  }
  ui::ShellOptions shell_options;
  shell_options.title = "Call log - feedback";
  const PixelSize wanted{options.width, options.height};
  const WindowPlacement first_guess = PlaceWindow(wanted, UsableArea(nullptr), FrameBorders{});
  shell_options.width = first_guess.client.w;
  shell_options.height = first_guess.client.h;
  shell_options.software_renderer = options.software_renderer;
  shell_options.dpi = options.dpi;
  shell_options.quit_on_close = false;  // closing saves the unfinished log first
  shell_options.assets_dir = options.assets_dir;
  shell_options.theme = *theme;
  Result<std::unique_ptr<ui::AppShell>> shell = ui::AppShell::Create(shell_options);
  if (!shell.ok()) {
    spdlog::error("{}", shell.status().ToString());
    return 1;
  }
  // Now that the window manager's frame is known: the frame on screen, a minimum size.
  FitWindowToDisplay((*shell)->window(), wanted);
  // The form model owns Tab and the focus; ImGui's keyboard navigation stays off.
  ImGui::GetIO().ConfigFlags &= ~ImGuiConfigFlags_NavEnableKeyboard;
  // A steady caret: a blinking one would redraw the window every 400 ms all day long,
  // since the call reference field keeps the keyboard between calls.
  ImGui::GetIO().ConfigInputTextCursorBlink = false;

  // 6. Every key press in order, none lost between frames.
  std::unique_ptr<KeyQueue> keys = KeyQueue::Install();

  // 7. The frame loop: keys -> form events, draw -> clicks and edits, periodic work.
  AgentView view;
  const Status run = (*shell)->Run([&](const ui::FrameContext& frame) {
    if (options.log_frames) {
      std::printf("frame %llu\n", static_cast<unsigned long long>(frame.frame_number));
      std::fflush(stdout);
    }
    if (frame.frame_number == 1) {
      spdlog::info("first frame presented {:.0f} ms after process start ({} renderer)",
                   ProcessAgeMs().value_or(-1.0), (*shell)->renderer_name());
    }
    for (const KeyPress& press : keys->TakePresses()) {
      if (std::optional<FormEvent> event = view.MapKey(press, session)) {
        session.Dispatch(*event, press.at);
      }
    }
    ViewIntents intents = view.Draw(frame, session, SystemClock::Instance().NowMs());
    for (const FormEvent& event : intents.events) session.Dispatch(event);
    if (intents.sign_out) {
      if (Status s = session.SignOut(); !s.ok()) spdlog::warn("{}", s.ToString());
    }
    if (intents.sign_in) {
      Status s = session.SignIn(*intents.sign_in);
      view.SetSignInError(s.ok() ? std::string() : s.message());
    }
    keys->EndFrame();
    if (frame.close_requested) return ui::FrameResult::Quit();
    return ui::FrameResult::After(session.Tick());
  });

  // 8. Keep a half-filled log (sealed) for the next start, then tear down in reverse.
  if (Status s = session.Close(); !s.ok())
    spdlog::error("unfinished log not saved: {}", s.ToString());
  if (!run.ok()) {
    spdlog::error("{}", run.ToString());
    return 1;
  }
  spdlog::info("closed");
  return 0;
}
