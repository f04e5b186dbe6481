// Writes the seed corpus of fuzz_epoch_open (tests/fuzz/corpus/fuzz_epoch_open)
// into the folder given as the only argument: valid inputs for both paths of
// the target, sealed with its fixed test keys. Run by hand when the input
// format changes:  make_fuzz_epoch_open_seeds tests/fuzz/corpus/fuzz_epoch_open
#include <cstdio>
#include <fstream>
#include <string>

#include "capture/epoch_opener.h"
#include "capture/epoch_sealer.h"
#include "core/clock.h"
#include "crypto/aes_gcm.h"
#include "crypto/hpke.h"
#include "fuzz_epoch_open_input.h"

using namespace feedback;  // NOLINT: a small tool

namespace {

int Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), s.ToString().c_str());
  return 1;
}

bool Write(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return out.good();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  Result<X25519KeyPair> central = HpkeDeriveKeyPair(AsBytes(fuzz::kCentralKeyIkm));
  if (!central.ok()) return Die("central key", central.status());
  FakeClock clock;
  Result<EpochSealer> sealer = EpochSealer::Create(central->public_key(), clock);
  if (!sealer.ok()) return Die("sealer", sealer.status());
  Result<AesGcm> field = AesGcm::Create(AsBytes(fuzz::kFieldKey));
  if (!field.ok()) return Die("field cipher", field.status());
  EpochOpener opener(std::move(central).value());

  const std::string texts[] = {"", "Great service, thanks Ana!", std::string(200, 'x')};
  const std::string aads[] = {"", "record-0190a6f2", "site=12;device=7"};
  int n = 0;
  for (int i = 0; i < 3; ++i) {
    Result<SealedFields> f = sealer->Seal(AsBytes(texts[i]), AsBytes(aads[i]));
    if (!f.ok()) return Die("seal", f.status());
    // Check the seed really opens, so the corpus reaches past authentication.
    Result<Bytes> back =
        opener.OpenFields(f->epoch_id, f->sealed_epoch_key, f->ciphertext, AsBytes(aads[i]));
    if (!back.ok()) return Die("open", back.status());
    if (!Write(dir + "/epoch-" + std::to_string(i),
               fuzz::SerializeEpochOpenInput(0, AsBytes(f->epoch_id), f->sealed_epoch_key,
                                             AsBytes(aads[i]), f->ciphertext))) {
      return Die("write", Status::IoError(dir));
    }
    Result<Bytes> ct = field->Seal(AsBytes(texts[i]), AsBytes(aads[i]));
    if (!ct.ok()) return Die("field seal", ct.status());
    if (!Write(dir + "/field-" + std::to_string(i),
               fuzz::SerializeEpochOpenInput(1, {}, {}, AsBytes(aads[i]), *ct))) {
      return Die("write", Status::IoError(dir));
    }
    n += 2;
  }
  std::printf("wrote %d seeds to %s\n", n, dir.c_str());
  return 0;
}
