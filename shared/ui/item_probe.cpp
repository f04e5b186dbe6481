#include "ui/item_probe.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace feedback::ui {
namespace {

struct ProbeState {
  bool enabled = false;
  std::map<std::string, ImVec4, std::less<>> last;  // name -> (x, y, w, h) last reported
  std::map<std::string, ImVec4, std::less<>> last_text;
  ProbeSink sink;
  LayoutSink layout_sink;
};

ProbeState& State() {
  static ProbeState state = [] {
    ProbeState s;
    const char* env = std::getenv("FEEDBACK_UI_PROBE");
    s.enabled = env != nullptr && std::strcmp(env, "1") == 0;
    return s;
  }();
  return state;
}

}  // namespace

bool ProbeEnabled() { return State().enabled; }
void SetProbeEnabled(bool enabled) { State().enabled = enabled; }

void SetProbeSink(ProbeSink sink) { State().sink = std::move(sink); }

void SetLayoutSink(LayoutSink sink) { State().layout_sink = std::move(sink); }

void ProbeItem(std::string_view name, ImVec2 min, ImVec2 max) {
  ProbeState& state = State();
  if (!state.enabled) return;
  if (state.layout_sink) {
    state.layout_sink(ProbeReport{ProbeKind::kTarget, name, min, max, {}, {}});
    if (!state.sink) return;
  }
  if (state.sink) {
    state.sink(name, min, max);
    return;
  }
  const ImVec4 rect(std::round(min.x), std::round(min.y), std::round(max.x - min.x),
                    std::round(max.y - min.y));
  auto it = state.last.find(name);
  if (it != state.last.end() && it->second.x == rect.x && it->second.y == rect.y &&
      it->second.z == rect.z && it->second.w == rect.w) {
    return;
  }
  state.last[std::string(name)] = rect;
  std::printf("ui-item %.*s %d %d %d %d\n", static_cast<int>(name.size()), name.data(),
              static_cast<int>(rect.x), static_cast<int>(rect.y), static_cast<int>(rect.z),
              static_cast<int>(rect.w));
  std::fflush(stdout);  // the test reads this line while we keep running
}

void ProbeText(std::string_view name, ImVec2 min, ImVec2 max, ImVec2 box_min, ImVec2 box_max) {
  ProbeState& state = State();
  if (!state.enabled) return;
  if (state.layout_sink) {
    state.layout_sink(ProbeReport{ProbeKind::kText, name, min, max, box_min, box_max});
  }
  if (state.sink || state.layout_sink) return;
  const ImVec4 rect(std::round(min.x), std::round(min.y), std::round(max.x - min.x),
                    std::round(max.y - min.y));
  auto it = state.last_text.find(name);
  if (it != state.last_text.end() && it->second.x == rect.x && it->second.y == rect.y &&
      it->second.z == rect.z && it->second.w == rect.w) {
    return;
  }
  state.last_text[std::string(name)] = rect;
  std::printf("ui-text %.*s %d %d %d %d %d %d %d %d\n", static_cast<int>(name.size()),
              name.data(), static_cast<int>(rect.x), static_cast<int>(rect.y),
              static_cast<int>(rect.z), static_cast<int>(rect.w),
              static_cast<int>(std::round(box_min.x)), static_cast<int>(std::round(box_min.y)),
              static_cast<int>(std::round(box_max.x - box_min.x)),
              static_cast<int>(std::round(box_max.y - box_min.y)));
  std::fflush(stdout);
}

std::string TextProbeName(std::string_view prefix, std::string_view text) {
  std::string name(prefix);
  name += ':';
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if ((static_cast<unsigned char>(ch) & 0xC0u) != 0x80u && ++n > 24) break;
    name += (ch == ' ' || ch == '\n' || ch == '\t') ? '_' : ch;
  }
  return name;
}

void ProbeBackdrop(std::string_view name, ImVec2 min, ImVec2 max) {
  ProbeState& state = State();
  if (!state.enabled || !state.layout_sink) return;
  state.layout_sink(ProbeReport{ProbeKind::kBackdrop, name, min, max, {}, {}});
}

void ProbeLastItem(std::string_view name) {
  if (!State().enabled) return;
  ProbeItem(name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

}  // namespace feedback::ui
