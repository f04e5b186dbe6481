#include "ui/draw_util.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "ui/item_probe.h"

namespace feedback::kiosk {
namespace {

// Splits text into lines as ImGui's word wrap would, calling fn(begin, end) per line.
template <typename Fn>
int ForEachLine(ImFont* font, std::string_view text, float wrap_width, int max_lines, Fn fn) {
  const char* p = text.data();
  const char* end = text.data() + text.size();
  int lines = 0;
  while (p < end) {
    const char* nl = std::find(p, end, '\n');
    const char* brk = font->CalcWordWrapPositionA(1.0f, p, nl, wrap_width);
    if (brk == p) brk = p + 1;  // one glyph wider than the box: still make progress
    // Never split a UTF-8 sequence.
    while (brk < nl && (static_cast<unsigned char>(*brk) & 0xC0u) == 0x80u) ++brk;
    const char* line_end = brk;
    // Trailing spaces of a wrapped line are dropped; the text's own last line keeps
    // them, so a caret after a typed space sits after the space.
    if (brk < end) {
      while (line_end > p && line_end[-1] == ' ') --line_end;
    }
    ++lines;
    const bool last_allowed = max_lines > 0 && lines == max_lines;
    const char* next = brk;
    while (next < nl && *next == ' ') ++next;
    if (next == nl && nl < end) ++next;  // consume the newline
    fn(p, line_end, last_allowed && next < end);
    if (last_allowed) break;
    p = next;
  }
  return lines;
}

thread_local int g_text_probe_off = 0;

}  // namespace

TextProbeOff::TextProbeOff() { ++g_text_probe_off; }
TextProbeOff::~TextProbeOff() { --g_text_probe_off; }

float MeasureTextBlock(ImFont* font, std::string_view text, float wrap_width, int max_lines) {
  const int lines =
      ForEachLine(font, text, wrap_width, max_lines, [](const char*, const char*, bool) {});
  return static_cast<float>(lines) * font->FontSize * 1.15f;
}

float DrawTextBlock(ImDrawList* dl, ImFont* font, std::string_view text, float x, float y,
                    float wrap_width, ImU32 color, Align align, int max_lines, ImVec2* end_pos) {
  const float line_h = font->FontSize * 1.15f;
  float cy = y;
  float ink_min = FLT_MAX;
  float ink_max = -FLT_MAX;
  if (end_pos != nullptr) {
    *end_pos = ImVec2(x, y);
  }
  ForEachLine(font, text, wrap_width, max_lines, [&](const char* b, const char* e, bool truncated) {
    std::string line(b, e);
    if (truncated) {
      // Make room for the ellipsis within the wrap width.
      while (!line.empty() &&
             font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, (line + "\xE2\x80\xA6").c_str()).x >
                 wrap_width) {
        line.pop_back();
        while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0u) == 0x80u)
          line.pop_back();
        if (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0u) == 0xC0u)
          line.pop_back();
      }
      line += "\xE2\x80\xA6";
    }
    const float w = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, line.c_str()).x;
    float lx = x;
    if (align == Align::kCenter) lx = x - w * 0.5f;
    if (align == Align::kRight) lx = x - w;
    dl->AddText(font, font->FontSize, ImVec2(std::floor(lx), std::floor(cy)), color, line.c_str());
    if (end_pos != nullptr) *end_pos = ImVec2(lx + w, cy);
    ink_min = std::min(ink_min, lx);
    ink_max = std::max(ink_max, lx + w);
    cy += line_h;
  });
  if (g_text_probe_off == 0 && ui::ProbeEnabled() && ink_max > ink_min) {
    float box_x = x;
    if (align == Align::kCenter) box_x = x - wrap_width * 0.5f;
    if (align == Align::kRight) box_x = x - wrap_width;
    const float bottom = cy - line_h + font->FontSize;
    ui::ProbeText(ui::TextProbeName("text", text), ImVec2(std::floor(ink_min), y),
                  ImVec2(ink_max, bottom), ImVec2(box_x, y), ImVec2(box_x + wrap_width, bottom));
  }
  return cy - y;
}

