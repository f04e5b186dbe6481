// BatchStore: the store's role for ingest - the answers already given to
// batches (replays get the same answer) and the one transaction that stores
// a prepared batch (prepared_batch.h). One of the role interfaces
// CentralStore aggregates (central_store.h).
//
// Threading and errors: as CentralStore.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/result.h"
#include "protocol/messages.h"
#include "sync/central/store/prepared_batch.h"

namespace feedback::central {

// A batch the store has already answered (replays get the same answer).
struct StoredBatch {
  int64_t seq = 0;
  Bytes digest;
  std::string answer_json;
};

// A quarantined record as operators see it (`feedback-central quarantine`).
struct QuarantinedRecord {
  std::string device_id;
  std::string site_id;
  int64_t batch_seq = 0;
  std::string record_id;
  std::string reason;
  TimeMs received_at = 0;
};

// What CommitBatch did.
struct CommitOutcome {
  enum class Kind { kStored, kReplayed, kConflict, kDeviceRevoked, kDeviceUnknown };
  Kind kind = Kind::kStored;
  protocol::BatchAck ack;   // kStored
  std::string answer_json;  // kStored and kReplayed: the exact answer body
  int64_t last_seq = 0;     // kConflict: the last seq accepted from the device
};

class BatchStore {
 public:
  virtual ~BatchStore() = default;

  // The stored answer for (device, seq), if any.
  virtual Result<std::optional<StoredBatch>> FindBatch(const std::string& device_id,
                                                       int64_t seq) = 0;
  // Everything of one batch in ONE transaction: re-checks the device and the
  // seq (a concurrent duplicate is answered as a replay), inserts records with
  // their id as idempotency key, quarantine rows, rollups, hero stories and
  // follow-ups for the records that are new, the batch row with its answer,
  // and the device's last seq / backlog / last batch time.
  virtual Result<CommitOutcome> CommitBatch(const PreparedBatch& batch) = 0;

  // The newest `limit` quarantined records (of one device when device_id is
  // not empty), newest first.
  virtual Result<std::vector<QuarantinedRecord>> ListQuarantine(const std::string& device_id,
                                                                int limit) = 0;
};

}  // namespace feedback::central
