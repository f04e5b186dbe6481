#include "view/agent_view.h"

#include <imgui.h>
#include <imgui_internal.h>  // ClearActiveID / GetActiveID: the form model owns the focus
#include <imgui_stdlib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string_view>

#include "logic/agent_strings.h"
#include "ui/item_probe.h"

namespace feedback::agent {
namespace {

ImVec2 Add(ImVec2 a, ImVec2 b) { return ImVec2(a.x + b.x, a.y + b.y); }

ImU32 Col(const ui::Rgba& c, float alpha = 1.0f) { return c.WithAlpha(alpha).ToU32(); }

// ---- Layout recording (the layout test's view of a frame) ----------------------------

LayoutSink& Sink() {
  static LayoutSink sink;
  return sink;
}

// The horizontal extent, in screen pixels, that items flowing at the cursor must stay
// inside: the window's content area, narrowed by each Card to its inner area.
struct FlowBox {
  float min_x = -FLT_MAX;
  float max_x = FLT_MAX;
};
FlowBox& CurrentBox() {
  static FlowBox box;
  return box;
}

// Screen pixels -> window pixels with the window scrolled to its top.
ImVec2 ToLayout(ImVec2 p) {
  const ImVec2 origin = ImGui::GetWindowPos();
  return ImVec2(p.x - origin.x + ImGui::GetScrollX(), p.y - origin.y + ImGui::GetScrollY());
}

void Record(LayoutItem::Kind kind, std::string_view name, ImVec2 min, ImVec2 max, ImVec2 box_min,
            ImVec2 box_max, bool inside_control) {
  if (!Sink()) return;
  LayoutItem item;
  item.kind = kind;
  item.name = std::string(name.substr(0, 48));
  item.min = ToLayout(min);
  item.max = ToLayout(max);
  const ImVec2 bmin = ToLayout(box_min);
  const ImVec2 bmax = ToLayout(box_max);
  item.box_min = ImVec2(bmin.x, box_min.y == -FLT_MAX ? -FLT_MAX : bmin.y);
  item.box_max = ImVec2(bmax.x, box_max.y == FLT_MAX ? FLT_MAX : bmax.y);
  item.inside_control = inside_control;
  Sink()(item);
}

// The last item, kept inside the current flow box and the draw list's clip rectangle
// (a table cell clips to its column).
void RecordLastItem(LayoutItem::Kind kind, std::string_view name) {
  if (!Sink()) return;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const FlowBox& box = CurrentBox();
  const ImVec2 box_min(std::max(box.min_x, draw->GetClipRectMin().x), -FLT_MAX);
  const ImVec2 box_max(std::min(box.max_x, draw->GetClipRectMax().x), FLT_MAX);
  Record(kind, name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), box_min, box_max, false);
}

// A clickable item: reported to the end-to-end tests' probe and to the layout sink.
void Probe(std::string_view name) {
  ui::ProbeLastItem(name);
  RecordLastItem(LayoutItem::Kind::kControl, name);
}

// ---- Text ----------------------------------------------------------------------------

void Text(std::string_view text) {
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  RecordLastItem(LayoutItem::Kind::kText, text);
}

void TextColored(const ui::Rgba& c, std::string_view text) {
  ImGui::PushStyleColor(ImGuiCol_Text, c.ToVec4());
  Text(text);
  ImGui::PopStyleColor();
}

void TextWrappedColored(const ui::Rgba& c, std::string_view text, float wrap_width) {
  ImGui::PushStyleColor(ImGuiCol_Text, c.ToVec4());
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_width);
  Text(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

// Wrapped at the right edge of the current table cell (or window).
void TextWrappedInCell(const ui::Rgba& c, std::string_view text) {
  ImGui::PushStyleColor(ImGuiCol_Text, c.ToVec4());
  ImGui::PushTextWrapPos(0.0f);
  Text(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

// SameLine() then an absolute window-local x. (ImGui's SameLine(x) is relative to the
// enclosing group, which is not what right-aligning inside a card needs.)
void SameLineAt(float local_x) {
  ImGui::SameLine();
  ImGui::SetCursorPosX(local_x);
}

float TextWidth(std::string_view text) {
  return ImGui::CalcTextSize(text.data(), text.data() + text.size()).x;
}

// Room left on the current line of a table cell after the last item and a gap.
float RoomAfterLastItemInCell(float gap) {
  return ImGui::GetContentRegionMaxAbs().x - ImGui::GetItemRectMax().x - gap;
}

// A white card behind a group of items: content goes on draw channel 1, and the card is
// drawn on channel 0 once the content's height is known. Items inside stay within its
// inner width (the layout recording's flow box).
class Card {
 public:
  Card(const ui::Theme& theme, const AgentMetrics& m, float width)
      : theme_(theme), m_(m), width_(width), outer_box_(CurrentBox()) {
    draw_ = ImGui::GetWindowDrawList();
    draw_->ChannelsSplit(2);
    draw_->ChannelsSetCurrent(1);
    start_ = ImGui::GetCursorScreenPos();
    CurrentBox() = FlowBox{start_.x + m.pad, start_.x + width - m.pad};
    ImGui::SetCursorScreenPos(Add(start_, ImVec2(m.pad, m.pad)));
    ImGui::BeginGroup();
  }
  ~Card() {
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + m_.pad;
    const ImVec2 end(start_.x + width_, bottom);
    draw_->ChannelsSetCurrent(0);
    draw_->AddRectFilled(start_, end, Col(theme_.colors.surface), m_.card_rounding);
    draw_->AddRect(start_, end, Col(theme_.colors.outline), m_.card_rounding);
    draw_->ChannelsMerge();
    CurrentBox() = outer_box_;
    ImGui::SetCursorScreenPos(ImVec2(start_.x, bottom + m_.gap * 1.5f));
    ImGui::Dummy(ImVec2(0.0f, 0.0f));
  }
  Card(const Card&) = delete;
  Card& operator=(const Card&) = delete;

  float inner_width() const { return width_ - 2.0f * m_.pad; }

 private:
  const ui::Theme& theme_;
  const AgentMetrics& m_;
  float width_;
  FlowBox outer_box_;
  ImDrawList* draw_ = nullptr;
  ImVec2 start_;
};

// A rounded button drawn by hand so that "selected" is unmistakable and hover is subtle.
// `name` is what the probes call it.
bool PillButton(const char* id, std::string_view name, std::string_view label, ImVec2 size,
                bool selected, const ui::Theme& theme, float rounding) {
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::InvisibleButton(id, size);
  const bool hovered = ImGui::IsItemHovered();
  const bool held = ImGui::IsItemActive();
  const ui::ThemeColors& c = theme.colors;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 end = Add(pos, size);
  ImU32 fill = Col(c.surface);
  if (selected) {
    fill = Col(held ? c.pressed : c.primary);
  } else if (held) {
    fill = Col(c.primary, 0.22f);
  } else if (hovered) {
    fill = Col(c.primary, 0.08f);
  }
  draw->AddRectFilled(pos, end, fill, rounding);
  draw->AddRect(pos, end, Col(selected ? c.primary : c.outline), rounding);
  const ImVec2 text = ImGui::CalcTextSize(label.data(), label.data() + label.size());
  const ImVec2 at(pos.x + (size.x - text.x) * 0.5f, pos.y + (size.y - text.y) * 0.5f);
  draw->AddText(at, Col(selected ? c.on_primary : c.text), label.data(),
                label.data() + label.size());
  Probe(name);
  Record(LayoutItem::Kind::kText, label, at, Add(at, text), pos, end, /*inside_control=*/true);
  return clicked;
}

// A five-pointed star (the fonts carry Latin glyphs only, no ★), as ten triangles.
void DrawStar(ImDrawList* draw, ImVec2 center, float radius, ImU32 color) {
  constexpr float kPi = 3.14159265f;
  ImVec2 points[10];
  for (int i = 0; i < 10; ++i) {
    const float r = (i % 2 == 0) ? radius : radius * 0.45f;
    const float a = -kPi / 2.0f + static_cast<float>(i) * kPi / 5.0f;
    points[i] = ImVec2(center.x + r * std::cos(a), center.y + r * std::sin(a));
  }
  for (int i = 0; i < 10; ++i)
    draw->AddTriangleFilled(center, points[i], points[(i + 1) % 10], color);
}

// A star in the text flow, then the text on the same line, wrapped within `width`.
void StarText(const ui::Rgba& color, std::string_view text, float gap, float width) {
  const float h = ImGui::GetTextLineHeight();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  DrawStar(ImGui::GetWindowDrawList(), ImVec2(p.x + h * 0.45f, p.y + h * 0.5f), h * 0.45f,
           color.ToU32());
  ImGui::Dummy(ImVec2(h * 0.9f, h));
  ImGui::SameLine(0.0f, gap);
  TextWrappedColored(color, text, width - h * 0.9f - gap);
}

}  // namespace

void SetLayoutSink(LayoutSink sink) { Sink() = std::move(sink); }

KeyInput ToKeyInput(const KeyPress& press) {
  KeyInput in;
  in.ctrl = press.ctrl();
  in.shift = press.shift();
  in.alt = press.alt();
  const SDL_Keycode k = press.key;
  if (k >= SDLK_0 && k <= SDLK_9) {
    in.key = Key::kDigit;
    in.digit = static_cast<int>(k - SDLK_0);
  } else if (k >= SDLK_KP_1 && k <= SDLK_KP_9) {
    in.key = Key::kDigit;
    in.digit = static_cast<int>(k - SDLK_KP_1) + 1;
  } else if (k == SDLK_KP_0) {
    in.key = Key::kDigit;
  } else if (k == SDLK_TAB) {
    in.key = Key::kTab;
  } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
    in.key = Key::kEnter;
  } else if (k == SDLK_ESCAPE) {
    in.key = Key::kEscape;
  } else if (k == SDLK_LEFT) {
    in.key = Key::kLeft;
  } else if (k == SDLK_RIGHT) {
    in.key = Key::kRight;
  } else if (k == SDLK_UP) {
    in.key = Key::kUp;
  } else if (k == SDLK_DOWN) {
    in.key = Key::kDown;
  } else if (k == SDLK_n) {
    in.key = Key::kN;
  } else if (k == SDLK_z) {
    in.key = Key::kZ;
  }
  return in;
}

std::optional<FormEvent> AgentView::MapKey(const KeyPress& press,
                                           const AgentSession& session) const {
  if (!session.signed_in()) return std::nullopt;  // the sign-in field takes every key
  const KeyInput in = ToKeyInput(press);
  // Auto-repeat only steps and moves; a held Enter must not log twice.
  if (press.repeat && in.key != Key::kLeft && in.key != Key::kRight && in.key != Key::kTab) {
    return std::nullopt;
  }
  return KeyToEvent(in, session.form());
}

ViewIntents AgentView::Draw(const ui::FrameContext& frame, const AgentSession& session,
                            TimeMs now) {
  metrics_ = MetricsOf(frame.theme, frame.display_size.y < kCompactBelowHeightPx);
  staff_id_ = session.staff_id();
  ViewIntents out;
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoNavInputs |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
  ImGui::SetNextWindowSize(frame.display_size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(metrics_.pad, metrics_.pad));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(metrics_.gap, metrics_.gap));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(metrics_.gap * 1.5f, metrics_.gap * 1.2f));
  ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, metrics_.gap * 2.5f);
  ImGui::Begin("feedback-agent", nullptr, flags);
  // Tab belongs to the form model, not to ImGui's own tabbing.
  ImGui::PushAllowKeyboardFocus(false);
  {
    // Nothing may reach under the scroll bar or past the window's padding.
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    CurrentBox() = FlowBox{window->InnerClipRect.Min.x, window->InnerClipRect.Max.x};
  }

  if (!session.signed_in()) {
    DrawSignIn(frame, session, out);
  } else {
    sign_in_focused_ = false;
    const float full = ImGui::GetContentRegionAvail().x;
    const bool wide = full >= 860.0f;
    const float form_width = wide ? std::floor(full * 0.56f) : full;
    DrawHeader(frame, session, now, full, out);
    const float top = ImGui::GetCursorPosY();
    DrawForm(frame, session, form_width, out);
    if (wide) {
      ImGui::SetCursorPos(
          ImVec2(ImGui::GetStyle().WindowPadding.x + form_width + metrics_.pad * 1.5f, top));
      ImGui::BeginGroup();
      DrawPanels(frame, session, now, full - form_width - metrics_.pad * 1.5f, /*tabs=*/false);
      ImGui::EndGroup();
    } else {
      DrawPanels(frame, session, now, full, /*tabs=*/true);
    }
  }

  ImGui::PopAllowKeyboardFocus();
  ImGui::End();
  ImGui::PopStyleVar(4);
  return out;
}

