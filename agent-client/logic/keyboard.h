// The form's keyboard map, independent of SDL and ImGui: which key press becomes which
// FormEvent in a given form state. The view translates SDL key codes into KeyInput and
// dispatches what this returns; a nullopt means the key belongs to the focused text
// field (typing, cursor keys, Ctrl+Enter for a new line in a box) or does nothing.
//
//   Ctrl+N new log · Ctrl+Z undo a clear · Tab / Shift+Tab next / previous field ·
//   Enter submit · Esc clear · on a score or choice: digits set it, Left/Right step it,
//   Up/Down move to the previous / next field.
//
// Pure function; no thread affinity.
#pragma once

#include <optional>

#include "logic/call_log_form.h"

namespace feedback::agent {

enum class Key { kOther, kTab, kEnter, kEscape, kDigit, kLeft, kRight, kUp, kDown, kN, kZ };

struct KeyInput {
  Key key = Key::kOther;
  int digit = 0;  // for kDigit: 0-9 (top row or keypad)
  bool ctrl = false;
  bool shift = false;
  bool alt = false;  // Alt or the OS key: never a form shortcut
};

std::optional<FormEvent> KeyToEvent(const KeyInput& input, const FormState& form);

}  // namespace feedback::agent
