// The kiosk's own words exist in English and Spanish, and placeholders survive translation.
#include "logic/kiosk_strings.h"

#include <gtest/gtest.h>

#include <string>

namespace feedback::kiosk {
namespace {

size_t CountPlaceholders(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    if (s[i] == '{' && s[i + 2] == '}' && s[i + 1] >= '0' && s[i + 1] <= '9') ++n;
  }
  return n;
}

TEST(KioskStringsTest, EveryStringInEnglishAndSpanish) {
  for (int i = 0; i < static_cast<int>(Str::kCount); ++i) {
    const Str id = static_cast<Str>(i);
    const std::string_view en = Tr(id, "en");
    const std::string_view es = Tr(id, "es");
    EXPECT_FALSE(en.empty()) << i;
    EXPECT_FALSE(es.empty()) << i;
    EXPECT_EQ(CountPlaceholders(en), CountPlaceholders(es)) << en << " / " << es;
    if (en != "OK" && en != "No, thanks") {
      // Every string is translated, not copied (brand-neutral words excepted).
      EXPECT_NE(en, es) << i;
    }
  }
}

TEST(KioskStringsTest, LocaleFallbacks) {
  EXPECT_EQ(Tr(Str::kNext, "es-MX"), "Siguiente");
  EXPECT_EQ(Tr(Str::kNext, "es_ES"), "Siguiente");
  EXPECT_EQ(Tr(Str::kNext, "fr"), "Next");
  EXPECT_EQ(Tr(Str::kNext, "estonian"), "Next") << "\"es\" must be the whole language tag";
  EXPECT_EQ(Tr(Str::kCount, "en"), "");
}

TEST(KioskStringsTest, FormatAndLanguageNames) {
  EXPECT_EQ(Format(Tr(Str::kQuestionOf, "es"), {"2", "9"}), "Pregunta 2 de 9");
  EXPECT_EQ(Format("{1}-{0}-{2}", {"a", "b"}), "b-a-{2}");
  EXPECT_EQ(LanguageName("es"), "Español");
  EXPECT_EQ(LanguageName("en-GB"), "English");
  EXPECT_EQ(LanguageName("xx"), "XX");
}

}  // namespace
}  // namespace feedback::kiosk
