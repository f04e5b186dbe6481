// HKDF-SHA256 (RFC 5869) as two separate steps, Extract and Expand, which is
// how HPKE (RFC 9180) uses it. Plain functions on OpenSSL 3.0's EVP_MAC and
// EVP_KDF; thread-safe. Outputs are SecretBytes (wiped when dropped).
#pragma once

#include <cstddef>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace feedback {

inline constexpr size_t kSha256Size = 32;

// PRK = HMAC-SHA256(salt, ikm); an empty salt means 32 zero bytes (RFC 5869 2.2).
Result<SecretBytes> HkdfSha256Extract(ByteView salt, ByteView ikm);

// The first `length` bytes of T(1) || T(2) || ...; length at most 255 * 32,
// otherwise InvalidArgument.
Result<SecretBytes> HkdfSha256Expand(ByteView prk, ByteView info, size_t length);

}  // namespace feedback
