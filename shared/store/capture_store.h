// CaptureStore: the device's durable local database of feedback records and
// the outbox the sync daemon drains. The kiosk or agent app captures into it;
// the sync daemon (another process) reads pending records, groups them into
// batches and marks them acknowledged once the central store has them.
//
// Durability: Capture() returns only after the record's transaction has
// committed with synchronous=FULL in WAL mode, i.e. the WAL is fsynced.
// Privacy: a record's sensitive fields (free text, hero, contact) pass through
// the FieldSealer before they are written; only the public part (ids, times,
// scores, choices) rests in plaintext, as JSON, queryable for local display.
//
// Threading: one CaptureStore per thread. Any number of processes may open the
// same file; waits for another writer are absorbed by the busy timeout.
// Ownership: the store borrows the sealer and the clock; both must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "model/record.h"
#include "store/field_sealer.h"
#include "store/sqlite.h"

namespace feedback {

// Settings keys the sync daemon writes for the apps' status displays.
inline constexpr char kSettingSyncLastSuccess[] = "sync.last_success_ms";  // TimeMs as text
inline constexpr char kSettingSyncLastError[] = "sync.last_error";         // empty when healthy

enum class OutboxState { kPending = 0, kInBatch = 1, kAcknowledged = 2 };

// A record as it rests on the device: its public part plus the sealed blob.
struct StoredRecord {
  FeedbackRecord record;       // public part only: no text, hero or contact
  std::string epoch_id;        // empty when the record has nothing sensitive
  Bytes sealed_epoch_key;      // the epoch key, sealed to the central store
  Bytes sealed_fields;         // SensitiveJson(), sealed
  OutboxState state = OutboxState::kPending;
  std::optional<int64_t> batch_seq;
};

struct OutboxCounts {
  int64_t pending = 0;
  int64_t in_batch = 0;
  int64_t acknowledged = 0;
  std::optional<TimeMs> oldest_pending_submitted_at;
};

// A survey definition the central store published for this device.
struct StoredSurvey {
  std::string survey_id;
  int version = 0;
  Channel channel = Channel::kKiosk;
  std::string definition_json;
};

// One person on the site's staff roster (hero nominations pick from it).
struct StaffMember {
  std::string staff_id;
  std::string display_name;
  std::string team;
};

// A hero story a manager published: shown on kiosk attract screens and agent desktops.
struct HeroStory {
  std::string story_id;
  std::string staff_id;
  std::string staff_name;
  std::string story;
  std::string team;
  TimeMs published_at = 0;
};

class CaptureStore {
 public:
  // Opens or creates the store at path and brings its schema up to date.
  // sealer may be null only for a process that never captures (the sync daemon).
  static Result<CaptureStore> Open(const std::string& path, FieldSealer* sealer,
                                   const Clock& clock = SystemClock::Instance());

  // Seals and stores one record, durably. Fails with AlreadyExists for a
  // record id already stored, and with DiskFull / ReadOnly / Corruption /
  // IoError (each naming the file and what to do) when the disk refuses.
  Status Capture(const FeedbackRecord& record);

  // Up to limit records in the outbox's pending state, oldest first.
  Result<std::vector<StoredRecord>> Pending(int limit);
  Result<StoredRecord> Get(const std::string& record_id);

  // Outbox transitions, each atomic: pending -> in batch seq; in batch seq ->
  // acknowledged; in batch seq -> pending (the central store did not take it).
  Status AssignToBatch(int64_t batch_seq, const std::vector<std::string>& record_ids);
  Status Acknowledge(int64_t batch_seq);
  Status ReleaseBatch(int64_t batch_seq);
  Result<OutboxCounts> Counts();

  // The most recent records' public parts, newest first, optionally for one
  // staff member (the agent desktop's "my last entries" and trend).
  Result<std::vector<FeedbackRecord>> Recent(int limit, const std::string& staff_id = "");

  // Small device settings and status shared between the app and the daemon
  // (e.g. "sync.last_success"). Get returns NotFound for an unset key.
  Status SetSetting(const std::string& key, const std::string& value);
  Result<std::string> GetSetting(const std::string& key);

  // What the sync daemon pulls down from the central store, for the apps.
  // LatestSurvey is the newest definition received for a channel (NotFound
  // until one arrives); apps switch to it only between two surveys.
  Status PutSurvey(const StoredSurvey& survey);
  Result<StoredSurvey> LatestSurvey(Channel channel);
  Status ReplaceRoster(const std::vector<StaffMember>& staff);
  Result<std::vector<StaffMember>> Roster();
  Status ReplaceHeroStories(const std::vector<HeroStory>& stories);
  // Newest first; team empty means every team's stories.
  Result<std::vector<HeroStory>> HeroStories(int limit, const std::string& team = "");

  Database& database() { return db_; }

 private:
  CaptureStore(Database db, FieldSealer* sealer, const Clock& clock)
      : db_(std::move(db)), sealer_(sealer), clock_(&clock) {}

  Status StoreEpochIfNew(const SealedFields& sealed);
  // The statement in slot, prepared on first use (capture is the hot path).
  Result<Statement*> Cached(std::optional<Statement>& slot, std::string_view sql);
  Result<std::vector<StoredRecord>> Query(std::string_view where, int limit,
                                          const std::string& arg);

  Database db_;
  FieldSealer* sealer_;
  const Clock* clock_;
  std::string last_stored_epoch_;  // the newest epoch whose row is committed
  // Declared after db_, so destroyed (finalized) before the connection closes.
  std::optional<Statement> insert_record_;
  std::optional<Statement> insert_epoch_;
};

}  // namespace feedback