void AgentView::DrawSignIn(const ui::FrameContext& frame, const AgentSession& session,
                           ViewIntents& out) {
  const ui::Theme& theme = frame.theme;
  const std::string_view loc = session.locale();
  const float full = ImGui::GetContentRegionAvail().x;
  const float width = std::min(full, 420.0f);
  ImGui::SetCursorPos(ImVec2(std::floor((frame.display_size.x - width) * 0.5f),
                             std::floor(frame.display_size.y * 0.22f)));
  ImGui::BeginGroup();
  {
    Card card(theme, metrics_, width);
    ImGui::PushFont(frame.fonts.title);
    TextWrappedColored(theme.colors.text, Tr(loc, Str::kAppTitle), card.inner_width());
    ImGui::PopFont();
    TextWrappedColored(
        theme.colors.muted_text,
        session.device().site_id +
            (session.device().team.empty() ? std::string() : "  ·  " + session.device().team),
        card.inner_width());
    ImGui::Dummy(ImVec2(0.0f, metrics_.gap));
    ImGui::PushFont(frame.fonts.bold);
    TextWrappedColored(theme.colors.text, Tr(loc, Str::kSignInPrompt), card.inner_width());
    ImGui::PopFont();
    if (!sign_in_focused_) {
      ImGui::SetKeyboardFocusHere();
      sign_in_focused_ = true;
    }
    ImGui::SetNextItemWidth(card.inner_width());
    const bool entered = ImGui::InputTextWithHint(
        "##staff", "A1042", &staff_input_,
        ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CharsNoBlank);
    Probe("staff-id");
    const bool clicked =
        PillButton("##signin", "sign-in", Tr(loc, Str::kSignInButton),
                   ImVec2(card.inner_width(), metrics_.row), true, theme, metrics_.card_rounding);
    if (entered || clicked) {
      out.sign_in = staff_input_;
      sign_in_focused_ = false;  // refocus if it is refused
    }
    if (!sign_in_error_.empty())
      TextWrappedColored(theme.colors.danger, sign_in_error_, card.inner_width());
    TextWrappedColored(theme.colors.muted_text, Tr(loc, Str::kSignInHint), card.inner_width());
  }
  ImGui::EndGroup();
}

