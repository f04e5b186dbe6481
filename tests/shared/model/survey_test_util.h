// Helpers shared by the survey tests: reading test files and loading the
// compact "mini" definition (tests/data/surveys/mini.json) that exercises
// every question type. Test-only; not thread-safe (nothing here needs to be).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "model/survey.h"

namespace feedback::testing {

inline std::string TestDataPath(const std::string& relative) {
  return std::string(FEEDBACK_TEST_DATA_DIR) + "/" + relative;
}

inline std::string AssetPath(const std::string& relative) {
  return std::string(FEEDBACK_ASSETS_DIR) + "/" + relative;
}

inline std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::string text(static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0)), '\0');
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

// The mini definition; fails the calling test if it does not load.
inline SurveyDefinition LoadMini() {
  Result<SurveyDefinition> def = LoadSurveyDefinition(TestDataPath("surveys/mini.json"));
  EXPECT_TRUE(def.ok()) << def.status().ToString();
  return def.ok() ? *def : SurveyDefinition{};
}

}  // namespace feedback::testing
