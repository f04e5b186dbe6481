// Item probe: opt-in instrumentation for end-to-end GUI tests. When the process runs with
// FEEDBACK_UI_PROBE=1 in its environment, the touch widgets report where they are drawn
// as lines on stdout, in window pixels:
//   ui-item <name> <x> <y> <w> <h>
// and every piece of text they draw (ProbeText) as
//   ui-text <name> <x> <y> <w> <h> <box-x> <box-y> <box-w> <box-h>
// (the text's own extent, then the box it must stay inside). A line is written only when an item first appears or moves, so an idle UI writes
// nothing. Tests (tests/e2e/lib) read these lines to click on a named target instead of
// hard-coding coordinates. When the variable is unset, a probe call is one bool test.
// UI thread only.
#pragma once

#include <imgui.h>

#include <functional>
#include <string>
#include <string_view>

namespace feedback::ui {

// Whether probing is on (read once from FEEDBACK_UI_PROBE, overridable for tests).
bool ProbeEnabled();
void SetProbeEnabled(bool enabled);

// In-process tests: receives every report (unfiltered) while set; stdout is then not
// written. Pass an empty function to go back to stdout.
using ProbeSink = std::function<void(std::string_view name, ImVec2 min, ImVec2 max)>;
void SetProbeSink(ProbeSink sink);

// Everything a probe call reports, for in-process layout checks (layout_check.h).
enum class ProbeKind {
  kTarget,    // something to tap: ProbeItem / ProbeLastItem
  kText,      // drawn text: `min`/`max` is its extent, `box_*` where it must stay
  kBackdrop,  // a tap-anywhere area behind other things (may overlap them)
};
struct ProbeReport {
  ProbeKind kind = ProbeKind::kTarget;
  std::string_view name;
  ImVec2 min;
  ImVec2 max;
  ImVec2 box_min;  // kText only
  ImVec2 box_max;
};
// Receives every report (targets, texts, backdrops) while set, in addition to the
// ProbeSink / stdout. Pass an empty function to stop.
using LayoutSink = std::function<void(const ProbeReport& report)>;
void SetLayoutSink(LayoutSink sink);

// Reports the rectangle [min, max) under `name`.
void ProbeItem(std::string_view name, ImVec2 min, ImVec2 max);
// Reports ImGui's last submitted item (call right after the widget).
void ProbeLastItem(std::string_view name);
// Reports text drawn over [min, max) that must stay inside [box_min, box_max).
void ProbeText(std::string_view name, ImVec2 min, ImVec2 max, ImVec2 box_min, ImVec2 box_max);
// A whitespace-free probe name for a text: "<prefix>:<first 24 code points>".
std::string TextProbeName(std::string_view prefix, std::string_view text);
// Reports a tap-anywhere area (e.g. "tap to continue") that other items sit on.
void ProbeBackdrop(std::string_view name, ImVec2 min, ImVec2 max);

}  // namespace feedback::ui
