// X25519KeyPair: an X25519 private key with its public key (RFC 7748), used as
// the central store's HPKE key and for HPKE's ephemeral keys. Owns its OpenSSL
// key (pimpl; freed and wiped on destruction). Movable, not copyable. All const
// methods are safe to call from several threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace feedback {

class X25519KeyPair {
 public:
  static constexpr size_t kKeySize = 32;

  static Result<X25519KeyPair> Generate();
  // From the 32-byte private scalar (as in RFC 9180's skRm / skEm).
  static Result<X25519KeyPair> FromPrivateKey(ByteView private_key);
  // Loads a PKCS#8 PEM file written by SavePem. Refuses a file that group or
  // others may read or write (PermissionDenied naming the mode and the fix);
  // Corruption if the file is not an X25519 PEM key.
  static Result<X25519KeyPair> LoadPem(const std::string& path);

  X25519KeyPair(X25519KeyPair&&) noexcept;
  X25519KeyPair& operator=(X25519KeyPair&&) noexcept;
  ~X25519KeyPair();

  // Creates path with mode 0600 (see WriteSecretFile); never overwrites.
  Status SavePem(const std::string& path) const;

  // The raw 32-byte public key.
  const Bytes& public_key() const { return public_key_; }
  Result<SecretBytes> PrivateKeyBytes() const;

  // The X25519 shared secret with a peer's raw public key. CryptoError if the
  // peer key is malformed or a low-order point (all-zero shared secret).
  Result<SecretBytes> Agree(ByteView peer_public_key) const;

 private:
  struct Impl;
  X25519KeyPair(std::unique_ptr<Impl> impl, Bytes public_key);
  static Result<X25519KeyPair> FromImpl(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  Bytes public_key_;
};

}  // namespace feedback
