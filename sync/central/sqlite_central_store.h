// SqliteCentralStore: the default CentralStore, one SQLite file in WAL mode
// with synchronous=FULL (a commit is on disk before ingest answers) and a busy
// timeout, so several request threads - each with its own store - and CLI
// commands can share the file. The schema is in sqlite_central_store.cpp
// (migrations) and described in docs/central.md; its SQL stays close to what
// PostgreSQL accepts (INSERT ... ON CONFLICT, no SQLite-only functions) so the
// PostgreSQL implementation can reuse it.
//
// Threading: one object per thread (see central_store.h). Owns its connection.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/uuid.h"
#include "store/sqlite.h"
#include "sync/central/central_store.h"

namespace feedback::central {

class SqliteCentralStore final : public CentralStore {
 public:
  // Opens or creates the database and brings its schema up to date. The file
  // is created with mode 0600 (it holds opened sensitive fields).
  static Result<std::unique_ptr<SqliteCentralStore>> Open(
      const std::string& path, const Clock& clock = SystemClock::Instance());

  Result<bool> EnsureSite(const std::string& site_id, TimeMs now) override;
  Result<std::vector<Site>> ListSites() override;
  Status CreateUser(const User& user) override;
  Result<User> GetUser(const std::string& username) override;
  Status InsertEnrollmentToken(const EnrollmentTokenRow& token) override;
  Result<Device> EnrollDevice(const std::string& token_hash, const std::string& kind,
                              ByteView public_key, const std::string& hostname,
                              const std::string& new_device_id, TimeMs now) override;
  Result<Device> GetDevice(const std::string& device_id) override;
  Result<std::vector<Device>> ListDevices() override;
  Status RevokeDevice(const std::string& device_id, TimeMs now) override;
  Status NoteDeviceSeen(const std::string& device_id, TimeMs now) override;
  Status NoteDeviceError(const std::string& device_id, const std::string& error,
                         TimeMs now) override;
  Result<std::optional<StoredBatch>> FindBatch(const std::string& device_id, int64_t seq) override;
  Result<CommitOutcome> CommitBatch(const PreparedBatch& batch) override;
  Status PublishSurvey(const SurveyVersion& survey, const std::vector<std::string>& site_ids,
                       bool all_sites) override;
  Result<SurveyVersion> GetSurvey(const std::string& survey_id, int version) override;
  Status ImportStaff(const std::vector<StaffRow>& rows) override;
  Result<protocol::DeviceState> DeviceState(const Device& device) override;

  Database& database() { return db_; }

 private:
  SqliteCentralStore(Database db, const Clock& clock) : db_(std::move(db)), ids_(clock) {}

  // EnsureSite inside an open transaction.
  Result<bool> EnsureSiteLocked(const std::string& site_id, TimeMs now);
  Status SetSiteSurvey(const std::string& site_id, const SurveyVersion& survey);
  Result<Device> ReadDevice(Statement& stmt);

  Database db_;
  UuidGenerator ids_;
};

}  // namespace feedback::central
