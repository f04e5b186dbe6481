#include "ui/kiosk_screens.h"

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "logic/kiosk_strings.h"
#include "ui/draw_util.h"
#include "ui/item_probe.h"
#include "ui/onscreen_keyboard.h"
#include "ui/touch_widgets.h"

namespace feedback::kiosk {
namespace {

using ui::Rect;

std::string& LayoutNote() {
  static std::string note;
  return note;
}

// Screen geometry in pixels, derived from the theme's millimetres.
struct Layout {
  float w = 0;
  float h = 0;
  float margin = 0;  // outer margin
  float gap = 0;     // between neighbouring targets
  float target = 0;  // the minimum touch target (15 mm)
  float top_h = 0;   // the top bar
  float col_x = 0;   // the centred content column
  float col_w = 0;
  float nav_h = 0;  // Back / Next buttons
  float space = 1;  // 0.35..1: how much room the screen has for decorative spacing
  bool landscape = true;
};

// Everything one frame's drawing needs, and where the customer's intents go.
struct Ctx {
  const ScreenInput& in;
  const ui::FrameContext& frame;
  const ui::Theme& t;
  const ui::FontSet& fonts;
  Layout l;
  ImDrawList* dl;
  const std::string& locale;
  std::vector<Event>& out;

  float Mm(float mm) const { return t.MmToPx(mm); }
  // Decorative spacing: `mm` on a roomy screen, less on a small one.
  float Sp(float mm) const { return t.MmToPx(mm * l.space); }
  std::string_view S(Str id) const { return Tr(id, locale); }
  std::string_view SurveyText(const LocalizedText& text) const {
    return in.state.survey ? in.state.survey->Text(text, locale) : std::string_view();
  }
};

Layout MakeLayout(const ui::FrameContext& f) {
  const ui::Theme& t = f.theme;
  Layout l;
  l.w = f.display_size.x;
  l.h = f.display_size.y;
  // Decorative spacing follows the screen's short side (full from 200 mm up).
  l.space = std::clamp(std::min(t.PxToMm(l.w), t.PxToMm(l.h)) / 200.0f, 0.35f, 1.0f);
  l.margin = std::max(t.MmToPx(2.0f), t.MmToPx(8.0f * l.space));
  l.gap = t.GapPx();
  l.target = t.MinTargetPx();
  l.top_h = l.target + 2.0f * t.MmToPx(std::max(0.8f, 4.0f * l.space - 0.5f));
  l.col_w = std::min(l.w - 2.0f * l.margin, t.MmToPx(270.0f));
  l.col_x = std::floor((l.w - l.col_w) * 0.5f);
  l.nav_h = std::max(l.target, t.MmToPx(18.0f * l.space));
  l.landscape = l.w > l.h * 1.15f;
  return l;
}

size_t CodePoints(std::string_view text) { return ui::Utf8Length(text); }

// Long prompts get the smaller of the display fonts so they still fit; on a small
// screen the prompt may take at most `max_h` pixels.
ImFont* PromptFont(const Ctx& c, std::string_view text, float max_h = FLT_MAX) {
  ImFont* preferred = CodePoints(text) <= 80 ? c.fonts.title : c.fonts.large;
  for (ImFont* f : {preferred, c.fonts.large, c.fonts.bold}) {
    if (MeasureTextBlock(f, text, c.l.col_w) <= max_h) return f;
  }
  return c.fonts.bold;
}

float TextWidth(ImFont* font, std::string_view text) {
  return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size())
      .x;
}

// ---- Shared pieces -----------------------------------------------------------------

// The brand logo (a square image) centred on `center`, or the built-in mark.
void DrawLogo(Ctx& c, ImVec2 center, float radius) {
  if (c.in.logo != nullptr) {
    c.dl->AddImage(c.in.logo, ImVec2(center.x - radius, center.y - radius),
                   ImVec2(center.x + radius, center.y + radius));
  } else {
    DrawBrandMark(c.dl, center, radius * 0.85f, c.t);
  }
}

void TopBar(Ctx& c, bool admin_corner, bool show_progress) {
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  c.dl->AddRectFilled(ImVec2(0, 0), ImVec2(l.w, l.top_h), col.surface.ToU32());
  c.dl->AddRectFilled(ImVec2(0, l.top_h - c.Mm(0.8f)), ImVec2(l.w, l.top_h), col.primary.ToU32());

  const float r = l.top_h * 0.34f;
  const ImVec2 mark(l.margin + r, l.top_h * 0.48f);
  DrawLogo(c, mark, r);
  const float corner_right = std::max(mark.x + r + c.Sp(6.0f), l.target);
  float left_end = mark.x + r + c.Sp(4.0f);

  // Language switch, right-aligned: every screen offers it.
  std::vector<ui::LanguageOption> languages;
  if (c.in.state.survey) {
    for (const std::string& code : c.in.state.survey->locales) {
      languages.push_back({code, LanguageName(code)});
    }
  }
  float lang_x = l.w - l.margin;
  if (languages.size() > 1) {
    ImGui::PushFont(c.fonts.bold);
    const float pad = c.Mm(c.t.sizing.padding_mm);
    float width = 0;
    for (const ui::LanguageOption& o : languages) {
      width += std::max(l.target, ImGui::CalcTextSize(o.label.c_str()).x + 2.0f * pad) + l.gap;
    }
    width -= l.gap;
    lang_x = l.w - l.margin - width;
    ImGui::SetCursorScreenPos(ImVec2(lang_x, std::floor((l.top_h - l.target) * 0.5f)));
    if (auto tapped = ui::LanguageSwitch("lang", languages, c.locale, c.t)) {
      c.out.push_back(SetLocale{languages[*tapped].code});
    }
    ImGui::PopFont();
  }

  // The brand name, when the brand has one and there is room beside the logo.
  if (c.t.name != "default" && !c.t.name.empty() && !show_progress) {
    const float tw = TextWidth(c.fonts.large, c.t.name);
    if (lang_x - c.Sp(4.0f) - left_end > tw) {
      DrawTextBlock(c.dl, c.fonts.large, c.t.name, left_end,
                    std::floor(mark.y - c.fonts.large->FontSize * 0.5f), tw + 1.0f,
                    col.text.ToU32(), Align::kLeft);
      left_end += tw;
    }
  }
  if (admin_corner) {
    // Staff open the admin PIN pad by tapping the brand mark five times; customers
    // see nothing to press here.
    if (TouchTarget("##admin-corner", Rect{ImVec2(0, 0), ImVec2(corner_right, l.top_h)},
                    "admin-corner")) {
      c.out.push_back(AdminCornerTap{});
    }
  }

  if (show_progress) {
    const Progress p = QuestionProgress(c.in.state);
    if (p.total > 0) {
      const std::string label =
          Format(c.S(Str::kQuestionOf), {std::to_string(p.current), std::to_string(p.total)});
      // Centred on the screen when that keeps it clear of the logo and the languages,
      // else centred in the room between them; the type shrinks before it would touch.
      const float room_l = corner_right + c.Sp(3.0f);
      const float room_r = lang_x - c.Sp(3.0f);
      const float room = std::max(1.0f, room_r - room_l);
      ImFont* font = c.fonts.bold;
      const ui::FittedText fitted =
          ui::FitText(font, font->FontSize, label, ImVec2(room, font->FontSize * 1.2f), 0.6f);
      const float half = std::min(room, std::max(fitted.size.x, c.Mm(70.0f))) * 0.5f;
      float cx = l.w * 0.5f;
      if (cx - half < room_l || cx + half > room_r) cx = (room_l + room_r) * 0.5f;
      const float text_h = fitted.size.y;
      const float bh = c.Mm(1.8f);
      const float block_h = text_h + c.Mm(1.5f) + bh;
      const float y = std::floor((l.top_h - block_h) * 0.5f);
      ui::DrawFittedText(c.dl, font, font->FontSize, fitted,
                         Rect{ImVec2(cx - half, y), ImVec2(cx + half, y + text_h)},
                         col.muted_text.ToU32(), ui::TextAlign::kCenter, "progress", true);
      const float bar_w = std::min(c.Mm(70.0f), 2.0f * half);
      const float by = y + text_h + c.Mm(1.5f);
      const ImVec2 b0(std::floor(cx - bar_w * 0.5f), by);
      c.dl->AddRectFilled(b0, ImVec2(b0.x + bar_w, by + bh), col.outline.ToU32(), bh);
      const float frac = static_cast<float>(p.current) / static_cast<float>(p.total);
      c.dl->AddRectFilled(b0, ImVec2(b0.x + bar_w * frac, by + bh), col.primary.ToU32(), bh);
    }
  }
}

// Back (left) and Next / Skip (right) inside `row`, each as wide as its label wants
// (Back 50 mm, Next 62 mm on a roomy screen), both narrower when the row is short of
// room - their labels then wrap or shrink inside them.
void NavButtons(Ctx& c, bool show_back, std::string_view next_label, bool next_primary,
                const Rect& row) {
  ImGui::PushFont(c.fonts.large);
  const float pad = c.Mm(c.t.sizing.padding_mm);
  float back_w = show_back ? std::max(c.Sp(50.0f), TextWidth(c.fonts.large, c.S(Str::kBack)) +
                                                       2.0f * pad)
                           : 0.0f;
  float next_w = next_label.empty() ? 0.0f
                                    : std::max(c.Sp(62.0f), TextWidth(c.fonts.large, next_label) +
                                                                c.Sp(16.0f) + pad);
  if (row.Height() >= 2.0f * c.l.target + c.l.gap - 0.5f && row.Width() < c.l.col_w * 0.5f) {
    // A column beside the fields: Next on top, Back under it.
    const float h = (row.Height() - c.l.gap) * 0.5f;
    if (!next_label.empty()) {
      ImGui::SetCursorScreenPos(row.min);
      if (ui::BigButton("next", next_label, c.t,
                        next_primary ? ui::ButtonKind::kPrimary : ui::ButtonKind::kSecondary,
                        ImVec2(row.Width(), h))) {
        c.out.push_back(Next{});
      }
    }
    if (show_back) {
      ImGui::SetCursorScreenPos(ImVec2(row.min.x, row.max.y - h));
      if (ui::BigButton("back", c.S(Str::kBack), c.t, ui::ButtonKind::kSecondary,
                        ImVec2(row.Width(), h))) {
        c.out.push_back(Back{});
      }
    }
    ImGui::PopFont();
    return;
  }
  const float room = row.Width() - (show_back && !next_label.empty() ? c.l.gap * 2.0f : 0.0f);
  if (back_w + next_w > room) {
    const float k = room / (back_w + next_w);
    back_w = std::max(c.l.target, back_w * k);
    next_w = std::max(c.l.target, next_w * k);
  }
  const float h = row.Height();
  if (show_back) {
    ImGui::SetCursorScreenPos(row.min);
    if (ui::BigButton("back", c.S(Str::kBack), c.t, ui::ButtonKind::kSecondary,
                      ImVec2(back_w, h))) {
      c.out.push_back(Back{});
    }
  }
  if (!next_label.empty()) {
    ImGui::SetCursorScreenPos(ImVec2(row.max.x - next_w, row.min.y));
    if (ui::BigButton("next", next_label, c.t,
                      next_primary ? ui::ButtonKind::kPrimary : ui::ButtonKind::kSecondary,
                      ImVec2(next_w, h))) {
      c.out.push_back(Next{});
    }
  }
  ImGui::PopFont();
}

// Back (left) and Next / Skip (right) at the bottom of a question screen.
void NavBar(Ctx& c, bool show_back, std::string_view next_label, bool next_primary) {
  const Layout& l = c.l;
  NavButtons(c, show_back, next_label, next_primary,
             Rect{ImVec2(l.col_x, l.h - l.margin - l.nav_h),
                  ImVec2(l.col_x + l.col_w, l.h - l.margin)});
}

float DrawPrompt(Ctx& c, std::string_view text, float y, float max_h = FLT_MAX) {
  return DrawTextBlock(c.dl, PromptFont(c, text, max_h), text, c.l.w * 0.5f, y, c.l.col_w,
                       c.t.colors.text.ToU32(), Align::kCenter);
}

// ---- Attract -------------------------------------------------------------------------

void DrawAttractQuestion(Ctx& c, const Question& q);

void DrawAttract(Ctx& c) {
  if (c.in.state.survey && c.in.state.survey->attract_first_question &&
      !c.in.state.survey->questions.empty() && c.in.state.survey->questions.front().IsScore()) {
    return DrawAttractQuestion(c, c.in.state.survey->questions.front());
  }
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  TopBar(c, /*admin_corner=*/true, /*show_progress=*/false);

  // The published hero story (if any) sits at the bottom; the invitation is centred above.
  const std::vector<HeroStory>& stories = c.in.view.hero_stories;
  float content_bottom = l.h - l.margin;
  Rect card{};
  // The story card only where the invitation still fits above it.
  const float card_h = l.landscape ? c.Sp(62.0f) : c.Sp(80.0f);
  const float invitation_h =
      MeasureTextBlock(c.fonts.title, c.S(Str::kAttractTitle), l.col_w) + c.Mm(4.0f) +
      MeasureTextBlock(c.fonts.large, c.SurveyText(c.in.state.survey->title), l.col_w) +
      c.Mm(12.0f) + c.Mm(26.0f) + c.Mm(6.0f) +
      MeasureTextBlock(c.fonts.body, c.S(Str::kAttractPrompt), l.col_w) + c.Mm(14.0f);
  const bool has_story =
      !stories.empty() && l.h - l.margin - card_h - c.Mm(6.0f) - l.top_h >= invitation_h;
  if (has_story) {
    card =
        Rect{ImVec2(l.col_x, l.h - l.margin - card_h), ImVec2(l.col_x + l.col_w, l.h - l.margin)};
    content_bottom = card.min.y - c.Mm(6.0f);
  }

  const std::string_view title = c.S(Str::kAttractTitle);
  const std::string_view subtitle = c.SurveyText(c.in.state.survey->title);
  const float smiley = std::min(c.Mm(24.0f), (l.col_w - 4.0f * c.Mm(6.0f)) / 5.0f);
  const ImVec2 button_size(std::min(l.col_w, c.Mm(120.0f)), c.Mm(26.0f));
  const float title_h = MeasureTextBlock(c.fonts.title, title, l.col_w);
  const float sub_h = MeasureTextBlock(c.fonts.large, subtitle, l.col_w);
  const float hint_h = MeasureTextBlock(c.fonts.body, c.S(Str::kAttractPrompt), l.col_w);
  const float logo = c.Mm(34.0f);
  float block_h = title_h + c.Mm(4.0f) + sub_h + c.Mm(12.0f) + button_size.y + c.Mm(6.0f) + hint_h;
  const float room = content_bottom - l.top_h - c.Mm(8.0f);
  // Logo and smileys when there is room for them (not beside a story on a wide screen).
  const bool show_logo = block_h + logo + c.Mm(8.0f) <= room;
  if (show_logo) block_h += logo + c.Mm(8.0f);
  const bool show_smileys = block_h + smiley + c.Mm(10.0f) <= room;
  if (show_smileys) block_h += smiley + c.Mm(10.0f);
  float y = std::max(l.top_h + c.Mm(6.0f), l.top_h + (content_bottom - l.top_h - block_h) * 0.5f);

  const float cx = l.w * 0.5f;
  if (show_logo) {
    DrawLogo(c, ImVec2(cx, y + logo * 0.5f), logo * 0.5f);
    y += logo + c.Mm(8.0f);
  }
  y += DrawTextBlock(c.dl, c.fonts.title, title, cx, y, l.col_w, col.text.ToU32(), Align::kCenter);
  y += c.Mm(4.0f);
  y += DrawTextBlock(c.dl, c.fonts.large, subtitle, cx, y, l.col_w, col.muted_text.ToU32(),
                     Align::kCenter);
  y += c.Mm(12.0f);
  if (show_smileys) {
    const float row_w = smiley * 5.0f + c.Mm(6.0f) * 4.0f;
    for (int mood = 1; mood <= 5; ++mood) {
      const float x = cx - row_w * 0.5f + static_cast<float>(mood - 1) * (smiley + c.Mm(6.0f));
      ui::DrawSmiley(c.dl, Rect{ImVec2(x, y), ImVec2(x + smiley, y + smiley)}, mood, false, false,
                     c.t);
    }
    y += smiley + c.Mm(10.0f);
  }
  const Rect button{ImVec2(std::floor(cx - button_size.x * 0.5f), y),
                    ImVec2(std::floor(cx + button_size.x * 0.5f), y + button_size.y)};
  y += button_size.y + c.Mm(6.0f);
  DrawTextBlock(c.dl, c.fonts.body, c.S(Str::kAttractPrompt), cx, y, l.col_w,
                col.muted_text.ToU32(), Align::kCenter);

  if (has_story) {
    const HeroStory& story = stories[c.in.state.story_index % stories.size()];
    DrawCard(c.dl, card, c.t);
    const float pad = c.Mm(7.0f);
    c.dl->AddRectFilled(card.min, ImVec2(card.min.x + c.Mm(2.2f), card.max.y), col.accent.ToU32(),
                        c.Mm(c.t.sizing.corner_mm) * 2.0f, ImDrawFlags_RoundCornersLeft);
    float sy = card.min.y + pad * 0.8f;
    const float tx = card.min.x + pad;
    const float tw = card.Width() - 2.0f * pad;
    sy += DrawTextBlock(c.dl, c.fonts.bold, c.S(Str::kHeroWallTitle), tx, sy, tw,
                        col.primary.ToU32(), Align::kLeft);
    sy += c.Mm(2.0f);
    const std::string quoted = "\xE2\x80\x9C" + story.story + "\xE2\x80\x9D";  // “...”
    const int max_lines = l.landscape ? 2 : 4;
    sy += DrawTextBlock(c.dl, c.fonts.large, quoted, tx, sy, tw, col.text.ToU32(), Align::kLeft,
                        max_lines);
    sy += c.Mm(2.0f);
    const std::string who = "\xE2\x80\x94 " + story.staff_name;  // — Name
    DrawTextBlock(c.dl, c.fonts.bold, who, tx, sy, tw, col.muted_text.ToU32(), Align::kLeft);
    if (stories.size() > 1) {  // which story of how many
      const float dot = c.Mm(1.2f);
      const size_t n = std::min<size_t>(stories.size(), 12);
      for (size_t i = 0; i < n; ++i) {
        const ImVec2 p(card.max.x - pad - static_cast<float>(n - 1 - i) * dot * 3.5f,
                       card.max.y - pad * 0.8f);
        c.dl->AddCircleFilled(
            p, dot, (i == c.in.state.story_index % n ? col.primary : col.outline).ToU32());
      }
    }
  }

  // The whole screen below the top bar starts the survey; the drawn button is
  // what invites the tap. Submitted after the top bar so its buttons win.
  bool held = false;
  ImGui::SetCursorScreenPos(ImVec2(0, l.top_h));
  if (ImGui::InvisibleButton("##start", ImVec2(l.w, std::max(1.0f, l.h - l.top_h)))) {
    c.out.push_back(StartSurvey{});
  }
  held = ImGui::IsItemActive();
  ui::ProbeItem("start", button.min, button.max);
  const float corner = c.Mm(c.t.sizing.corner_mm) * 3.0f;
  c.dl->AddRectFilled(ImVec2(button.min.x, button.min.y + c.Mm(1.0f)),
                      ImVec2(button.max.x, button.max.y + c.Mm(1.0f)), IM_COL32(0, 0, 0, 30),
                      corner);
  c.dl->AddRectFilled(button.min, button.max, (held ? col.pressed : col.primary).ToU32(), corner);
  const std::string_view start = c.S(Str::kAttractStart);
  const ImVec2 center = button.Center();
  c.dl->AddText(c.fonts.large, c.fonts.large->FontSize,
                ImVec2(std::floor(center.x - TextWidth(c.fonts.large, start) * 0.5f),
                       std::floor(center.y - c.fonts.large->FontSize * 0.5f)),
                col.on_primary.ToU32(), start.data(), start.data() + start.size());
}

// The attract screen that already asks the survey's first question (a score question,
// "attract_first_question" in the definition): a tap on a score is the first answer.
// A smaller "start" button still opens the survey without answering.
void DrawAttractQuestion(Ctx& c, const Question& q) {
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  TopBar(c, /*admin_corner=*/true, /*show_progress=*/false);
  const float bottom = l.h - l.margin;
  const float start_h = l.target;
  const float hint_h = MeasureTextBlock(c.fonts.body, c.S(Str::kAttractAnswerHint), l.col_w);
  float y = l.top_h + c.Sp(8.0f);
  const float room = bottom - y;
  // Title and prompt share at most 35 % of the room.
  const std::string_view title = c.S(Str::kAttractTitle);
  ImFont* title_font = c.fonts.title;
  for (ImFont* f : {c.fonts.title, c.fonts.large, c.fonts.bold}) {
    title_font = f;
    if (MeasureTextBlock(f, title, l.col_w) <= room * 0.15f) break;
  }
  y += DrawTextBlock(c.dl, title_font, title, l.w * 0.5f, y, l.col_w, col.primary.ToU32(),
                     Align::kCenter);
  y += c.Sp(4.0f);
  y += DrawPrompt(c, c.SurveyText(q.prompt), y, room * 0.2f);
  y += c.Sp(8.0f);

  // The score row, as on the question screen.
  const float row_w = std::min(l.w - 2.0f * l.margin, c.Mm(330.0f));
  const float row_x = std::floor((l.w - row_w) * 0.5f);
  const float below = l.gap + hint_h + l.gap + start_h;
  const std::vector<HeroStory>& stories = c.in.view.hero_stories;
  const float story_h = l.landscape ? c.Sp(62.0f) : c.Sp(80.0f);
  // The story card only where it leaves the row a comfortable height.
  const bool has_story = !stories.empty() && bottom - y - below - story_h - c.Sp(6.0f) >= c.Mm(60.0f);
  const float row_bottom_max = bottom - below - (has_story ? story_h + c.Sp(6.0f) : 0.0f);
  // What the row will need (mirrors ScaleRow / SmileyRow), so nothing hides under it.
  const int count = q.Scale().max - q.Scale().min + 1;
  const float max_cell = q.type == QuestionType::kCsat ? c.Mm(40.0f) : c.Mm(28.0f);
  const float min_cell = q.type == QuestionType::kCsat ? std::max(l.target, c.Mm(22.0f)) : l.target;
  const std::vector<Rect> cells =
      ui::LayoutCells(ImVec2(0, 0), row_w, count, min_cell, max_cell, min_cell, l.gap);
  int rows = 1;
  for (size_t i = 1; i < cells.size(); ++i) rows += cells[i].min.y > cells[i - 1].min.y ? 1 : 0;
  const float anchor_h = c.fonts.large->FontSize * 0.8f * 2.3f + l.gap;
  const float need = static_cast<float>(rows) * (cells.front().Width() + anchor_h) +
                     static_cast<float>(rows - 1) * l.gap;
  const float row_h = std::min(row_bottom_max - y, need);
  const Rect region{ImVec2(row_x, y), ImVec2(row_x + row_w, y + std::max(l.target, row_h))};
  float used = 0.0f;
  InRegion("attract-answer", region, [&] {
    ImGui::PushFont(c.fonts.large);
    std::optional<int> tapped;
    const ImVec2 top = ImGui::GetCursorScreenPos();
    switch (q.type) {
      case QuestionType::kNps:
        tapped = ui::NpsRow(q.id.c_str(), std::nullopt, c.SurveyText(q.low_label),
                            c.SurveyText(q.high_label), c.t);
        break;
      case QuestionType::kCsat:
        tapped = ui::SmileyRow(q.id.c_str(), std::nullopt, c.t);
        break;
      default:
        tapped = ui::RatingRow(q.id.c_str(), std::nullopt, q.Scale().max, c.SurveyText(q.low_label),
                               c.SurveyText(q.high_label), c.t);
        break;
    }
    used = ImGui::GetCursorScreenPos().y - top.y;
    if (tapped) c.out.push_back(AnswerScore{*tapped});
    ImGui::PopFont();
  });
  (void)used;
  y = region.max.y + l.gap;
  y += DrawTextBlock(c.dl, c.fonts.body, c.S(Str::kAttractAnswerHint), l.w * 0.5f, y, l.col_w,
                     col.muted_text.ToU32(), Align::kCenter);
  y += l.gap;
  ImGui::PushFont(c.fonts.bold);
  const std::string_view start = c.S(Str::kAttractStart);
  const float start_w = std::min(l.col_w, TextWidth(c.fonts.bold, start) + c.Mm(12.0f));
  ImGui::SetCursorScreenPos(ImVec2(std::floor(l.w * 0.5f - start_w * 0.5f), y));
  if (ui::BigButton("start", start, c.t, ui::ButtonKind::kSecondary, ImVec2(start_w, start_h))) {
    c.out.push_back(StartSurvey{});
  }
  ImGui::PopFont();
  y += start_h + c.Sp(6.0f);

  if (has_story) {
    const HeroStory& story = stories[c.in.state.story_index % stories.size()];
    const Rect card{ImVec2(l.col_x, std::max(y, bottom - story_h)), ImVec2(l.col_x + l.col_w, bottom)};
    DrawCard(c.dl, card, c.t);
    const float pad = c.Sp(7.0f);
    float sy = card.min.y + pad * 0.8f;
    const float tx = card.min.x + pad;
    const float tw = card.Width() - 2.0f * pad;
    sy += DrawTextBlock(c.dl, c.fonts.bold, c.S(Str::kHeroWallTitle), tx, sy, tw,
                        col.primary.ToU32(), Align::kLeft);
    sy += c.Sp(2.0f);
    const std::string quoted = "\xE2\x80\x9C" + story.story + "\xE2\x80\x9D";  // “...”
    const float who_h = c.fonts.bold->FontSize * 1.15f + c.Sp(2.0f);
    const int max_lines = std::max(1, static_cast<int>((card.max.y - pad * 0.8f - who_h - sy) /
                                                       (c.fonts.large->FontSize * 1.15f)));
    sy += DrawTextBlock(c.dl, c.fonts.large, quoted, tx, sy, tw, col.text.ToU32(), Align::kLeft,
                        max_lines);
    sy += c.Sp(2.0f);
    DrawTextBlock(c.dl, c.fonts.bold, "\xE2\x80\x94 " + story.staff_name, tx, sy, tw,
                  col.muted_text.ToU32(), Align::kLeft);
  }
}

// "Still there?": shown over the question before the idle reset; any tap keeps the
// survey (the machine also treats any input as "yes").
void DrawStillThere(Ctx& c) {
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  if (TouchTarget("##still-anywhere", Rect{ImVec2(0, 0), ImVec2(l.w, l.h)}, "")) {
    c.out.push_back(StillHere{});
  }
  ui::ProbeBackdrop("still-anywhere", ImVec2(0, 0), ImVec2(l.w, l.h));
  const TimeMs left = std::max<TimeMs>(
      0, c.in.state.last_input_at + c.in.settings.idle_timeout_ms - c.in.now);
  const std::string body = Format(c.S(Str::kStillThereBody), {std::to_string((left + 999) / 1000)});
  const float r = c.Sp(16.0f);
  const float block = 2.0f * r + c.Sp(8.0f) + MeasureTextBlock(c.fonts.title, c.S(Str::kStillThereTitle), l.col_w) +
                      c.Sp(5.0f) + MeasureTextBlock(c.fonts.large, body, l.col_w) + c.Sp(10.0f) + l.nav_h;
  float y = std::max(l.margin, (l.h - block) * 0.45f);
  DrawAlertBadge(c.dl, ImVec2(l.w * 0.5f, y + r), r, col.accent, col.on_primary);
  y += 2.0f * r + c.Sp(8.0f);
  y += DrawTextBlock(c.dl, c.fonts.title, c.S(Str::kStillThereTitle), l.w * 0.5f, y, l.col_w,
                     col.text.ToU32(), Align::kCenter);
  y += c.Sp(5.0f);
  y += DrawTextBlock(c.dl, c.fonts.large, body, l.w * 0.5f, y, l.col_w, col.muted_text.ToU32(),
                     Align::kCenter);
  y += c.Sp(10.0f);
  ImGui::PushFont(c.fonts.large);
  const float w = std::min(l.col_w, std::max(c.Sp(90.0f), TextWidth(c.fonts.large, c.S(Str::kStillThereContinue)) + c.Mm(12.0f)));
  ImGui::SetCursorScreenPos(ImVec2(std::floor(l.w * 0.5f - w * 0.5f), y));
  if (ui::BigButton("still-here", c.S(Str::kStillThereContinue), c.t, ui::ButtonKind::kPrimary,
                    ImVec2(w, l.nav_h))) {
    c.out.push_back(StillHere{});
  }
  ImGui::PopFont();
}

// ---- Questions -----------------------------------------------------------------------

std::vector<std::string> OptionLabels(const Ctx& c, const Question& q) {
  std::vector<std::string> labels;
  for (const Option& o : q.options) labels.emplace_back(c.SurveyText(o.label));
  return labels;
}

// Draws a text box for `field`; tapping it moves the keyboard's focus there.
float DrawTextField(Ctx& c, const Question& q, TextField field, std::string_view caption,
                    ImVec2 pos, float width, bool multiline, float box_h) {
  const Session& s = c.in.state.session;
  const ui::ThemeColors& col = c.t.colors;
  float y = pos.y;
  if (!caption.empty()) {
    y +=
        DrawTextBlock(c.dl, c.fonts.bold, caption, pos.x, y, width, col.text.ToU32(), Align::kLeft);
    y += c.Mm(1.5f);
  }
  const float pad = c.Mm(3.0f * c.l.space + 0.5f);
  const Rect box{ImVec2(pos.x, y), ImVec2(pos.x + width, y + box_h)};
  const std::string probe = "field/" + std::string(TextFieldName(field));
  if (TouchTarget(("##" + probe).c_str(), box, probe)) c.out.push_back(FocusField{field});
  const bool focused = s.focus == field;
  const float corner = c.Mm(c.t.sizing.corner_mm) * 1.5f;
  c.dl->AddRectFilled(box.min, box.max, col.surface.ToU32(), corner);
  c.dl->AddRect(box.min, box.max, (focused ? col.primary : col.outline).ToU32(), corner, 0,
                focused ? 3.0f : 2.0f);

  const std::string& text = FieldText(s, field);
  const float text_w = width - 2.0f * pad;
  const ImVec2 text_pos(box.min.x + pad,
                        box.min.y + (multiline ? pad : (box_h - c.fonts.large->FontSize) * 0.5f));
  c.dl->PushClipRect(ImVec2(box.min.x + 2, box.min.y + 2), ImVec2(box.max.x - 2, box.max.y - 2),
                     true);
  std::optional<TextProbeOff> content;  // what is typed scrolls inside the box
  content.emplace();
  ImVec2 caret = text_pos;
  if (text.empty()) {
    if (focused) {
      DrawTextBlock(c.dl, c.fonts.large, c.S(Str::kTypeHint), text_pos.x, text_pos.y, text_w,
                    col.muted_text.WithAlpha(0.7f).ToU32(), Align::kLeft, 1);
    }
  } else if (multiline) {
    // Keep the end of a long comment in view, like any text box does.
    const float total = MeasureTextBlock(c.fonts.large, text, text_w);
    const float room = box_h - 2.0f * pad;
    const float shift = std::max(0.0f, total - room);
    DrawTextBlock(c.dl, c.fonts.large, text, text_pos.x, text_pos.y - shift, text_w,
                  col.text.ToU32(), Align::kLeft, 0, &caret);
  } else {
    // One line: show the tail when it is wider than the box.
    const float tw = TextWidth(c.fonts.large, text);
    const float x = text_pos.x - std::max(0.0f, tw - text_w + c.Mm(2.0f));
    c.dl->AddText(c.fonts.large, c.fonts.large->FontSize, ImVec2(x, text_pos.y), col.text.ToU32(),
                  text.c_str());
    caret = ImVec2(x + tw, text_pos.y);
  }
  if (focused) {
    c.dl->AddRectFilled(ImVec2(caret.x + 2.0f, caret.y),
                        ImVec2(caret.x + 5.0f, caret.y + c.fonts.large->FontSize),
                        col.primary.ToU32());
  }
  content.reset();
  c.dl->PopClipRect();
  y += box_h;
  if (multiline) {
    const size_t limit = TextFieldLimit(q, field);
    const size_t used = CodePoints(text);
    const std::string left =
        Format(c.S(Str::kCharsLeft), {std::to_string(limit > used ? limit - used : 0)});
    y += c.Mm(1.5f);
    y += DrawTextBlock(c.dl, c.fonts.body, left, box.max.x, y, width, col.muted_text.ToU32(),
                       Align::kRight);
  }
  return y - pos.y;
}

struct FieldSpec {
  TextField field;
  std::string caption;
  bool multiline;
};

// Where everything of a typing screen goes. Candidates are tried in order - the
// keyboard beside the fields (landscape), under them, then the narrow (7 keys a row)
// and compact (4 rows) keyboards - and the first whose keys reach the theme's target
// size wins; failing that, the one with the largest keys. The fields always sit above
// or beside the keyboard, never under it, and so do Back and Next.
struct KeyboardPlan {
  ui::KeyboardKind kind = ui::KeyboardKind::kFull;
  bool side = false;
  ImVec2 key;         // one-unit key size
  float score = 0;    // the smaller side of a key
  Rect kb;            // the keyboard's rows
  Rect text_area;     // prompt + fields
  int columns = 1;    // fields side by side
  float single_h = 0;
  float multi_h = 0;
  ImFont* prompt_font = nullptr;
  Rect nav;
  bool nav_beside = false;  // Next over Back in a column right of the fields
  Rect fields;              // where the fields go (under the prompt)
};

float CaptionHeight(const Ctx& c, const FieldSpec& f, float width) {
  return f.caption.empty() ? 0.0f : MeasureTextBlock(c.fonts.bold, f.caption, width) + c.Mm(1.5f);
}

// Height of the fields laid out in `columns` of `width` each (field boxes of the given heights).
float FieldsHeight(const Ctx& c, const std::vector<FieldSpec>& fields, int columns, float width,
                   float single_h, float multi_h) {
  float total = 0.0f;
  for (size_t i = 0; i < fields.size(); i += static_cast<size_t>(columns)) {
    float row = 0.0f;
    for (size_t k = i; k < std::min(fields.size(), i + static_cast<size_t>(columns)); ++k) {
      // A multi-line box has its "N characters left" line under it.
      const float counter =
          fields[k].multiline ? c.Mm(1.5f) + c.fonts.body->FontSize * 1.15f : 0.0f;
      row = std::max(row, CaptionHeight(c, fields[k], width) +
                              (fields[k].multiline ? multi_h : single_h) + counter);
    }
    total += row + c.l.gap;
  }
  return total;
}

KeyboardPlan PlanKeyboardScreen(const Ctx& c, std::string_view prompt, float chip_h,
                                const std::vector<FieldSpec>& fields) {
  const Layout& l = c.l;
  const float g = l.gap;
  const float pad = c.Mm(3.0f * l.space + 0.5f);
  const float max_key = c.Mm(22.0f);
  const float single_h = std::max(l.target, c.fonts.large->FontSize + 2.0f * pad);
  // A comment box shows two lines where there is room, one (scrolling) where there is not.
  const float multi_min = std::max(l.target, c.fonts.large->FontSize * 1.25f + 2.0f * pad);
  const float multi_pref = std::max(multi_min + c.fonts.large->FontSize * 1.15f,
                                    c.Mm((l.landscape ? 44.0f : 40.0f) * l.space));
  const bool has_multi =
      std::any_of(fields.begin(), fields.end(), [](const FieldSpec& f) { return f.multiline; });
  const float body_top = l.top_h + c.Sp(3.0f);
  const float bottom = l.h - l.margin;

  std::vector<KeyboardPlan> candidates;
  const float nav_col_w = std::min(l.col_w * 0.3f, std::max(c.Sp(45.0f), l.target * 2.0f));
  auto consider = [&](ui::KeyboardKind kind, bool side, int columns, bool nav_beside) {
    KeyboardPlan p;
    p.kind = kind;
    p.side = side;
    p.columns = columns;
    p.nav_beside = nav_beside;
    p.single_h = single_h;
    p.multi_h = multi_min;
    const int units = ui::KeyboardColumns(kind);
    const int rows = ui::KeyboardRows(kind);
    float text_w = l.col_w;
    float text_x = l.col_x;
    float kb_w = l.w - 2.0f * l.margin;
    if (side) {
      // The keyboard gets up to full-size keys; the fields keep at least 75 mm.
      const float left_min = c.Mm(std::max(40.0f, 75.0f * l.space));
      kb_w = std::min(10.0f * max_key + 9.0f * g, l.w - 3.0f * l.margin - left_min);
      text_x = l.margin;
      text_w = l.w - 3.0f * l.margin - kb_w;
      if (kb_w <= 0.0f || text_w <= 0.0f) return;
    }
    const float fields_w = nav_beside ? text_w - nav_col_w - g : text_w;
    const float field_w =
        (fields_w - g * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    // The prompt takes at most a seventh of the height: the keyboard needs the rest.
    const float prompt_max = (bottom - body_top) * (side ? 0.3f : 0.14f);
    p.prompt_font = c.fonts.bold;
    for (ImFont* f : {c.fonts.title, c.fonts.large, c.fonts.bold}) {
      p.prompt_font = f;
      if (MeasureTextBlock(f, prompt, text_w) <= prompt_max) break;
    }
    const float prompt_h = prompt.empty() ? 0.0f : MeasureTextBlock(p.prompt_font, prompt, text_w);
    const float head = prompt_h + chip_h + c.Sp(3.0f);
    const float nav_h = l.nav_h;
    const float nav_stack_h = 2.0f * l.target + g;
    float fields_h = FieldsHeight(c, fields, columns, field_w, single_h, multi_min);
    if (nav_beside) fields_h = std::max(fields_h, nav_stack_h + g);
    float key_w = std::min(max_key, (kb_w - g * static_cast<float>(units - 1)) / static_cast<float>(units));
    float key_h = 0.0f;
    if (side) {
      if (head + fields_h + g + nav_h > bottom - body_top) return;
      key_h = (bottom - body_top - g * static_cast<float>(rows - 1)) / static_cast<float>(rows);
    } else {
      const float fixed = head + fields_h + (nav_beside ? 0.0f : nav_h) + g;
      key_h = (bottom - body_top - fixed - g * static_cast<float>(rows - 1)) / static_cast<float>(rows);
    }
    key_h = std::min(key_h, key_w);
    if (key_h <= 0.0f) return;
    p.key = ImVec2(key_w, key_h);
    p.score = std::min(key_w, key_h);
    const float kb_h = key_h * static_cast<float>(rows) + g * static_cast<float>(rows - 1);
    const float kb_row_w = key_w * static_cast<float>(units) + g * static_cast<float>(units - 1);
    if (side) {
      const float kb_x = l.w - l.margin - kb_row_w;
      const float kb_y = body_top + std::max(0.0f, (bottom - body_top - kb_h) * 0.5f);
      p.kb = Rect{ImVec2(kb_x, kb_y), ImVec2(kb_x + kb_row_w, kb_y + kb_h)};
      // What is left of the column goes to the comment box (up to its preferred height).
      const float spare = bottom - body_top - head - fields_h - g - nav_h;
      if (has_multi) p.multi_h = multi_min + std::clamp(spare, 0.0f, multi_pref - multi_min);
      p.text_area = Rect{ImVec2(text_x, body_top), ImVec2(text_x + text_w, bottom - nav_h - g)};
      p.nav = Rect{ImVec2(text_x, bottom - nav_h), ImVec2(text_x + text_w, bottom)};
      p.fields = Rect{ImVec2(text_x, body_top + head), ImVec2(text_x + text_w, p.text_area.max.y)};
    } else {
      const float kb_x = std::floor(l.w * 0.5f - kb_row_w * 0.5f);
      p.kb = Rect{ImVec2(kb_x, bottom - kb_h), ImVec2(kb_x + kb_row_w, bottom)};
      const float spare = p.kb.min.y - body_top - head - fields_h - g -
                          (nav_beside ? 0.0f : nav_h);
      if (has_multi) p.multi_h = multi_min + std::clamp(spare, 0.0f, multi_pref - multi_min);
      float used_fields = FieldsHeight(c, fields, columns, field_w, single_h, p.multi_h);
      if (nav_beside) used_fields = std::max(used_fields, nav_stack_h + g);
      const float fields_y = body_top + head;
      p.text_area = Rect{ImVec2(text_x, body_top), ImVec2(text_x + text_w, fields_y + used_fields)};
      if (nav_beside) {
        p.nav = Rect{ImVec2(text_x + text_w - nav_col_w, fields_y),
                     ImVec2(text_x + text_w, fields_y + nav_stack_h)};
      } else {
        const float nav_y = fields_y + used_fields;
        p.nav = Rect{ImVec2(l.col_x, nav_y), ImVec2(l.col_x + l.col_w, nav_y + nav_h)};
      }
    }
    p.fields = Rect{ImVec2(text_x, body_top + head), ImVec2(text_x + fields_w, p.text_area.max.y)};
    candidates.push_back(p);
  };
  const int many = static_cast<int>(std::max<size_t>(1, fields.size()));
  using K = ui::KeyboardKind;
  if (l.landscape) consider(K::kFull, true, 1, false);
  consider(K::kFull, false, 1, false);
  consider(K::kFull, false, 1, true);
  if (l.landscape) consider(K::kCompact, true, 1, false);
  consider(K::kNarrow, false, 1, false);
  consider(K::kNarrow, false, 1, true);
  consider(K::kCompact, false, 1, false);
  consider(K::kCompact, false, 1, true);
  if (many > 1) {
    for (K kind : {K::kFull, K::kNarrow, K::kCompact}) {
      consider(kind, false, many, false);
      consider(kind, false, many, true);
    }
  }
  if (std::getenv("KIOSK_PLAN_DEBUG") != nullptr) {
    for (const KeyboardPlan& p : candidates)
      std::fprintf(stderr, "plan kind=%d side=%d cols=%d key=%.0fx%.0f target=%.0f\n",
                   static_cast<int>(p.kind), p.side, p.columns, p.key.x, p.key.y, l.target);
  }
  for (const KeyboardPlan& p : candidates) {
    if (p.score + 0.5f >= l.target) return p;
  }
  KeyboardPlan best;
  for (const KeyboardPlan& p : candidates) {
    if (p.score > best.score) best = p;
  }
  return best;
}

// A typing screen: prompt, the fields, Back / Next and the on-screen keyboard, laid out
// by PlanKeyboardScreen. Returns the plan (for the nav buttons).
KeyboardPlan DrawKeyboardScreen(Ctx& c, const Question& q, std::string_view prompt,
                                std::string_view chip, const std::vector<FieldSpec>& fields) {
  const ui::ThemeColors& col = c.t.colors;
  const Session& s = c.in.state.session;
  const std::string shown_chip =
      chip.empty() ? std::string() : "\xE2\x80\xA2 " + std::string(chip);  // "• Name"
  const float chip_h = chip.empty() ? 0.0f : c.fonts.bold->FontSize + c.Mm(3.0f) + c.Sp(2.5f);
  const KeyboardPlan plan = PlanKeyboardScreen(c, prompt, chip_h, fields);
  const Rect& area = plan.text_area;
  float y = area.min.y;
  if (!prompt.empty()) {
    y += DrawTextBlock(c.dl, plan.prompt_font, prompt, area.Center().x, y, area.Width(),
                       col.text.ToU32(), Align::kCenter);
  }
  if (!chip.empty()) {
    // Whom the story is about, as a pill under the prompt.
    y += c.Sp(2.5f);
    const float ph = c.fonts.bold->FontSize + c.Mm(3.0f);
    const float tw = std::min(TextWidth(c.fonts.bold, shown_chip), area.Width() - c.Mm(10.0f));
    const Rect pill{ImVec2(area.Center().x - tw * 0.5f - c.Mm(5.0f), y),
                    ImVec2(area.Center().x + tw * 0.5f + c.Mm(5.0f), y + ph)};
    c.dl->AddRectFilled(pill.min, pill.max, col.accent.WithAlpha(0.35f).ToU32(), ph * 0.5f);
    const ui::FittedText fitted = ui::FitText(c.fonts.bold, c.fonts.bold->FontSize, shown_chip,
                                              ImVec2(tw + 1.0f, ph), 0.6f);
    ui::DrawFittedText(c.dl, c.fonts.bold, c.fonts.bold->FontSize, fitted,
                       Rect{ImVec2(pill.min.x + c.Mm(5.0f), pill.min.y),
                            ImVec2(pill.max.x - c.Mm(5.0f), pill.max.y)},
                       col.text.ToU32(), ui::TextAlign::kCenter, "chip");
    y += ph;
  }
  y = std::max(y + c.Sp(3.0f), plan.fields.min.y);
  const float gap = c.l.gap;
  const float field_w = (plan.fields.Width() - gap * static_cast<float>(plan.columns - 1)) /
                        static_cast<float>(plan.columns);
  for (size_t i = 0; i < fields.size(); i += static_cast<size_t>(plan.columns)) {
    float row_h = 0.0f;
    for (size_t k = i; k < std::min(fields.size(), i + static_cast<size_t>(plan.columns)); ++k) {
      const float x = plan.fields.min.x + static_cast<float>(k - i) * (field_w + gap);
      row_h = std::max(row_h, DrawTextField(c, q, fields[k].field, fields[k].caption, ImVec2(x, y),
                                            field_w, fields[k].multiline,
                                            fields[k].multiline ? plan.multi_h : plan.single_h));
    }
    y += row_h + gap;
  }

  ui::KeyboardLabels labels;
  labels.space = std::string(c.S(Str::kSpace));
  labels.done = std::string(c.S(Str::kDone));
  const ui::KeyboardMode mode{plan.kind, plan.kind != ui::KeyboardKind::kFull && s.symbols};
  LayoutNote() = "kb=" + std::string(ui::KeyboardKindName(plan.kind));
  const ui::KeyboardLayout layout = ui::LayoutKeyboard(plan.kb.min, plan.kb.Width(), plan.key, gap,
                                                       s.shift, mode, c.t);
  ImGui::PushFont(c.fonts.large);
  std::optional<ui::KeyPress> key = ui::DrawKeyboard("kb", layout, s.shift, mode, c.t, labels);
  ImGui::PopFont();
  if (key) {
    const TextField field = s.focus;
    const std::string& current = FieldText(s, field);
    ui::TextEditResult r = ui::ApplyKeyPress(current, s.shift, *key, TextFieldLimit(q, field));
    if (r.text != current) c.out.push_back(SetText{field, r.text});
    if (r.shift != s.shift) c.out.push_back(SetShift{r.shift});
    if (r.toggle_layer) c.out.push_back(SetSymbols{!s.symbols});
    if (r.done) {
      // "Done" walks through the fields of a form, then goes on.
      auto it = std::find_if(fields.begin(), fields.end(),
                             [&](const FieldSpec& f) { return f.field == field; });
      if (it != fields.end() && it + 1 != fields.end()) {
        c.out.push_back(FocusField{(it + 1)->field});
      } else {
        c.out.push_back(Next{});
      }
    }
  }
  return plan;
}

std::string Caption(const Ctx& c, const Question& q, std::string_view key, Str fallback) {
  auto it = q.labels.find(key);
  if (it != q.labels.end()) {
    std::string_view text = c.SurveyText(it->second);
    if (!text.empty()) return std::string(text);
  }
  return std::string(c.S(fallback));
}

// The first letter of a name for the index: the first code point, upper-cased, with
// the Latin-1 accents folded away (Á -> A, Ö -> O); Ñ stays Ñ, as Spanish sorts it.
std::string IndexLetter(std::string_view name) {
  if (name.empty()) return "";
  const auto b0 = static_cast<unsigned char>(name[0]);
  if (b0 < 0x80) return std::string(1, static_cast<char>(std::toupper(b0)));
  if (b0 == 0xC3 && name.size() >= 2) {
    const auto b1 = static_cast<unsigned char>(name[1]);
    const unsigned cp = 0xC0u + (b1 & 0x3Fu);
    const unsigned lower = (cp >= 0xE0u) ? cp - 0x20u : cp;  // à..þ -> À..Þ
    if (lower == 0xD1u) return "\xC3\x91";                    // Ñ
    static const char kFold[] = "AAAAAAACEEEEIIII" "DNOOOOOxOUUUUYTs";  // À..ß
    if (lower >= 0xC0u && lower <= 0xDFu) return std::string(1, kFold[lower - 0xC0u]);
  }
  size_t n = 1;
  while (n < name.size() && (static_cast<unsigned char>(name[n]) & 0xC0u) == 0x80u) ++n;
  return std::string(name.substr(0, n));
}

// The hero picker: every name when they fit on the screen; else a first-letter index
// and pages of names (‹ and › around "someone else"). Long names wrap inside their
// buttons. Handles any roster size: nothing is ever cut off silently.
void DrawHeroPick(Ctx& c, const Question& q) {
  const Layout& l = c.l;
  const Session& s = c.in.state.session;
  float y = l.top_h + c.Sp(6.0f);
  const float head_max = (l.h - l.top_h) * 0.16f;
  y += DrawPrompt(c, c.SurveyText(q.prompt), y, head_max);
  y += c.Sp(2.0f);
  const std::string caption = Caption(c, q, "name", Str::kHeroNameCaption);
  const float caption_h = MeasureTextBlock(c.fonts.large, caption, l.col_w) + c.Sp(6.0f);
  const float caption_y = y;

  const float nav_top = l.h - l.margin - l.nav_h;
  const float btn_h = std::max(l.target, std::min(c.Mm(19.0f), c.fonts.large->FontSize * 2.4f));
  const float other_h = std::max(l.target, std::min(btn_h, c.Mm(16.0f)));
  const float other_y = nav_top - l.gap * 2.0f - other_h;
  const float min_btn_w = std::max(l.target * 2.2f, c.Mm(42.0f * std::max(0.7f, l.space)));
  const int cols = std::clamp(static_cast<int>((l.col_w + l.gap) / (min_btn_w + l.gap)), 1, 5);
  const float btn_w = (l.col_w - static_cast<float>(cols - 1) * l.gap) / static_cast<float>(cols);
  const std::vector<StaffMember>& roster = c.in.view.roster;
  auto rows_in = [&](float top) {
    return std::max(0, static_cast<int>((other_y - l.gap - top + l.gap) / (btn_h + l.gap)));
  };
  const size_t capacity_all = static_cast<size_t>(rows_in(y + caption_h) * cols);
  // The caption ("Who was it?") only where there is room for it and every name.
  if (roster.size() <= capacity_all) {
    DrawTextBlock(c.dl, c.fonts.large, caption, l.w * 0.5f, caption_y, l.col_w,
                  c.t.colors.muted_text.ToU32(), Align::kCenter);
    y += caption_h;
  }

  // The index: one button per first letter in the roster, plus "All".
  std::vector<std::string> letters;
  for (const StaffMember& m : roster) {
    const std::string letter = IndexLetter(m.display_name);
    if (std::find(letters.begin(), letters.end(), letter) == letters.end()) letters.push_back(letter);
  }
  std::sort(letters.begin(), letters.end());
  const bool indexed = roster.size() > capacity_all && letters.size() > 1;
  LayoutNote() = "roster=all";
  ImGui::PushFont(c.fonts.large);
  bool show_names = true;
  if (indexed) {
    letters.insert(letters.begin(), std::string(c.S(Str::kHeroAllNames)));
    const float key = l.target;
    const float all_w = std::max(key, TextWidth(c.fonts.large, letters[0]) + c.Mm(4.0f));
    const int per_row =
        std::max(1, static_cast<int>((l.col_w - all_w + key + l.gap) / (key + l.gap)));
    const int index_rows = (static_cast<int>(letters.size()) + per_row - 1) / per_row;
    const float index_h = static_cast<float>(index_rows) * (key + l.gap) + l.gap;
    // A short screen cannot show the index and names together: first the letters, then
    // that letter's names (with the index one tap away).
    const bool two_step = rows_in(y + index_h) < 1;
    const bool letters_now = !two_step || s.hero_letter.empty();
    LayoutNote() = two_step ? (letters_now ? "roster=letters" : "roster=names") : "roster=index";
    show_names = !two_step || !s.hero_letter.empty();
    float x = l.col_x;
    int in_row = 0;
    for (size_t i = 0; i < letters.size() && letters_now; ++i) {
      const bool all = i == 0;
      if (all && two_step) continue;  // step one: the letters only
      const float w = all ? all_w : key;
      if (in_row == per_row) {
        in_row = 0;
        x = l.col_x;
        y += key + l.gap;
      }
      const std::string letter = all ? std::string() : letters[i];
      const bool current = s.hero_letter == letter;
      const std::string id = all ? std::string("hero-letter/all") : "hero-letter/" + letters[i];
      ImGui::SetCursorScreenPos(ImVec2(x, y));
      if (ui::BigButton(id.c_str(), letters[i], c.t,
                        current ? ui::ButtonKind::kPrimary : ui::ButtonKind::kSecondary,
                        ImVec2(w, key))) {
        c.out.push_back(HeroLetter{letter});
      }
      x += w + l.gap;
      ++in_row;
    }
    if (letters_now) {
      y += key + l.gap * 2.0f;
    } else {
      // Step two: back to the letters from a button in front of the names.
      ImGui::SetCursorScreenPos(ImVec2(l.col_x, y));
      const std::string back_label = "< " + s.hero_letter;
      if (ui::BigButton("hero-letter/all", back_label, c.t, ui::ButtonKind::kPrimary,
                        ImVec2(all_w + key, btn_h))) {
        c.out.push_back(HeroLetter{""});
      }
      y += btn_h + l.gap;
    }
  }

  std::vector<const StaffMember*> names;
  for (const StaffMember& m : roster) {
    if (s.hero_letter.empty() || IndexLetter(m.display_name) == s.hero_letter) names.push_back(&m);
  }
  if (!show_names) names.clear();
  const size_t per_page = std::max<size_t>(1, static_cast<size_t>(rows_in(y) * cols));
  if (rows_in(y) < 1) names.clear();  // never a name over the buttons below
  const int pages = static_cast<int>((names.size() + per_page - 1) / per_page);
  const int page = std::clamp(s.hero_page, 0, std::max(0, pages - 1));
  const size_t first = static_cast<size_t>(page) * per_page;
  const size_t shown = std::min(per_page, names.size() - std::min(names.size(), first));
  for (size_t i = 0; i < shown; ++i) {
    const StaffMember& m = *names[first + i];
    const float x = l.col_x + static_cast<float>(i % static_cast<size_t>(cols)) * (btn_w + l.gap);
    const float by = y + static_cast<float>(i / static_cast<size_t>(cols)) * (btn_h + l.gap);
    ImGui::SetCursorScreenPos(ImVec2(x, by));
    const bool picked = s.edit_hero.staff_id == m.staff_id && !m.staff_id.empty();
    const std::string id = "staff/" + m.staff_id;
    if (ui::BigButton(id.c_str(), m.display_name, c.t,
                      picked ? ui::ButtonKind::kPrimary : ui::ButtonKind::kSecondary,
                      ImVec2(btn_w, btn_h))) {
      c.out.push_back(PickStaff{m.staff_id, m.display_name});
    }
  }

  // "Someone else", with the page arrows beside it when there are pages.
  float other_x = l.col_x;
  float other_w = l.col_w;
  if (pages > 1) {
    const float arrow = std::max(l.target, other_h);
    const std::string label = Format(c.S(Str::kHeroPage), {std::to_string(page + 1), std::to_string(pages)});
    ImGui::SetCursorScreenPos(ImVec2(l.col_x, other_y));
    if (ui::BigButton("hero-page/prev", "<", c.t, ui::ButtonKind::kSecondary,
                      ImVec2(arrow, other_h)) && page > 0) {
      c.out.push_back(HeroPage{page - 1});
    }
    ImGui::SetCursorScreenPos(ImVec2(l.col_x + l.col_w - arrow, other_y));
    if (ui::BigButton("hero-page/next", ">", c.t, ui::ButtonKind::kSecondary,
                      ImVec2(arrow, other_h)) && page + 1 < pages) {
      c.out.push_back(HeroPage{page + 1});
    }
    // Which page of how many, between the arrows and "someone else".
    const float label_w = TextWidth(c.fonts.bold, label) + c.Mm(3.0f);
    DrawTextBlock(c.dl, c.fonts.bold, label, l.col_x + arrow + l.gap, other_y + other_h * 0.5f - c.fonts.bold->FontSize * 0.5f,
                  label_w, c.t.colors.muted_text.ToU32(), Align::kLeft);
    other_x = l.col_x + arrow + l.gap * 2.0f + label_w;
    other_w = l.col_w - 2.0f * (arrow + l.gap) - l.gap - label_w;
  }
  ImGui::SetCursorScreenPos(ImVec2(other_x, other_y));
  const bool typed = !s.edit_hero.name.empty() && s.edit_hero.staff_id.empty();
  const std::string other = typed
                                ? std::string(c.S(Str::kHeroSomeoneElse)) + ": " + s.edit_hero.name
                                : std::string(c.S(Str::kHeroSomeoneElse));
  if (ui::BigButton("hero-type-name", other, c.t,
                    typed ? ui::ButtonKind::kPrimary : ui::ButtonKind::kSecondary,
                    ImVec2(std::max(l.target, other_w), other_h))) {
    c.out.push_back(TypeHeroName{});
  }
  ImGui::PopFont();
  NavBar(c, CanGoBack(c.in.state), c.S(Str::kHeroNoOne), /*next_primary=*/false);
}

void DrawContactAsk(Ctx& c, const Question& q) {
  const Layout& l = c.l;
  float y = l.top_h + c.Mm(10.0f);
  y += DrawPrompt(c, c.SurveyText(q.prompt), y);
  y += c.Mm(5.0f);
  y += DrawTextBlock(c.dl, c.fonts.body, c.S(Str::kContactPrivacy), l.w * 0.5f, y, l.col_w,
                     c.t.colors.muted_text.ToU32(), Align::kCenter);
  y += c.Mm(12.0f);
  const float bh = c.Mm(24.0f);
  ImGui::PushFont(c.fonts.large);
  if (l.landscape) {
    const float bw = (l.col_w - c.Mm(8.0f)) * 0.5f;
    ImGui::SetCursorScreenPos(ImVec2(l.col_x, y));
    if (ui::BigButton("contact-yes", c.S(Str::kContactYes), c.t, ui::ButtonKind::kPrimary,
                      ImVec2(bw, bh))) {
      c.out.push_back(ContactOptIn{true});
    }
    ImGui::SetCursorScreenPos(ImVec2(l.col_x + bw + c.Mm(8.0f), y));
    if (ui::BigButton("contact-no", c.S(Str::kContactNo), c.t, ui::ButtonKind::kSecondary,
                      ImVec2(bw, bh))) {
      c.out.push_back(ContactOptIn{false});
    }
  } else {
    ImGui::SetCursorScreenPos(ImVec2(l.col_x, y));
    if (ui::BigButton("contact-yes", c.S(Str::kContactYes), c.t, ui::ButtonKind::kPrimary,
                      ImVec2(l.col_w, bh))) {
      c.out.push_back(ContactOptIn{true});
    }
    ImGui::SetCursorScreenPos(ImVec2(l.col_x, y + bh + c.Mm(6.0f)));
    if (ui::BigButton("contact-no", c.S(Str::kContactNo), c.t, ui::ButtonKind::kSecondary,
                      ImVec2(l.col_w, bh))) {
      c.out.push_back(ContactOptIn{false});
    }
  }
  ImGui::PopFont();
  NavBar(c, CanGoBack(c.in.state), "", true);
}

void DrawQuestion(Ctx& c) {
  const KioskState& st = c.in.state;
  const Question& q = *CurrentQuestion(st);
  const Layout& l = c.l;
  const Session& s = st.session;
  TopBar(c, /*admin_corner=*/false, /*show_progress=*/true);

  switch (st.step) {
    case Step::kHeroName:
    {
      const KeyboardPlan plan = DrawKeyboardScreen(
          c, q, c.SurveyText(q.prompt), "",
          {{TextField::kHeroName, Caption(c, q, "name", Str::kHeroNameCaption), false}});
      // Next appears once a name is typed; the machine ignores it before that anyway.
      NavButtons(c, true, CanGoNext(st) ? c.S(Str::kNext) : "", true, plan.nav);
      return;
    }
    case Step::kHeroStory:
    {
      const KeyboardPlan plan =
          DrawKeyboardScreen(c, q, Caption(c, q, "story", Str::kHeroStoryCaption),
                             s.edit_hero.name, {{TextField::kHeroStory, "", true}});
      NavButtons(c, true, s.edit_hero.story.empty() ? c.S(Str::kSkip) : c.S(Str::kNext), true,
                 plan.nav);
      return;
    }
    case Step::kContactDetails: {
      std::vector<FieldSpec> fields;
      if (q.contact_fields.name)
        fields.push_back(
            {TextField::kContactName, Caption(c, q, "name", Str::kContactName), false});
      if (q.contact_fields.phone)
        fields.push_back(
            {TextField::kContactPhone, Caption(c, q, "phone", Str::kContactPhone), false});
      if (q.contact_fields.email)
        fields.push_back(
            {TextField::kContactEmail, Caption(c, q, "email", Str::kContactEmail), false});
      const KeyboardPlan plan = DrawKeyboardScreen(c, q, c.S(Str::kContactPrivacy), "", fields);
      NavButtons(c, true, c.S(Str::kNext), true, plan.nav);
      return;
    }
    case Step::kMain:
      break;
  }

  if (q.type == QuestionType::kHero) return DrawHeroPick(c, q);
  if (q.type == QuestionType::kContact) return DrawContactAsk(c, q);
  if (q.type == QuestionType::kText) {
    const KeyboardPlan plan =
        DrawKeyboardScreen(c, q, c.SurveyText(q.prompt), "", {{TextField::kAnswer, "", true}});
    const bool empty = s.edit_answer.empty();
    NavButtons(c, CanGoBack(st),
               CanGoNext(st) ? (empty ? c.S(Str::kSkip) : c.S(Str::kNext)) : "", !empty, plan.nav);
    return;
  }

  // Prompt and answer row as one block, centred between the top bar and the buttons.
  const std::string_view prompt = c.SurveyText(q.prompt);
  const float row_w = q.IsScore() ? std::min(l.w - 2.0f * l.margin, c.Mm(330.0f)) : l.col_w;
  const float row_x = std::floor((l.w - row_w) * 0.5f);
  float answer_h = 0.0f;
  if (q.IsScore()) {
    // Mirrors the widgets' layout: rows of cells up to 28 mm (smileys 40 mm), plus anchors.
    const int count = q.Scale().max - q.Scale().min + 1;
    const bool csat = q.type == QuestionType::kCsat;
    const float min_cell = csat ? std::max(l.target, c.Mm(22.0f)) : l.target;
    const std::vector<Rect> cells = ui::LayoutCells(ImVec2(0, 0), row_w, count, min_cell,
                                                    c.Mm(csat ? 40.0f : 28.0f), min_cell, l.gap);
    int rows = 1;
    for (size_t i = 1; i < cells.size(); ++i) rows += cells[i].min.y > cells[i - 1].min.y ? 1 : 0;
    answer_h = static_cast<float>(rows) *
                   (cells.front().Width() + c.fonts.large->FontSize * 0.8f * 2.3f + l.gap) +
               static_cast<float>(rows - 1) * l.gap;
  } else {
    answer_h = static_cast<float>(q.options.size()) * (l.target + l.gap);
  }
  const float prompt_gap = c.Sp(l.landscape ? 16.0f : 24.0f);
  const float area_top = l.top_h + c.Sp(8.0f);
  const float area_bottom = l.h - l.margin - l.nav_h - c.Sp(8.0f);
  const float prompt_max = (area_bottom - area_top) * 0.3f;
  const float block_h = MeasureTextBlock(PromptFont(c, prompt, prompt_max), prompt, l.col_w) +
                        prompt_gap + answer_h;
  float y = std::max(area_top, area_top + (area_bottom - area_top - block_h) * 0.42f);
  y += DrawPrompt(c, prompt, y, prompt_max);
  y += prompt_gap;
  const Rect region{ImVec2(row_x, y), ImVec2(row_x + row_w, l.h - l.margin - l.nav_h - c.Sp(4.0f))};
  const Answer* a = FindAnswer(s, q.id);
  const std::optional<int> selected = a != nullptr ? a->number : std::nullopt;
  InRegion("answer", region, [&] {
    ImGui::PushFont(c.fonts.large);
    std::optional<int> tapped;
    switch (q.type) {
      case QuestionType::kNps:
        tapped = ui::NpsRow(q.id.c_str(), selected, c.SurveyText(q.low_label),
                            c.SurveyText(q.high_label), c.t);
        break;
      case QuestionType::kCsat: {
        std::vector<std::string> labels;
        if (!q.low_label.empty() || !q.high_label.empty()) {
          labels = {std::string(c.SurveyText(q.low_label)), "", "", "",
                    std::string(c.SurveyText(q.high_label))};
        }
        tapped = ui::SmileyRow(q.id.c_str(), selected, c.t, labels);
        break;
      }
      case QuestionType::kCes:
      case QuestionType::kRating:
        tapped = ui::RatingRow(q.id.c_str(), selected, q.Scale().max, c.SurveyText(q.low_label),
                               c.SurveyText(q.high_label), c.t);
        break;
      case QuestionType::kChoice:
      case QuestionType::kMulti: {
        const std::vector<std::string> labels = OptionLabels(c, q);
        std::vector<int> on;
        for (size_t i = 0; i < q.options.size(); ++i) {
          if (a != nullptr && std::find(a->choices.begin(), a->choices.end(), q.options[i].id) !=
                                  a->choices.end()) {
            on.push_back(static_cast<int>(i));
          }
        }
        if (auto i =
                ui::OptionList(q.id.c_str(), labels, on, q.type == QuestionType::kMulti, c.t)) {
          c.out.push_back(ToggleOption{q.options[*i].id});
        }
        break;
      }
      default:
        break;
    }
    if (tapped) c.out.push_back(AnswerScore{*tapped});
    ImGui::PopFont();
  });
  const bool answered = a != nullptr;
  std::string_view next;
  if (CanGoNext(st)) next = answered ? c.S(Str::kNext) : c.S(Str::kSkip);
  NavBar(c, CanGoBack(st), next, answered);
}

// ---- Thank-you, saving, out of service --------------------------------------------

void DrawThankYou(Ctx& c) {
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  TopBar(c, false, false);
  const float r = c.Mm(l.landscape ? 20.0f : 26.0f);
  std::string hero_line;
  if (c.in.state.session.hero && !c.in.state.session.hero->name.empty()) {
    hero_line = Format(c.S(Str::kThankYouHero), {c.in.state.session.hero->name});
  }
  const float block =
      2 * r + c.Mm(10.0f) + MeasureTextBlock(c.fonts.title, c.S(Str::kThankYouTitle), l.col_w) +
      c.Mm(5.0f) + MeasureTextBlock(c.fonts.large, c.S(Str::kThankYouBody), l.col_w) +
      (hero_line.empty() ? 0.0f : c.Mm(5.0f) + MeasureTextBlock(c.fonts.large, hero_line, l.col_w));
  float y = l.top_h + std::max(c.Mm(8.0f), (l.h - l.top_h - block) * 0.45f);
  DrawCheckBadge(c.dl, ImVec2(l.w * 0.5f, y + r), r, col.promoter, col.on_primary);
  y += 2 * r + c.Mm(10.0f);
  y += DrawTextBlock(c.dl, c.fonts.title, c.S(Str::kThankYouTitle), l.w * 0.5f, y, l.col_w,
                     col.text.ToU32(), Align::kCenter);
  y += c.Mm(5.0f);
  y += DrawTextBlock(c.dl, c.fonts.large, c.S(Str::kThankYouBody), l.w * 0.5f, y, l.col_w,
                     col.muted_text.ToU32(), Align::kCenter);
  if (!hero_line.empty()) {
    y += c.Mm(5.0f);
    DrawTextBlock(c.dl, c.fonts.large, hero_line, l.w * 0.5f, y, l.col_w, col.primary.ToU32(),
                  Align::kCenter);
  }
  if (TouchTarget("##thanks", Rect{ImVec2(0, l.top_h), ImVec2(l.w, l.h)}, "thanks"))
    c.out.push_back(Next{});
}

void DrawSaving(Ctx& c) {
  TopBar(c, false, false);
  DrawTextBlock(c.dl, c.fonts.title, c.S(Str::kSaving), c.l.w * 0.5f, c.l.h * 0.45f, c.l.col_w,
                c.t.colors.muted_text.ToU32(), Align::kCenter);
}

void DrawOutOfService(Ctx& c) {
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  TopBar(c, /*admin_corner=*/true, false);
  const float r = c.Mm(18.0f);
  float y = l.top_h + (l.h - l.top_h) * 0.25f;
  DrawAlertBadge(c.dl, ImVec2(l.w * 0.5f, y), r, col.danger, col.on_primary);
  y += r + c.Mm(12.0f);
  y += DrawTextBlock(c.dl, c.fonts.title, c.S(Str::kOutOfServiceTitle), l.w * 0.5f, y, l.col_w,
                     col.text.ToU32(), Align::kCenter);
  y += c.Mm(5.0f);
  DrawTextBlock(c.dl, c.fonts.large, c.S(Str::kOutOfServiceBody), l.w * 0.5f, y, l.col_w,
                col.muted_text.ToU32(), Align::kCenter);
}

// ---- Admin ---------------------------------------------------------------------------

std::string LocalTime(TimeMs ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

void DrawAdminPin(Ctx& c) {
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  const KioskState& st = c.in.state;
  TopBar(c, false, false);
  float y = l.top_h + c.Mm(l.landscape ? 8.0f : 20.0f);
  y += DrawTextBlock(c.dl, c.fonts.large, c.S(Str::kAdminPinTitle), l.w * 0.5f, y, l.col_w,
                     col.text.ToU32(), Align::kCenter);
  y += c.Mm(5.0f);
  const size_t dots = std::max<size_t>(4, st.pin_entry.size());
  const float dr = c.Mm(2.6f);
  const float step = c.Mm(9.0f);
  for (size_t i = 0; i < dots; ++i) {
    const ImVec2 p(
        l.w * 0.5f + (static_cast<float>(i) - static_cast<float>(dots - 1) * 0.5f) * step, y + dr);
    if (i < st.pin_entry.size()) {
      c.dl->AddCircleFilled(p, dr, col.text.ToU32(), 24);
    } else {
      c.dl->AddCircle(p, dr, col.muted_text.ToU32(), 24, 2.0f);
    }
  }
  y += 2 * dr + c.Mm(4.0f);
  std::string message;
  const bool locked = PinLocked(st, c.in.now);
  if (!c.in.has_pin) {
    message = c.S(Str::kPinNotSet);
  } else if (locked) {
    const TimeMs left = st.pin_locked_until - c.in.now;
    message = Format(c.S(Str::kPinLocked), {std::to_string((left + 59'999) / 60'000)});
  } else if (st.pin_rejected) {
    message = c.S(Str::kPinWrong);
  }
  const float msg_h = c.fonts.body->FontSize * 1.2f;
  if (!message.empty()) {
    DrawTextBlock(c.dl, c.fonts.bold, message, l.w * 0.5f, y, l.col_w, col.danger.ToU32(),
                  Align::kCenter);
  }
  y += msg_h + c.Mm(4.0f);

  const float bottom = l.h - l.margin - l.nav_h - c.Mm(6.0f);
  const float key = std::clamp((bottom - y - 3.0f * l.gap) / 4.0f, l.target, c.Mm(22.0f));
  const float pad_w = 3.0f * key + 2.0f * l.gap;
  const char* labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"};
  ImGui::PushFont(c.fonts.large);
  for (int i = 0; i < 12; ++i) {
    const float x = l.w * 0.5f - pad_w * 0.5f + static_cast<float>(i % 3) * (key + l.gap);
    const float ky = y + static_cast<float>(i / 3) * (key + l.gap);
    ImGui::SetCursorScreenPos(ImVec2(std::floor(x), std::floor(ky)));
    const std::string id = std::string("pin/") + labels[i];
    std::string_view label = labels[i];
    ui::ButtonKind kind = ui::ButtonKind::kSecondary;
    if (i == 9) label = c.S(Str::kPinErase);
    if (i == 11) {
      label = c.S(Str::kOk);
      kind = ui::ButtonKind::kPrimary;
    }
    // The word on the erase key is longer than a digit: smaller type keeps it inside.
    if (i == 9) ImGui::PushFont(c.fonts.bold);
    const bool tapped = ui::BigButton(id.c_str(), label, c.t, kind, ImVec2(key, key));
    if (i == 9) ImGui::PopFont();
    if (tapped && !locked) {
      if (i == 9) {
        c.out.push_back(PinBackspace{});
      } else if (i == 11) {
        c.out.push_back(PinSubmit{});
      } else {
        c.out.push_back(PinDigit{labels[i][0] - '0'});
      }
    }
  }
  ImGui::SetCursorScreenPos(ImVec2(l.col_x, l.h - l.margin - l.nav_h));
  if (ui::BigButton("pin-cancel", c.S(Str::kCancel), c.t, ui::ButtonKind::kSecondary,
                    ImVec2(c.Mm(50.0f), l.nav_h))) {
    c.out.push_back(AdminClose{});
  }
  ImGui::PopFont();
}

void DrawAdmin(Ctx& c) {
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  const AdminStatus& a = c.in.view.admin;
  TopBar(c, false, false);
  float y = l.top_h + c.Mm(8.0f);
  y += DrawTextBlock(c.dl, c.fonts.title, c.S(Str::kAdminTitle), l.w * 0.5f, y, l.col_w,
                     col.text.ToU32(), Align::kCenter);
  y += c.Mm(6.0f);

  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back(c.S(Str::kAdminDevice), a.device_id.empty() ? "?" : a.device_id);
  rows.emplace_back(c.S(Str::kAdminSite), a.site_id.empty() ? "?" : a.site_id);
  rows.emplace_back(c.S(Str::kAdminSurvey), a.survey);
  std::string backlog = a.backlog ? std::to_string(*a.backlog) : "?";
  if (a.oldest_pending_at) backlog += "  (" + LocalTime(*a.oldest_pending_at) + ")";
  rows.emplace_back(c.S(Str::kAdminBacklog), backlog);
  rows.emplace_back(c.S(Str::kAdminLastSync), a.last_sync_success
                                                  ? LocalTime(*a.last_sync_success)
                                                  : std::string(c.S(Str::kAdminNever)));
  if (!a.last_sync_error.empty()) rows.emplace_back(c.S(Str::kAdminSyncError), a.last_sync_error);
  rows.emplace_back(c.S(Str::kAdminStore), a.store_problem.empty()
                                               ? std::string(c.S(Str::kAdminStoreOk))
                                               : a.store_problem);

  const float pad = c.Mm(6.0f);
  const float label_w = std::min(l.col_w * 0.42f, c.Mm(90.0f));
  const float value_w = l.col_w - 2.0f * pad - label_w;
  float card_h = 2.0f * pad;
  for (const auto& [label, value] : rows) {
    card_h += std::max(MeasureTextBlock(c.fonts.bold, label, label_w),
                       MeasureTextBlock(c.fonts.body, value, value_w, 3)) +
              c.Mm(3.0f);
  }
  const Rect card{ImVec2(l.col_x, y), ImVec2(l.col_x + l.col_w, y + card_h)};
  DrawCard(c.dl, card, c.t);
  float ry = y + pad;
  for (const auto& [label, value] : rows) {
    const float h1 = DrawTextBlock(c.dl, c.fonts.bold, label, card.min.x + pad, ry, label_w,
                                   col.muted_text.ToU32(), Align::kLeft);
    const bool bad = (&label == &rows.back().first && !a.store_problem.empty()) ||
                     label == c.S(Str::kAdminSyncError);
    const float h2 = DrawTextBlock(c.dl, c.fonts.body, value, card.min.x + pad + label_w, ry,
                                   value_w, (bad ? col.danger : col.text).ToU32(), Align::kLeft, 3);
    ry += std::max(h1, h2) + c.Mm(3.0f);
  }

  const float by = l.h - l.margin - l.nav_h;
  ImGui::PushFont(c.fonts.large);
  const float bw = std::min(c.Mm(95.0f), (l.col_w - c.Mm(8.0f)) * 0.5f);
  ImGui::SetCursorScreenPos(ImVec2(l.col_x, by));
  if (ui::BigButton("admin-close", c.S(Str::kAdminClose), c.t, ui::ButtonKind::kPrimary,
                    ImVec2(bw, l.nav_h))) {
    c.out.push_back(AdminClose{});
  }
  ImGui::SetCursorScreenPos(ImVec2(l.col_x + l.col_w - bw, by));
  if (ui::BigButton("admin-exit", c.S(Str::kAdminExit), c.t, ui::ButtonKind::kDanger,
                    ImVec2(bw, l.nav_h))) {
    c.out.push_back(AdminExit{});
  }
  ImGui::PopFont();
}

}  // namespace

std::vector<Event> DrawKiosk(const ScreenInput& input, const ui::FrameContext& frame) {
  ui::BeginScreen("kiosk");
  std::vector<Event> events = DrawKioskContent(input, frame);
  ui::EndScreen();
  return events;
}

const std::string& LastLayoutNote() { return LayoutNote(); }

std::vector<Event> DrawKioskContent(const ScreenInput& input, const ui::FrameContext& frame) {
  std::vector<Event> events;
  LayoutNote().clear();
  // Widget ids are scoped by screen so that a finger still down when the screen
  // changes cannot complete a tap on the next screen's button of the same name.
  const std::string scope = ScreenKey(input.state);
  ImGui::PushID(scope.c_str());
  ImGui::PushFont(frame.fonts.body);
  Ctx c{input,
        frame,
        frame.theme,
        frame.fonts,
        MakeLayout(frame),
        ImGui::GetWindowDrawList(),
        input.state.locale,
        events};
  switch (input.state.screen) {
    case Screen::kAttract:
      DrawAttract(c);
      break;
    case Screen::kQuestion:
      if (input.state.still_there) {
        DrawStillThere(c);
      } else if (CurrentQuestion(input.state) != nullptr) {
        DrawQuestion(c);
      }
      break;
    case Screen::kSaving:
      DrawSaving(c);
      break;
    case Screen::kThankYou:
      DrawThankYou(c);
      break;
    case Screen::kOutOfService:
      DrawOutOfService(c);
      break;
    case Screen::kAdminPin:
      DrawAdminPin(c);
      break;
    case Screen::kAdmin:
      DrawAdmin(c);
      break;
  }
  ImGui::PopFont();
  ImGui::PopID();
  return events;
}

}  // namespace feedback::kiosk
