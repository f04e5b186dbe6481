#include "sync/central/ingest/ingestor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "crypto/secret_bytes.h"
#include "protocol/limits.h"

namespace feedback::central {
namespace {

using nlohmann::json;

int StatusForDecodeError(const Status& s) {
  return s.code() == Status::Code::kResourceExhausted ? 413 : 400;
}

bool IsStoreFailure(const Status& s) { return !s.ok() && s.code() != Status::Code::kNotFound; }

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// "; decode 3.1 ms, prepare 5.0 ms, commit 15.2 ms" for the batch log line.
std::string TimingNote(const IngestTimings& t) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "; decode %.1f ms, prepare %.1f ms, commit %.1f ms", t.decode_ms,
                t.prepare_ms, t.commit_ms);
  return buf;
}

// The record id a quarantine row is filed under: empty when unusable.
std::string UsableId(std::string_view id) {
  return !id.empty() && id.size() <= protocol::kMaxIdBytes ? std::string(id) : std::string();
}

// A 409 also says where the device's sequence stands, so it can renumber in one step.
ApiResponse WithLastSeq(ApiResponse a, int64_t last_seq) {
  json answer = json::parse(a.body, nullptr, /*allow_exceptions=*/false);
  if (answer.is_object()) {
    answer["last_seq"] = last_seq;
    a.body = answer.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return a;
}

std::string RecordIdOf(const json& pub) {
  auto it = pub.find("id");
  if (it != pub.end() && it->is_string()) return UsableId(it->get_ref<const std::string&>());
  return "";
}

}  // namespace

void AddContributions(const SurveyDefinition& def, const FeedbackRecord& r, PreparedRecord& out) {
  std::optional<int> worst_nps;
  std::optional<int> worst_csat;
  std::string comment;
  out.scores.reserve(r.answers.size());
  for (const Answer& a : r.answers) {
    const Question* q = def.Find(a.question_id);
    if (q == nullptr) continue;
    if (q->IsScore() && a.number) {
      out.scores.push_back({a.question_id, std::string(QuestionTypeName(q->type)), *a.number});
      if (q->type == QuestionType::kNps) {
        worst_nps = worst_nps ? std::min(*worst_nps, *a.number) : *a.number;
      }
      if (q->type == QuestionType::kCsat) {
        worst_csat = worst_csat ? std::min(*worst_csat, *a.number) : *a.number;
      }
    } else if (q->type == QuestionType::kChoice || q->type == QuestionType::kMulti) {
      for (const std::string& c : a.choices) out.choices.push_back({a.question_id, c});
    } else if (q->type == QuestionType::kText && !a.text.empty()) {
      if (!comment.empty()) comment += "\n";
      comment += a.text;
    }
  }
  const Question* outcome = def.Outcome();
  // def.Drivers(), without building the list: the driver questions in survey order.
  const auto drivers = std::count_if(def.questions.begin(), def.questions.end(),
                                     [](const Question& q) { return q.driver; });
  if (outcome != nullptr && drivers > 0) {
    DriverContribution d;
    d.variables.reserve(static_cast<size_t>(drivers) + 1);
    d.values.reserve(static_cast<size_t>(drivers) + 1);
    for (const Question& q : def.questions) {
      if (!q.driver || &q == outcome) continue;
      d.variables.push_back(q.id);
      const Answer* a = r.FindAnswer(q.id);
      d.values.push_back(a != nullptr ? a->number : std::nullopt);
    }
    d.variables.push_back(outcome->id);
    const Answer* a = r.FindAnswer(outcome->id);
    d.values.push_back(a != nullptr ? a->number : std::nullopt);
    out.drivers = std::move(d);
  }
  if (r.hero && (!r.hero->story.empty() || !r.hero->name.empty() || !r.hero->staff_id.empty())) {
    out.hero = HeroStoryDraft{r.hero->staff_id, r.hero->name, r.hero->story};
  }
  const bool wants_contact = r.contact && (!r.contact->name.empty() || !r.contact->phone.empty() ||
                                           !r.contact->email.empty());
  const bool detractor = worst_nps && *worst_nps <= 6;
  const bool unhappy = worst_csat && *worst_csat <= 2;
  if (wants_contact) {
    FollowUpDraft f;
    f.contact_name = r.contact->name;
    f.contact_phone = r.contact->phone;
    f.contact_email = r.contact->email;
    f.comment = std::move(comment);
    f.worst_nps = worst_nps;
    f.worst_csat = worst_csat;
    out.contact_request = f;
    if (detractor || unhappy) {
      if (detractor) f.reason = "nps " + std::to_string(*worst_nps);
      if (unhappy) {
        f.reason +=
            std::string(f.reason.empty() ? "" : ", ") + "csat " + std::to_string(*worst_csat);
      }
      out.follow_up = std::move(f);
    }
  }
}

