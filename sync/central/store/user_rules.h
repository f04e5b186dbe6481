// The rules for a dashboard user that do not need the store, shared by the
// dashboard API (POST /api/users) and the CLI (`user add`): the shape of a
// user name, how two names compare (ASCII case-insensitively: "SM1" and "sm1"
// are one user), role names and the scope each role needs. The store adds
// what needs data: the name is not taken in any case, the sites exist.
// Plain functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "sync/central/store/user_store.h"

namespace feedback::central {

inline constexpr size_t kMaxUsernameChars = 64;

// 1-64 characters of A-Z a-z 0-9 . _ - @ (so ASCII case folding is exact).
bool IsValidUsername(std::string_view name);
// InvalidArgument naming the rule when the name does not meet it.
Status CheckUsername(std::string_view name);

// Whether two user names name the same user (ASCII case-insensitive).
bool SameUsername(std::string_view a, std::string_view b);

// "admin", "regional_manager", "site_manager", "team_lead".
Result<UserRole> ParseUserRoleName(std::string_view name);

// Role and scope: a site manager has exactly one site, a regional manager at
// least one, a team lead a team. InvalidArgument saying which is missing.
Status CheckUserScope(const User& user);

}  // namespace feedback::central
