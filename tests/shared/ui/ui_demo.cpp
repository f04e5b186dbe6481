// ui_demo: a small program on the real app shell and touch widgets, driven by the
// end-to-end test (ui_demo_e2e_test.py) under Xvfb. Every intent it receives is written to
// stdout as one line ("pressed 1", "nps 9", "key ñ"), so the test can assert that a real
// X pointer click reached the widget. With FEEDBACK_UI_PROBE=1 the widgets also report
// their rectangles ("ui-item ...") for the test to click on.
//
// Options: --width N --height N --fullscreen --dpi N --software --assets DIR
//          --screenshot-on-press FILE   (shell screenshot of the frame after each press)
//          --log-frames                 (one "frame N" line per frame drawn)
//          --synthetic-touch-tap        (after start-up, queue a finger tap on the button the
//                                        way SDL reports touches: mouse events from
//                                        SDL_TOUCH_MOUSEID, press and release in one batch)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "ui/app_shell.h"
#include "ui/onscreen_keyboard.h"
#include "ui/sdl_init.h"
#include "ui/touch_widgets.h"

namespace {

using feedback::ui::AppShell;
using feedback::ui::FrameContext;
using feedback::ui::FrameResult;

struct DemoOptions {
  feedback::ui::ShellOptions shell;
  std::string screenshot_on_press;
  bool log_frames = false;
  bool synthetic_touch_tap = false;
};

// The demo's whole state; the widgets only read it and return intents.
struct DemoState {
  int presses = 0;
  std::optional<int> nps;
  std::optional<int> csat;
  std::string text;
  bool shift = false;
  std::string language = "es";
};

bool ParseArgs(int argc, char** argv, DemoOptions& out) {
  out.shell.title = "ui_demo";
  out.shell.assets_dir = FEEDBACK_ASSETS_DIR;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--width" && has_value) {
      out.shell.width = std::atoi(argv[++i]);
    } else if (arg == "--height" && has_value) {
      out.shell.height = std::atoi(argv[++i]);
    } else if (arg == "--dpi" && has_value) {
      out.shell.dpi = std::strtof(argv[++i], nullptr);
    } else if (arg == "--assets" && has_value) {
      out.shell.assets_dir = argv[++i];
    } else if (arg == "--screenshot-on-press" && has_value) {
      out.screenshot_on_press = argv[++i];
    } else if (arg == "--fullscreen") {
      out.shell.fullscreen = true;
    } else if (arg == "--software") {
      out.shell.software_renderer = true;
    } else if (arg == "--log-frames") {
      out.log_frames = true;
    } else if (arg == "--synthetic-touch-tap") {
      out.synthetic_touch_tap = true;
    } else {
      std::fprintf(stderr, "ui_demo: unknown or incomplete option %s\n", arg.c_str());
      return false;
    }
  }
  return true;
}

// Queues what SDL delivers for a quick finger tap at `pos` (touch-synthesised mouse events).
// xdotool cannot make touch events and Xvfb has no touch device, so this is how the test
// checks that such events, with press and release in one batch, reach the widget.
void QueueTouchTap(ImVec2 pos) {
  const Sint32 x = static_cast<Sint32>(pos.x);
  const Sint32 y = static_cast<Sint32>(pos.y);
  SDL_Event motion;
  SDL_zero(motion);
  motion.type = SDL_MOUSEMOTION;
  motion.motion.which = SDL_TOUCH_MOUSEID;
  motion.motion.x = x;
  motion.motion.y = y;
  SDL_PushEvent(&motion);
  for (const Uint32 type :
       {static_cast<Uint32>(SDL_MOUSEBUTTONDOWN), static_cast<Uint32>(SDL_MOUSEBUTTONUP)}) {
    SDL_Event button;
    SDL_zero(button);
    button.type = type;
    button.button.which = SDL_TOUCH_MOUSEID;
    button.button.button = SDL_BUTTON_LEFT;
    button.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    button.button.clicks = 1;
    button.button.x = x;
    button.button.y = y;
    SDL_PushEvent(&button);
  }
}

void Say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);  // the test waits for this line while we keep running
}

