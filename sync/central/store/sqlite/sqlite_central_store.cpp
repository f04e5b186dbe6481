#include "sync/central/store/sqlite/sqlite_central_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <map>
#include <set>

#include "protocol/messages.h"
#include "sync/central/store/rollup_delta.h"
#include "sync/central/store/sqlite/sqlite_user_names.h"

namespace feedback::central {
namespace {

constexpr std::string_view kProgram = "feedback-central";
// The pseudo-site whose survey rows new sites inherit (survey publish --all).
constexpr std::string_view kAllSites = "*";
constexpr int kDeviceStateStories = 50;

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE sites (
  site_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  branding_json TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL
);
CREATE TABLE users (
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  team TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE TABLE user_sites (
  username TEXT NOT NULL REFERENCES users(username),
  site_id TEXT NOT NULL,
  PRIMARY KEY (username, site_id)
);
CREATE TABLE enrollment_tokens (
  token_hash TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  team TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  device_id TEXT
);
CREATE TABLE devices (
  device_id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  team TEXT NOT NULL DEFAULT '',
  hostname TEXT NOT NULL DEFAULT '',
  public_key BLOB NOT NULL,
  enrolled_at BIGINT NOT NULL,
  revoked_at BIGINT,
  last_seen_at BIGINT,
  last_batch_at BIGINT,
  last_seq BIGINT NOT NULL DEFAULT 0,
  backlog BIGINT NOT NULL DEFAULT 0,
  records_stored BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  last_error_at BIGINT
);
CREATE TABLE batches (
  device_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  digest BLOB NOT NULL,
  received_at BIGINT NOT NULL,
  record_count BIGINT NOT NULL,
  answer_json TEXT NOT NULL,
  PRIMARY KEY (device_id, seq)
);
CREATE TABLE records (
  record_id TEXT PRIMARY KEY,
  device_id TEXT NOT NULL,
  site_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  survey_id TEXT NOT NULL,
  survey_version INTEGER NOT NULL,
  staff_id TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  locale TEXT NOT NULL DEFAULT '',
  started_at BIGINT NOT NULL,
  submitted_at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  day BIGINT NOT NULL,
  batch_seq BIGINT NOT NULL,
  public_json TEXT NOT NULL,
  sensitive_json TEXT NOT NULL
);
CREATE INDEX records_site_day ON records(site_id, day);
CREATE INDEX records_device ON records(device_id, batch_seq);
CREATE TABLE record_scores (
  record_id TEXT NOT NULL,
  question_id TEXT NOT NULL,
  question_type TEXT NOT NULL,
  score INTEGER NOT NULL,
  PRIMARY KEY (record_id, question_id)
);
CREATE TABLE quarantine (
  quarantine_id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL,
  site_id TEXT NOT NULL,
  batch_seq BIGINT NOT NULL,
  record_index BIGINT NOT NULL,
  record_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  public_json TEXT NOT NULL,
  epoch_id TEXT NOT NULL DEFAULT '',
  sealed_epoch_key BLOB,
  sealed BLOB,
  received_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX quarantine_record ON quarantine(device_id, record_id);
CREATE TABLE rollup_responses (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, status TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (site_id, channel, staff_id, team, day, survey_id, status)
);
CREATE TABLE rollup_scores (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, question_id TEXT NOT NULL,
  question_type TEXT NOT NULL, score INTEGER NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (site_id, channel, staff_id, team, day, survey_id, question_id, score)
);
CREATE INDEX rollup_scores_day ON rollup_scores(day, question_type);
CREATE TABLE rollup_choices (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, question_id TEXT NOT NULL,
  option_id TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (site_id, channel, staff_id, team, day, survey_id, question_id, option_id)
);
CREATE TABLE rollup_driver_rows (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
  n BIGINT NOT NULL, rows_dropped BIGINT NOT NULL,
  PRIMARY KEY (site_id, channel, staff_id, team, day, survey_id, survey_version)
);
CREATE TABLE rollup_driver_sums (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
  var_a TEXT NOT NULL, var_b TEXT NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (site_id, channel, staff_id, team, day, survey_id, survey_version, var_a, var_b)
);
CREATE TABLE surveys (
  survey_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  channel TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  PRIMARY KEY (survey_id, version)
);
CREATE TABLE site_surveys (
  site_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  survey_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  published_at BIGINT NOT NULL,
  PRIMARY KEY (site_id, channel)
);
CREATE TABLE staff (
  staff_id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  team TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_site ON staff(site_id);
CREATE TABLE hero_stories (
  story_id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE,
  site_id TEXT NOT NULL,
  team TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  staff_id TEXT NOT NULL DEFAULT '',
  staff_name TEXT NOT NULL DEFAULT '',
  story TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'new',
  submitted_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  moderated_at BIGINT,
  moderated_by TEXT,
  published_at BIGINT
);
CREATE INDEX hero_stories_site ON hero_stories(site_id, state);
CREATE TABLE follow_ups (
  followup_id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE,
  site_id TEXT NOT NULL,
  team TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'open',
  owner TEXT,
  due_at BIGINT,
  created_at BIGINT NOT NULL,
  closed_at BIGINT,
  close_note TEXT
);
CREATE INDEX follow_ups_site ON follow_ups(site_id, state);
)sql";

// Issue 7: the manager dashboard - regions and alert settings per site, user
// e-mail and disabling, sessions, login failures, follow-up notes, alert rules
// (settings) and the alert queue, and covering indexes for the dashboard's
// rollup reads (by question type and day, then the scope columns).
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE sites ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN mail_relay_url TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN followup_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN followup_due_hours INTEGER NOT NULL DEFAULT 48;
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE follow_ups ADD COLUMN closed_by TEXT;
CREATE INDEX follow_ups_created ON follow_ups(created_at);
CREATE TABLE followup_notes (
  followup_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  by_user TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX followup_notes_id ON followup_notes(followup_id, at);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(username);
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  ip TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(username, ip, at);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE alerts (
  alert_id TEXT PRIMARY KEY,
  followup_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX alerts_due ON alerts(state, next_attempt_at);
CREATE INDEX rollup_scores_dash ON rollup_scores(question_type, day, site_id, team, channel,
                                                 staff_id, score, count);
CREATE INDEX rollup_responses_dash ON rollup_responses(day, site_id, team, channel, staff_id,
                                                       status, count);
CREATE INDEX rollup_driver_sums_dash ON rollup_driver_sums(day, site_id, team, channel, staff_id,
                                                           survey_id, survey_version, var_a,
                                                           var_b, total);
CREATE INDEX rollup_driver_rows_dash ON rollup_driver_rows(day, site_id, team, channel, staff_id,
                                                           survey_id, survey_version, n,
                                                           rows_dropped);
)sql";

// Issue 7 (dashboard latency on years of data): the summary_* tables hold the
// rollups without the rep at day, week (Monday) and month grain - what the
// dashboard reads unless a query names a rep. The rep-day rollup_* tables
// become WITHOUT ROWID tables keyed by site and day first (one B-tree per row
// instead of three), which replaces v2's rollup indexes. record_scores goes
// (issue 6): it repeated every score answer already in records.public_json,
// and writing it cost ingest as much as the records themselves.
// Periods are day numbers: a week's Monday, a month's 1st.
constexpr std::string_view kSchemaV3 = R"sql(
DROP TABLE record_scores;

CREATE TABLE rollup_responses_v3 (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, status TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (site_id, day, channel, staff_id, team, survey_id, status)
) WITHOUT ROWID;
INSERT INTO rollup_responses_v3 SELECT site_id, channel, staff_id, team, day, survey_id, status,
  count FROM rollup_responses;
DROP TABLE rollup_responses;
ALTER TABLE rollup_responses_v3 RENAME TO rollup_responses;

CREATE TABLE rollup_scores_v3 (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, question_id TEXT NOT NULL,
  question_type TEXT NOT NULL, score INTEGER NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (site_id, day, channel, staff_id, team, survey_id, question_id, score)
) WITHOUT ROWID;
INSERT INTO rollup_scores_v3 SELECT site_id, channel, staff_id, team, day, survey_id, question_id,
  question_type, score, count FROM rollup_scores;
DROP TABLE rollup_scores;
ALTER TABLE rollup_scores_v3 RENAME TO rollup_scores;

CREATE TABLE rollup_choices_v3 (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, question_id TEXT NOT NULL,
  option_id TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (site_id, day, channel, staff_id, team, survey_id, question_id, option_id)
) WITHOUT ROWID;
INSERT INTO rollup_choices_v3 SELECT site_id, channel, staff_id, team, day, survey_id,
  question_id, option_id, count FROM rollup_choices;
DROP TABLE rollup_choices;
ALTER TABLE rollup_choices_v3 RENAME TO rollup_choices;

CREATE TABLE rollup_driver_rows_v3 (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
  n BIGINT NOT NULL, rows_dropped BIGINT NOT NULL,
  PRIMARY KEY (site_id, day, channel, staff_id, team, survey_id, survey_version)
) WITHOUT ROWID;
INSERT INTO rollup_driver_rows_v3 SELECT site_id, channel, staff_id, team, day, survey_id,
  survey_version, n, rows_dropped FROM rollup_driver_rows;
DROP TABLE rollup_driver_rows;
ALTER TABLE rollup_driver_rows_v3 RENAME TO rollup_driver_rows;

CREATE TABLE rollup_driver_sums_v3 (
  site_id TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL, team TEXT NOT NULL,
  day BIGINT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
  var_a TEXT NOT NULL, var_b TEXT NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (site_id, day, channel, staff_id, team, survey_id, survey_version, var_a, var_b)
) WITHOUT ROWID;
INSERT INTO rollup_driver_sums_v3 SELECT site_id, channel, staff_id, team, day, survey_id,
  survey_version, var_a, var_b, total FROM rollup_driver_sums;
DROP TABLE rollup_driver_sums;
ALTER TABLE rollup_driver_sums_v3 RENAME TO rollup_driver_sums;

CREATE TABLE summary_responses (
  grain TEXT NOT NULL, period BIGINT NOT NULL, site_id TEXT NOT NULL, channel TEXT NOT NULL,
  team TEXT NOT NULL, survey_id TEXT NOT NULL, status TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (grain, site_id, period, channel, team, survey_id, status)
) WITHOUT ROWID;
CREATE TABLE summary_scores (
  grain TEXT NOT NULL, period BIGINT NOT NULL, site_id TEXT NOT NULL, channel TEXT NOT NULL,
  team TEXT NOT NULL, survey_id TEXT NOT NULL, question_id TEXT NOT NULL,
  question_type TEXT NOT NULL, score INTEGER NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (grain, site_id, period, channel, team, survey_id, question_id, score)
) WITHOUT ROWID;
CREATE TABLE summary_choices (
  grain TEXT NOT NULL, period BIGINT NOT NULL, site_id TEXT NOT NULL, channel TEXT NOT NULL,
  team TEXT NOT NULL, survey_id TEXT NOT NULL, question_id TEXT NOT NULL,
  option_id TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (grain, site_id, period, channel, team, survey_id, question_id, option_id)
) WITHOUT ROWID;
CREATE TABLE summary_driver_rows (
  grain TEXT NOT NULL, period BIGINT NOT NULL, site_id TEXT NOT NULL, channel TEXT NOT NULL,
  team TEXT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
  n BIGINT NOT NULL, rows_dropped BIGINT NOT NULL,
  PRIMARY KEY (grain, site_id, period, channel, team, survey_id, survey_version)
) WITHOUT ROWID;
CREATE TABLE summary_driver_sums (
  grain TEXT NOT NULL, period BIGINT NOT NULL, site_id TEXT NOT NULL, channel TEXT NOT NULL,
  team TEXT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
  var_a TEXT NOT NULL, var_b TEXT NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (grain, site_id, period, channel, team, survey_id, survey_version, var_a, var_b)
) WITHOUT ROWID;

-- Backfill the summaries from the rep-day rollups.
CREATE TEMP TABLE v3_grains AS SELECT 'd' AS grain UNION ALL SELECT 'w' UNION ALL SELECT 'm';
CREATE TEMP VIEW v3_periods AS
  SELECT g.grain, d.day,
         CASE g.grain
           WHEN 'd' THEN d.day
           WHEN 'w' THEN d.day - ((d.day + 3) % 7 + 7) % 7
           ELSE CAST(julianday(date(d.day * 86400, 'unixepoch', 'start of month'))
                     - 2440587.5 AS INTEGER)
         END AS period
  FROM v3_grains g, (SELECT DISTINCT day FROM rollup_responses) d;
INSERT INTO summary_responses
  SELECT p.grain, p.period, site_id, channel, team, survey_id, status, SUM(count)
  FROM rollup_responses r JOIN v3_periods p ON p.day = r.day GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO summary_scores
  SELECT p.grain, p.period, site_id, channel, team, survey_id, question_id, MAX(question_type),
         score, SUM(count)
  FROM rollup_scores r JOIN v3_periods p ON p.day = r.day GROUP BY 1, 2, 3, 4, 5, 6, 7, 9;
INSERT INTO summary_choices
  SELECT p.grain, p.period, site_id, channel, team, survey_id, question_id, option_id, SUM(count)
  FROM rollup_choices r JOIN v3_periods p ON p.day = r.day GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO summary_driver_rows
  SELECT p.grain, p.period, site_id, channel, team, survey_id, survey_version, SUM(n),
         SUM(rows_dropped)
  FROM rollup_driver_rows r JOIN v3_periods p ON p.day = r.day GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO summary_driver_sums
  SELECT p.grain, p.period, site_id, channel, team, survey_id, survey_version, var_a, var_b,
         SUM(total)
  FROM rollup_driver_sums r JOIN v3_periods p ON p.day = r.day GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
DROP VIEW v3_periods;
DROP TABLE v3_grains;
)sql";

// Issue 7: the overview's counts of open / overdue follow-ups and new stories
// without scanning years of them. Triggers keep a tally per scope key (and per
// due day for follow-ups) in step with every insert, update and delete, so no
// code path can forget it; overdue = open tallies with a due day before today
// plus today's open follow-ups already due (follow_ups_due index).
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE followup_tally (
  site_id TEXT NOT NULL, team TEXT NOT NULL, state TEXT NOT NULL, due_day BIGINT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (site_id, team, state, due_day)
) WITHOUT ROWID;
INSERT INTO followup_tally
  SELECT site_id, team, state, COALESCE(due_at / 86400000, -1), COUNT(*) FROM follow_ups
  GROUP BY 1, 2, 3, 4;
CREATE TRIGGER followup_tally_insert AFTER INSERT ON follow_ups BEGIN
  INSERT INTO followup_tally VALUES (NEW.site_id, NEW.team, NEW.state,
                                     COALESCE(NEW.due_at / 86400000, -1), 1)
    ON CONFLICT(site_id, team, state, due_day) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER followup_tally_delete AFTER DELETE ON follow_ups BEGIN
  UPDATE followup_tally SET count = count - 1
    WHERE site_id = OLD.site_id AND team = OLD.team AND state = OLD.state
      AND due_day = COALESCE(OLD.due_at / 86400000, -1);
END;
CREATE TRIGGER followup_tally_update AFTER UPDATE OF site_id, team, state, due_at ON follow_ups
BEGIN
  UPDATE followup_tally SET count = count - 1
    WHERE site_id = OLD.site_id AND team = OLD.team AND state = OLD.state
      AND due_day = COALESCE(OLD.due_at / 86400000, -1);
  INSERT INTO followup_tally VALUES (NEW.site_id, NEW.team, NEW.state,
                                     COALESCE(NEW.due_at / 86400000, -1), 1)
    ON CONFLICT(site_id, team, state, due_day) DO UPDATE SET count = count + 1;
END;
CREATE INDEX follow_ups_due ON follow_ups(state, due_at);

CREATE TABLE story_tally (
  site_id TEXT NOT NULL, team TEXT NOT NULL, channel TEXT NOT NULL, staff_id TEXT NOT NULL,
  state TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (site_id, team, channel, staff_id, state)
) WITHOUT ROWID;
INSERT INTO story_tally
  SELECT site_id, team, channel, staff_id, state, COUNT(*) FROM hero_stories GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER story_tally_insert AFTER INSERT ON hero_stories BEGIN
  INSERT INTO story_tally VALUES (NEW.site_id, NEW.team, NEW.channel, NEW.staff_id, NEW.state, 1)
    ON CONFLICT(site_id, team, channel, staff_id, state) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER story_tally_delete AFTER DELETE ON hero_stories BEGIN
  UPDATE story_tally SET count = count - 1
    WHERE site_id = OLD.site_id AND team = OLD.team AND channel = OLD.channel
      AND staff_id = OLD.staff_id AND state = OLD.state;
END;
CREATE TRIGGER story_tally_update AFTER UPDATE OF site_id, team, channel, staff_id, state
  ON hero_stories
BEGIN
  UPDATE story_tally SET count = count - 1
    WHERE site_id = OLD.site_id AND team = OLD.team AND channel = OLD.channel
      AND staff_id = OLD.staff_id AND state = OLD.state;
  INSERT INTO story_tally VALUES (NEW.site_id, NEW.team, NEW.channel, NEW.staff_id, NEW.state, 1)
    ON CONFLICT(site_id, team, channel, staff_id, state) DO UPDATE SET count = count + 1;
END;
)sql";

// Issue 12: devices cannot lie about who served whom. Sequence conflicts are
// kept per device (the clone rule counts them in a window, and the count must
// survive restarts and be shared by every central process), the Devices page
// shows the possible-clone mark and how many records were quarantined, and
// the alert queue carries device alerts besides follow-up alerts.
constexpr std::string_view kSchemaV5 = R"sql(
ALTER TABLE devices ADD COLUMN records_quarantined BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN possible_clone_at BIGINT;
ALTER TABLE devices ADD COLUMN possible_clone_reason TEXT NOT NULL DEFAULT '';
UPDATE devices SET records_quarantined =
  (SELECT COUNT(*) FROM quarantine q WHERE q.device_id = devices.device_id);
CREATE TABLE seq_conflicts (
  device_id TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX seq_conflicts_device ON seq_conflicts(device_id, at);
ALTER TABLE alerts ADD COLUMN event TEXT NOT NULL DEFAULT 'followup.opened';
ALTER TABLE alerts ADD COLUMN device_id TEXT NOT NULL DEFAULT '';
)sql";

// Issue 12: user names are case-insensitive ("SM1" and "sm1" are one user;
// SqliteCentralStore::Open refuses an old store where two differ only in case,
// see sqlite_user_names.h), and enrollment looks devices up by public key (a
// revoked key may not enroll again).
constexpr std::string_view kSchemaV6 = R"sql(
CREATE UNIQUE INDEX users_username_folded ON users(lower(username));
CREATE INDEX devices_public_key ON devices(public_key);
DELETE FROM login_failures;
)sql";

constexpr std::array<Migration, 6> kMigrations = {{
    {1,
     "central store: sites, users, devices, batches, records, rollups, surveys, staff, "
     "hero stories, follow-ups",
     kSchemaV1},
    {2,
     "dashboard: regions, site alert settings, user e-mail, sessions, login failures, "
     "follow-up notes, alert rules and queue, rollup indexes",
     kSchemaV2},
    {3,
     "dashboard summaries at day, week and month grain; rep-day rollups and record scores "
     "as WITHOUT ROWID tables",
     kSchemaV3},
    {4, "follow-up and hero-story tallies kept by triggers, for the overview's counts",
     kSchemaV4},
    {5,
     "integrity: sequence conflicts, possible-clone mark and quarantined count per device, "
     "device alerts",
     kSchemaV5},
    {6, "case-insensitive user names; devices by public key", kSchemaV6},
}};

constexpr std::string_view kDeviceColumns =
    "device_id, site_id, kind, team, hostname, public_key, enrolled_at, revoked_at, "
    "last_seen_at, last_batch_at, last_seq, backlog, records_stored, last_error, last_error_at, "
    "records_quarantined, possible_clone_at, possible_clone_reason";

std::optional<int64_t> OptInt(const Statement& s, int col) {
  if (s.ColumnIsNull(col)) return std::nullopt;
  return s.ColumnInt(col);
}

// Creates the file with mode 0600 if it does not exist, so SQLite (and its
// -wal/-shm files, which copy the mode) never make it world-readable.
Status CreatePrivateFile(const std::string& path) {
  // Never open+close an existing database file: closing any descriptor of a
  // file drops every POSIX lock this process holds on it, including those of
  // SQLite connections already open on it (other pool stores). Another process
  // would then think it is the last user and checkpoint and delete the WAL
  // under them (stale reads, "disk I/O error").
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return Status::Ok();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IoError("cannot create " + path +
                           ": check that its folder exists and is writable");
  }
  ::close(fd);
  return Status::Ok();
}

}  // namespace

