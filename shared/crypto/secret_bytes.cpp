#include "crypto/secret_bytes.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <utility>

#include "crypto/openssl_util.h"

namespace feedback {

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.bytes_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Clear();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

Result<SecretBytes> SecretBytes::Random(size_t size) {
  SecretBytes out(size);
  if (!openssl::FitsInt(size)) return Status::InvalidArgument("random secret too large");
  openssl::ClearErrors();
  if (size > 0 && RAND_bytes(out.data(), static_cast<int>(size)) != 1) {
    return openssl::Error("RAND_bytes could not generate a random secret");
  }
  return out;
}

void SecretBytes::Clear() { Cleanse(bytes_); }

void Cleanse(Bytes& bytes) {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  bytes.clear();
}

}  // namespace feedback
