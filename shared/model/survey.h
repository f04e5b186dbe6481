// Survey definitions: the versioned JSON files (assets/surveys/, and later the
// ones the sync daemon pulls from the central store) that drive both
// front-ends - the kiosk's retail survey and the rep's call-log form - and that
// the central store checks every ingested record against. The file format is
// described in docs/surveys.md.
//
// Definitions arrive over the network, so the loader treats its input as
// hostile: size-bounded, strictly validated (unknown keys are rejected so a
// typo cannot silently drop a question's condition), and it never throws. Every
// error names the file, the JSON pointer of the offending value and the problem.
//
// A SurveyDefinition is an immutable-after-load plain value with no thread
// affinity: share a const one between threads freely. Question pointers
// returned by Find() point into the definition and live as long as it does.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "model/record.h"

namespace feedback {

// Bounds on what a definition may contain. Definitions are small; anything
// bigger is a mistake or an attack.
inline constexpr size_t kMaxSurveyFileBytes = 256 * 1024;
inline constexpr size_t kMaxQuestions = 50;
inline constexpr size_t kMaxOptions = 20;
inline constexpr size_t kMaxLocales = 10;
inline constexpr size_t kMaxIdLength = 64;
inline constexpr size_t kMaxLabelLength = 500;         // prompts, titles, labels (code points)
inline constexpr int kMaxTextAnswerLength = 5000;      // upper bound for max_length (code points)
inline constexpr int kDefaultTextAnswerLength = 1000;  // max_length when a definition omits it
inline constexpr size_t kMaxJsonDepth = 16;
inline constexpr int kMaxSurveyVersion = 1'000'000'000;
// Record-side bounds for fields whose length the definition does not set.
inline constexpr size_t kMaxHeroNameLength = 100;
inline constexpr size_t kMaxContactNameLength = 100;
inline constexpr size_t kMaxContactPhoneLength = 32;
inline constexpr size_t kMaxContactEmailLength = 254;

enum class QuestionType { kNps, kCsat, kCes, kRating, kChoice, kMulti, kText, kHero, kContact };

std::string_view QuestionTypeName(QuestionType type);
Result<QuestionType> ParseQuestionType(std::string_view name);

// nps, csat, ces and rating: answered with a number on a fixed scale.
bool IsScoreType(QuestionType type);

// The inclusive range of a score type: nps 0-10, csat 1-5, ces 1-7, rating 1-5.
// Non-score types return {0, 0}.
struct ScaleRange {
  int min = 0;
  int max = 0;
};
ScaleRange ScaleOf(QuestionType type);

// Text in several languages: locale ("en", "es", "es-MX") -> text. In a loaded
// definition every declared locale is present; an absent optional label is an
// empty map.
using LocalizedText = std::map<std::string, std::string, std::less<>>;

struct Option {
  std::string id;  // [a-z0-9_]+, unique within its question; what records store
  LocalizedText label;
};

// A question is shown only when an EARLIER answer matches: a score within
// [min, max] (either bound may be absent), or a choice/multi answer that picked
// at least one of `in`. An unanswered referenced question hides this one.
struct ShowIf {
  std::string question_id;
  std::optional<int> min;
  std::optional<int> max;
  std::vector<std::string> in;
};

// Which contact details a contact question asks for.
struct ContactFields {
  bool name = false;
  bool phone = false;
  bool email = false;
};

struct Question {
  std::string id;  // [a-z0-9_]+, unique within the survey; what records store
  QuestionType type = QuestionType::kNps;
  bool required = false;  // must be answered in a complete record (when visible)
  bool driver = false;    // score questions only: an input to key-driver analysis
  LocalizedText prompt;
  LocalizedText low_label;       // score questions: anchor under the lowest value; may be empty
  LocalizedText high_label;      // score questions: anchor under the highest value; may be empty
  std::vector<Option> options;   // choice, multi
  int max_choices = 0;           // multi: at most this many (defaults to all options)
  int max_length = 0;            // text: answer length; hero: story length (code points)
  ContactFields contact_fields;  // contact only
  // Field captions: hero "name"/"story", contact "name"/"phone"/"email".
  // Optional; the apps use their own wording for a caption that is absent.
  std::map<std::string, LocalizedText, std::less<>> labels;
  std::optional<ShowIf> show_if;

