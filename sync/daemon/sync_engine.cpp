#include "daemon/sync_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "daemon/batch_builder.h"
#include "model/survey.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "protocol/request_signing.h"

namespace feedback::sync {
namespace {

using nlohmann::json;

// A 429 without a usable Retry-After still slows down this much.
constexpr int64_t kDefaultRetryAfterSeconds = 30;

bool IsPermanentStatus(int status) { return status == 400 || status == 401 || status == 403; }

std::string Describe(const HttpResponse& response) {
  return "HTTP " + std::to_string(response.status) + ": " +
         protocol::ParseErrorMessage(response.body);
}

std::string PermanentAdvice(int status) {
  switch (status) {
    case 401:
      return " (the central store does not know this device or its signature: check the device "
             "is enrolled with this central store and its clock is right; re-enroll if it was "
             "removed)";
    case 403:
      return " (the device is revoked or belongs to another site: ask the operator; records are "
             "kept)";
    default:
      return " (the central store refused the request as malformed: upgrade feedback-sync or "
             "feedback-central so both speak the same protocol version; records are kept)";
  }
}

int64_t JsonInt(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

SyncEngine::SyncEngine(const DeviceConfig& config, CaptureStore& store,
                       const Ed25519PrivateKey& device_key, Transport& transport,
                       const Clock& clock, StopSignal& stop, SyncOptions options)
    : config_(config),
      store_(store),
      device_key_(device_key),
      transport_(transport),
      clock_(clock),
      stop_(stop),
      options_(options),
      backoff_(options.backoff, options.seed != 0 ? options.seed : std::random_device{}()) {
  options_.max_records_per_batch =
      std::clamp<size_t>(options_.max_records_per_batch, 1, protocol::kMaxRecordsPerBatch);
}

Status SyncEngine::Init() {
  ++generation_;
  FEEDBACK_ASSIGN_OR_RETURN(journal_, OutboxJournal::Load(store_));
  if (journal_.inflight) {
    spdlog::info("resuming batch {} ({} records) interrupted before the central store answered",
                 journal_.inflight->seq, journal_.inflight->record_ids.size());
    FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Repair(store_, journal_));
  }
  Result<std::string> last_error = store_.GetSetting(kSettingSyncLastError);
  if (last_error.ok()) last_error_written_ = *last_error;
  initialized_ = true;
  return Status::Ok();
}

Result<HttpResponse> SyncEngine::SendSigned(HttpRequest request, Status* transport_error) {
  FEEDBACK_ASSIGN_OR_RETURN(protocol::SignedRequestHeaders headers,
                            protocol::SignRequest(device_key_, config_.device_id, request.method,
                                                  request.path, clock_.NowMs()));
  request.headers.emplace_back(protocol::kDeviceHeader, headers.device_id);
  request.headers.emplace_back(protocol::kTimestampHeader, headers.timestamp);
  request.headers.emplace_back(protocol::kSignatureHeader, headers.signature);
  Result<HttpResponse> response = transport_.Send(request);
  if (!response.ok()) *transport_error = response.status();
  return response;
}

Status SyncEngine::RecordSuccess() {
  FEEDBACK_RETURN_IF_ERROR(
      store_.SetSetting(kSettingSyncLastSuccess, std::to_string(clock_.NowMs())));
  if (!last_error_written_.empty()) {
    FEEDBACK_RETURN_IF_ERROR(store_.SetSetting(kSettingSyncLastError, ""));
    last_error_written_.clear();
    spdlog::info("sync healthy again");
  }
  return Status::Ok();
}

Status SyncEngine::RecordError(const std::string& error) {
  const std::string text = FormatIso8601(clock_.NowMs()) + " " + error;
  last_error_written_ = text;
  return store_.SetSetting(kSettingSyncLastError, text);
}

void SyncEngine::StartPrebuild(int64_t seq) {
  if (prebuilt_.valid()) prebuilt_.wait();  // at most one worker at a time
  prebuilt_generation_ = generation_;
  prebuilt_ = std::async(
      std::launch::async,
      [this, seq, identity = BatchIdentity{config_.device_id, config_.site_id},
       now = clock_.NowMs(),
       max = options_.max_records_per_batch]() -> Result<std::optional<BuiltBatch>> {
        if (!prebuild_store_) {
          FEEDBACK_ASSIGN_OR_RETURN(CaptureStore store,
                                    CaptureStore::Open(config_.capture_db, /*sealer=*/nullptr));
          prebuild_store_.emplace(std::move(store));
        }
        return BuildNextBatch(*prebuild_store_, identity, device_key_, seq, now, max);
      });
}

Result<std::optional<BuiltBatch>> SyncEngine::NextBatch() {
  if (prebuilt_.valid()) {
    Result<std::optional<BuiltBatch>> prebuilt = prebuilt_.get();
    // Valid only if nothing went back to pending since it was built (its
    // records are then still pending: only this engine moves records) and it
    // has the seq the journal expects next.
    if (prebuilt.ok() && prebuilt->has_value() && prebuilt_generation_ == generation_ &&
        (*prebuilt)->seq == journal_.next_seq &&
        (*prebuilt)->record_ids.size() <= options_.max_records_per_batch) {
      return prebuilt;
    }
    if (!prebuilt.ok())
      spdlog::debug("pre-built batch discarded: {}", prebuilt.status().ToString());
  }
  return BuildNextBatch(store_, BatchIdentity{config_.device_id, config_.site_id}, device_key_,
                        journal_.next_seq, clock_.NowMs(), options_.max_records_per_batch);
}

Result<PushResult> SyncEngine::PushOnce() {
  if (!initialized_) return Status::Internal("SyncEngine::PushOnce before Init");
  PushResult result;
  using Steady = std::chrono::steady_clock;
  const auto ms_since = [](Steady::time_point t) {
    return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
  };
  auto t = Steady::now();
  double build_ms = 0, journal_ms = 0;
  if (!journal_.inflight) {
    FEEDBACK_ASSIGN_OR_RETURN(std::optional<BuiltBatch> built, NextBatch());
    if (!built) return result;  // kNothingToSend
    build_ms = ms_since(t);
    t = Steady::now();
    FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Begin(
        store_, journal_,
        InflightBatch{built->seq, std::move(built->record_ids), std::move(built->envelope)}));
    journal_ms = ms_since(t);
    // A full batch suggests more is pending: build the next one meanwhile.
    if (options_.prebuild &&
        journal_.inflight->record_ids.size() == options_.max_records_per_batch) {
      StartPrebuild(journal_.next_seq);
    }
  }
  const InflightBatch& batch = *journal_.inflight;
  result.seq = batch.seq;
  result.records = static_cast<int64_t>(batch.record_ids.size());

