#include "ui/theme.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace feedback::ui {
namespace {

using Json = nlohmann::json;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads an object of named fields into pointers; every key must be known.
template <typename T, typename ReadFn>
Status ReadFields(const Json& object, const std::string& where,
                  const std::map<std::string, T*>& fields, ReadFn read) {
  if (!object.is_object()) return Status::InvalidArgument(where + ": must be a JSON object");
  for (const auto& [key, value] : object.items()) {
    auto it = fields.find(key);
    if (it == fields.end()) {
      std::string known;
      for (const auto& [name, unused] : fields) known += (known.empty() ? "" : ", ") + name;
      return Status::InvalidArgument(where + "." + key + ": unknown field (known: " + known + ")");
    }
    FEEDBACK_RETURN_IF_ERROR(read(value, where + "." + key, *it->second));
  }
  return Status::Ok();
}

Status ReadColor(const Json& value, const std::string& where, Rgba& out) {
  if (!value.is_string()) return Status::InvalidArgument(where + ": must be a \"#RRGGBB\" string");
  Result<Rgba> color = ParseHexColor(value.get<std::string>());
  if (!color.ok()) return color.status().WithContext(where);
  out = *color;
  return Status::Ok();
}

// Millimetre values must be numbers in [lo, hi]; the bounds keep a typo such as 150 mm
// from producing an unusable screen.
auto MmReader(float lo, float hi) {
  return [lo, hi](const Json& value, const std::string& where, float& out) -> Status {
    if (!value.is_number()) return Status::InvalidArgument(where + ": must be a number (mm)");
    const double mm = value.get<double>();
    if (mm < lo || mm > hi) {
      std::ostringstream msg;
      msg << where << ": " << mm << " mm is outside the allowed range [" << lo << ", " << hi << "]";
      return Status::InvalidArgument(msg.str());
    }
    out = static_cast<float>(mm);
    return Status::Ok();
  };
}

}  // namespace

ImVec4 Rgba::ToVec4() const {
  return ImVec4(static_cast<float>(r) / 255.0f, static_cast<float>(g) / 255.0f,
                static_cast<float>(b) / 255.0f, static_cast<float>(a) / 255.0f);
}

Rgba Rgba::WithAlpha(float factor) const {
  Rgba copy = *this;
  copy.a = static_cast<uint8_t>(std::clamp(static_cast<float>(a) * factor, 0.0f, 255.0f));
  return copy;
}

Result<Rgba> ParseHexColor(const std::string& text) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') {
    return Status::InvalidArgument("colour \"" + text +
                                   "\" is not of the form #RRGGBB or #RRGGBBAA");
  }
  uint8_t channels[4] = {0, 0, 0, 255};
  for (size_t i = 1, c = 0; i + 1 < text.size(); i += 2, ++c) {
    const int hi = HexDigit(text[i]);
    const int lo = HexDigit(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return Status::InvalidArgument("colour \"" + text + "\" has a non-hexadecimal digit");
    }
    channels[c] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return Rgba{channels[0], channels[1], channels[2], channels[3]};
}