namespace {
Result<UserRole> ParseUserRole(std::string_view s) {
  for (UserRole r : {UserRole::kAdmin, UserRole::kRegionalManager, UserRole::kSiteManager,
                     UserRole::kTeamLead}) {
    if (UserRoleName(r) == s) return r;
  }
  return Status::Corruption("unknown user role '" + std::string(s) + "' in the central store");
}
}  // namespace

Result<std::unique_ptr<SqliteCentralStore>> SqliteCentralStore::Open(const std::string& path,
                                                                     const Clock& clock) {
  FEEDBACK_RETURN_IF_ERROR(CreatePrivateFile(path));
  FEEDBACK_ASSIGN_OR_RETURN(Database db, Database::Open(path));
  FEEDBACK_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=ON"));
  FEEDBACK_RETURN_IF_ERROR(CheckUsernamesFoldUniquely(db));
  FEEDBACK_RETURN_IF_ERROR(Migrate(db, kMigrations, kProgram));
  return std::unique_ptr<SqliteCentralStore>(new SqliteCentralStore(std::move(db), clock));
}

// --- Sites and users -----------------------------------------------------------

Result<bool> SqliteCentralStore::EnsureSiteLocked(const std::string& site_id, TimeMs now) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement ins, db_.Prepare("INSERT INTO sites(site_id, name, created_at) VALUES (?, ?, ?) "
                                 "ON CONFLICT DO NOTHING"));
  FEEDBACK_RETURN_IF_ERROR(ins.Bind(1, site_id).Bind(2, site_id).Bind(3, now).Run());
  if (db_.Changes() == 0) return false;
  // A new site starts with the surveys published for all sites.
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement inherit,
      db_.Prepare("INSERT INTO site_surveys(site_id, channel, survey_id, version, published_at) "
                  "SELECT ?, channel, survey_id, version, published_at FROM site_surveys "
                  "WHERE site_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(inherit.Bind(1, site_id).Bind(2, kAllSites).Run());
  return true;
}

