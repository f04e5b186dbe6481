// Case-insensitive user names in the SQLite central store (schema migration 6,
// a unique index on lower(username)). Two parts that must work on a store
// migration 6 has not reached yet, so they take a bare Database:
//  - CheckUsernamesFoldUniquely: before migrating, refuse a store holding two
//    names that differ only in case ("SM1", "sm1"), naming both and the fix,
//    instead of guessing which one is the real person;
//  - RenameUser: that fix (`feedback-central user rename`), also usable on any
//    store. Same thread rules as Database.
#pragma once

#include <string>

#include "core/status.h"
#include "store/sqlite.h"

namespace feedback::central {

// Ok when no two users' names differ only in case, or when the store already
// has migration 6 (whose index makes that impossible). Otherwise
// InvalidArgument naming every such pair and the `user rename` command that
// fixes it; nothing is changed.
Status CheckUsernamesFoldUniquely(Database& db);

// Renames the user spelled exactly `from` to `to` (a valid name that no other
// user has in any case), in one transaction, everywhere a user name is kept:
// sites (follow-up owner), user sites, follow-ups (owner, closed by), notes,
// hero-story moderation. Ends the user's sessions and clears their failed
// logins. NotFound for no user spelled `from`; AlreadyExists when `to` is taken.
Status RenameUser(Database& db, const std::string& from, const std::string& to);

}  // namespace feedback::central
