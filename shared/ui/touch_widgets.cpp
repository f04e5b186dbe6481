#include "ui/touch_widgets.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "ui/item_probe.h"

namespace feedback::ui {
namespace {

// Largest comfortable cell: a 0-10 row on a wide screen should not become 11 giant tiles.
constexpr float kMaxCellMm = 28.0f;
constexpr float kSmileyMinMm = 22.0f;
constexpr float kSmileyMaxMm = 40.0f;

// Places an invisible ImGui button over `rect`; true on the tapped frame.
bool Target(int index, const Rect& rect, bool* held) {
  ImGui::SetCursorScreenPos(rect.min);
  ImGui::PushID(index);
  const bool tapped = ImGui::InvisibleButton("##t", ImVec2(rect.Width(), rect.Height()));
  ImGui::PopID();
  *held = ImGui::IsItemActive();
  return tapped;
}

// Leaves the layout cursor under everything drawn between `top_left` and `bottom`.
void EndBlock(ImVec2 top_left, float width, float bottom) {
  ImGui::SetCursorScreenPos(top_left);
  ImGui::Dummy(ImVec2(width, std::max(0.0f, bottom - top_left.y)));
}

// A label centred in its target, wrapped or shrunk to stay inside it (with a small inset).
void CenteredText(ImDrawList* dl, const Rect& rect, std::string_view text, ImU32 color,
                  std::string_view probe_name) {
  const float inset = std::min(6.0f, rect.Width() * 0.06f);
  const Rect box{ImVec2(rect.min.x + inset, rect.min.y + inset * 0.5f),
                 ImVec2(rect.max.x - inset, rect.max.y - inset * 0.5f)};
  const FittedText fitted =
      FitText(ImGui::GetFont(), ImGui::GetFontSize(), text, ImVec2(box.Width(), box.Height()));
  DrawFittedText(dl, ImGui::GetFont(), ImGui::GetFontSize(), fitted, box, color, TextAlign::kCenter,
                 probe_name);
}

// Line breaks of `text` at `wrap` pixels for `font` at `size` (words kept whole where
// they fit on a line of their own).
std::vector<std::string> WrapLines(ImFont* font, float size, std::string_view text, float wrap) {
  std::vector<std::string> lines;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  const float scale = size / font->FontSize;
  while (p < end) {
    const char* nl = std::find(p, end, '\n');
    const char* brk = font->CalcWordWrapPositionA(scale, p, nl, std::max(1.0f, wrap));
    if (brk == p) {
      // One word wider than the line: keep it whole (the check reports it).
      brk = p;
      while (brk < nl && *brk != ' ') ++brk;
    }
    const char* line_end = brk;
    while (line_end > p && line_end[-1] == ' ') --line_end;
    lines.emplace_back(p, line_end);
    p = brk;
    while (p < nl && *p == ' ') ++p;
    if (p == nl && nl < end) ++p;
  }
  if (lines.empty()) lines.emplace_back();
  return lines;
}

float LineWidth(ImFont* font, float size, std::string_view line) {
  return font->CalcTextSizeA(size, FLT_MAX, 0.0f, line.data(), line.data() + line.size()).x;
}

std::string ProbeName(const char* id, std::string_view value) {
  std::string name(id);
  name += '/';
  name += value;
  return name;
}

Rgba NpsColor(int value, const Theme& theme) {
  if (value <= 6) return theme.colors.detractor;
  if (value <= 8) return theme.colors.passive;
  return theme.colors.promoter;
}

Rgba Mix(const Rgba& a, const Rgba& b, float t) {
  auto lerp = [t](uint8_t x, uint8_t y) {
    return static_cast<uint8_t>(
        std::lround(static_cast<float>(x) + (static_cast<float>(y) - static_cast<float>(x)) * t));
  };
  return Rgba{lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b), lerp(a.a, b.a)};
}

}  // namespace

