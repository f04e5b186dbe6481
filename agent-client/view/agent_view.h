// AgentView: draws the call-log window with Dear ImGui from the session's state and
// returns what the user did - it never changes the form or touches the database itself
// (STYLE.md "Screens" 5). One frame:
//
//   1. main feeds each key press through MapKey() and dispatches the event it gives
//      (so keys act in order, before any widget of this frame is drawn);
//   2. Draw() builds the window: header (rep, sync health), the form, the buttons and
//      the notice line, then the rep's trend, last calls and the team's hero stories;
//      clicks and text edits come back as ViewIntents for main to dispatch.
//
// ImGui's own Tab/nav handling is switched off for the window (the form model owns the
// focus), and each form generation gets fresh widget ids so that a cleared or logged
// form never inherits a text field's edit state.
//
// With FEEDBACK_UI_PROBE=1 the clickable items report their rectangles (ui/item_probe.h)
// as "<field key>/<value>", "<field key>", "log-call", "clear", "switch-rep", "sign-in",
// "staff-id", "tab/<n>"; SetLayoutSink() reports every control and text with the box it
// must stay inside, for the headless layout test.
//
// UI thread only, between ImGui::NewFrame and ImGui::Render. Holds only view state (the
// sign-in text, which focus request it has honoured); borrows nothing across frames.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "logic/agent_session.h"
#include "logic/keyboard.h"
#include "ui/app_shell.h"
#include "view/agent_theme.h"
#include "view/key_queue.h"

namespace feedback::agent {

// One item of a drawn frame, for the layout test (tests/agent-client/agent_layout_test):
// where it is and the box it must stay inside, in window pixels with the window
// scrolled to its top.
struct LayoutItem {
  enum class Kind { kControl, kText };
  Kind kind = Kind::kText;
  std::string name;  // the probe name of a control; the text itself (cut) of a text
  ImVec2 min;
  ImVec2 max;
  // The card's inner width, the table cell, or for a label inside a button that button.
  // Vertically unbounded (±FLT_MAX) for items in the flow: the window scrolls.
  ImVec2 box_min;
  ImVec2 box_max;
  bool inside_control = false;  // a button's own label
};
using LayoutSink = std::function<void(const LayoutItem&)>;

// While set, every control and text the view draws is reported to `sink` (UI thread;
// pass an empty function to stop).
void SetLayoutSink(LayoutSink sink);

struct ViewIntents {
  std::vector<FormEvent> events;       // in the order the widgets produced them
  std::optional<std::string> sign_in;  // a staff id submitted on the sign-in screen
  bool sign_out = false;               // "Switch rep"
};

// SDL key press -> the form's key model.
KeyInput ToKeyInput(const KeyPress& press);

class AgentView {
 public:
  // The event a key press means for the form, or nullopt (see logic/keyboard.h).
  std::optional<FormEvent> MapKey(const KeyPress& press, const AgentSession& session) const;

  ViewIntents Draw(const ui::FrameContext& frame, const AgentSession& session, TimeMs now);

  // An error to show on the sign-in screen (a malformed staff id).
  void SetSignInError(std::string message) { sign_in_error_ = std::move(message); }

 private:
  void DrawSignIn(const ui::FrameContext& frame, const AgentSession& session, ViewIntents& out);
  void DrawHeader(const ui::FrameContext& frame, const AgentSession& session, TimeMs now,
                  float width, ViewIntents& out);
  void DrawForm(const ui::FrameContext& frame, const AgentSession& session, float width,
                ViewIntents& out);
  void DrawField(const ui::FrameContext& frame, const FormState& form, size_t index, float width,
                 ViewIntents& out);
  void DrawActions(const ui::FrameContext& frame, const FormState& form, float width,
                   ViewIntents& out);
  // wide: stacked cards beside the form; narrow: one card with tabs under it.
  void DrawPanels(const ui::FrameContext& frame, const AgentSession& session, TimeMs now,
                  float width, bool tabs);
  void DrawTrend(const ui::FrameContext& frame, const AgentSession& session, float width);
  void DrawHistory(const ui::FrameContext& frame, const AgentSession& session, TimeMs now,
                   float width);
  void DrawHeroes(const ui::FrameContext& frame, const AgentSession& session, TimeMs now,
                  float width);

  AgentMetrics metrics_{};
  std::string staff_id_;  // the signed-in rep, for the praise hint
  int panel_tab_ = 0;     // narrow layout: 0 trend, 1 last calls, 2 hero stories
  std::string staff_input_;
  std::string sign_in_error_;
  bool sign_in_focused_ = false;
  uint64_t seen_focus_serial_ = UINT64_MAX;
  uint64_t seen_generation_ = UINT64_MAX;
  bool focus_text_now_ = false;   // this frame, give the focused text field the keyboard
  bool scroll_to_focus_ = false;  // the focus moved: scroll the focused field into view
};

}  // namespace feedback::agent
