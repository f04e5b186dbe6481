// Helpers shared by the fuzz targets: an invariant check that stops the fuzzer
// (abort works under libFuzzer and under the replay driver alike), and a
// cursor that splits one fuzz input into several fields. Header-only; each
// fuzz executable is single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace feedback::fuzz {

inline void Check(bool condition) {
  if (!condition) std::abort();
}

// Reads an input as a sequence of fields separated by `sep` (the last one
// takes the rest), so mutations of one field leave the others in place.
class Fields {
 public:
  Fields(const uint8_t* data, size_t size, char sep = '\x1f')
      : rest_(reinterpret_cast<const char*>(data), size), sep_(sep) {}
  // The next field; "" once the input is used up.
  std::string_view Next() {
    const size_t at = rest_.find(sep_);
    std::string_view field = rest_.substr(0, at);
    rest_ = at == std::string_view::npos ? std::string_view() : rest_.substr(at + 1);
    return field;
  }
  // The first byte of the next field (0 when empty), for choices.
  uint8_t NextByte() {
    std::string_view f = Next();
    return f.empty() ? 0 : static_cast<uint8_t>(f[0]);
  }
  std::string_view Rest() const { return rest_; }

 private:
  std::string_view rest_;
  char sep_;
};

// RFC 4180 field: always quoted, quotes doubled.
inline std::string CsvQuote(std::string_view field) {
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace feedback::fuzz