FittedText FitText(ImFont* font, float font_size, std::string_view text, ImVec2 box,
                   float min_scale) {
  FittedText out;
  const float line_factor = 1.1f;
  for (float scale = 1.0f;; scale = std::max(min_scale, scale - 0.1f)) {
    const float size = font_size * scale;
    out.scale = scale;
    out.lines = WrapLines(font, size, text, box.x);
    float w = 0.0f;
    for (const std::string& line : out.lines) w = std::max(w, LineWidth(font, size, line));
    const float h = size * (out.lines.size() == 1 ? 1.0f
                                                  : line_factor * static_cast<float>(out.lines.size()) -
                                                        (line_factor - 1.0f));
    out.size = ImVec2(w, h);
    if ((w <= box.x + 0.5f && h <= box.y + 0.5f) || scale <= min_scale) return out;
  }
}

void DrawFittedText(ImDrawList* dl, ImFont* font, float font_size, const FittedText& text,
                    const Rect& box, ImU32 color, TextAlign align, std::string_view probe_name,
                    bool top) {
  const float size = font_size * text.scale;
  const float line_h = size * 1.1f;
  float y = top ? box.min.y : std::floor(box.Center().y - text.size.y * 0.5f);
  const float y0 = y;
  float x_min = FLT_MAX;
  float x_max = -FLT_MAX;
  for (const std::string& line : text.lines) {
    const float w = LineWidth(font, size, line);
    float x = box.min.x;
    if (align == TextAlign::kCenter) x = std::floor(box.Center().x - w * 0.5f);
    if (align == TextAlign::kRight) x = box.max.x - w;
    dl->AddText(font, size, ImVec2(x, y), color, line.c_str());
    x_min = std::min(x_min, x);
    x_max = std::max(x_max, x + w);
    y += line_h;
  }
  if (!probe_name.empty() && ProbeEnabled() && x_max > x_min) {
    ProbeText(probe_name, ImVec2(x_min, y0), ImVec2(x_max, y0 + text.size.y), box.min, box.max);
  }
}

void BeginScreen(const char* id) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin(id, nullptr, kFlags);
}

void EndScreen() { ImGui::End(); }

std::vector<Rect> LayoutCells(ImVec2 origin, float width, int count, float min_cell, float max_cell,
                              float cell_height, float gap) {
  std::vector<Rect> cells;
  if (count <= 0) return cells;
  // How many cells of at least min_cell fit side by side; wrap into balanced rows if not all.
  int per_row = std::max(1, static_cast<int>(std::floor((width + gap) / (min_cell + gap))));
  per_row = std::min(per_row, count);
  const int rows = (count + per_row - 1) / per_row;
  per_row = (count + rows - 1) / rows;  // balance: 11 -> 6 + 5, not 10 + 1
  const float fit = (width - gap * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
  const float cell = std::clamp(fit, min_cell, std::max(min_cell, max_cell));
  cells.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const int row = i / per_row;
    const int col = i % per_row;
    const int in_row = std::min(per_row, count - row * per_row);
    const float row_width =
        cell * static_cast<float>(in_row) + gap * static_cast<float>(in_row - 1);
    const float x0 = origin.x + std::max(0.0f, (width - row_width) * 0.5f);
    const float x = x0 + static_cast<float>(col) * (cell + gap);
    const float y = origin.y + static_cast<float>(row) * (cell_height + gap);
    cells.push_back(Rect{ImVec2(x, y), ImVec2(x + cell, y + cell_height)});
  }
  return cells;
}

