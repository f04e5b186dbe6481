#include "crypto/hpke.h"

#include <string>
#include <utility>

#include "crypto/hkdf.h"
#include "crypto/hpke_internal.h"

namespace feedback {

namespace hpke_internal {

namespace {

constexpr uint16_t kKemId = 0x0020;  // DHKEM(X25519, HKDF-SHA256)
constexpr uint16_t kKdfId = 0x0001;  // HKDF-SHA256
constexpr size_t kNsecret = 32;
constexpr size_t kNn = 12;
constexpr size_t kNh = 32;
constexpr std::string_view kVersionLabel = "HPKE-v1";

void Append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }
void Append(Bytes& out, std::string_view s) { Append(out, AsBytes(s)); }
void AppendU16(Bytes& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v & 0xff));
}

size_t KeySize(HpkeAead aead) { return aead == HpkeAead::kAes128Gcm ? 16 : 32; }

// ExtractAndExpand (RFC 9180 4.1) for DHKEM.
Result<SecretBytes> ExtractAndExpand(ByteView dh, ByteView kem_context) {
  const Bytes suite_id = KemSuiteId();
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes eae_prk, LabeledExtract(suite_id, {}, "eae_prk", dh));
  return LabeledExpand(suite_id, eae_prk.view(), "shared_secret", kem_context, kNsecret);
}

// The labeled-HKDF input buffers carry secrets (ikm, dh); wipe them after use.
class WipedBytes {
 public:
  WipedBytes() = default;
  ~WipedBytes() { Cleanse(bytes_); }
  WipedBytes(const WipedBytes&) = delete;
  WipedBytes& operator=(const WipedBytes&) = delete;
  Bytes& get() { return bytes_; }

 private:
  Bytes bytes_;
};

}  // namespace

Bytes KemSuiteId() {
  Bytes id;
  Append(id, std::string_view("KEM"));
  AppendU16(id, kKemId);
  return id;
}

Bytes HpkeSuiteId(HpkeAead aead) {
  Bytes id;
  Append(id, std::string_view("HPKE"));
  AppendU16(id, kKemId);
  AppendU16(id, kKdfId);
  AppendU16(id, static_cast<uint16_t>(aead));
  return id;
}

Result<SecretBytes> LabeledExtract(ByteView suite_id, ByteView salt, std::string_view label,
                                   ByteView ikm) {
  WipedBytes labeled_ikm;
  labeled_ikm.get().reserve(kVersionLabel.size() + suite_id.size() + label.size() + ikm.size());
  Append(labeled_ikm.get(), kVersionLabel);
  Append(labeled_ikm.get(), suite_id);
  Append(labeled_ikm.get(), label);
  Append(labeled_ikm.get(), ikm);
  return HkdfSha256Extract(salt, labeled_ikm.get());
}

Result<SecretBytes> LabeledExpand(ByteView suite_id, ByteView prk, std::string_view label,
                                  ByteView info, size_t length) {
  if (length > 0xffff) return Status::InvalidArgument("HPKE: LabeledExpand length too large");
  Bytes labeled_info;
  labeled_info.reserve(2 + kVersionLabel.size() + suite_id.size() + label.size() + info.size());
  AppendU16(labeled_info, static_cast<uint16_t>(length));
  Append(labeled_info, kVersionLabel);
  Append(labeled_info, suite_id);
  Append(labeled_info, label);
  Append(labeled_info, info);
  return HkdfSha256Expand(prk, labeled_info, length);
}

Result<Encapsulation> Encap(ByteView recipient_public_key, const X25519KeyPair& ephemeral_key,
                            const X25519KeyPair* sender_key) {
  WipedBytes dh;
  {
    FEEDBACK_ASSIGN_OR_RETURN(SecretBytes dh_e, ephemeral_key.Agree(recipient_public_key));
    Append(dh.get(), dh_e.view());
  }
  Bytes enc = ephemeral_key.public_key();
  Bytes kem_context = enc;
  Append(kem_context, recipient_public_key);
  if (sender_key != nullptr) {
    FEEDBACK_ASSIGN_OR_RETURN(SecretBytes dh_s, sender_key->Agree(recipient_public_key));
    Append(dh.get(), dh_s.view());
    Append(kem_context, sender_key->public_key());
  }
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes shared_secret, ExtractAndExpand(dh.get(), kem_context));
  return Encapsulation{std::move(shared_secret), std::move(enc)};
}

