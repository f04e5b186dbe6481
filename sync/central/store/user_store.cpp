#include "sync/central/store/user_store.h"

namespace feedback::central {

std::string_view UserRoleName(UserRole role) {
  switch (role) {
    case UserRole::kAdmin:
      return "admin";
    case UserRole::kRegionalManager:
      return "regional_manager";
    case UserRole::kSiteManager:
      return "site_manager";
    case UserRole::kTeamLead:
      return "team_lead";
  }
  return "admin";
}

}  // namespace feedback::central
