// Fuzz target for enrollment tokens (shared/protocol/enrollment_token.h): an
// operator pastes one into `feedback-sync enroll`, and its secret part
// arrives at the central store in every enroll request. Feeds the bytes to
// ParseEnrollmentToken, ParseTokenSecret and Base64UrlDecode; what parses must
// print back canonically (the decoder refuses non-canonical forms) and hash
// to 64 hex characters. Must never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "protocol/enrollment_token.h"

using feedback::fuzz::Check;
namespace protocol = feedback::protocol;

namespace {

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  feedback::Result<protocol::EnrollmentToken> token = protocol::ParseEnrollmentToken(text);
  if (token.ok()) {
    Check(token->secret.size() == 32);
    Check(token->cert_sha256.size() == 64 && IsLowerHex(token->cert_sha256));
    feedback::Result<protocol::EnrollmentToken> again =
        protocol::ParseEnrollmentToken(token->ToString());
    Check(again.ok() && again->secret == token->secret && again->cert_sha256 == token->cert_sha256);
    const std::string hash = protocol::TokenSecretHash(token->secret);
    Check(hash.size() == 64 && IsLowerHex(hash));
  } else {
    Check(!token.status().message().empty());
  }

  feedback::Result<feedback::Bytes> secret = protocol::ParseTokenSecret(text);
  if (secret.ok()) {
    Check(secret->size() == 32);
    Check(protocol::Base64UrlEncode(*secret) == text);
  }

  feedback::Result<feedback::Bytes> decoded = protocol::Base64UrlDecode(text);
  if (decoded.ok()) {
    // Canonical: the only encoding of these bytes is the input itself.
    Check(protocol::Base64UrlEncode(*decoded) == text);
  }
  return 0;
}
