#include "core/window_size.h"

#include <charconv>

namespace feedback {
namespace {

constexpr std::string_view::size_type kMaxDigits = 5;

// One side: 1..kMaxDigits ASCII digits making up the whole of `text`.
std::optional<int> ParseSide(std::string_view text) {
  if (text.empty() || text.size() > kMaxDigits) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<WindowSize> ParseWindowSize(std::string_view text) {
  const auto x = text.find('x');
  if (x == std::string_view::npos) return std::nullopt;
  const std::optional<int> width = ParseSide(text.substr(0, x));
  const std::optional<int> height = ParseSide(text.substr(x + 1));
  if (!width || !height) return std::nullopt;
  return WindowSize{*width, *height};
}

}  // namespace feedback
