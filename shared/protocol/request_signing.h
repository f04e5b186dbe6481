// Signed device requests (docs/protocol.md "Signed requests"): every request a
// device makes after enrollment (other than a batch, which carries its own
// signature) has the headers X-Feedback-Device, X-Feedback-Timestamp (ms since
// the epoch, decimal) and X-Feedback-Signature (standard base64 Ed25519) over
//   "feedback-request-v1\n" + METHOD + "\n" + PATH + "\n" + TIMESTAMP
// PATH is the request path without query string. Plain functions, no I/O,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "crypto/ed25519_private_key.h"
#include "crypto/ed25519_public_key.h"

namespace feedback::protocol {

struct SignedRequestHeaders {
  std::string device_id;  // X-Feedback-Device
  std::string timestamp;  // X-Feedback-Timestamp
  std::string signature;  // X-Feedback-Signature
};

// The exact bytes that are signed.
std::string RequestSigningMessage(std::string_view method, std::string_view path,
                                  std::string_view timestamp);

// The three headers for a request made at `now`.
Result<SignedRequestHeaders> SignRequest(const Ed25519PrivateKey& device_key,
                                         std::string_view device_id, std::string_view method,
                                         std::string_view path, TimeMs now);

// A timestamp header: 1 to 19 decimal digits. InvalidArgument otherwise.
Result<TimeMs> ParseTimestampHeader(std::string_view text);

// OK when the signature is valid and the timestamp within kMaxRequestSkewMs of
// now. Unauthenticated (naming which check failed) otherwise; InvalidArgument
// for a malformed header.
Status VerifyRequest(const Ed25519PublicKey& device_key, std::string_view method,
                     std::string_view path, std::string_view timestamp_header,
                     std::string_view signature_header, TimeMs now);

}  // namespace feedback::protocol