  bool IsScore() const { return IsScoreType(type); }
  ScaleRange Scale() const { return ScaleOf(type); }
  const Option* FindOption(std::string_view option_id) const;
};

struct SurveyDefinition {
  std::string id;  // [a-z0-9_-]+
  int version = 0;
  Channel channel = Channel::kKiosk;
  std::vector<std::string> locales;  // first is the default; never empty once loaded
  LocalizedText title;
  std::vector<Question> questions;  // in the order they are asked
  std::string outcome;  // id of the score question key-driver analysis explains; may be empty
  // Kiosk: the attract screen already shows the first question (a score question), so
  // the first tap is an answer ("attract_first_question": true in the file).
  bool attract_first_question = false;

  // The question with this id, or nullptr.
  const Question* Find(std::string_view question_id) const;
  // Its position in `questions`, or nullopt.
  std::optional<size_t> IndexOf(std::string_view question_id) const;
  // The outcome question, or nullptr when the survey declares none.
  const Question* Outcome() const;
  // The questions flagged `driver`, in survey order.
  std::vector<const Question*> Drivers() const;
  // The hero / contact question, or nullptr (a survey has at most one of each).
  const Question* HeroQuestion() const;
  const Question* ContactQuestion() const;

  const std::string& DefaultLocale() const;
  // The declared locale to show for a requested one: an exact match, then the
  // same language ("es-MX" -> "es", "es" -> "es-MX"), else the default locale.
  const std::string& ResolveLocale(std::string_view requested) const;
  // `text` in the requested locale, falling back as ResolveLocale() does; empty
  // when the text has no translation at all (an absent optional label).
  std::string_view Text(const LocalizedText& text, std::string_view locale) const;
};

// Parses and validates a definition. `source_name` (usually the file path) is
// the first part of every error message. Fails with kInvalidArgument for a
// malformed or invalid definition and kResourceExhausted when it exceeds a size
// bound; the message is "<source_name>: <json pointer>: <problem>" (syntax
// errors give the line, column and byte instead of a pointer).
Result<SurveyDefinition> ParseSurveyDefinition(std::string_view json_text,
                                               std::string_view source_name);

// Reads and parses a definition file. Fails with kNotFound / kIoError when the
// file cannot be read, otherwise as ParseSurveyDefinition().
Result<SurveyDefinition> LoadSurveyDefinition(const std::filesystem::path& path);

// Whether `question` should be asked given the answers so far (its show_if).
// Questions without show_if are always visible.
bool IsVisible(const Question& question, std::span<const Answer> answers_so_far);

// Removes the answers (and hero/contact details) of questions that are hidden
// given the other answers, in survey order so hiding cascades: when a customer
// goes back and changes their score from 3 to 9, the contact details they
// typed for "may a manager call you?" must not be saved. Call it before saving;
// ValidateRecord() rejects answers to hidden questions. Answers for question
// ids the definition does not know are left for ValidateRecord() to report.
void DropHiddenAnswers(const SurveyDefinition& definition, FeedbackRecord& record);

// Checks one answer against its question: the right kind of value, in range,
// valid option ids, within length. Hero and contact questions are answered in
// the record's hero/contact fields, never by an Answer, so they always fail
// here. Error messages start with `question "<id>": `.
Status ValidateAnswer(const Question& question, const Answer& answer);

// Checks a record against the definition it claims to follow (the central
// store runs this at ingest; a failing record is quarantined with the message).
// Survey id, version (kVersionMismatch), channel and locale must match; every
// answer must pass ValidateAnswer(), be unique and be for a visible question;
// hero/contact details need a visible hero/contact question; a complete record
// must answer every visible required question (abandoned ones may be partial).
// Messages start with `record <id>: ` and name the question where there is one.
Status ValidateRecord(const SurveyDefinition& definition, const FeedbackRecord& record);

// Number of Unicode code points in UTF-8 text, or nullopt when it is not valid
// UTF-8. Text limits (max_length) count code points, so "café" is 4 - the same
// count a character counter on screen shows.
std::optional<size_t> Utf8Length(std::string_view text);

}  // namespace feedback
