// SHA-256 (OpenSSL EVP) for batch digests, token hashes and certificate pins.
// Plain functions, thread-safe.
#pragma once

#include <string>

#include "core/bytes.h"

namespace feedback::protocol {

// The 32-byte digest. OpenSSL's SHA-256 does not fail on valid input; an
// internal OpenSSL failure aborts (it means the library is broken).
Bytes Sha256(ByteView data);
// Lower-case hex of Sha256(data), 64 characters.
std::string Sha256Hex(ByteView data);

}  // namespace feedback::protocol
