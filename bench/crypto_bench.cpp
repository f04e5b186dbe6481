// Crypto throughput: EpochSealer::Seal and EpochOpener::OpenFields against
// raw EVP AES-256-GCM on the same buffers in the same run (200-byte and 4 KiB
// records), plus the per-epoch HPKE cost (sealing a new epoch key; opening
// one). Ends with summary lines "seal_4k_vs_raw_ratio=..." etc.: throughput of
// our path divided by raw EVP's (1.0 = no overhead; the target for 4 KiB is >= 0.8).
//
//   cmake --build build --target crypto_bench && ./build/bench/crypto_bench
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "capture/epoch_opener.h"
#include "capture/epoch_sealer.h"
#include "core/clock.h"
#include "crypto/x25519_key_pair.h"

namespace feedback {
namespace {

constexpr size_t kSmall = 200;
constexpr size_t kLarge = 4096;

// One central key and one sealer for the whole run (FakeClock: no rotation).
struct Fixture {
  FakeClock clock;
  Bytes central_public_key;
  std::unique_ptr<EpochOpener> opener;
  std::unique_ptr<EpochSealer> sealer;
  Bytes aad = ToBytes("record-0190a6f2-3c4d-7e5f-8a9b-0c1d2e3f4a5b;site=12");

  Fixture() {
    Result<X25519KeyPair> key = X25519KeyPair::Generate();
    if (!key.ok()) Die(key.status());
    central_public_key = key->public_key();
    opener = std::make_unique<EpochOpener>(std::move(key).value());
    Result<EpochSealer> s = EpochSealer::Create(central_public_key, clock);
    if (!s.ok()) Die(s.status());
    sealer = std::make_unique<EpochSealer>(std::move(s).value());
  }
  [[noreturn]] static void Die(const Status& s) {
    std::fprintf(stderr, "crypto_bench: %s\n", s.ToString().c_str());
    std::exit(1);
  }
};

Fixture& F() {
  static Fixture fixture;
  return fixture;
}

Bytes Record(size_t size) {
  Bytes b(size);
  for (size_t i = 0; i < size; ++i) b[i] = static_cast<uint8_t>('a' + i % 26);
  return b;
}

// The baseline: one EVP_CIPHER_CTX keyed once, a counter nonce, output into a
// preallocated buffer -- the least work AES-256-GCM through EVP can do.
struct RawGcm {
  EVP_CIPHER_CTX* enc = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX* dec = EVP_CIPHER_CTX_new();
  std::array<uint8_t, 12> nonce{};
  uint64_t counter = 0;

  RawGcm() {
    const std::array<uint8_t, 32> key{7};
    if (EVP_EncryptInit_ex(enc, EVP_aes_256_gcm(), nullptr, key.data(), nullptr) != 1 ||
        EVP_DecryptInit_ex(dec, EVP_aes_256_gcm(), nullptr, key.data(), nullptr) != 1) {
      Fixture::Die(Status::CryptoError("raw EVP init"));
    }
  }
  ~RawGcm() {
    EVP_CIPHER_CTX_free(enc);
    EVP_CIPHER_CTX_free(dec);
  }
  RawGcm(const RawGcm&) = delete;
  RawGcm& operator=(const RawGcm&) = delete;

