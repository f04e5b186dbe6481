// The kiosk's screen flow as a plain state machine (STYLE.md "Screens" 5):
// KioskState is a value, Event is what the customer, the clock or the capture
// store reported, and KioskMachine::Step(state, event, now) returns the next
// state without touching anything else. Drawing code renders a KioskState and
// returns Events; the controller (kiosk_controller.h) performs the one side
// effect the machine can ask for - capturing a record - and reports the result
// back as a CaptureDone event. This file knows nothing of ImGui or SDL and the
// build enforces it (kiosk/CMakeLists.txt).
//
// Flow: attract (which may already ask the first question: then a tap on a score
// answers it and goes on to the second) -> one screen per visible question -> saving -> thank-you ->
// attract. "saving" exists so that thank-you can only follow a successful
// CaptureDone; a failed capture leads to out-of-service. An idle customer
// mid-survey is saved as `abandoned` and the screen returns to attract with
// every answer cleared. Admin: tap the top-left corner of the attract (or
// out-of-service) screen five times, then a PIN; five wrong PINs lock the pad.
//
// Threading: KioskMachine is immutable after construction (safe to share);
// KioskState is a plain value owned by whoever holds it.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "model/record.h"
#include "model/survey.h"

namespace feedback::kiosk {

enum class Screen {
  kAttract,       // brand, prompt, rotating hero stories; tap to start
  kQuestion,      // one question (and one step of it) per screen
  kSaving,        // the record is being captured; never drawn for long
  kThankYou,      // shown only after the record is durably stored
  kOutOfService,  // the capture store failed; nothing can be kept
  kAdminPin,      // PIN pad
  kAdmin,         // device id, backlog, last sync, exit
};
std::string_view ScreenName(Screen screen);

// Steps inside one question. Score, choice and text questions have only kMain.
enum class Step {
  kMain,            // the question itself (hero: pick a name; contact: yes / no)
  kHeroName,        // hero: type a name that is not on the roster
  kHeroStory,       // hero: what did they do?
  kContactDetails,  // contact: name / phone / email
};

// The text fields the on-screen keyboard can edit.
enum class TextField { kAnswer, kHeroName, kHeroStory, kContactName, kContactPhone, kContactEmail };
std::string_view TextFieldName(TextField field);

struct Settings {
  TimeMs idle_timeout_ms = 45'000;   // no touch this long mid-survey: save as abandoned
  TimeMs still_there_ms = 10'000;    // "Still there?" shows this long before the idle reset
  TimeMs thank_you_ms = 6'000;       // how long thank-you stays up
  TimeMs attract_rotate_ms = 8'000;  // next hero story on the attract screen
  int burst_max_per_window = 5;      // more records than this in the window are flagged
  TimeMs burst_window_ms = 60'000;
  int pin_max_attempts = 5;  // wrong PINs in a row before the pad locks
  TimeMs pin_lockout_ms = 5 * 60'000;
  size_t pin_max_digits = 12;
  int admin_corner_taps = 5;  // taps on the hidden corner that open the PIN pad
  TimeMs admin_corner_window_ms = 4'000;
  TimeMs admin_idle_ms = 60'000;      // an unattended admin screen closes itself
  std::string default_locale = "en";  // every new customer starts in this language
};

// What a customer has entered so far. Cleared whenever the screen returns to attract.
struct Session {
  TimeMs started_at = 0;
  std::vector<Answer> answers;  // committed answers, in the order given
  std::optional<Hero> hero;     // committed hero nomination
  std::optional<Contact> contact;
  bool contact_opted_in = false;
  // The fields of the current screen while they are being typed; committed on Next/Back.
  std::string edit_answer;
  Hero edit_hero;
  Contact edit_contact;
  TextField focus = TextField::kAnswer;
  // Hero picker on a long roster: the first letter chosen in the index ("" = all names)
  // and the page of names shown.
  std::string hero_letter;
  int hero_page = 0;
  bool shift = true;  // the keyboard's one-shot shift: capitalise the first letter
  bool symbols = false;  // compact keyboards: the digits layer (on by itself for a phone)

  bool Empty() const { return answers.empty() && !hero && !contact; }
};

struct KioskState {
  Screen screen = Screen::kAttract;
  std::shared_ptr<const SurveyDefinition> survey;       // the survey in use
  std::shared_ptr<const SurveyDefinition> next_survey;  // switched to at the next attract
  std::string locale = "en";
  size_t question_index = 0;
  Step step = Step::kMain;
  Session session;
  TimeMs last_input_at = 0;
  TimeMs screen_until = 0;  // thank-you: when it ends
  // Mid-survey, the idle reset is near: "Still there?" covers the question until a
  // touch (any input) keeps the survey, or the idle timeout saves it as abandoned.
  bool still_there = false;

  // The one side effect the machine asks for: capture this record, then send CaptureDone.
  std::optional<FeedbackRecord> capture_request;
  std::deque<TimeMs> recent_captures;  // for burst throttling, oldest first

  std::string out_of_service_reason;  // non-empty once capture has failed

  // Attract screen: which published hero story is shown.
  size_t story_index = 0;
  TimeMs story_shown_at = 0;