void AgentView::DrawHeader(const ui::FrameContext& frame, const AgentSession& session, TimeMs now,
                           float width, ViewIntents& out) {
  const ui::Theme& theme = frame.theme;
  const ui::ThemeColors& c = theme.colors;
  const std::string_view loc = session.locale();
  const SessionPanels& panels = session.panels();
  const float x0 = ImGui::GetCursorPosX();

  // Title on the left, the rep and "Switch rep" on the right - on a line of their own
  // when the window is too narrow for all three, and the rep's name wrapped beside the
  // button when even that is too narrow.
  ImGui::PushFont(frame.fonts.title);
  const float title_w = TextWidth(Tr(loc, Str::kAppTitle));
  TextColored(c.primary, Tr(loc, Str::kAppTitle));
  ImGui::PopFont();
  const std::string rep = panels.staff_name.empty()
                              ? session.staff_id()
                              : panels.staff_name + " (" + session.staff_id() + ")";
  const std::string_view switch_label = Tr(loc, Str::kSwitchRep);
  const float button_w = TextWidth(switch_label) + metrics_.pad * 2.0f;
  const float line_h = ImGui::GetFrameHeight();
  ImGui::PushFont(frame.fonts.bold);
  const float rep_w = TextWidth(rep);
  ImGui::PopFont();
  const float gap2 = metrics_.gap * 2.0f;
  const bool one_line = title_w + gap2 + rep_w + gap2 + button_w <= width;
  const float rep_room = std::max(width - button_w - gap2, width * 0.3f);
  if (one_line) {
    SameLineAt(x0 + width - button_w - rep_w - gap2);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + metrics_.gap * 0.6f);
  }
  ImGui::PushFont(frame.fonts.bold);
  TextWrappedColored(c.text, rep, std::min(rep_w + 1.0f, rep_room));
  ImGui::PopFont();
  SameLineAt(x0 + width - button_w);  // level with the rep's first line
  if (PillButton("##switch", "switch-rep", switch_label, ImVec2(button_w, line_h), false, theme,
                 metrics_.card_rounding)) {
    out.sign_out = true;
  }

  // Sync health: a coloured dot and one line; the daemon's error underneath.
  const SyncStatus& sync = panels.sync;
  const SyncHealth health = ClassifySync(sync, now);
  const ui::Rgba dot = health == SyncHealth::kHealthy   ? c.promoter
                       : health == SyncHealth::kWaiting ? c.passive
                                                        : c.danger;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float r = ImGui::GetTextLineHeight() * 0.28f;
  ImGui::GetWindowDrawList()->AddCircleFilled(
      ImVec2(p.x + r, p.y + ImGui::GetTextLineHeight() * 0.5f), r, Col(dot));
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + r * 2.0f + metrics_.gap);
  std::string line = DescribeSync(sync, now, loc);
  if (!session.device().team.empty()) line = session.device().team + "  ·  " + line;
  TextWrappedColored(c.muted_text, line, width - r * 2.0f - metrics_.gap);
  // The daemon's error text goes with the panels under (or beside) the form: the red dot
  // says it here, and the form keeps its place on short laptop screens.
  if (!session.problem().empty()) TextWrappedColored(c.danger, session.problem(), width);
  ImGui::Dummy(ImVec2(0.0f, metrics_.gap * 0.5f));
}

