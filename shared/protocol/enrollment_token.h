// Enrollment tokens (docs/protocol.md "Enrollment"): "<secret>.<pin>", where
// secret is 32 random bytes in unpadded base64url (43 characters) and pin the
// lower-case hex SHA-256 of the central TLS certificate's DER (64 characters).
// The device sends only the secret; the central store keeps only
// TokenSecretHash(secret). Plain values and functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback::protocol {

struct EnrollmentToken {
  Bytes secret;             // 32 bytes
  std::string cert_sha256;  // 64 lower-case hex characters

  // The secret as sent in POST /api/v1/enroll: base64url, no padding.
  std::string SecretText() const;
  // "<secret>.<pin>", what `feedback-central enroll-token` prints.
  std::string ToString() const;
};

// A fresh token with 32 bytes from OpenSSL's CSPRNG. InvalidArgument if the
// pin is not 64 hex characters.
Result<EnrollmentToken> GenerateEnrollmentToken(std::string_view cert_sha256_hex);

// Parses "<secret>.<pin>" (surrounding whitespace ignored). InvalidArgument
// naming the part that is wrong and saying to copy the whole token again.
Result<EnrollmentToken> ParseEnrollmentToken(std::string_view text);

// Parses the secret part alone (the "token" field of an enroll request).
Result<Bytes> ParseTokenSecret(std::string_view secret_text);

// Lower-case hex SHA-256 of the raw secret: what the central store keeps.
std::string TokenSecretHash(ByteView secret);

// RFC 4648 section 5 base64url without padding; decoding refuses padding,
// characters outside the alphabet and non-canonical trailing bits.
std::string Base64UrlEncode(ByteView bytes);
Result<Bytes> Base64UrlDecode(std::string_view text);

}  // namespace feedback::protocol
