// The kiosk's admin PIN, kept only as a salted PBKDF2-HMAC-SHA256 hash in a
// small file (mode 0600) that `feedback-kiosk set-pin` writes:
//   pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>
// A PIN has few digits, so the hash alone would not stop an attacker with the
// file; it keeps the PIN off the disk in plaintext, and the on-screen lockout
// (kiosk_state.h) is what stops guessing at the screen.
// Plain functions and a value type; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback::kiosk {

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.15 s on a small kiosk
// CPU, paid once per PIN entry.
inline constexpr int kDefaultPinIterations = 600'000;
inline constexpr size_t kMinPinDigits = 4;
inline constexpr size_t kMaxPinDigits = 12;

struct PinHash {
  int iterations = kDefaultPinIterations;
  Bytes salt;  // 16 random bytes
  Bytes hash;  // 32 bytes

  // The file line (without newline), and back. Parse names what is wrong.
  std::string Serialize() const;
  static Result<PinHash> Parse(std::string_view line);
};

// Fails with InvalidArgument unless the PIN is 4-12 ASCII digits.
Status CheckPinFormat(std::string_view pin);

// Hashes `pin` with a fresh random salt.
Result<PinHash> HashPin(std::string_view pin, int iterations = kDefaultPinIterations);

// Whether `pin` matches, compared in constant time.
bool VerifyPin(const PinHash& stored, std::string_view pin);

// Writes the hash to `path` atomically with mode 0600.
Status SavePinFile(const std::string& path, const PinHash& hash);
// Reads the hash; refuses a file other users may read or write (PermissionDenied,
// saying the chmod to run), a missing one (NotFound) or a malformed one.
Result<PinHash> LoadPinFile(const std::string& path);

}  // namespace feedback::kiosk
