#include "logic/agent_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "logic/agent_strings.h"

namespace feedback::agent {
namespace {

// Enough for a month of a busy rep's calls (the 30-day trend).
constexpr int kTrendRecordLimit = 5000;
constexpr size_t kMaxSessionNotes = 64;
constexpr TimeMs kDraftRetryMs = 5000;

bool ValidStaffId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

Result<std::shared_ptr<const FormSurvey>> LoadSurveyFile(const std::string& path) {
  Result<std::string> text = ReadSmallFile(path, kMaxSurveyFileBytes);
  if (!text.ok()) return text.status().WithContext("reading the call-log survey");
  return MakeFormSurvey(std::move(text).value(), path);
}

}  // namespace

Result<std::unique_ptr<AgentSession>> AgentSession::Open(const SessionConfig& config,
                                                         const Clock& clock) {
  // The device: where the capture DB is and whom records are sealed to.
  Result<DeviceConfig> device = LoadDeviceConfig(config.device_config_path);
  if (!device.ok()) return device.status();
  if (device->kind != DeviceKind::kAgent) {
    spdlog::warn("{} describes a {} device; this desktop logs calls as an agent device",
                 config.device_config_path, DeviceKindName(device->kind));
  }
  Result<DeviceCapture> capture = DeviceCapture::Open(*device, clock);
  if (!capture.ok()) return capture.status().WithContext("opening the capture database");

  // The key that seals unfinished logs.
  std::string key_path = config.draft_key_path;
  if (key_path.empty()) {
    key_path =
        (std::filesystem::path(device->device_key_file).parent_path() / "agent_draft.key").string();
  }
  Result<DraftVault> vault = DraftVault::OpenOrCreate(key_path, device->device_id);
  if (!vault.ok()) return vault.status();

  // The call-log definition: the file given, else the newest the sync daemon stored,
  // else the one shipped in assets/.
  std::shared_ptr<const FormSurvey> survey;
  const bool fixed = !config.survey_path.empty();
  if (fixed) {
    Result<std::shared_ptr<const FormSurvey>> loaded = LoadSurveyFile(config.survey_path);
    if (!loaded.ok()) return loaded.status();
    survey = *loaded;
  } else {
    Result<StoredSurvey> stored = capture->store().LatestSurvey(Channel::kCall);
    if (stored.ok()) {
      Result<std::shared_ptr<const FormSurvey>> parsed =
          MakeFormSurvey(stored->definition_json, "capture DB survey " + stored->survey_id + " v" +
                                                      std::to_string(stored->version));
      if (parsed.ok()) {
        survey = *parsed;
      } else {
        spdlog::warn("ignoring the stored call survey: {}", parsed.status().message());
      }
    }
    if (!survey) {
      Result<std::shared_ptr<const FormSurvey>> loaded =
          LoadSurveyFile(config.fallback_survey_path);
      if (!loaded.ok()) return loaded.status();
      survey = *loaded;
    }
  }
  spdlog::info("call-log survey {} v{} from {}", survey->definition.id, survey->definition.version,
               survey->source);

  std::unique_ptr<AgentSession> session(new AgentSession(config, clock, std::move(capture).value(),
                                                         std::move(vault).value(), survey));
  session->survey_fixed_ = fixed;
  Result<std::vector<StaffMember>> roster = session->capture_.store().Roster();
  if (roster.ok()) session->roster_ = std::move(roster).value();

  // The rep: the one named on the command line, else the one this desktop remembers.
  std::string staff = config.staff_id;
  if (staff.empty()) {
    Result<std::string> remembered = session->capture_.store().GetSetting(kSettingStaffId);
    if (remembered.ok()) staff = *remembered;
  }
  if (!staff.empty()) {
    if (Status s = session->SignIn(staff); !s.ok()) {
      if (!config.staff_id.empty()) return s;  // a bad --staff-id is the caller's mistake
      spdlog::warn("not signing in the remembered rep: {}", s.message());
    }
  }
  session->Refresh();
  return session;
}

AgentSession::AgentSession(SessionConfig config, const Clock& clock, DeviceCapture capture,
                           DraftVault vault, std::shared_ptr<const FormSurvey> survey)
    : config_(std::move(config)),
      clock_(clock),
      capture_(std::move(capture)),
      vault_(std::move(vault)),
      uuids_(clock),
      current_survey_(std::move(survey)),
      form_(NewForm(current_survey_, config_.locale)) {}

AgentSession::~AgentSession() {
  // Last chance for a half-filled form; Close() normally did this already.
  SaveDraftIfDue(/*force=*/true);
}

Status AgentSession::SignIn(const std::string& staff_id) {
  if (!ValidStaffId(staff_id)) {
    return Status::InvalidArgument("staff id '" + staff_id.substr(0, 80) +
                                   "': " + std::string(Tr(config_.locale, Str::kSignInBadId)));
  }
  if (signed_in() && staff_id != staff_id_) FEEDBACK_RETURN_IF_ERROR(SignOut());
  staff_id_ = staff_id;
  if (Status s = capture_.store().SetSetting(kSettingStaffId, staff_id); !s.ok()) {
    problem_ = "could not remember the rep on this desktop: " + s.message();
    spdlog::warn("{}", problem_);
  }
  form_ = NewForm(current_survey_, config_.locale);
  Result<FormState> draft = vault_.Load(capture_.store(), staff_id_, config_.locale);
  if (draft.ok()) {
    form_ = std::move(draft).value();
    const TimeMs when = form_.started_at != 0 ? form_.started_at : clock_.NowMs();
    form_.notice = {NoticeKind::kInfo, Subst(Tr(config_.locale, Str::kDraftRestoredFmt),
                                             {FormatClock(when, clock_.NowMs())})};
    spdlog::info("restored the unfinished log of {}", staff_id_);
  } else if (draft.status().code() != Status::Code::kNotFound) {
    // Keep the unreadable blob aside rather than overwrite it with the next draft.
    spdlog::warn("set aside an unreadable draft of {}: {}", staff_id_, draft.status().message());
    Result<std::string> blob = capture_.store().GetSetting(DraftSettingKey(staff_id_));
    if (blob.ok()) {
      (void)capture_.store().SetSetting(
          DraftSettingKey(staff_id_) + ".unreadable." + std::to_string(clock_.NowMs()), *blob);
      (void)vault_.Discard(capture_.store(), staff_id_);
    }
    form_.notice = {NoticeKind::kWarning, std::string(Tr(config_.locale, Str::kDraftUnreadable))};
  }
  saved_edits_ = form_.edits;
  spdlog::info("rep {} signed in", staff_id_);
  Refresh();
  return Status::Ok();
}

Status AgentSession::SignOut() {
  if (!signed_in()) return Status::Ok();
  SaveDraftIfDue(/*force=*/true);
  spdlog::info("rep {} signed out", staff_id_);
  staff_id_.clear();
  notes_.clear();
  form_ = NewForm(current_survey_, config_.locale);
  saved_edits_ = form_.edits;
  panels_ = SessionPanels{};
  return capture_.store().SetSetting(kSettingStaffId, "");
}

void AgentSession::Dispatch(const FormEvent& event, std::optional<SteadyTime> input_at) {
  if (!signed_in()) return;
  const TimeMs now = clock_.NowMs();
  const uint64_t edits_before = form_.edits;
  const uint64_t focus_before = form_.focus_serial;
  form_ = Reduce(std::move(form_), event, now);
  if (form_.edits != edits_before) last_edit_at_ = now;
  // Debug lines for tests to wait on: which field has the keyboard, how long a text is
  // (its length only: the texts themselves are sealed).
  if (const SetText* edit = std::get_if<SetText>(&event); edit != nullptr) {
    spdlog::debug("field {} holds {} characters", edit->key,
                  Utf8Length(edit->text).value_or(edit->text.size()));
  } else if (form_.edits != edits_before && form_.focus < form_.fields.size()) {
    spdlog::debug("field {} answered", form_.fields[form_.focus].key);
  }
  if (form_.focus_serial != focus_before && form_.focus < form_.fields.size()) {
    spdlog::debug("focus on {}", form_.fields[form_.focus].key);
  }
  if (form_.submit_ready) {
    Capture(input_at);
  } else if (std::holds_alternative<Submit>(event)) {
    // A refused submit: what was typed is saved at once, not after the pause. The log
    // names the fields (never their contents).
    std::string keys;
    for (const auto& [key, problem] : form_.problems) keys += (keys.empty() ? "" : ",") + key;
    spdlog::info("submit refused: {} field(s) to fix ({})", form_.problems.size(), keys);
    SaveDraftIfDue(/*force=*/true);
  }
  if (form_.values.Empty()) CheckForNewSurvey();
}

void AgentSession::Capture(std::optional<SteadyTime> input_at) {
  const SteadyTime start = input_at.value_or(std::chrono::steady_clock::now());
  const TimeMs now = clock_.NowMs();
  RecordContext context;
  context.record_id = uuids_.NextV7().ToString();
  context.device_id = capture_.config().device_id;
  context.site_id = capture_.config().site_id;
  context.staff_id = staff_id_;
  context.submitted_at = now;
  context.resolve_staff = [this](std::string_view name) { return ResolveStaff(name); };
  Result<FeedbackRecord> record = BuildRecord(form_, context);
  Status stored = record.ok() ? capture_.store().Capture(*record) : record.status();
  if (!stored.ok()) {
    spdlog::error("call log not captured: {}", stored.message());
    form_ = Reduce(std::move(form_), CaptureFailed{stored.message()}, now);
    SaveDraftIfDue(/*force=*/true);
    return;
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  last_capture_ms_ = ms;
  // Never log the texts: they are sealed for a reason.
  spdlog::info("call log {} captured durably {:.2f} ms after the submitting key press", record->id,
               ms);

  SessionNote note;
  note.record_id = record->id;
  for (const FormField& f : form_.fields) {
    if (f.kind != FieldKind::kText) continue;
    if (const Answer* a = record->FindAnswer(f.question_id)) note.call_ref = a->text;
    break;
  }
  note.praised = record->hero.has_value();
  notes_.push_back(std::move(note));
  if (notes_.size() > kMaxSessionNotes) notes_.erase(notes_.begin());

  form_ =
      Reduce(std::move(form_),
             Captured{Subst(Tr(config_.locale, Str::kLoggedFmt), {FormatClock(now, now)})}, now);
  // The logged call's draft must not come back after a restart.
  if (Status s = vault_.Discard(capture_.store(), staff_id_); !s.ok()) {
    spdlog::error("could not remove the draft of the logged call: {}", s.message());
  }
  saved_edits_ = form_.edits;
  Refresh();
}

void AgentSession::SaveDraftIfDue(bool force) {
  if (!signed_in() || form_.edits == saved_edits_) return;
  const TimeMs now = clock_.NowMs();
  if (!force && now - last_edit_at_ < config_.draft_save_delay_ms) return;
  if (!force && now < draft_retry_at_) return;
  Status s = vault_.Save(capture_.store(), staff_id_, form_);
  if (!s.ok()) {
    problem_ = "unfinished log not saved: " + s.message();
    spdlog::error("{}", problem_);
    draft_retry_at_ = now + kDraftRetryMs;
    return;
  }
  saved_edits_ = form_.edits;
  ++draft_saves_;
  problem_.clear();
}

int AgentSession::Tick() {
  const TimeMs now = clock_.NowMs();
  SaveDraftIfDue(/*force=*/false);
  if (now - last_refresh_at_ >= config_.refresh_every_ms) {
    CheckForNewSurvey();
    RefreshSync();
  }
  TimeMs wait = config_.refresh_every_ms - (clock_.NowMs() - last_refresh_at_);
  if (signed_in() && form_.edits != saved_edits_) {
    const TimeMs due = std::max(last_edit_at_ + config_.draft_save_delay_ms, draft_retry_at_);
    wait = std::min(wait, due - now);
  }
  return static_cast<int>(std::clamp<TimeMs>(wait, 1, config_.refresh_every_ms));
}

Status AgentSession::Close() {
  if (!signed_in() || form_.edits == saved_edits_) return Status::Ok();
  Status s = vault_.Save(capture_.store(), staff_id_, form_);
  if (s.ok()) {
    saved_edits_ = form_.edits;
    ++draft_saves_;
    spdlog::info("saved the unfinished log of {} (sealed)", staff_id_);
  }
  return s;
}

void AgentSession::Refresh() {
  RefreshSync();
  if (!signed_in()) return;
  const TimeMs now = clock_.NowMs();
  const SurveyDefinition& def = form_.survey->definition;
  Result<std::vector<FeedbackRecord>> records =
      capture_.store().Recent(kTrendRecordLimit, staff_id_);
  if (records.ok()) {
    panels_.history = MakeHistory(*records, def, config_.locale, config_.history_limit, notes_);
    panels_.trend = ComputeRepTrend(*records, def, config_.locale, now, config_.min_n);
  } else {
    spdlog::warn("could not read the rep's recent logs: {}", records.status().message());
  }
  Result<std::vector<HeroStory>> heroes =
      capture_.store().HeroStories(config_.hero_limit, capture_.config().team);
  if (heroes.ok()) panels_.heroes = std::move(heroes).value();
  panels_.staff_name.clear();
  for (const StaffMember& m : roster_) {
    if (m.staff_id == staff_id_) panels_.staff_name = m.display_name;
  }
}

void AgentSession::RefreshSync() {
  last_refresh_at_ = clock_.NowMs();
  CaptureStore& store = capture_.store();
  SyncStatus sync;
  Result<OutboxCounts> counts = store.Counts();
  if (counts.ok()) {
    sync.backlog = counts->pending + counts->in_batch;
    sync.oldest_pending = counts->oldest_pending_submitted_at;
  }
  Result<std::string> success = store.GetSetting(kSettingSyncLastSuccess);
  if (success.ok() && !success->empty()) {
    try {
      sync.last_success = std::stoll(*success);
    } catch (const std::exception&) {
      spdlog::warn("setting {} is not a time: '{}'", kSettingSyncLastSuccess, *success);
    }
  }
  Result<std::string> error = store.GetSetting(kSettingSyncLastError);
  if (error.ok()) sync.last_error = *error;
  panels_.sync = std::move(sync);
}

void AgentSession::CheckForNewSurvey() {
  if (!survey_fixed_) {
    Result<StoredSurvey> stored = capture_.store().LatestSurvey(Channel::kCall);
    const SurveyDefinition& current = current_survey_->definition;
    if (stored.ok() && (stored->survey_id != current.id || stored->version > current.version)) {
      Result<std::shared_ptr<const FormSurvey>> parsed =
          MakeFormSurvey(stored->definition_json, "capture DB survey " + stored->survey_id + " v" +
                                                      std::to_string(stored->version));
      if (parsed.ok()) {
        spdlog::info("newer call-log survey {} v{}: used from the next log", stored->survey_id,
                     stored->version);
        current_survey_ = *parsed;
      } else if (stored->version != rejected_version_) {
        rejected_version_ = stored->version;
        spdlog::warn("ignoring the stored call survey: {}", parsed.status().message());
      }
    }
  }
  // Between logs only: SwitchSurvey leaves a form with anything in it alone.
  const SurveyDefinition& shown = form_.survey->definition;
  const bool differs = shown.id != current_survey_->definition.id ||
                       shown.version != current_survey_->definition.version;
  if (signed_in() && differs && form_.values.Empty() && !form_.submit_ready) {
    form_ = Reduce(std::move(form_), SwitchSurvey{current_survey_}, clock_.NowMs());
    saved_edits_ = form_.edits;
    Refresh();
  }
}

std::string AgentSession::ResolveStaff(std::string_view name) const {
  for (const StaffMember& m : roster_) {
    if (EqualsIgnoreCase(m.display_name, name) || EqualsIgnoreCase(m.staff_id, name)) {
      return m.staff_id;
    }
  }
  return {};
}

}  // namespace feedback::agent