Result<SecretBytes> Decap(ByteView enc, const X25519KeyPair& recipient_key,
                          ByteView sender_public_key) {
  if (enc.size() != X25519KeyPair::kKeySize) {
    return Status::CryptoError("HPKE: encapsulated key must be 32 bytes, got " +
                               std::to_string(enc.size()));
  }
  WipedBytes dh;
  {
    FEEDBACK_ASSIGN_OR_RETURN(SecretBytes dh_e, recipient_key.Agree(enc));
    Append(dh.get(), dh_e.view());
  }
  Bytes kem_context(enc.begin(), enc.end());
  Append(kem_context, recipient_key.public_key());
  if (!sender_public_key.empty()) {
    FEEDBACK_ASSIGN_OR_RETURN(SecretBytes dh_s, recipient_key.Agree(sender_public_key));
    Append(dh.get(), dh_s.view());
    Append(kem_context, sender_public_key);
  }
  return ExtractAndExpand(dh.get(), kem_context);
}

Result<HpkeKeySchedule> KeySchedule(HpkeMode mode, HpkeAead aead, ByteView shared_secret,
                                    ByteView info) {
  if (aead != HpkeAead::kAes128Gcm && aead != HpkeAead::kAes256Gcm) {
    return Status::InvalidArgument("HPKE: unsupported aead_id " +
                                   std::to_string(static_cast<unsigned>(aead)));
  }
  const Bytes suite_id = HpkeSuiteId(aead);
  // psk and psk_id are empty in base and auth modes.
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes psk_id_hash,
                            LabeledExtract(suite_id, {}, "psk_id_hash", {}));
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes info_hash, LabeledExtract(suite_id, {}, "info_hash", info));
  Bytes ks_context;
  ks_context.push_back(static_cast<uint8_t>(mode));
  Append(ks_context, psk_id_hash.view());
  Append(ks_context, info_hash.view());
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes secret,
                            LabeledExtract(suite_id, shared_secret, "secret", {}));
  HpkeKeySchedule out;
  FEEDBACK_ASSIGN_OR_RETURN(
      out.key, LabeledExpand(suite_id, secret.view(), "key", ks_context, KeySize(aead)));
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes base_nonce,
                            LabeledExpand(suite_id, secret.view(), "base_nonce", ks_context, kNn));
  out.base_nonce.assign(base_nonce.view().begin(), base_nonce.view().end());
  FEEDBACK_ASSIGN_OR_RETURN(out.exporter_secret,
                            LabeledExpand(suite_id, secret.view(), "exp", ks_context, kNh));
  return out;
}

Result<HpkeSenderSetup> SetupSenderWithEphemeral(HpkeAead aead, ByteView recipient_public_key,
                                                 ByteView info, const X25519KeyPair& ephemeral_key,
                                                 const X25519KeyPair* sender_key) {
  if (recipient_public_key.size() != X25519KeyPair::kKeySize) {
    return Status::InvalidArgument("HPKE: recipient public key must be 32 bytes, got " +
                                   std::to_string(recipient_public_key.size()));
  }
  const HpkeMode mode = sender_key != nullptr ? HpkeMode::kAuth : HpkeMode::kBase;
  FEEDBACK_ASSIGN_OR_RETURN(Encapsulation encap,
                            Encap(recipient_public_key, ephemeral_key, sender_key));
  FEEDBACK_ASSIGN_OR_RETURN(HpkeKeySchedule schedule,
                            KeySchedule(mode, aead, encap.shared_secret.view(), info));
  FEEDBACK_ASSIGN_OR_RETURN(HpkeContext context, HpkeContext::Create(HpkeContext::Role::kSender,
                                                                     aead, std::move(schedule)));
  return HpkeSenderSetup{std::move(encap.enc), std::move(context)};
}

}  // namespace hpke_internal

