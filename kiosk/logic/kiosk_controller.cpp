#include "logic/kiosk_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <climits>
#include <utility>

namespace feedback::kiosk {
namespace {

std::string SurveyKey(std::string_view id, int version) {
  return std::string(id) + " v" + std::to_string(version);
}

}  // namespace

Result<std::unique_ptr<KioskController>> KioskController::Create(ControllerOptions options,
                                                                 Result<DeviceCapture> capture,
                                                                 PinVerifier verify_pin,
                                                                 const Clock& clock) {
  std::optional<DeviceCapture> session;
  std::string open_error;
  if (capture.ok()) {
    session.emplace(std::move(capture).value());
  } else {
    open_error = capture.status().ToString();
  }
  std::unique_ptr<KioskController> c(
      new KioskController(std::move(options), std::move(session), std::move(verify_pin), clock));
  c->capture_open_error_ = open_error;

  std::shared_ptr<const SurveyDefinition> survey;
  if (!c->options_.survey_source.pinned_path.empty()) {
    // An explicit --survey is the operator's choice: a broken one is an error, not a fallback.
    Result<SurveyDefinition> pinned = LoadSurveyDefinition(c->options_.survey_source.pinned_path);
    if (!pinned.ok()) return pinned.status();
    survey = std::make_shared<const SurveyDefinition>(std::move(pinned).value());
  } else {
    survey = c->LoadCurrentSurvey();
    if (!survey) {
      return Status::NotFound("no kiosk survey definition: none in the capture DB and " +
                              c->options_.survey_source.fallback_path +
                              " cannot be loaded (see the log); pass one with --survey");
    }
  }
  if (survey->channel != Channel::kKiosk) {
    spdlog::warn("survey {} is for channel '{}', not 'kiosk'; showing it anyway", survey->id,
                 ChannelName(survey->channel));
  }
  c->offered_survey_key_ = SurveyKey(survey->id, survey->version);
  std::string locales;
  for (const std::string& l : survey->locales) locales += (locales.empty() ? "" : ",") + l;
  spdlog::info("survey {} ({} questions, locales {})", c->offered_survey_key_,
               survey->questions.size(), locales);
  c->state_ = c->machine_.Initial(std::move(survey), clock.NowMs());
  if (c->options_.roster_override) c->view_.roster = *c->options_.roster_override;
  c->RefreshFromStore();
  if (!c->capture_) {
    spdlog::error("out of service: the capture store cannot be opened: {}", open_error);
    c->Apply(CaptureUnavailable{open_error});
  }
  return c;
}

KioskController::KioskController(ControllerOptions options, std::optional<DeviceCapture> capture,
                                 PinVerifier verify_pin, const Clock& clock)
    : options_(std::move(options)),
      capture_(std::move(capture)),
      clock_(clock),
      machine_(options_.settings, std::move(verify_pin)),
      ids_(clock) {}

void KioskController::Dispatch(const Event& event) { Apply(event); }

void KioskController::Tick() {
  const TimeMs now = clock_.NowMs();
  if (state_.screen == Screen::kAttract && now - last_refresh_at_ >= options_.refresh_interval_ms) {
    RefreshFromStore();
  }
  Apply(feedback::kiosk::Tick{});
}

int KioskController::MsUntilNextTick() const {
  const TimeMs now = clock_.NowMs();
  std::optional<TimeMs> deadline = machine_.NextDeadline(state_, view_.hero_stories.size());
  if (state_.screen == Screen::kAttract) {
    const TimeMs refresh = last_refresh_at_ + options_.refresh_interval_ms;
    deadline = deadline ? std::min(*deadline, refresh) : refresh;
  }
  if (!deadline) return -1;
  return static_cast<int>(std::clamp<TimeMs>(*deadline - now, 0, INT_MAX));
}

void KioskController::Apply(const Event& event) {
  const Screen before = state_.screen;
  state_ = machine_.Step(state_, event, clock_.NowMs());
  if (state_.capture_request) PerformCapture();
  if (state_.screen != before) OnScreenChanged(before);
}

void KioskController::PerformCapture() {
  FeedbackRecord record = std::move(*state_.capture_request);
  state_.capture_request.reset();
  Status status;
  if (!capture_) {
    status = Status::Unavailable("the capture store is not open: " + capture_open_error_);
  } else {
    record.id = ids_.NextV7().ToString();
    record.device_id = capture_->config().device_id;
    record.site_id = capture_->config().site_id;
    // A record the central store would reject is still kept: it is quarantined
    // there with the reason, which beats losing the customer's words here.
    if (Status valid = ValidateRecord(*state_.survey, record); !valid.ok()) {
      spdlog::warn("captured record does not validate against its survey: {}", valid.ToString());
    }
    status = capture_->store().Capture(record);
  }
  if (status.ok()) {
    spdlog::info("captured record {} ({}, {} answers{}{})", record.id,
                 RecordStatusName(record.status), record.answers.size(),
                 record.hero ? ", hero" : "", record.flagged_burst ? ", flagged as burst" : "");
    state_ = machine_.Step(state_, CaptureDone{true, ""}, clock_.NowMs());
  } else {
    spdlog::error("out of service: could not capture record {}: {}", record.id, status.ToString());
    state_ = machine_.Step(state_, CaptureDone{false, status.ToString()}, clock_.NowMs());
  }
}

void KioskController::OnScreenChanged(Screen previous) {
  spdlog::debug("screen {} -> {}", ScreenName(previous), ScreenName(state_.screen));
  if (state_.screen == Screen::kAttract) RefreshFromStore();
  if (state_.screen == Screen::kAdmin) RefreshAdminStatus();
  if (state_.screen == Screen::kAdmin && previous == Screen::kAdminPin) {
    spdlog::warn("admin screen opened with the PIN");
  }
  if (state_.screen == Screen::kAdminPin && state_.pin_locked_until > clock_.NowMs()) {
    spdlog::warn("admin PIN pad is locked after repeated wrong PINs");
  }
}

std::shared_ptr<const SurveyDefinition> KioskController::LoadCurrentSurvey() {
  if (capture_) {
    Result<StoredSurvey> stored = capture_->store().LatestSurvey(Channel::kKiosk);
    if (stored.ok()) {
      const std::string source =
          "capture DB survey " + SurveyKey(stored->survey_id, stored->version);
      Result<SurveyDefinition> parsed = ParseSurveyDefinition(stored->definition_json, source);
      if (parsed.ok()) return std::make_shared<const SurveyDefinition>(std::move(parsed).value());
      spdlog::error("ignoring {}: {}", source, parsed.status().ToString());
    } else if (stored.status().code() != Status::Code::kNotFound) {
      spdlog::error("reading the newest survey from the capture DB: {}",
                    stored.status().ToString());
    }
  }
  Result<SurveyDefinition> fallback = LoadSurveyDefinition(options_.survey_source.fallback_path);
  if (!fallback.ok()) {
    spdlog::error("fallback survey: {}", fallback.status().ToString());
    return nullptr;
  }
  return std::make_shared<const SurveyDefinition>(std::move(fallback).value());
}

void KioskController::RefreshFromStore() {
  last_refresh_at_ = clock_.NowMs();
  if (!capture_) return;
  CaptureStore& store = capture_->store();
  if (!options_.roster_override) {
    Result<std::vector<StaffMember>> roster = store.Roster();
    if (roster.ok()) {
      view_.roster = std::move(roster).value();
    } else {
      spdlog::warn("reading the staff roster: {}", roster.status().ToString());
    }
  }
  Result<std::vector<HeroStory>> stories =
      store.HeroStories(static_cast<int>(options_.max_hero_stories));
  if (stories.ok()) {
    view_.hero_stories = std::move(stories).value();
  } else {
    spdlog::warn("reading hero stories: {}", stories.status().ToString());
  }
  if (!options_.survey_source.pinned_path.empty()) return;
  // A new definition is offered between customers only; the machine holds it
  // until the attract screen if anyone is mid-survey.
  Result<StoredSurvey> latest = store.LatestSurvey(Channel::kKiosk);
  if (!latest.ok()) return;
  const std::string key = SurveyKey(latest->survey_id, latest->version);
  if (key == offered_survey_key_) return;
  offered_survey_key_ = key;
  Result<SurveyDefinition> parsed =
      ParseSurveyDefinition(latest->definition_json, "capture DB survey " + key);
  if (!parsed.ok()) {
    spdlog::error("ignoring new survey {}: {}", key, parsed.status().ToString());
    return;
  }
  spdlog::info("switching to survey {}", key);
  Apply(SurveyAvailable{std::make_shared<const SurveyDefinition>(std::move(parsed).value())});
}

void KioskController::RefreshAdminStatus() {
  AdminStatus a;
  if (state_.survey) a.survey = SurveyKey(state_.survey->id, state_.survey->version);
  a.store_problem = state_.out_of_service_reason;
  if (capture_) {
    a.device_id = capture_->config().device_id;
    a.site_id = capture_->config().site_id;
    CaptureStore& store = capture_->store();
    if (Result<OutboxCounts> counts = store.Counts(); counts.ok()) {
      a.backlog = counts->pending + counts->in_batch;
      a.oldest_pending_at = counts->oldest_pending_submitted_at;
    } else if (a.store_problem.empty()) {
      a.store_problem = counts.status().ToString();
    }
    if (Result<std::string> last = store.GetSetting(kSettingSyncLastSuccess); last.ok()) {
      try {
        a.last_sync_success = std::stoll(*last);
      } catch (...) {  // a malformed setting is shown as "never", not a crash
      }
    }
    if (Result<std::string> err = store.GetSetting(kSettingSyncLastError); err.ok()) {
      a.last_sync_error = *err;
    }
  } else {
    a.device_id = options_.device.device_id;
    a.site_id = options_.device.site_id;
    a.store_problem = capture_open_error_;
  }
  view_.admin = std::move(a);
}

}  // namespace feedback::kiosk