Result<bool> SqliteCentralStore::EnsureSite(const std::string& site_id, TimeMs now) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_ASSIGN_OR_RETURN(bool created, EnsureSiteLocked(site_id, now));
  FEEDBACK_RETURN_IF_ERROR(txn.Commit());
  return created;
}

Result<std::vector<Site>> SqliteCentralStore::ListSites() {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      db_.Prepare("SELECT site_id, name, branding_json, created_at, region, mail_relay_url, "
                  "followup_owner, followup_due_hours FROM sites ORDER BY site_id"));
  std::vector<Site> out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnInt(3),
                   s.ColumnText(4), s.ColumnText(5), s.ColumnText(6),
                   static_cast<int>(s.ColumnInt(7))});
  }
  return out;
}

Status SqliteCentralStore::CreateUser(const User& user) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  for (const std::string& site : user.site_ids) {
    FEEDBACK_ASSIGN_OR_RETURN(Statement known,
                              db_.Prepare("SELECT COUNT(*) FROM sites WHERE site_id = ?"));
    known.Bind(1, site);
    FEEDBACK_ASSIGN_OR_RETURN(bool row, known.Step());
    if (!row || known.ColumnInt(0) == 0) {
      return Status::InvalidArgument("site '" + site +
                                     "' does not exist in this central store: check the site "
                                     "id (Sites page, or the sites devices enrolled at)");
    }
  }
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("INSERT INTO users(username, password_hash, role, team, created_at, "
                               "email, disabled) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  Status st = s.Bind(1, user.username)
                  .Bind(2, user.password_hash)
                  .Bind(3, UserRoleName(user.role))
                  .Bind(4, user.team)
                  .Bind(5, user.created_at)
                  .Bind(6, user.email)
                  .Bind(7, user.disabled ? 1 : 0)
                  .Run();
  if (st.code() == Status::Code::kAlreadyExists) {
    return Status::AlreadyExists("user '" + user.username +
                                 "' already exists (user names ignore upper/lower case)");
  }
  FEEDBACK_RETURN_IF_ERROR(st);
  for (const std::string& site : user.site_ids) {
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement us, db_.Prepare("INSERT INTO user_sites(username, site_id) VALUES (?, ?)"));
    FEEDBACK_RETURN_IF_ERROR(us.Bind(1, user.username).Bind(2, site).Run());
  }
  return txn.Commit();
}

