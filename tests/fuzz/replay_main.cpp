// Replay driver for fuzz targets when libFuzzer is not available (gcc builds):
// runs LLVMFuzzerTestOneInput over every file of the given corpus folders, then
// over a bounded number of random mutations of them (--mutations=N, seeded, so a
// failure repeats). Under clang with -DFEEDBACK_FUZZ=ON the real libFuzzer
// engine replaces this file.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<uint8_t> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void Mutate(std::vector<uint8_t>& input, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> op(0, 4);
  auto pos = [&](size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  switch (op(rng)) {
    case 0:  // flip a bit
      if (!input.empty()) input[pos(input.size())] ^= static_cast<uint8_t>(1u << (rng() % 8));
      break;
    case 1:  // truncate
      input.resize(pos(input.size() + 1));
      break;
    case 2:  // insert a random byte
      input.insert(input.begin() + static_cast<long>(pos(input.size() + 1)), static_cast<uint8_t>(rng()));
      break;
    case 3:  // overwrite with an interesting byte
      if (!input.empty()) {
        static constexpr uint8_t kInteresting[] = {0x00, 0xff, 0x7f, 0x80, '"', '{', '}', '[', ']', '\\', '0'};
        input[pos(input.size())] = kInteresting[rng() % sizeof kInteresting];
      }
      break;
    default:  // duplicate a slice
      if (!input.empty()) {
        size_t from = pos(input.size());
        size_t len = std::min<size_t>(input.size() - from, 1 + rng() % 16);
        std::vector<uint8_t> slice(input.begin() + static_cast<long>(from),
                                   input.begin() + static_cast<long>(from + len));
        input.insert(input.begin() + static_cast<long>(pos(input.size() + 1)), slice.begin(), slice.end());
      }
  }
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 0;
  std::vector<std::vector<uint8_t>> corpus;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--mutations=", 12) == 0) {
      mutations = std::strtol(argv[i] + 12, nullptr, 10);
      continue;
    }
    std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(p)) {
        if (entry.is_regular_file()) corpus.push_back(ReadFile(entry.path()));
      }
    } else if (std::filesystem::exists(p)) {
      corpus.push_back(ReadFile(p));
    } else {
      std::fprintf(stderr, "replay: no such corpus file or folder: %s\n", argv[i]);
      return 2;
    }
  }
  if (corpus.empty()) corpus.emplace_back();
  for (const auto& input : corpus) LLVMFuzzerTestOneInput(input.data(), input.size());
  std::mt19937_64 rng(0x5eed);
  for (long i = 0; i < mutations; ++i) {
    std::vector<uint8_t> input = corpus[static_cast<size_t>(i) % corpus.size()];
    for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k) Mutate(input, rng);
    LLVMFuzzerTestOneInput(input.data(), input.size());
  }
  std::printf("replay: %zu corpus inputs and %ld mutations ran without a crash\n", corpus.size(), mutations);
  return 0;
}
