#include "daemon/batch_builder.h"

#include <algorithm>

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

BatchBuilder::BatchBuilder(BatchIdentity identity, const Ed25519PrivateKey& device_key)
    : identity_(std::move(identity)), device_key_(device_key) {}

Result<std::optional<BuiltBatch>> BatchBuilder::BuildNext(CaptureStore& store, int64_t seq,
                                                          TimeMs now, size_t max_records) {
  max_records = std::clamp<size_t>(max_records, 1, protocol::kMaxRecordsPerBatch);
  FEEDBACK_RETURN_IF_ERROR(store.ReadPendingForSync(static_cast<int>(max_records), &pending_));
  if (pending_.empty()) return std::optional<BuiltBatch>();
  // Fewer than asked for means these are all; only a full page needs the count.
  int64_t total_pending = static_cast<int64_t>(pending_.size());
  if (pending_.size() == max_records) {
    FEEDBACK_ASSIGN_OR_RETURN(total_pending, store.PendingCount());
  }

  size_t take = pending_.size();
  while (true) {
    const int64_t backlog = std::max<int64_t>(total_pending - static_cast<int64_t>(take), 0);
    Result<Bytes> envelope = Encode(store, seq, now, backlog, take);
    if (envelope.ok()) {
      BuiltBatch built;
      built.seq = seq;
      built.envelope = std::move(envelope).value();
      built.record_ids.reserve(take);
      for (size_t i = 0; i < take; ++i) built.record_ids.push_back(pending_[i].id);
      built.first_rowid = pending_.front().rowid;
      built.last_rowid = pending_[take - 1].rowid;
      return std::optional<BuiltBatch>(std::move(built));
    }
    if (envelope.status().code() != Status::Code::kResourceExhausted) {
      return envelope.status().WithContext("building batch " + std::to_string(seq));
    }
    if (take == 1) {
      return Status::ResourceExhausted(
          "record " + pending_.front().id + " alone does not fit in a batch (" +
          envelope.status().message() + "); it stays on the device - report this as a bug");
    }
    take /= 2;
  }
}

Result<Bytes> BatchBuilder::Encode(CaptureStore& store, int64_t seq, TimeMs now, int64_t backlog,
                                   size_t take) {
  protocol::RawBatch batch;
  batch.device_id = identity_.device_id;
  batch.site_id = identity_.site_id;
  batch.seq = seq;
  batch.created = now;
  batch.backlog = backlog;
  raw_.clear();
  std::vector<std::string_view> epoch_ids;
  for (size_t i = 0; i < take; ++i) {
    const OutboxRecord& r = pending_[i];
    raw_.push_back({r.public_json, r.epoch_id, r.sealed_fields});
    if (!r.epoch_id.empty() &&
        (epoch_ids.empty() || epoch_ids.back() != r.epoch_id)) {  // most runs share one epoch
      epoch_ids.push_back(r.epoch_id);
    }
  }
  // Each epoch once, in id order (as MakeBatch lists them).
  std::sort(epoch_ids.begin(), epoch_ids.end());
  epoch_ids.erase(std::unique(epoch_ids.begin(), epoch_ids.end()), epoch_ids.end());
  for (std::string_view id : epoch_ids) {
    auto it = epoch_keys_.find(id);
    if (it == epoch_keys_.end()) {
      Result<Bytes> key = store.SealedEpochKey(std::string(id));
      if (!key.ok()) {
        return key.status().WithContext("the epoch key of a pending record (epoch " +
                                        std::string(id) + ")");
      }
      it = epoch_keys_.emplace(std::string(id), std::move(key).value()).first;
    }
    batch.epochs.push_back({it->first, it->second});
  }
  batch.records = raw_;
  return encoder_.Encode(batch, device_key_);
}

Result<std::optional<BuiltBatch>> BuildNextBatch(CaptureStore& store, const BatchIdentity& identity,
                                                 const Ed25519PrivateKey& device_key, int64_t seq,
                                                 TimeMs now, size_t max_records) {
  BatchBuilder builder(identity, device_key);
  return builder.BuildNext(store, seq, now, max_records);
}

}  // namespace feedback::sync
