// The units of ingest that pass from the Ingestor (decode, verify, open,
// validate - no storage) to CentralStore::CommitBatch (one transaction). A
// PreparedRecord carries the record's columns and what it contributes to the
// rollups, hero stories and follow-ups; the store applies the contributions
// only when the record is new, so a record sent twice counts once.
// Plain values, no thread affinity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"

namespace feedback::central {

// One score answer (nps, csat, ces, rating).
struct ScoreContribution {
  std::string question_id;
  std::string question_type;  // "nps" | "csat" | "ces" | "rating"
  int score = 0;
};

// One picked option of a choice or multi question.
struct ChoiceContribution {
  std::string question_id;
  std::string option_id;
};

// One row for key-driver analysis: the survey's driver questions in survey
// order, then its outcome question; a missing value is nullopt (listwise
// deletion: such a row only counts in rows_dropped).
struct DriverContribution {
  std::vector<std::string> variables;
  std::vector<std::optional<int>> values;
};

struct HeroStoryDraft {
  std::string staff_id;    // from the roster; empty when the customer typed a name
  std::string staff_name;  // the roster's name for staff_id, else what the customer typed
  std::string story;
};

// A detractor / low-CSAT record whose customer asked to be contacted.
struct FollowUpDraft {
  std::string reason;  // e.g. "nps 3", "csat 2"
  std::string contact_name;
  std::string contact_phone;
  std::string contact_email;
  std::string comment;  // the record's free-text answers, joined
  std::optional<int> worst_nps;   // lowest NPS answer, if any
  std::optional<int> worst_csat;  // lowest CSAT answer, if any
};

struct PreparedRecord {
  std::string record_id;
  std::string survey_id;
  int survey_version = 0;
  std::string channel;
  std::string status;  // "complete" | "abandoned"
  std::string locale;
  std::string staff_id;
  TimeMs started_at = 0;
  TimeMs submitted_at = 0;
  int64_t day = 0;             // UTC day of submitted_at (days since 1970-01-01)
  std::string public_json;     // RecordToJson(PublicPart(record)) incl. received_at
  std::string sensitive_json;  // SensitiveJson(record): opened at ingest (trusted zone)
  std::vector<ScoreContribution> scores;
  std::vector<ChoiceContribution> choices;
  std::optional<DriverContribution> drivers;
  std::optional<HeroStoryDraft> hero;
  // follow_up: what the default alert rules (NPS <= 6, CSAT <= 2) open.
  // contact_request: every record whose customer left contact details; the
  // store applies the configured alert rules (AlertRules) to it at commit.
  std::optional<FollowUpDraft> follow_up;
  std::optional<FollowUpDraft> contact_request;
};

// A record that could not be opened or failed validation; kept with its
// sealed bytes so it can be re-examined (nothing is dropped silently).
struct QuarantineEntry {
  std::string record_id;  // empty when the public part has no usable id
  int64_t record_index = 0;
  std::string reason;
  std::string public_json;
  std::string epoch_id;
  Bytes sealed_epoch_key;
  Bytes sealed;
};

struct PreparedBatch {
  std::string device_id;
  std::string site_id;
  std::string team;  // the device's team (agent desktops)
  int64_t seq = 0;
  Bytes digest;
  int64_t backlog = 0;
  TimeMs received_at = 0;
  std::vector<PreparedRecord> records;
  std::vector<QuarantineEntry> quarantine;
};

}  // namespace feedback::central
