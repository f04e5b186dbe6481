// The feedback record: everything a kiosk or agent desktop captures, in one
// model (DESIGN.md "One record model, two front-ends"). Plain values with no
// thread affinity. A record splits into a public part (ids, times, scores and
// choices, which stay queryable on the device) and a sensitive part (free text,
// hero names and stories, contact details), which is only ever stored sealed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/result.h"

namespace feedback {

enum class Channel { kKiosk, kCall };
enum class RecordStatus { kComplete, kAbandoned };

std::string_view ChannelName(Channel c);
Result<Channel> ParseChannel(std::string_view s);
std::string_view RecordStatusName(RecordStatus s);
Result<RecordStatus> ParseRecordStatus(std::string_view s);

// One answered question. Exactly one of the value fields is meaningful,
// according to the question's type in the survey definition:
// number for nps/csat/ces/rating, choices for choice/multi, text for text.
struct Answer {
  std::string question_id;
  std::optional<int> number;
  std::vector<std::string> choices;
  std::string text;  // sensitive

  bool operator==(const Answer&) const = default;
};

// "Did someone make your day?" - the employee named and the customer's words.
struct Hero {
  std::string staff_id;  // from the roster; empty when the customer typed a name
  std::string name;      // sensitive
  std::string story;     // sensitive

  bool operator==(const Hero&) const = default;
};

// The customer asked to be called back. Every field is sensitive.
struct Contact {
  std::string name;
  std::string phone;
  std::string email;

  bool operator==(const Contact&) const = default;
};

struct FeedbackRecord {
  std::string id;  // UUIDv7, the idempotency key end to end
  std::string survey_id;
  int survey_version = 0;
  std::string device_id;
  std::string site_id;
  Channel channel = Channel::kKiosk;
  TimeMs started_at = 0;
  TimeMs submitted_at = 0;                // device clock
  std::optional<TimeMs> received_at;      // central clock, set at ingest
  RecordStatus status = RecordStatus::kComplete;
  std::string locale;
  std::string staff_id;                   // the rep who logged a call
  bool flagged_burst = false;             // captured during a burst of submissions
  std::vector<Answer> answers;
  std::optional<Hero> hero;
  std::optional<Contact> contact;

  bool operator==(const FeedbackRecord&) const = default;

  const Answer* FindAnswer(std::string_view question_id) const;
};

// The associated data that binds a record's sealed fields to that record and
// device, so ciphertext cannot be moved between records.
Bytes RecordAssociatedData(std::string_view record_id, std::string_view device_id);

// The sensitive part as a canonical JSON document: text answers, hero, contact.
// Empty-string/empty-object parts are omitted. MergeSensitive() puts them back.
std::string SensitiveJson(const FeedbackRecord& record);
Status MergeSensitive(std::string_view json, FeedbackRecord& record);

// The record without its sensitive fields (text answers blanked, hero and
// contact removed) - what may rest in plaintext.
FeedbackRecord PublicPart(const FeedbackRecord& record);

// PublicPart(record) == record, without the copy: no hero, no contact, no
// text, and every answer has a number or choices.
bool IsPublicPart(const FeedbackRecord& record);

// RecordToJson(PublicPart(record)).dump() with invalid UTF-8 replaced by
// U+FFFD (nlohmann's error_handler_t::replace): the same text, written without
// building a JSON tree, for the central store's ingest of every record.
std::string PublicRecordJson(const FeedbackRecord& record);

// Full JSON form (all fields) and back. FromJson validates types and names the
// offending field in its error.
nlohmann::json RecordToJson(const FeedbackRecord& record);
Result<FeedbackRecord> RecordFromJson(const nlohmann::json& json);

}  // namespace feedback