Result<User> SqliteCentralStore::GetUser(const std::string& username) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("SELECT username, password_hash, role, team, created_at, email, "
                               "disabled FROM users WHERE lower(username) = lower(?)"));
  s.Bind(1, username);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("no user '" + username + "'");
  User u;
  u.username = s.ColumnText(0);
  u.password_hash = s.ColumnText(1);
  FEEDBACK_ASSIGN_OR_RETURN(u.role, ParseUserRole(s.ColumnText(2)));
  u.team = s.ColumnText(3);
  u.created_at = s.ColumnInt(4);
  u.email = s.ColumnText(5);
  u.disabled = s.ColumnInt(6) != 0;
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement sites,
      db_.Prepare("SELECT site_id FROM user_sites WHERE username = ? ORDER BY site_id"));
  sites.Bind(1, u.username);
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool more, sites.Step());
    if (!more) break;
    u.site_ids.push_back(sites.ColumnText(0));
  }
  return u;
}

// --- Enrollment and devices ------------------------------------------------------

Status SqliteCentralStore::InsertEnrollmentToken(const EnrollmentTokenRow& t) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      db_.Prepare("INSERT INTO enrollment_tokens(token_hash, site_id, kind, team, created_at, "
                  "expires_at) VALUES (?, ?, ?, ?, ?, ?)"));
  return s.Bind(1, t.token_hash)
      .Bind(2, t.site_id)
      .Bind(3, t.kind)
      .Bind(4, t.team)
      .Bind(5, t.created_at)
      .Bind(6, t.expires_at)
      .Run();
}

Result<Device> SqliteCentralStore::EnrollDevice(const std::string& token_hash,
                                                const std::string& kind, ByteView public_key,
                                                const std::string& hostname,
                                                const std::string& new_device_id, TimeMs now) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  // A revoked device stays revoked: its key cannot come back under a new id.
  FEEDBACK_ASSIGN_OR_RETURN(Statement revoked,
                            db_.Prepare("SELECT device_id, revoked_at FROM devices WHERE "
                                        "public_key = ? AND revoked_at IS NOT NULL LIMIT 1"));
  revoked.Bind(1, public_key);
  FEEDBACK_ASSIGN_OR_RETURN(bool was_revoked, revoked.Step());
  if (was_revoked) {
    return Status::PermissionDenied(
        "this device key belongs to device '" + revoked.ColumnText(0) + "', revoked at " +
        FormatIso8601(revoked.ColumnInt(1)) +
        "; a revoked key cannot enroll again: move the device's key and configuration away "
        "and enroll it with a new token (feedback-sync enroll makes a new key)");
  }
  revoked.Reset();
  FEEDBACK_ASSIGN_OR_RETURN(Statement t,
                            db_.Prepare("SELECT site_id, kind, team, expires_at, used_at FROM "
                                        "enrollment_tokens WHERE token_hash = ?"));
  t.Bind(1, token_hash);
  FEEDBACK_ASSIGN_OR_RETURN(bool found, t.Step());
  if (!found || !t.ColumnIsNull(4)) {
    return Status::Unauthenticated(
        "unknown or already used enrollment token; ask the operator for a new one "
        "(feedback-central enroll-token)");
  }
  if (t.ColumnInt(3) <= now) {
    return Status::Unauthenticated("enrollment token expired at " + FormatIso8601(t.ColumnInt(3)) +
                                   "; ask the operator for a new one");
  }
  if (t.ColumnText(1) != kind) {
    return Status::InvalidArgument("this enrollment token is for a " + t.ColumnText(1) +
                                   ", not a " + kind + "; use a token made with --kind " + kind);
  }
  Device d;
  d.device_id = new_device_id;
  d.site_id = t.ColumnText(0);
  d.kind = kind;
  d.team = t.ColumnText(2);
  d.hostname = hostname;
  t.Reset();  // no read cursor may stay open at COMMIT (see CachedStatement)
  d.public_key.assign(public_key.begin(), public_key.end());
  d.enrolled_at = now;
  FEEDBACK_ASSIGN_OR_RETURN(bool created, EnsureSiteLocked(d.site_id, now));
  (void)created;
  FEEDBACK_ASSIGN_OR_RETURN(Statement used,
                            db_.Prepare("UPDATE enrollment_tokens SET used_at = ?, device_id = ? "
                                        "WHERE token_hash = ? AND used_at IS NULL"));
  FEEDBACK_RETURN_IF_ERROR(used.Bind(1, now).Bind(2, d.device_id).Bind(3, token_hash).Run());
  if (db_.Changes() != 1) {
    return Status::Unauthenticated("unknown or already used enrollment token");
  }
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement ins,
      db_.Prepare("INSERT INTO devices(device_id, site_id, kind, team, hostname, public_key, "
                  "enrolled_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  FEEDBACK_RETURN_IF_ERROR(ins.Bind(1, d.device_id)
                               .Bind(2, d.site_id)
                               .Bind(3, d.kind)
                               .Bind(4, d.team)
                               .Bind(5, d.hostname)
                               .Bind(6, ByteView(d.public_key))
                               .Bind(7, now)
                               .Bind(8, now)
                               .Run());
  FEEDBACK_RETURN_IF_ERROR(txn.Commit());
  d.last_seen_at = now;
  return d;
}

Result<Device> SqliteCentralStore::ReadDevice(Statement& s) {
  Device d;
  d.device_id = s.ColumnText(0);
  d.site_id = s.ColumnText(1);
  d.kind = s.ColumnText(2);
  d.team = s.ColumnText(3);
  d.hostname = s.ColumnText(4);
  d.public_key = s.ColumnBlob(5);
  d.enrolled_at = s.ColumnInt(6);
  d.revoked_at = OptInt(s, 7);
  d.last_seen_at = OptInt(s, 8);
  d.last_batch_at = OptInt(s, 9);
  d.last_seq = s.ColumnInt(10);
  d.backlog = s.ColumnInt(11);
  d.records_stored = s.ColumnInt(12);
  d.last_error = s.ColumnText(13);
  d.last_error_at = OptInt(s, 14);
  d.records_quarantined = s.ColumnInt(15);
  d.possible_clone_at = OptInt(s, 16);
  d.possible_clone_reason = s.ColumnText(17);
  return d;
}

