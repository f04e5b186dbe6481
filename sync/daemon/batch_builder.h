// BatchBuilder: turns the oldest pending records of the capture store into
// one signed batch envelope (docs/protocol.md "Batch format") that respects
// the protocol's bounds: at most max_records records (<= 1000) and a payload
// that compresses to at most 1 MiB. When the encoder reports the payload too
// large it halves the record count and tries again, so a run of unusually
// large records still goes out, only in smaller batches.
//
// Records go into the batch as stored: one indexed read of the pending rows,
// each public part passed from its stored JSON text to MessagePack by
// protocol::BatchEncoder without parsing it into a record and re-encoding it
// (Capture() stored exactly RecordToJson(PublicPart(record)), which is what
// the protocol's `pub` is). The backlog is counted on the outbox index, and
// only when the page was full (fewer than asked for means there is no more).
//
// The builder only reads the store: the pending records after the newest
// journalled batch, so no record goes into two batches. Journalling the batch
// (its envelope and its records' rowid range) is the caller's next step (see
// OutboxJournal), so that nothing changes state until the envelope exists.
// The builder then reads past the new batch's range.
//
// Threading: a BatchBuilder belongs to one thread at a time (it keeps its
// buffers, the epoch keys it has read and its zstd context between batches);
// it borrows the device key, which must outlive it. The store is borrowed per
// call and must belong to the same thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/result.h"
#include "crypto/ed25519_private_key.h"
#include "protocol/batch.h"
#include "protocol/batch_encoder.h"
#include "store/capture_store.h"

namespace feedback::sync {

struct BuiltBatch {
  int64_t seq = 0;
  std::vector<std::string> record_ids;
  Bytes envelope;  // what is POSTed, byte for byte, on every attempt
  // The rowids of its first and last record: every pending record between
  // them is in this batch (it took the oldest pending records, in capture order).
  int64_t first_rowid = 0;
  int64_t last_rowid = 0;
};

struct BatchIdentity {
  std::string device_id;
  std::string site_id;
};

class BatchBuilder {
 public:
  BatchBuilder(BatchIdentity identity, const Ed25519PrivateKey& device_key);

  // The next batch from the store's pending records, or nullopt when nothing
  // is pending. Fails when the store cannot be read, with InvalidArgument
  // naming the field when a stored record cannot go into a batch (e.g. a
  // public part that is not a JSON object), or with
  // ResourceExhausted when even a single record does not fit a batch (the
  // record stays pending; the message names it).
  Result<std::optional<BuiltBatch>> BuildNext(CaptureStore& store, int64_t seq, TimeMs now,
                                              size_t max_records);

 private:
  Result<Bytes> Encode(CaptureStore& store, int64_t seq, TimeMs now, int64_t backlog, size_t take);

  BatchIdentity identity_;
  const Ed25519PrivateKey& device_key_;
  protocol::BatchEncoder encoder_;
  std::vector<OutboxRecord> pending_;                     // reused page of pending records
  std::vector<protocol::RawBatchRecord> raw_;             // views into pending_
  std::map<std::string, Bytes, std::less<>> epoch_keys_;  // an epoch's key never changes
};

// One-shot BuildNext() with a fresh builder (tests, tools).
Result<std::optional<BuiltBatch>> BuildNextBatch(CaptureStore& store, const BatchIdentity& identity,
                                                 const Ed25519PrivateKey& device_key, int64_t seq,
                                                 TimeMs now, size_t max_records);

// The protocol Batch object for these stored records (no I/O, no signing),
// for protocol::EncodeBatch(): the bench's batches made without a capture
// store, and the tests that check BatchBuilder makes the same bytes.
protocol::Batch MakeBatch(const BatchIdentity& identity, int64_t seq, TimeMs created,
                          int64_t backlog, const std::vector<StoredRecord>& records);

}  // namespace feedback::sync
