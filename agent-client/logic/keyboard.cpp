#include "logic/keyboard.h"

namespace feedback::agent {

std::optional<FormEvent> KeyToEvent(const KeyInput& in, const FormState& form) {
  if (in.alt) return std::nullopt;
  const bool on_choice_or_score =
      form.focus < form.fields.size() && !IsTextKind(form.fields[form.focus].kind);
  if (in.ctrl) {
    if (in.key == Key::kN) return NewLog{};
    if (in.key == Key::kZ) return Undo{};
    return std::nullopt;  // Ctrl+Enter: a new line in a text box; Ctrl+C/V/X: editing
  }
  switch (in.key) {
    case Key::kTab:
      if (in.shift) return FocusPrev{};
      return FocusNext{};
    case Key::kEnter:
      return Submit{};
    case Key::kEscape:
      return Clear{};
    case Key::kDigit:
      if (on_choice_or_score && !in.shift) return Digit{in.digit};
      return std::nullopt;
    case Key::kLeft:
      if (on_choice_or_score) return Step{-1};
      return std::nullopt;
    case Key::kRight:
      if (on_choice_or_score) return Step{+1};
      return std::nullopt;
    case Key::kUp:
      if (on_choice_or_score) return FocusPrev{};
      return std::nullopt;
    case Key::kDown:
      if (on_choice_or_score) return FocusNext{};
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace feedback::agent
