#include "store/capture_store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace feedback {
namespace {

constexpr Migration kMigrations[] = {
    {1, "records, epochs, settings",
     R"sql(
CREATE TABLE records(
  id             TEXT PRIMARY KEY,
  survey_id      TEXT NOT NULL,
  survey_version INTEGER NOT NULL,
  device_id      TEXT NOT NULL,
  site_id        TEXT NOT NULL,
  channel        TEXT NOT NULL,
  staff_id       TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL,
  submitted_at   INTEGER NOT NULL,
  public_json    TEXT NOT NULL,     -- ids, times, scores, choices: nothing sensitive
  epoch_id       TEXT REFERENCES epochs(epoch_id),
  sealed         BLOB,              -- SensitiveJson(), sealed under the epoch key
  outbox_state   INTEGER NOT NULL DEFAULT 0,   -- 0 pending, 1 in batch, 2 acknowledged
  batch_seq      INTEGER,
  acked_at       INTEGER
);
CREATE INDEX records_outbox ON records(outbox_state, batch_seq);
CREATE INDEX records_staff ON records(staff_id, submitted_at);
CREATE TABLE epochs(
  epoch_id   TEXT PRIMARY KEY,
  sealed_key BLOB NOT NULL,          -- the epoch key, HPKE-sealed to the central store
  created_at INTEGER NOT NULL
);
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql"},
    {2, "what the central store sends down: surveys, roster, published hero stories",
     R"sql(
CREATE TABLE surveys(
  survey_id  TEXT NOT NULL,
  version    INTEGER NOT NULL,
  channel    TEXT NOT NULL,
  definition TEXT NOT NULL,          -- the JSON definition, validated before it is stored
  received_at INTEGER NOT NULL,
  PRIMARY KEY(survey_id, version)
);
CREATE TABLE staff(
  staff_id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  team     TEXT NOT NULL DEFAULT ''
);
CREATE TABLE hero_stories(
  story_id     TEXT PRIMARY KEY,
  staff_id     TEXT NOT NULL DEFAULT '',
  staff_name   TEXT NOT NULL,
  story        TEXT NOT NULL,
  team         TEXT NOT NULL DEFAULT '',
  published_at INTEGER NOT NULL
);
)sql"},
    {3, "the sync daemon's journal of batches sent but not yet acknowledged",
     R"sql(
-- Each batch the sync daemon built and signed, byte for byte, from before it
-- is first sent until the central store acknowledged it (docs/sync.md "Crash
-- safety"); its records are those with outbox_state 1 and this batch_seq.
-- Replaces the single in-flight batch formerly kept in settings 'sync.outbox'
-- (the daemon moves one found there into this table).
CREATE TABLE outbox_batches(
  seq      INTEGER PRIMARY KEY,
  records  INTEGER NOT NULL,
  envelope BLOB NOT NULL
);
)sql"},
    {4, "journalled batches name their records by rowid range instead of rewriting their rows",
     R"sql(
-- A batch the sync daemon journals from now on leaves its records' rows as
-- they are (outbox_state 0) until it is acknowledged: its records are the
-- pending ones with a rowid in [first_rowid, last_rowid] (docs/sync.md "Crash
-- safety"). NULL in a row an older daemon wrote: its records are those with
-- outbox_state 1 and this batch_seq.
ALTER TABLE outbox_batches ADD COLUMN first_rowid INTEGER;
ALTER TABLE outbox_batches ADD COLUMN last_rowid INTEGER;
)sql"},
};

// The pending records that no journalled batch holds: those after the newest
// batch's range (each batch takes the oldest such records, so the ranges
// follow each other in capture order). "batch_seq IS NULL" holds for every
// pending row; with it, the records_outbox index (outbox_state, batch_seq,
// rowid) serves the rowid range and the capture order directly. The reads
// name the index (INDEXED BY): with statistics (ANALYZE) SQLite may prefer a
// rowid range scan of the table, which would walk the acknowledged history.
constexpr std::string_view kUnjournalledPending =
    "outbox_state = 0 AND batch_seq IS NULL AND rowid > "
    "(SELECT coalesce(max(last_rowid), 0) FROM outbox_batches)";

constexpr std::string_view kSelectStored =
    "SELECT r.public_json, coalesce(r.epoch_id, ''), e.sealed_key, r.sealed, r.outbox_state, "
    "r.batch_seq FROM records r LEFT JOIN epochs e ON e.epoch_id = r.epoch_id ";

Result<StoredRecord> ReadStored(const Statement& row) {
  StoredRecord out;
  nlohmann::json j = nlohmann::json::parse(row.ColumnText(0), nullptr, /*allow_exceptions=*/false);
  Result<FeedbackRecord> record = RecordFromJson(j);
  if (!record.ok()) return Status::Corruption("stored record is unreadable: " + record.status().message());
  out.record = std::move(record).value();
  out.epoch_id = row.ColumnText(1);
  out.sealed_epoch_key = row.ColumnBlob(2);
  out.sealed_fields = row.ColumnBlob(3);
  out.state = static_cast<OutboxState>(row.ColumnInt(4));
  if (!row.ColumnIsNull(5)) out.batch_seq = row.ColumnInt(5);
  return out;
}

}  // namespace

Result<CaptureStore> CaptureStore::Open(const std::string& path, FieldSealer* sealer,
                                        const Clock& clock) {
  FEEDBACK_ASSIGN_OR_RETURN(Database db, Database::Open(path));
  FEEDBACK_RETURN_IF_ERROR(Migrate(db, kMigrations, "capture store"));
  return CaptureStore(std::move(db), sealer, clock);
}

Status CaptureStore::Capture(const FeedbackRecord& record) {
  if (record.id.empty() || record.device_id.empty() || record.site_id.empty() ||
      record.survey_id.empty()) {
    return Status::InvalidArgument("record to capture lacks an id, device, site or survey");
  }
  // Seal before opening the transaction: the write lock is held only for the writes.
  std::optional<SealedFields> sealed;
  const std::string sensitive = SensitiveJson(record);
  if (sensitive != "{}") {
    if (sealer_ == nullptr) {
      return Status::Internal("record " + record.id + " has sensitive fields but this store has no sealer");
    }
    FEEDBACK_ASSIGN_OR_RETURN(sealed, sealer_->Seal(AsBytes(sensitive),
                                                    RecordAssociatedData(record.id, record.device_id)));
  }
  const std::string public_json = RecordToJson(PublicPart(record)).dump();

  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  if (sealed) FEEDBACK_RETURN_IF_ERROR(StoreEpochIfNew(*sealed));
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement * insert,
      Cached(insert_record_,
             "INSERT INTO records(id, survey_id, survey_version, device_id, site_id, channel, "
             "staff_id, status, submitted_at, public_json, epoch_id, sealed) "
             "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"));
  insert->Bind(1, record.id)
      .Bind(2, record.survey_id)
      .Bind(3, record.survey_version)
      .Bind(4, record.device_id)
      .Bind(5, record.site_id)
      .Bind(6, ChannelName(record.channel))
      .Bind(7, record.staff_id)
      .Bind(8, RecordStatusName(record.status))
      .Bind(9, record.submitted_at)
      .Bind(10, public_json);
  if (sealed) {
    insert->Bind(11, sealed->epoch_id).Bind(12, ByteView(sealed->ciphertext));
  } else {
    insert->BindNull(11).BindNull(12);
  }
  Status inserted = insert->Run();
  insert->Reset();
  if (Status s = inserted; !s.ok()) {
    if (s.code() == Status::Code::kAlreadyExists) {
      return Status::AlreadyExists("record " + record.id + " is already captured");
    }
    return s;
  }
  FEEDBACK_RETURN_IF_ERROR(txn.Commit());
  // Remember the epoch only once its row is committed: after a rollback the
  // next capture must insert it again.
  if (sealed) last_stored_epoch_ = sealed->epoch_id;
  return Status::Ok();
}

Status CaptureStore::StoreEpochIfNew(const SealedFields& sealed) {
  if (sealed.epoch_id == last_stored_epoch_) return Status::Ok();
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement * insert,
      Cached(insert_epoch_,
             "INSERT OR IGNORE INTO epochs(epoch_id, sealed_key, created_at) VALUES(?,?,?)"));
  Status s = insert->Bind(1, sealed.epoch_id)
                 .Bind(2, ByteView(sealed.sealed_epoch_key))
                 .Bind(3, clock_->NowMs())
                 .Run();
  insert->Reset();
  return s;
}

Result<Statement*> CaptureStore::Cached(std::optional<Statement>& slot, std::string_view sql) {
  if (!slot) {
    FEEDBACK_ASSIGN_OR_RETURN(slot, db_.Prepare(sql));
  }
  return &*slot;
}

Result<std::vector<StoredRecord>> CaptureStore::Query(std::string_view where, int limit,
                                                      const std::string& arg) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement q, db_.Prepare(std::string(kSelectStored) + std::string(where)));
  int index = 1;
  if (!arg.empty()) q.Bind(index++, arg);
  if (limit > 0) q.Bind(index, limit);
  std::vector<StoredRecord> out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    FEEDBACK_ASSIGN_OR_RETURN(StoredRecord stored, ReadStored(q));
    out.push_back(std::move(stored));
  }
  return out;
}