Result<Device> SqliteCentralStore::GetDevice(const std::string& device_id) {
  FEEDBACK_ASSIGN_OR_RETURN(CachedStatement s, Cached("SELECT " + std::string(kDeviceColumns) +
                                                       " FROM devices WHERE device_id = ?"));
  s->Bind(1, device_id);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("unknown device '" + device_id + "'");
  return ReadDevice(*s);
}

Result<std::vector<Device>> SqliteCentralStore::ListDevices() {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT " + std::string(kDeviceColumns) +
                                                     " FROM devices ORDER BY site_id, device_id"));
  std::vector<Device> out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    FEEDBACK_ASSIGN_OR_RETURN(Device d, ReadDevice(s));
    out.push_back(std::move(d));
  }
  return out;
}

namespace {
Status UnknownDevice(const std::string& device_id) {
  return Status::NotFound("unknown device '" + device_id +
                          "'; `feedback-central devices` lists the enrolled ones");
}
}  // namespace

Status SqliteCentralStore::RevokeDevice(const std::string& device_id, TimeMs now) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                            db_.Prepare("UPDATE devices SET revoked_at = COALESCE(revoked_at, ?), "
                                        "possible_clone_at = NULL, possible_clone_reason = '' "
                                        "WHERE device_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(s.Bind(1, now).Bind(2, device_id).Run());
  if (db_.Changes() == 0) return UnknownDevice(device_id);
  FEEDBACK_ASSIGN_OR_RETURN(Statement forget,
                            db_.Prepare("DELETE FROM seq_conflicts WHERE device_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(forget.Bind(1, device_id).Run());
  return txn.Commit();
}

Status SqliteCentralStore::ClearPossibleClone(const std::string& device_id) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                            db_.Prepare("UPDATE devices SET possible_clone_at = NULL, "
                                        "possible_clone_reason = '' WHERE device_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(s.Bind(1, device_id).Run());
  if (db_.Changes() == 0) return UnknownDevice(device_id);
  FEEDBACK_ASSIGN_OR_RETURN(Statement forget,
                            db_.Prepare("DELETE FROM seq_conflicts WHERE device_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(forget.Bind(1, device_id).Run());
  return txn.Commit();
}

Result<bool> SqliteCentralStore::NoteSeqConflict(const std::string& device_id,
                                                 const std::string& error, TimeMs now,
                                                 int conflicts, TimeMs window_ms,
                                                 const std::string& clone_reason) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_RETURN_IF_ERROR(NoteDeviceError(device_id, error, now));
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement forget, db_.Prepare("DELETE FROM seq_conflicts WHERE device_id = ? AND at <= ?"));
  FEEDBACK_RETURN_IF_ERROR(forget.Bind(1, device_id).Bind(2, now - window_ms).Run());
  FEEDBACK_ASSIGN_OR_RETURN(Statement keep,
                            db_.Prepare("INSERT INTO seq_conflicts(device_id, at) VALUES (?, ?)"));
  FEEDBACK_RETURN_IF_ERROR(keep.Bind(1, device_id).Bind(2, now).Run());
  // Marks the device only once: a second mark would raise a second alert.
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement mark,
      db_.Prepare("UPDATE devices SET possible_clone_at = ?, possible_clone_reason = ? "
                  "WHERE device_id = ? AND possible_clone_at IS NULL AND revoked_at IS NULL "
                  "AND (SELECT COUNT(*) FROM seq_conflicts WHERE device_id = ?) >= ? "
                  "RETURNING site_id"));
  mark.Bind(1, now).Bind(2, clone_reason).Bind(3, device_id).Bind(4, device_id).Bind(5, conflicts);
  FEEDBACK_ASSIGN_OR_RETURN(bool marked, mark.Step());
  if (marked) {
    const std::string site_id = mark.ColumnText(0);
    mark.Reset();  // no read cursor may stay open at COMMIT (see CachedStatement)
    FEEDBACK_RETURN_IF_ERROR(QueueCloneAlertsLocked(device_id, site_id, now));
  }
  FEEDBACK_RETURN_IF_ERROR(txn.Commit());
  return marked;
}

Status SqliteCentralStore::QueueCloneAlertsLocked(const std::string& device_id,
                                                  const std::string& site_id, TimeMs now) {
  FEEDBACK_ASSIGN_OR_RETURN(AlertRules rules, GetAlertRules());
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement alert,
      db_.Prepare("INSERT INTO alerts(alert_id, event, followup_id, device_id, kind, target, "
                  "state, attempts, next_attempt_at, created_at) "
                  "VALUES (?, 'device.possible_clone', '', ?, ?, ?, 'pending', 0, ?, ?)"));
  auto queue = [&](const char* kind, const std::string& target) {
    alert.Reset();
    return alert.Bind(1, ids_.NextV7().ToString())
        .Bind(2, device_id)
        .Bind(3, kind)
        .Bind(4, target)
        .Bind(5, now)
        .Bind(6, now)
        .Run();
  };
  if (!rules.webhook_url.empty()) FEEDBACK_RETURN_IF_ERROR(queue("webhook", rules.webhook_url));
  if (!rules.email_enabled) return Status::Ok();
  FEEDBACK_ASSIGN_OR_RETURN(Statement relay,
                            db_.Prepare("SELECT mail_relay_url FROM sites WHERE site_id = ?"));
  relay.Bind(1, site_id);
  FEEDBACK_ASSIGN_OR_RETURN(bool has_site, relay.Step());
  const bool has_relay = !rules.smtp_url.empty() || (has_site && !relay.ColumnText(0).empty());
  relay.Reset();
  if (!has_relay) return Status::Ok();
  // A cloned key is the operators' business: every active admin with an address.
  std::vector<std::string> admins;
  {
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement s, db_.Prepare("SELECT email FROM users WHERE role = 'admin' AND disabled = 0 "
                                 "AND email != '' ORDER BY username"));
    while (true) {
      FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      admins.push_back(s.ColumnText(0));
    }
  }
  for (const std::string& to : admins) FEEDBACK_RETURN_IF_ERROR(queue("email", to));
  return Status::Ok();
}

Status SqliteCentralStore::NoteDeviceSeen(const std::string& device_id, TimeMs now) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                            db_.Prepare("UPDATE devices SET last_seen_at = ? WHERE device_id = ?"));
  return s.Bind(1, now).Bind(2, device_id).Run();
}

Status SqliteCentralStore::NoteDeviceError(const std::string& device_id, const std::string& error,
                                           TimeMs now) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                            db_.Prepare("UPDATE devices SET last_error = ?, last_error_at = ?, "
                                        "last_seen_at = ? WHERE device_id = ?"));
  return s.Bind(1, error.substr(0, 500)).Bind(2, now).Bind(3, now).Bind(4, device_id).Run();
}

Result<std::vector<QuarantinedRecord>> SqliteCentralStore::ListQuarantine(
    const std::string& device_id, int limit) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      db_.Prepare(std::string("SELECT device_id, site_id, batch_seq, record_id, reason, "
                              "received_at FROM quarantine") +
                  (device_id.empty() ? "" : " WHERE device_id = ?") +
                  " ORDER BY quarantine_id DESC LIMIT " + std::to_string(std::max(limit, 0))));
  if (!device_id.empty()) s.Bind(1, device_id);
  std::vector<QuarantinedRecord> out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.ColumnText(0), s.ColumnText(1), s.ColumnInt(2), s.ColumnText(3),
                   s.ColumnText(4), s.ColumnInt(5)});
  }
  return out;
}

