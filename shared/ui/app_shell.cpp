#include "ui/app_shell.h"

#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <optional>

#include "ui/screenshot.h"

namespace feedback::ui {
namespace {

// Frames drawn after each batch of input: one for the input itself, one for the state
// change it caused, one for auto-sized windows and items that settle a frame late.
constexpr int kFramesAfterInput = 3;
// While a text field has the keyboard, wake often enough for the caret to blink.
constexpr int kCaretBlinkMs = 400;
constexpr float kFallbackDpi = 96.0f;

// The user event type WakeFromAnyThread pushes; registered once in Create.
std::atomic<Uint32> g_wake_event{0};

Status SdlError(const std::string& what) {
  return Status::Unavailable(what + " failed: " + SDL_GetError());
}

// The display's density: SDL's (XRandR output size on X11), else the core X screen's
// millimetres as SDL reports them through the display bounds. nullopt when neither
// is plausible (X servers often report 0 mm).
std::optional<float> DetectDpi(SDL_Window* window) {
  float ddpi = 0.0f;
  float hdpi = 0.0f;
  float vdpi = 0.0f;
  const int display = SDL_GetWindowDisplayIndex(window);
  if (display >= 0 && SDL_GetDisplayDPI(display, &ddpi, &hdpi, &vdpi) == 0) {
    if (hdpi >= 50.0f && hdpi <= 500.0f) return hdpi;
    if (ddpi >= 50.0f && ddpi <= 500.0f) return ddpi;
  }
  return std::nullopt;
}

}  // namespace

void AppShell::ImGuiContextDeleter::operator()(ImGuiContext* context) const {
  ImGui::DestroyContext(context);
}

void AppShell::BackendsDeleter::operator()(AppShell* /*shell*/) const {
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
}

Result<std::unique_ptr<AppShell>> AppShell::Create(const ShellOptions& options) {
  if (SDL_WasInit(SDL_INIT_VIDEO) == 0) {
    return Status::Internal(
        "AppShell::Create: SDL video is not initialised; create SdlInit in main first");
  }
  std::unique_ptr<AppShell> shell(new AppShell(options));
  if (g_wake_event.load() == 0) {
    const Uint32 type = SDL_RegisterEvents(1);
    if (type != static_cast<Uint32>(-1)) g_wake_event.store(type);
  }

  // Theme (brand colours, sizes) before anything is drawn.
  if (options.theme) {
    shell->theme_ = *options.theme;
  } else {
    Result<Theme> theme = LoadBrandTheme(options.assets_dir);
    if (!theme.ok()) return theme.status();
    shell->theme_ = *theme;
  }

  // Window.
  Uint32 window_flags = SDL_WINDOW_SHOWN;
  int x = SDL_WINDOWPOS_CENTERED;
  int y = SDL_WINDOWPOS_CENTERED;
  int width = options.width;
  int height = options.height;
  SDL_Rect bounds;
  if (options.fullscreen && SDL_GetDisplayBounds(0, &bounds) == 0) {
    // Also size and place the window to cover the display: a kiosk session may run with
    // no window manager, and then nobody honours the fullscreen request.
    window_flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    x = bounds.x;
    y = bounds.y;
    width = bounds.w;
    height = bounds.h;
  } else if (options.fullscreen) {
    window_flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  }
  if (options.resizable && !options.fullscreen) window_flags |= SDL_WINDOW_RESIZABLE;
  shell->window_.reset(SDL_CreateWindow(options.title.c_str(), x, y, width, height, window_flags));
  if (!shell->window_) return SdlError("SDL_CreateWindow(\"" + options.title + "\")");
  if (options.dpi > 0.0f) {
    shell->theme_.dpi = options.dpi;
    shell->dpi_source_ = "configured";
  } else if (std::optional<float> detected = DetectDpi(shell->window_.get())) {
    shell->theme_.dpi = *detected;
    shell->dpi_source_ = "display";
  } else {
    shell->theme_.dpi = kFallbackDpi;
    shell->dpi_source_ = "fallback (the display reports no physical size)";
  }
  int window_w = 0;
  int window_h = 0;
  SDL_GetWindowSize(shell->window_.get(), &window_w, &window_h);
  shell->window_size_ = ImVec2(static_cast<float>(window_w), static_cast<float>(window_h));
  if (options.fit_theme) options.fit_theme(shell->theme_, shell->window_size_);
  if (options.hide_cursor) SDL_ShowCursor(SDL_DISABLE);

  // Renderer: accelerated if the machine has one, else software (which works under Xvfb).
  if (!options.software_renderer) {
    const Uint32 flags = static_cast<Uint32>(SDL_RENDERER_ACCELERATED) |
                         (options.vsync ? static_cast<Uint32>(SDL_RENDERER_PRESENTVSYNC) : 0u);
    shell->renderer_.reset(SDL_CreateRenderer(shell->window_.get(), -1, flags));
  }
  if (!shell->renderer_) {
    shell->renderer_.reset(SDL_CreateRenderer(shell->window_.get(), -1, SDL_RENDERER_SOFTWARE));
  }
  if (!shell->renderer_) return SdlError("SDL_CreateRenderer (accelerated and software)");
  SDL_RendererInfo info;
  if (SDL_GetRendererInfo(shell->renderer_.get(), &info) == 0) shell->renderer_name_ = info.name;

  // Dear ImGui context; no imgui.ini, since a kiosk must start the same way every time.
  IMGUI_CHECKVERSION();
  shell->context_.reset(ImGui::CreateContext());
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;

  // Style from the theme.
  ApplyTheme(shell->theme_, ImGui::GetStyle());

  // Fonts.
  Result<FontSet> fonts = LoadFonts(*io.Fonts, shell->theme_, options.assets_dir);
  if (!fonts.ok()) return fonts.status();
  shell->fonts_ = *fonts;

  // Platform and renderer backends.
  if (!ImGui_ImplSDL2_InitForSDLRenderer(shell->window_.get())) {
    return Status::Internal("ImGui_ImplSDL2_InitForSDLRenderer failed");
  }
  if (!ImGui_ImplSDLRenderer_Init(shell->renderer_.get())) {
    ImGui_ImplSDL2_Shutdown();
    return Status::Internal("ImGui_ImplSDLRenderer_Init failed");
  }
  shell->backends_.reset(shell.get());
  return shell;
}

AppShell::~AppShell() {
  // Members go in reverse order: backends, ImGui context, renderer, window.
}

void AppShell::RequestScreenshot(std::string path) {
  screenshot_path_ = std::move(path);
  frames_due_ = std::max(frames_due_, 1);
}

void AppShell::WakeFromAnyThread() {
  const Uint32 type = g_wake_event.load();
  if (type == 0) return;
  SDL_Event event;
  SDL_zero(event);
  event.type = type;
  SDL_PushEvent(&event);
}

void AppShell::HandleEvent(const SDL_Event& event) {
  ImGui_ImplSDL2_ProcessEvent(&event);
  switch (event.type) {
    case SDL_QUIT:
      close_requested_ = true;
      break;
    case SDL_WINDOWEVENT:
      if (event.window.event == SDL_WINDOWEVENT_CLOSE) close_requested_ = true;
      if (event.window.event == SDL_WINDOWEVENT_LEAVE) pointer_inside_ = false;
      if (event.window.event == SDL_WINDOWEVENT_ENTER) pointer_inside_ = true;
      break;
    case SDL_MOUSEMOTION:
      pointer_pos_ = ImVec2(static_cast<float>(event.motion.x), static_cast<float>(event.motion.y));
      pointer_inside_ = true;
      break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
      if (event.button.button != SDL_BUTTON_LEFT) break;
      pointer_pos_ = ImVec2(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
      pointer_inside_ = true;
      pointer_down_ = event.type == SDL_MOUSEBUTTONDOWN;
      if (pointer_down_) {
        pointer_pressed_latch_ = true;
        frames_until_touch_hide_ = -1;
      } else if (event.button.which == SDL_TOUCH_MOUSEID) {
        // Keep the position for the release frame (that is when ImGui reports the
        // click) and one more, then hide it: a finger leaves no hover behind.
        frames_until_touch_hide_ = 2;
      }
      break;
    default:
      break;
  }
}

void AppShell::ApplyPointer() {
  ImGuiIO& io = ImGui::GetIO();
  const bool hidden = frames_until_touch_hide_ == 0 && !pointer_down_;
  io.MousePos =
      (pointer_inside_ || pointer_down_) && !hidden ? pointer_pos_ : ImVec2(-FLT_MAX, -FLT_MAX);
  io.MouseDown[0] = pointer_pressed_latch_ || pointer_down_;
  pointer_pressed_latch_ = false;
  if (frames_until_touch_hide_ > 0) --frames_until_touch_hide_;
}

void AppShell::DrawOneFrame(const DrawFn& draw, FrameResult& result) {
  // Start the Dear ImGui frame.
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ApplyPointer();
  ImGui::NewFrame();

  // The app builds its UI from its own state.
  const ImGuiIO& io = ImGui::GetIO();
  const FrameContext context{theme_, fonts_, io.DisplaySize, frames_rendered_, close_requested_};
  result = draw(context);

  // Rendering.
  ImGui::Render();
  const Rgba& bg = theme_.colors.background;
  SDL_SetRenderDrawColor(renderer_.get(), bg.r, bg.g, bg.b, 255);
  SDL_RenderClear(renderer_.get());
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
  if (screenshot_path_) {
    last_screenshot_status_ = SaveRendererPng(renderer_.get(), *screenshot_path_);
    screenshot_path_.reset();
  }
  SDL_RenderPresent(renderer_.get());
  ++frames_rendered_;
}

Status AppShell::Run(const DrawFn& draw) {
  constexpr Uint64 kNever = UINT64_MAX;
  frames_due_ = std::max(frames_due_, kFramesAfterInput);  // the first frames lay out the UI
  Uint64 wake_at = kNever;
  while (true) {
    // Wait for input, or for the moment the app asked to be woken for.
    const Uint64 now = SDL_GetTicks64();
    SDL_Event event;
    int got = 0;
    if (frames_due_ > 0 || wake_at <= now) {
      got = SDL_PollEvent(&event);
    } else if (wake_at == kNever) {
      got = SDL_WaitEvent(&event);
    } else {
      got =
          SDL_WaitEventTimeout(&event, static_cast<int>(std::min<Uint64>(wake_at - now, INT_MAX)));
    }
    if (got != 0) {
      HandleEvent(event);
      while (SDL_PollEvent(&event) != 0) HandleEvent(event);
      frames_due_ = std::max(frames_due_, kFramesAfterInput);
    }
    if (close_requested_ && options_.quit_on_close) return Status::Ok();
    if (frames_due_ == 0 && SDL_GetTicks64() < wake_at) continue;  // woken early, nothing to do

    // One frame.
    FrameResult result;
    DrawOneFrame(draw, result);
    if (frames_due_ > 0) --frames_due_;
    if (result.quit) return Status::Ok();
    close_requested_ = false;  // the app has seen it

    int redraw_ms = result.redraw_after_ms;
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput && io.ConfigInputTextCursorBlink) {
      redraw_ms = redraw_ms < 0 ? kCaretBlinkMs : std::min(redraw_ms, kCaretBlinkMs);
    }
    wake_at = redraw_ms < 0 ? kNever : SDL_GetTicks64() + static_cast<Uint64>(redraw_ms);
  }
}

}  // namespace feedback::ui
