// UUIDv7 (RFC 9562): 48-bit Unix-millisecond timestamp, version 7, 74 random
// bits. Ids made by one generator are strictly increasing even within a
// millisecond (the random field is used as a counter, RFC 9562 section 6.2
// method 3 style). UuidGenerator is not thread-safe; give each thread its own.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace feedback {

struct Uuid {
  std::array<uint8_t, 16> bytes{};

  // "0190a6f2-3c4d-7e5f-8a9b-0c1d2e3f4a5b"
  std::string ToString() const;
  static Result<Uuid> Parse(std::string_view text);
  int version() const { return bytes[6] >> 4; }
  TimeMs timestamp_ms() const;

  auto operator<=>(const Uuid&) const = default;
};

class UuidGenerator {
 public:
  explicit UuidGenerator(const Clock& clock = SystemClock::Instance()) : clock_(clock) {}
  Uuid NextV7();

 private:
  const Clock& clock_;
  TimeMs last_ms_ = -1;
  Uuid last_{};
};

}  // namespace feedback
