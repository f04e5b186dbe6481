// What the batch encoders (EncodeBatch, BatchEncoder) and decoders share:
// the zstd level that makes both encoders produce the same bytes, and the
// wording and rules of field errors. Private to shared/protocol.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "protocol/limits.h"

namespace feedback::protocol::internal {

// zstd's default level: costs little CPU on a kiosk.
inline constexpr int kZstdLevel = 3;

inline Status Invalid(std::string_view field, std::string_view problem) {
  return Status::InvalidArgument("batch " + std::string(field) + ": " + std::string(problem));
}

inline std::string Index(std::string_view array, size_t i) {
  return std::string(array) + "[" + std::to_string(i) + "]";
}

// A device, site or epoch id: 1..kMaxIdBytes bytes, no space or control character.
inline Status CheckId(std::string_view id, std::string_view field) {
  if (id.empty()) return Invalid(field, "is empty");
  if (id.size() > kMaxIdBytes) {
    return Invalid(field, "is longer than " + std::to_string(kMaxIdBytes) + " bytes");
  }
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) {
      return Invalid(field, "contains a control character or space");
    }
  }
  return Status::Ok();
}

}  // namespace feedback::protocol::internal
