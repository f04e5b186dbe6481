#include "sync/central/store/user_rules.h"

namespace feedback::central {
namespace {

char FoldAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool IsValidUsername(std::string_view name) {
  if (name.empty() || name.size() > kMaxUsernameChars) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '@';
    if (!ok) return false;
  }
  return true;
}

Status CheckUsername(std::string_view name) {
  if (IsValidUsername(name)) return Status::Ok();
  return Status::InvalidArgument("user name '" + std::string(name.substr(0, kMaxUsernameChars)) +
                                 "' must be 1-" + std::to_string(kMaxUsernameChars) +
                                 " characters of letters, digits . _ - @");
}

bool SameUsername(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (FoldAscii(a[i]) != FoldAscii(b[i])) return false;
  }
  return true;
}

Result<UserRole> ParseUserRoleName(std::string_view name) {
  for (UserRole r : {UserRole::kAdmin, UserRole::kRegionalManager, UserRole::kSiteManager,
                     UserRole::kTeamLead}) {
    if (UserRoleName(r) == name) return r;
  }
  return Status::InvalidArgument(
      "role must be admin, regional_manager, site_manager or "
      "team_lead, not '" +
      std::string(name.substr(0, 40)) + "'");
}

Status CheckUserScope(const User& user) {
  if (user.role == UserRole::kSiteManager && user.site_ids.size() != 1) {
    return Status::InvalidArgument("a site manager has exactly one site");
  }
  if (user.role == UserRole::kRegionalManager && user.site_ids.empty()) {
    return Status::InvalidArgument("a regional manager needs at least one site");
  }
  if (user.role == UserRole::kTeamLead && user.team.empty()) {
    return Status::InvalidArgument("a team lead needs a team");
  }
  return Status::Ok();
}

}  // namespace feedback::central