Result<std::vector<StoredRecord>> CaptureStore::Pending(int limit) {
  return Query(
      "WHERE r.outbox_state = 0 AND r.batch_seq IS NULL AND r.rowid > "
      "(SELECT coalesce(max(last_rowid), 0) FROM outbox_batches) ORDER BY r.id LIMIT ?",
      limit, "");
}

Result<StoredRecord> CaptureStore::Get(const std::string& record_id) {
  FEEDBACK_ASSIGN_OR_RETURN(std::vector<StoredRecord> rows, Query("WHERE r.id = ?", 0, record_id));
  if (rows.empty()) return Status::NotFound("record " + record_id + " is not in " + db_.path());
  return std::move(rows.front());
}

Status CaptureStore::ReadPendingForSync(int limit, std::vector<OutboxRecord>* out) {
  // Within outbox_state 0 and batch_seq NULL the records_outbox index is in
  // rowid (= capture) order, so SQLite seeks past the journalled ranges, reads
  // exactly `limit` rows and sorts nothing.
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement * q,
      Cached(read_pending_,
             "SELECT rowid, id, public_json, coalesce(epoch_id, ''), sealed FROM records "
             "INDEXED BY records_outbox WHERE " +
                 std::string(kUnjournalledPending) + " ORDER BY rowid LIMIT ?"));
  q->Bind(1, limit);
  size_t n = 0;
  Status status;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) {
      status = row.status();
      break;
    }
    if (!*row) break;
    if (n == out->size()) out->emplace_back();
    OutboxRecord& r = (*out)[n++];
    r.rowid = q->ColumnInt(0);
    r.id = q->ColumnText(1);
    r.public_json = q->ColumnText(2);
    r.epoch_id = q->ColumnText(3);
    r.sealed_fields = q->ColumnBlob(4);
  }
  q->Reset();
  out->resize(n);
  return status;
}

