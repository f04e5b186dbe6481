#include "daemon/batch_builder.h"

#include <algorithm>
#include <map>

#include "protocol/batch_codec.h"
#include "protocol/limits.h"

namespace feedback::sync {

protocol::Batch MakeBatch(const BatchIdentity& identity, int64_t seq, TimeMs created,
                          int64_t backlog, const std::vector<StoredRecord>& records) {
  protocol::Batch batch;
  batch.version = protocol::kProtocolVersion;
  batch.device_id = identity.device_id;
  batch.site_id = identity.site_id;
  batch.seq = seq;
  batch.created = created;
  batch.backlog = std::max<int64_t>(backlog, 0);
  std::map<std::string, const Bytes*> epochs;
  batch.records.reserve(records.size());
  for (const StoredRecord& stored : records) {
    protocol::BatchRecord out;
    out.pub = RecordToJson(PublicPart(stored.record));
    if (!stored.epoch_id.empty()) {
      out.epoch_id = stored.epoch_id;
      out.sealed = stored.sealed_fields;
      epochs.emplace(stored.epoch_id, &stored.sealed_epoch_key);
    }
    batch.records.push_back(std::move(out));
  }
  for (const auto& [id, key] : epochs) batch.epochs.push_back({id, *key});
  return batch;
}

Result<std::optional<BuiltBatch>> BuildNextBatch(CaptureStore& store, const BatchIdentity& identity,
                                                 const Ed25519PrivateKey& device_key, int64_t seq,
                                                 TimeMs now, size_t max_records) {
  max_records = std::clamp<size_t>(max_records, 1, protocol::kMaxRecordsPerBatch);
  FEEDBACK_ASSIGN_OR_RETURN(std::vector<StoredRecord> pending,
                            store.Pending(static_cast<int>(max_records)));
  if (pending.empty()) return std::optional<BuiltBatch>();
  // Fewer than asked for means these are all; only a full page needs the
  // count (Counts() scans the table, so the common small batch skips it).
  int64_t total_pending = static_cast<int64_t>(pending.size());
  if (pending.size() == max_records) {
    FEEDBACK_ASSIGN_OR_RETURN(OutboxCounts counts, store.Counts());
    total_pending = counts.pending;
  }

  size_t take = pending.size();
  while (true) {
    std::vector<StoredRecord> chosen(pending.begin(),
                                     pending.begin() + static_cast<std::ptrdiff_t>(take));
    const int64_t backlog = total_pending - static_cast<int64_t>(take);
    protocol::Batch batch = MakeBatch(identity, seq, now, backlog, chosen);
    Result<Bytes> envelope = protocol::EncodeBatch(batch, device_key);
    if (envelope.ok()) {
      BuiltBatch built;
      built.seq = seq;
      built.envelope = std::move(envelope).value();
      built.record_ids.reserve(take);
      for (const StoredRecord& r : chosen) built.record_ids.push_back(r.record.id);
      return std::optional<BuiltBatch>(std::move(built));
    }
    if (envelope.status().code() != Status::Code::kResourceExhausted) {
      return envelope.status().WithContext("building batch " + std::to_string(seq));
    }
    if (take == 1) {
      return Status::ResourceExhausted(
          "record " + pending.front().record.id + " alone does not fit in a batch (" +
          envelope.status().message() + "); it stays on the device - report this as a bug");
    }
    take /= 2;
  }
}

}  // namespace feedback::sync
