#include "ui/kiosk_screens.h"

#include <algorithm>
#include <cmath>
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
  l.margin = t.MmToPx(8.0f);
  l.gap = t.GapPx();
  l.target = t.MinTargetPx();
  l.top_h = l.target + 2.0f * t.MmToPx(4.0f);
  l.col_w = std::min(l.w - 2.0f * l.margin, t.MmToPx(270.0f));
  l.col_x = std::floor((l.w - l.col_w) * 0.5f);
  l.nav_h = std::max(l.target, t.MmToPx(18.0f));
  l.landscape = l.w > l.h * 1.15f;
  return l;
}

size_t CodePoints(std::string_view text) { return ui::Utf8Length(text); }

// Long prompts get the smaller of the two display fonts so they still fit.
ImFont* PromptFont(const Ctx& c, std::string_view text) {
  return CodePoints(text) <= 80 ? c.fonts.title : c.fonts.large;
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
  float text_x = mark.x + r + c.Mm(4.0f);
  if (c.t.name != "default" && !c.t.name.empty()) {
    c.dl->AddText(c.fonts.large, c.fonts.large->FontSize,
                  ImVec2(text_x, std::floor(mark.y - c.fonts.large->FontSize * 0.5f)),
                  col.text.ToU32(), c.t.name.c_str());
    text_x += TextWidth(c.fonts.large, c.t.name);
  }
  if (admin_corner) {
    // Staff open the admin PIN pad by tapping the brand mark five times; customers
    // see nothing to press here.
    if (TouchTarget("##admin-corner", Rect{ImVec2(0, 0), ImVec2(mark.x + r + c.Mm(6.0f), l.top_h)},
                    "admin-corner")) {
      c.out.push_back(AdminCornerTap{});
    }
  }

  // Language switch, right-aligned: every screen offers it.
  std::vector<ui::LanguageOption> languages;
  if (c.in.state.survey) {
    for (const std::string& code : c.in.state.survey->locales) {
      languages.push_back({code, LanguageName(code)});
    }
  }
  if (languages.size() > 1) {
    ImGui::PushFont(c.fonts.bold);
    const float pad = c.Mm(c.t.sizing.padding_mm);
    float width = 0;
    for (const ui::LanguageOption& o : languages) {
      width += std::max(l.target, ImGui::CalcTextSize(o.label.c_str()).x + 2.0f * pad) + l.gap;
    }
    width -= l.gap;
    ImGui::SetCursorScreenPos(
        ImVec2(l.w - l.margin - width, std::floor((l.top_h - l.target) * 0.5f)));
    if (auto tapped = ui::LanguageSwitch("lang", languages, c.locale, c.t)) {
      c.out.push_back(SetLocale{languages[*tapped].code});
    }
    ImGui::PopFont();
  }

  if (show_progress) {
    const Progress p = QuestionProgress(c.in.state);
    if (p.total > 0) {
      const std::string label =
          Format(c.S(Str::kQuestionOf), {std::to_string(p.current), std::to_string(p.total)});
      ImFont* font = c.fonts.bold;
      const float bar_w = std::min(c.Mm(70.0f), l.w * 0.3f);
      const float y = l.top_h * 0.5f - font->FontSize * 0.85f;
      c.dl->AddText(font, font->FontSize,
                    ImVec2(std::floor(l.w * 0.5f - TextWidth(font, label) * 0.5f), y),
                    col.muted_text.ToU32(), label.c_str());
      const float by = y + font->FontSize * 1.35f;
      const float bh = c.Mm(1.8f);
      const ImVec2 b0(std::floor(l.w * 0.5f - bar_w * 0.5f), by);
      c.dl->AddRectFilled(b0, ImVec2(b0.x + bar_w, by + bh), col.outline.ToU32(), bh);
      const float frac = static_cast<float>(p.current) / static_cast<float>(p.total);
      c.dl->AddRectFilled(b0, ImVec2(b0.x + bar_w * frac, by + bh), col.primary.ToU32(), bh);
    }
  }
}