Result<Theme> ParseTheme(const std::string& json_text, const std::string& source) {
  const Json doc = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument(source + ": not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument(source + ": top level must be an object");

  Theme theme;
  ThemeColors& c = theme.colors;
  const std::map<std::string, Rgba*> colors = {
      {"background", &c.background}, {"surface", &c.surface},     {"text", &c.text},
      {"muted_text", &c.muted_text}, {"outline", &c.outline},     {"primary", &c.primary},
      {"on_primary", &c.on_primary}, {"pressed", &c.pressed},     {"accent", &c.accent},
      {"danger", &c.danger},         {"detractor", &c.detractor}, {"passive", &c.passive},
      {"promoter", &c.promoter}};
  const std::map<std::string, float*> sizing = {{"min_target_mm", &theme.sizing.min_target_mm},
                                                {"gap_mm", &theme.sizing.gap_mm},
                                                {"padding_mm", &theme.sizing.padding_mm},
                                                {"corner_mm", &theme.sizing.corner_mm}};
  const std::map<std::string, float*> fonts = {{"body_mm", &theme.font_sizes.body_mm},
                                               {"large_mm", &theme.font_sizes.large_mm},
                                               {"title_mm", &theme.font_sizes.title_mm}};

  for (const auto& [key, value] : doc.items()) {
    const std::string where = source + ": " + key;
    if (key == "version") {
      if (!value.is_number_integer() || value.get<int>() != 1) {
        return Status::VersionMismatch(where + ": only version 1 is understood");
      }
    } else if (key == "name") {
      if (!value.is_string()) return Status::InvalidArgument(where + ": must be a string");
      theme.name = value.get<std::string>();
    } else if (key == "logo") {
      if (!value.is_string()) return Status::InvalidArgument(where + ": must be a file name");
      theme.logo_path = value.get<std::string>();
    } else if (key == "colors") {
      FEEDBACK_RETURN_IF_ERROR(ReadFields(value, where, colors, ReadColor));
    } else if (key == "sizing") {
      // The "min_target_mm" floor is the product rule (>= 15 mm), not a matter of taste.
      FEEDBACK_RETURN_IF_ERROR(ReadFields(
          value, where, sizing, [](const Json& v, const std::string& w, float& out) -> Status {
            const bool is_target =
                w.size() >= 13 && w.compare(w.size() - 13, 13, "min_target_mm") == 0;
            return is_target ? MmReader(15.0f, 40.0f)(v, w, out) : MmReader(0.0f, 20.0f)(v, w, out);
          }));
    } else if (key == "fonts") {
      FEEDBACK_RETURN_IF_ERROR(ReadFields(value, where, fonts, MmReader(2.0f, 40.0f)));
    } else {
      return Status::InvalidArgument(
          where + ": unknown field (known: version, name, logo, colors, sizing, fonts)");
    }
  }
  return theme;
}

Result<Theme> LoadBrandTheme(const std::string& assets_dir) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(assets_dir) / "branding";
  const fs::path file = dir / "theme.json";
  std::error_code ec;
  if (!fs::exists(file, ec)) return Theme{};
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::IoError(file.string() + ": cannot be read (check its permissions)");
  std::ostringstream text;
  text << in.rdbuf();
  Result<Theme> theme = ParseTheme(text.str(), file.string());
  if (!theme.ok()) return theme;
  if (!theme->logo_path.empty() && fs::path(theme->logo_path).is_relative()) {
    theme->logo_path = (dir / theme->logo_path).string();
  }
  return theme;
}

void ApplyTheme(const Theme& theme, ImGuiStyle& style) {
  style = ImGuiStyle();
  ImGui::StyleColorsLight(&style);
  const ThemeColors& c = theme.colors;
  const float pad = theme.MmToPx(theme.sizing.padding_mm);
  const float gap = theme.GapPx();
  const float corner = theme.MmToPx(theme.sizing.corner_mm);

  style.WindowPadding = ImVec2(pad, pad);
  style.FramePadding = ImVec2(gap, gap);
  style.ItemSpacing = ImVec2(gap, gap);
  style.ItemInnerSpacing = ImVec2(gap * 0.5f, gap * 0.5f);
  style.WindowRounding = 0.0f;
  style.FrameRounding = corner;
  style.GrabRounding = corner;
  style.WindowBorderSize = 0.0f;
  style.FrameBorderSize = 1.0f;
  style.ScrollbarSize = theme.MmToPx(6.0f);  // scrollbars must be touchable too
  style.GrabMinSize = theme.MmToPx(8.0f);
  style.TouchExtraPadding = ImVec2(0.0f, 0.0f);

  ImVec4* col = style.Colors;
  col[ImGuiCol_Text] = c.text.ToVec4();
  col[ImGuiCol_TextDisabled] = c.muted_text.ToVec4();
  col[ImGuiCol_WindowBg] = c.background.ToVec4();
  col[ImGuiCol_ChildBg] = c.background.ToVec4();
  col[ImGuiCol_PopupBg] = c.surface.ToVec4();
  col[ImGuiCol_Border] = c.outline.ToVec4();
  col[ImGuiCol_FrameBg] = c.surface.ToVec4();
  col[ImGuiCol_FrameBgHovered] = c.surface.ToVec4();
  col[ImGuiCol_FrameBgActive] = c.surface.ToVec4();
  col[ImGuiCol_Button] = c.primary.ToVec4();
  col[ImGuiCol_ButtonHovered] = c.primary.ToVec4();
  col[ImGuiCol_ButtonActive] = c.pressed.ToVec4();
  col[ImGuiCol_Header] = c.primary.WithAlpha(0.25f).ToVec4();
  col[ImGuiCol_HeaderHovered] = col[ImGuiCol_Header];
  col[ImGuiCol_HeaderActive] = c.primary.WithAlpha(0.40f).ToVec4();
  col[ImGuiCol_CheckMark] = c.primary.ToVec4();
  col[ImGuiCol_SliderGrab] = c.primary.ToVec4();
  col[ImGuiCol_SliderGrabActive] = c.pressed.ToVec4();
  col[ImGuiCol_NavHighlight] = c.accent.ToVec4();
  col[ImGuiCol_TextSelectedBg] = c.accent.WithAlpha(0.45f).ToVec4();
}

}  // namespace feedback::ui