void AgentView::DrawForm(const ui::FrameContext& frame, const AgentSession& session, float width,
                         ViewIntents& out) {
  const FormState& form = session.form();
  // Honour a keyboard focus move exactly once: a text field takes the keyboard, a score
  // or choice takes it away from whatever text field had it.
  focus_text_now_ = false;
  if (form.focus_serial != seen_focus_serial_ || form.generation != seen_generation_) {
    seen_focus_serial_ = form.focus_serial;
    seen_generation_ = form.generation;
    scroll_to_focus_ = true;
    const bool text = form.focus < form.fields.size() && IsTextKind(form.fields[form.focus].kind);
    if (text) {
      focus_text_now_ = true;
    } else if (ImGui::GetActiveID() != 0) {
      ImGui::ClearActiveID();
    }
  }

  Card card(frame.theme, metrics_, width);
  const float inner = card.inner_width();
  ImGui::PushID(static_cast<int>(form.generation));
  for (size_t i = 0; i < form.fields.size(); ++i) {
    if (!FieldVisible(form, i)) continue;
    DrawField(frame, form, i, inner, out);
  }
  ImGui::PopID();
  DrawActions(frame, form, inner, out);
}

void AgentView::DrawField(const ui::FrameContext& frame, const FormState& form, size_t index,
                          float width, ViewIntents& out) {
  const ui::Theme& theme = frame.theme;
  const ui::ThemeColors& c = theme.colors;
  const FormField& field = form.fields[index];
  const SurveyDefinition& def = form.survey->definition;
  const Question* q = def.Find(field.question_id);
  if (q == nullptr) return;
  const bool focused = form.focus == index;
  const std::string_view loc = form.locale;
  auto problem = form.problems.find(field.key);

  ImGui::PushID(field.key.c_str());
  // The hero question's own prompt heads its two parts.
  if (field.kind == FieldKind::kHeroName) {
    ImGui::Dummy(ImVec2(0.0f, metrics_.gap * 0.3f));
    ImGui::PushFont(frame.fonts.bold);
    StarText(c.primary, def.Text(q->prompt, loc), metrics_.gap, width);
    ImGui::PopFont();
  }

  // Label: a short caption (the definition's full wording as its tooltip), "*" when
  // required; on the right the scale's anchors, the problem, or a character counter.
  const float x0 = ImGui::GetCursorPosX();
  std::string label = FieldCaption(form, field);
  if (field.kind == FieldKind::kHeroName || field.kind == FieldKind::kHeroStory ||
      field.kind == FieldKind::kContactName || field.kind == FieldKind::kContactPhone ||
      field.kind == FieldKind::kContactEmail) {
    const std::string part = field.key.substr(field.key.rfind('.') + 1);
    auto it = q->labels.find(part);
    if (it != q->labels.end()) label = std::string(def.Text(it->second, loc));
  }
  ImGui::PushFont(focused ? frame.fonts.bold : frame.fonts.body);
  TextColored(focused ? c.text : c.muted_text, label);
  ImGui::PopFont();
  if (ImGui::IsItemHovered() && field.kind != FieldKind::kHeroName &&
      field.kind != FieldKind::kHeroStory) {
    ImGui::SetTooltip("%s", std::string(def.Text(q->prompt, loc)).c_str());
  }
  if (field.required) {
    ImGui::SameLine(0.0f, metrics_.gap * 0.6f);
    TextColored(c.danger, "*");
  }
  std::string right;
  ui::Rgba right_color = c.muted_text;
  if (problem != form.problems.end()) {
    right = problem->second;
    right_color = c.danger;
  } else if (IsTextKind(field.kind) && field.max_length > 0 && focused) {
    const size_t length = Utf8Length(FieldText(form, field.key)).value_or(0);
    right = std::to_string(length) + "/" + std::to_string(field.max_length);
    if (length > field.max_length) right_color = c.danger;
  } else if (field.kind == FieldKind::kScore) {
    const ScaleRange range = q->Scale();
    const std::string_view low = def.Text(q->low_label, loc);
    const std::string_view high = def.Text(q->high_label, loc);
    if (!low.empty() && !high.empty()) {
      right = std::to_string(range.min) + " " + std::string(low) + "  ·  " +
              std::to_string(range.max) + " " + std::string(high);
    }
  }
  if (!right.empty()) {
    const float label_end =
        ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetScrollX();
    if (label_end + metrics_.gap * 2.0f + TextWidth(right) <= x0 + width) {
      SameLineAt(x0 + width - TextWidth(right));
      TextColored(right_color, right);
    } else {
      TextWrappedColored(right_color, right, width);
    }
  }

  // The widget, with a focus ring around it.
  ImGui::BeginGroup();
  if (IsTextKind(field.kind)) {
    std::string text(FieldText(form, field.key));
    if (focused && focus_text_now_ && ImGui::GetActiveID() != ImGui::GetID("##text")) {
      ImGui::SetKeyboardFocusHere();
    }
    bool changed = false;
    if (field.multiline) {
      changed =
          ImGui::InputTextMultiline("##text", &text,
                                    ImVec2(width, ImGui::GetTextLineHeight() * 2.0f +
                                                      ImGui::GetStyle().FramePadding.y * 2.0f),
                                    ImGuiInputTextFlags_CtrlEnterForNewLine);
    } else {
      std::string hint;
      if (field.kind == FieldKind::kHeroName) {
        hint = Subst(Tr(loc, Str::kPraiseYouHint), {staff_id_});
      }
      ImGui::SetNextItemWidth(width);
      changed = ImGui::InputTextWithHint("##text", hint.c_str(), &text);
    }
    Probe(field.key);
    if (ImGui::IsItemActivated() && !focused) out.events.push_back(FocusField{index});
    if (changed) out.events.push_back(SetText{field.key, text});
  } else if (field.kind == FieldKind::kScore) {
    const ScaleRange range = q->Scale();
    const int count = range.max - range.min + 1;
    const float cell = std::min(
        metrics_.score_cell * 1.6f,
        (width - metrics_.gap * static_cast<float>(count - 1)) / static_cast<float>(count));
    auto it = form.values.numbers.find(q->id);
    for (int v = range.min; v <= range.max; ++v) {
      if (v != range.min) ImGui::SameLine(0.0f, metrics_.gap);
      const std::string id = "##" + std::to_string(v);
      const bool selected = it != form.values.numbers.end() && it->second == v;
      if (PillButton(id.c_str(), field.key + "/" + std::to_string(v), std::to_string(v),
                     ImVec2(cell, metrics_.row), selected, theme, metrics_.card_rounding)) {
        out.events.push_back(SetNumber{q->id, v});
      }
    }
  } else {
    // Options as pills "1  Resolved": one row when they fit, else an even grid.
    auto it = form.values.choices.find(q->id);
    const size_t n = q->options.size();
    std::vector<std::string> texts;
    float total = 0.0f;
    for (size_t o = 0; o < n; ++o) {
      const std::string number = o < 9 ? std::to_string(o + 1) + "  " : std::string();
      texts.push_back(number + std::string(def.Text(q->options[o].label, loc)));
      total += TextWidth(texts.back()) + metrics_.pad * 2.0f;
    }
    total += metrics_.gap * static_cast<float>(n > 0 ? n - 1 : 0);
    size_t columns = total <= width ? n : 2;
    while (columns > 1) {
      float widest = 0.0f;
      for (const std::string& t : texts) widest = std::max(widest, TextWidth(t) + metrics_.pad);
      if (widest * static_cast<float>(columns) <= width) break;
      --columns;
    }
    const float cell =
        (width - metrics_.gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const float row_x = ImGui::GetCursorPosX();
    for (size_t o = 0; o < n; ++o) {
      const size_t col = o % columns;
      if (col > 0) SameLineAt(row_x + static_cast<float>(col) * (cell + metrics_.gap));
      const float w = columns == n ? TextWidth(texts[o]) + metrics_.pad * 2.0f : cell;
      if (columns == n && col > 0) {
        float x = 0.0f;
        for (size_t k = 0; k < o; ++k)
          x += TextWidth(texts[k]) + metrics_.pad * 2.0f + metrics_.gap;
        ImGui::SetCursorPosX(row_x + x);
      }
      const bool selected =
          it != form.values.choices.end() &&
          std::find(it->second.begin(), it->second.end(), q->options[o].id) != it->second.end();
      const std::string id = "##" + q->options[o].id;
      if (PillButton(id.c_str(), field.key + "/" + q->options[o].id, texts[o],
                     ImVec2(w, metrics_.row), selected, theme, metrics_.card_rounding)) {
        out.events.push_back(PickOption{q->id, q->options[o].id});
      }
    }
  }
  ImGui::EndGroup();
  if (focused && scroll_to_focus_) {
    // The keyboard moved here: bring the field (with its label) into view. At the
    // window's smallest sizes the form scrolls, and Tab must never lead out of sight.
    scroll_to_focus_ = false;
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImGui::ScrollToRect(
        ImGui::GetCurrentWindow(),
        ImRect(ImVec2(min.x, min.y - ImGui::GetTextLineHeightWithSpacing() - metrics_.gap),
               ImVec2(max.x, max.y + metrics_.gap)),
        ImGuiScrollFlags_KeepVisibleEdgeY);
  }
  if (focused) {
    const float grow = metrics_.focus_ring + 2.0f;
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    ImGui::GetWindowDrawList()->AddRect(ImVec2(min.x - grow, min.y - grow),
                                        ImVec2(max.x + grow, max.y + grow), Col(c.accent),
                                        metrics_.card_rounding + grow, 0, metrics_.focus_ring);
  } else if (problem != form.problems.end()) {
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    ImGui::GetWindowDrawList()->AddRect(ImVec2(min.x - 2.0f, min.y - 2.0f),
                                        ImVec2(max.x + 2.0f, max.y + 2.0f), Col(c.danger),
                                        metrics_.card_rounding + 2.0f, 0, 1.5f);
  }
  ImGui::Dummy(ImVec2(0.0f, metrics_.gap * 0.1f));
  ImGui::PopID();
}

void AgentView::DrawActions(const ui::FrameContext& frame, const FormState& form, float width,
                            ViewIntents& out) {
  const ui::Theme& theme = frame.theme;
  const ui::ThemeColors& c = theme.colors;
  const std::string_view loc = form.locale;
  ImGui::Dummy(ImVec2(0.0f, metrics_.gap * 0.5f));
  // "Log call   Enter" and "Clear   Esc" side by side; the key names go first when the
  // window is too narrow for them, then the buttons stack.
  const std::string log_short(Tr(loc, Str::kLogCall));
  const std::string clear_short(Tr(loc, Str::kClear));
  std::string log_label = log_short + "   Enter";
  std::string clear_label = clear_short + "   Esc";
  const float button_h = metrics_.row * 1.15f;
  ImGui::PushFont(frame.fonts.bold);
  const float log_full_w = TextWidth(log_label) + metrics_.pad * 2.0f;
  const float log_short_w = TextWidth(log_short) + metrics_.pad * 2.0f;
  ImGui::PopFont();
  float clear_w = TextWidth(clear_label) + metrics_.pad * 2.0f;
  bool stacked = false;
  if (log_full_w + metrics_.gap + clear_w > width) {
    log_label = log_short;
    clear_label = clear_short;
    clear_w = TextWidth(clear_label) + metrics_.pad * 2.0f;
    stacked = log_short_w + metrics_.gap + clear_w > width;
  }
  const float log_w = stacked ? width : width - clear_w - metrics_.gap;
  ImGui::PushFont(frame.fonts.bold);
  if (PillButton("##log", "log-call", log_label, ImVec2(log_w, button_h), true, theme,
                 metrics_.card_rounding)) {
    out.events.push_back(Submit{});
  }
  ImGui::PopFont();
  if (!stacked) ImGui::SameLine(0.0f, metrics_.gap);
  if (PillButton("##clear", "clear", clear_label, ImVec2(stacked ? width : clear_w, button_h),
                 false, theme, metrics_.card_rounding)) {
    out.events.push_back(Clear{});
  }

  if (form.notice.kind != NoticeKind::kNone && !form.notice.text.empty()) {
    const ui::Rgba color = form.notice.kind == NoticeKind::kSuccess ? c.promoter
                           : form.notice.kind == NoticeKind::kError ? c.danger
                           : form.notice.kind == NoticeKind::kWarning
                               ? ui::Rgba{0xA8, 0x62, 0x0A, 0xFF}
                               : c.muted_text;
    // A coloured bar on the left marks the kind; the text says what happened.
    ImGui::PushFont(frame.fonts.bold);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float bar = metrics_.focus_ring * 2.0f;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + bar + metrics_.gap);
    TextWrappedColored(color, form.notice.text, width - bar - metrics_.gap);
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + bar, ImGui::GetItemRectMax().y),
                                              Col(color), bar * 0.5f);
    ImGui::PopFont();
  }
  TextWrappedColored(c.muted_text, Tr(loc, Str::kKeyHints), width);
}

