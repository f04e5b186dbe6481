// Fuzz target for the central store's decrypt path: EpochOpener::OpenFields
// (HPKE open of a sealed epoch key, then AES-256-GCM open of a record) and
// AesGcm::Open under a fixed key. Every input must either open or fail with
// CryptoError; anything else (a crash, another error code, plaintext of the
// wrong length) aborts. Input format: see fuzz_epoch_open_input.h.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "capture/epoch_opener.h"
#include "crypto/aes_gcm.h"
#include "crypto/hpke.h"
#include "fuzz_epoch_open_input.h"

namespace {

using feedback::AesGcm;
using feedback::Bytes;
using feedback::EpochOpener;
using feedback::Result;
using feedback::Status;

[[noreturn]] void Fail(const char* what, const Status& status) {
  std::fprintf(stderr, "fuzz_epoch_open: %s: %s\n", what, status.ToString().c_str());
  std::abort();
}

EpochOpener& Opener() {
  static EpochOpener* opener = [] {
    Result<feedback::X25519KeyPair> key =
        feedback::HpkeDeriveKeyPair(feedback::AsBytes(feedback::fuzz::kCentralKeyIkm));
    if (!key.ok()) Fail("deriving the central key", key.status());
    return new EpochOpener(std::move(key).value());
  }();
  return *opener;
}

AesGcm& FieldCipher() {
  static AesGcm* cipher = [] {
    Result<AesGcm> c = AesGcm::Create(feedback::AsBytes(feedback::fuzz::kFieldKey));
    if (!c.ok()) Fail("keying the field cipher", c.status());
    return new AesGcm(std::move(c).value());
  }();
  return *cipher;
}

void Check(const Result<Bytes>& result, size_t expected_size, const char* path) {
  if (result.ok()) {
    if (result->size() != expected_size) Fail(path, Status::Internal("plaintext of wrong length"));
  } else if (result.status().code() != Status::Code::kCryptoError) {
    Fail(path, result.status());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::optional<feedback::fuzz::EpochOpenInput> in =
      feedback::fuzz::ParseEpochOpenInput(feedback::ByteView(data, size));
  if (!in) return 0;
  const size_t expected =
      in->ciphertext.size() >= AesGcm::kOverhead ? in->ciphertext.size() - AesGcm::kOverhead : 0;
  if (in->selector % 2 == 0) {
    const std::string epoch_id = feedback::ToString(in->epoch_id);
    Check(Opener().OpenFields(epoch_id, in->sealed_epoch_key, in->ciphertext, in->aad), expected,
          "EpochOpener::OpenFields");
  } else {
    Check(FieldCipher().Open(in->ciphertext, in->aad), expected, "AesGcm::Open");
  }
  return 0;
}
