// Accounts (admins only): GET /api/users, POST /api/users (create), POST
// /api/users/{name}/disable | enable.
#include "sync/central/dashboard/csv_export.h"
#include "sync/central/dashboard/endpoints.h"
#include "sync/central/dashboard/password_hash.h"

namespace feedback::central::dashboard {
namespace {

http::Response SetDisabled(Call& call, bool disabled) {
  UserStore& store = call.store;
  const std::string name = call.Path("name");
  if (disabled && name == call.user.username) {
    return Error(400, "you cannot disable your own account");
  }
  if (Status s = store.SetUserDisabled(name, disabled); !s.ok()) return FromStatus(s);
  Result<User> x = store.GetUser(name);
  if (!x.ok()) return FromStatus(x.status());
  return Json(UserJson(*x));
}

}  // namespace

http::Response ListUsers(Call& call) {
  Result<std::vector<User>> users = call.store.ListUsers();
  if (!users.ok()) return FromStatus(users.status());
  if (call.csv()) {
    std::vector<std::vector<std::string>> rows;
    for (const User& x : *users) {
      std::string sites;
      for (const std::string& s : x.site_ids) sites += (sites.empty() ? "" : " ") + s;
      rows.push_back({x.username, std::string(UserRoleName(x.role)), sites, x.team, x.email,
                      x.disabled ? "true" : "false", FormatIso8601(x.created_at)});
    }
    return Csv("users", {"username", "role", "sites", "team", "email", "disabled", "created_at"},
               rows);
  }
  json list = json::array();
  for (const User& x : *users) list.push_back(UserJson(x));
  return Json({{"users", list}});
}

http::Response CreateUser(Call& call) {
  json body;
  if (!ParseBody(call.request, &body)) return Error(400, "the body must be a JSON object");
  User nu;
  nu.username = BodyString(body, "username").value_or("");
  const std::string password = BodyString(body, "password").value_or("");
  const std::string role = BodyString(body, "role").value_or("");
  nu.team = BodyString(body, "team").value_or("");
  nu.email = BodyString(body, "email").value_or("");
  if (body.contains("sites") && body["sites"].is_array()) {
    for (const auto& s : body["sites"]) {
      if (s.is_string()) nu.site_ids.push_back(s.get<std::string>());
    }
  }
  if (nu.username.empty() || nu.username.size() > 64 ||
      nu.username.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789._-@") != std::string::npos) {
    return Error(400, "username must be 1-64 characters of letters, digits . _ - @");
  }
  if (password.size() < 12) return Error(400, "password must have at least 12 characters");
  bool known = false;
  for (UserRole r : {UserRole::kAdmin, UserRole::kRegionalManager, UserRole::kSiteManager,
                     UserRole::kTeamLead}) {
    if (UserRoleName(r) == role) {
      nu.role = r;
      known = true;
    }
  }
  if (!known) return Error(400, "role must be admin, regional_manager, site_manager or team_lead");
  if (nu.role == UserRole::kSiteManager && nu.site_ids.size() != 1) {
    return Error(400, "a site manager has exactly one site");
  }
  if (nu.role == UserRole::kRegionalManager && nu.site_ids.empty()) {
    return Error(400, "a regional manager needs at least one site");
  }
  if (nu.role == UserRole::kTeamLead && nu.team.empty()) {
    return Error(400, "a team lead needs a team");
  }
  Result<std::string> hash = HashPassword(password);
  if (!hash.ok()) return Error(500, "cannot hash the password: " + hash.status().message());
  nu.password_hash = *hash;
  nu.created_at = call.now;
  if (Status s = call.store.CreateUser(nu); !s.ok()) return FromStatus(s);
  http::Response r = Json(UserJson(nu));
  r.log_note = "user " + nu.username + " created by " + call.user.username;
  return r;
}

http::Response DisableUser(Call& call) { return SetDisabled(call, true); }
http::Response EnableUser(Call& call) { return SetDisabled(call, false); }

}  // namespace feedback::central::dashboard
