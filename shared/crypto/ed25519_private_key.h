// Ed25519PrivateKey: a device's signing key (RFC 8032), made at enrollment and
// kept in a 0600 PKCS#8 PEM file. Owns its OpenSSL key (pimpl; wiped and freed
// on destruction). Movable, not copyable; const methods (Sign included) are
// safe to call from several threads at once.
#pragma once

#include <memory>
#include <string>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/ed25519_public_key.h"

namespace feedback {

class Ed25519PrivateKey {
 public:
  static Result<Ed25519PrivateKey> Generate();
  // From the 32-byte RFC 8032 seed.
  static Result<Ed25519PrivateKey> FromSeed(ByteView seed);
  // Refuses a file group or others may read or write (PermissionDenied naming
  // the mode and `chmod 600 FILE`); Corruption if it is not an Ed25519 PEM key.
  static Result<Ed25519PrivateKey> LoadPem(const std::string& path);

  Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept;
  ~Ed25519PrivateKey();

  // Creates path with mode 0600 (see WriteSecretFile); never overwrites.
  Status SavePem(const std::string& path) const;

  // The raw 32-byte public key.
  const Bytes& public_key_bytes() const { return public_key_; }
  Result<Ed25519PublicKey> PublicKey() const { return Ed25519PublicKey::FromBytes(public_key_); }

  // The 64-byte signature of message.
  Result<Bytes> Sign(ByteView message) const;

 private:
  struct Impl;
  Ed25519PrivateKey(std::unique_ptr<Impl> impl, Bytes public_key);
  static Result<Ed25519PrivateKey> FromImpl(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  Bytes public_key_;
};

}  // namespace feedback
