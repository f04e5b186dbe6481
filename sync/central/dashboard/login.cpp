// The session: POST /api/login (scrypt, rate limited per user + address),
// POST /api/logout, GET /api/me.
#include <algorithm>

#include "core/bytes.h"
#include "sync/central/dashboard/endpoints.h"
#include "sync/central/dashboard/password_hash.h"

namespace feedback::central::dashboard {

http::Response Login(Call& call) {
  const http::Request& req = call.request;
  CentralStore& store = call.store;
  const DashboardOptions& options = call.context.options;
  const TimeMs now = call.now;
  if (req.Header("content-type").rfind("application/json", 0) != 0) {
    return Error(415, "send the login as Content-Type: application/json");
  }
  json body;
  if (!ParseBody(req, &body)) return Error(400, "the body must be a JSON object");
  const std::optional<std::string> username = BodyString(body, "username");
  const std::optional<std::string> password = BodyString(body, "password");
  if (!username || !password || username->empty() || username->size() > 100 ||
      password->size() > 1024) {
    return Error(400, "send {\"username\": ..., \"password\": ...}");
  }
  const TimeMs since = now - options.lockout_ms;
  Result<int64_t> failures = store.CountLoginFailures(*username, req.remote_ip, since);
  if (!failures.ok()) return FromStatus(failures.status());
  if (*failures >= options.max_login_failures) {
    Result<std::optional<TimeMs>> oldest = store.OldestLoginFailure(*username, req.remote_ip, since);
    const TimeMs until = (oldest.ok() && oldest->has_value() ? **oldest : now) + options.lockout_ms;
    const int64_t secs = std::max<int64_t>(1, (until - now + 999) / 1000);
    http::Response r = Error(429, "too many failed logins for this user from this address; "
                                  "try again in " +
                                      std::to_string((secs + 59) / 60) + " minutes");
    r.headers.emplace_back("Retry-After", std::to_string(secs));
    return r;
  }
  Result<User> user = store.GetUser(*username);
  bool ok = false;
  if (user.ok() && !user->disabled) {
    Result<bool> v = VerifyPassword(*password, user->password_hash);
    ok = v.ok() && *v;
  } else {
    (void)VerifyPassword(*password, call.context.dummy_hash);  // same cost for unknown users
    if (!user.ok() && user.status().code() != Status::Code::kNotFound) {
      return FromStatus(user.status());
    }
  }
  if (!ok) {
    if (Status s = store.RecordLoginFailure(*username, req.remote_ip, now); !s.ok()) {
      return FromStatus(s);
    }
    return Error(401, "wrong user name or password");
  }
  (void)store.ClearLoginFailures(*username, req.remote_ip);
  const std::string token = RandomToken();
  Session session{Sha256Hex(token), user->username, RandomToken(), now, now,
                  now + options.session_ttl_ms};
  if (token.empty() || session.csrf_token.empty()) {
    return Error(500, "cannot generate a session token");
  }
  if (Status s = store.CreateSession(session); !s.ok()) return FromStatus(s);
  http::Response r = Json({{"user", UserJson(*user)}, {"csrf_token", session.csrf_token}});
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + token +
                                           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                           std::to_string(options.session_ttl_ms / 1000) +
                                           (options.secure_cookie ? "; Secure" : ""));
  r.log_note = "login " + user->username;
  return r;
}

http::Response Logout(Call& call) {
  if (Status s = call.store.DeleteSession(call.session.token_hash); !s.ok()) return FromStatus(s);
  http::Response r = Json({{"ok", true}});
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                           "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                           (call.context.options.secure_cookie ? "; Secure" : ""));
  return r;
}

http::Response Me(Call& call) {
  return Json({{"user", UserJson(call.user)},
               {"csrf_token", call.session.csrf_token},
               {"min_n", kMinN},
               {"min_driver_n", kMinDriverN}});
}

}  // namespace feedback::central::dashboard