namespace {

Result<HpkeSenderSetup> SetupSender(HpkeAead aead, ByteView recipient_public_key, ByteView info,
                                    const X25519KeyPair* sender_key) {
  FEEDBACK_ASSIGN_OR_RETURN(X25519KeyPair ephemeral, X25519KeyPair::Generate());
  return hpke_internal::SetupSenderWithEphemeral(aead, recipient_public_key, info, ephemeral,
                                                 sender_key);
}

Result<HpkeContext> SetupRecipient(HpkeMode mode, HpkeAead aead, ByteView enc,
                                   const X25519KeyPair& recipient_key, ByteView info,
                                   ByteView sender_public_key) {
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes shared_secret,
                            hpke_internal::Decap(enc, recipient_key, sender_public_key));
  FEEDBACK_ASSIGN_OR_RETURN(HpkeKeySchedule schedule,
                            hpke_internal::KeySchedule(mode, aead, shared_secret.view(), info));
  return HpkeContext::Create(HpkeContext::Role::kRecipient, aead, std::move(schedule));
}

}  // namespace

Result<X25519KeyPair> HpkeDeriveKeyPair(ByteView ikm) {
  if (ikm.size() < 32) {
    return Status::InvalidArgument("HPKE DeriveKeyPair: ikm must have at least 32 bytes, got " +
                                   std::to_string(ikm.size()));
  }
  const Bytes suite_id = hpke_internal::KemSuiteId();
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes dkp_prk,
                            hpke_internal::LabeledExtract(suite_id, {}, "dkp_prk", ikm));
  FEEDBACK_ASSIGN_OR_RETURN(
      SecretBytes sk,
      hpke_internal::LabeledExpand(suite_id, dkp_prk.view(), "sk", {}, X25519KeyPair::kKeySize));
  return X25519KeyPair::FromPrivateKey(sk.view());
}

Result<HpkeSenderSetup> HpkeSetupBaseS(HpkeAead aead, ByteView recipient_public_key,
                                       ByteView info) {
  return SetupSender(aead, recipient_public_key, info, nullptr);
}

Result<HpkeContext> HpkeSetupBaseR(HpkeAead aead, ByteView enc, const X25519KeyPair& recipient_key,
                                   ByteView info) {
  return SetupRecipient(HpkeMode::kBase, aead, enc, recipient_key, info, {});
}

Result<HpkeSenderSetup> HpkeSetupAuthS(HpkeAead aead, ByteView recipient_public_key, ByteView info,
                                       const X25519KeyPair& sender_key) {
  return SetupSender(aead, recipient_public_key, info, &sender_key);
}

Result<HpkeContext> HpkeSetupAuthR(HpkeAead aead, ByteView enc, const X25519KeyPair& recipient_key,
                                   ByteView info, ByteView sender_public_key) {
  if (sender_public_key.size() != X25519KeyPair::kKeySize) {
    return Status::InvalidArgument("HPKE auth mode: sender public key must be 32 bytes, got " +
                                   std::to_string(sender_public_key.size()));
  }
  return SetupRecipient(HpkeMode::kAuth, aead, enc, recipient_key, info, sender_public_key);
}

Result<HpkeSealed> HpkeSealBase(HpkeAead aead, ByteView recipient_public_key, ByteView info,
                                ByteView aad, ByteView plaintext) {
  FEEDBACK_ASSIGN_OR_RETURN(HpkeSenderSetup setup,
                            HpkeSetupBaseS(aead, recipient_public_key, info));
  FEEDBACK_ASSIGN_OR_RETURN(Bytes ciphertext, setup.context.Seal(aad, plaintext));
  return HpkeSealed{std::move(setup.enc), std::move(ciphertext)};
}

Result<Bytes> HpkeOpenBase(HpkeAead aead, ByteView enc, const X25519KeyPair& recipient_key,
                           ByteView info, ByteView aad, ByteView ciphertext) {
  FEEDBACK_ASSIGN_OR_RETURN(HpkeContext context, HpkeSetupBaseR(aead, enc, recipient_key, info));
  return context.Open(aad, ciphertext);
}

}  // namespace feedback
