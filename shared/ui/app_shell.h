// AppShell: the SDL2 + Dear ImGui frame loop both GUI apps run in, laid out like Dear
// ImGui's example_sdl2_sdlrenderer main.cpp: window, renderer, ImGui context, theme,
// fonts, backends; then a loop of events -> NewFrame -> the app's draw function ->
// Render -> present; torn down in reverse order.
//
// The loop is event-driven: it sleeps in SDL_WaitEvent until there is input or until the
// moment the app asked to be woken for (FrameResult), so an idle kiosk draws nothing and
// uses ~0% CPU. After any input it draws a few frames (ImGui needs a frame or two to
// settle hover/active state and auto-sized layout).
//
// Touch: SdlInit makes SDL turn the first finger into mouse events; the shell feeds
// ImGui the pointer from those events (not from a global pointer query, which a touch
// screen need not move), keeps a press that was released within one frame visible for
// one frame so quick taps are not lost, and hides the pointer after a finger lifts so
// no hover state is left behind.
//
// Threading: create, Run and destroy on the main thread, after SdlInit and before it is
// destroyed. Only WakeFromAnyThread() may be called from other threads. The shell owns
// the window, renderer, ImGui context and backends; there is one shell per process
// (the ImGui backends keep global state).
#pragma once

#include <SDL.h>
#include <imgui.h>

#include <cfloat>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "ui/fonts.h"
#include "ui/sdl_handles.h"
#include "ui/theme.h"

namespace feedback::ui {

struct ShellOptions {
  std::string title = "Feedback";
  int width = 1280;  // window size in pixels (ignored when fullscreen)
  int height = 800;
  bool fullscreen = false;  // borderless fullscreen on the current display
  bool resizable = true;
  bool software_renderer = false;  // force SDL's software renderer (tests, no GPU)
  bool vsync = true;
  float dpi = 0.0f;            // display DPI; 0 = ask SDL, falling back to 96
  bool hide_cursor = false;    // kiosks hide the mouse pointer
  bool quit_on_close = true;   // false: the app sees close_requested and decides
  std::string assets_dir;      // for fonts/ and branding/theme.json
  std::optional<Theme> theme;  // unset: LoadBrandTheme(assets_dir)
  // Called once the window exists and the density is known, before the fonts are built:
  // an app adapts its theme (type sizes, target size) to the screen's physical size here.
  std::function<void(Theme& theme, ImVec2 window_px)> fit_theme;
};

// What the app wants after a frame, when no input arrives.
struct FrameResult {
  static constexpr int kOnInputOnly = -1;
  int redraw_after_ms = kOnInputOnly;  // >= 0: draw again after this long (animation, timeouts)
  bool quit = false;                   // leave Run() after this frame

  static FrameResult OnInput() { return {}; }
  static FrameResult After(int ms) { return {ms, false}; }
  static FrameResult Quit() { return {kOnInputOnly, true}; }
};

// Per-frame facts handed to the draw function.
struct FrameContext {
  const Theme& theme;
  const FontSet& fonts;
  ImVec2 display_size;    // window size in ImGui units (pixels)
  uint64_t frame_number;  // 0 for the first frame
  bool close_requested;   // the window was closed / SIGTERM arrived (quit_on_close=false)
};

class AppShell {
 public:
  using DrawFn = std::function<FrameResult(const FrameContext&)>;

  // Builds window, renderer, ImGui context, theme, fonts and backends. Needs a live
  // SdlInit. Fails with what was being created and SDL's reason (or the font/theme error).
  static Result<std::unique_ptr<AppShell>> Create(const ShellOptions& options);

  ~AppShell();
  AppShell(const AppShell&) = delete;
  AppShell& operator=(const AppShell&) = delete;

  // Runs the event-driven loop until `draw` returns FrameResult::Quit() (or, with
  // quit_on_close, the window is closed / the process gets SIGTERM or SIGINT).
  // The draw function builds the whole UI each frame from the app's state.
  Status Run(const DrawFn& draw);

  // Saves the next presented frame as a PNG at `path` (after it is fully drawn).
  // The outcome is in last_screenshot_status().
  void RequestScreenshot(std::string path);
  const Status& last_screenshot_status() const { return last_screenshot_status_; }

  // Makes a sleeping Run() draw a frame soon. Thread-safe (SDL_PushEvent): background
  // work calls this when it has a result for the UI.
  static void WakeFromAnyThread();

  uint64_t frames_rendered() const { return frames_rendered_; }
  const Theme& theme() const { return theme_; }
  const FontSet& fonts() const { return fonts_; }
  float dpi() const { return theme_.dpi; }
  // Where dpi() came from: "--dpi" (ShellOptions::dpi), "display" (SDL), "fallback".
  const std::string& dpi_source() const { return dpi_source_; }
  ImVec2 window_size() const { return window_size_; }
  const std::string& renderer_name() const { return renderer_name_; }
  SDL_Window* window() const { return window_.get(); }
  SDL_Renderer* renderer() const { return renderer_.get(); }

 private:
  struct ImGuiContextDeleter {
    void operator()(ImGuiContext* context) const;
  };
  // Shuts the two ImGui backends down (before the context they live in is destroyed).
  struct BackendsDeleter {
    void operator()(AppShell* shell) const;
  };

  explicit AppShell(ShellOptions options) : options_(std::move(options)) {}

  // Feeds one SDL event to ImGui and to our own pointer state.
  void HandleEvent(const SDL_Event& event);
  // Overrides the backend's pointer with the event-derived one (see the header comment).
  void ApplyPointer();
  void DrawOneFrame(const DrawFn& draw, FrameResult& result);

  ShellOptions options_;
  Theme theme_;
  FontSet fonts_;
  std::string renderer_name_;
  std::string dpi_source_;
  ImVec2 window_size_;

  // Declared in creation order so that destruction runs in reverse.
  SdlWindowPtr window_;
  SdlRendererPtr renderer_;
  std::unique_ptr<ImGuiContext, ImGuiContextDeleter> context_;
  std::unique_ptr<AppShell, BackendsDeleter> backends_;  // non-owning: a shutdown guard

  uint64_t frames_rendered_ = 0;
  int frames_due_ = 0;  // frames still to draw because of recent input
  bool close_requested_ = false;
  std::optional<std::string> screenshot_path_;
  Status last_screenshot_status_;

  // Pointer state derived from SDL mouse events (real or synthesised from touch).
  ImVec2 pointer_pos_{-FLT_MAX, -FLT_MAX};
  bool pointer_inside_ = false;
  bool pointer_down_ = false;
  bool pointer_pressed_latch_ = false;  // a press seen since the last frame
  int frames_until_touch_hide_ = -1;    // after a finger lifts: frames left before hiding
};

}  // namespace feedback::ui
