#include "ui/fonts.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace feedback::ui {
namespace {

constexpr const char* kDebianFontDirs[] = {"/usr/share/fonts/truetype/dejavu",
                                           "/usr/share/fonts/truetype/noto"};

// Reads a whole font file into memory allocated with ImGui's allocator, because the atlas
// takes ownership and frees it with ImGui::MemFree. We read it ourselves rather than via
// AddFontFromFileTTF, which asserts (aborts) on an unreadable file instead of failing.
bool ReadFontFile(const std::string& path, void** data, int* size) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  const std::streamoff length = in.tellg();
  if (length <= 0 || length > (64 << 20)) return false;
  in.seekg(0);
  void* buffer = ImGui::MemAlloc(static_cast<size_t>(length));
  if (!in.read(static_cast<char*>(buffer), length)) {
    ImGui::MemFree(buffer);
    return false;
  }
  *data = buffer;
  *size = static_cast<int>(length);
  return true;
}

std::string FirstExisting(const std::vector<std::string>& candidates) {
  std::error_code ec;
  for (const std::string& path : candidates) {
    if (std::filesystem::is_regular_file(path, ec)) return path;
  }
  return {};
}

}  // namespace

const ImWchar* LatinGlyphRanges() {
  static const ImWchar kRanges[] = {
      0x0020, 0x00FF,  // Basic Latin + Latin-1 Supplement (á é í ó ú ñ ü ¿ ¡ ç ß ...)
      0x0100, 0x017F,  // Latin Extended-A (ł ő š ž č ...)
      0x2010, 0x2027,  // dashes, curly quotes, bullet, ellipsis
      0x20AC, 0x20AC,  // euro sign
      0,
  };
  return kRanges;
}

std::vector<std::string> FontCandidates(const std::string& assets_dir, bool bold) {
  const std::string dejavu = bold ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf";
  const std::string noto = bold ? "NotoSans-Bold.ttf" : "NotoSans-Regular.ttf";
  std::vector<std::string> out;
  if (!assets_dir.empty()) {
    out.push_back(assets_dir + "/fonts/" + dejavu);
    out.push_back(assets_dir + "/fonts/" + noto);
  }
  out.push_back(std::string(kDebianFontDirs[0]) + "/" + dejavu);
  out.push_back(std::string(kDebianFontDirs[1]) + "/" + noto);
  return out;
}

Result<FontSet> LoadFonts(ImFontAtlas& atlas, const Theme& theme, const std::string& assets_dir) {
  return LoadFontsFrom(atlas, theme, FontCandidates(assets_dir, false),
                       FontCandidates(assets_dir, true));
}

Result<FontSet> LoadFontsFrom(ImFontAtlas& atlas, const Theme& theme,
                              const std::vector<std::string>& regular_candidates,
                              const std::vector<std::string>& bold_candidates) {
  FontSet set;
  set.regular_path = FirstExisting(regular_candidates);
  set.bold_path = FirstExisting(bold_candidates);
  if (set.regular_path.empty()) {
    std::string tried;
    for (const std::string& path : regular_candidates) tried += "\n  " + path;
    return Status::NotFound(
        "no UI font found; tried:" + tried +
        "\nInstall one with: apt-get install fonts-dejavu-core (or fonts-noto-core), "
        "or copy DejaVuSans.ttf into the assets/fonts/ folder");
  }
  // A missing bold face is not worth failing for: the regular face stands in for it.
  if (set.bold_path.empty()) set.bold_path = set.regular_path;

  atlas.Clear();
  auto add = [&](const std::string& path, float size_mm) -> ImFont* {
    void* data = nullptr;
    int size = 0;
    if (!ReadFontFile(path, &data, &size)) return nullptr;
    ImFontConfig config;
    config.FontDataOwnedByAtlas = true;
    config.OversampleH = 2;  // crisp text at the sizes we use without a large atlas
    config.OversampleV = 1;
    const float pixels = std::max(8.0f, theme.MmToPx(size_mm));
    return atlas.AddFontFromMemoryTTF(data, size, pixels, &config, LatinGlyphRanges());
  };
  set.body = add(set.regular_path, theme.font_sizes.body_mm);
  set.bold = add(set.bold_path, theme.font_sizes.body_mm);
  set.large = add(set.bold_path, theme.font_sizes.large_mm);
  set.title = add(set.bold_path, theme.font_sizes.title_mm);
  if (set.body == nullptr || set.bold == nullptr || set.large == nullptr || set.title == nullptr) {
    atlas.Clear();
    return Status::IoError("cannot read font file " + set.regular_path + " or " + set.bold_path +
                           " (check permissions; reinstall fonts-dejavu-core)");
  }
  if (!atlas.Build()) {
    atlas.Clear();
    return Status::Corruption("font atlas build failed for " + set.regular_path + " / " +
                              set.bold_path + ": not a usable TrueType file?");
  }
  return set;
}

}  // namespace feedback::ui