Result<int64_t> CaptureStore::PendingCount() {
  // Counted on the records_outbox index alone (a covering index scan of the
  // pending entries after the journalled ranges), never the whole table.
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement * q, Cached(count_pending_,
                            "SELECT count(*) FROM records INDEXED BY records_outbox WHERE " +
                                std::string(kUnjournalledPending)));
  Result<bool> row = q->Step();
  const int64_t count = row.ok() && *row ? q->ColumnInt(0) : 0;
  q->Reset();
  if (!row.ok()) return row.status();
  return count;
}

Result<Bytes> CaptureStore::SealedEpochKey(const std::string& epoch_id) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement * q,
                            Cached(epoch_key_, "SELECT sealed_key FROM epochs WHERE epoch_id = ?"));
  Result<bool> row = q->Bind(1, epoch_id).Step();
  Bytes key = row.ok() && *row ? q->ColumnBlob(0) : Bytes();
  q->Reset();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("epoch " + epoch_id + " is not in " + db_.path());
  return key;
}

Status CaptureStore::AssignToBatch(int64_t batch_seq, const std::vector<std::string>& record_ids) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_RETURN_IF_ERROR(AssignToBatchInTransaction(batch_seq, record_ids));
  return txn.Commit();
}

Status CaptureStore::Acknowledge(int64_t batch_seq) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_RETURN_IF_ERROR(AcknowledgeInTransaction(batch_seq));
  return txn.Commit();
}

Status CaptureStore::ReleaseBatch(int64_t batch_seq) {
  return ReleaseBatchInTransaction(batch_seq);
}