// --- Batches -----------------------------------------------------------------------

Result<std::optional<StoredBatch>> SqliteCentralStore::FindBatch(const std::string& device_id,
                                                                 int64_t seq) {
  FEEDBACK_ASSIGN_OR_RETURN(
      CachedStatement s,
      Cached("SELECT digest, answer_json FROM batches WHERE device_id = ? AND seq = ?"));
  s->Bind(1, device_id).Bind(2, seq);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<StoredBatch>();
  return std::optional<StoredBatch>(StoredBatch{seq, s->ColumnBlob(0), s->ColumnText(1)});
}

Result<SqliteCentralStore::CachedStatement> SqliteCentralStore::Cached(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    FEEDBACK_ASSIGN_OR_RETURN(Statement prepared, db_.Prepare(sql));
    it = statements_.emplace(std::string(sql), std::move(prepared)).first;
  }
  return CachedStatement(&it->second);
}

namespace {

// An additive upsert into a rollup table: the six dimension columns (dims),
// then the rest of the key, then the summed values.
std::string RollupUpsert(std::string_view table, std::string_view dims, std::string_view key,
                         std::string_view values, std::string_view update) {
  const size_t columns = 6 + static_cast<size_t>(std::count(key.begin(), key.end(), ',')) + 1 +
                         static_cast<size_t>(std::count(values.begin(), values.end(), ',')) + 1;
  std::string sql = "INSERT INTO " + std::string(table) + "(" + std::string(dims) + ", " +
                    std::string(key) + ", " + std::string(values) + ") VALUES (?";
  for (size_t i = 1; i < columns; ++i) sql += ", ?";
  return sql + ") ON CONFLICT(" + std::string(dims) + ", " + std::string(key) +
         ") DO UPDATE SET " + std::string(update);
}

// Binds the dimension columns (1..6) in the order of the family's `dims`.
Statement& BindRollupDims(Statement& s, const RollupDims& d) {
  if (d.grain == RollupGrain::kRepDay) {
    return s.Bind(1, d.site_id)
        .Bind(2, d.period)
        .Bind(3, d.channel)
        .Bind(4, d.staff_id)
        .Bind(5, d.team)
        .Bind(6, d.survey_id);
  }
  return s.Bind(1, std::string(1, GrainCode(d.grain)))
      .Bind(2, d.site_id)
      .Bind(3, d.period)
      .Bind(4, d.channel)
      .Bind(5, d.team)
      .Bind(6, d.survey_id);
}

}  // namespace

Status SqliteCentralStore::WriteRollupsLocked(const RollupDelta& delta) {
  for (const bool summary : {false, true}) {
    const std::string prefix = summary ? "summary_" : "rollup_";
    const std::string_view dims = summary ? "grain, site_id, period, channel, team, survey_id"
                                          : "site_id, day, channel, staff_id, team, survey_id";
    auto cached = [&](std::string_view kind, std::string_view key, std::string_view values,
                      const std::string& update) {
      return Cached(RollupUpsert(prefix + std::string(kind), dims, key, values, update));
    };
    const std::string t = prefix;
    FEEDBACK_ASSIGN_OR_RETURN(CachedStatement responses,
                              cached("responses", "status", "count",
                                     "count = " + t + "responses.count + excluded.count"));
    FEEDBACK_ASSIGN_OR_RETURN(
        CachedStatement scores,
        cached("scores", "question_id, score", "question_type, count",
               "count = " + t + "scores.count + excluded.count"));
    FEEDBACK_ASSIGN_OR_RETURN(CachedStatement choices,
                              cached("choices", "question_id, option_id", "count",
                                     "count = " + t + "choices.count + excluded.count"));
    FEEDBACK_ASSIGN_OR_RETURN(
        CachedStatement driver_rows,
        cached("driver_rows", "survey_version", "n, rows_dropped",
               "n = " + t + "driver_rows.n + excluded.n, rows_dropped = " + t +
                   "driver_rows.rows_dropped + excluded.rows_dropped"));
    FEEDBACK_ASSIGN_OR_RETURN(CachedStatement driver_sums,
                              cached("driver_sums", "survey_version, var_a, var_b", "total",
                                     "total = " + t + "driver_sums.total + excluded.total"));
    for (const auto& [d, g] : delta.groups()) {
      if ((d.grain != RollupGrain::kRepDay) != summary) continue;
      for (const auto& [status, n] : g.responses) {
        responses->Reset();
        FEEDBACK_RETURN_IF_ERROR(BindRollupDims(*responses, d).Bind(7, status).Bind(8, n).Run());
      }
      for (const auto& [key, value] : g.scores) {
        scores->Reset();
        FEEDBACK_RETURN_IF_ERROR(BindRollupDims(*scores, d)
                                     .Bind(7, key.first)
                                     .Bind(8, key.second)
                                     .Bind(9, value.first)
                                     .Bind(10, value.second)
                                     .Run());
      }
      for (const auto& [key, n] : g.choices) {
        choices->Reset();
        FEEDBACK_RETURN_IF_ERROR(
            BindRollupDims(*choices, d).Bind(7, key.first).Bind(8, key.second).Bind(9, n).Run());
      }
      for (const auto& [version, m] : g.drivers) {
        driver_rows->Reset();
        FEEDBACK_RETURN_IF_ERROR(BindRollupDims(*driver_rows, d)
                                     .Bind(7, version)
                                     .Bind(8, m.n)
                                     .Bind(9, m.rows_dropped)
                                     .Run());
        for (const auto& [a, b, total] : m.Sums()) {
          driver_sums->Reset();
          FEEDBACK_RETURN_IF_ERROR(BindRollupDims(*driver_sums, d)
                                       .Bind(7, version)
                                       .Bind(8, a)
                                       .Bind(9, b)
                                       .Bind(10, total)
                                       .Run());
        }
      }
    }
  }
  return Status::Ok();
}

Result<CommitOutcome> SqliteCentralStore::CommitBatch(const PreparedBatch& b) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  // Every statement WriteBatchLocked used is reset when it returns, so no read
  // cursor is open at COMMIT and the automatic WAL checkpoint can run.
  FEEDBACK_ASSIGN_OR_RETURN(CommitOutcome out, WriteBatchLocked(b));
  if (out.kind != CommitOutcome::Kind::kStored) return out;  // rolled back
  FEEDBACK_RETURN_IF_ERROR(txn.Commit());
  return out;
}

