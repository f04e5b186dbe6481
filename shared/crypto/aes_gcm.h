// AesGcm: AES-GCM authenticated encryption (AES-128 or AES-256 by key length,
// 96-bit nonce, 128-bit tag) on OpenSSL 3.0 EVP.
//
//   Seal/Open:               the record format, random_nonce(12) || ciphertext || tag(16)
//   SealWithNonce/OpenWith.: the caller supplies the nonce; output is ciphertext || tag
//                            (what HPKE needs; the caller must never reuse a nonce)
//
// The key schedule is done once, when the object is created, and the OpenSSL
// contexts are reused for every call, so an AesGcm is NOT thread-safe: give
// each thread its own. It owns its OpenSSL contexts; they wipe the key when the
// object is destroyed. Movable, not copyable.
#pragma once

#include <cstddef>
#include <memory>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback {

class AesGcm {
 public:
  static constexpr size_t kNonceSize = 12;
  static constexpr size_t kTagSize = 16;
  // Bytes Seal() adds to the plaintext.
  static constexpr size_t kOverhead = kNonceSize + kTagSize;

  // key must be 16 (AES-128-GCM) or 32 (AES-256-GCM) bytes; the bytes are not
  // retained outside OpenSSL's context. Fails with InvalidArgument otherwise.
  static Result<AesGcm> Create(ByteView key);

  AesGcm(AesGcm&&) noexcept;
  AesGcm& operator=(AesGcm&&) noexcept;
  ~AesGcm();

  // nonce(12, fresh from OpenSSL's CSPRNG) || ciphertext || tag(16). Nonces
  // are drawn 64 at a time (RAND_bytes costs about as much as sealing 2 KiB);
  // a forked child never reuses its parent's batch.
  Result<Bytes> Seal(ByteView plaintext, ByteView associated_data);
  // The inverse of Seal. Any damage (truncation, a flipped bit, another key or
  // other associated data) gives CryptoError and no plaintext at all.
  Result<Bytes> Open(ByteView sealed, ByteView associated_data);

  // ciphertext || tag(16) under the given 12-byte nonce.
  Result<Bytes> SealWithNonce(ByteView nonce, ByteView plaintext, ByteView associated_data);
  // The inverse of SealWithNonce; CryptoError and no plaintext on any mismatch.
  Result<Bytes> OpenWithNonce(ByteView nonce, ByteView ciphertext_and_tag,
                              ByteView associated_data);

  size_t key_size() const;

 private:
  struct Impl;
  explicit AesGcm(std::unique_ptr<Impl> impl);

  // Writes the next 12-byte random nonce to out.
  Status NextRandomNonce(uint8_t* out);
  // Encrypts into out[0, plaintext.size() + kTagSize).
  Status SealInto(const uint8_t* nonce, ByteView plaintext, ByteView associated_data, uint8_t* out);

  std::unique_ptr<Impl> impl_;
};

}  // namespace feedback