Status CaptureStore::AssignToBatchInTransaction(int64_t batch_seq,
                                                const std::vector<std::string>& record_ids) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement * update,
      Cached(
          assign_,
          "UPDATE records SET outbox_state = 1, batch_seq = ? WHERE id = ? AND outbox_state = 0"));
  for (const std::string& id : record_ids) {
    Status s = update->Bind(1, batch_seq).Bind(2, id).Run();
    update->Reset();
    FEEDBACK_RETURN_IF_ERROR(s);
    if (db_.Changes() != 1) {
      return Status::Conflict("record " + id + " is not pending, so it cannot join batch " +
                              std::to_string(batch_seq));
    }
  }
  return Status::Ok();
}

Status CaptureStore::AcknowledgeInTransaction(int64_t batch_seq) {
  const TimeMs now = clock_->NowMs();
  // A batch an older feedback-sync journalled: its rows say so.
  FEEDBACK_ASSIGN_OR_RETURN(Statement * legacy,
                            Cached(acknowledge_,
                                   "UPDATE records SET outbox_state = 2, acked_at = ? "
                                   "WHERE outbox_state = 1 AND batch_seq = ?"));
  Status s = legacy->Bind(1, now).Bind(2, batch_seq).Run();
  legacy->Reset();
  FEEDBACK_RETURN_IF_ERROR(s);
  // A batch with a rowid range (NULL bounds for an older one match nothing):
  // each record's row is written once, here, and keeps its batch's seq.
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement * ranged,
      Cached(acknowledge_range_,
             "UPDATE records SET outbox_state = 2, batch_seq = ?1, acked_at = ?2 "
             "WHERE outbox_state = 0 AND batch_seq IS NULL AND rowid BETWEEN "
             "(SELECT first_rowid FROM outbox_batches WHERE seq = ?1) AND "
             "(SELECT last_rowid FROM outbox_batches WHERE seq = ?1)"));
  s = ranged->Bind(1, batch_seq).Bind(2, now).Run();
  ranged->Reset();
  return s;
}

Status CaptureStore::ReleaseBatchInTransaction(int64_t batch_seq) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement * update,
                            Cached(release_,
                                   "UPDATE records SET outbox_state = 0, batch_seq = NULL "
                                   "WHERE outbox_state = 1 AND batch_seq = ?"));
  Status s = update->Bind(1, batch_seq).Run();
  update->Reset();
  return s;
}

Result<OutboxCounts> CaptureStore::Counts() {
  // Per state from the records_outbox index (no table rows read), then the
  // oldest pending record's time from the pending rows only. The records of a
  // journalled batch with a rowid range are pending rows but count as in
  // batch; the journal's record counts come from the same statement, so from
  // the same snapshot (acknowledging a batch and dropping its journal row is
  // one transaction).
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement q,
      db_.Prepare("SELECT outbox_state, count(*), (SELECT coalesce(sum(records), 0) FROM "
                  "outbox_batches WHERE last_rowid IS NOT NULL) FROM records GROUP BY outbox_state"));
  OutboxCounts counts;
  int64_t in_ranged_batches = 0;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    in_ranged_batches = q.ColumnInt(2);
    switch (q.ColumnInt(0)) {
      case static_cast<int>(OutboxState::kPending):
        counts.pending = q.ColumnInt(1);
        break;
      case static_cast<int>(OutboxState::kInBatch):
        counts.in_batch = q.ColumnInt(1);
        break;
      case static_cast<int>(OutboxState::kAcknowledged):
        counts.acknowledged = q.ColumnInt(1);
        break;
      default:
        break;
    }
  }
  in_ranged_batches = std::min(in_ranged_batches, counts.pending);
  counts.pending -= in_ranged_batches;
  counts.in_batch += in_ranged_batches;
  if (counts.pending > 0) {
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement oldest, db_.Prepare("SELECT min(submitted_at) FROM records INDEXED BY "
                                      "records_outbox WHERE " +
                                      std::string(kUnjournalledPending)));
    FEEDBACK_ASSIGN_OR_RETURN(bool row, oldest.Step());
    if (row && !oldest.ColumnIsNull(0)) counts.oldest_pending_submitted_at = oldest.ColumnInt(0);
  }
  return counts;
}

