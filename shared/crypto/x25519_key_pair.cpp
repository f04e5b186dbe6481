#include "crypto/x25519_key_pair.h"

#include <openssl/crypto.h>

#include <utility>

#include "crypto/openssl_util.h"
#include "crypto/pkey_util.h"

namespace feedback {

namespace {
constexpr char kKind[] = "X25519";
}  // namespace

struct X25519KeyPair::Impl {
  openssl::PkeyPtr key;
};

X25519KeyPair::X25519KeyPair(std::unique_ptr<Impl> impl, Bytes public_key)
    : impl_(std::move(impl)), public_key_(std::move(public_key)) {}
X25519KeyPair::X25519KeyPair(X25519KeyPair&&) noexcept = default;
X25519KeyPair& X25519KeyPair::operator=(X25519KeyPair&&) noexcept = default;
X25519KeyPair::~X25519KeyPair() = default;

Result<X25519KeyPair> X25519KeyPair::FromImpl(std::unique_ptr<Impl> impl) {
  FEEDBACK_ASSIGN_OR_RETURN(Bytes public_key, openssl::RawPublicKey(impl->key.get(), kKind));
  return X25519KeyPair(std::move(impl), std::move(public_key));
}

Result<X25519KeyPair> X25519KeyPair::Generate() {
  FEEDBACK_ASSIGN_OR_RETURN(openssl::PkeyPtr key, openssl::GenerateKey(EVP_PKEY_X25519, kKind));
  return FromImpl(std::make_unique<Impl>(Impl{std::move(key)}));
}

Result<X25519KeyPair> X25519KeyPair::FromPrivateKey(ByteView private_key) {
  FEEDBACK_ASSIGN_OR_RETURN(openssl::PkeyPtr key,
                            openssl::PrivateKeyFromRaw(EVP_PKEY_X25519, kKind, private_key));
  return FromImpl(std::make_unique<Impl>(Impl{std::move(key)}));
}

Result<X25519KeyPair> X25519KeyPair::LoadPem(const std::string& path) {
  FEEDBACK_ASSIGN_OR_RETURN(openssl::PkeyPtr key,
                            openssl::LoadPrivateKeyPem(EVP_PKEY_X25519, kKind, path));
  return FromImpl(std::make_unique<Impl>(Impl{std::move(key)}));
}

Status X25519KeyPair::SavePem(const std::string& path) const {
  return openssl::SavePrivateKeyPem(impl_->key.get(), kKind, path);
}

Result<SecretBytes> X25519KeyPair::PrivateKeyBytes() const {
  return openssl::RawPrivateKey(impl_->key.get(), kKind);
}

Result<SecretBytes> X25519KeyPair::Agree(ByteView peer_public_key) const {
  FEEDBACK_ASSIGN_OR_RETURN(openssl::PkeyPtr peer,
                            openssl::PublicKeyFromRaw(EVP_PKEY_X25519, kKind, peer_public_key));
  openssl::ClearErrors();
  openssl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new(impl_->key.get(), nullptr));
  SecretBytes secret(kKeySize);
  size_t len = secret.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), secret.data(), &len) != 1 || len != kKeySize) {
    return openssl::Error("X25519 key agreement failed (is the peer public key valid?)");
  }
  // RFC 9180 7.1.4 / RFC 7748 6.1: an all-zero result means a low-order peer key.
  uint8_t acc = 0;
  for (size_t i = 0; i < len; ++i) acc = static_cast<uint8_t>(acc | secret.data()[i]);
  if (acc == 0) {
    return Status::CryptoError(
        "X25519 key agreement gave the all-zero secret (low-order peer key)");
  }
  return secret;
}

}  // namespace feedback
