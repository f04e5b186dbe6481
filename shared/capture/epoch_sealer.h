// EpochSealer: the production FieldSealer. The capturing process holds one
// in-memory AES-256-GCM "epoch key"; every Seal() encrypts under it, and the
// epoch key itself is kept only HPKE-sealed (RFC 9180 base mode,
// DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM) to the central
// store's X25519 public key, with info "feedback epoch key v1" and the epoch id
// as the HPKE aad. The central store opens it with EpochOpener.
//
// An epoch starts when the sealer is created (each process start) and again at
// the first Seal() of a new UTC day by the injected Clock. Epoch ids are UUIDv7
// strings. The epoch key lives only inside OpenSSL's cipher context: the raw
// bytes are wiped (OPENSSL_cleanse) as soon as the context is keyed, and
// OpenSSL wipes the context when the epoch ends or the sealer is destroyed.
//
// Not thread-safe (FieldSealer's contract: one sealer per capturing process,
// called from one thread). Borrows the Clock, which must outlive the sealer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/result.h"
#include "crypto/aes_gcm.h"
#include "store/field_sealer.h"

namespace feedback {

// HPKE info string that binds a sealed epoch key to this purpose and format.
inline constexpr std::string_view kEpochKeyHpkeInfo = "feedback epoch key v1";
inline constexpr size_t kEpochKeySize = 32;
// SealedFields.sealed_epoch_key = enc (32) || HPKE ciphertext (32 + 16 tag).
inline constexpr size_t kSealedEpochKeySize = 32 + kEpochKeySize + AesGcm::kTagSize;

class EpochSealer final : public FieldSealer {
 public:
  // central_public_key: the central store's raw 32-byte X25519 public key.
  // Starts the first epoch; fails if the key is malformed or OpenSSL fails.
  static Result<EpochSealer> Create(ByteView central_public_key, const Clock& clock);

  EpochSealer(EpochSealer&&) noexcept = default;
  EpochSealer& operator=(EpochSealer&&) noexcept = default;

  // AES-256-GCM under the current epoch key (nonce || ciphertext || tag),
  // starting a new epoch first if the UTC day has changed.
  Result<SealedFields> Seal(ByteView plaintext, ByteView associated_data) override;

  // Ends the current epoch (its key is wiped) and starts a new one.
  Status StartNewEpoch();

  const std::string& epoch_id() const { return epoch_id_; }
  const Bytes& sealed_epoch_key() const { return sealed_epoch_key_; }

 private:
  EpochSealer(Bytes central_public_key, const Clock& clock);

  Bytes central_public_key_;
  const Clock* clock_;
  std::string epoch_id_;
  int64_t epoch_day_ = 0;
  Bytes sealed_epoch_key_;
  std::optional<AesGcm> cipher_;  // keyed with the epoch key
};

}  // namespace feedback
