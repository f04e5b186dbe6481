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
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/uuid.h"
#include "store/sqlite.h"
#include "sync/central/store/central_store.h"
#include "sync/central/store/rollup_delta.h"

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
  Result<bool> NoteSeqConflict(const std::string& device_id, const std::string& error, TimeMs now,
                               int conflicts, TimeMs window_ms,
                               const std::string& clone_reason) override;
  Status ClearPossibleClone(const std::string& device_id) override;
  Result<std::vector<QuarantinedRecord>> ListQuarantine(const std::string& device_id,
                                                        int limit) override;
  Result<std::optional<StoredBatch>> FindBatch(const std::string& device_id, int64_t seq) override;
  Result<CommitOutcome> CommitBatch(const PreparedBatch& batch) override;
  Status PublishSurvey(const SurveyVersion& survey, const std::vector<std::string>& site_ids,
                       bool all_sites) override;
  Result<SurveyVersion> GetSurvey(const std::string& survey_id, int version) override;
  Status ImportStaff(const std::vector<StaffRow>& rows) override;
  Result<std::optional<StaffRow>> FindStaff(const std::string& staff_id) override;
  Result<protocol::DeviceState> DeviceState(const Device& device) override;

  // Dashboard (sqlite_dashboard_store.cpp).
  Result<std::vector<User>> ListUsers() override;
  Status SetUserDisabled(const std::string& username, bool disabled) override;
  Status SetUserPassword(const std::string& username, const std::string& password_hash,
                         const std::string& keep_session) override;
  Result<std::vector<StaffRow>> ListStaff() override;
  Status UpdateSite(const std::string& site_id, const SiteSettings& settings) override;
  Status CreateSession(const Session& session) override;
  Result<Session> GetSession(const std::string& token_hash, TimeMs now, TimeMs idle_ms) override;
  Status TouchSession(const std::string& token_hash, TimeMs now) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status DeleteUserSessions(const std::string& username) override;
  Result<int64_t> CountLoginFailures(const std::string& username, const std::string& ip,
                                     TimeMs since) override;
  Result<std::optional<TimeMs>> OldestLoginFailure(const std::string& username,
                                                   const std::string& ip, TimeMs since) override;
  Status RecordLoginFailure(const std::string& username, const std::string& ip,
                            TimeMs now) override;
  Status ClearLoginFailures(const std::string& username, const std::string& ip) override;
  Result<std::vector<ScoreCountRow>> QueryScoreCounts(const DashboardFilter& filter,
                                                      GroupBy group) override;
  Result<std::vector<ResponseCountRow>> QueryResponseCounts(const DashboardFilter& filter,
                                                            GroupBy group) override;
  Status QueryDriverMoments(const DashboardFilter& filter, std::vector<DriverRowsSum>* rows,
                            std::vector<DriverSumRow>* sums) override;
  Result<std::vector<std::string>> DistinctRollupValues(const DashboardFilter& filter,
                                                        const std::string& column) override;
  Result<StoryPage> ListStories(const DashboardFilter& filter, const std::string& state,
                                int limit, int offset) override;
  Result<HeroStory> GetStory(const std::string& story_id) override;
  Status ModerateStory(const std::string& story_id, const std::string& state,
                       const std::string& by, TimeMs now) override;
  Result<FollowUpPage> ListFollowUps(const DashboardFilter& filter, const std::string& state,
                                     bool only_overdue, TimeMs now, int limit,
                                     int offset) override;
  Result<FollowUp> GetFollowUp(const std::string& followup_id) override;
  Status AddFollowUpNote(const std::string& followup_id, const FollowUpNote& note) override;
  Status AssignFollowUp(const std::string& followup_id, const std::optional<std::string>& owner,
                        const std::optional<TimeMs>& due_at) override;
  Status CloseFollowUp(const std::string& followup_id, const std::string& by,
                       const std::string& note, TimeMs now) override;
  Result<AlertRules> GetAlertRules() override;
  Status SetAlertRules(const AlertRules& rules) override;
  Result<std::vector<Alert>> ClaimDueAlerts(TimeMs now, TimeMs lease_ms, int limit) override;
  Status FinishAlert(const std::string& alert_id, bool sent, const std::string& error,
                     std::optional<TimeMs> retry_at, TimeMs now) override;
  Result<std::vector<Alert>> ListAlerts(int limit) override;

  Database& database() { return db_; }

  // A prepared statement borrowed from the connection's cache for one use:
  // the destructor resets it and clears its bindings, so no read cursor
  // outlives the scope that stepped it. (A cursor still open on this
  // connection when COMMIT runs makes SQLite's automatic checkpoint fail with
  // SQLITE_LOCKED, silently: the WAL then grows without bound.) Do not keep
  // one across a Commit(); scope it.
  class CachedStatement {
   public:
    explicit CachedStatement(Statement* s) : s_(s) {}
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;
    CachedStatement(CachedStatement&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
    CachedStatement& operator=(CachedStatement&&) = delete;
    ~CachedStatement() {
      if (s_ != nullptr) s_->Reset();
    }
    Statement& operator*() { return *s_; }
    Statement* operator->() { return s_; }

   private:
    Statement* s_;
  };

 private:
  SqliteCentralStore(Database db, const Clock& clock) : db_(std::move(db)), ids_(clock) {}

  // EnsureSite inside an open transaction.
  Result<bool> EnsureSiteLocked(const std::string& site_id, TimeMs now);
  Status SetSiteSurvey(const std::string& site_id, const SurveyVersion& survey);
  // CommitBatch's work inside its open transaction; kStored when the caller
  // should commit, any other kind to roll back.
  Result<CommitOutcome> WriteBatchLocked(const PreparedBatch& batch);
  // Inside CommitBatch: the additive upserts of a batch's rollup delta.
  Status WriteRollupsLocked(const RollupDelta& delta);
  Result<Device> ReadDevice(Statement& stmt);
  // Inside CommitBatch: opens the follow-up of a record whose customer left
  // contact details when the alert rules say so, with owner, due time and
  // queued alerts (delivered later by AlertDispatcher, never during ingest).
  Status OpenFollowUpLocked(const PreparedRecord& record, const FollowUpDraft& contact,
                            const std::string& site_id, const std::string& team,
                            const AlertRules& rules, TimeMs now);
  Result<FollowUp> ReadFollowUp(Statement& stmt);
  // Inside NoteSeqConflict: the alerts of a device just marked possible clone.
  Status QueueCloneAlertsLocked(const std::string& device_id, const std::string& site_id,
                                TimeMs now);
  // Every site id when a rollup query will read the summaries without a site
  // filter (they are bound so the (grain, site_id, period) key is used); else
  // empty, without reading anything.
  Result<std::vector<std::string>> SummarySites(const DashboardFilter& filter, GroupBy group);
  // The statement for sql, prepared on first use and kept for the life of the
  // connection (hot paths: ingest, device lookups).
  Result<CachedStatement> Cached(std::string_view sql);

  Database db_;
  UuidGenerator ids_;
  // Declared after db_: destroyed (finalized) before the connection closes.
  std::unordered_map<std::string, Statement> statements_;
};

}  // namespace feedback::central
