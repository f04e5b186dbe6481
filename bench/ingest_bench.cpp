// The central store's ingest of one batch, in process (issue 6): where the
// time of POST /api/v1/batches goes without HTTP - DecodeBatch (envelope,
// zstd, MessagePack), preparing every record (open the sealed fields,
// validate against the survey, contributions) and CommitBatch (one SQLite
// transaction, synchronous=FULL) - for 1000 typical kiosk records (NPS, five
// driver ratings and a sealed comment, as sync_bench captures them).
//
//   build/bench/ingest_bench [--benchmark_filter=...] [--benchmark_repetitions=5]
//
// BM_DecodeBatch / BM_DecodeBatchForIngest time the decoders alone,
// BM_DecodeAndPrepare everything before the commit. BM_IngestBatch times
// Ingestor::HandleBatch on a fresh batch per iteration and reports the mean
// milliseconds per phase as counters (decode_ms, prepare_ms, commit_ms).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "capture/epoch_opener.h"
#include "capture/epoch_sealer.h"
#include "core/uuid.h"
#include "crypto/ed25519_private_key.h"
#include "crypto/x25519_key_pair.h"
#include "model/record.h"
#include "protocol/batch_codec.h"
#include "sync/central/ingest/ingestor.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"
#include "typical_record.h"