  HttpRequest request;
  request.method = "POST";
  request.path = std::string(protocol::kBatchesPath);
  request.content_type = std::string(protocol::kBatchContentType);
  request.body = batch.envelope;
  Status transport_error;
  t = Steady::now();
  Result<HttpResponse> sent = SendSigned(std::move(request), &transport_error);
  const double send_ms = ms_since(t);
  if (!sent.ok()) {
    if (transport_error.ok()) return sent.status();  // signing failed: local problem
    const bool pin = transport_error.code() == Status::Code::kUnauthenticated;
    result.outcome = pin ? PushOutcome::kPermanent : PushOutcome::kTransient;
    result.error = "sending batch " + std::to_string(batch.seq) + ": " + transport_error.message();
    return result;
  }
  const HttpResponse& response = *sent;
  if (response.status == 200) {
    Result<protocol::BatchAck> ack = protocol::ParseBatchAck(response.body);
    if (!ack.ok() || ack->seq != batch.seq) {
      // Not the answer the protocol promises: do not acknowledge on it.
      result.outcome = PushOutcome::kTransient;
      result.error =
          "batch " + std::to_string(batch.seq) +
          ": the central store's 200 answer does not acknowledge this batch (" +
          (ack.ok() ? "it names seq " + std::to_string(ack->seq) : ack.status().message()) +
          "); will resend";
      return result;
    }
    result.stored = ack->stored;
    result.duplicates = ack->duplicates;
    result.quarantined = ack->quarantined;
    t = Steady::now();
    FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Complete(store_, journal_));
    spdlog::debug(
        "batch {}: {} records, build {:.1f} ms, journal {:.1f} ms, send {:.1f} ms, ack {:.1f} ms",
        batch.seq, batch.record_ids.size(), build_ms, journal_ms, send_ms, ms_since(t));
    result.outcome = PushOutcome::kDelivered;
    ++counters_.batches_delivered;
    counters_.records_delivered += result.records;
    conflict_jump_ = 1;
    return result;
  }
  result.error = "batch " + std::to_string(batch.seq) + " refused: " + Describe(response);
  if (response.status == 429) {
    result.outcome = PushOutcome::kRateLimited;
    result.retry_after_seconds = response.retry_after_seconds.value_or(kDefaultRetryAfterSeconds);
    return result;
  }
  if (response.status == 409) {
    // The central store holds a different batch under this seq (e.g. the
    // device's DB was restored from a backup). Resend the records under a
    // fresh seq; record ids make them idempotent, so nothing is doubled.
    // Without a "last_seq" hint the jump doubles per consecutive conflict, so
    // even a far-ahead central sequence is passed in a few round trips (gaps
    // in seq are allowed; only reuse is not).
    json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    int64_t next = batch.seq + conflict_jump_;
    conflict_jump_ = std::min<int64_t>(conflict_jump_ * 2, int64_t{1} << 40);
    if (body.is_object()) next = std::max(next, JsonInt(body, "last_seq") + 1);
    ++generation_;
    FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Abandon(store_, journal_, next));
    result.outcome = PushOutcome::kTransient;
    result.error += "; records re-queued under seq " + std::to_string(journal_.next_seq);
    return result;
  }
  if (response.status == 413) {
    options_.max_records_per_batch = std::max<size_t>(1, batch.record_ids.size() / 2);
    ++generation_;
    FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Abandon(store_, journal_, batch.seq + 1));
    result.outcome = PushOutcome::kTransient;
    result.error += "; retrying with at most " + std::to_string(options_.max_records_per_batch) +
                    " records per batch";
    return result;
  }
  if (IsPermanentStatus(response.status)) {
    result.outcome = PushOutcome::kPermanent;
    result.error += PermanentAdvice(response.status);
    return result;
  }
  result.outcome = PushOutcome::kTransient;  // 5xx, 408, anything unexpected
  return result;
}