Result<std::vector<JournalledBatch>> CaptureStore::JournalledBatches() {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement q, db_.Prepare("SELECT seq, records, envelope, coalesce(first_rowid, 0), "
                               "coalesce(last_rowid, 0) FROM outbox_batches ORDER BY seq"));
  std::vector<JournalledBatch> out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(
        {q.ColumnInt(0), q.ColumnInt(1), q.ColumnBlob(2), q.ColumnInt(3), q.ColumnInt(4)});
  }
  return out;
}

Status OutboxUpdate::PutJournalledBatch(const JournalledBatch& batch) {
  const bool ranged = batch.first_rowid != 0 || batch.last_rowid != 0;
  if (ranged) {
    // The range must hold exactly this batch's records, none of them in
    // another batch: it lies after every journalled range (read in the same
    // transaction that inserts it) and holds batch.records pending rows.
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement * check,
        store_.Cached(store_.count_range_,
                      "SELECT (SELECT count(*) FROM records WHERE outbox_state = 0 AND batch_seq "
                      "IS NULL AND rowid BETWEEN ?1 AND ?2), (SELECT coalesce(max(last_rowid), 0) "
                      "FROM outbox_batches)"));
    Result<bool> row = check->Bind(1, batch.first_rowid).Bind(2, batch.last_rowid).Step();
    const int64_t in_range = row.ok() && *row ? check->ColumnInt(0) : 0;
    const int64_t journalled_up_to = row.ok() && *row ? check->ColumnInt(1) : 0;
    check->Reset();
    FEEDBACK_RETURN_IF_ERROR(row.status());
    if (batch.first_rowid <= journalled_up_to || batch.first_rowid > batch.last_rowid ||
        in_range != batch.records) {
      return Status::Conflict(
          "batch " + std::to_string(batch.seq) + " (records " +
          std::to_string(batch.first_rowid) + ".." + std::to_string(batch.last_rowid) + ", " +
          std::to_string(batch.records) + " of them) overlaps a journalled batch (up to " +
          std::to_string(journalled_up_to) + ") or its records are no longer pending (" +
          std::to_string(in_range) + " are) in " + store_.db_.path());
    }
  }
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement * insert,
      store_.Cached(store_.put_journalled_,
                    "INSERT INTO outbox_batches(seq, records, envelope, first_rowid, last_rowid) "
                    "VALUES(?,?,?,?,?)"));
  insert->Bind(1, batch.seq).Bind(2, batch.records).Bind(3, ByteView(batch.envelope));
  if (ranged) {
    insert->Bind(4, batch.first_rowid).Bind(5, batch.last_rowid);
  } else {
    insert->BindNull(4).BindNull(5);
  }
  Status s = insert->Run();
  insert->Reset();
  if (s.code() == Status::Code::kAlreadyExists) {
    return Status::AlreadyExists("batch " + std::to_string(batch.seq) +
                                 " is already journalled in " + store_.db_.path());
  }
  return s;
}

Status OutboxUpdate::DeleteJournalledBatch(int64_t seq) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement * del,
      store_.Cached(store_.delete_journalled_, "DELETE FROM outbox_batches WHERE seq = ?"));
  Status s = del->Bind(1, seq).Run();
  del->Reset();
  return s;
}

Result<std::vector<FeedbackRecord>> CaptureStore::Recent(int limit, const std::string& staff_id) {
  FEEDBACK_ASSIGN_OR_RETURN(
      std::vector<StoredRecord> rows,
      Query(staff_id.empty() ? "ORDER BY r.submitted_at DESC LIMIT ?"
                             : "WHERE r.staff_id = ? ORDER BY r.submitted_at DESC LIMIT ?",
            limit, staff_id));
  std::vector<FeedbackRecord> out;
  out.reserve(rows.size());
  for (StoredRecord& r : rows) out.push_back(std::move(r.record));
  return out;
}

Status CaptureStore::SetSetting(const std::string& key, const std::string& value) {
  return SetSettingInTransaction(key, value);
}

Status CaptureStore::SetSettingInTransaction(const std::string& key, const std::string& value) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement * upsert,
                            Cached(set_setting_,
                                   "INSERT INTO settings(key, value) VALUES(?, ?) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  Status s = upsert->Bind(1, key).Bind(2, value).Run();
  upsert->Reset();
  return s;
}

