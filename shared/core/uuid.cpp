#include "core/uuid.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

#include "core/bytes.h"

namespace feedback {

std::string Uuid::ToString() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return out;
}

Result<Uuid> Uuid::Parse(std::string_view text) {
  auto invalid = [&] {
    // Built by appending: GCC 12's -Wrestrict misfires on "'" + std::string(...) at -O3.
    std::string msg = "'";
    msg.append(text.substr(0, 64));
    msg += "' is not a UUID (expected 8-4-4-4-12 hex digits)";
    return Status::InvalidArgument(std::move(msg));
  };
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') {
    return invalid();
  }
  std::string digits;
  for (char c : text) {
    if (c != '-') digits.push_back(c);
  }
  Result<Bytes> raw = HexDecode(digits);
  if (!raw.ok() || raw->size() != 16) return invalid();
  Uuid id;
  std::copy(raw->begin(), raw->end(), id.bytes.begin());
  return id;
}

TimeMs Uuid::timestamp_ms() const {
  TimeMs t = 0;
  for (size_t i = 0; i < 6; ++i) t = (t << 8) | bytes[i];
  return t;
}

Uuid UuidGenerator::NextV7() {
  const TimeMs now = clock_.NowMs();
  if (now <= last_ms_) {
    // Same (or an earlier) millisecond: keep the last timestamp and count up in
    // the 62-bit rand_b field. A fresh id starts that field below 2^61, so it
    // cannot overflow within one millisecond.
    uint64_t rand_b = 0;
    for (size_t i = 8; i < 16; ++i) rand_b = (rand_b << 8) | last_.bytes[i];
    ++rand_b;
    for (size_t i = 15; i >= 8; --i, rand_b >>= 8) last_.bytes[i] = static_cast<uint8_t>(rand_b);
    return last_;
  }
  Uuid id;
  if (RAND_bytes(id.bytes.data(), static_cast<int>(id.bytes.size())) != 1) {
    std::abort();  // the OS entropy source failed: nothing sensible to continue with
  }
  for (size_t i = 0; i < 6; ++i) id.bytes[i] = static_cast<uint8_t>(now >> (8 * (5 - i)));
  id.bytes[6] = static_cast<uint8_t>(0x70 | (id.bytes[6] & 0x0f));  // version 7
  id.bytes[8] = static_cast<uint8_t>(0x80 | (id.bytes[8] & 0x1f));  // variant 10, headroom bit clear
  last_ms_ = now;
  last_ = id;
  return id;
}

}  // namespace feedback