void AgentView::DrawPanels(const ui::FrameContext& frame, const AgentSession& session, TimeMs now,
                           float width, bool tabs) {
  const ui::Theme& theme = frame.theme;
  const std::string_view loc = session.locale();
  const SessionPanels& panels = session.panels();
  if (!panels.sync.last_error.empty()) {
    TextWrappedColored(theme.colors.danger,
                       std::string(Tr(loc, Str::kSyncErrorPrefix)) + panels.sync.last_error, width);
  }
  if (!tabs) {
    {
      Card card(theme, metrics_, width);
      DrawTrend(frame, session, card.inner_width());
    }
    {
      Card card(theme, metrics_, width);
      ImGui::PushFont(frame.fonts.bold);
      TextWrappedColored(theme.colors.text, Tr(loc, Str::kMyLastCalls), card.inner_width());
      ImGui::PopFont();
      DrawHistory(frame, session, now, card.inner_width());
    }
    if (!panels.heroes.empty()) {
      Card card(theme, metrics_, width);
      ImGui::PushFont(frame.fonts.bold);
      TextWrappedColored(theme.colors.text, Tr(loc, Str::kTeamHeroes), card.inner_width());
      ImGui::PopFont();
      DrawHeroes(frame, session, now, card.inner_width());
    }
  } else {
    Card card(theme, metrics_, width);
    const float inner = card.inner_width();
    const std::string heroes =
        std::string(Tr(loc, Str::kTeamHeroes)) + " (" + std::to_string(panels.heroes.size()) + ")";
    const std::string labels[] = {std::string(Tr(loc, Str::kMyTrend)),
                                  std::string(Tr(loc, Str::kMyLastCalls)), heroes};
    const int count = panels.heroes.empty() ? 2 : 3;
    if (panel_tab_ >= count) panel_tab_ = 0;
    // Tabs as pills (ImGui's tab bar would take keyboard focus rules of its own), wrapped
    // onto a second row when the window is narrow.
    const float row_x = ImGui::GetCursorPosX();
    float x = 0.0f;
    for (int i = 0; i < count; ++i) {
      ImGui::PushFont(frame.fonts.bold);  // measured bold: the selected tab is drawn bold
      const float w = std::min(TextWidth(labels[i]) + metrics_.pad * 1.6f, inner);
      ImGui::PopFont();
      if (i > 0 && x + metrics_.gap + w <= inner) {
        SameLineAt(row_x + x + metrics_.gap);
        x += metrics_.gap + w;
      } else {
        x = w;
      }
      const std::string id = "##tab" + std::to_string(i);
      ImGui::PushFont(panel_tab_ == i ? frame.fonts.bold : frame.fonts.body);
      if (PillButton(id.c_str(), "tab/" + std::to_string(i), labels[i],
                     ImVec2(w, ImGui::GetFrameHeight()), panel_tab_ == i, theme,
                     metrics_.card_rounding)) {
        panel_tab_ = i;
        spdlog::debug("panel tab {} shown", i);  // tests wait on this line
      }
      ImGui::PopFont();
    }
    ImGui::Dummy(ImVec2(0.0f, metrics_.gap * 0.3f));
    if (panel_tab_ == 0) DrawTrend(frame, session, inner);
    if (panel_tab_ == 1) DrawHistory(frame, session, now, inner);
    if (panel_tab_ == 2) DrawHeroes(frame, session, now, inner);
  }
  if (!tabs) TextWrappedColored(theme.colors.muted_text, Tr(loc, Str::kOfflineNote), width);
}

