// Theme: the one place for touch sizing, colours and font sizes (STYLE.md point 6).
// Sizes are in millimetres and turned into pixels with the display's DPI, so a 15 mm
// touch target is 15 mm on any screen. Brand colours come from
// assets/branding/theme.json; anything the file leaves out keeps the default below.
// A Theme is a plain value: copy it freely; it holds no ImGui or SDL state.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>

#include "core/result.h"

namespace feedback::ui {

struct Rgba {
  uint8_t r = 0;
  uint8_t g = 0;
  uint8_t b = 0;
  uint8_t a = 255;

  ImU32 ToU32() const { return IM_COL32(r, g, b, a); }
  ImVec4 ToVec4() const;
  // A copy with alpha scaled by `factor` (0..1).
  Rgba WithAlpha(float factor) const;
  friend bool operator==(const Rgba&, const Rgba&) = default;
};

// "#RRGGBB" or "#RRGGBBAA"; anything else is InvalidArgument.
Result<Rgba> ParseHexColor(const std::string& text);

struct ThemeColors {
  Rgba background{0xF4, 0xF2, 0xED};  // the page behind everything
  Rgba surface{0xFF, 0xFF, 0xFF};     // buttons / option cards at rest
  Rgba text{0x1E, 0x29, 0x3B};        // body text on background and surface
  Rgba muted_text{0x5B, 0x67, 0x78};  // anchor labels, hints
  Rgba outline{0xC9, 0xCE, 0xD6};     // card borders
  Rgba primary{0x0B, 0x6E, 0x4F};     // brand colour: primary buttons, selection
  Rgba on_primary{0xFF, 0xFF, 0xFF};  // text drawn on primary
  Rgba pressed{0x08, 0x4C, 0x37};     // a target while the finger is down on it
  Rgba accent{0xF2, 0xA5, 0x41};      // highlights, focus ring
  Rgba danger{0xC0, 0x39, 0x2B};      // out-of-service, destructive actions
  Rgba detractor{0xD9, 0x4F, 0x3D};   // NPS 0-6, CSAT 1-2
  Rgba passive{0xE8, 0xB1, 0x3A};     // NPS 7-8, CSAT 3
  Rgba promoter{0x2E, 0x9E, 0x5B};    // NPS 9-10, CSAT 4-5
};

struct ThemeSizing {
  float min_target_mm = 15.0f;  // DESIGN.md: touch targets are at least 15 mm
  float gap_mm = 3.0f;          // space between neighbouring targets (mis-tap margin)
  float padding_mm = 4.0f;      // inner padding of windows and cards
  float corner_mm = 2.0f;       // corner radius of buttons and cards
};

struct ThemeFontSizes {
  float body_mm = 5.0f;    // pixel height of the body font, in mm
  float large_mm = 7.0f;   // question text, button labels
  float title_mm = 11.0f;  // attract screen, thank-you
};

struct Theme {
  std::string name = "default";
  ThemeColors colors;
  ThemeSizing sizing;
  ThemeFontSizes font_sizes;
  std::string logo_path;  // absolute path of the brand logo, empty if none
  float dpi = 96.0f;      // the display's dots per inch; set by AppShell / HeadlessUi

  float PxPerMm() const { return dpi / 25.4f; }
  float MmToPx(float mm) const { return mm * PxPerMm(); }
  float PxToMm(float px) const { return px / PxPerMm(); }
  float MinTargetPx() const { return MmToPx(sizing.min_target_mm); }
  float GapPx() const { return MmToPx(sizing.gap_mm); }
};

// Parses a theme JSON document over the defaults. `source` names the file in errors.
// Unknown keys are errors (a typo in a brand file should not silently do nothing).
Result<Theme> ParseTheme(const std::string& json_text, const std::string& source);

// Reads <assets_dir>/branding/theme.json. A missing file gives the default theme; a
// present but broken one is an error naming the file, the field and the problem.
// A relative "logo" in the file is resolved against <assets_dir>/branding/.
Result<Theme> LoadBrandTheme(const std::string& assets_dir);

// Colours, rounding and spacing of a Dear ImGui style from the theme. Hover colours are
// set equal to the resting colours: on a touch screen there is no hover, and a
// highlight left behind by the last tap would look like a selection.
void ApplyTheme(const Theme& theme, ImGuiStyle& style);

}  // namespace feedback::ui
