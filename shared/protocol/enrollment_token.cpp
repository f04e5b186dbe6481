#include "protocol/enrollment_token.h"

#include <cctype>

#include "crypto/secret_bytes.h"
#include "protocol/limits.h"
#include "protocol/sha256.h"

namespace feedback::protocol {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string Base64UrlEncode(ByteView bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (static_cast<uint32_t>(bytes[i]) << 16) |
                       (static_cast<uint32_t>(bytes[i + 1]) << 8) | bytes[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = static_cast<uint32_t>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (rest == 2) {
    const uint32_t v =
        (static_cast<uint32_t>(bytes[i]) << 16) | (static_cast<uint32_t>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

Result<Bytes> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1)
    return Status::InvalidArgument("base64url text has an impossible length");
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = Value(c);
    if (v < 0)
      return Status::InvalidArgument("base64url text contains a character outside A-Z a-z 0-9 - _");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) return Status::InvalidArgument("base64url text has non-zero trailing bits");
  return out;
}

std::string EnrollmentToken::SecretText() const { return Base64UrlEncode(secret); }

std::string EnrollmentToken::ToString() const { return SecretText() + "." + cert_sha256; }

Result<EnrollmentToken> GenerateEnrollmentToken(std::string_view cert_sha256_hex) {
  if (cert_sha256_hex.size() != 64 || !IsLowerHex(cert_sha256_hex)) {
    return Status::InvalidArgument("certificate pin must be 64 lower-case hex characters");
  }
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes random, SecretBytes::Random(kTokenSecretSize));
  EnrollmentToken t;
  t.secret.assign(random.view().begin(), random.view().end());
  t.cert_sha256 = std::string(cert_sha256_hex);
  return t;
}

Result<Bytes> ParseTokenSecret(std::string_view secret_text) {
  if (secret_text.size() != 43) {
    return Status::InvalidArgument(
        "enrollment token secret must be 43 base64url characters; copy the whole token again");
  }
  Result<Bytes> secret = Base64UrlDecode(secret_text);
  if (!secret.ok() || secret->size() != kTokenSecretSize) {
    return Status::InvalidArgument(
        "enrollment token secret is not valid base64url; copy the whole token again");
  }
  return secret;
}

Result<EnrollmentToken> ParseEnrollmentToken(std::string_view text) {
  text = Trim(text);
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos || text.find('.', dot + 1) != std::string_view::npos) {
    return Status::InvalidArgument(
        "enrollment token must look like <secret>.<certificate sha256>; copy the whole token "
        "printed by `feedback-central enroll-token` again");
  }
  EnrollmentToken t;
  FEEDBACK_ASSIGN_OR_RETURN(t.secret, ParseTokenSecret(text.substr(0, dot)));
  const std::string_view pin = text.substr(dot + 1);
  if (pin.size() != 64 || !IsLowerHex(pin)) {
    return Status::InvalidArgument(
        "enrollment token's certificate pin (after the '.') must be 64 lower-case hex "
        "characters; copy the whole token again");
  }
  t.cert_sha256 = std::string(pin);
  return t;
}

std::string TokenSecretHash(ByteView secret) { return Sha256Hex(secret); }

}  // namespace feedback::protocol
