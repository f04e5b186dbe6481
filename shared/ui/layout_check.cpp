#include "ui/layout_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace feedback::ui {
namespace {

std::string RectText(ImVec2 min, ImVec2 max) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "[%.0f,%.0f %.0fx%.0f]", min.x, min.y, max.x - min.x,
                max.y - min.y);
  return buf;
}

// Area shared by two rectangles, each shrunk by `slack` (touching edges do not count).
bool Intersect(ImVec2 a0, ImVec2 a1, ImVec2 b0, ImVec2 b1, float slack) {
  return std::min(a1.x, b1.x) - std::max(a0.x, b0.x) > slack &&
         std::min(a1.y, b1.y) - std::max(a0.y, b0.y) > slack;
}

bool Inside(ImVec2 a0, ImVec2 a1, ImVec2 b0, ImVec2 b1, float slack) {
  return a0.x >= b0.x - slack && a0.y >= b0.y - slack && a1.x <= b1.x + slack &&
         a1.y <= b1.y + slack;
}

LayoutProblem One(std::string rule, const LayoutItem& a) {
  return LayoutProblem{std::move(rule), a.name, a.min, a.max, "", {}, {}};
}
LayoutProblem Two(std::string rule, const LayoutItem& a, const LayoutItem& b) {
  return LayoutProblem{std::move(rule), a.name, a.min, a.max, b.name, b.min, b.max};
}

}  // namespace

std::string LayoutProblem::ToString() const {
  std::string s = rule + ": " + first + " " + RectText(first_min, first_max);
  if (!second.empty()) s += " and " + second + " " + RectText(second_min, second_max);
  return s;
}

std::vector<LayoutProblem> CheckLayout(std::span<const LayoutItem> items, const LayoutRules& rules) {
  std::vector<LayoutProblem> problems;
  const float tol = rules.tolerance_px;
  const float min_px = rules.min_target_mm * rules.dpi / 25.4f - tol;
  const ImVec2 screen0(0.0f, 0.0f);
  std::vector<const LayoutItem*> targets;
  std::vector<const LayoutItem*> texts;
  for (const LayoutItem& item : items) {
    if (item.kind == ProbeKind::kBackdrop) continue;
    if (!Inside(item.min, item.max, screen0, rules.display, tol)) {
      problems.push_back(One("off-screen", item));
    }
    if (item.kind == ProbeKind::kTarget) {
      targets.push_back(&item);
      if (item.max.x - item.min.x < min_px || item.max.y - item.min.y < min_px) {
        problems.push_back(One("too-small", item));
      }
    } else {
      texts.push_back(&item);
      if (!Inside(item.min, item.max, item.box_min, item.box_max, tol)) {
        LayoutItem box{ProbeKind::kText, "its box", item.box_min, item.box_max, {}, {}};
        problems.push_back(Two("text-outside-box", item, box));
      }
    }
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    for (size_t j = i + 1; j < targets.size(); ++j) {
      const LayoutItem& a = *targets[i];
      const LayoutItem& b = *targets[j];
      if (Intersect(a.min, a.max, b.min, b.max, tol)) problems.push_back(Two("overlap", a, b));
    }
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    const LayoutItem& a = *texts[i];
    for (size_t j = i + 1; j < texts.size(); ++j) {
      const LayoutItem& b = *texts[j];
      if (Intersect(a.min, a.max, b.min, b.max, tol)) problems.push_back(Two("text-overlap", a, b));
    }
    for (const LayoutItem* t : targets) {
      if (Intersect(a.min, a.max, t->min, t->max, tol) &&
          !Inside(a.min, a.max, t->min, t->max, tol)) {
        problems.push_back(Two("text-on-target", a, *t));
      }
    }
  }
  if (!rules.focused_field.empty() && !rules.keyboard_prefix.empty()) {
    const LayoutItem* field = nullptr;
    LayoutItem keyboard{ProbeKind::kTarget, "keyboard", ImVec2(1e9f, 1e9f), ImVec2(-1e9f, -1e9f),
                        {}, {}};
    bool has_keyboard = false;
    for (const LayoutItem* t : targets) {
      if (t->name == rules.focused_field) field = t;
      if (t->name.rfind(rules.keyboard_prefix, 0) == 0) {
        has_keyboard = true;
        keyboard.min = ImVec2(std::min(keyboard.min.x, t->min.x), std::min(keyboard.min.y, t->min.y));
        keyboard.max = ImVec2(std::max(keyboard.max.x, t->max.x), std::max(keyboard.max.y, t->max.y));
      }
    }
    if (field == nullptr) {
      problems.push_back(LayoutProblem{"focused-field-missing", rules.focused_field, {}, {}, "", {}, {}});
    } else if (has_keyboard && Intersect(field->min, field->max, keyboard.min, keyboard.max, tol)) {
      problems.push_back(Two("keyboard-covers-field", keyboard, *field));
    }
  }
  return problems;
}

LayoutRecorder::LayoutRecorder() : was_enabled_(ProbeEnabled()) {
  SetProbeEnabled(true);
  SetLayoutSink([this](const ProbeReport& r) {
    std::string name(r.name);
    for (LayoutItem& item : items_) {
      if (item.kind == r.kind && item.name == name) {
        item.min = r.min;
        item.max = r.max;
        item.box_min = r.box_min;
        item.box_max = r.box_max;
        return;
      }
    }
    items_.push_back(LayoutItem{r.kind, std::move(name), r.min, r.max, r.box_min, r.box_max});
  });
}

LayoutRecorder::~LayoutRecorder() {
  SetLayoutSink({});
  SetProbeEnabled(was_enabled_);
}

}  // namespace feedback::ui
