#include "protocol/request_signing.h"

#include "protocol/limits.h"

namespace feedback::protocol {

std::string RequestSigningMessage(std::string_view method, std::string_view path,
                                  std::string_view timestamp) {
  std::string msg(kRequestSignatureDomain);
  msg.append(method).append("\n").append(path).append("\n").append(timestamp);
  return msg;
}

Result<SignedRequestHeaders> SignRequest(const Ed25519PrivateKey& device_key,
                                         std::string_view device_id, std::string_view method,
                                         std::string_view path, TimeMs now) {
  SignedRequestHeaders h;
  h.device_id = std::string(device_id);
  h.timestamp = std::to_string(now);
  FEEDBACK_ASSIGN_OR_RETURN(
      Bytes sig, device_key.Sign(AsBytes(RequestSigningMessage(method, path, h.timestamp))));
  h.signature = Base64Encode(sig);
  return h;
}

Result<TimeMs> ParseTimestampHeader(std::string_view text) {
  if (text.empty() || text.size() > 18) {
    return Status::InvalidArgument("X-Feedback-Timestamp must be 1 to 18 decimal digits");
  }
  TimeMs v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return Status::InvalidArgument("X-Feedback-Timestamp must be decimal digits only");
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

Status VerifyRequest(const Ed25519PublicKey& device_key, std::string_view method,
                     std::string_view path, std::string_view timestamp_header,
                     std::string_view signature_header, TimeMs now) {
  FEEDBACK_ASSIGN_OR_RETURN(TimeMs ts, ParseTimestampHeader(timestamp_header));
  if (ts > now + kMaxRequestSkewMs || ts < now - kMaxRequestSkewMs) {
    return Status::Unauthenticated(
        "request timestamp is more than 5 minutes from the central store's clock; "
        "fix the device's clock (NTP)");
  }
  Result<Bytes> sig = Base64Decode(signature_header);
  if (!sig.ok() || sig->size() != Ed25519PublicKey::kSignatureSize) {
    return Status::InvalidArgument("X-Feedback-Signature is not a base64 Ed25519 signature");
  }
  Status s =
      device_key.Verify(AsBytes(RequestSigningMessage(method, path, timestamp_header)), *sig);
  if (s.code() == Status::Code::kUnauthenticated) {
    return Status::Unauthenticated("request signature does not match the device's enrolled key");
  }
  return s;
}

}  // namespace feedback::protocol
