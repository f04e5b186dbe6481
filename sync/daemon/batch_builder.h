// BatchBuilder: turns the oldest pending records of the capture store into
// one signed batch envelope (docs/protocol.md "Batch format") that respects
// the protocol's bounds: at most max_records records (<= 1000) and a payload
// that compresses to at most 1 MiB. When the encoder reports the payload too
// large it halves the record count and tries again, so a run of unusually
// large records still goes out, only in smaller batches.
//
// The builder only reads the store; assigning the records to the batch's seq
// is the caller's next step (see OutboxJournal), so that nothing changes
// state until the envelope exists.
//
// Threading: plain functions; the store and key are borrowed for the call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/result.h"
#include "crypto/ed25519_private_key.h"
#include "protocol/batch.h"
#include "store/capture_store.h"

namespace feedback::sync {

struct BuiltBatch {
  int64_t seq = 0;
  std::vector<std::string> record_ids;
  Bytes envelope;  // what is POSTed, byte for byte, on every attempt
};

struct BatchIdentity {
  std::string device_id;
  std::string site_id;
};

// The protocol Batch object for these stored records (no I/O, no signing).
protocol::Batch MakeBatch(const BatchIdentity& identity, int64_t seq, TimeMs created,
                          int64_t backlog, const std::vector<StoredRecord>& records);

// Builds the next batch from the store's pending records, or nullopt when
// nothing is pending. Fails when the store cannot be read, or with
// ResourceExhausted when even a single record does not fit a batch (the
// record stays pending; the message names it).
Result<std::optional<BuiltBatch>> BuildNextBatch(CaptureStore& store, const BatchIdentity& identity,
                                                 const Ed25519PrivateKey& device_key, int64_t seq,
                                                 TimeMs now, size_t max_records);

}  // namespace feedback::sync