Result<std::string> CaptureStore::GetSetting(const std::string& key) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT value FROM settings WHERE key = ?"));
  FEEDBACK_ASSIGN_OR_RETURN(bool row, q.Bind(1, key).Step());
  if (!row) return Status::NotFound("setting '" + key + "' is not set in " + db_.path());
  return q.ColumnText(0);
}

Status CaptureStore::PutSurvey(const StoredSurvey& survey) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement upsert,
      db_.Prepare("INSERT INTO surveys(survey_id, version, channel, definition, received_at) "
                  "VALUES(?,?,?,?,?) ON CONFLICT(survey_id, version) DO UPDATE SET "
                  "definition = excluded.definition, channel = excluded.channel"));
  return upsert.Bind(1, survey.survey_id)
      .Bind(2, survey.version)
      .Bind(3, ChannelName(survey.channel))
      .Bind(4, survey.definition_json)
      .Bind(5, clock_->NowMs())
      .Run();
}

Result<StoredSurvey> CaptureStore::LatestSurvey(Channel channel) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement q, db_.Prepare("SELECT survey_id, version, definition FROM surveys WHERE channel = ? "
                               "ORDER BY received_at DESC, version DESC LIMIT 1"));
  FEEDBACK_ASSIGN_OR_RETURN(bool row, q.Bind(1, ChannelName(channel)).Step());
  if (!row) {
    return Status::NotFound("no " + std::string(ChannelName(channel)) +
                            " survey has been received from the central store yet");
  }
  return StoredSurvey{q.ColumnText(0), static_cast<int>(q.ColumnInt(1)), channel, q.ColumnText(2)};
}

Status CaptureStore::ReplaceRoster(const std::vector<StaffMember>& staff) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_RETURN_IF_ERROR(db_.Exec("DELETE FROM staff"));
  FEEDBACK_ASSIGN_OR_RETURN(Statement insert,
                            db_.Prepare("INSERT INTO staff(staff_id, display_name, team) VALUES(?,?,?)"));
  for (const StaffMember& m : staff) {
    FEEDBACK_RETURN_IF_ERROR(insert.Bind(1, m.staff_id).Bind(2, m.display_name).Bind(3, m.team).Run());
    insert.Reset();
  }
  return txn.Commit();
}

Result<std::vector<StaffMember>> CaptureStore::Roster() {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement q, db_.Prepare("SELECT staff_id, display_name, team FROM staff ORDER BY display_name"));
  std::vector<StaffMember> out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.ColumnText(0), q.ColumnText(1), q.ColumnText(2)});
  }
  return out;
}

Status CaptureStore::ReplaceHeroStories(const std::vector<HeroStory>& stories) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_RETURN_IF_ERROR(db_.Exec("DELETE FROM hero_stories"));
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement insert,
      db_.Prepare("INSERT INTO hero_stories(story_id, staff_id, staff_name, story, team, published_at) "
                  "VALUES(?,?,?,?,?,?)"));
  for (const HeroStory& h : stories) {
    FEEDBACK_RETURN_IF_ERROR(insert.Bind(1, h.story_id)
                                 .Bind(2, h.staff_id)
                                 .Bind(3, h.staff_name)
                                 .Bind(4, h.story)
                                 .Bind(5, h.team)
                                 .Bind(6, h.published_at)
                                 .Run());
    insert.Reset();
  }
  return txn.Commit();
}

Result<std::vector<HeroStory>> CaptureStore::HeroStories(int limit, const std::string& team) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement q,
      db_.Prepare(team.empty()
                      ? "SELECT story_id, staff_id, staff_name, story, team, published_at FROM "
                        "hero_stories ORDER BY published_at DESC LIMIT ?"
                      : "SELECT story_id, staff_id, staff_name, story, team, published_at FROM "
                        "hero_stories WHERE team = ? ORDER BY published_at DESC LIMIT ?"));
  if (team.empty()) {
    q.Bind(1, limit);
  } else {
    q.Bind(1, team).Bind(2, limit);
  }
  std::vector<HeroStory> out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.ColumnText(0), q.ColumnText(1), q.ColumnText(2), q.ColumnText(3),
                   q.ColumnText(4), q.ColumnInt(5)});
  }
  return out;
}

}  // namespace feedback
