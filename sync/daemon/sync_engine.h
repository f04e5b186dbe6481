// SyncEngine: the device half of the sync protocol (docs/protocol.md), one
// step at a time, over a Transport.
//
//   PushOnce()  sends the oldest journalled batch (again), or builds,
//               journals and sends the next one (OutboxJournal); acknowledges
//               its records only after the central store's 200 answer. One
//               batch is in flight at a time, in seq order.
//               While a backlog drains, the device's own work is kept off the
//               critical path: while batch N is in flight, a worker thread (its
//               own store connection) builds and journals N+1; once the 200
//               for N arrives, N+1 is sent at once, and the worker
//               acknowledges N and journals N+2 in one transaction while N+1
//               is in flight. So each batch costs the device one fsynced
//               commit, and the time between batches is only the wait for the
//               worker if it has not finished (docs/sync.md "Pipelining").
//   PullOnce()  fetches GET /api/v1/device/state and stores what the device
//               should show: surveys (each validated with ParseSurveyDefinition
//               before it is stored), the roster, published hero stories and
//               branding.
//   Run()       the daemon loop: drain the backlog batch after batch, pull each
//               interval, wait with exponential backoff + full jitter after a
//               transient failure, honour 429 Retry-After, back off long after
//               a permanent refusal (400/401/403, pin mismatch) - records are
//               never deleted - and return promptly once the StopSignal fires.
//
// Status for the apps and `feedback-sync status` goes to the capture store's
// settings: kSettingSyncLastSuccess (ms) and kSettingSyncLastError (empty when
// healthy; "<ISO time> <what failed and what to do>" otherwise).
//
// Threading: one thread (the daemon's main loop) calls the engine; the only
// other thread is the short-lived journal worker, which uses its own store
// connection, its own BatchBuilder and the (thread-safe, const) device key,
// and works on a copy of the journal state that replaces the engine's when
// it is joined - always before the engine changes the journal itself, before
// the next worker starts and before the engine is destroyed. Borrows config,
// store, key, transport, clock and stop signal; all must outlive the engine.
#pragma once

#include <cstdint>
#include <future>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "crypto/ed25519_private_key.h"
#include "daemon/backoff.h"
#include "daemon/batch_builder.h"
#include "daemon/outbox_journal.h"
#include "daemon/stop_signal.h"
#include "daemon/transport.h"
#include "device/device_config.h"
#include "store/capture_store.h"

namespace feedback::sync {

inline constexpr char kSettingBranding[] = "central.branding";  // JSON from the device state

struct SyncOptions {
  TimeMs interval_ms = 30'000;          // how often to look for new records and pull state
  size_t max_records_per_batch = 1000;  // protocol maximum; lowered after a 413
  BackoffOptions backoff;
  uint64_t seed = 0;  // 0: random
  bool prebuild = true;  // journal the next batch while one is in flight (see PushOnce)
};

enum class PushOutcome {
  kNothingToSend,  // the outbox is empty
  kDelivered,      // the central store answered 200 for a batch
  kTransient,      // network failure, 5xx, 409/413 recovered: retry with backoff
  kRateLimited,    // 429: retry after retry_after_seconds
  kPermanent,      // 400/401/403 or certificate pin mismatch: keep records, back off long
};

struct PushResult {
  PushOutcome outcome = PushOutcome::kNothingToSend;
  int64_t seq = 0;
  int64_t records = 0;
  int64_t stored = 0;  // from the central answer
  int64_t duplicates = 0;
  int64_t quarantined = 0;
  int64_t retry_after_seconds = 0;
  std::string error;  // for anything but kDelivered / kNothingToSend
};

struct PullResult {
  bool ok = false;
  bool permanent = false;  // 400/401/403 or pin mismatch
  int surveys_stored = 0;
  int surveys_rejected = 0;
  std::string error;
};

struct SyncCounters {
  int64_t batches_delivered = 0;
  int64_t records_delivered = 0;
  int64_t transient_failures = 0;
  int64_t permanent_failures = 0;
  int64_t rate_limited = 0;
  int64_t pulls = 0;
};

// What one step of SyncEngine's journal worker did (internal to SyncEngine;
// at namespace scope so std::future can hold it).
struct JournalWorkerTimes {
  double build_ms = 0;
  double commit_ms = 0;
  int64_t built_records = 0;
};
struct JournalWorkerStep {
  JournalState journal;  // the state after the step
  JournalWorkerTimes times;
};

class SyncEngine {
 public:
  SyncEngine(const DeviceConfig& config, CaptureStore& store, const Ed25519PrivateKey& device_key,
             Transport& transport, const Clock& clock, StopSignal& stop, SyncOptions options);

  // Loads the outbox journal and repairs an interrupted batch. Call once
  // before anything else; fails only when the store cannot be read.
  Status Init();

  // Local store failures (disk full, corruption) are errors; every network or
  // central-store outcome is a PushResult / PullResult.
  Result<PushResult> PushOnce();
  Result<PullResult> PullOnce();

  // The daemon loop; returns when the StopSignal fires, or with an error when
  // the local store fails in a way retrying cannot fix.
  Status Run();

  // Pushes until the outbox is empty or a push does not deliver (tests, `sync --once`).
  Result<PushResult> DrainOnce();

  const SyncCounters& counters() const { return counters_; }
  // As of the last PushOnce(); the journal worker may still be completing a
  // step (the engine takes its result at the next push that needs it).
  const JournalState& journal() const { return journal_; }

 private:
  Result<HttpResponse> SendSigned(HttpRequest request, Status* transport_error);
  // Runs one OutboxJournal step on the worker: acknowledge the oldest batch
  // of `journal` and/or build and journal the next one.
  void StartWorker(JournalState journal, bool acknowledge_oldest, bool build_next);
  // Waits for the worker, if one runs, and takes its journal state. A failed
  // step leaves the store as it was before the step (one transaction), but
  // the engine's view may then be ahead of it: the error makes Run() reload.
  Status JoinWorker();

  // One push-then-pull round; sets *wait to the sleep before the next one.
  Status RunRound(TimeMs* wait);
  Status RecordSuccess();
  Status RecordError(const std::string& error);

  const DeviceConfig& config_;
  CaptureStore& store_;
  const Ed25519PrivateKey& device_key_;
  Transport& transport_;
  const Clock& clock_;
  StopSignal& stop_;
  SyncOptions options_;
  Backoff backoff_;
  JournalState journal_;
  SyncCounters counters_;
  std::string last_error_written_;
  bool initialized_ = false;
  TimeMs next_pull_ = 0;
  int64_t conflict_jump_ = 1;        // seq increment after a 409, doubling per conflict
  BatchBuilder builder_;             // batches built on the calling thread
  JournalWorkerTimes worker_times_;  // of the worker's last step, for the debug log
  // The journal worker's own connection and builder, made on first use.
  std::optional<CaptureStore> worker_store_;
  std::optional<BatchBuilder> worker_builder_;
  // Declared after what it uses: destroyed (and so joined) before them.
  std::future<Result<JournalWorkerStep>> worker_;
};

}  // namespace feedback::sync
