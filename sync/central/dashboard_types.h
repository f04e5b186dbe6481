// The values the manager dashboard (issue 7) reads from and writes to the
// central store: the filter every dashboard query takes (already narrowed to
// the caller's scope by the API layer), rollup rows, sessions, stories,
// follow-ups, alert rules and queued alerts. Plain values, no thread affinity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace feedback::central {

// What a dashboard query covers. Every field narrows; an unset optional means
// "no restriction on that column". The API layer intersects the request's
// filters with the caller's scope before building this, so the store only
// applies it (sites = {} with has_sites means "no site at all": empty answer).
struct DashboardFilter {
  int64_t from_day = 0;  // UTC day numbers, inclusive
  int64_t to_day = 0;
  bool use_days = true;  // stories / follow-ups may ignore the date range
  std::optional<std::vector<std::string>> sites;
  std::optional<std::string> team;
  std::optional<std::string> channel;
  std::optional<std::string> staff_id;
};

// The dimension a rollup query groups by ("" key when ungrouped). kDay, kWeek
// and kMonth key rows by a day number that lies in the group's period (the
// caller maps it to the period with PeriodKey); the store may then read whole
// periods of that size or finer.
enum class GroupBy { kNone, kSite, kChannel, kTeam, kStaff, kDay, kWeek, kMonth };

// SUM(count) of one score of one question type, per group.
struct ScoreCountRow {
  std::string key;
  std::string question_type;  // "nps" | "csat" | "ces"
  int score = 0;
  int64_t count = 0;
};

// SUM(count) of responses per group and status.
struct ResponseCountRow {
  std::string key;
  std::string status;
  int64_t count = 0;
};

// Driver moments summed over the filter, per survey version.
struct DriverRowsSum {
  std::string survey_id;
  int survey_version = 0;
  int64_t n = 0;
  int64_t rows_dropped = 0;
};
struct DriverSumRow {
  std::string survey_id;
  int survey_version = 0;
  std::string var_a;
  std::string var_b;  // empty: the raw sum of var_a
  double total = 0;
};

struct SiteSettings {
  std::optional<std::string> name;
  std::optional<std::string> region;
  std::optional<std::string> mail_relay_url;
  std::optional<std::string> followup_owner;
  std::optional<int> followup_due_hours;
};

struct Session {
  std::string token_hash;  // hex SHA-256 of the cookie value
  std::string username;
  std::string csrf_token;
  TimeMs created_at = 0;
  TimeMs last_seen_at = 0;
  TimeMs expires_at = 0;
};

struct HeroStory {
  std::string story_id;
  std::string site_id;
  std::string team;
  std::string channel;
  std::string staff_id;
  std::string staff_name;
  std::string story;
  std::string state;
  TimeMs submitted_at = 0;
  std::optional<std::string> moderated_by;
  std::optional<TimeMs> moderated_at;
  std::optional<TimeMs> published_at;
};

struct StoryPage {
  int64_t total = 0;  // matching the state filter
  int64_t count_new = 0, count_published = 0, count_hidden = 0;
  std::vector<HeroStory> stories;
};

struct FollowUpNote {
  TimeMs at = 0;
  std::string by;
  std::string text;
};

struct FollowUp {
  std::string followup_id;
  std::string record_id;
  std::string site_id;
  std::string team;
  std::string reason;
  std::string contact_name, contact_phone, contact_email;
  std::string comment;
  std::string state;
  std::optional<std::string> owner;
  std::optional<TimeMs> due_at;
  TimeMs created_at = 0;
  std::optional<TimeMs> closed_at;
  std::optional<std::string> closed_by;
  std::optional<std::string> close_note;
  std::vector<FollowUpNote> notes;
};

struct FollowUpPage {
  int64_t total = 0;
  int64_t count_open = 0, count_overdue = 0, count_closed = 0;
  std::vector<FollowUp> followups;
};

struct AlertRules {
  int nps_max = 6;
  int csat_max = 2;
  std::vector<std::string> words;
  bool email_enabled = true;
  std::string webhook_url;
  std::string smtp_url;
  std::string mail_from = "feedback@localhost";
  std::string dashboard_url;
};

// One queued alert delivery (e-mail or webhook) of one follow-up, or of a
// device marked possible clone.
struct Alert {
  std::string alert_id;
  std::string event = "followup.opened";  // or "device.possible_clone"
  std::string followup_id;                // followup.opened
  std::string device_id;                  // device.possible_clone
  std::string kind;    // "email" | "webhook"
  std::string target;  // recipient address or webhook URL
  std::string state;   // "pending" | "sent" | "failed"
  int attempts = 0;
  TimeMs next_attempt_at = 0;
  std::string last_error;
  TimeMs created_at = 0;
  std::optional<TimeMs> sent_at;
};

}  // namespace feedback::central