  // out: nonce(12) || ct || tag(16), like AesGcm::Seal.
  void Seal(ByteView pt, ByteView aad, uint8_t* out) {
    ++counter;
    for (size_t i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(counter >> (8 * i));
    std::copy(nonce.begin(), nonce.end(), out);
    int len = 0;
    if (EVP_EncryptInit_ex(enc, nullptr, nullptr, nullptr, nonce.data()) != 1 ||
        EVP_EncryptUpdate(enc, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1 ||
        EVP_EncryptUpdate(enc, out + 12, &len, pt.data(), static_cast<int>(pt.size())) != 1 ||
        EVP_EncryptFinal_ex(enc, out + 12 + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(enc, EVP_CTRL_GCM_GET_TAG, 16, out + 12 + pt.size()) != 1) {
      Fixture::Die(Status::CryptoError("raw EVP seal"));
    }
  }
  bool Open(ByteView sealed, ByteView aad, uint8_t* out) {
    std::array<uint8_t, 16> tag{};
    const size_t n = sealed.size() - 28;
    std::copy_n(sealed.data() + 12 + n, 16, tag.begin());
    int len = 0;
    return EVP_DecryptInit_ex(dec, nullptr, nullptr, nullptr, sealed.data()) == 1 &&
           EVP_DecryptUpdate(dec, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
           EVP_DecryptUpdate(dec, out, &len, sealed.data() + 12, static_cast<int>(n)) == 1 &&
           EVP_CIPHER_CTX_ctrl(dec, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
           EVP_DecryptFinal_ex(dec, out + len, &len) == 1;
  }
};

void BM_RawEvpSeal(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const Bytes pt = Record(size);
  RawGcm raw;
  Bytes out(size + 28);
  for (auto _ : state) {
    raw.Seal(pt, F().aad, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}

void BM_EpochSealerSeal(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const Bytes pt = Record(size);
  for (auto _ : state) {
    Result<SealedFields> f = F().sealer->Seal(pt, F().aad);
    if (!f.ok()) Fixture::Die(f.status());
    benchmark::DoNotOptimize(f->ciphertext.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}

void BM_RawEvpOpen(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  RawGcm raw;
  Bytes sealed(size + 28);
  raw.Seal(Record(size), F().aad, sealed.data());
  Bytes out(size);
  for (auto _ : state) {
    if (!raw.Open(sealed, F().aad, out.data())) Fixture::Die(Status::CryptoError("raw open"));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}

void BM_EpochOpenerOpenFields(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  Result<SealedFields> f = F().sealer->Seal(Record(size), F().aad);
  if (!f.ok()) Fixture::Die(f.status());
  for (auto _ : state) {
    Result<Bytes> pt =
        F().opener->OpenFields(f->epoch_id, f->sealed_epoch_key, f->ciphertext, F().aad);
    if (!pt.ok()) Fixture::Die(pt.status());
    benchmark::DoNotOptimize(pt->data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}

// Per-epoch cost on the device: fresh key, HPKE seal to the central key.
void BM_EpochSealerNewEpoch(benchmark::State& state) {
  for (auto _ : state) {
    Status s = F().sealer->StartNewEpoch();
    if (!s.ok()) Fixture::Die(s);
  }
}

// Per-epoch cost centrally: HPKE open of a sealed epoch key (cache misses
// forced by alternating two epochs through a one-entry cache).
void BM_EpochOpenerOpenEpochKey(benchmark::State& state) {
  Result<X25519KeyPair> key = X25519KeyPair::Generate();
  if (!key.ok()) Fixture::Die(key.status());
  const Bytes public_key = key->public_key();
  EpochOpener opener(std::move(key).value(), 1);
  std::vector<SealedFields> epochs;
  for (int i = 0; i < 2; ++i) {
    Result<EpochSealer> s = EpochSealer::Create(public_key, F().clock);
    if (!s.ok()) Fixture::Die(s.status());
    Result<SealedFields> f = s->Seal(AsBytes("x"), {});
    if (!f.ok()) Fixture::Die(f.status());
    epochs.push_back(std::move(f).value());
  }
  size_t i = 0;
  for (auto _ : state) {
    const SealedFields& f = epochs[i++ % 2];
    Result<SecretBytes> k = opener.OpenEpochKey(f.epoch_id, f.sealed_epoch_key);
    if (!k.ok()) Fixture::Die(k.status());
    benchmark::DoNotOptimize(k->data());
  }
}

BENCHMARK(BM_RawEvpSeal)->Arg(kSmall)->Arg(kLarge);
BENCHMARK(BM_EpochSealerSeal)->Arg(kSmall)->Arg(kLarge);
BENCHMARK(BM_RawEvpOpen)->Arg(kSmall)->Arg(kLarge);
BENCHMARK(BM_EpochOpenerOpenFields)->Arg(kSmall)->Arg(kLarge);
BENCHMARK(BM_EpochSealerNewEpoch);
BENCHMARK(BM_EpochOpenerOpenEpochKey);

// Keeps each benchmark's CPU time per iteration so main can print the ratios:
// the median when run with --benchmark_repetitions, else the single run. CPU
// time rather than wall time, because the build machine is shared.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      if (run.run_type == Run::RT_Iteration) {
        single_[run.run_name.str()] = run.GetAdjustedCPUTime();
      } else if (run.aggregate_name == "median") {
        median_[run.run_name.str()] = run.GetAdjustedCPUTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  // Throughput ratio ours/raw = raw time / our time.
  void PrintRatio(const char* label, const std::string& ours, const std::string& raw) const {
    const double o = Time(ours);
    const double r = Time(raw);
    if (o <= 0 || r <= 0) return;
    std::printf("%s=%.2f\n", label, r / o);
  }

 private:
  double Time(const std::string& name) const {
    if (auto it = median_.find(name); it != median_.end()) return it->second;
    if (auto it = single_.find(name); it != single_.end()) return it->second;
    return 0;
  }
  std::map<std::string, double> single_;
  std::map<std::string, double> median_;
};

}  // namespace
}  // namespace feedback

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  feedback::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatio("seal_200_vs_raw_ratio", "BM_EpochSealerSeal/200", "BM_RawEvpSeal/200");
  reporter.PrintRatio("seal_4k_vs_raw_ratio", "BM_EpochSealerSeal/4096", "BM_RawEvpSeal/4096");
  reporter.PrintRatio("open_200_vs_raw_ratio", "BM_EpochOpenerOpenFields/200", "BM_RawEvpOpen/200");
  reporter.PrintRatio("open_4k_vs_raw_ratio", "BM_EpochOpenerOpenFields/4096",
                      "BM_RawEvpOpen/4096");
  benchmark::Shutdown();
  return 0;
}
