// UserStore: the store's role for dashboard accounts - users, their sessions
// (keyed by the hash of the cookie value) and failed logins per user and
// address (the login rate limit). One of the role interfaces CentralStore
// aggregates (central_store.h).
//
// Threading and errors: as CentralStore.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace feedback::central {

enum class UserRole { kAdmin, kRegionalManager, kSiteManager, kTeamLead };
// "admin", "regional_manager", "site_manager", "team_lead".
std::string_view UserRoleName(UserRole role);

struct User {
  std::string username;
  std::string password_hash;  // see dashboard/password_hash.h
  UserRole role = UserRole::kAdmin;
  std::vector<std::string> site_ids;  // regional manager: several; site manager: one
  std::string team;                   // team lead
  TimeMs created_at = 0;
  std::string email;  // where follow-up alerts go
  bool disabled = false;
};

struct Session {
  std::string token_hash;  // hex SHA-256 of the cookie value
  std::string username;
  std::string csrf_token;
  TimeMs created_at = 0;
  TimeMs last_seen_at = 0;
  TimeMs expires_at = 0;
};

class UserStore {
 public:
  virtual ~UserStore() = default;

  // AlreadyExists for a taken name; GetUser: NotFound for an unknown name.
  virtual Status CreateUser(const User& user) = 0;
  virtual Result<User> GetUser(const std::string& username) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  // NotFound for an unknown name.
  virtual Status SetUserDisabled(const std::string& username, bool disabled) = 0;

  // GetSession: NotFound when unknown or expired (absolute expiry or idle_ms
  // without a request).
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
};

}  // namespace feedback::central
