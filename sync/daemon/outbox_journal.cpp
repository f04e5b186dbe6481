#include "daemon/outbox_journal.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace feedback::sync {

Result<JournalState> OutboxJournal::Load(CaptureStore& store) {
  Result<std::string> text = store.GetSetting(kSettingSyncOutbox);
  if (!text.ok()) {
    if (text.status().code() == Status::Code::kNotFound) return JournalState{};
    return text.status();
  }
  const auto corrupt = [](const std::string& why) {
    return Status::Corruption("sync journal (setting '" + std::string(kSettingSyncOutbox) +
                              "') is unreadable: " + why +
                              "; stop feedback-sync, back up the capture DB and report it");
  };
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("next_seq") || !j["next_seq"].is_number_integer()) {
    return corrupt("no integer next_seq");
  }
  JournalState state;
  state.next_seq = j["next_seq"].get<int64_t>();
  if (state.next_seq < 1) return corrupt("next_seq below 1");
  auto it = j.find("inflight");
  if (it != j.end() && !it->is_null()) {
    const nlohmann::json& f = *it;
    if (!f.is_object() || !f.contains("seq") || !f["seq"].is_number_integer() ||
        !f.contains("ids") || !f["ids"].is_array() || !f.contains("envelope") ||
        !f["envelope"].is_string()) {
      return corrupt("malformed inflight batch");
    }
    InflightBatch inflight;
    inflight.seq = f["seq"].get<int64_t>();
    for (const nlohmann::json& id : f["ids"]) {
      if (!id.is_string()) return corrupt("non-string record id");
      inflight.record_ids.push_back(id.get<std::string>());
    }
    Result<Bytes> envelope = Base64Decode(f["envelope"].get<std::string>());
    if (!envelope.ok()) return corrupt("envelope is not base64");
    inflight.envelope = std::move(envelope).value();
    state.inflight = std::move(inflight);
  }
  return state;
}

Status OutboxJournal::Save(CaptureStore& store, const JournalState& state) {
  nlohmann::json j = {{"next_seq", state.next_seq}, {"inflight", nullptr}};
  if (state.inflight) {
    j["inflight"] = {{"seq", state.inflight->seq},
                     {"ids", state.inflight->record_ids},
                     {"envelope", Base64Encode(state.inflight->envelope)}};
  }
  return store.SetSetting(kSettingSyncOutbox, j.dump());
}

Status OutboxJournal::Begin(CaptureStore& store, JournalState& state, InflightBatch batch) {
  if (state.inflight) {
    return Status::Internal("batch " + std::to_string(batch.seq) + " begun while batch " +
                            std::to_string(state.inflight->seq) + " is still in flight");
  }
  if (batch.seq != state.next_seq) {
    return Status::Internal("batch seq " + std::to_string(batch.seq) +
                            " is not the journal's next " + std::to_string(state.next_seq));
  }
  JournalState next = state;
  next.next_seq = batch.seq + 1;
  next.inflight = std::move(batch);
  FEEDBACK_RETURN_IF_ERROR(Save(store, next));
  state = std::move(next);
  return store.AssignToBatch(state.inflight->seq, state.inflight->record_ids);
}

Status OutboxJournal::Complete(CaptureStore& store, JournalState& state) {
  if (!state.inflight) return Status::Internal("no batch in flight to complete");
  FEEDBACK_RETURN_IF_ERROR(store.Acknowledge(state.inflight->seq));
  JournalState next = state;
  next.inflight.reset();
  FEEDBACK_RETURN_IF_ERROR(Save(store, next));
  state = std::move(next);
  return Status::Ok();
}

Status OutboxJournal::Abandon(CaptureStore& store, JournalState& state, int64_t next_seq) {
  if (!state.inflight) return Status::Internal("no batch in flight to abandon");
  FEEDBACK_RETURN_IF_ERROR(store.ReleaseBatch(state.inflight->seq));
  JournalState next = state;
  next.next_seq = std::max({next_seq, state.next_seq, state.inflight->seq + 1});
  next.inflight.reset();
  FEEDBACK_RETURN_IF_ERROR(Save(store, next));
  state = std::move(next);
  return Status::Ok();
}

Status OutboxJournal::Repair(CaptureStore& store, const JournalState& state) {
  if (!state.inflight) return Status::Ok();
  std::vector<std::string> still_pending;
  for (const std::string& id : state.inflight->record_ids) {
    Result<StoredRecord> r = store.Get(id);
    if (!r.ok()) {
      return r.status().WithContext("repairing in-flight batch " +
                                    std::to_string(state.inflight->seq));
    }
    if (r->state == OutboxState::kPending) still_pending.push_back(id);
  }
  if (still_pending.empty()) return Status::Ok();
  return store.AssignToBatch(state.inflight->seq, still_pending);
}

}  // namespace feedback::sync