FrameResult DrawDemo(const FrameContext& frame, DemoState& state, AppShell& shell,
                     const DemoOptions& options) {
  const feedback::ui::Theme& theme = frame.theme;
  if (options.log_frames) Say("frame " + std::to_string(frame.frame_number));
  feedback::ui::BeginScreen("demo");

  static const std::vector<feedback::ui::LanguageOption> kLanguages = {{"es", "Español"},
                                                                       {"en", "English"}};
  if (auto i = feedback::ui::LanguageSwitch("lang", kLanguages, state.language, theme)) {
    state.language = kLanguages[*i].code;
    Say("language " + state.language);
  }

  ImGui::PushFont(frame.fonts.title);
  ImGui::TextUnformatted(state.language == "es" ? "¿Qué tal fue su visita?"
                                                : "How was your visit?");
  ImGui::PopFont();

  // Landscape: widgets left, keyboard right. Portrait: keyboard under the widgets, so
  // its keys keep their 15 mm.
  const bool landscape = frame.display_size.x > frame.display_size.y;
  const float half = ImGui::GetContentRegionAvail().x * 0.5f - theme.GapPx();
  ImGui::BeginChild(
      "left", ImVec2(landscape ? half : 0.0f, landscape ? 0.0f : frame.display_size.y * 0.45f));
  ImGui::PushFont(frame.fonts.large);
  if (feedback::ui::BigButton("press", "Pulsar / Press", theme)) {
    ++state.presses;
    Say("pressed " + std::to_string(state.presses));
    if (!options.screenshot_on_press.empty()) shell.RequestScreenshot(options.screenshot_on_press);
  }
  if (options.synthetic_touch_tap && frame.frame_number == 2) {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    QueueTouchTap(ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f));
    Say("touch-tap queued");
  }
  ImGui::PopFont();
  ImGui::Text("Presses: %d   Text: %s", state.presses, state.text.c_str());
  if (auto v = feedback::ui::NpsRow("nps", state.nps, "Nada probable", "Muy probable", theme)) {
    state.nps = v;
    Say("nps " + std::to_string(*v));
  }
  static const std::vector<std::string> kMoods = {"Muy mal", "Mal", "Normal", "Bien", "Excelente"};
  if (auto v = feedback::ui::SmileyRow("csat", state.csat, theme, kMoods)) {
    state.csat = v;
    Say("csat " + std::to_string(*v));
  }
  ImGui::EndChild();

  if (landscape) ImGui::SameLine();
  ImGui::BeginChild("right", ImVec2(0.0f, 0.0f));
  ImGui::PushFont(frame.fonts.large);
  if (auto key = feedback::ui::OnScreenKeyboard("kbd", state.shift, theme, {"espacio", "Listo"})) {
    feedback::ui::TextEditResult edit =
        feedback::ui::ApplyKeyPress(state.text, state.shift, *key, 60);
    state.text = edit.text;
    state.shift = edit.shift;
    Say("key " + (key->action == feedback::ui::KeyAction::kCharacter ? key->text : "action") +
        " text=" + state.text);
  }
  ImGui::PopFont();
  ImGui::EndChild();

  feedback::ui::EndScreen();
  if (frame.frame_number == 0) {
    Say("ready renderer=" + shell.renderer_name() +
        " dpi=" + std::to_string(static_cast<int>(theme.dpi)));
  }
  if (!shell.last_screenshot_status().ok())
    Say("screenshot-error " + shell.last_screenshot_status().ToString());
  return FrameResult::OnInput();  // nothing animates: sleep until the next input
}

}  // namespace

int main(int argc, char** argv) {
  // Options.
  DemoOptions options;
  if (!ParseArgs(argc, argv, options)) return 2;

  // SDL, once for the process.
  auto sdl = feedback::ui::SdlInit::Create();
  if (!sdl.ok()) {
    std::fprintf(stderr, "ui_demo: %s\n", sdl.status().ToString().c_str());
    return 1;
  }

  // Window, renderer, ImGui, theme, fonts.
  auto shell = AppShell::Create(options.shell);
  if (!shell.ok()) {
    std::fprintf(stderr, "ui_demo: %s\n", shell.status().ToString().c_str());
    return 1;
  }

  // The frame loop, until the window is closed or SIGTERM arrives.
  DemoState state;
  AppShell& app = **shell;
  const feedback::Status run =
      app.Run([&](const FrameContext& frame) { return DrawDemo(frame, state, app, options); });
  Say("frames_rendered " + std::to_string(app.frames_rendered()));
  if (!run.ok()) {
    std::fprintf(stderr, "ui_demo: %s\n", run.ToString().c_str());
    return 1;
  }
  return 0;
}
