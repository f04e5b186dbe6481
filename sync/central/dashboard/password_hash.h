// Dashboard passwords: scrypt (OpenSSL EVP_PBE_scrypt, N=2^15, r=8, p=1,
// 16-byte salt, 32-byte key), stored as "scrypt$15$8$1$<salt b64>$<key b64>"
// so the cost can be raised later without breaking stored hashes. Plain
// functions, thread-safe. Each hash costs ~32 MiB and tens of milliseconds.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace feedback::central {

Result<std::string> HashPassword(std::string_view password);

// true when password matches; InvalidArgument for a malformed stored hash.
Result<bool> VerifyPassword(std::string_view password, std::string_view stored_hash);

// A random 20-character password (letters and digits without look-alikes).
Result<std::string> GeneratePassword();

}  // namespace feedback::central