Result<PushResult> SyncEngine::DrainOnce() {
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(PushResult r, PushOnce());
    if (r.outcome != PushOutcome::kDelivered || stop_.stop_requested()) return r;
  }
}

Result<PullResult> SyncEngine::PullOnce() {
  PullResult result;
  HttpRequest request;
  request.method = "GET";
  request.path = std::string(protocol::kDeviceStatePath);
  Status transport_error;
  Result<HttpResponse> sent = SendSigned(std::move(request), &transport_error);
  if (!sent.ok()) {
    if (transport_error.ok()) return sent.status();
    result.permanent = transport_error.code() == Status::Code::kUnauthenticated;
    result.error = "pulling device state: " + transport_error.message();
    return result;
  }
  if (sent->status != 200) {
    result.permanent = IsPermanentStatus(sent->status);
    result.error = "pulling device state: " + Describe(*sent) +
                   (result.permanent ? PermanentAdvice(sent->status) : "");
    return result;
  }
  Result<protocol::DeviceState> state = protocol::ParseDeviceState(sent->body);
  if (!state.ok()) {
    result.error = "pulling device state: " + state.status().message();
    return result;
  }
  std::vector<std::string> problems;

  // Surveys: each validated exactly as the apps will load it, before it is stored.
  for (const protocol::PublishedSurvey& s : state->surveys) {
    const std::string source = "central survey '" + s.id + "' v" + std::to_string(s.version);
    Result<SurveyDefinition> parsed = ParseSurveyDefinition(s.definition_json, source);
    if (!parsed.ok()) {
      problems.push_back(parsed.status().message());
      ++result.surveys_rejected;
      continue;
    }
    if (parsed->id != s.id || parsed->version != s.version || parsed->channel != s.channel) {
      problems.push_back(source + ": the definition inside is '" + parsed->id + "' v" +
                         std::to_string(parsed->version) + " for " +
                         std::string(ChannelName(parsed->channel)));
      ++result.surveys_rejected;
      continue;
    }
    Result<StoredSurvey> latest = store_.LatestSurvey(parsed->channel);
    if (latest.ok() && latest->survey_id == parsed->id && latest->version == parsed->version &&
        latest->definition_json == s.definition_json) {
      continue;  // already the current one
    }
    FEEDBACK_RETURN_IF_ERROR(store_.PutSurvey(
        StoredSurvey{parsed->id, parsed->version, parsed->channel, s.definition_json}));
    spdlog::info("stored survey '{}' v{} ({})", parsed->id, parsed->version,
                 ChannelName(parsed->channel));
    ++result.surveys_stored;
  }

  // Roster and hero stories: rewritten only when they changed, so an idle
  // device does not take the capture DB's write lock every interval.
  std::vector<StaffMember> roster;
  for (const protocol::RosterEntry& m : state->roster) {
    roster.push_back({m.staff_id, m.display_name, m.team});
  }
  std::sort(roster.begin(), roster.end(), [](const StaffMember& a, const StaffMember& b) {
    return a.display_name != b.display_name ? a.display_name < b.display_name
                                            : a.staff_id < b.staff_id;
  });
  FEEDBACK_ASSIGN_OR_RETURN(std::vector<StaffMember> current_roster, store_.Roster());
  const auto same_member = [](const StaffMember& a, const StaffMember& b) {
    return a.staff_id == b.staff_id && a.display_name == b.display_name && a.team == b.team;
  };
  if (!std::equal(current_roster.begin(), current_roster.end(), roster.begin(), roster.end(),
                  same_member)) {
    FEEDBACK_RETURN_IF_ERROR(store_.ReplaceRoster(roster));
    spdlog::info("roster updated: {} staff", roster.size());
  }

  std::vector<HeroStory> stories;
  for (const protocol::PublishedHeroStory& h : state->hero_stories) {
    stories.push_back({h.story_id, h.staff_id, h.staff_name, h.story, h.team, h.published_at});
  }
  const auto by_id = [](const HeroStory& a, const HeroStory& b) { return a.story_id < b.story_id; };
  const auto same_story = [](const HeroStory& a, const HeroStory& b) {
    return a.story_id == b.story_id && a.staff_id == b.staff_id && a.staff_name == b.staff_name &&
           a.story == b.story && a.team == b.team && a.published_at == b.published_at;
  };
  std::sort(stories.begin(), stories.end(), by_id);
  FEEDBACK_ASSIGN_OR_RETURN(std::vector<HeroStory> current_stories, store_.HeroStories(1'000'000));
  std::sort(current_stories.begin(), current_stories.end(), by_id);
  if (!std::equal(current_stories.begin(), current_stories.end(), stories.begin(), stories.end(),
                  same_story)) {
    FEEDBACK_RETURN_IF_ERROR(store_.ReplaceHeroStories(stories));
    spdlog::info("hero stories updated: {} published", stories.size());
  }

  const std::string branding = state->branding.dump();
  Result<std::string> current_branding = store_.GetSetting(kSettingBranding);
  if (!current_branding.ok() || *current_branding != branding) {
    FEEDBACK_RETURN_IF_ERROR(store_.SetSetting(kSettingBranding, branding));
  }

  ++counters_.pulls;
  result.ok = problems.empty();
  if (!problems.empty()) {
    result.error = "device state partly refused: ";
    for (size_t i = 0; i < problems.size(); ++i) result.error += (i ? "; " : "") + problems[i];
  }
  return result;
}