Result<std::shared_ptr<const SurveyDefinition>> Ingestor::Survey(CentralStore& store,
                                                                 const std::string& survey_id,
                                                                 int version) {
  const auto key = std::make_pair(survey_id, version);
  {
    std::lock_guard<std::mutex> lock(surveys_mu_);
    auto it = surveys_.find(key);
    if (it != surveys_.end()) return it->second;
  }
  FEEDBACK_ASSIGN_OR_RETURN(SurveyVersion sv, store.GetSurvey(survey_id, version));
  Result<SurveyDefinition> def = ParseSurveyDefinition(
      sv.definition_json, "published survey " + survey_id + " v" + std::to_string(version));
  if (!def.ok()) return Status::Corruption(def.status().message());
  auto shared = std::make_shared<const SurveyDefinition>(std::move(def).value());
  std::lock_guard<std::mutex> lock(surveys_mu_);
  surveys_.emplace(key, shared);
  return shared;
}

Status Ingestor::PrepareRecord(CentralStore& store, const Device& device, protocol::Batch& batch,
                               size_t i, TimeMs now, SurveyMemo& survey, RosterMemo& roster,
                               PreparedBatch& out) {
  protocol::BatchRecord& in = batch.records[i];
  ByteView sealed_epoch_key;
  for (const protocol::BatchEpoch& e : batch.epochs) {
    if (e.id == in.epoch_id) sealed_epoch_key = e.sealed_key;
  }
  FeedbackRecord record;
  bool merged = false;  // record has its sealed fields (possibly some of them)
  // The quarantine row is built only for a record that needs one. Its public
  // JSON is the public part as received: the JSON itself, or for a record
  // read in canonical form the same text from the record (after a merge,
  // PublicPart takes the sealed fields out again).
  auto quarantine = [&](std::string reason) {
    QuarantineEntry q;
    q.record_index = static_cast<int64_t>(i);
    if (in.parsed) {
      q.record_id = UsableId(record.id);
      q.public_json = RecordToJson(merged ? PublicPart(record) : record)
                          .dump(-1, ' ', false, json::error_handler_t::replace);
    } else {
      q.record_id = RecordIdOf(in.pub);
      q.public_json = in.pub.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    q.reason = std::move(reason);
    q.epoch_id = in.epoch_id;
    q.sealed_epoch_key.assign(sealed_epoch_key.begin(), sealed_epoch_key.end());
    q.sealed = in.sealed;
    out.quarantine.push_back(std::move(q));
    return Status::Ok();
  };

  if (in.parsed) {
    record = std::move(*in.parsed);
  } else {
    Result<FeedbackRecord> parsed = RecordFromJson(in.pub);
    if (!parsed.ok()) return quarantine("public part: " + parsed.status().message());
    record = std::move(parsed).value();
  }
  // Another device's or another site's record in this device's batch is not
  // a bad record but a bad device: refuse the batch.
  if (record.device_id != batch.device_id) {
    return Status::PermissionDenied("record " + std::to_string(i) + " names device '" +
                                    record.device_id.substr(0, 64) +
                                    "', not the device that signed the batch");
  }
  if (record.site_id != batch.site_id) {
    return Status::PermissionDenied("record " + std::to_string(i) + " is for site '" +
                                    record.site_id.substr(0, 64) +
                                    "', not the device's enrolled site");
  }
  if (record.received_at || !IsPublicPart(record)) {
    return quarantine("public part carries sensitive fields in plaintext");
  }
  if (!in.epoch_id.empty()) {
    Result<Bytes> plain = opener_.OpenFields(in.epoch_id, sealed_epoch_key, in.sealed,
                                             RecordAssociatedData(record.id, record.device_id));
    if (!plain.ok()) return quarantine("cannot open sealed fields: " + plain.status().message());
    merged = true;
    Status m = MergeSensitive(
        std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()), record);
    Cleanse(*plain);
    if (!m.ok()) return quarantine("sealed fields: " + m.message());
  }
  // Records of one batch nearly always follow one survey version.
  if (!survey.definition || survey.survey_id != record.survey_id ||
      survey.version != record.survey_version) {
    Result<std::shared_ptr<const SurveyDefinition>> def =
        Survey(store, record.survey_id, record.survey_version);
    if (!def.ok()) {
      if (IsStoreFailure(def.status())) return def.status();
      return quarantine(def.status().message());
    }
    survey = {record.survey_id, record.survey_version, std::move(def).value()};
  }
  const SurveyDefinition& definition = *survey.definition;
  if (Status v = ValidateRecord(definition, record); !v.ok()) return quarantine(v.message());
  // Who served whom, and when: a valid record may still not be this device's to tell.
  if (!record.staff_id.empty()) {
    auto it = roster.find(record.staff_id);
    if (it == roster.end()) {
      Result<std::optional<StaffRow>> entry = store.FindStaff(record.staff_id);
      if (!entry.ok()) return entry.status();
      it = roster.emplace(record.staff_id, std::move(entry).value()).first;
    }
    if (auto problem = StaffProblem(device, record.staff_id, it->second)) {
      return quarantine(*std::move(problem));
    }
  }
  if (auto problem =
          RecordTimeProblem(device, record.started_at, record.submitted_at, now, rules_)) {
    return quarantine(*std::move(problem));
  }

  record.received_at = now;
  PreparedRecord& p = out.records.emplace_back();
  p.public_json = PublicRecordJson(record);  // RecordToJson(PublicPart(record)), as text
  p.sensitive_json = SensitiveJson(record);
  AddContributions(definition, record, p);
  p.record_id = std::move(record.id);
  p.survey_id = std::move(record.survey_id);
  p.survey_version = record.survey_version;
  p.channel = std::string(ChannelName(record.channel));
  p.status = std::string(RecordStatusName(record.status));
  p.locale = std::move(record.locale);
  p.staff_id = std::move(record.staff_id);
  p.started_at = record.started_at;
  p.submitted_at = record.submitted_at;
  p.day = DayNumber(record.submitted_at);
  return Status::Ok();
}