Result<CommitOutcome> SqliteCentralStore::WriteBatchLocked(const PreparedBatch& b) {
  CommitOutcome out;

  // Re-check under the write lock: the device may have been revoked, or a
  // concurrent copy of this batch may have committed since the caller looked.
  FEEDBACK_ASSIGN_OR_RETURN(
      CachedStatement dev, Cached("SELECT revoked_at, last_seq FROM devices WHERE device_id = ?"));
  dev->Bind(1, b.device_id);
  FEEDBACK_ASSIGN_OR_RETURN(bool known, dev->Step());
  if (!known) {
    out.kind = CommitOutcome::Kind::kDeviceUnknown;
    return out;
  }
  if (!dev->ColumnIsNull(0)) {
    out.kind = CommitOutcome::Kind::kDeviceRevoked;
    return out;
  }
  const int64_t last_seq = dev->ColumnInt(1);
  out.last_seq = last_seq;
  FEEDBACK_ASSIGN_OR_RETURN(std::optional<StoredBatch> existing, FindBatch(b.device_id, b.seq));
  if (existing) {
    if (ConstantTimeEqual(existing->digest, b.digest)) {
      out.kind = CommitOutcome::Kind::kReplayed;
      out.answer_json = existing->answer_json;
    } else {
      out.kind = CommitOutcome::Kind::kConflict;
    }
    return out;
  }
  if (b.seq <= last_seq) {
    out.kind = CommitOutcome::Kind::kConflict;
    return out;
  }

  FEEDBACK_ASSIGN_OR_RETURN(
      CachedStatement ins_record,
      Cached("INSERT INTO records(record_id, device_id, site_id, channel, survey_id, "
                  "survey_version, staff_id, team, status, locale, started_at, submitted_at, "
                  "received_at, day, batch_seq, public_json, sensitive_json) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT DO NOTHING"));
  FEEDBACK_ASSIGN_OR_RETURN(
      CachedStatement ins_hero,
      Cached("INSERT INTO hero_stories(story_id, record_id, site_id, team, channel, staff_id, "
                  "staff_name, story, state, submitted_at, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?) ON CONFLICT DO NOTHING"));
  // A record's team is its rep's roster team (the team lead's scope), else
  // the device's team (agent desktops enrolled with --team).
  FEEDBACK_ASSIGN_OR_RETURN(CachedStatement staff_team,
                            Cached("SELECT team FROM staff WHERE staff_id = ?"));
  std::map<std::string, std::string> team_of_staff;
  auto record_team = [&](const PreparedRecord& r) -> Result<std::string> {
    if (r.staff_id.empty()) return b.team;
    auto it = team_of_staff.find(r.staff_id);
    if (it == team_of_staff.end()) {
      staff_team->Reset();
      staff_team->Bind(1, r.staff_id);
      FEEDBACK_ASSIGN_OR_RETURN(bool on_roster, staff_team->Step());
      const std::string t = on_roster ? staff_team->ColumnText(0) : std::string();
      it = team_of_staff.emplace(r.staff_id, t.empty() ? b.team : t).first;
    }
    return it->second;
  };
  std::optional<AlertRules> rules;
  RollupDelta delta;
  for (const PreparedRecord& r : b.records) {
    FEEDBACK_ASSIGN_OR_RETURN(const std::string team, record_team(r));
    ins_record->Reset();
    FEEDBACK_RETURN_IF_ERROR(ins_record->Bind(1, r.record_id)
                                 .Bind(2, b.device_id)
                                 .Bind(3, b.site_id)
                                 .Bind(4, r.channel)
                                 .Bind(5, r.survey_id)
                                 .Bind(6, r.survey_version)
                                 .Bind(7, r.staff_id)
                                 .Bind(8, team)
                                 .Bind(9, r.status)
                                 .Bind(10, r.locale)
                                 .Bind(11, r.started_at)
                                 .Bind(12, r.submitted_at)
                                 .Bind(13, b.received_at)
                                 .Bind(14, r.day)
                                 .Bind(15, b.seq)
                                 .Bind(16, r.public_json)
                                 .Bind(17, r.sensitive_json)
                                 .Run());
    if (db_.Changes() == 0) {
      ++out.ack.duplicates;
      continue;
    }
    ++out.ack.stored;
    delta.Add(r, b.site_id, team);
    if (r.hero) {
      ins_hero->Reset();
      FEEDBACK_RETURN_IF_ERROR(ins_hero->Bind(1, ids_.NextV7().ToString())
                                   .Bind(2, r.record_id)
                                   .Bind(3, b.site_id)
                                   .Bind(4, team)
                                   .Bind(5, r.channel)
                                   .Bind(6, r.hero->staff_id)
                                   .Bind(7, r.hero->staff_name)
                                   .Bind(8, r.hero->story)
                                   .Bind(9, r.submitted_at)
                                   .Bind(10, b.received_at)
                                   .Run());
    }
    const std::optional<FollowUpDraft>& contact = r.contact_request ? r.contact_request : r.follow_up;
    if (contact) {
      if (!rules) {
        FEEDBACK_ASSIGN_OR_RETURN(AlertRules loaded, GetAlertRules());
        rules = std::move(loaded);
      }
      FEEDBACK_RETURN_IF_ERROR(
          OpenFollowUpLocked(r, *contact, b.site_id, team, *rules, b.received_at));
    }
  }

  FEEDBACK_ASSIGN_OR_RETURN(CachedStatement known_record,
                            Cached("SELECT 1 FROM records WHERE record_id = ?"));
  FEEDBACK_ASSIGN_OR_RETURN(
      CachedStatement ins_q,
      Cached("INSERT INTO quarantine(device_id, site_id, batch_seq, record_index, record_id, "
                  "reason, public_json, epoch_id, sealed_epoch_key, sealed, received_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
  for (const QuarantineEntry& q : b.quarantine) {
    if (!q.record_id.empty()) {
      known_record->Reset();
      known_record->Bind(1, q.record_id);
      FEEDBACK_ASSIGN_OR_RETURN(bool stored, known_record->Step());
      if (stored) {
        ++out.ack.duplicates;
        continue;
      }
    }
    // Without a usable id the row is keyed by its place in this batch.
    const std::string key = q.record_id.empty()
                                ? "#" + std::to_string(b.seq) + ":" + std::to_string(q.record_index)
                                : q.record_id;
    ins_q->Reset();
    FEEDBACK_RETURN_IF_ERROR(ins_q->Bind(1, b.device_id)
                                 .Bind(2, b.site_id)
                                 .Bind(3, b.seq)
                                 .Bind(4, q.record_index)
                                 .Bind(5, key)
                                 .Bind(6, q.reason)
                                 .Bind(7, q.public_json)
                                 .Bind(8, q.epoch_id)
                                 .Bind(9, ByteView(q.sealed_epoch_key))
                                 .Bind(10, ByteView(q.sealed))
                                 .Bind(11, b.received_at)
                                 .Run());
    if (db_.Changes() == 0) {
      ++out.ack.duplicates;  // quarantined before, from an earlier batch
    } else {
      ++out.ack.quarantined;
    }
  }

  // Rollups: one additive upsert per distinct key of the new records, at the
  // rep-day grain (rollup_*) and the day / week / month summaries (summary_*).
  delta.Summarize();
  FEEDBACK_RETURN_IF_ERROR(WriteRollupsLocked(delta));

  out.ack.seq = b.seq;
  out.answer_json = protocol::ToJson(out.ack);
  FEEDBACK_ASSIGN_OR_RETURN(
      CachedStatement ins_batch,
      Cached("INSERT INTO batches(device_id, seq, digest, received_at, record_count, "
                  "answer_json) VALUES (?, ?, ?, ?, ?, ?)"));
  FEEDBACK_RETURN_IF_ERROR(
      ins_batch->Bind(1, b.device_id)
          .Bind(2, b.seq)
          .Bind(3, ByteView(b.digest))
          .Bind(4, b.received_at)
          .Bind(5, static_cast<int64_t>(b.records.size() + b.quarantine.size()))
          .Bind(6, out.answer_json)
          .Run());
  FEEDBACK_ASSIGN_OR_RETURN(
      CachedStatement upd,
      Cached("UPDATE devices SET last_seq = ?, backlog = ?, last_batch_at = ?, "
                  "last_seen_at = ?, records_stored = records_stored + ?, "
                  "records_quarantined = records_quarantined + ?, last_error = '', "
                  "last_error_at = NULL WHERE device_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(upd->Bind(1, b.seq)
                               .Bind(2, b.backlog)
                               .Bind(3, b.received_at)
                               .Bind(4, b.received_at)
                               .Bind(5, out.ack.stored)
                               .Bind(6, out.ack.quarantined)
                               .Bind(7, b.device_id)
                               .Run());
  out.kind = CommitOutcome::Kind::kStored;
  return out;
}

// --- Surveys, staff, device state ------------------------------------------------

Status SqliteCentralStore::SetSiteSurvey(const std::string& site_id, const SurveyVersion& sv) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      db_.Prepare("INSERT INTO site_surveys(site_id, channel, survey_id, version, published_at) "
                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT(site_id, channel) DO UPDATE SET "
                  "survey_id = excluded.survey_id, version = excluded.version, "
                  "published_at = excluded.published_at"));
  return s.Bind(1, site_id)
      .Bind(2, sv.channel)
      .Bind(3, sv.survey_id)
      .Bind(4, sv.version)
      .Bind(5, sv.published_at)
      .Run();
}

Status SqliteCentralStore::PublishSurvey(const SurveyVersion& sv,
                                         const std::vector<std::string>& site_ids, bool all_sites) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement find,
      db_.Prepare("SELECT definition_json FROM surveys WHERE survey_id = ? AND version = ?"));
  find.Bind(1, sv.survey_id).Bind(2, sv.version);
  FEEDBACK_ASSIGN_OR_RETURN(bool exists, find.Step());
  if (exists) {
    if (find.ColumnText(0) != sv.definition_json) {
      return Status::AlreadyExists("survey '" + sv.survey_id + "' version " +
                                   std::to_string(sv.version) +
                                   " was already published with a different definition; raise "
                                   "\"version\" in the file and publish again");
    }
    find.Reset();  // no read cursor may stay open at COMMIT (see CachedStatement)
  } else {
    FEEDBACK_ASSIGN_OR_RETURN(Statement ins,
                              db_.Prepare("INSERT INTO surveys(survey_id, version, channel, "
                                          "definition_json, published_at) VALUES (?, ?, ?, ?, ?)"));
    FEEDBACK_RETURN_IF_ERROR(ins.Bind(1, sv.survey_id)
                                 .Bind(2, sv.version)
                                 .Bind(3, sv.channel)
                                 .Bind(4, sv.definition_json)
                                 .Bind(5, sv.published_at)
                                 .Run());
  }
  std::set<std::string> targets(site_ids.begin(), site_ids.end());
  if (all_sites) {
    FEEDBACK_RETURN_IF_ERROR(SetSiteSurvey(std::string(kAllSites), sv));
    FEEDBACK_ASSIGN_OR_RETURN(Statement all, db_.Prepare("SELECT site_id FROM sites"));
    while (true) {
      FEEDBACK_ASSIGN_OR_RETURN(bool row, all.Step());
      if (!row) break;
      targets.insert(all.ColumnText(0));
    }
  }
  for (const std::string& site : targets) {
    FEEDBACK_ASSIGN_OR_RETURN(bool created, EnsureSiteLocked(site, sv.published_at));
    (void)created;
    FEEDBACK_RETURN_IF_ERROR(SetSiteSurvey(site, sv));
  }
  return txn.Commit();
}