void AgentView::DrawTrend(const ui::FrameContext& frame, const AgentSession& session, float inner) {
  const ui::ThemeColors& c = frame.theme.colors;
  const std::string_view loc = session.locale();
  const SessionPanels& panels = session.panels();
  const ImGuiTableFlags table_flags =
      ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH;
  ImGui::PushStyleColor(ImGuiCol_TableRowBg, c.surface.ToVec4());
  ImGui::PushStyleColor(ImGuiCol_TableRowBgAlt, c.background.WithAlpha(0.6f).ToVec4());
  ImGui::PushStyleColor(ImGuiCol_TableBorderLight, c.outline.WithAlpha(0.6f).ToVec4());
  ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(metrics_.gap, metrics_.gap * 0.45f));
  // Every cell wraps inside its column, so a narrow panel grows taller instead of
  // cutting its figures off.
  if (ImGui::BeginTable("trend", 3, table_flags, ImVec2(inner, 0.0f))) {
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch, 1.45f);
    ImGui::TableSetupColumn("7", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("30", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushFont(frame.fonts.bold);
    TextWrappedInCell(c.text, Tr(loc, Str::kMyTrend));
    ImGui::PopFont();
    ImGui::TableNextColumn();
    TextWrappedInCell(c.muted_text, Tr(loc, Str::kLast7));
    ImGui::TableNextColumn();
    TextWrappedInCell(c.muted_text, Tr(loc, Str::kLast30));
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    TextWrappedInCell(c.text, Tr(loc, Str::kCallsLogged));
    ImGui::PushFont(frame.fonts.bold);
    ImGui::TableNextColumn();
    TextWrappedInCell(c.text, std::to_string(panels.trend.logs7));
    ImGui::TableNextColumn();
    TextWrappedInCell(c.text, std::to_string(panels.trend.logs30));
    ImGui::PopFont();
    for (const TrendFigure& f : panels.trend.figures) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      float cell_x = ImGui::GetCursorPosX();
      TextWrappedInCell(c.text, f.caption);
      if (!f.scale.empty()) {
        // Beside the caption when it fits, else under it (at the cell's own left edge:
        // ImGui 1.86 starts a new line in a cell a pixel to the left of it).
        if (TextWidth(f.scale) <= RoomAfterLastItemInCell(metrics_.gap)) {
          ImGui::SameLine(0.0f, metrics_.gap);
        } else {
          ImGui::SetCursorPosX(cell_x);
        }
        TextWrappedInCell(c.muted_text, f.scale);
      }
      for (const metrics::MetricValue* v : {&f.last7, &f.last30}) {
        ImGui::TableNextColumn();
        cell_x = ImGui::GetCursorPosX();
        const std::string n = "n=" + std::to_string(v->n());
        if (v->value()) {
          ImGui::PushFont(frame.fonts.bold);
          TextWrappedInCell(c.text, FigureText(*v, f.unit, loc));
          ImGui::PopFont();
          if (TextWidth(n) <= RoomAfterLastItemInCell(metrics_.gap)) {
            ImGui::SameLine(0.0f, metrics_.gap);
          } else {
            ImGui::SetCursorPosX(cell_x);
          }
          TextWrappedInCell(c.muted_text, n);
        } else {
          // Never a number below the minimum: say so, with the n it rests on.
          TextWrappedInCell(c.muted_text, FigureText(*v, f.unit, loc) + " (" + n + ")");
        }
      }
    }
    ImGui::EndTable();
  }
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(3);
}

