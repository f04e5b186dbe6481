// Layout check: the geometric rules every screen of both GUI apps must keep, checked on
// what the item probe (item_probe.h) reported for one frame. A LayoutRecorder collects
// the frame's reports (targets, texts, tap-anywhere backdrops); CheckLayout() returns
// every broken rule, each naming the items and their rectangles:
//   - nothing off screen (targets and texts inside the display),
//   - no target under `min_target_mm` on either side at the display's density,
//   - no two targets overlapping,
//   - no text outside its box (wider than its button or wrap width: clipped or
//     overprinted), no text overlapping another text, and no text half over a target
//     (a label lies wholly inside its own button or not on a target at all),
//   - the focused text field not covered by the on-screen keyboard (the union of the
//     targets whose names start with `keyboard_prefix`).
// Plain values and pure functions; LayoutRecorder installs the probe's layout sink
// while it lives (UI thread only, one at a time).
#pragma once

#include <imgui.h>

#include <span>
#include <string>
#include <vector>

#include "ui/item_probe.h"

namespace feedback::ui {

struct LayoutItem {
  ProbeKind kind = ProbeKind::kTarget;
  std::string name;
  ImVec2 min;
  ImVec2 max;
  ImVec2 box_min;  // texts: where the text must stay
  ImVec2 box_max;
};

struct LayoutRules {
  ImVec2 display;              // window size in pixels
  float dpi = 96.0f;           // physical density
  float min_target_mm = 9.0f;  // DESIGN.md: never under 9 mm
  std::string focused_field;   // probe name of the field being typed into, or empty
  std::string keyboard_prefix = "kb/";
  float tolerance_px = 1.0f;   // rounding slack
};

struct LayoutProblem {
  std::string rule;  // "off-screen", "too-small", "overlap", "text-outside-box",
                     // "text-overlap", "text-on-target", "keyboard-covers-field"
  std::string first;
  ImVec2 first_min, first_max;
  std::string second;  // empty for one-item rules
  ImVec2 second_min, second_max;

  // "overlap: next [700,1100 200x90] and kb/done [650,1080 180x80]".
  std::string ToString() const;
};

// Every broken rule in `items` (empty when the layout is sound).
std::vector<LayoutProblem> CheckLayout(std::span<const LayoutItem> items, const LayoutRules& rules);

// Collects probe reports while alive (turns probing on; restores the previous state).
// Reports of the same name replace the earlier one, so drawing a frame twice keeps
// one item per name; Clear() between screens.
class LayoutRecorder {
 public:
  LayoutRecorder();
  ~LayoutRecorder();
  LayoutRecorder(const LayoutRecorder&) = delete;
  LayoutRecorder& operator=(const LayoutRecorder&) = delete;

  void Clear() { items_.clear(); }
  const std::vector<LayoutItem>& items() const { return items_; }

 private:
  std::vector<LayoutItem> items_;
  bool was_enabled_ = false;
};

}  // namespace feedback::ui