Result<SurveyVersion> SqliteCentralStore::GetSurvey(const std::string& survey_id, int version) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("SELECT channel, definition_json, published_at FROM surveys "
                               "WHERE survey_id = ? AND version = ?"));
  s.Bind(1, survey_id).Bind(2, version);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) {
    return Status::NotFound("survey '" + survey_id + "' version " + std::to_string(version) +
                            " was never published to this central store");
  }
  return SurveyVersion{survey_id, version, s.ColumnText(0), s.ColumnText(1), s.ColumnInt(2)};
}

Status SqliteCentralStore::ImportStaff(const std::vector<StaffRow>& rows) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  std::set<std::string> sites;
  for (const StaffRow& r : rows) sites.insert(r.site_id);
  FEEDBACK_ASSIGN_OR_RETURN(Statement del, db_.Prepare("DELETE FROM staff WHERE site_id = ?"));
  for (const std::string& site : sites) {
    FEEDBACK_ASSIGN_OR_RETURN(bool created, EnsureSiteLocked(site, 0));
    (void)created;
    del.Reset();
    FEEDBACK_RETURN_IF_ERROR(del.Bind(1, site).Run());
  }
  FEEDBACK_ASSIGN_OR_RETURN(Statement ins,
                            db_.Prepare("INSERT INTO staff(staff_id, site_id, display_name, team) "
                                        "VALUES (?, ?, ?, ?)"));
  for (const StaffRow& r : rows) {
    ins.Reset();
    Status s =
        ins.Bind(1, r.staff_id).Bind(2, r.site_id).Bind(3, r.display_name).Bind(4, r.team).Run();
    if (s.code() == Status::Code::kAlreadyExists) {
      return Status::AlreadyExists("staff_id '" + r.staff_id +
                                   "' appears twice (staff ids are unique across all sites)");
    }
    FEEDBACK_RETURN_IF_ERROR(s);
  }
  return txn.Commit();
}

Result<std::optional<StaffRow>> SqliteCentralStore::FindStaff(const std::string& staff_id) {
  FEEDBACK_ASSIGN_OR_RETURN(
      CachedStatement s,
      Cached("SELECT staff_id, display_name, team, site_id FROM staff WHERE staff_id = ?"));
  s->Bind(1, staff_id);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<StaffRow>();
  return std::optional<StaffRow>(
      StaffRow{s->ColumnText(0), s->ColumnText(1), s->ColumnText(2), s->ColumnText(3)});
}

Result<protocol::DeviceState> SqliteCentralStore::DeviceState(const Device& device) {
  protocol::DeviceState st;
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement surveys,
      db_.Prepare("SELECT s.survey_id, s.version, s.channel, s.definition_json FROM site_surveys "
                  "ss JOIN surveys s ON s.survey_id = ss.survey_id AND s.version = ss.version "
                  "WHERE ss.site_id = ? ORDER BY s.channel"));
  surveys.Bind(1, device.site_id);
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, surveys.Step());
    if (!row) break;
    protocol::PublishedSurvey p;
    p.id = surveys.ColumnText(0);
    p.version = static_cast<int>(surveys.ColumnInt(1));
    FEEDBACK_ASSIGN_OR_RETURN(p.channel, ParseChannel(surveys.ColumnText(2)));
    p.definition_json = surveys.ColumnText(3);
    st.surveys.push_back(std::move(p));
  }
  FEEDBACK_ASSIGN_OR_RETURN(Statement roster,
                            db_.Prepare("SELECT staff_id, display_name, team FROM staff "
                                        "WHERE site_id = ? ORDER BY display_name, staff_id"));
  roster.Bind(1, device.site_id);
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, roster.Step());
    if (!row) break;
    st.roster.push_back({roster.ColumnText(0), roster.ColumnText(1), roster.ColumnText(2)});
  }
  // Agent desktops see their team's stories; kiosks the whole site's.
  const bool by_team = device.kind == "agent" && !device.team.empty();
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement stories,
      db_.Prepare(std::string("SELECT story_id, staff_id, staff_name, story, team, published_at "
                              "FROM hero_stories WHERE site_id = ? AND state = 'published'") +
                  (by_team ? " AND team = ?" : "") + " ORDER BY published_at DESC LIMIT " +
                  std::to_string(kDeviceStateStories)));
  stories.Bind(1, device.site_id);
  if (by_team) stories.Bind(2, device.team);
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, stories.Step());
    if (!row) break;
    st.hero_stories.push_back({stories.ColumnText(0), stories.ColumnText(1), stories.ColumnText(2),
                               stories.ColumnText(3), stories.ColumnText(4),
                               stories.ColumnIsNull(5) ? 0 : stories.ColumnInt(5)});
  }
  FEEDBACK_ASSIGN_OR_RETURN(Statement site,
                            db_.Prepare("SELECT branding_json FROM sites WHERE site_id = ?"));
  site.Bind(1, device.site_id);
  FEEDBACK_ASSIGN_OR_RETURN(bool has_site, site.Step());
  if (has_site) {
    nlohmann::json b = nlohmann::json::parse(site.ColumnText(0), nullptr, false);
    if (b.is_object()) st.branding = std::move(b);
  }
  return st;
}

}  // namespace feedback::central
