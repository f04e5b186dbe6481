// OutboxJournal: the daemon's crash-safe memory of the batches it is sending.
// The capture store's outbox_batches table holds every batch that was built
// and signed but is not yet acknowledged - its seq, record count, exact
// envelope and its records' rowid range - and the settings row "sync.outbox"
// (JSON) the next sequence number. A record in a journalled batch keeps its
// row (pending) until the batch is acknowledged; the builder reads only the
// pending records after the newest range. Each step is one transaction (one
// fsync), so the records' states and the journal always agree:
//
//   Advance: [the oldest batch A: A's records -> acknowledged (their one row
//             write), its row removed, sync.last_success_ms set]
//            [a new batch B: its row written (B's records untouched), next
//             seq B+1]
//   Abandon: the rows of every journalled batch removed, so their records
//            are pending again (a batch an older daemon journalled: its
//            records' rows -> pending), next seq at least N (after 409/413
//            they are never sent)
//
// So a batch is journalled before it is first sent, and its records are
// acknowledged only in the step that records the central store's 200. The
// daemon sends journalled batches oldest first, one at a time; with several
// journalled (the next one is journalled while the one before is in flight),
// a restart re-sends each, in order and byte for byte, and the central store
// either ingests it or recognises it (same seq, same SHA-256) and repeats its
// earlier answer. Records are never deleted.
//
// Load() also takes over a journal written by an older feedback-sync, which
// kept one in-flight batch (seq, record ids, envelope) inside "sync.outbox":
// that batch moves into the table, with its records that were still pending
// (marked in batch in their rows, as that daemon did; such a batch has no
// rowid range).
//
// Threading: plain functions; the store and state are borrowed per call (the
// sync engine may run a step on its worker thread, with the worker's own
// store connection and its own copy of the state).
#pragma once

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "daemon/batch_builder.h"
#include "store/capture_store.h"

namespace feedback::sync {

inline constexpr char kSettingSyncOutbox[] = "sync.outbox";

struct JournalState {
  int64_t next_seq = 1;
  std::vector<JournalledBatch> batches;  // oldest first: batches.front() is sent next

  bool operator==(const JournalState&) const = default;
};

struct JournalStep {
  // The central store answered 200 for batches.front().
  bool acknowledge_oldest = false;
  TimeMs acknowledged_at = 0;  // becomes kSettingSyncLastSuccess
  // A new batch to journal; its seq must be state.next_seq.
  const BuiltBatch* begin = nullptr;
};

class OutboxJournal {
 public:
  // The journal, or a fresh one (next seq 1) when the device never synced.
  // Corruption when the settings row exists but cannot be parsed.
  static Result<JournalState> Load(CaptureStore& store);

  // Does step in one transaction; state changes only if it committed.
  // Internal for a step that breaks the rules above (a bug); Conflict when the
  // new batch's range overlaps a journalled batch or does not hold exactly
  // its records as pending records.
  static Status Advance(CaptureStore& store, JournalState& state, const JournalStep& step);

  // Every journalled batch will not be sent again (409/413): its records go
  // back to pending, and the next batch uses at least next_seq (never a seq
  // already used).
  static Status Abandon(CaptureStore& store, JournalState& state, int64_t next_seq);
};

}  // namespace feedback::sync
