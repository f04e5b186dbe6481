// CallLogForm: the rep's call-log form as a plain state struct (FormState) and a pure
// transition function Reduce(state, event, now) -> state (STYLE.md "Screens" 5). The
// form is built from a survey definition (assets/surveys/call_log.json or a newer one
// the sync daemon pulled), one focus stop per answerable field, in survey order:
//
//   call_ref (text) -> greeting (rating 1-5) -> resolution (choice) -> effort (ces 1-7)
//   -> praise.name -> praise.story (hero) -> notes (text)
//
// Keyboard model: digits set the focused score (or pick the n-th option of a choice),
// arrows step it, Tab / Shift+Tab move the focus (skipping questions hidden by show_if),
// Enter submits, Esc clears (Ctrl+Z undoes the clear), Ctrl+N focuses a new log. A
// typical log is Ctrl+N, the reference, Tab 4 Tab 1 Tab 6 Enter: 8 keystrokes besides the
// typed text. The drawing code (view/) turns key presses and clicks into FormEvents; it
// never changes the state itself. Submitting only validates: when the form is complete
// the state says submit_ready and the session (agent_session.h) captures the record,
// answering with Captured or CaptureFailed.
//
// Everything here is a plain value or a pure function with no I/O and no ImGui; the
// survey definition is shared, immutable, through a shared_ptr. No thread affinity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "model/record.h"
#include "model/survey.h"

namespace feedback::agent {

// A loaded survey definition together with the exact JSON it came from (kept so that a
// draft can be restored against the version it was started with).
struct FormSurvey {
  SurveyDefinition definition;
  std::string json;
  std::string source;  // file path or "capture DB", for messages
};

// Parses `json` into a shared FormSurvey; the error names `source`.
Result<std::shared_ptr<const FormSurvey>> MakeFormSurvey(std::string json, std::string source);

enum class FieldKind {
  kText,         // text question
  kScore,        // nps / csat / ces / rating
  kChoice,       // single choice: digits pick the n-th option
  kMulti,        // multiple choice: digits toggle the n-th option
  kHeroName,     // hero question: who was praised (empty = the signed-in rep)
  kHeroStory,    // hero question: what the customer said
  kContactName,  // contact question parts
  kContactPhone,
  kContactEmail,
};

bool IsTextKind(FieldKind kind);

// One focus stop of the form.
struct FormField {
  std::string key;          // question id, or "<question id>.name" / ".story" / ".phone"...
  std::string question_id;  // the question it belongs to
  FieldKind kind = FieldKind::kText;
  bool required = false;   // required question (hero/contact parts are never required)
  bool multiline = false;  // story and notes-like texts: a box instead of a line
  size_t max_length = 0;   // text kinds: code points allowed; 0 for the others
};

// The focus stops of a definition, in survey order.
std::vector<FormField> FormFieldsOf(const SurveyDefinition& definition);

// Everything the rep has entered. Texts are kept exactly as typed (trimmed only when
// the record is built), so a failed submit or a restart gives back every character.
struct FormValues {
  std::map<std::string, std::string, std::less<>> text;                  // by field key
  std::map<std::string, int, std::less<>> numbers;                       // by question id
  std::map<std::string, std::vector<std::string>, std::less<>> choices;  // by question id

