// Capture latency: CaptureStore::Capture() (seal + JSON + insert + fsynced
// commit) against a bare SQLite INSERT + COMMIT of a row of the same size with
// the same durability (WAL, synchronous=FULL), measured alternately in the same
// run so machine noise hits both alike. Prints p50 and p99 of each and their
// ratios; the target is capture/bare <= 1.3.
//
//   build/bench/capture_bench [--benchmark_min_time=...]   (FEEDBACK_BENCH_DIR picks the disk)
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "capture/epoch_sealer.h"
#include "core/uuid.h"
#include "crypto/x25519_key_pair.h"
#include "store/capture_store.h"

namespace feedback {
namespace {

using Micros = std::chrono::duration<double, std::micro>;

std::filesystem::path BenchDir() {
  const char* env = std::getenv("FEEDBACK_BENCH_DIR");
  std::string pattern =
      ((env != nullptr) ? std::filesystem::path(env) : std::filesystem::temp_directory_path()) /
      "feedback-bench-XXXXXX";
  return mkdtemp(pattern.data());
}

FeedbackRecord TypicalKioskRecord(UuidGenerator& ids) {
  FeedbackRecord r;
  r.id = ids.NextV7().ToString();
  r.survey_id = "retail_kiosk";
  r.survey_version = 1;
  r.device_id = "kiosk-0001";
  r.site_id = "store-042";
  r.started_at = 1'763'900'000'000;
  r.submitted_at = r.started_at + 21'000;
  r.locale = "en";
  r.answers = {{"nps", 9, {}, {}},         {"greeting", 5, {}, {}}, {"speed", 4, {}, {}},
               {"cleanliness", 4, {}, {}}, {"availability", 3, {}, {}}, {"knowledge", 5, {}, {}},
               {"comment", std::nullopt, {}, "Ana at the fitting rooms was lovely, thanks!"}};
  return r;
}

// The baseline speaks to SQLite directly on purpose: it is what "bare SQLite"
// means, with nothing of ours in the way.
struct BareSqlite {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;

  explicit BareSqlite(const std::string& path) {
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE records(id TEXT PRIMARY KEY, public_json TEXT, sealed BLOB)",
                 nullptr, nullptr, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO records VALUES(?,?,?)", -1, &insert, nullptr);
  }
  ~BareSqlite() {
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  bool Insert(const std::string& id, const std::string& json, const Bytes& blob) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_bind_text(insert, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, json.data(), static_cast<int>(json.size()), SQLITE_STATIC);
    sqlite3_bind_blob(insert, 3, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
    bool ok = sqlite3_step(insert) == SQLITE_DONE;
    sqlite3_reset(insert);
    return ok && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

void BM_CaptureVsBareInsert(benchmark::State& state) {
  const std::filesystem::path dir = BenchDir();
  Result<X25519KeyPair> central = X25519KeyPair::Generate();
  Result<EpochSealer> sealer = EpochSealer::Create(central->public_key(), SystemClock::Instance());
  Result<CaptureStore> store = CaptureStore::Open((dir / "capture.db").string(), &*sealer);
  if (!central.ok() || !sealer.ok() || !store.ok()) {
    state.SkipWithError("set-up failed");
    return;
  }
  BareSqlite bare((dir / "bare.db").string());
  UuidGenerator ids;
  // The bare row carries the same bytes a capture writes: public JSON + sealed fields.
  const FeedbackRecord sample = TypicalKioskRecord(ids);
  const std::string sample_json = RecordToJson(PublicPart(sample)).dump();
  const Bytes sample_blob(SensitiveJson(sample).size() + 28, 0xab);

  std::vector<double> capture_us, bare_us;
  for (auto _ : state) {
    FeedbackRecord r = TypicalKioskRecord(ids);
    auto t0 = std::chrono::steady_clock::now();
    Status s = store->Capture(r);
    auto t1 = std::chrono::steady_clock::now();
    bool bare_ok = bare.Insert(ids.NextV7().ToString(), sample_json, sample_blob);
    auto t2 = std::chrono::steady_clock::now();
    if (!s.ok() || !bare_ok) {
      state.SkipWithError(s.ok() ? "bare insert failed" : s.ToString().c_str());
      break;
    }
    capture_us.push_back(Micros(t1 - t0).count());
    bare_us.push_back(Micros(t2 - t1).count());
  }
  if (!capture_us.empty()) {
    const double cap50 = Percentile(capture_us, 0.50), cap99 = Percentile(capture_us, 0.99);
    const double bare50 = Percentile(bare_us, 0.50), bare99 = Percentile(bare_us, 0.99);
    state.counters["capture_p50_us"] = cap50;
    state.counters["capture_p99_us"] = cap99;
    state.counters["bare_p50_us"] = bare50;
    state.counters["bare_p99_us"] = bare99;
    state.counters["ratio_p50"] = cap50 / bare50;
    state.counters["ratio_p99"] = cap99 / bare99;
    std::printf("capture latency over %zu captures: p50 %.1f us vs bare %.1f us (ratio %.2f), "
                "p99 %.1f us vs bare %.1f us (ratio %.2f); target ratio <= 1.3\n",
                capture_us.size(), cap50, bare50, cap50 / bare50, cap99, bare99, cap99 / bare99);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_CaptureVsBareInsert)->Iterations(3000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace feedback

BENCHMARK_MAIN();
