#include "ui/headless_ui.h"

#include <cfloat>

#include "ui/touch_widgets.h"

namespace feedback::ui {

HeadlessUi::HeadlessUi(ImVec2 display_size, float dpi, const std::string& assets_dir)
    : HeadlessUi(display_size, [dpi] {
        Theme theme;
        theme.dpi = dpi;
        return theme;
      }(), assets_dir) {}

HeadlessUi::HeadlessUi(ImVec2 display_size, const Theme& theme, const std::string& assets_dir)
    : theme_(theme) {
  IMGUI_CHECKVERSION();
  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.DisplaySize = display_size;
  io.DeltaTime = 1.0f / 60.0f;
  io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  ApplyTheme(theme_, ImGui::GetStyle());
  Result<FontSet> fonts = LoadFonts(*io.Fonts, theme_, assets_dir);
  if (fonts.ok()) {
    fonts_ = *fonts;
    fonts_loaded_ = true;
  } else {
    io.Fonts->AddFontDefault();
    io.Fonts->Build();
  }
  // Without a renderer the atlas texture is never uploaded; building the pixels is what
  // a backend would do, and ImGui asserts that the atlas is built before NewFrame.
  unsigned char* pixels = nullptr;
  int width = 0;
  int height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
}

HeadlessUi::~HeadlessUi() { ImGui::DestroyContext(context_); }

void HeadlessUi::Frame(const std::function<void()>& draw) {
  ImGui::SetCurrentContext(context_);
  ImGui::NewFrame();
  BeginScreen("##headless");
  draw();
  EndScreen();
  ImGui::Render();
  const ImDrawData* data = ImGui::GetDrawData();
  last_vertex_count_ = data != nullptr ? data->TotalVtxCount : 0;
  ++frame_count_;
}

void HeadlessUi::MoveTo(ImVec2 pos) { ImGui::GetIO().MousePos = pos; }
void HeadlessUi::Press() { ImGui::GetIO().MouseDown[0] = true; }
void HeadlessUi::Release() { ImGui::GetIO().MouseDown[0] = false; }
void HeadlessUi::MoveAway() {
  ImGui::GetIO().MouseDown[0] = false;
  ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
}

void HeadlessUi::Tap(ImVec2 pos, const std::function<void()>& draw) {
  MoveTo(pos);
  Frame(draw);
  Press();
  Frame(draw);
  Release();
  Frame(draw);
  MoveAway();
}

}  // namespace feedback::ui