bool BigButton(const char* id, std::string_view label, const Theme& theme, ButtonKind kind,
               ImVec2 size) {
  const float min_px = theme.MinTargetPx();
  const float pad = theme.MmToPx(theme.sizing.padding_mm);
  const ImVec2 text = ImGui::CalcTextSize(label.data(), label.data() + label.size());
  const float avail = ImGui::GetContentRegionAvail().x;
  float w = size.x < 0.0f ? avail : (size.x > 0.0f ? size.x : text.x + 2.0f * pad);
  float h = size.y > 0.0f ? size.y : text.y + 2.0f * pad;
  w = std::max(w, min_px);
  h = std::max(h, min_px);

  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::PushID(id);
  const bool tapped = ImGui::InvisibleButton("##big", ImVec2(w, h));
  const bool held = ImGui::IsItemActive();
  ImGui::PopID();
  ProbeLastItem(id);

  const ThemeColors& c = theme.colors;
  Rgba fill = c.primary;
  Rgba ink = c.on_primary;
  if (kind == ButtonKind::kSecondary) {
    fill = c.surface;
    ink = c.text;
  } else if (kind == ButtonKind::kDanger) {
    fill = c.danger;
  }
  if (held)
    fill = kind == ButtonKind::kSecondary ? c.outline : Mix(fill, Rgba{0, 0, 0, 255}, 0.25f);
  const Rect rect{pos, ImVec2(pos.x + w, pos.y + h)};
  const float corner = theme.MmToPx(theme.sizing.corner_mm);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(rect.min, rect.max, fill.ToU32(), corner);
  if (kind == ButtonKind::kSecondary)
    dl->AddRect(rect.min, rect.max, c.outline.ToU32(), corner, 0, 2.0f);
  CenteredText(dl, rect, label, ink.ToU32(), std::string(id) + "/label");
  return tapped;
}

