// AgentSession: everything the call-log window does besides drawing. It owns the
// device's capture session (DeviceCapture: records are sealed to the central store), the
// draft vault, the rep's identity, the form state and the figures beside the form, and
// turns the view's FormEvents into state changes and durable captures:
//
//   Dispatch(event)  Reduce() the form; when a Submit passes validation, build the record
//                    and Capture() it (committed and fsynced before this returns), then
//                    tell the form Captured or CaptureFailed. Logs the Enter->durable time.
//   Tick()           once per frame: save the sealed draft shortly after typing pauses,
//                    refresh the sync status / history, switch to a newer call-log survey
//                    when the form is empty (never in the middle of a log)
//   Close()          save the draft now (window closed with a half-filled form)
//
// Offline: it only touches the local SQLite file and key files, never the network. All of
// its work is local I/O of a few milliseconds, done on the UI thread (see
// docs/agent-client.md for the measured figures).
//
// Failures never throw and never lose what was typed: they become notices on the form
// (and log lines), and the form keeps its values.
//
// Threading: create, use and destroy on one thread (the UI thread). Owns everything it
// holds; borrows the clock, which must outlive it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/uuid.h"
#include "device/device_capture.h"
#include "logic/call_log_form.h"
#include "logic/draft_vault.h"
#include "logic/rep_stats.h"

namespace feedback::agent {

// The settings key that remembers the last rep signed in on this desktop.
inline constexpr char kSettingStaffId[] = "agent.staff_id";

struct SessionConfig {
  std::string device_config_path;
  std::string survey_path;           // fixed definition file; empty: newest in the DB
  std::string fallback_survey_path;  // used when the DB holds no call survey
  std::string staff_id;              // sign in as this rep; empty: the remembered one
  std::string locale = "en";
  std::string draft_key_path;  // empty: agent_draft.key beside the device key
  int64_t min_n = metrics::kDefaultMinResponses;
  size_t history_limit = 5;
  int hero_limit = 3;
  TimeMs draft_save_delay_ms = 400;  // save this long after the last keystroke
  TimeMs refresh_every_ms = 10'000;  // sync status / new survey poll
};

// What the panels beside the form show; refreshed by the session.
struct SessionPanels {
  std::vector<HistoryEntry> history;
  RepTrend trend;
  std::vector<HeroStory> heroes;
  SyncStatus sync;
  std::string staff_name;  // from the roster; empty when the rep is not on it
};

class AgentSession {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // Loads device.json, opens the capture store through DeviceCapture (sealed), the
  // draft key, and the call-log definition; signs in config.staff_id or the remembered
  // rep when there is one. Fails with a message naming the file and the fix.
  static Result<std::unique_ptr<AgentSession>> Open(const SessionConfig& config,
                                                    const Clock& clock = SystemClock::Instance());

  ~AgentSession();
  AgentSession(const AgentSession&) = delete;
  AgentSession& operator=(const AgentSession&) = delete;

  // ---- the rep ----
  bool signed_in() const { return !staff_id_.empty(); }
  const std::string& staff_id() const { return staff_id_; }
  // Validates the id (1-64 of [A-Za-z0-9._-]), remembers it on this desktop, restores the
  // rep's unfinished log if there is one. InvalidArgument for a malformed id.
  Status SignIn(const std::string& staff_id);
  // Saves the current rep's draft and signs them out.
  Status SignOut();

  // ---- the form ----
  const FormState& form() const { return form_; }
  // input_at: when the key or click that caused the event arrived (for the latency log).
  void Dispatch(const FormEvent& event, std::optional<SteadyTime> input_at = std::nullopt);
  // Periodic work; returns how many ms until it wants to run again (-1: nothing pending).
  int Tick();
  // Saves the draft now (the window is closing).
  Status Close();

  const SessionPanels& panels() const { return panels_; }
  const DeviceConfig& device() const { return capture_.config(); }
  const std::string& locale() const { return config_.locale; }
  // Milliseconds from the input that submitted the last log to its durable capture.
  std::optional<double> last_capture_ms() const { return last_capture_ms_; }
  // Sealed-draft saves so far (for tests).
  int draft_saves() const { return draft_saves_; }
  // A one-line problem with the session itself (e.g. the draft could not be saved).
  const std::string& problem() const { return problem_; }

  // Re-reads history, trend, hero stories and sync status from the store now.
  void Refresh();

 private:
  AgentSession(SessionConfig config, const Clock& clock, DeviceCapture capture, DraftVault vault,
               std::shared_ptr<const FormSurvey> survey);

  void Capture(std::optional<SteadyTime> input_at);
  void SaveDraftIfDue(bool force);
  void RefreshSync();
  void CheckForNewSurvey();
  std::string ResolveStaff(std::string_view name) const;

  SessionConfig config_;
  const Clock& clock_;
  DeviceCapture capture_;
  DraftVault vault_;
  UuidGenerator uuids_;
  std::shared_ptr<const FormSurvey> current_survey_;  // what a new log uses
  bool survey_fixed_ = false;                         // --survey given: never switch

  std::string staff_id_;
  FormState form_;
  SessionPanels panels_;
  std::vector<StaffMember> roster_;
  std::vector<SessionNote> notes_;

  uint64_t saved_edits_ = 0;  // form_.edits when the draft was last saved
  TimeMs last_edit_at_ = 0;
  TimeMs last_refresh_at_ = 0;
  TimeMs draft_retry_at_ = 0;  // after a failed draft save, not before this
  int rejected_version_ = 0;   // a stored survey that did not parse (warned once)
  std::optional<double> last_capture_ms_;
  int draft_saves_ = 0;
  std::string problem_;
};

}  // namespace feedback::agent
