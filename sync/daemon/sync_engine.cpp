#include "daemon/sync_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>

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
      backoff_(options.backoff, options.seed != 0 ? options.seed : std::random_device{}()),
      builder_(BatchIdentity{config.device_id, config.site_id}, device_key) {
  options_.max_records_per_batch =
      std::clamp<size_t>(options_.max_records_per_batch, 1, protocol::kMaxRecordsPerBatch);
}

Status SyncEngine::Init() {
  // A step still running on the worker finishes first; whatever it did, the
  // journal is read back from the store.
  (void)JoinWorker();
  FEEDBACK_ASSIGN_OR_RETURN(journal_, OutboxJournal::Load(store_));
  if (!journal_.batches.empty()) {
    const JournalledBatch& oldest = journal_.batches.front();
    spdlog::info("resuming batch {} ({} records) interrupted before the central store answered{}",
                 oldest.seq, oldest.records,
                 journal_.batches.size() > 1 ? "; " + std::to_string(journal_.batches.size() - 1) +
                                                   " more journalled after it"
                                             : "");
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

void SyncEngine::StartWorker(JournalState journal, bool acknowledge_oldest, bool build_next) {
  if (worker_.valid()) worker_.wait();  // at most one worker at a time (callers join first)
  worker_ = std::async(
      std::launch::async,
      [this, journal = std::move(journal), acknowledge_oldest, build_next, now = clock_.NowMs(),
       max = options_.max_records_per_batch]() mutable -> Result<JournalWorkerStep> {
        using Steady = std::chrono::steady_clock;
        if (!worker_store_) {
          FEEDBACK_ASSIGN_OR_RETURN(CaptureStore store,
                                    CaptureStore::Open(config_.capture_db, /*sealer=*/nullptr));
          worker_store_.emplace(std::move(store));
          worker_builder_.emplace(BatchIdentity{config_.device_id, config_.site_id}, device_key_);
        }
        JournalWorkerStep step;
        auto t = Steady::now();
        std::optional<BuiltBatch> built;
        if (build_next) {
          Result<std::optional<BuiltBatch>> b =
              worker_builder_->BuildNext(*worker_store_, journal.next_seq, now, max);
          // Not fatal here: the acknowledgement still goes through, and the
          // engine builds on its own thread next, where the error surfaces.
          if (b.ok()) {
            built = std::move(b).value();
          } else {
            spdlog::debug("journal worker: building batch {} failed: {}", journal.next_seq,
                          b.status().ToString());
          }
        }
        step.times.build_ms = std::chrono::duration<double, std::milli>(Steady::now() - t).count();
        t = Steady::now();
        if (acknowledge_oldest || built) {
          FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Advance(
              *worker_store_, journal, {acknowledge_oldest, now, built ? &*built : nullptr}));
        }
        step.times.commit_ms = std::chrono::duration<double, std::milli>(Steady::now() - t).count();
        step.times.built_records = built ? static_cast<int64_t>(built->record_ids.size()) : 0;
        step.journal = std::move(journal);
        return step;
      });
}

Status SyncEngine::JoinWorker() {
  if (!worker_.valid()) return Status::Ok();
  Result<JournalWorkerStep> step = worker_.get();
  if (!step.ok()) return step.status().WithContext("sync journal worker");
  journal_ = std::move(step->journal);
  worker_times_ = step->times;
  return Status::Ok();
}

Result<PushResult> SyncEngine::PushOnce() {
  if (!initialized_) return Status::Internal("SyncEngine::PushOnce before Init");
  PushResult result;
  using Steady = std::chrono::steady_clock;
  const auto ms_since = [](Steady::time_point t) {
    return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
  };
  const size_t max = options_.max_records_per_batch;

  // 1. The batch to send: the oldest journalled one - if there is none, the
  //    worker may be journalling it - else build and journal one here.
  auto t = Steady::now();
  if (journal_.batches.empty()) FEEDBACK_RETURN_IF_ERROR(JoinWorker());
  const double wait_ms = ms_since(t);
  double build_ms = 0, journal_ms = 0;
  if (journal_.batches.empty()) {
    t = Steady::now();
    FEEDBACK_ASSIGN_OR_RETURN(std::optional<BuiltBatch> built,
                              builder_.BuildNext(store_, journal_.next_seq, clock_.NowMs(), max));
    if (!built) return result;  // kNothingToSend
    build_ms = ms_since(t);
    t = Steady::now();
    FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Advance(store_, journal_, {.begin = &*built}));
    journal_ms = ms_since(t);
  }
  const int64_t seq = journal_.batches.front().seq;
  const int64_t records = journal_.batches.front().records;
  result.seq = seq;
  result.records = records;

  HttpRequest request;
  request.method = "POST";
  request.path = std::string(protocol::kBatchesPath);
  request.content_type = std::string(protocol::kBatchContentType);
  request.body = journal_.batches.front().envelope;

  // 2. A full batch suggests more is pending: journal the next one while
  //    this one is in flight.
  if (options_.prebuild && !worker_.valid() && journal_.batches.size() == 1 &&
      static_cast<size_t>(records) == max) {
    StartWorker(journal_, /*acknowledge_oldest=*/false, /*build_next=*/true);
  }

  // 3. Send it.
  Status transport_error;
  t = Steady::now();
  Result<HttpResponse> sent = SendSigned(std::move(request), &transport_error);
  const double send_ms = ms_since(t);
  if (!sent.ok()) {
    if (transport_error.ok()) return sent.status();  // signing failed: local problem
    const bool pin = transport_error.code() == Status::Code::kUnauthenticated;
    result.outcome = pin ? PushOutcome::kPermanent : PushOutcome::kTransient;
    result.error = "sending batch " + std::to_string(seq) + ": " + transport_error.message();
    return result;
  }
  const HttpResponse& response = *sent;
  if (response.status == 200) {
    Result<protocol::BatchAck> ack = protocol::ParseBatchAck(response.body);
    if (!ack.ok() || ack->seq != seq) {
      // Not the answer the protocol promises: do not acknowledge on it.
      result.outcome = PushOutcome::kTransient;
      result.error =
          "batch " + std::to_string(seq) +
          ": the central store's 200 answer does not acknowledge this batch (" +
          (ack.ok() ? "it names seq " + std::to_string(ack->seq) : ack.status().message()) +
          "); will resend";
      return result;
    }
    result.stored = ack->stored;
    result.duplicates = ack->duplicates;
    result.quarantined = ack->quarantined;
    // 4. Acknowledge. The worker (journalling the next batch meanwhile) must
    //    be done first; its step is normally finished by now.
    t = Steady::now();
    FEEDBACK_RETURN_IF_ERROR(JoinWorker());
    const double join_ms = ms_since(t);
    const JournalWorkerTimes worker = std::exchange(worker_times_, JournalWorkerTimes{});
    t = Steady::now();
    if (options_.prebuild && journal_.batches.size() > 1) {
      // The next batch is journalled: it goes out at the next push, at once,
      // while the worker acknowledges this one (and journals the one after
      // the next, if the backlog goes on) in one transaction.
      const bool build_next =
          journal_.batches.size() == 2 && static_cast<size_t>(journal_.batches[1].records) == max;
      StartWorker(journal_, /*acknowledge_oldest=*/true, build_next);
      journal_.batches.erase(journal_.batches.begin());
    } else {
      FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Advance(
          store_, journal_, {.acknowledge_oldest = true, .acknowledged_at = clock_.NowMs()}));
    }
    spdlog::debug(
        "batch {}: {} records; critical path: wait {:.1f} ms, build {:.1f} ms, journal {:.1f} "
        "ms, send {:.1f} ms, join {:.1f} ms, ack {:.1f} ms; worker during the send: build "
        "{:.1f} ms ({} records), commit {:.1f} ms",
        seq, records, wait_ms, build_ms, journal_ms, send_ms, join_ms, ms_since(t), worker.build_ms,
        worker.built_records, worker.commit_ms);
    result.outcome = PushOutcome::kDelivered;
    ++counters_.batches_delivered;
    counters_.records_delivered += result.records;
    conflict_jump_ = 1;
    return result;
  }
  result.error = "batch " + std::to_string(seq) + " refused: " + Describe(response);
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
    // in seq are allowed; only reuse is not). A batch journalled after this
    // one goes back too: it would follow a seq the central store refused.
    json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    int64_t next = seq + conflict_jump_;
    conflict_jump_ = std::min<int64_t>(conflict_jump_ * 2, int64_t{1} << 40);
    if (body.is_object()) next = std::max(next, JsonInt(body, "last_seq") + 1);
    FEEDBACK_RETURN_IF_ERROR(JoinWorker());
    FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Abandon(store_, journal_, next));
    result.outcome = PushOutcome::kTransient;
    result.error += "; records re-queued under seq " + std::to_string(journal_.next_seq);
    return result;
  }
  if (response.status == 413) {
    // Every journalled batch goes back, so the next ones are built smaller.
    options_.max_records_per_batch = std::max<size_t>(1, static_cast<size_t>(records) / 2);
    FEEDBACK_RETURN_IF_ERROR(JoinWorker());
    FEEDBACK_RETURN_IF_ERROR(OutboxJournal::Abandon(store_, journal_, seq + 1));
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
        // The journal step that acknowledged the batch set the last success;
        // only a standing error needs clearing here.
        if (!last_error_written_.empty()) FEEDBACK_RETURN_IF_ERROR(RecordSuccess());
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
