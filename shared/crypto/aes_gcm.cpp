#include "crypto/aes_gcm.h"

#include <openssl/rand.h>
#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <string>
#include <utility>

#include "crypto/openssl_util.h"
#include "crypto/secret_bytes.h"

namespace feedback {

namespace {

// Nonces are drawn from OpenSSL's CSPRNG in batches: one RAND_bytes call costs
// about as much as sealing a 2 KiB record, and its cost barely depends on the
// length. The batch is discarded in a forked child (a child reusing its
// parent's nonces under the same key would break GCM).
constexpr size_t kNoncesPerDraw = 64;

std::atomic<uint64_t> g_fork_generation{0};

void OnFork() { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }

// True once the fork hook is installed. pthread_atfork fails only without
// memory; batching is then switched off rather than risking shared nonces.
bool ForkHookInstalled() {
  static const bool installed = pthread_atfork(nullptr, nullptr, OnFork) == 0;
  return installed;
}

}  // namespace

struct AesGcm::Impl {
  size_t key_size = 0;
  openssl::CipherCtxPtr encrypt;
  openssl::CipherCtxPtr decrypt;
  std::array<uint8_t, kNonceSize * kNoncesPerDraw> nonces{};
  size_t nonces_used = kNoncesPerDraw;  // none left: draw on first use
  uint64_t fork_generation = 0;
};

AesGcm::AesGcm(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AesGcm::AesGcm(AesGcm&&) noexcept = default;
AesGcm& AesGcm::operator=(AesGcm&&) noexcept = default;
AesGcm::~AesGcm() = default;

size_t AesGcm::key_size() const { return impl_->key_size; }

Result<AesGcm> AesGcm::Create(ByteView key) {
  const EVP_CIPHER* cipher = nullptr;
  if (key.size() == 16) {
    cipher = EVP_aes_128_gcm();
  } else if (key.size() == 32) {
    cipher = EVP_aes_256_gcm();
  } else {
    return Status::InvalidArgument("AES-GCM key must be 16 or 32 bytes, got " +
                                   std::to_string(key.size()));
  }
  openssl::ClearErrors();
  auto impl = std::make_unique<Impl>();
  impl->key_size = key.size();
  impl->encrypt.reset(EVP_CIPHER_CTX_new());
  impl->decrypt.reset(EVP_CIPHER_CTX_new());
  if (!impl->encrypt || !impl->decrypt) {
    return openssl::Error("AES-GCM: cannot allocate a cipher context");
  }
  // The nonce is supplied per call; the default GCM nonce length is 12 bytes.
  if (EVP_EncryptInit_ex(impl->encrypt.get(), cipher, nullptr, key.data(), nullptr) != 1 ||
      EVP_DecryptInit_ex(impl->decrypt.get(), cipher, nullptr, key.data(), nullptr) != 1) {
    return openssl::Error("AES-GCM: cannot set the key");
  }
  return AesGcm(std::move(impl));
}

// The per-record paths below do not call openssl::ClearErrors() first: it costs
// about 100 ns (a fifth of sealing 200 bytes). Our own failures always drain
// the queue (openssl::Error), so only a caller that left errors queued could
// see them appended to a message here.
Status AesGcm::SealInto(const uint8_t* nonce, ByteView plaintext, ByteView associated_data,
                        uint8_t* out) {
  if (!openssl::FitsInt(plaintext.size() + kTagSize) || !openssl::FitsInt(associated_data.size())) {
    return Status::InvalidArgument("AES-GCM: input larger than 2 GiB");
  }
  EVP_CIPHER_CTX* ctx = impl_->encrypt.get();
  int len = 0;
  int final_len = 0;
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1 ||
      (!associated_data.empty() &&
       EVP_EncryptUpdate(ctx, nullptr, &len, associated_data.data(),
                         static_cast<int>(associated_data.size())) != 1) ||
      EVP_EncryptUpdate(ctx, out, &len, plaintext.data(), static_cast<int>(plaintext.size())) !=
          1 ||
      EVP_EncryptFinal_ex(ctx, out + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                          out + plaintext.size()) != 1) {
    return openssl::Error("AES-GCM encryption failed");
  }
  return Status::Ok();
}

Status AesGcm::NextRandomNonce(uint8_t* out) {
  Impl& impl = *impl_;
  const bool batching = ForkHookInstalled();
  const uint64_t generation = g_fork_generation.load(std::memory_order_relaxed);
  if (!batching || impl.nonces_used == kNoncesPerDraw || impl.fork_generation != generation) {
    if (RAND_bytes(impl.nonces.data(), static_cast<int>(impl.nonces.size())) != 1) {
      return openssl::Error("AES-GCM: cannot draw random nonces");
    }
    impl.nonces_used = 0;
    impl.fork_generation = generation;
  }
  std::copy_n(impl.nonces.data() + impl.nonces_used * kNonceSize, kNonceSize, out);
  ++impl.nonces_used;
  return Status::Ok();
}

Result<Bytes> AesGcm::Seal(ByteView plaintext, ByteView associated_data) {
  Bytes out(kNonceSize + plaintext.size() + kTagSize);
  FEEDBACK_RETURN_IF_ERROR(NextRandomNonce(out.data()));
  FEEDBACK_RETURN_IF_ERROR(
      SealInto(out.data(), plaintext, associated_data, out.data() + kNonceSize));
  return out;
}

Result<Bytes> AesGcm::SealWithNonce(ByteView nonce, ByteView plaintext, ByteView associated_data) {
  if (nonce.size() != kNonceSize) {
    return Status::InvalidArgument("AES-GCM nonce must be 12 bytes, got " +
                                   std::to_string(nonce.size()));
  }
  Bytes out(plaintext.size() + kTagSize);
  FEEDBACK_RETURN_IF_ERROR(SealInto(nonce.data(), plaintext, associated_data, out.data()));
  return out;
}

Result<Bytes> AesGcm::Open(ByteView sealed, ByteView associated_data) {
  if (sealed.size() < kOverhead) {
    return Status::CryptoError("AES-GCM: sealed data is " + std::to_string(sealed.size()) +
                               " bytes, shorter than nonce + tag (28); it is truncated");
  }
  return OpenWithNonce(sealed.first(kNonceSize), sealed.subspan(kNonceSize), associated_data);
}

Result<Bytes> AesGcm::OpenWithNonce(ByteView nonce, ByteView ciphertext_and_tag,
                                    ByteView associated_data) {
  if (nonce.size() != kNonceSize) {
    return Status::InvalidArgument("AES-GCM nonce must be 12 bytes, got " +
                                   std::to_string(nonce.size()));
  }
  if (ciphertext_and_tag.size() < kTagSize) {
    return Status::CryptoError("AES-GCM: ciphertext is " +
                               std::to_string(ciphertext_and_tag.size()) +
                               " bytes, shorter than the 16-byte tag; it is truncated");
  }
  if (!openssl::FitsInt(ciphertext_and_tag.size()) || !openssl::FitsInt(associated_data.size())) {
    return Status::InvalidArgument("AES-GCM: input larger than 2 GiB");
  }
  const ByteView ciphertext = ciphertext_and_tag.first(ciphertext_and_tag.size() - kTagSize);
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer.
  std::array<uint8_t, kTagSize> tag{};
  std::copy_n(ciphertext_and_tag.data() + ciphertext.size(), kTagSize, tag.begin());

  Bytes plaintext(ciphertext.size());
  EVP_CIPHER_CTX* ctx = impl_->decrypt.get();
  int len = 0;
  int final_len = 0;
  if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data()) != 1 ||
      (!associated_data.empty() &&
       EVP_DecryptUpdate(ctx, nullptr, &len, associated_data.data(),
                         static_cast<int>(associated_data.size())) != 1) ||
      EVP_DecryptUpdate(ctx, plaintext.data(), &len, ciphertext.data(),
                        static_cast<int>(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag.data()) != 1) {
    Cleanse(plaintext);
    return openssl::Error("AES-GCM decryption failed");
  }
  if (EVP_DecryptFinal_ex(ctx, plaintext.data() + len, &final_len) != 1) {
    // Unverified plaintext must not escape.
    Cleanse(plaintext);
    return openssl::Error(
        "AES-GCM authentication failed (wrong key, wrong associated data, or the ciphertext "
        "was truncated or modified)");
  }
  return plaintext;
}

}  // namespace feedback
