#include "capture/epoch_opener.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "capture/epoch_sealer.h"
#include "crypto/aes_gcm.h"
#include "crypto/hpke.h"

namespace feedback {

namespace {

struct CachedEpoch {
  Bytes sealed_epoch_key;
  SecretBytes key;
  AesGcm cipher;
  uint64_t last_use = 0;
};

// Lets the cache be searched with a string_view, without building a string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

struct EpochOpener::Impl {
  Impl(X25519KeyPair key, size_t max_entries)
      : central_key(std::move(key)), capacity(max_entries) {}

  // Opens the sealed key (no cache).
  Result<SecretBytes> Unseal(std::string_view epoch_id, ByteView sealed_epoch_key) const;
  // The cache entry for this epoch, opening and inserting it if needed.
  // Caller holds mu.
  Result<CachedEpoch*> Lookup(std::string_view epoch_id, ByteView sealed_epoch_key);

  const X25519KeyPair central_key;
  const size_t capacity;
  mutable std::mutex mu;
  std::unordered_map<std::string, CachedEpoch, StringHash, std::equal_to<>> cache;  // guarded by mu
  uint64_t clock = 0;                                                               // guarded by mu
};

Result<SecretBytes> EpochOpener::Impl::Unseal(std::string_view epoch_id,
                                              ByteView sealed_epoch_key) const {
  if (sealed_epoch_key.size() != kSealedEpochKeySize) {
    return Status::CryptoError("sealed epoch key for epoch '" +
                               std::string(epoch_id.substr(0, 64)) + "' has " +
                               std::to_string(sealed_epoch_key.size()) + " bytes, expected " +
                               std::to_string(kSealedEpochKeySize));
  }
  const ByteView enc = sealed_epoch_key.first(X25519KeyPair::kKeySize);
  const ByteView ciphertext = sealed_epoch_key.subspan(X25519KeyPair::kKeySize);
  Result<Bytes> key = HpkeOpenBase(HpkeAead::kAes256Gcm, enc, central_key,
                                   AsBytes(kEpochKeyHpkeInfo), AsBytes(epoch_id), ciphertext);
  if (!key.ok()) {
    return key.status().WithContext("opening the epoch key of epoch '" +
                                    std::string(epoch_id.substr(0, 64)) +
                                    "' (not sealed to this central key, or for another epoch)");
  }
  SecretBytes out(*key);
  Cleanse(*key);
  if (out.size() != kEpochKeySize) {
    return Status::CryptoError("epoch key of epoch '" + std::string(epoch_id.substr(0, 64)) +
                               "' has the wrong length");
  }
  return out;
}

Result<CachedEpoch*> EpochOpener::Impl::Lookup(std::string_view epoch_id,
                                               ByteView sealed_epoch_key) {
  ++clock;
  auto it = cache.find(epoch_id);
  if (it != cache.end() && std::ranges::equal(sealed_epoch_key, it->second.sealed_epoch_key)) {
    it->second.last_use = clock;
    return &it->second;
  }
  FEEDBACK_ASSIGN_OR_RETURN(SecretBytes key, Unseal(epoch_id, sealed_epoch_key));
  FEEDBACK_ASSIGN_OR_RETURN(AesGcm cipher, AesGcm::Create(key.view()));
  if (it != cache.end()) {
    cache.erase(it);  // same id, another (also valid) sealing of a key: keep the newest
  } else if (cache.size() >= capacity && !cache.empty()) {
    auto oldest = cache.begin();
    for (auto i = cache.begin(); i != cache.end(); ++i) {
      if (i->second.last_use < oldest->second.last_use) oldest = i;
    }
    cache.erase(oldest);
  }
  CachedEpoch entry{Bytes(sealed_epoch_key.begin(), sealed_epoch_key.end()), std::move(key),
                    std::move(cipher), clock};
  auto [inserted, ok] = cache.emplace(std::string(epoch_id), std::move(entry));
  (void)ok;
  return &inserted->second;
}

EpochOpener::EpochOpener(X25519KeyPair central_key, size_t cache_capacity)
    : impl_(std::make_unique<Impl>(std::move(central_key),
                                   cache_capacity == 0 ? 1 : cache_capacity)) {}
EpochOpener::EpochOpener(EpochOpener&&) noexcept = default;
EpochOpener& EpochOpener::operator=(EpochOpener&&) noexcept = default;
EpochOpener::~EpochOpener() = default;

Result<SecretBytes> EpochOpener::OpenEpochKey(std::string_view epoch_id,
                                              ByteView sealed_epoch_key) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  FEEDBACK_ASSIGN_OR_RETURN(CachedEpoch * epoch, impl_->Lookup(epoch_id, sealed_epoch_key));
  return epoch->key.Clone();
}

Result<Bytes> EpochOpener::OpenFields(std::string_view epoch_id, ByteView sealed_epoch_key,
                                      ByteView ciphertext, ByteView associated_data) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  FEEDBACK_ASSIGN_OR_RETURN(CachedEpoch * epoch, impl_->Lookup(epoch_id, sealed_epoch_key));
  Result<Bytes> plaintext = epoch->cipher.Open(ciphertext, associated_data);
  if (!plaintext.ok()) {
    return plaintext.status().WithContext("opening record fields of epoch '" +
                                          std::string(epoch_id.substr(0, 64)) + "'");
  }
  return plaintext;
}

size_t EpochOpener::cached_epochs() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->cache.size();
}

}  // namespace feedback
