// Byte buffers and hex/base64 conversion used by crypto, storage and the wire
// protocol. Plain functions, no state.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace feedback {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string ToString(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes ToBytes(std::string_view s) {
  ByteView v = AsBytes(s);
  return {v.begin(), v.end()};
}

std::string HexEncode(ByteView bytes);
// Accepts upper or lower case; fails on odd length or a non-hex digit.
Result<Bytes> HexDecode(std::string_view hex);

// Standard base64 with padding (RFC 4648 section 4).
std::string Base64Encode(ByteView bytes);
Result<Bytes> Base64Decode(std::string_view text);

// Compares in time independent of the contents (for MACs, tokens, hashes).
bool ConstantTimeEqual(ByteView a, ByteView b);

}  // namespace feedback
