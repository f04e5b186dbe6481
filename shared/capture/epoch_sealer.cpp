#include "capture/epoch_sealer.h"

#include <string>
#include <utility>

#include "core/uuid.h"
#include "crypto/hpke.h"
#include "crypto/secret_bytes.h"
#include "crypto/x25519_key_pair.h"

namespace feedback {

EpochSealer::EpochSealer(Bytes central_public_key, const Clock& clock)
    : central_public_key_(std::move(central_public_key)), clock_(&clock) {}

Result<EpochSealer> EpochSealer::Create(ByteView central_public_key, const Clock& clock) {
  if (central_public_key.size() != X25519KeyPair::kKeySize) {
    return Status::InvalidArgument(
        "central store public key must be a raw 32-byte X25519 key, got " +
        std::to_string(central_public_key.size()) + " bytes; check the enrollment data");
  }
  EpochSealer sealer(Bytes(central_public_key.begin(), central_public_key.end()), clock);
  FEEDBACK_RETURN_IF_ERROR(sealer.StartNewEpoch());
  return sealer;
}

Status EpochSealer::StartNewEpoch() {
  const TimeMs now = clock_->NowMs();
  std::string epoch_id = UuidGenerator(*clock_).NextV7().ToString();
  Result<SecretBytes> key = SecretBytes::Random(kEpochKeySize);  // wiped on every return
  if (!key.ok()) return key.status().WithContext("starting a capture epoch");
  Result<HpkeSealed> sealed =
      HpkeSealBase(HpkeAead::kAes256Gcm, central_public_key_, AsBytes(kEpochKeyHpkeInfo),
                   AsBytes(epoch_id), key->view());
  if (!sealed.ok())
    return sealed.status().WithContext("sealing the epoch key to the central store");
  Result<AesGcm> cipher = AesGcm::Create(key->view());
  if (!cipher.ok()) return cipher.status().WithContext("keying the epoch cipher");

  Bytes sealed_key = std::move(sealed->enc);
  sealed_key.insert(sealed_key.end(), sealed->ciphertext.begin(), sealed->ciphertext.end());
  if (sealed_key.size() != kSealedEpochKeySize) {
    return Status::Internal("sealed epoch key has " + std::to_string(sealed_key.size()) +
                            " bytes, expected " + std::to_string(kSealedEpochKeySize));
  }
  // Replacing the optional destroys the old context, which OpenSSL wipes.
  cipher_.reset();
  cipher_.emplace(std::move(cipher).value());
  epoch_id_ = std::move(epoch_id);
  epoch_day_ = DayNumber(now);
  sealed_epoch_key_ = std::move(sealed_key);
  return Status::Ok();
}

Result<SealedFields> EpochSealer::Seal(ByteView plaintext, ByteView associated_data) {
  if (!cipher_ || DayNumber(clock_->NowMs()) != epoch_day_) {
    FEEDBACK_RETURN_IF_ERROR(StartNewEpoch());
  }
  Result<Bytes> ciphertext = cipher_->Seal(plaintext, associated_data);
  if (!ciphertext.ok()) return ciphertext.status().WithContext("sealing record fields");
  return SealedFields{epoch_id_, sealed_epoch_key_, std::move(ciphertext).value()};
}

}  // namespace feedback
