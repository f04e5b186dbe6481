// CentralStore: everything feedback-central keeps - sites, users, enrollment
// tokens, devices, batches, records, quarantine, rollups, surveys, staff,
// hero stories and follow-ups - behind one interface, so a PostgreSQL
// implementation can follow the SQLite one (sqlite_central_store.h) without
// touching ingest, the HTTP server or the CLI. No SQLite type appears here.
//
// Threading: one CentralStore object per thread (each owns one connection);
// use CentralStorePool to share them between request threads. Any number of
// stores (and processes) may open the same database.
//
// Errors: methods return a Status naming what failed; kUnavailable / kBusy /
// kIoError / kDiskFull mean "the store is not working right now" (HTTP 503).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/result.h"
#include "protocol/messages.h"
#include "sync/central/dashboard_types.h"
#include "sync/central/ingest_types.h"

namespace feedback::central {

struct Site {
  std::string site_id;
  std::string name;
  std::string branding_json = "{}";  // what devices show (logo, colours), as JSON
  TimeMs created_at = 0;
  std::string region;          // dashboard grouping; empty when none
  std::string mail_relay_url;  // smtp://host:port for this site's alerts; empty: global
  std::string followup_owner;  // username; empty: the site's first site manager
  int followup_due_hours = 48;
};

enum class UserRole { kAdmin, kRegionalManager, kSiteManager, kTeamLead };
std::string_view UserRoleName(UserRole role);

struct User {
  std::string username;
  std::string password_hash;  // see password_hash.h
  UserRole role = UserRole::kAdmin;
  std::vector<std::string> site_ids;  // regional manager: several; site manager: one
  std::string team;                   // team lead
  TimeMs created_at = 0;
  std::string email;  // where follow-up alerts go
  bool disabled = false;
};

struct EnrollmentTokenRow {
  std::string token_hash;  // protocol::TokenSecretHash(secret)
  std::string site_id;
  std::string kind;  // "kiosk" | "agent"
  std::string team;
  TimeMs created_at = 0;
  TimeMs expires_at = 0;
};

struct Device {
  std::string device_id;
  std::string site_id;
  std::string kind;
  std::string team;
  std::string hostname;
  Bytes public_key;  // raw Ed25519
  TimeMs enrolled_at = 0;
  std::optional<TimeMs> revoked_at;
  std::optional<TimeMs> last_seen_at;   // any authenticated request
  std::optional<TimeMs> last_batch_at;  // last batch stored
  int64_t last_seq = 0;
  int64_t backlog = 0;  // from the last batch header
  int64_t records_stored = 0;
  std::string last_error;  // empty when the last request succeeded
  std::optional<TimeMs> last_error_at;
  int64_t records_quarantined = 0;
  // Set when repeated sequence conflicts suggest two devices share this key
  // (NoteSeqConflict); cleared by RevokeDevice and ClearPossibleClone.
  std::optional<TimeMs> possible_clone_at;
  std::string possible_clone_reason;
};

// A batch the store has already answered (replays get the same answer).
struct StoredBatch {
  int64_t seq = 0;
  Bytes digest;
  std::string answer_json;
};

// What CommitBatch did.
struct CommitOutcome {
  enum class Kind { kStored, kReplayed, kConflict, kDeviceRevoked, kDeviceUnknown };
  Kind kind = Kind::kStored;
  protocol::BatchAck ack;   // kStored
  std::string answer_json;  // kStored and kReplayed: the exact answer body
  int64_t last_seq = 0;     // kConflict: the last seq accepted from the device
};

struct StaffRow {
  std::string staff_id;
  std::string display_name;
  std::string team;
  std::string site_id;
};

// A quarantined record as operators see it (`feedback-central quarantine`).
struct QuarantinedRecord {
  std::string device_id;
  std::string site_id;
  int64_t batch_seq = 0;
  std::string record_id;
  std::string reason;
  TimeMs received_at = 0;
};

struct SurveyVersion {
  std::string survey_id;
  int version = 0;
  std::string channel;
  std::string definition_json;
  TimeMs published_at = 0;
};

class CentralStore {
 public:
  virtual ~CentralStore() = default;

