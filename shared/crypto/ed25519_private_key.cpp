#include "crypto/ed25519_private_key.h"

#include <utility>

#include "crypto/openssl_util.h"
#include "crypto/pkey_util.h"

namespace feedback {

namespace {
constexpr char kKind[] = "Ed25519";
}  // namespace

struct Ed25519PrivateKey::Impl {
  openssl::PkeyPtr key;
};

Ed25519PrivateKey::Ed25519PrivateKey(std::unique_ptr<Impl> impl, Bytes public_key)
    : impl_(std::move(impl)), public_key_(std::move(public_key)) {}
Ed25519PrivateKey::Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey& Ed25519PrivateKey::operator=(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey::~Ed25519PrivateKey() = default;

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromImpl(std::unique_ptr<Impl> impl) {
  FEEDBACK_ASSIGN_OR_RETURN(Bytes public_key, openssl::RawPublicKey(impl->key.get(), kKind));
  return Ed25519PrivateKey(std::move(impl), std::move(public_key));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::Generate() {
  FEEDBACK_ASSIGN_OR_RETURN(openssl::PkeyPtr key, openssl::GenerateKey(EVP_PKEY_ED25519, kKind));
  return FromImpl(std::make_unique<Impl>(Impl{std::move(key)}));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromSeed(ByteView seed) {
  FEEDBACK_ASSIGN_OR_RETURN(openssl::PkeyPtr key,
                            openssl::PrivateKeyFromRaw(EVP_PKEY_ED25519, kKind, seed));
  return FromImpl(std::make_unique<Impl>(Impl{std::move(key)}));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::LoadPem(const std::string& path) {
  FEEDBACK_ASSIGN_OR_RETURN(openssl::PkeyPtr key,
                            openssl::LoadPrivateKeyPem(EVP_PKEY_ED25519, kKind, path));
  return FromImpl(std::make_unique<Impl>(Impl{std::move(key)}));
}

Status Ed25519PrivateKey::SavePem(const std::string& path) const {
  return openssl::SavePrivateKeyPem(impl_->key.get(), kKind, path);
}

Result<Bytes> Ed25519PrivateKey::Sign(ByteView message) const {
  openssl::ClearErrors();
  openssl::MdCtxPtr ctx(EVP_MD_CTX_new());
  Bytes signature(Ed25519PublicKey::kSignatureSize);
  size_t len = signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature.data(), &len, message.data(), message.size()) != 1 ||
      len != signature.size()) {
    return openssl::Error("Ed25519 signing failed");
  }
  return signature;
}

}  // namespace feedback
