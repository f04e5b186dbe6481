#include "daemon/outbox_journal.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace feedback::sync {
namespace {

std::string SeqJson(int64_t next_seq) { return nlohmann::json{{"next_seq", next_seq}}.dump(); }

Status Corrupt(const std::string& why) {
  return Status::Corruption("sync journal (setting '" + std::string(kSettingSyncOutbox) +
                            "') is unreadable: " + why +
                            "; stop feedback-sync, back up the capture DB and report it");
}

// A batch journalled by an older feedback-sync inside the settings row.
struct LegacyInflight {
  int64_t seq = 0;
  std::vector<std::string> record_ids;
  Bytes envelope;
};

Status TakeOverLegacyBatch(CaptureStore& store, int64_t next_seq, const LegacyInflight& inflight) {
  // Its journal row was written before its records moved, so some may still
  // be pending (a crash in between): they rejoin the batch.
  std::vector<std::string> still_pending;
  for (const std::string& id : inflight.record_ids) {
    Result<StoredRecord> r = store.Get(id);
    if (!r.ok()) {
      return r.status().WithContext("taking over in-flight batch " + std::to_string(inflight.seq));
    }
    if (r->state == OutboxState::kPending) still_pending.push_back(id);
  }
  OutboxUpdate update(store);
  FEEDBACK_RETURN_IF_ERROR(update.Begin());
  FEEDBACK_RETURN_IF_ERROR(update.PutJournalledBatch(
      {inflight.seq, static_cast<int64_t>(inflight.record_ids.size()), inflight.envelope}));
  FEEDBACK_RETURN_IF_ERROR(update.AssignToBatch(inflight.seq, still_pending));
  FEEDBACK_RETURN_IF_ERROR(update.SetSetting(kSettingSyncOutbox, SeqJson(next_seq)));
  return update.Commit();
}

}  // namespace

Result<JournalState> OutboxJournal::Load(CaptureStore& store) {
  JournalState state;
  Result<std::string> text = store.GetSetting(kSettingSyncOutbox);
  if (!text.ok() && text.status().code() != Status::Code::kNotFound) return text.status();
  if (text.ok()) {
    nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("next_seq") || !j["next_seq"].is_number_integer()) {
      return Corrupt("no integer next_seq");
    }
    state.next_seq = j["next_seq"].get<int64_t>();
    if (state.next_seq < 1) return Corrupt("next_seq below 1");
    auto it = j.find("inflight");
    if (it != j.end() && !it->is_null()) {
      const nlohmann::json& f = *it;
      if (!f.is_object() || !f.contains("seq") || !f["seq"].is_number_integer() ||
          !f.contains("ids") || !f["ids"].is_array() || !f.contains("envelope") ||
          !f["envelope"].is_string()) {
        return Corrupt("malformed inflight batch");
      }
      LegacyInflight inflight;
      inflight.seq = f["seq"].get<int64_t>();
      for (const nlohmann::json& id : f["ids"]) {
        if (!id.is_string()) return Corrupt("non-string record id");
        inflight.record_ids.push_back(id.get<std::string>());
      }
      Result<Bytes> envelope = Base64Decode(f["envelope"].get<std::string>());
      if (!envelope.ok()) return Corrupt("envelope is not base64");
      inflight.envelope = std::move(envelope).value();
      FEEDBACK_RETURN_IF_ERROR(TakeOverLegacyBatch(store, state.next_seq, inflight));
    }
  }
  FEEDBACK_ASSIGN_OR_RETURN(state.batches, store.JournalledBatches());
  if (!state.batches.empty()) {
    state.next_seq = std::max(state.next_seq, state.batches.back().seq + 1);
  }
  return state;
}

Status OutboxJournal::Advance(CaptureStore& store, JournalState& state, const JournalStep& step) {
  if (step.acknowledge_oldest && state.batches.empty()) {
    return Status::Internal("no journalled batch to acknowledge");
  }
  if (step.begin != nullptr && step.begin->seq != state.next_seq) {
    return Status::Internal("batch seq " + std::to_string(step.begin->seq) +
                            " is not the journal's next " + std::to_string(state.next_seq));
  }
  OutboxUpdate update(store);
  FEEDBACK_RETURN_IF_ERROR(update.Begin());
  if (step.acknowledge_oldest) {
    const int64_t seq = state.batches.front().seq;
    FEEDBACK_RETURN_IF_ERROR(update.Acknowledge(seq));
    FEEDBACK_RETURN_IF_ERROR(update.DeleteJournalledBatch(seq));
    FEEDBACK_RETURN_IF_ERROR(
        update.SetSetting(kSettingSyncLastSuccess, std::to_string(step.acknowledged_at)));
  }
  JournalledBatch journalled;
  if (step.begin != nullptr) {
    // The records' rows stay as they are: the journal row's range names them
    // (PutJournalledBatch refuses a range that is not exactly theirs).
    journalled = {step.begin->seq, static_cast<int64_t>(step.begin->record_ids.size()),
                  step.begin->envelope, step.begin->first_rowid, step.begin->last_rowid};
    FEEDBACK_RETURN_IF_ERROR(update.PutJournalledBatch(journalled));
    FEEDBACK_RETURN_IF_ERROR(update.SetSetting(kSettingSyncOutbox, SeqJson(journalled.seq + 1)));
  }
  FEEDBACK_RETURN_IF_ERROR(update.Commit());
  if (step.acknowledge_oldest) state.batches.erase(state.batches.begin());
  if (step.begin != nullptr) {
    state.next_seq = journalled.seq + 1;
    state.batches.push_back(std::move(journalled));
  }
  return Status::Ok();
}

Status OutboxJournal::Abandon(CaptureStore& store, JournalState& state, int64_t next_seq) {
  int64_t next = std::max(next_seq, state.next_seq);
  OutboxUpdate update(store);
  FEEDBACK_RETURN_IF_ERROR(update.Begin());
  for (const JournalledBatch& b : state.batches) {
    FEEDBACK_RETURN_IF_ERROR(update.ReleaseBatch(b.seq));
    FEEDBACK_RETURN_IF_ERROR(update.DeleteJournalledBatch(b.seq));
    next = std::max(next, b.seq + 1);
  }
  FEEDBACK_RETURN_IF_ERROR(update.SetSetting(kSettingSyncOutbox, SeqJson(next)));
  FEEDBACK_RETURN_IF_ERROR(update.Commit());
  state.batches.clear();
  state.next_seq = next;
  return Status::Ok();
}

}  // namespace feedback::sync