// Back (left) and Next / Skip (right) at the bottom of a question screen.
void NavBar(Ctx& c, bool show_back, std::string_view next_label, bool next_primary) {
  const Layout& l = c.l;
  const float y = l.h - l.margin - l.nav_h;
  ImGui::PushFont(c.fonts.large);
  if (show_back) {
    ImGui::SetCursorScreenPos(ImVec2(l.col_x, y));
    if (ui::BigButton("back", c.S(Str::kBack), c.t, ui::ButtonKind::kSecondary,
                      ImVec2(c.Mm(50.0f), l.nav_h))) {
      c.out.push_back(Back{});
    }
  }
  if (!next_label.empty()) {
    const float w = std::max(c.Mm(62.0f), TextWidth(c.fonts.large, next_label) + c.Mm(16.0f));
    ImGui::SetCursorScreenPos(ImVec2(l.col_x + l.col_w - w, y));
    if (ui::BigButton("next", next_label, c.t,
                      next_primary ? ui::ButtonKind::kPrimary : ui::ButtonKind::kSecondary,
                      ImVec2(w, l.nav_h))) {
      c.out.push_back(Next{});
    }
  }
  ImGui::PopFont();
}

float DrawPrompt(Ctx& c, std::string_view text, float y) {
  return DrawTextBlock(c.dl, PromptFont(c, text), text, c.l.w * 0.5f, y, c.l.col_w,
                       c.t.colors.text.ToU32(), Align::kCenter);
}

// ---- Attract -------------------------------------------------------------------------