  // True when nothing but whitespace was entered.
  bool Empty() const;
  bool operator==(const FormValues&) const = default;
};

enum class NoticeKind { kNone, kInfo, kSuccess, kWarning, kError };

struct Notice {
  NoticeKind kind = NoticeKind::kNone;
  std::string text;
  bool operator==(const Notice&) const = default;
};

struct FormState {
  std::shared_ptr<const FormSurvey> survey;
  std::vector<FormField> fields;  // FormFieldsOf(survey->definition)
  std::string locale;             // the rep's UI language; answers use the survey's match
  FormValues values;
  size_t focus = 0;  // index into fields
  // Bumped whenever the focus moves by keyboard or reset, so the view moves its
  // keyboard focus exactly then (and not on every frame).
  uint64_t focus_serial = 0;
  // Bumped whenever values are replaced wholesale (clear, undo, captured, restored), so
  // the view drops any text-edit state it holds for the old values.
  uint64_t generation = 0;
  // Bumped on every change of values: the session saves the draft when it moves.
  uint64_t edits = 0;
  // Problems found by the last Submit, by field key, shown beside the fields.
  std::map<std::string, std::string, std::less<>> problems;
  Notice notice;
  TimeMs started_at = 0;  // the first edit of this log (0 while empty)
  // What the last Esc cleared, for Ctrl+Z.
  std::optional<FormValues> undo_values;
  TimeMs undo_started_at = 0;
  // The last Submit passed validation; the session captures and answers.
  bool submit_ready = false;
};

// A fresh, empty form for `survey` in `locale`.
FormState NewForm(std::shared_ptr<const FormSurvey> survey, std::string locale);

// ---- events ---------------------------------------------------------------
struct SetText {  // a text field's new content (typing, paste, deletion)
  std::string key;
  std::string text;
};
struct Digit {  // a digit key on the focused field
  int digit = 0;
};
struct Step {  // Left/Right (-1/+1) on the focused score or choice
  int delta = 0;
};
struct SetNumber {  // a click on a score button
  std::string question_id;
  int value = 0;
};
struct PickOption {  // a click on an option (multi: toggles)
  std::string question_id;
  std::string option_id;
};
struct FocusField {  // a click into a field
  size_t index = 0;
};
struct FocusNext {};   // Tab
struct FocusPrev {};   // Shift+Tab
struct Submit {};      // Enter / the "Log call" button
struct Clear {};       // Esc / the "Clear" button
struct Undo {};        // Ctrl+Z after a clear
struct NewLog {};      // Ctrl+N
struct Captured {      // the session stored the record durably
  std::string notice;  // e.g. "Call logged at 10:32."
};
struct CaptureFailed {  // the session could not store it; the form is kept
  std::string message;
};
struct SwitchSurvey {  // a newer definition; applied only to an empty form
  std::shared_ptr<const FormSurvey> survey;
};

using FormEvent =
    std::variant<SetText, Digit, Step, SetNumber, PickOption, FocusField, FocusNext, FocusPrev,
                 Submit, Clear, Undo, NewLog, Captured, CaptureFailed, SwitchSurvey>;

// "SetText", "Digit", ... (for logs and test names).
std::string_view EventName(const FormEvent& event);

// The transition function. Never fails: input that does not apply (a digit outside the
// scale, an unknown field) leaves the values alone and explains itself in the notice.
FormState Reduce(FormState state, const FormEvent& event, TimeMs now);

// ---- queries --------------------------------------------------------------
// The answers the values give, in survey order (for show_if and the record).
std::vector<Answer> AnswersOf(const FormState& state);
// Whether field `index` is shown given the current answers (its question's show_if).
bool FieldVisible(const FormState& state, size_t index);
// The short caption of a field in the state's locale ("Call reference", "Customer effort").
std::string FieldCaption(const FormState& state, const FormField& field);
// Text of a field, empty when none.
std::string_view FieldText(const FormState& state, std::string_view key);

// Problems that block submitting, by field key (empty = the form can be logged).
std::map<std::string, std::string, std::less<>> FindProblems(const FormState& state);

// Who is logging, and the ids the record needs.
struct RecordContext {
  std::string record_id;
  std::string device_id;
  std::string site_id;
  std::string staff_id;
  TimeMs submitted_at = 0;
  // Roster names that, typed as the praised person, resolve to a staff id.
  std::function<std::string(std::string_view name)> resolve_staff;
};

// The complete record the current values describe (texts trimmed, hidden questions
// dropped, an unnamed praise credited to the signed-in rep), checked with
// ValidateRecord(). Fails with the validation message when the values are incomplete.
Result<FeedbackRecord> BuildRecord(const FormState& state, const RecordContext& context);

}  // namespace feedback::agent