std::optional<int> ScaleRow(const char* id, std::optional<int> selected, const ScaleSpec& spec,
                            const Theme& theme) {
  const int count = spec.max - spec.min + 1;
  if (count <= 0) return std::nullopt;
  const float min_px = theme.MinTargetPx();
  const float gap = theme.GapPx();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float width = std::max(avail.x, min_px);
  const float max_cell = std::max(min_px, theme.MmToPx(kMaxCellMm));
  std::vector<Rect> cells = LayoutCells(origin, width, count, min_px, max_cell, min_px, gap);
  int rows = 1;
  for (size_t i = 1; i < cells.size(); ++i) {
    if (cells[i].min.y > cells[i - 1].min.y) ++rows;
  }

  // Anchors: the low one under the first cell of the first row, the high one under the
  // last cell of the last row, each wrapped into its half of the row.
  ImFont* font = ImGui::GetFont();
  const float font_size = ImGui::GetFontSize();
  const bool has_anchors = !spec.low_label.empty() || !spec.high_label.empty();
  const float row_left = cells.front().min.x;
  const float row_right = cells.back().max.x;
  float first_row_right = row_left;
  float last_row_left = row_right;
  for (const Rect& r : cells) {
    if (r.min.y == cells.front().min.y) first_row_right = std::max(first_row_right, r.max.x);
    if (r.min.y == cells.back().min.y) last_row_left = std::min(last_row_left, r.min.x);
  }
  float low_w = 0.0f;
  float high_w = 0.0f;
  if (rows == 1) {
    low_w = high_w = (row_right - row_left - gap) * 0.5f;
  } else {
    low_w = first_row_right - row_left;
    high_w = row_right - last_row_left;
  }
  const FittedText low = FitText(font, font_size * 0.8f, spec.low_label, ImVec2(low_w, font_size * 3.0f), 1.0f);
  const FittedText high = FitText(font, font_size * 0.8f, spec.high_label, ImVec2(high_w, font_size * 3.0f), 1.0f);
  const float low_h = spec.low_label.empty() ? 0.0f : low.size.y + gap * 0.5f;
  const float high_h = spec.high_label.empty() ? 0.0f : high.size.y + gap * 0.5f;
  // Square cells read as buttons: as wide as the layout gave, as tall as the height allows.
  float cell = cells.front().Width();
  if (avail.y > 0.0f) {
    const float anchors = rows == 1 ? std::max(low_h, high_h) : low_h + high_h;
    const float fit_h = (avail.y - anchors - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows);
    cell = std::max(min_px, std::min(cell, fit_h));
  }
  const float row_step = cell + gap + (rows > 1 ? low_h : 0.0f);
  for (Rect& r : cells) {
    const int row = static_cast<int>(std::round((r.min.y - origin.y) / (min_px + gap)));
    // Cells that end up narrower than tall stay squares, centred where the layout put them.
    const float cx = r.Center().x;
    const float half = std::min(cell, r.Width()) * 0.5f;
    r.min.x = cx - half;
    r.max.x = cx + half;
    r.min.y = origin.y + static_cast<float>(row) * row_step;
    r.max.y = r.min.y + cell;
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ThemeColors& c = theme.colors;
  const float corner = theme.MmToPx(theme.sizing.corner_mm);
  std::optional<int> tapped;
  ImGui::PushID(id);
  for (int i = 0; i < count; ++i) {
    const int value = spec.min + i;
    const Rect& r = cells[static_cast<size_t>(i)];
    bool held = false;
    if (Target(value, r, &held)) tapped = value;
    const std::string text = std::to_string(value);
    ProbeItem(ProbeName(id, text), r.min, r.max);

    const Rgba tone = spec.coloring == ScaleColoring::kNps ? NpsColor(value, theme) : c.primary;
    const bool is_selected = selected && *selected == value;
    Rgba fill = is_selected ? tone : c.surface;
    if (held) fill = Mix(tone, c.surface, 0.5f);
    dl->AddRectFilled(r.min, r.max, fill.ToU32(), corner);
    dl->AddRect(r.min, r.max, (is_selected ? tone : c.outline).ToU32(), corner, 0, 2.0f);
    if (spec.coloring == ScaleColoring::kNps && !is_selected) {
      // A coloured foot on each cell shows the NPS groups without relying on colour alone
      // for the selection (the selected cell is filled).
      const float foot = std::max(4.0f, r.Height() * 0.08f);
      dl->AddRectFilled(ImVec2(r.min.x, r.max.y - foot), r.max, tone.ToU32(), corner,
                        ImDrawFlags_RoundCornersBottom);
    }
    CenteredText(dl, r, text, (is_selected ? c.on_primary : c.text).ToU32(),
                 ProbeName(id, text) + "/label");
  }
  ImGui::PopID();

  float bottom = cells.back().max.y;
  if (has_anchors) {
    const ImU32 ink = c.muted_text.ToU32();
    const float low_y = (rows == 1 ? cells.back().max.y : cells.front().max.y) + gap * 0.5f;
    const float high_y = cells.back().max.y + gap * 0.5f;
    const float low_x = cells.front().min.x;
    const float high_x = cells.back().max.x;
    if (!spec.low_label.empty()) {
      DrawFittedText(dl, font, font_size * 0.8f, low, Rect{ImVec2(low_x, low_y), ImVec2(low_x + low_w, low_y + low.size.y)},
                     ink, TextAlign::kLeft, ProbeName(id, "low"), true);
    }
    if (!spec.high_label.empty()) {
      DrawFittedText(dl, font, font_size * 0.8f, high, Rect{ImVec2(high_x - high_w, high_y), ImVec2(high_x, high_y + high.size.y)},
                     ink, TextAlign::kRight, ProbeName(id, "high"), true);
    }
    bottom = std::max(bottom, std::max(low_y + low.size.y, high_y + high.size.y));
  }
  EndBlock(origin, width, bottom);
  return tapped;
}

std::optional<int> NpsRow(const char* id, std::optional<int> selected, std::string_view low_label,
                          std::string_view high_label, const Theme& theme) {
  return ScaleRow(id, selected, ScaleSpec{0, 10, low_label, high_label, ScaleColoring::kNps},
                  theme);
}

std::optional<int> RatingRow(const char* id, std::optional<int> selected, int points,
                             std::string_view low_label, std::string_view high_label,
                             const Theme& theme) {
  return ScaleRow(id, selected,
                  ScaleSpec{1, points, low_label, high_label, ScaleColoring::kNeutral}, theme);
}

void DrawSmiley(ImDrawList* dl, const Rect& rect, int mood, bool dimmed, bool selected,
                const Theme& theme) {
  mood = std::clamp(mood, 1, 5);
  const ThemeColors& c = theme.colors;
  const Rgba tones[5] = {c.detractor, Mix(c.detractor, c.passive, 0.5f), c.passive,
                         Mix(c.passive, c.promoter, 0.6f), c.promoter};
  const float alpha = dimmed ? 0.45f : 1.0f;
  const ImVec2 center = rect.Center();
  const float radius = std::min(rect.Width(), rect.Height()) * 0.5f * 0.86f;
  const ImU32 ink = c.text.WithAlpha(alpha).ToU32();
  if (selected)
    dl->AddCircle(center, radius * 1.12f, c.text.ToU32(), 0, std::max(3.0f, radius * 0.08f));
  dl->AddCircleFilled(center, radius, tones[mood - 1].WithAlpha(alpha).ToU32());
  // Eyes.
  const float eye_dx = radius * 0.36f;
  const float eye_y = center.y - radius * 0.25f;
  const float eye_r = std::max(2.0f, radius * 0.10f);
  dl->AddCircleFilled(ImVec2(center.x - eye_dx, eye_y), eye_r, ink);
  dl->AddCircleFilled(ImVec2(center.x + eye_dx, eye_y), eye_r, ink);
  // Mouth: a cubic curve that bends down (1) .. flat (3) .. up (5).
  const float curve = static_cast<float>(mood - 3) / 2.0f;  // -1 .. +1
  const float mouth_y = center.y + radius * 0.38f;
  const float half = radius * 0.45f;
  const float bend = curve * radius * 0.35f;
  const ImVec2 p0(center.x - half, mouth_y - bend * 0.5f);
  const ImVec2 p3(center.x + half, mouth_y - bend * 0.5f);
  const ImVec2 p1(center.x - half * 0.4f, mouth_y + bend);
  const ImVec2 p2(center.x + half * 0.4f, mouth_y + bend);
  dl->AddBezierCubic(p0, p1, p2, p3, ink, std::max(2.0f, radius * 0.09f), 24);
}

std::optional<int> SmileyRow(const char* id, std::optional<int> selected, const Theme& theme,
                             std::span<const std::string> labels) {
  const float min_px = std::max(theme.MinTargetPx(), theme.MmToPx(kSmileyMinMm));
  const float gap = theme.GapPx();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(ImGui::GetContentRegionAvail().x, min_px);
  std::vector<Rect> cells =
      LayoutCells(origin, width, 5, min_px, theme.MmToPx(kSmileyMaxMm), min_px, gap);
  const bool has_labels = labels.size() == 5;
  ImFont* font = ImGui::GetFont();
  const float font_size = ImGui::GetFontSize() * 0.8f;
  // Labels wrap within their face's width (two lines at most before they shrink).
  std::vector<FittedText> fitted;
  float label_h = 0.0f;
  if (has_labels) {
    for (const std::string& text : labels) {
      fitted.push_back(FitText(font, font_size, text,
                               ImVec2(cells[0].Width() - 4.0f, font_size * 2.3f)));
      if (!text.empty()) label_h = std::max(label_h, fitted.back().size.y + gap * 0.5f);
    }
  }
  // One row of 5 fits any screen we target; the faces shrink to the available height.
  const std::vector<Rect> slots = cells;
  const float avail_h = ImGui::GetContentRegionAvail().y;
  for (Rect& r : cells) {
    float side = r.Width();
    if (avail_h > 0.0f) side = std::max(min_px, std::min(side, avail_h - label_h));
    const float cx = r.Center().x;
    r.min.x = cx - side * 0.5f;
    r.max.x = cx + side * 0.5f;
    r.max.y = r.min.y + side;
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  std::optional<int> tapped;
  float bottom = origin.y;
  ImGui::PushID(id);
  for (int mood = 1; mood <= 5; ++mood) {
    Rect r = cells[static_cast<size_t>(mood - 1)];
    const Rect& slot = slots[static_cast<size_t>(mood - 1)];
    Rect target{ImVec2(slot.min.x, r.min.y), ImVec2(slot.max.x, r.max.y + label_h)};  // label included
    bool held = false;
    if (Target(mood, target, &held)) tapped = mood;
    ProbeItem(ProbeName(id, std::to_string(mood)), target.min, target.max);
    const bool is_selected = selected && *selected == mood;
    const bool dimmed = (selected && !is_selected) || held;
    DrawSmiley(dl, r, mood, dimmed, is_selected, theme);
    if (has_labels && !labels[static_cast<size_t>(mood - 1)].empty()) {
      const FittedText& text = fitted[static_cast<size_t>(mood - 1)];
      const Rect box{ImVec2(target.min.x + 2.0f, r.max.y + gap * 0.5f),
                     ImVec2(target.max.x - 2.0f, target.max.y)};
      DrawFittedText(dl, font, font_size, text, box, theme.colors.text.ToU32(), TextAlign::kCenter,
                     ProbeName(id, std::to_string(mood)) + "/label", true);
    }
    bottom = std::max(bottom, target.max.y);
  }
  ImGui::PopID();
  EndBlock(origin, width, bottom);
  return tapped;
}

std::optional<size_t> OptionList(const char* id, std::span<const std::string> labels,
                                 std::span<const int> selected, bool multi, const Theme& theme,
                                 int columns) {
  if (labels.empty()) return std::nullopt;
  const float min_px = theme.MinTargetPx();
  const float gap = theme.GapPx();
  const float pad = theme.MmToPx(theme.sizing.padding_mm);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(ImGui::GetContentRegionAvail().x, min_px);
  if (columns <= 0) columns = (labels.size() > 4 && width >= theme.MmToPx(160.0f)) ? 2 : 1;
  const float col_w = (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
  const float mark = std::max(theme.MmToPx(7.0f), ImGui::GetTextLineHeight());
  const float text_wrap = std::max(1.0f, col_w - 3.0f * pad - mark);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ThemeColors& c = theme.colors;
  const float corner = theme.MmToPx(theme.sizing.corner_mm);
  std::optional<size_t> tapped;
  float y = origin.y;
  float bottom = origin.y;
  ImGui::PushID(id);
  for (size_t i = 0; i < labels.size(); i += static_cast<size_t>(columns)) {
    // Cards of one visual row share the height of the tallest wrapped label.
    float row_h = min_px;
    for (size_t k = i; k < std::min(labels.size(), i + static_cast<size_t>(columns)); ++k) {
      const float th = ImGui::CalcTextSize(labels[k].c_str(), nullptr, false, text_wrap).y;
      row_h = std::max(row_h, th + 2.0f * pad);
    }
    for (size_t k = i; k < std::min(labels.size(), i + static_cast<size_t>(columns)); ++k) {
      const float x = origin.x + static_cast<float>(k - i) * (col_w + gap);
      const Rect r{ImVec2(x, y), ImVec2(x + col_w, y + row_h)};
      bool held = false;
      if (Target(static_cast<int>(k), r, &held)) tapped = k;
      ProbeItem(ProbeName(id, std::to_string(k)), r.min, r.max);
      const bool on =
          std::find(selected.begin(), selected.end(), static_cast<int>(k)) != selected.end();
      Rgba fill = on ? Mix(c.surface, c.primary, 0.18f) : c.surface;
      if (held) fill = Mix(c.surface, c.primary, 0.35f);
      dl->AddRectFilled(r.min, r.max, fill.ToU32(), corner);
      dl->AddRect(r.min, r.max, (on ? c.primary : c.outline).ToU32(), corner, 0, on ? 3.0f : 2.0f);
      // The mark: a radio circle (single choice) or a check box (multi).
      const ImVec2 mc(r.min.x + pad + mark * 0.5f, r.Center().y);
      const float thick = std::max(2.0f, mark * 0.09f);
      if (multi) {
        const ImVec2 a(mc.x - mark * 0.5f, mc.y - mark * 0.5f);
        const ImVec2 b(mc.x + mark * 0.5f, mc.y + mark * 0.5f);
        if (on) {
          dl->AddRectFilled(a, b, c.primary.ToU32(), corner * 0.5f);
          const ImVec2 tick[3] = {ImVec2(a.x + mark * 0.2f, mc.y),
                                  ImVec2(mc.x - mark * 0.08f, b.y - mark * 0.22f),
                                  ImVec2(b.x - mark * 0.18f, a.y + mark * 0.22f)};
          dl->AddPolyline(tick, 3, c.on_primary.ToU32(), ImDrawFlags_None, thick * 1.3f);
        } else {
          dl->AddRect(a, b, c.muted_text.ToU32(), corner * 0.5f, 0, thick);
        }
      } else {
        dl->AddCircle(mc, mark * 0.5f, (on ? c.primary : c.muted_text).ToU32(), 0, thick);
        if (on) dl->AddCircleFilled(mc, mark * 0.28f, c.primary.ToU32());
      }
      const Rect text_box{ImVec2(r.min.x + 2.0f * pad + mark, r.min.y + pad * 0.5f),
                          ImVec2(r.max.x - pad, r.max.y - pad * 0.5f)};
      const FittedText text = FitText(ImGui::GetFont(), ImGui::GetFontSize(), labels[k],
                                      ImVec2(text_box.Width(), text_box.Height()));
      DrawFittedText(dl, ImGui::GetFont(), ImGui::GetFontSize(), text, text_box, c.text.ToU32(),
                     TextAlign::kLeft, ProbeName(id, std::to_string(k)) + "/label");
      bottom = std::max(bottom, r.max.y);
    }
    y += row_h + gap;
  }
  ImGui::PopID();
  EndBlock(origin, width, bottom);
  return tapped;
}

std::optional<size_t> LanguageSwitch(const char* id, std::span<const LanguageOption> options,
                                     std::string_view current_code, const Theme& theme) {
  if (options.empty()) return std::nullopt;
  const float min_px = theme.MinTargetPx();
  const float gap = theme.GapPx();
  const float pad = theme.MmToPx(theme.sizing.padding_mm);
  const float corner = theme.MmToPx(theme.sizing.corner_mm);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ThemeColors& c = theme.colors;
  std::optional<size_t> tapped;
  float x = origin.x;
  ImGui::PushID(id);
  for (size_t i = 0; i < options.size(); ++i) {
    const std::string& label = options[i].label;
    const float w = std::max(min_px, ImGui::CalcTextSize(label.c_str()).x + 2.0f * pad);
    const Rect r{ImVec2(x, origin.y), ImVec2(x + w, origin.y + min_px)};
    bool held = false;
    if (Target(static_cast<int>(i), r, &held)) tapped = i;
    ProbeItem(ProbeName(id, options[i].code), r.min, r.max);
    const bool current = options[i].code == current_code;
    Rgba fill = current ? c.primary : c.surface;
    if (held) fill = Mix(c.surface, c.primary, 0.5f);
    dl->AddRectFilled(r.min, r.max, fill.ToU32(), corner);
    dl->AddRect(r.min, r.max, (current ? c.primary : c.outline).ToU32(), corner, 0, 2.0f);
    CenteredText(dl, r, label, (current ? c.on_primary : c.text).ToU32(),
                 ProbeName(id, options[i].code) + "/label");
    x += w + gap;
  }
  ImGui::PopID();
  EndBlock(origin, x - gap - origin.x, origin.y + min_px);
  return tapped;
}

}  // namespace feedback::ui