namespace feedback::central {
namespace {

constexpr int kRecordsPerBatch = 1000;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <typename T>
T OrDie(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "ingest_bench: %s: %s\n", what, r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void OrDie(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "ingest_bench: %s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

// A central store in a temp folder with retail_kiosk v1 published and one
// enrolled kiosk, plus that kiosk's keys to build batches with.
class Setup {
 public:
  Setup()
      : central_key_(OrDie(X25519KeyPair::Generate(), "X25519 key")),
        device_key_(OrDie(Ed25519PrivateKey::Generate(), "Ed25519 key")),
        sealer_(OrDie(EpochSealer::Create(central_key_.public_key(), SystemClock::Instance()),
                      "epoch sealer")) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ingest-bench-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    store_ = OrDie(SqliteCentralStore::Open(dir_ + "/central.db"), "open store");
    const TimeMs now = SystemClock::Instance().NowMs();
    OrDie(store_->EnsureSite("store-1", now), "site");
    SurveyVersion survey{"retail_kiosk", 1, "kiosk",
                         ReadFile(FEEDBACK_ASSETS_DIR "/surveys/retail_kiosk.json"), now};
    OrDie(store_->PublishSurvey(survey, {}, /*all_sites=*/true), "publish survey");
    OrDie(store_->InsertEnrollmentToken({"token-hash", "store-1", "kiosk", "", now, now + 60'000}),
          "token");
    device_ = OrDie(store_->EnrollDevice("token-hash", "kiosk", device_key_.public_key_bytes(),
                                         "bench", "kiosk-00000000000000b1", now),
                    "enroll");
    opener_ = std::make_unique<EpochOpener>(std::move(central_key_));
    ingestor_ = std::make_unique<Ingestor>(*opener_, SystemClock::Instance());
  }
  ~Setup() {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // The next batch of typical kiosk records, sealed and signed as a device does.
  Bytes NextBatch() {
    protocol::Batch b;
    b.device_id = device_.device_id;
    b.site_id = device_.site_id;
    b.seq = next_seq_++;
    b.created = SystemClock::Instance().NowMs();
    for (int i = 0; i < kRecordsPerBatch; ++i) {
      FeedbackRecord r =
          bench::TypicalKioskRecord(ids_, rng_, device_.device_id, device_.site_id);
      protocol::BatchRecord out;
      out.pub = RecordToJson(PublicPart(r));
      SealedFields sealed = OrDie(
          sealer_.Seal(AsBytes(SensitiveJson(r)), RecordAssociatedData(r.id, r.device_id)), "seal");
      out.epoch_id = sealed.epoch_id;
      out.sealed = sealed.ciphertext;
      if (b.epochs.empty()) b.epochs.push_back({sealed.epoch_id, sealed.sealed_epoch_key});
      b.records.push_back(std::move(out));
    }
    return OrDie(protocol::EncodeBatch(b, device_key_), "encode");
  }

  CentralStore& store() { return *store_; }
  Ingestor& ingestor() { return *ingestor_; }
  const Device& device() const { return device_; }

 private:
  X25519KeyPair central_key_;
  Ed25519PrivateKey device_key_;
  EpochSealer sealer_;
  std::string dir_;
  std::unique_ptr<SqliteCentralStore> store_;
  Device device_;
  std::unique_ptr<EpochOpener> opener_;
  std::unique_ptr<Ingestor> ingestor_;
  UuidGenerator ids_{SystemClock::Instance()};
  std::mt19937 rng_{1};
  int64_t next_seq_ = 1;
};

Setup& Shared() {
  static Setup setup;  // one store and device for every benchmark; removed at exit
  return setup;
}

void BM_DecodeBatch(benchmark::State& state) {
  const Bytes envelope = Shared().NextBatch();
  for (auto _ : state) {
    Result<protocol::DecodedBatch> d = protocol::DecodeBatch(envelope);
    if (!d.ok()) state.SkipWithError(d.status().ToString().c_str());
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * kRecordsPerBatch);
}
BENCHMARK(BM_DecodeBatch)->Unit(benchmark::kMillisecond);

// What the ingestor calls: the canonical public parts read straight into records.
void BM_DecodeBatchForIngest(benchmark::State& state) {
  const Bytes envelope = Shared().NextBatch();
  for (auto _ : state) {
    Result<protocol::DecodedBatch> d = protocol::DecodeBatchForIngest(envelope);
    if (!d.ok() || !d->batch.records.front().parsed) state.SkipWithError("not read canonically");
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * kRecordsPerBatch);
}
BENCHMARK(BM_DecodeBatchForIngest)->Unit(benchmark::kMillisecond);

// Everything before the commit, on one batch: decode, open, validate, prepare.
void BM_DecodeAndPrepare(benchmark::State& state) {
  Setup& setup = Shared();
  const Bytes envelope = setup.NextBatch();
  const TimeMs now = SystemClock::Instance().NowMs();
  auto decode_and_prepare = [&] {
    Result<protocol::DecodedBatch> d = protocol::DecodeBatchForIngest(envelope);
    if (!d.ok()) state.SkipWithError(d.status().ToString().c_str());
    PreparedBatch prepared;
    Status s = setup.ingestor().PrepareRecords(setup.store(), setup.device(), d->batch, now,
                                                 prepared);
    if (!s.ok() || prepared.records.size() != kRecordsPerBatch) state.SkipWithError("prepare");
    benchmark::DoNotOptimize(prepared);
  };
  decode_and_prepare();  // warm: the survey definition and the epoch key are cached once
  for (auto _ : state) decode_and_prepare();
  state.SetItemsProcessed(state.iterations() * kRecordsPerBatch);
}
BENCHMARK(BM_DecodeAndPrepare)->Unit(benchmark::kMillisecond);

void BM_IngestBatch(benchmark::State& state) {
  Setup& setup = Shared();
  double decode = 0, prepare = 0, commit = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const Bytes envelope = setup.NextBatch();
    state.ResumeTiming();
    IngestTimings t;
    ApiResponse a = setup.ingestor().HandleBatch(setup.store(), envelope, &t);
    if (a.status != 200) state.SkipWithError(a.body.c_str());
    decode += t.decode_ms;
    prepare += t.prepare_ms;
    commit += t.commit_ms;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["decode_ms"] = decode / n;
  state.counters["prepare_ms"] = prepare / n;
  state.counters["commit_ms"] = commit / n;
  state.SetItemsProcessed(state.iterations() * kRecordsPerBatch);
}
BENCHMARK(BM_IngestBatch)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace feedback::central

BENCHMARK_MAIN();
