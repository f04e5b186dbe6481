// Item probe: opt-in instrumentation for end-to-end GUI tests. When the process runs with
// FEEDBACK_UI_PROBE=1 in its environment, the touch widgets report where they are drawn
// as lines on stdout, in window pixels:
//   ui-item <name> <x> <y> <w> <h>
// A line is written only when an item first appears or moves, so an idle UI writes
// nothing. Tests (tests/e2e/lib) read these lines to click on a named target instead of
// hard-coding coordinates. When the variable is unset, a probe call is one bool test.
// UI thread only.
#pragma once

#include <imgui.h>

#include <functional>
#include <string_view>

namespace feedback::ui {

// Whether probing is on (read once from FEEDBACK_UI_PROBE, overridable for tests).
bool ProbeEnabled();
void SetProbeEnabled(bool enabled);

// In-process tests: receives every report (unfiltered) while set; stdout is then not
// written. Pass an empty function to go back to stdout.
using ProbeSink = std::function<void(std::string_view name, ImVec2 min, ImVec2 max)>;
void SetProbeSink(ProbeSink sink);

// Reports the rectangle [min, max) under `name`.
void ProbeItem(std::string_view name, ImVec2 min, ImVec2 max);
// Reports ImGui's last submitted item (call right after the widget).
void ProbeLastItem(std::string_view name);

}  // namespace feedback::ui
