// WindowSize: a "WIDTHxHEIGHT" command-line value such as "1920x1080", shared by
// the kiosk's and the agent client's --window option. Plain values, no state.
#pragma once

#include <optional>
#include <string_view>

namespace feedback {

struct WindowSize {
  int width = 0;
  int height = 0;
};

// Parses exactly DIGITS 'x' DIGITS, each side 1 to 5 decimal digits (no sign,
// no spaces, nothing after). Returns nullopt for anything else; callers apply
// their own minimum size and word their own error message.
std::optional<WindowSize> ParseWindowSize(std::string_view text);

}  // namespace feedback
