#include "crypto/hpke_context.h"

#include <limits>
#include <string>
#include <utility>

#include "crypto/hpke_internal.h"

namespace feedback {

namespace {

constexpr size_t kNonceSize = AesGcm::kNonceSize;
constexpr uint64_t kMaxSeq = std::numeric_limits<uint64_t>::max();

size_t KeySize(HpkeAead aead) { return aead == HpkeAead::kAes128Gcm ? 16 : 32; }

}  // namespace

HpkeContext::HpkeContext(Role role, HpkeAead aead, AesGcm cipher, Bytes base_nonce,
                         SecretBytes exporter_secret)
    : role_(role),
      aead_(aead),
      cipher_(std::move(cipher)),
      base_nonce_(std::move(base_nonce)),
      exporter_secret_(std::move(exporter_secret)) {}
HpkeContext::HpkeContext(HpkeContext&&) noexcept = default;
HpkeContext& HpkeContext::operator=(HpkeContext&&) noexcept = default;
HpkeContext::~HpkeContext() { Cleanse(base_nonce_); }

Result<HpkeContext> HpkeContext::Create(Role role, HpkeAead aead, HpkeKeySchedule schedule) {
  if (aead != HpkeAead::kAes128Gcm && aead != HpkeAead::kAes256Gcm) {
    return Status::InvalidArgument("HPKE: unsupported aead_id " +
                                   std::to_string(static_cast<unsigned>(aead)));
  }
  if (schedule.key.size() != KeySize(aead) || schedule.base_nonce.size() != kNonceSize ||
      schedule.exporter_secret.size() != 32) {
    return Status::InvalidArgument("HPKE: key schedule sizes do not match the suite");
  }
  FEEDBACK_ASSIGN_OR_RETURN(AesGcm cipher, AesGcm::Create(schedule.key.view()));
  return HpkeContext(role, aead, std::move(cipher), std::move(schedule.base_nonce),
                     std::move(schedule.exporter_secret));
}

Bytes HpkeContext::ComputeNonce() const {
  // base_nonce XOR I2OSP(seq, Nn): seq occupies the last 8 bytes, big-endian.
  Bytes nonce = base_nonce_;
  uint64_t seq = seq_;
  for (size_t i = 0; i < 8; ++i, seq >>= 8) {
    nonce[kNonceSize - 1 - i] ^= static_cast<uint8_t>(seq & 0xff);
  }
  return nonce;
}

Status HpkeContext::CheckMessageLimit() const {
  // Checked before sealing or opening, so that no ciphertext is ever made
  // under a nonce that a later message could repeat.
  if (seq_ == kMaxSeq) {
    return Status::CryptoError(
        "HPKE: message limit reached for this context (sequence number exhausted); set up a "
        "new context");
  }
  return Status::Ok();
}

Result<Bytes> HpkeContext::Seal(ByteView aad, ByteView plaintext) {
  if (role_ != Role::kSender) {
    return Status::InvalidArgument("HPKE: Seal called on a recipient context");
  }
  FEEDBACK_RETURN_IF_ERROR(CheckMessageLimit());
  FEEDBACK_ASSIGN_OR_RETURN(Bytes ciphertext,
                            cipher_.SealWithNonce(ComputeNonce(), plaintext, aad));
  ++seq_;
  return ciphertext;
}

Result<Bytes> HpkeContext::Open(ByteView aad, ByteView ciphertext) {
  if (role_ != Role::kRecipient) {
    return Status::InvalidArgument("HPKE: Open called on a sender context");
  }
  FEEDBACK_RETURN_IF_ERROR(CheckMessageLimit());
  Result<Bytes> plaintext = cipher_.OpenWithNonce(ComputeNonce(), ciphertext, aad);
  if (!plaintext.ok()) {
    return plaintext.status().WithContext("HPKE open of message " + std::to_string(seq_));
  }
  ++seq_;
  return plaintext;
}

Result<SecretBytes> HpkeContext::Export(ByteView exporter_context, size_t length) const {
  return hpke_internal::LabeledExpand(hpke_internal::HpkeSuiteId(aead_), exporter_secret_.view(),
                                      "sec", exporter_context, length);
}

}  // namespace feedback
