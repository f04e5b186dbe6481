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

// A record in a batch the sync daemon has journalled keeps its row (and so
// outbox_state pending) until the batch is acknowledged: the batch's journal
// row names its records by rowid range, which is what the daemon reads and
// counts as "in batch". kInBatch is only what an older feedback-sync (up to
// capture-store migration 3) wrote into the rows of a batch it journalled.
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

// pending: waiting for a batch; in_batch: in a journalled, unacknowledged
// batch (whether its rows say kInBatch or are named by the batch's range).
struct OutboxCounts {
  int64_t pending = 0;
  int64_t in_batch = 0;
  int64_t acknowledged = 0;
  std::optional<TimeMs> oldest_pending_submitted_at;
};

// A pending record as the sync daemon sends it, read straight from its row:
// the public part is the JSON text Capture() stored (RecordToJson(PublicPart(r))),
// not parsed, so a batch can carry it without a parse and re-encode per record.
struct OutboxRecord {
  int64_t rowid = 0;  // capture order; a journalled batch names its records by rowid range
  std::string id;
  std::string public_json;
  std::string epoch_id;  // empty when the record has nothing sensitive
  Bytes sealed_fields;
};

// A batch the sync daemon has journalled (docs/sync.md "Crash safety"): built
// and signed; kept byte for byte until the central store has acknowledged it,
// so every resend is identical. Its records are the pending records with a
// rowid in [first_rowid, last_rowid]: rowids only grow (records are never
// deleted and the capture DB is never VACUUMed), so no record captured later
// can fall inside the range. first_rowid = last_rowid = 0 marks a batch an
// older feedback-sync journalled, whose records' rows say kInBatch and seq.
struct JournalledBatch {
  int64_t seq = 0;
  int64_t records = 0;
  Bytes envelope;
  int64_t first_rowid = 0;
  int64_t last_rowid = 0;

  bool operator==(const JournalledBatch&) const = default;
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

  // Up to limit pending records that are in no journalled batch, by id.
  Result<std::vector<StoredRecord>> Pending(int limit);
  Result<StoredRecord> Get(const std::string& record_id);

  // The sync daemon's reads, each one cached statement on the outbox index
  // (cost grows with the records read or counted, not with the acknowledged
  // history): up to limit pending records after the newest journalled batch,
  // in capture order (oldest first), into *out (its buffers are reused); how
  // many such records there are; and the sealed key of an epoch (NotFound if
  // the store has no such epoch).
  Status ReadPendingForSync(int limit, std::vector<OutboxRecord>* out);
  Result<int64_t> PendingCount();
  Result<Bytes> SealedEpochKey(const std::string& epoch_id);

  // Outbox transitions, each atomic. AssignToBatch and ReleaseBatch move rows
  // to and from kInBatch as an older feedback-sync did (its journal is taken
  // over at start; tests). Acknowledge: the records of batch seq - its rows
  // in kInBatch seq, or the pending ones in its journalled range - become
  // acknowledged. OutboxUpdate does several of them in one transaction.
  Status AssignToBatch(int64_t batch_seq, const std::vector<std::string>& record_ids);
  Status Acknowledge(int64_t batch_seq);
  Status ReleaseBatch(int64_t batch_seq);
  Result<OutboxCounts> Counts();

  // The sync daemon's journalled batches, oldest (lowest seq) first. They are
  // written and removed only through OutboxUpdate; removing one (without
  // acknowledging it) returns the records of its range to pending.
  Result<std::vector<JournalledBatch>> JournalledBatches();

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
  friend class OutboxUpdate;
  CaptureStore(Database db, FieldSealer* sealer, const Clock& clock)
      : db_(std::move(db)), sealer_(sealer), clock_(&clock) {}

  // The outbox writes without a transaction of their own: the public methods
  // and OutboxUpdate wrap them.
  Status AssignToBatchInTransaction(int64_t batch_seq, const std::vector<std::string>& record_ids);
  Status AcknowledgeInTransaction(int64_t batch_seq);
  Status ReleaseBatchInTransaction(int64_t batch_seq);
  Status SetSettingInTransaction(const std::string& key, const std::string& value);

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
  std::optional<Statement> read_pending_;
  std::optional<Statement> count_pending_;
  std::optional<Statement> epoch_key_;
  std::optional<Statement> assign_;
  std::optional<Statement> acknowledge_;
  std::optional<Statement> acknowledge_range_;
  std::optional<Statement> count_range_;
  std::optional<Statement> release_;
  std::optional<Statement> set_setting_;
  std::optional<Statement> put_journalled_;
  std::optional<Statement> delete_journalled_;
};

// Several outbox changes of the sync daemon as one transaction, so they reach
// the disk together with one fsync (e.g. "acknowledge batch N, journal batch
// N+2"). Begin() takes the write lock (BEGIN
// IMMEDIATE, waiting through the busy timeout for another writer); nothing is
// visible to other connections until Commit(); the destructor rolls back an
// update that was not committed. After a failed step, do not commit: let the
// update go out of scope.
//
// Threading: on the thread that owns the store; borrows it for its lifetime.
class OutboxUpdate {
 public:
  explicit OutboxUpdate(CaptureStore& store) : store_(store), txn_(store.db_) {}
  OutboxUpdate(const OutboxUpdate&) = delete;
  OutboxUpdate& operator=(const OutboxUpdate&) = delete;

  Status Begin() { return txn_.Begin(); }
  // Conflict (naming the record) when one of record_ids is not pending.
  Status AssignToBatch(int64_t batch_seq, const std::vector<std::string>& record_ids) {
    return store_.AssignToBatchInTransaction(batch_seq, record_ids);
  }
  Status Acknowledge(int64_t batch_seq) { return store_.AcknowledgeInTransaction(batch_seq); }
  Status ReleaseBatch(int64_t batch_seq) { return store_.ReleaseBatchInTransaction(batch_seq); }
  Status SetSetting(const std::string& key, const std::string& value) {
    return store_.SetSettingInTransaction(key, value);
  }
  // AlreadyExists when a batch with this seq is journalled already. A batch
  // with a rowid range: Conflict unless the range lies after every other
  // journalled batch's and holds exactly batch.records pending records (so
  // no record is ever in two batches).
  Status PutJournalledBatch(const JournalledBatch& batch);
  Status DeleteJournalledBatch(int64_t seq);
  Status Commit() { return txn_.Commit(); }

 private:
  CaptureStore& store_;
  Transaction txn_;
};

}  // namespace feedback
