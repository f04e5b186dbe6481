// HeadlessUi: a Dear ImGui context with no window and no backend, for unit tests of
// drawing code (STYLE.md point 7). It sets io.DisplaySize, builds the font atlas (the
// real theme fonts when available, else ImGui's built-in font), and runs
// NewFrame -> the test's draw function -> Render, feeding the pointer directly into
// io.MousePos / io.MouseDown (ImGui 1.86 has no input-event queue).
//
//   HeadlessUi ui(ImVec2(1920, 1080), /*dpi=*/96);
//   std::optional<int> tapped;
//   ui.Tap(point, [&] { if (auto v = NpsRow("nps", {}, "", "", ui.theme())) tapped = v; });
//
// Owns its ImGui context and makes it current on construction; destroy it on the
// thread that made it. One HeadlessUi at a time per thread (ImGui's current context is
// a global).
#pragma once

#include <imgui.h>

#include <functional>
#include <string>

#include "ui/fonts.h"
#include "ui/theme.h"

namespace feedback::ui {

class HeadlessUi {
 public:
  // `assets_dir` empty: fonts from the Debian packages. When no font file can be found
  // the built-in ImGui font is used and fonts_loaded() is false.
  explicit HeadlessUi(ImVec2 display_size, float dpi = 96.0f, const std::string& assets_dir = "");
  // With an app's own theme (its type sizes and colours); theme.dpi is the density used.
  HeadlessUi(ImVec2 display_size, const Theme& theme, const std::string& assets_dir);
  ~HeadlessUi();
  HeadlessUi(const HeadlessUi&) = delete;
  HeadlessUi& operator=(const HeadlessUi&) = delete;

  // One frame: the draw function runs inside a full-screen window (BeginScreen), with
  // the pointer state set by the calls below.
  void Frame(const std::function<void()>& draw);

  // Pointer control for the next Frame().
  void MoveTo(ImVec2 pos);
  void Press();
  void Release();
  void MoveAway();  // no pointer, like a finger lifted on a touch screen

  // A complete tap at `pos`: a hover frame, a press frame, a release frame (when ImGui
  // reports the click), then the pointer leaves. Runs `draw` in every frame.
  void Tap(ImVec2 pos, const std::function<void()>& draw);

  Theme& theme() { return theme_; }
  const FontSet& fonts() const { return fonts_; }
  bool fonts_loaded() const { return fonts_loaded_; }
  int frame_count() const { return frame_count_; }
  // Draw-list statistics of the last frame (proof that something was drawn).
  int last_vertex_count() const { return last_vertex_count_; }

 private:
  ImGuiContext* context_ = nullptr;
  Theme theme_;
  FontSet fonts_;
  bool fonts_loaded_ = false;
  int frame_count_ = 0;
  int last_vertex_count_ = 0;
};

}  // namespace feedback::ui
