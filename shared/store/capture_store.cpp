#include "store/capture_store.h"

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
};

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
  return Query("WHERE r.outbox_state = 0 ORDER BY r.id LIMIT ?", limit, "");
}

Result<StoredRecord> CaptureStore::Get(const std::string& record_id) {
  FEEDBACK_ASSIGN_OR_RETURN(std::vector<StoredRecord> rows, Query("WHERE r.id = ?", 0, record_id));
  if (rows.empty()) return Status::NotFound("record " + record_id + " is not in " + db_.path());
  return std::move(rows.front());
}

Status CaptureStore::AssignToBatch(int64_t batch_seq, const std::vector<std::string>& record_ids) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement update,
      db_.Prepare("UPDATE records SET outbox_state = 1, batch_seq = ? WHERE id = ? AND outbox_state = 0"));
  for (const std::string& id : record_ids) {
    FEEDBACK_RETURN_IF_ERROR(update.Bind(1, batch_seq).Bind(2, id).Run());
    if (db_.Changes() != 1) {
      return Status::Conflict("record " + id + " is not pending, so it cannot join batch " +
                              std::to_string(batch_seq));
    }
    update.Reset();
  }
  return txn.Commit();
}

Status CaptureStore::Acknowledge(int64_t batch_seq) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement update,
      db_.Prepare("UPDATE records SET outbox_state = 2, acked_at = ? WHERE outbox_state = 1 AND batch_seq = ?"));
  return update.Bind(1, clock_->NowMs()).Bind(2, batch_seq).Run();
}

Status CaptureStore::ReleaseBatch(int64_t batch_seq) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement update,
      db_.Prepare("UPDATE records SET outbox_state = 0, batch_seq = NULL WHERE outbox_state = 1 AND batch_seq = ?"));
  return update.Bind(1, batch_seq).Run();
}

Result<OutboxCounts> CaptureStore::Counts() {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement q,
      db_.Prepare("SELECT sum(outbox_state = 0), sum(outbox_state = 1), sum(outbox_state = 2), "
                  "min(CASE WHEN outbox_state = 0 THEN submitted_at END) FROM records"));
  FEEDBACK_RETURN_IF_ERROR(q.Step().status());
  OutboxCounts counts{q.ColumnInt(0), q.ColumnInt(1), q.ColumnInt(2), std::nullopt};
  if (!q.ColumnIsNull(3)) counts.oldest_pending_submitted_at = q.ColumnInt(3);
  return counts;
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
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement upsert,
      db_.Prepare("INSERT INTO settings(key, value) VALUES(?, ?) "
                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  return upsert.Bind(1, key).Bind(2, value).Run();
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