void DrawAttract(Ctx& c) {
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  TopBar(c, /*admin_corner=*/true, /*show_progress=*/false);

  // The published hero story (if any) sits at the bottom; the invitation is centred above.
  const std::vector<HeroStory>& stories = c.in.view.hero_stories;
  float content_bottom = l.h - l.margin;
  Rect card{};
  const bool has_story = !stories.empty();
  if (has_story) {
    const float card_h = l.landscape ? c.Mm(62.0f) : c.Mm(80.0f);
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

// ---- Questions -----------------------------------------------------------------------

std::vector<std::string> OptionLabels(const Ctx& c, const Question& q) {
  std::vector<std::string> labels;
  for (const Option& o : q.options) labels.emplace_back(c.SurveyText(o.label));
  return labels;
}

// Draws a text box for `field`; tapping it moves the keyboard's focus there.
float DrawTextField(Ctx& c, const Question& q, TextField field, std::string_view caption,
                    ImVec2 pos, float width, bool multiline) {
  const Session& s = c.in.state.session;
  const ui::ThemeColors& col = c.t.colors;
  float y = pos.y;
  if (!caption.empty()) {
    y +=
        DrawTextBlock(c.dl, c.fonts.bold, caption, pos.x, y, width, col.text.ToU32(), Align::kLeft);
    y += c.Mm(1.5f);
  }
  const float pad = c.Mm(3.5f);
  const float box_h = multiline ? c.Mm(c.l.landscape ? 44.0f : 40.0f)
                                : std::max(c.l.target, c.fonts.large->FontSize + 2.0f * pad);
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

// A typing screen: prompt, the fields, and the on-screen keyboard (beside the
// fields on a landscape screen, under them on a portrait one).
void DrawKeyboardScreen(Ctx& c, const Question& q, std::string_view prompt, std::string_view chip,
                        const std::vector<FieldSpec>& fields) {
  const Layout& l = c.l;
  const ui::ThemeColors& col = c.t.colors;
  const Session& s = c.in.state.session;
  float y = l.top_h + c.Mm(7.0f);
  y += DrawPrompt(c, prompt, y);
  if (!chip.empty()) {
    // Whom the story is about, as a pill under the prompt.
    y += c.Mm(2.5f);
    const std::string shown =
        "\xE2\x80\xA2 " + std::string(chip);  // "• Name" (the font has no star)
    const float tw = TextWidth(c.fonts.bold, shown);
    const float ph = c.fonts.bold->FontSize + c.Mm(3.0f);
    const Rect pill{ImVec2(l.w * 0.5f - tw * 0.5f - c.Mm(5.0f), y),
                    ImVec2(l.w * 0.5f + tw * 0.5f + c.Mm(5.0f), y + ph)};
    c.dl->AddRectFilled(pill.min, pill.max, col.accent.WithAlpha(0.35f).ToU32(), ph * 0.5f);
    c.dl->AddText(c.fonts.bold, c.fonts.bold->FontSize,
                  ImVec2(pill.min.x + c.Mm(5.0f), y + c.Mm(1.5f)), col.text.ToU32(), shown.c_str());
    y += ph;
  }
  y += c.Mm(6.0f);
  const float area_bottom = l.h - l.margin - l.nav_h - c.Mm(6.0f);
  const float gap = l.gap;
  const float max_key = c.Mm(22.0f);

  float fields_x = l.col_x;
  float fields_w = l.col_w;
  Rect kb{};
  if (l.landscape) {
    const float key = std::clamp((area_bottom - y - 5.0f * gap) / 6.0f, l.target, max_key);
    const float kb_w = 10.0f * key + 9.0f * gap;
    const float left = l.margin * 2.0f;
    const float right = l.w - l.margin * 2.0f;
    kb = Rect{ImVec2(right - kb_w, y), ImVec2(right, y + 6.0f * key + 5.0f * gap)};
    fields_x = left;
    fields_w = std::max(c.Mm(80.0f), kb.min.x - c.Mm(12.0f) - left);
  }
  float fy = y;
  for (const FieldSpec& f : fields) {
    fy += DrawTextField(c, q, f.field, f.caption, ImVec2(fields_x, fy), fields_w, f.multiline);
    fy += c.Mm(4.0f);
  }
  if (!l.landscape) {
    const float top = fy + c.Mm(4.0f);
    const float key = std::clamp(
        std::min((l.col_w - 9.0f * gap) / 10.0f, (area_bottom - top - 5.0f * gap) / 6.0f), l.target,
        max_key);
    const float kb_w = 10.0f * key + 9.0f * gap;
    kb = Rect{ImVec2(std::floor(l.w * 0.5f - kb_w * 0.5f), top),
              ImVec2(std::floor(l.w * 0.5f + kb_w * 0.5f), top + 6.0f * key + 5.0f * gap)};
  }

  ui::KeyboardLabels labels;
  labels.space = std::string(c.S(Str::kSpace));
  labels.done = std::string(c.S(Str::kDone));
  std::optional<ui::KeyPress> key;
  InRegion("keyboard", kb, [&] {
    ImGui::PushFont(c.fonts.large);
    key = ui::OnScreenKeyboard("kb", s.shift, c.t, labels);
    ImGui::PopFont();
  });
  if (key) {
    const TextField field = s.focus;
    const std::string& current = FieldText(s, field);
    ui::TextEditResult r = ui::ApplyKeyPress(current, s.shift, *key, TextFieldLimit(q, field));
    if (r.text != current) c.out.push_back(SetText{field, r.text});
    if (r.shift != s.shift) c.out.push_back(SetShift{r.shift});
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
}

std::string Caption(const Ctx& c, const Question& q, std::string_view key, Str fallback) {
  auto it = q.labels.find(key);
  if (it != q.labels.end()) {
    std::string_view text = c.SurveyText(it->second);
    if (!text.empty()) return std::string(text);
  }
  return std::string(c.S(fallback));
}

void DrawHeroPick(Ctx& c, const Question& q) {
  const Layout& l = c.l;
  const Session& s = c.in.state.session;
  float y = l.top_h + c.Mm(8.0f);
  y += DrawPrompt(c, c.SurveyText(q.prompt), y);
  y += c.Mm(2.0f);
  y += DrawTextBlock(c.dl, c.fonts.large, Caption(c, q, "name", Str::kHeroNameCaption), l.w * 0.5f,
                     y, l.col_w, c.t.colors.muted_text.ToU32(), Align::kCenter);
  y += c.Mm(8.0f);

  const float bottom = l.h - l.margin - l.nav_h - c.Mm(8.0f);
  const float btn_h = std::max(l.target, c.Mm(19.0f));
  const int cols = l.landscape ? 4 : 2;
  const float btn_w = (l.col_w - static_cast<float>(cols - 1) * l.gap) / static_cast<float>(cols);
  const float other_h = btn_h + l.gap * 2.0f;
  const int rows = std::max(0, static_cast<int>((bottom - y - other_h + l.gap) / (btn_h + l.gap)));
  const std::vector<StaffMember>& roster = c.in.view.roster;
  const size_t shown = std::min(roster.size(), static_cast<size_t>(rows * cols));
  ImGui::PushFont(c.fonts.large);
  for (size_t i = 0; i < shown; ++i) {
    const StaffMember& m = roster[i];
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
  const size_t used_rows = (shown + static_cast<size_t>(cols) - 1) / static_cast<size_t>(cols);
  y += static_cast<float>(used_rows) * (btn_h + l.gap) + l.gap;
  ImGui::SetCursorScreenPos(ImVec2(l.col_x, y));
  const bool typed = !s.edit_hero.name.empty() && s.edit_hero.staff_id.empty();
  const std::string other = typed
                                ? std::string(c.S(Str::kHeroSomeoneElse)) + ": " + s.edit_hero.name
                                : std::string(c.S(Str::kHeroSomeoneElse));
  if (ui::BigButton("hero-type-name", other, c.t,
                    typed ? ui::ButtonKind::kPrimary : ui::ButtonKind::kSecondary,
                    ImVec2(l.col_w, btn_h))) {
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
      DrawKeyboardScreen(
          c, q, c.SurveyText(q.prompt), "",
          {{TextField::kHeroName, Caption(c, q, "name", Str::kHeroNameCaption), false}});
      // Next appears once a name is typed; the machine ignores it before that anyway.
      NavBar(c, true, CanGoNext(st) ? c.S(Str::kNext) : "", true);
      return;
    case Step::kHeroStory:
      DrawKeyboardScreen(c, q, Caption(c, q, "story", Str::kHeroStoryCaption), s.edit_hero.name,
                         {{TextField::kHeroStory, "", true}});
      NavBar(c, true, s.edit_hero.story.empty() ? c.S(Str::kSkip) : c.S(Str::kNext), true);
      return;
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
      DrawKeyboardScreen(c, q, c.S(Str::kContactPrivacy), "", fields);
      NavBar(c, true, c.S(Str::kNext), true);
      return;
    }
    case Step::kMain:
      break;
  }

  if (q.type == QuestionType::kHero) return DrawHeroPick(c, q);
  if (q.type == QuestionType::kContact) return DrawContactAsk(c, q);
  if (q.type == QuestionType::kText) {
    DrawKeyboardScreen(c, q, c.SurveyText(q.prompt), "", {{TextField::kAnswer, "", true}});
    const bool empty = s.edit_answer.empty();
    NavBar(c, CanGoBack(st), CanGoNext(st) ? (empty ? c.S(Str::kSkip) : c.S(Str::kNext)) : "",
           !empty);
    return;
  }

  // Prompt and answer row as one block, centred between the top bar and the buttons.
  const std::string_view prompt = c.SurveyText(q.prompt);
  const float row_w = q.IsScore() ? std::min(l.w - 2.0f * l.margin, c.Mm(330.0f)) : l.col_w;
  const float row_x = std::floor((l.w - row_w) * 0.5f);
  float answer_h = 0.0f;
  if (q.IsScore()) {
    // Mirrors the widgets' layout: one row of cells up to 28 mm (smileys 40 mm), plus anchors.
    const int cells = q.Scale().max - q.Scale().min + 1;
    const float cell_max = q.type == QuestionType::kCsat ? c.Mm(40.0f) : c.Mm(28.0f);
    answer_h = std::min(cell_max, (row_w - static_cast<float>(cells - 1) * l.gap) /
                                      static_cast<float>(cells)) +
               c.fonts.large->FontSize * 1.6f;
  } else {
    answer_h = static_cast<float>(q.options.size()) * (l.target + l.gap);
  }
  const float prompt_gap = c.Mm(l.landscape ? 16.0f : 24.0f);
  const float block_h =
      MeasureTextBlock(PromptFont(c, prompt), prompt, l.col_w) + prompt_gap + answer_h;
  const float area_top = l.top_h + c.Mm(8.0f);
  const float area_bottom = l.h - l.margin - l.nav_h - c.Mm(8.0f);
  float y = std::max(area_top, area_top + (area_bottom - area_top - block_h) * 0.42f);
  y += DrawPrompt(c, prompt, y);
  y += prompt_gap;
  const Rect region{ImVec2(row_x, y), ImVec2(row_x + row_w, l.h - l.margin - l.nav_h - c.Mm(4.0f))};
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

std::vector<Event> DrawKioskContent(const ScreenInput& input, const ui::FrameContext& frame) {
  std::vector<Event> events;
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
      if (CurrentQuestion(input.state) != nullptr) DrawQuestion(c);
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
