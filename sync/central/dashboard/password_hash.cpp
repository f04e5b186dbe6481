#include "sync/central/dashboard/password_hash.h"

#include <openssl/evp.h>

#include <cstdint>
#include <vector>

#include "core/bytes.h"
#include "crypto/secret_bytes.h"

namespace feedback::central {
namespace {

constexpr int kLogN = 15;
constexpr uint64_t kR = 8;
constexpr uint64_t kP = 1;
constexpr size_t kSaltSize = 16;
constexpr size_t kKeySize = 32;
constexpr uint64_t kMaxMem = 64ull * 1024 * 1024;

Result<SecretBytes> Derive(std::string_view password, ByteView salt, int log_n, uint64_t r,
                           uint64_t p) {
  SecretBytes key(kKeySize);
  if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(),
                     uint64_t{1} << log_n, r, p, kMaxMem, key.data(), key.size()) != 1) {
    return Status::CryptoError("scrypt failed (OpenSSL EVP_PBE_scrypt)");
  }
  return key;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

Result<uint64_t> SmallNumber(std::string_view s) {
  if (s.empty() || s.size() > 2) return Status::InvalidArgument("bad scrypt parameter");
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return Status::InvalidArgument("bad scrypt parameter");
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes salt, SecretBytes::Random(kSaltSize));
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes key, Derive(password, salt.view(), kLogN, kR, kP));
  return "scrypt$" + std::to_string(kLogN) + "$" + std::to_string(kR) + "$" + std::to_string(kP) +
         "$" + Base64Encode(salt.view()) + "$" + Base64Encode(key.view());
}

Result<bool> VerifyPassword(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts = Split(stored, '$');
  if (parts.size() != 6 || parts[0] != "scrypt") {
    return Status::InvalidArgument("stored password hash is not in the scrypt$... format");
  }
  FEEDBACK_ASSIGN_OR_RETURN(uint64_t log_n, SmallNumber(parts[1]));
  FEEDBACK_ASSIGN_OR_RETURN(uint64_t r, SmallNumber(parts[2]));
  FEEDBACK_ASSIGN_OR_RETURN(uint64_t p, SmallNumber(parts[3]));
  if (log_n < 10 || log_n > 20 || r == 0 || r > 32 || p == 0 || p > 16) {
    return Status::InvalidArgument("stored password hash has out-of-range scrypt parameters");
  }
  FEEDBACK_ASSIGN_OR_RETURN(Bytes salt, Base64Decode(parts[4]));
  FEEDBACK_ASSIGN_OR_RETURN(Bytes expected, Base64Decode(parts[5]));
  if (expected.size() != kKeySize)
    return Status::InvalidArgument("stored password hash is damaged");
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes key, Derive(password, salt, static_cast<int>(log_n), r, p));
  return ConstantTimeEqual(key.view(), expected);
}

Result<std::string> GeneratePassword() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  constexpr size_t kAlphabetSize = sizeof(kAlphabet) - 1;  // 57
  std::string out;
  while (out.size() < 20) {
    FEEDBACK_ASSIGN_OR_RETURN(SecretBytes random, SecretBytes::Random(32));
    for (uint8_t b : random.view()) {
      // Rejection sampling keeps every character equally likely.
      if (b >= 256 - (256 % kAlphabetSize)) continue;
      out += kAlphabet[b % kAlphabetSize];
      if (out.size() == 20) break;
    }
  }
  return out;
}

}  // namespace feedback::central