  // Sites. EnsureSite creates a missing site (inheriting the surveys published
  // with --all) and returns true when it did.
  virtual Result<bool> EnsureSite(const std::string& site_id, TimeMs now) = 0;
  virtual Result<std::vector<Site>> ListSites() = 0;

  // Dashboard users (issue 7 builds sessions on these). AlreadyExists for a taken name.
  virtual Status CreateUser(const User& user) = 0;
  virtual Result<User> GetUser(const std::string& username) = 0;

  // Enrollment. EnrollDevice consumes the token and registers the device in
  // one transaction: Unauthenticated for an unknown or used token, or one that
  // expired (the messages differ), InvalidArgument when kind does not match.
  virtual Status InsertEnrollmentToken(const EnrollmentTokenRow& token) = 0;
  virtual Result<Device> EnrollDevice(const std::string& token_hash, const std::string& kind,
                                      ByteView public_key, const std::string& hostname,
                                      const std::string& new_device_id, TimeMs now) = 0;

  // Devices. NotFound for an unknown id. RevokeDevice also clears a
  // possible-clone mark (the key is dead; the operator has acted).
  virtual Result<Device> GetDevice(const std::string& device_id) = 0;
  virtual Result<std::vector<Device>> ListDevices() = 0;
  virtual Status RevokeDevice(const std::string& device_id, TimeMs now) = 0;
  // Health bookkeeping (best effort for the caller): last seen, last error.
  virtual Status NoteDeviceSeen(const std::string& device_id, TimeMs now) = 0;
  virtual Status NoteDeviceError(const std::string& device_id, const std::string& error,
                                 TimeMs now) = 0;
  // A sequence conflict (409) of a device, in one transaction: `error` becomes
  // its last error, the conflict is kept, and when `conflicts` of them fall
  // within `window_ms` of now and the device is not marked yet, it is marked
  // possible clone with `clone_reason` and one alert per configured channel
  // (webhook; e-mail to every active admin with an address) is queued.
  // Returns true when this call marked the device.
  virtual Result<bool> NoteSeqConflict(const std::string& device_id, const std::string& error,
                                       TimeMs now, int conflicts, TimeMs window_ms,
                                       const std::string& clone_reason) = 0;
  // Clears the possible-clone mark and forgets the device's conflicts.
  // NotFound for an unknown id.
  virtual Status ClearPossibleClone(const std::string& device_id) = 0;

  // The newest `limit` quarantined records (of one device when device_id is
  // not empty), newest first.
  virtual Result<std::vector<QuarantinedRecord>> ListQuarantine(const std::string& device_id,
                                                                int limit) = 0;

  // Batches: the stored answer for (device, seq), if any.
  virtual Result<std::optional<StoredBatch>> FindBatch(const std::string& device_id,
                                                       int64_t seq) = 0;
  // Everything of one batch in ONE transaction: re-checks the device and the
  // seq (a concurrent duplicate is answered as a replay), inserts records with
  // their id as idempotency key, quarantine rows, rollups, hero stories and
  // follow-ups for the records that are new, the batch row with its answer,
  // and the device's last seq / backlog / last batch time.
  virtual Result<CommitOutcome> CommitBatch(const PreparedBatch& batch) = 0;

  // Surveys. PublishSurvey keeps every version (AlreadyExists when the same
  // id+version was published with a different definition) and makes it the
  // current one for its channel at each of site_ids; all_sites also makes it
  // the default for sites created later.
  virtual Status PublishSurvey(const SurveyVersion& survey,
                               const std::vector<std::string>& site_ids, bool all_sites) = 0;
  // NotFound when that version was never published.
  virtual Result<SurveyVersion> GetSurvey(const std::string& survey_id, int version) = 0;

  // Replaces the roster of every site that appears in rows, in one transaction.
  virtual Status ImportStaff(const std::vector<StaffRow>& rows) = 0;
  // The roster entry of staff_id (ids are unique across sites); nullopt when
  // it is on no roster.
  virtual Result<std::optional<StaffRow>> FindStaff(const std::string& staff_id) = 0;

  // What GET /api/v1/device/state returns for a device.
  virtual Result<protocol::DeviceState> DeviceState(const Device& device) = 0;

