// EpochOpener: the central store's side of EpochSealer. Given the central
// X25519 private key it opens sealed epoch keys (HPKE base mode, see
// epoch_sealer.h) and then the record fields under them. Opened epoch keys are
// kept in a small LRU cache keyed by epoch id AND the exact sealed key bytes,
// so a batch that pairs a known epoch id with a different sealed key is opened
// afresh rather than served from the cache; a device sends its sealed key with
// every batch, and HPKE binds the key to its epoch id.
//
// Thread-safe: a mutex guards the cache and the cached cipher contexts.
// Owns the private key and the cached epoch keys; all are wiped on eviction
// and destruction. Movable, not copyable.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"
#include "crypto/x25519_key_pair.h"

namespace feedback {

class EpochOpener {
 public:
  static constexpr size_t kDefaultCacheCapacity = 64;

  explicit EpochOpener(X25519KeyPair central_key, size_t cache_capacity = kDefaultCacheCapacity);
  EpochOpener(EpochOpener&&) noexcept;
  EpochOpener& operator=(EpochOpener&&) noexcept;
  ~EpochOpener();

  // The 32-byte epoch key. CryptoError if sealed_epoch_key is malformed, was
  // not sealed to this central key, or was sealed for another epoch id.
  Result<SecretBytes> OpenEpochKey(std::string_view epoch_id, ByteView sealed_epoch_key);

  // The plaintext of one SealedFields.ciphertext. CryptoError (and no
  // plaintext) on any mismatch: epoch key, ciphertext or associated data.
  Result<Bytes> OpenFields(std::string_view epoch_id, ByteView sealed_epoch_key,
                           ByteView ciphertext, ByteView associated_data);

  // Number of epoch keys currently cached (for tests and metrics).
  size_t cached_epochs() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace feedback
