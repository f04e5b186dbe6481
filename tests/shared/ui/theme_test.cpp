// Theme parsing and sizing: brand files override defaults, typos and out-of-range sizes
// are rejected with the file and field named, and millimetres convert at the given DPI.
#include "ui/theme.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ui/fonts.h"

namespace feedback::ui {
namespace {

TEST(ParseHexColor, AcceptsRgbAndRgba) {
  Result<Rgba> rgb = ParseHexColor("#0B6E4F");
  ASSERT_TRUE(rgb.ok()) << rgb.status().ToString();
  EXPECT_EQ(*rgb, (Rgba{0x0B, 0x6E, 0x4F, 0xFF}));
  Result<Rgba> rgba = ParseHexColor("#ffffff80");
  ASSERT_TRUE(rgba.ok());
  EXPECT_EQ(rgba->a, 0x80);
}

TEST(ParseHexColor, RejectsMalformed) {
  EXPECT_FALSE(ParseHexColor("0B6E4F").ok());
  EXPECT_FALSE(ParseHexColor("#0B6E4").ok());
  EXPECT_FALSE(ParseHexColor("#0B6E4G").ok());
}

TEST(ParseTheme, OverridesOnlyWhatIsGiven) {
  Result<Theme> theme = ParseTheme(
      R"({"version": 1, "name": "acme", "colors": {"primary": "#112233"},
          "sizing": {"min_target_mm": 18}, "fonts": {"body_mm": 6}})",
      "theme.json");
  ASSERT_TRUE(theme.ok()) << theme.status().ToString();
  EXPECT_EQ(theme->name, "acme");
  EXPECT_EQ(theme->colors.primary, (Rgba{0x11, 0x22, 0x33, 0xFF}));
  EXPECT_EQ(theme->colors.background, ThemeColors{}.background);
  EXPECT_FLOAT_EQ(theme->sizing.min_target_mm, 18.0f);
  EXPECT_FLOAT_EQ(theme->font_sizes.body_mm, 6.0f);
  EXPECT_FLOAT_EQ(theme->font_sizes.title_mm, ThemeFontSizes{}.title_mm);
}

TEST(ParseTheme, ErrorsNameFileFieldAndProblem) {
  Result<Theme> typo = ParseTheme(R"({"colors": {"primray": "#112233"}})", "brand/theme.json");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("brand/theme.json"), std::string::npos);
  EXPECT_NE(typo.status().message().find("primray"), std::string::npos);
  EXPECT_NE(typo.status().message().find("unknown field"), std::string::npos);

  Result<Theme> bad_color = ParseTheme(R"({"colors": {"text": "red"}})", "t.json");
  ASSERT_FALSE(bad_color.ok());
  EXPECT_NE(bad_color.status().message().find("colors.text"), std::string::npos);

  // The 15 mm minimum target is a product rule; a brand file cannot lower it.
  Result<Theme> small = ParseTheme(R"({"sizing": {"min_target_mm": 9}})", "t.json");
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.status().message().find("min_target_mm"), std::string::npos);

  EXPECT_FALSE(ParseTheme("{not json", "t.json").ok());
  EXPECT_FALSE(ParseTheme(R"({"version": 2})", "t.json").ok());
}

TEST(Theme, MillimetresToPixels) {
  Theme theme;
  theme.dpi = 96.0f;
  EXPECT_NEAR(theme.MinTargetPx(), 56.69f, 0.01f);  // 15 mm at 96 DPI
  theme.dpi = 254.0f;
  EXPECT_FLOAT_EQ(theme.MmToPx(15.0f), 150.0f);
  EXPECT_FLOAT_EQ(theme.PxToMm(150.0f), 15.0f);
}

TEST(LoadBrandTheme, RepositoryThemeLoadsAndMissingFileGivesDefaults) {
  Result<Theme> repo = LoadBrandTheme(FEEDBACK_ASSETS_DIR);
  ASSERT_TRUE(repo.ok()) << repo.status().ToString();
  EXPECT_GE(repo->sizing.min_target_mm, 15.0f);
  if (!repo->logo_path.empty()) {
    EXPECT_TRUE(std::filesystem::exists(repo->logo_path)) << repo->logo_path;
  }

  const auto empty_dir = std::filesystem::temp_directory_path() / "feedback_ui_theme_test_empty";
  std::filesystem::create_directories(empty_dir);
  Result<Theme> defaults = LoadBrandTheme(empty_dir.string());
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->colors.primary, ThemeColors{}.primary);
}

TEST(LoadBrandTheme, BrokenFileIsAnErrorNotDefaults) {
  const auto dir = std::filesystem::temp_directory_path() / "feedback_ui_theme_test_broken";
  std::filesystem::create_directories(dir / "branding");
  std::ofstream(dir / "branding" / "theme.json") << R"({"colors": {"primary": 42}})";
  Result<Theme> theme = LoadBrandTheme(dir.string());
  ASSERT_FALSE(theme.ok());
  EXPECT_NE(theme.status().message().find("theme.json"), std::string::npos);
}

TEST(Fonts, DebianFontIsFoundAndCoversSpanish) {
  ImGuiContext* context = ImGui::CreateContext();
  Theme theme;
  Result<FontSet> fonts = LoadFonts(*ImGui::GetIO().Fonts, theme, FEEDBACK_ASSETS_DIR);
  ASSERT_TRUE(fonts.ok()) << fonts.status().ToString();
  for (const ImWchar ch : {ImWchar(0xF1), ImWchar(0xD1), ImWchar(0xE1), ImWchar(0xBF),
                           ImWchar(0xA1), ImWchar(0x142), ImWchar(0x20AC)}) {
    const ImFontGlyph* glyph = fonts->body->FindGlyphNoFallback(ch);
    EXPECT_NE(glyph, nullptr) << "missing glyph U+" << std::hex << ch;
  }
  EXPECT_GT(fonts->title->FontSize, fonts->body->FontSize);
  ImGui::DestroyContext(context);
}

TEST(Fonts, AssetsFolderComesBeforeDebianPackages) {
  const auto candidates = FontCandidates("/opt/feedback/assets", false);
  ASSERT_GE(candidates.size(), 3u);
  EXPECT_EQ(candidates.front(), "/opt/feedback/assets/fonts/DejaVuSans.ttf");
  EXPECT_EQ(candidates[2], "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
}

TEST(Fonts, MissingFontErrorNamesPathsAndPackage) {
  ImGuiContext* context = ImGui::CreateContext();
  const std::vector<std::string> tried = {"/nonexistent/a.ttf", "/nonexistent/b.ttf"};
  Result<FontSet> fonts = LoadFontsFrom(*ImGui::GetIO().Fonts, Theme{}, tried, tried);
  ASSERT_FALSE(fonts.ok());
  EXPECT_EQ(fonts.status().code(), Status::Code::kNotFound);
  EXPECT_NE(fonts.status().message().find("/nonexistent/a.ttf"), std::string::npos);
  EXPECT_NE(fonts.status().message().find("/nonexistent/b.ttf"), std::string::npos);
  EXPECT_NE(fonts.status().message().find("fonts-dejavu-core"), std::string::npos);
  ImGui::DestroyContext(context);
}

}  // namespace
}  // namespace feedback::ui