  // Admin.
  int corner_taps = 0;
  TimeMs first_corner_tap_at = 0;
  std::string pin_entry;
  int pin_failures = 0;
  TimeMs pin_locked_until = 0;
  bool pin_rejected = false;  // the last PIN was wrong (the pad says so)
  bool exit_requested = false;
};

// ---- Events ---------------------------------------------------------------
struct Tick {};  // time passed (timeouts, rotation)
struct StartSurvey {};
struct SetLocale {
  std::string locale;
};
struct AnswerScore {
  int value = 0;
};
struct ToggleOption {
  std::string option_id;
};  // choice: select and go on; multi: toggle
struct SetText {
  TextField field = TextField::kAnswer;
  std::string text;
};
struct FocusField {
  TextField field = TextField::kAnswer;
};
struct SetShift {
  bool on = false;
};
struct SetSymbols {
  bool on = false;
};  // the keyboard's layer key
struct PickStaff {
  std::string staff_id;
  std::string name;
};
struct TypeHeroName {};  // "someone else": type the name
struct HeroLetter {
  std::string letter;  // "" = every name
};
struct HeroPage {
  int page = 0;  // the drawing clamps it to the pages there are
};
struct StillHere {};  // the "Still there?" overlay was tapped
struct ContactOptIn {
  bool yes = false;
};
struct Next {};  // also "Skip" / "Done"
struct Back {};
struct CaptureDone {
  bool ok = false;
  std::string reason;
};
struct CaptureUnavailable {
  std::string reason;
};  // the store could not even be opened
struct SurveyAvailable {
  std::shared_ptr<const SurveyDefinition> survey;
};
struct AdminCornerTap {};
struct PinDigit {
  int digit = 0;
};
struct PinBackspace {};
struct PinSubmit {};
struct AdminClose {};
struct AdminExit {};

using Event = std::variant<Tick, StartSurvey, SetLocale, AnswerScore, ToggleOption, SetText,
                           FocusField, SetShift, SetSymbols, PickStaff, TypeHeroName, HeroLetter,
                           HeroPage, StillHere, ContactOptIn, Next, Back,
                           CaptureDone, CaptureUnavailable, SurveyAvailable, AdminCornerTap,
                           PinDigit, PinBackspace, PinSubmit, AdminClose, AdminExit>;
std::string_view EventName(const Event& event);

// Checks an entered PIN against the stored hash; absent when no PIN is set, and
// then the admin screen cannot be opened at all.
using PinVerifier = std::function<bool(std::string_view pin)>;

class KioskMachine {
 public:
  KioskMachine(Settings settings, PinVerifier verify_pin)
      : settings_(std::move(settings)), verify_pin_(std::move(verify_pin)) {}

  // The first state: attract with `survey`, in the default locale.
  KioskState Initial(std::shared_ptr<const SurveyDefinition> survey, TimeMs now) const;

  // The pure transition function. Events that make no sense in a state leave it as it is.
  KioskState Step(const KioskState& state, const Event& event, TimeMs now) const;

  // When a Tick would next change something (idle timeout, thank-you end, story
  // rotation, lockout end), or nullopt when only input can.
  std::optional<TimeMs> NextDeadline(const KioskState& state, size_t story_count) const;

  const Settings& settings() const { return settings_; }
  bool has_pin() const { return static_cast<bool>(verify_pin_); }

 private:
  KioskState OnTick(KioskState s, TimeMs now) const;
  // Idle time after which "Still there?" shows (never before half the idle timeout).
  TimeMs StillThereAfter() const {
    return std::max(settings_.idle_timeout_ms / 2,
                    settings_.idle_timeout_ms - settings_.still_there_ms);
  }
  KioskState OnQuestionEvent(KioskState s, const Event& event, TimeMs now) const;
  KioskState OnAdminPinEvent(KioskState s, const Event& event, TimeMs now) const;
  // Moves to the next visible question, or finishes the survey.
  KioskState Advance(KioskState s, TimeMs now) const;
  KioskState GoBack(KioskState s) const;
  // Enters the current question: loads its edit buffers from what was committed.
  void EnterQuestion(KioskState& s) const;
  // Commits the current screen's edit buffers into the session.
  void CommitEdits(KioskState& s) const;
  // Clears the session and shows attract (switching survey if one is waiting).
  KioskState ToAttract(KioskState s, TimeMs now) const;
  // Asks for the session to be captured with `status`.
  void RequestCapture(KioskState& s, RecordStatus status, TimeMs now) const;

  Settings settings_;
  PinVerifier verify_pin_;
};

// The question on screen (nullptr when the screen is not a question).
const Question* CurrentQuestion(const KioskState& state);
// The committed answer to `question_id`, or nullptr.
const Answer* FindAnswer(const Session& session, std::string_view question_id);
// Whether Next may be pressed now (a required question must be answered first).
bool CanGoNext(const KioskState& state);
// Whether there is a previous screen to go back to.
bool CanGoBack(const KioskState& state);
// 1-based position of the current question among the visible ones, and their count.
struct Progress {
  int current = 0;
  int total = 0;
};
Progress QuestionProgress(const KioskState& state);
// True while the PIN pad refuses input.
bool PinLocked(const KioskState& state, TimeMs now);

// The longest text (code points) `field` of question `q` accepts; the same
// bounds ValidateRecord() applies, so nothing typed can make a record invalid.
size_t TextFieldLimit(const Question& q, TextField field);
// The text being edited in `field`.
const std::string& FieldText(const Session& session, TextField field);
// "attract", "question:<id>:<step>", ... - for logs and the e2e tests.
std::string ScreenKey(const KioskState& state);

// The record a session becomes (ids, device and site are the controller's to fill):
// hidden questions' answers dropped, empty text answers omitted.
FeedbackRecord BuildRecord(const SurveyDefinition& survey, const Session& session,
                           const std::string& locale, RecordStatus status, TimeMs now);

}  // namespace feedback::kiosk