Status SyncEngine::Run() {
  while (!stop_.stop_requested()) {
    TimeMs wait = options_.interval_ms;
    Status s = initialized_ ? Status::Ok() : Init();
    if (s.ok()) s = RunRound(&wait);
    if (!s.ok()) {
      // The local store failed (busy past its timeout, disk full, I/O error).
      // Nothing is lost: reload the journal from disk and try again later.
      if (s.code() == Status::Code::kInternal) return s;
      initialized_ = false;
      wait = backoff_.NextTransientDelay();
      spdlog::error("local capture store: {}; retrying in {} ms", s.ToString(), wait);
      (void)RecordError("local capture store: " + s.message());
    }
    // Sleep until the next round, or until asked to stop.
    if (stop_.stop_requested() || stop_.WaitFor(wait)) break;
  }
  spdlog::info("stopping: {} batches ({} records) delivered this run", counters_.batches_delivered,
               counters_.records_delivered);
  return Status::Ok();
}

Status SyncEngine::RunRound(TimeMs* wait_out) {
  TimeMs& wait = *wait_out;
  {
    // 1. Push until the outbox is empty or the central store stops taking batches.
    std::string error;
    bool delivered_any = false;
    while (!stop_.stop_requested()) {
      FEEDBACK_ASSIGN_OR_RETURN(PushResult r, PushOnce());
      if (r.outcome == PushOutcome::kDelivered) {
        backoff_.Reset();
        delivered_any = true;
        spdlog::info("batch {} delivered: {} records ({} new, {} duplicates, {} quarantined)",
                     r.seq, r.records, r.stored, r.duplicates, r.quarantined);
        if (r.quarantined > 0) {
          spdlog::warn(
              "batch {}: the central store quarantined {} records (see its quarantine table)",
              r.seq, r.quarantined);
        }
        FEEDBACK_RETURN_IF_ERROR(RecordSuccess());
        continue;
      }
      if (r.outcome == PushOutcome::kNothingToSend) break;
      error = r.error;
      if (r.outcome == PushOutcome::kRateLimited) {
        ++counters_.rate_limited;
        wait = backoff_.RetryAfterDelay(r.retry_after_seconds);
        spdlog::warn("{}; slowing down for {} ms as asked", r.error, wait);
      } else if (r.outcome == PushOutcome::kPermanent) {
        ++counters_.permanent_failures;
        wait = backoff_.NextPermanentDelay();
        spdlog::error("{}; next attempt in {} s", r.error, wait / 1000);
      } else {
        ++counters_.transient_failures;
        wait = backoff_.NextTransientDelay();
        spdlog::warn("{}; retrying in {} ms", r.error, wait);
      }
      break;
    }
    if (stop_.stop_requested()) return Status::Ok();

    // 2. Pull what the device should show, once per interval.
    const TimeMs now = clock_.NowMs();
    if (error.empty() && now >= next_pull_) {
      FEEDBACK_ASSIGN_OR_RETURN(PullResult p, PullOnce());
      if (p.ok) {
        next_pull_ = now + options_.interval_ms;
        if (!delivered_any) FEEDBACK_RETURN_IF_ERROR(RecordSuccess());
      } else {
        error = p.error;
        // Retry a failed pull at the next wake-up, which is backoff-paced.
        if (p.permanent) {
          ++counters_.permanent_failures;
          wait = backoff_.NextPermanentDelay();
          spdlog::error("{}; next attempt in {} s", p.error, wait / 1000);
        } else {
          ++counters_.transient_failures;
          wait = std::min(options_.interval_ms, backoff_.NextTransientDelay());
          spdlog::warn("{}; retrying in {} ms", p.error, wait);
        }
      }
    }
    if (!error.empty()) FEEDBACK_RETURN_IF_ERROR(RecordError(error));
  }
  return Status::Ok();
}

}  // namespace feedback::sync
