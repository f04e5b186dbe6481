// Ed25519PublicKey: a device's Ed25519 verification key (RFC 8032), imported
// from and exported as its raw 32 bytes. Owns its OpenSSL key (pimpl).
// Movable, not copyable; Verify is const and safe to call from several threads.
#pragma once

#include <cstddef>
#include <memory>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback {

class Ed25519PublicKey {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kSignatureSize = 64;

  // InvalidArgument unless raw is 32 bytes; CryptoError if OpenSSL rejects it.
  static Result<Ed25519PublicKey> FromBytes(ByteView raw);

  Ed25519PublicKey(Ed25519PublicKey&&) noexcept;
  Ed25519PublicKey& operator=(Ed25519PublicKey&&) noexcept;
  ~Ed25519PublicKey();

  const Bytes& bytes() const { return raw_; }

  // OK if signature is a valid Ed25519 signature of message under this key;
  // Unauthenticated if it is not (wrong key, altered message or signature),
  // CryptoError if OpenSSL itself fails.
  Status Verify(ByteView message, ByteView signature) const;

 private:
  struct Impl;
  Ed25519PublicKey(std::unique_ptr<Impl> impl, Bytes raw);

  std::unique_ptr<Impl> impl_;
  Bytes raw_;
};

}  // namespace feedback
