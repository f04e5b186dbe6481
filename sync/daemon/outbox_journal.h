// OutboxJournal: the daemon's crash-safe memory of which batch it is sending.
// One settings row of the capture store ("sync.outbox", JSON) holds the next
// sequence number and the in-flight batch: its seq, record ids and the exact
// signed envelope. The order of steps makes every crash point recoverable:
//
//   Begin:    journal {inflight S, next S+1}  ->  records pending -> in batch S
//   Complete: records in batch S -> acknowledged  ->  journal {no inflight}
//   Abandon:  records in batch S -> pending  ->  journal {no inflight, next N}
//
// After a restart, Repair() re-assigns any journalled record that is still
// pending, and the daemon re-sends the journalled envelope byte for byte, so
// the central store either ingests batch S or recognises it (same seq, same
// SHA-256) and repeats its earlier answer. Records are never deleted.
//
// Threading: used by the sync loop only; borrows the store per call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "store/capture_store.h"

namespace feedback::sync {

inline constexpr char kSettingSyncOutbox[] = "sync.outbox";

struct InflightBatch {
  int64_t seq = 0;
  std::vector<std::string> record_ids;
  Bytes envelope;

  bool operator==(const InflightBatch&) const = default;
};

struct JournalState {
  int64_t next_seq = 1;
  std::optional<InflightBatch> inflight;

  bool operator==(const JournalState&) const = default;
};

class OutboxJournal {
 public:
  // The journal, or a fresh one (next seq 1) when the device never synced.
  // Corruption when the row exists but cannot be parsed.
  static Result<JournalState> Load(CaptureStore& store);
  static Status Save(CaptureStore& store, const JournalState& state);

  // Journals batch seq (which must equal state.next_seq) as in flight and
  // moves its records into it.
  static Status Begin(CaptureStore& store, JournalState& state, InflightBatch batch);
  // The central store has the batch: acknowledge its records, clear it.
  static Status Complete(CaptureStore& store, JournalState& state);
  // The batch will not be sent again (409/413): its records go back to
  // pending, and the next batch uses at least next_seq.
  static Status Abandon(CaptureStore& store, JournalState& state, int64_t next_seq);
  // After a restart: journalled records still pending rejoin the batch.
  static Status Repair(CaptureStore& store, const JournalState& state);
};

}  // namespace feedback::sync
