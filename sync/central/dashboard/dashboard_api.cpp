#include "sync/central/dashboard/dashboard_api.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "core/bytes.h"
#include "sync/central/dashboard/endpoints.h"
#include "sync/central/dashboard/password_hash.h"
#include "sync/central/http/responses.h"

namespace feedback::central {

using dashboard::Call;

// Every dashboard endpoint: method, path pattern, handler, who may call it.
// Admin-only endpoints refuse others with 403 before their handler runs.
const DashboardApi::Endpoint DashboardApi::kEndpoints[] = {
    {"POST", "/api/login", dashboard::Login, Access::kPublic},
    {"POST", "/api/logout", dashboard::Logout, Access::kSession},
    {"GET", "/api/me", dashboard::Me, Access::kSession},
    {"GET", "/api/sites", dashboard::ListSites, Access::kSession},
    {"POST", "/api/sites/{site}", dashboard::UpdateSite, Access::kSession},
    {"GET", "/api/overview", dashboard::Overview, Access::kSession},
    {"GET", "/api/breakdown", dashboard::Breakdown, Access::kSession},
    {"GET", "/api/drivers", dashboard::Drivers, Access::kSession},
    {"GET", "/api/stories", dashboard::ListStories, Access::kSession},
    {"GET", "/api/stories/wall", dashboard::StoryWall, Access::kSession},
    {"POST", "/api/stories/{id}/moderate", dashboard::ModerateStory, Access::kSession},
    {"GET", "/api/followups", dashboard::ListFollowUps, Access::kSession},
    {"GET", "/api/followups/{id}", dashboard::GetFollowUp, Access::kSession},
    {"GET", "/api/followups/{id}/owners", dashboard::FollowUpOwners, Access::kSession},
    {"POST", "/api/followups/{id}/notes", dashboard::AddFollowUpNote, Access::kSession},
    {"POST", "/api/followups/{id}/close", dashboard::CloseFollowUp, Access::kSession},
    {"POST", "/api/followups/{id}/assign", dashboard::AssignFollowUp, Access::kSession},
    {"GET", "/api/devices", dashboard::ListDevices, Access::kSession},
    {"GET", "/api/users", dashboard::ListUsers, Access::kAdmin},
    {"POST", "/api/users", dashboard::CreateUser, Access::kAdmin},
    {"POST", "/api/users/{name}/disable", dashboard::DisableUser, Access::kAdmin},
    {"POST", "/api/users/{name}/enable", dashboard::EnableUser, Access::kAdmin},
    {"GET", "/api/alert-rules", dashboard::GetAlertRules, Access::kAdmin},
    {"POST", "/api/alert-rules", dashboard::SetAlertRules, Access::kAdmin},
    {"GET", "/api/alerts", dashboard::ListAlerts, Access::kAdmin},
};

DashboardApi::DashboardApi(const Clock& clock, DashboardOptions options)
    : context_{clock, options, HashPassword(dashboard::RandomToken()).value_or("")} {}

void DashboardApi::AddRoutes(http::RouteTable& routes, CentralStorePool& pool) const {
  for (const Endpoint& e : kEndpoints) {
    routes.Add(e.method, e.pattern, [this, &pool, &e](const http::Request& request) {
      return http::WithStore(pool, [&](CentralStore& store) { return Run(e, store, request); });
    });
  }
}

http::Response DashboardApi::Run(const Endpoint& endpoint, CentralStore& store,
                                 const http::Request& request) const {
  http::Response r;
  try {
    Call call{request, store, context_, context_.clock.NowMs(), {}, {}};
    r = endpoint.access == Access::kPublic ? endpoint.handler(call) : Authenticated(endpoint, call);
  } catch (const std::exception& e) {
    r = dashboard::Error(500, std::string("internal error: ") + e.what());
  } catch (...) {
    r = dashboard::Error(500, "internal error");
  }
  if (!r.log_note.empty() && r.status < 400 && request.method != "GET") {
    spdlog::info("dashboard: {}", r.log_note);
  }
  return r;
}

http::Response DashboardApi::Authenticated(const Endpoint& endpoint, Call& call) const {
  using dashboard::Error;
  const http::Request& req = call.request;
  const std::string token = dashboard::CookieValue(req.Header("cookie"), kSessionCookie);
  if (token.empty()) return Error(401, "not logged in: POST /api/login first");
  Result<Session> session = call.store.GetSession(dashboard::Sha256Hex(token), call.now,
                                                  context_.options.session_idle_ms);
  if (!session.ok()) {
    if (session.status().code() == Status::Code::kNotFound) {
      return Error(401, "session expired or unknown: log in again");
    }
    return dashboard::FromStatus(session.status());
  }
  Result<User> user = call.store.GetUser(session->username);
  if (!user.ok() || user->disabled) return Error(401, "this account is disabled or gone");
  if (call.now - session->last_seen_at > 60'000) {
    (void)call.store.TouchSession(session->token_hash, call.now);
  }
  call.user = std::move(*user);
  call.session = std::move(*session);

  // CSRF: every state change carries the session's token in X-CSRF-Token.
  if (req.method == "POST") {
    const std::string_view csrf = req.Header("x-csrf-token");
    if (csrf.empty() || !ConstantTimeEqual(AsBytes(csrf), AsBytes(call.session.csrf_token))) {
      return Error(403, "missing or wrong CSRF token: send the token from /api/login or "
                        "/api/me in the X-CSRF-Token header");
    }
    if (req.Header("content-type").rfind("application/json", 0) != 0) {
      return Error(415, "send Content-Type: application/json");
    }
  }
  if (endpoint.access == Access::kAdmin && !call.admin()) {
    // "/api/users/{name}/disable" -> "users": the area the caller may not use.
    std::string_view area = endpoint.pattern + 5;
    area = area.substr(0, area.find('/'));
    return Error(403, "only admins may use /api/" + std::string(area));
  }
  return endpoint.handler(call);
}

}  // namespace feedback::central