Status Ingestor::PrepareRecords(CentralStore& store, const Device& device, protocol::Batch& batch,
                                TimeMs now, PreparedBatch& out) {
  out.records.reserve(batch.records.size());
  SurveyMemo survey;
  RosterMemo roster;
  for (size_t i = 0; i < batch.records.size(); ++i) {
    FEEDBACK_RETURN_IF_ERROR(PrepareRecord(store, device, batch, i, now, survey, roster, out));
  }
  return Status::Ok();
}

ApiResponse Ingestor::Conflict(DeviceStore& store, const std::string& device_id,
                               const std::string& message, int64_t last_seq, TimeMs now) {
  Result<bool> marked =
      store.NoteSeqConflict(device_id, "409 " + message, now, rules_.clone_conflicts,
                            rules_.clone_window_ms,
                            PossibleCloneReason(rules_.clone_conflicts, rules_.clone_window_ms));
  ApiResponse a = WithLastSeq(ApiResponse::Error(409, message), last_seq);
  if (!marked.ok()) {
    a.log_note = message + "; the conflict could not be counted: " + marked.status().message();
  } else if (*marked) {
    a.log_note = message + "; device marked possible clone, alert queued";
  }
  return a;
}

ApiResponse Ingestor::HandleBatch(CentralStore& store, ByteView body, IngestTimings* timings) {
  IngestTimings local_timings;
  IngestTimings& t = timings != nullptr ? *timings : local_timings;
  t = IngestTimings{};
  try {
    // 1. Envelope: bounds and structure (signature next, once the key is known).
    auto phase_start = std::chrono::steady_clock::now();
    Result<protocol::DecodedBatch> decoded = protocol::DecodeBatchForIngest(body);
    t.decode_ms = MsSince(phase_start);
    if (!decoded.ok()) {
      return ApiResponse::Error(StatusForDecodeError(decoded.status()), decoded.status().message());
    }
    protocol::Batch& batch = decoded->batch;
    const std::string& device_id = batch.device_id;
    const std::string tag = "device " + device_id + " batch " + std::to_string(batch.seq);

    // 2. Who sent it: enrolled, the signature verifies, not revoked, its own site.
    Result<Device> device = store.GetDevice(device_id);
    if (!device.ok()) {
      if (device.status().code() == Status::Code::kNotFound) {
        return ApiResponse::Error(
            401, "unknown device '" + device_id.substr(0, 64) + "': enroll it with a new token");
      }
      return ApiResponse::Error(503, "central store unavailable: " + device.status().message(), 5);
    }
    if (Status s = protocol::VerifyBatch(*decoded, device->public_key); !s.ok()) {
      return ApiResponse::Error(401, tag + ": " + s.message());
    }
    const TimeMs now = clock_.NowMs();
    auto refuse = [&](int status, const std::string& message) {
      (void)store.NoteDeviceError(device_id, std::to_string(status) + " " + message, now);
      return ApiResponse::Error(status, message);
    };
    auto conflict = [&](const std::string& message, int64_t last_seq) {
      return Conflict(store, device_id, message, last_seq, now);
    };
    if (device->revoked_at) {
      return refuse(403, tag + ": device was revoked at " + FormatIso8601(*device->revoked_at) +
                             "; re-enroll it if it should sync again");
    }
    if (batch.site_id != device->site_id) {
      return refuse(403, tag + ": batch is for site '" + batch.site_id.substr(0, 64) +
                             "' but the device is enrolled at '" + device->site_id + "'");
    }

    // 3. Replays and sequence conflicts.
    Result<std::optional<StoredBatch>> seen = store.FindBatch(device_id, batch.seq);
    if (!seen.ok()) {
      return ApiResponse::Error(503, "central store unavailable: " + seen.status().message(), 5);
    }
    if (*seen) {
      if (ConstantTimeEqual((*seen)->digest, decoded->digest)) {
        return ApiResponse::Ok((*seen)->answer_json, tag + ": replay, answered again");
      }
      return conflict(tag + ": sequence number already used by a different batch",
                      device->last_seq);
    }
    if (batch.seq <= device->last_seq) {
      return conflict(tag + ": sequence number is not above the last accepted " +
                          std::to_string(device->last_seq),
                      device->last_seq);
    }
    // A seq far ahead would burn every number below it for the real device.
    // Refused like a conflict (the daemon renumbers from "last_seq"), but not
    // counted as one: it is no sign of a second device.
    if (auto jump = SeqStepProblem(device->last_seq, batch.seq, rules_.max_seq_step)) {
      return WithLastSeq(refuse(409, tag + ": " + *jump), device->last_seq);
    }

    // 4. Open and validate every record (outside the write transaction).
    PreparedBatch prepared;
    prepared.device_id = device_id;
    prepared.site_id = device->site_id;
    prepared.team = device->team;
    prepared.seq = batch.seq;
    prepared.digest = decoded->digest;
    prepared.backlog = batch.backlog;
    prepared.received_at = now;
    phase_start = std::chrono::steady_clock::now();
    if (Status s = PrepareRecords(store, *device, batch, now, prepared); !s.ok()) {
      if (s.code() == Status::Code::kPermissionDenied) return refuse(403, tag + ": " + s.message());
      return ApiResponse::Error(503, "central store unavailable: " + s.message(), 5);
    }
    t.prepare_ms = MsSince(phase_start);

    // 5. One transaction; then answer what is durably stored.
    phase_start = std::chrono::steady_clock::now();
    Result<CommitOutcome> outcome = store.CommitBatch(prepared);
    t.commit_ms = MsSince(phase_start);
    if (!outcome.ok()) {
      return ApiResponse::Error(503, "central store unavailable: " + outcome.status().message(), 5);
    }
    switch (outcome->kind) {
      case CommitOutcome::Kind::kStored:
        return ApiResponse::Ok(outcome->answer_json,
                               tag + ": stored " + std::to_string(outcome->ack.stored) +
                                   ", duplicates " + std::to_string(outcome->ack.duplicates) +
                                   ", quarantined " + std::to_string(outcome->ack.quarantined) +
                                   TimingNote(t));
      case CommitOutcome::Kind::kReplayed:
        return ApiResponse::Ok(outcome->answer_json, tag + ": replay, answered again");
      case CommitOutcome::Kind::kConflict:
        return conflict(tag + ": sequence number already used by a different batch",
                        outcome->last_seq);
      case CommitOutcome::Kind::kDeviceRevoked:
        return refuse(403, tag + ": device was revoked");
      case CommitOutcome::Kind::kDeviceUnknown:
        return ApiResponse::Error(401, "unknown device '" + device_id + "'");
    }
    return ApiResponse::Error(500, "internal error: unexpected commit outcome");
  } catch (const std::exception& e) {
    return ApiResponse::Error(500, std::string("internal error while ingesting: ") + e.what());
  }
}

}  // namespace feedback::central
