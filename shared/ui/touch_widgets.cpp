#include "ui/touch_widgets.h"

#include <algorithm>
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

void CenteredText(ImDrawList* dl, const Rect& rect, std::string_view text, ImU32 color) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const ImVec2 size = ImGui::CalcTextSize(begin, end);
  const ImVec2 c = rect.Center();
  dl->AddText(ImVec2(std::floor(c.x - size.x * 0.5f), std::floor(c.y - size.y * 0.5f)), color,
              begin, end);
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
  CenteredText(dl, rect, label, ink.ToU32());
  return tapped;
}

std::optional<int> ScaleRow(const char* id, std::optional<int> selected, const ScaleSpec& spec,
                            const Theme& theme) {
  const int count = spec.max - spec.min + 1;
  if (count <= 0) return std::nullopt;
  const float min_px = theme.MinTargetPx();
  const float gap = theme.GapPx();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(ImGui::GetContentRegionAvail().x, min_px);
  const float max_cell = std::max(min_px, theme.MmToPx(kMaxCellMm));
  std::vector<Rect> cells = LayoutCells(origin, width, count, min_px, max_cell, min_px, gap);
  // Square cells read as buttons; the layout gave the width, match the height to it.
  for (Rect& r : cells) {
    const float row = std::round((r.min.y - origin.y) / (min_px + gap));
    r.min.y = origin.y + row * (r.Width() + gap);
    r.max.y = r.min.y + r.Width();
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
    CenteredText(dl, r, text, (is_selected ? c.on_primary : c.text).ToU32());
  }
  ImGui::PopID();

  float bottom = cells.back().max.y;
  if (!spec.low_label.empty() || !spec.high_label.empty()) {
    // Anchors sit under the first and the last cell of the first row.
    const float y = bottom + gap * 0.5f;
    const ImU32 ink = c.muted_text.ToU32();
    size_t last_in_first_row = 0;
    while (last_in_first_row + 1 < cells.size() &&
           cells[last_in_first_row + 1].min.y == cells[0].min.y) {
      ++last_in_first_row;
    }
    const std::string_view low = spec.low_label;
    const std::string_view high = spec.high_label;
    dl->AddText(ImVec2(cells[0].min.x, y), ink, low.data(), low.data() + low.size());
    const ImVec2 hs = ImGui::CalcTextSize(high.data(), high.data() + high.size());
    dl->AddText(ImVec2(cells.back().max.x - hs.x, y), ink, high.data(), high.data() + high.size());
    bottom = y + ImGui::GetTextLineHeight();
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
  for (Rect& r : cells) r.max.y = r.min.y + r.Width();  // one row of 5 fits any screen we target
  const bool has_labels = labels.size() == 5;
  const float label_h = has_labels ? ImGui::GetTextLineHeight() + gap * 0.5f : 0.0f;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  std::optional<int> tapped;
  float bottom = origin.y;
  ImGui::PushID(id);
  for (int mood = 1; mood <= 5; ++mood) {
    Rect r = cells[static_cast<size_t>(mood - 1)];
    Rect target = r;
    target.max.y += label_h;  // the label is part of the target
    bool held = false;
    if (Target(mood, target, &held)) tapped = mood;
    ProbeItem(ProbeName(id, std::to_string(mood)), target.min, target.max);
    const bool is_selected = selected && *selected == mood;
    const bool dimmed = (selected && !is_selected) || held;
    DrawSmiley(dl, r, mood, dimmed, is_selected, theme);
    if (has_labels) {
      const std::string& text = labels[static_cast<size_t>(mood - 1)];
      const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
      dl->AddText(ImVec2(r.Center().x - ts.x * 0.5f, r.max.y + gap * 0.5f),
                  theme.colors.text.ToU32(), text.c_str());
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
      const float th = ImGui::CalcTextSize(labels[k].c_str(), nullptr, false, text_wrap).y;
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(),
                  ImVec2(r.min.x + 2.0f * pad + mark, r.Center().y - th * 0.5f), c.text.ToU32(),
                  labels[k].c_str(), nullptr, text_wrap);
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
    CenteredText(dl, r, label, (current ? c.on_primary : c.text).ToU32());
    x += w + gap;
  }
  ImGui::PopID();
  EndBlock(origin, x - gap - origin.x, origin.y + min_px);
  return tapped;
}

}  // namespace feedback::ui
