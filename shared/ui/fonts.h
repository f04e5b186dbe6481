// Font loading for the GUI apps: DejaVu Sans (or Noto Sans) at the theme's sizes, with
// glyphs for Latin-1 + Latin Extended-A so Spanish (ñ á ¿ ¡), French, German,
// Portuguese, Polish... all render. Fonts come from assets/fonts/ when present there,
// else from the Debian font packages.
// The returned ImFont pointers are owned by the ImFontAtlas they were added to and stay
// valid until that atlas (i.e. the ImGui context) is destroyed. UI thread only.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "core/result.h"
#include "ui/theme.h"

namespace feedback::ui {

struct FontSet {
  ImFont* body = nullptr;    // regular, theme.font_sizes.body_mm (the atlas default font)
  ImFont* bold = nullptr;    // bold, body size
  ImFont* large = nullptr;   // bold, large_mm: question text, button labels
  ImFont* title = nullptr;   // bold, title_mm: attract screen, thank-you
  std::string regular_path;  // the files actually used, for logs
  std::string bold_path;
};

// The glyph ranges every font is built with: Basic Latin, Latin-1 Supplement, Latin
// Extended-A, general punctuation (dashes, curly quotes, ellipsis) and the euro sign.
// Zero-terminated pairs, static storage (ImGui keeps the pointer).
const ImWchar* LatinGlyphRanges();

// Candidate files in search order for the regular (bold=false) or bold face.
std::vector<std::string> FontCandidates(const std::string& assets_dir, bool bold);

// Adds the four fonts to `atlas` and builds it. On failure the atlas is left cleared and
// the error lists every path tried and the Debian package that provides them.
Result<FontSet> LoadFonts(ImFontAtlas& atlas, const Theme& theme, const std::string& assets_dir);

// The same from explicit candidate lists (first existing file wins).
Result<FontSet> LoadFontsFrom(ImFontAtlas& atlas, const Theme& theme,
                              const std::vector<std::string>& regular_candidates,
                              const std::vector<std::string>& bold_candidates);

}  // namespace feedback::ui
