#include "crypto/ed25519_public_key.h"

#include <utility>

#include "crypto/openssl_util.h"
#include "crypto/pkey_util.h"

namespace feedback {

struct Ed25519PublicKey::Impl {
  openssl::PkeyPtr key;
};

Ed25519PublicKey::Ed25519PublicKey(std::unique_ptr<Impl> impl, Bytes raw)
    : impl_(std::move(impl)), raw_(std::move(raw)) {}
Ed25519PublicKey::Ed25519PublicKey(Ed25519PublicKey&&) noexcept = default;
Ed25519PublicKey& Ed25519PublicKey::operator=(Ed25519PublicKey&&) noexcept = default;
Ed25519PublicKey::~Ed25519PublicKey() = default;

Result<Ed25519PublicKey> Ed25519PublicKey::FromBytes(ByteView raw) {
  FEEDBACK_ASSIGN_OR_RETURN(openssl::PkeyPtr key,
                            openssl::PublicKeyFromRaw(EVP_PKEY_ED25519, "Ed25519", raw));
  return Ed25519PublicKey(std::make_unique<Impl>(Impl{std::move(key)}),
                          Bytes(raw.begin(), raw.end()));
}

Status Ed25519PublicKey::Verify(ByteView message, ByteView signature) const {
  if (signature.size() != kSignatureSize) {
    return Status::Unauthenticated("Ed25519 signature must be 64 bytes, got " +
                                   std::to_string(signature.size()));
  }
  openssl::ClearErrors();
  openssl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1) {
    return openssl::Error("cannot start Ed25519 verification");
  }
  const int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                                  message.size());
  if (rc == 1) return Status::Ok();
  if (rc == 0) {
    return openssl::ErrorWithCode(Status::Code::kUnauthenticated,
                                  "Ed25519 signature does not match the message and key");
  }
  return openssl::Error("Ed25519 verification failed");
}

}  // namespace feedback