  // --- Dashboard (issue 7; see docs/dashboard-api.md) ---------------------
  // Users. NotFound for an unknown name.
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Status SetUserDisabled(const std::string& username, bool disabled) = 0;
  virtual Result<std::vector<StaffRow>> ListStaff() = 0;
  // NotFound for an unknown site.
  virtual Status UpdateSite(const std::string& site_id, const SiteSettings& settings) = 0;

  // Sessions, keyed by the hash of the cookie value. GetSession: NotFound when
  // unknown or expired (absolute expiry or idle_ms without a request).
  virtual Status CreateSession(const Session& session) = 0;
  virtual Result<Session> GetSession(const std::string& token_hash, TimeMs now,
                                     TimeMs idle_ms) = 0;
  virtual Status TouchSession(const std::string& token_hash, TimeMs now) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  virtual Status DeleteUserSessions(const std::string& username) = 0;
  // Failed logins per (username, ip): count since `since`, record one, clear.
  virtual Result<int64_t> CountLoginFailures(const std::string& username, const std::string& ip,
                                             TimeMs since) = 0;
  virtual Result<std::optional<TimeMs>> OldestLoginFailure(const std::string& username,
                                                           const std::string& ip,
                                                           TimeMs since) = 0;
  virtual Status RecordLoginFailure(const std::string& username, const std::string& ip,
                                    TimeMs now) = 0;
  virtual Status ClearLoginFailures(const std::string& username, const std::string& ip) = 0;

  // Rollup reads (never raw records): score counts of nps / csat / ces
  // questions, response counts and driver moments within the filter.
  virtual Result<std::vector<ScoreCountRow>> QueryScoreCounts(const DashboardFilter& filter,
                                                              GroupBy group) = 0;
  virtual Result<std::vector<ResponseCountRow>> QueryResponseCounts(const DashboardFilter& filter,
                                                                    GroupBy group) = 0;
  virtual Status QueryDriverMoments(const DashboardFilter& filter,
                                    std::vector<DriverRowsSum>* rows,
                                    std::vector<DriverSumRow>* sums) = 0;
  // Distinct teams and channels present in the rollups within the filter.
  virtual Result<std::vector<std::string>> DistinctRollupValues(const DashboardFilter& filter,
                                                                const std::string& column) = 0;

  // Hero stories. state: "new" | "published" | "hidden" | "" (all).
  virtual Result<StoryPage> ListStories(const DashboardFilter& filter, const std::string& state,
                                        int limit, int offset) = 0;
  virtual Result<HeroStory> GetStory(const std::string& story_id) = 0;
  virtual Status ModerateStory(const std::string& story_id, const std::string& state,
                               const std::string& by, TimeMs now) = 0;

  // Follow-ups. state: "open" | "closed" | "" (all). NotFound for an unknown id;
  // Conflict when closing a closed one.
  virtual Result<FollowUpPage> ListFollowUps(const DashboardFilter& filter,
                                             const std::string& state, bool only_overdue,
                                             TimeMs now, int limit, int offset) = 0;
  virtual Result<FollowUp> GetFollowUp(const std::string& followup_id) = 0;
  virtual Status AddFollowUpNote(const std::string& followup_id, const FollowUpNote& note) = 0;
  virtual Status AssignFollowUp(const std::string& followup_id,
                                const std::optional<std::string>& owner,
                                const std::optional<TimeMs>& due_at) = 0;
  virtual Status CloseFollowUp(const std::string& followup_id, const std::string& by,
                               const std::string& note, TimeMs now) = 0;

  // Alert rules (one global set) and the alert queue that ingest fills.
  virtual Result<AlertRules> GetAlertRules() = 0;
  virtual Status SetAlertRules(const AlertRules& rules) = 0;
  // Claims up to `limit` pending alerts due at `now` (their next attempt moves
  // to now + lease_ms, so another dispatcher skips them).
  virtual Result<std::vector<Alert>> ClaimDueAlerts(TimeMs now, TimeMs lease_ms, int limit) = 0;
  virtual Status FinishAlert(const std::string& alert_id, bool sent, const std::string& error,
                             std::optional<TimeMs> retry_at, TimeMs now) = 0;
  virtual Result<std::vector<Alert>> ListAlerts(int limit) = 0;
};

}  // namespace feedback::central