void AgentView::DrawHistory(const ui::FrameContext& frame, const AgentSession& session, TimeMs now,
                            float inner) {
  const ui::ThemeColors& c = frame.theme.colors;
  const std::string_view loc = session.locale();
  const SessionPanels& panels = session.panels();
  if (panels.history.empty()) TextWrappedColored(c.muted_text, Tr(loc, Str::kNoCallsYet), inner);
  const float h = ImGui::GetTextLineHeight();
  ImGui::PushFont(frame.fonts.bold);
  const float time_w = TextWidth("Wed 00:00") + metrics_.gap * 2.0f;
  ImGui::PopFont();
  for (const HistoryEntry& e : panels.history) {
    const float x0 = ImGui::GetCursorPosX();
    const ImVec2 row = ImGui::GetCursorScreenPos();
    ImGui::PushFont(frame.fonts.bold);
    Text(FormatClock(e.submitted_at, now));
    ImGui::PopFont();
    SameLineAt(x0 + time_w);
    // Every number with its caption and scale: "Greeting warmth 4/5 · Resolved · ...".
    const float star_w = e.praised ? h * 1.2f : 0.0f;
    TextWrappedColored(c.text, HistoryLine(e), inner - time_w - star_w);
    if (e.praised) {
      // A star at the right end: the customer praised someone on this call.
      DrawStar(ImGui::GetWindowDrawList(), ImVec2(row.x + inner - h * 0.5f, row.y + h * 0.5f),
               h * 0.42f, Col(c.accent));
    }
  }
}

void AgentView::DrawHeroes(const ui::FrameContext& frame, const AgentSession& session, TimeMs now,
                           float inner) {
  const ui::ThemeColors& c = frame.theme.colors;
  const std::string_view loc = session.locale();
  for (const HeroStory& h : session.panels().heroes) {
    const std::string age = DescribeAge(h.published_at, now, loc);
    ImGui::PushFont(frame.fonts.bold);
    StarText(c.primary, h.staff_name.empty() ? h.staff_id : h.staff_name, metrics_.gap, inner);
    ImGui::PopFont();
    // The age beside the name when it fits, else under it.
    const float row_end = CurrentBox().max_x;
    if (ImGui::GetItemRectMax().x + metrics_.gap * 2.0f + TextWidth(age) <= row_end) {
      ImGui::SameLine(0.0f, metrics_.gap * 2.0f);
    }
    TextColored(c.muted_text, age);
    TextWrappedColored(c.text, "“" + h.story + "”", inner);
    ImGui::Dummy(ImVec2(0.0f, metrics_.gap * 0.3f));
  }
}

}  // namespace feedback::agent
