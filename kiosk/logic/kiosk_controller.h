// KioskController: the kiosk's non-visual core. It owns the state machine's
// current state and performs the one effect the machine asks for - capturing a
// record through DeviceCapture, which seals it to the central store's key and
// commits it durably - and reports the outcome back (thank-you only after a
// successful capture; out-of-service after a failed one). It also reads what
// the sync daemon put in the capture DB for the screens: the newest survey
// definition (switched to only on the attract screen), the roster and the
// published hero stories, and the admin screen's status figures.
//
// Nothing here draws: the UI layer renders state() and view() and hands the
// customer's taps to Dispatch(). Nothing here throws; failures are logged
// (spdlog) and become screen states.
//
// Threading: one controller, used from the UI thread only. It owns the capture
// session and borrows the clock, which must outlive it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/uuid.h"
#include "device/device_capture.h"
#include "logic/kiosk_state.h"
#include "model/survey.h"
#include "store/capture_store.h"

namespace feedback::kiosk {

// Where the survey definition comes from.
struct SurveySource {
  std::string pinned_path;    // --survey: always this file, never switched
  std::string fallback_path;  // used while the capture DB holds no kiosk survey
};

// What the admin screen shows, read when it opens.
struct AdminStatus {
  std::string device_id;
  std::string site_id;
  std::string survey;              // "retail_kiosk v1"
  std::optional<int64_t> backlog;  // records not yet acknowledged by the central store
  std::optional<TimeMs> oldest_pending_at;
  std::optional<TimeMs> last_sync_success;
  std::string last_sync_error;
  std::string store_problem;  // empty when the capture store works
};

// Everything besides KioskState that the screens show.
struct ViewData {
  std::vector<StaffMember> roster;
  std::vector<HeroStory> hero_stories;
  AdminStatus admin;
};

struct ControllerOptions {
  DeviceConfig device;  // device.json, for the admin screen even when the store is down
  Settings settings;
  SurveySource survey_source;
  std::optional<std::vector<StaffMember>> roster_override;  // --roster CSV
  TimeMs refresh_interval_ms = 60'000;  // how often an idle attract screen re-reads the DB
  size_t max_hero_stories = 20;
};

class KioskController {
 public:
  // `capture` is the opened capture session, or the reason it could not be
  // opened (the kiosk then starts out of service, but still runs so staff can
  // see why from the admin screen). Fails only when no survey definition can
  // be loaded at all.
  static Result<std::unique_ptr<KioskController>> Create(ControllerOptions options,
                                                         Result<DeviceCapture> capture,
                                                         PinVerifier verify_pin,
                                                         const Clock& clock);

  // Applies one event at the clock's current time, then performs any capture it
  // asked for and refreshes what the new screen shows.
  void Dispatch(const Event& event);
  // Time passed: timeouts, story rotation, and the idle attract screen's DB poll.
  void Tick();
  // Milliseconds until Tick() next has something to do, or -1 for "only on input".
  int MsUntilNextTick() const;

  const KioskState& state() const { return state_; }
  const ViewData& view() const { return view_; }
  const KioskMachine& machine() const { return machine_; }
  bool capture_open() const { return capture_.has_value(); }
  // For tests: the capture session (nullptr when it could not be opened).
  DeviceCapture* capture() { return capture_ ? &*capture_ : nullptr; }

 private:
  KioskController(ControllerOptions options, std::optional<DeviceCapture> capture,
                  PinVerifier verify_pin, const Clock& clock);

  void Apply(const Event& event);
  void PerformCapture();
  void OnScreenChanged(Screen previous);
  // Re-reads roster, hero stories and the newest survey from the capture DB.
  void RefreshFromStore();
  void RefreshAdminStatus();
  // The newest survey to use (DB, else fallback file), or nullptr on failure.
  std::shared_ptr<const SurveyDefinition> LoadCurrentSurvey();

  ControllerOptions options_;
  std::optional<DeviceCapture> capture_;
  std::string capture_open_error_;
  const Clock& clock_;
  KioskMachine machine_;
  KioskState state_;
  ViewData view_;
  UuidGenerator ids_;
  TimeMs last_refresh_at_ = 0;
  // Identity of the survey most recently offered, so an unchanged DB row is not re-parsed.
  std::string offered_survey_key_;
};

}  // namespace feedback::kiosk