void DrawBrandMark(ImDrawList* dl, ImVec2 c, float r, const ui::Theme& theme) {
  const ImU32 fill = theme.colors.primary.ToU32();
  const ImU32 ink = theme.colors.on_primary.ToU32();
  dl->AddCircleFilled(c, r, fill, 48);
  // The bubble's tail, bottom left.
  dl->AddTriangleFilled(ImVec2(c.x - r * 0.55f, c.y + r * 0.55f),
                        ImVec2(c.x - r * 0.95f, c.y + r * 1.05f),
                        ImVec2(c.x - r * 0.05f, c.y + r * 0.85f), fill);
  // A heart: two circles and a triangle.
  const float h = r * 0.42f;
  const float lobe = h * 0.5f;
  dl->AddCircleFilled(ImVec2(c.x - lobe * 0.95f, c.y - h * 0.25f), lobe, ink, 24);
  dl->AddCircleFilled(ImVec2(c.x + lobe * 0.95f, c.y - h * 0.25f), lobe, ink, 24);
  dl->AddTriangleFilled(ImVec2(c.x - h * 0.94f, c.y - h * 0.05f),
                        ImVec2(c.x + h * 0.94f, c.y - h * 0.05f), ImVec2(c.x, c.y + h * 0.95f),
                        ink);
}

void DrawCheckBadge(ImDrawList* dl, ImVec2 c, float r, ui::Rgba fill, ui::Rgba ink) {
  dl->AddCircleFilled(c, r, fill.ToU32(), 64);
  const ImVec2 pts[3] = {ImVec2(c.x - r * 0.42f, c.y + r * 0.02f),
                         ImVec2(c.x - r * 0.12f, c.y + r * 0.32f),
                         ImVec2(c.x + r * 0.45f, c.y - r * 0.30f)};
  dl->AddPolyline(pts, 3, ink.ToU32(), ImDrawFlags_None, r * 0.14f);
}

void DrawAlertBadge(ImDrawList* dl, ImVec2 c, float r, ui::Rgba fill, ui::Rgba ink) {
  dl->AddCircleFilled(c, r, fill.ToU32(), 64);
  const float w = r * 0.14f;
  dl->AddRectFilled(ImVec2(c.x - w * 0.5f, c.y - r * 0.55f),
                    ImVec2(c.x + w * 0.5f, c.y + r * 0.18f), ink.ToU32(), w * 0.5f);
  dl->AddCircleFilled(ImVec2(c.x, c.y + r * 0.42f), w * 0.62f, ink.ToU32(), 16);
}

void DrawCard(ImDrawList* dl, const ui::Rect& rect, const ui::Theme& theme) {
  const float corner = theme.MmToPx(theme.sizing.corner_mm) * 2.0f;
  const float shadow = std::max(2.0f, theme.MmToPx(0.8f));
  dl->AddRectFilled(ImVec2(rect.min.x, rect.min.y + shadow),
                    ImVec2(rect.max.x, rect.max.y + shadow), IM_COL32(0, 0, 0, 22), corner);
  dl->AddRectFilled(rect.min, rect.max, theme.colors.surface.ToU32(), corner);
  dl->AddRect(rect.min, rect.max, theme.colors.outline.WithAlpha(0.7f).ToU32(), corner, 0, 1.5f);
}

bool TouchTarget(const char* id, const ui::Rect& rect, std::string_view probe_name, bool* held) {
  ImGui::SetCursorScreenPos(rect.min);
  const bool tapped = ImGui::InvisibleButton(
      id, ImVec2(std::max(1.0f, rect.Width()), std::max(1.0f, rect.Height())));
  if (held != nullptr) *held = ImGui::IsItemActive();
  ui::ProbeItem(probe_name, rect.min, rect.max);
  return tapped;
}

}  // namespace feedback::kiosk
