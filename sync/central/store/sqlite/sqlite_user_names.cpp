#include "sync/central/store/sqlite/sqlite_user_names.h"

#include <filesystem>

#include "sync/central/store/user_rules.h"

namespace feedback::central {
namespace {

Result<bool> HasObject(Database& db, const char* type, const char* name) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                            db.Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = ? AND "
                                       "name = ?"));
  s.Bind(1, type).Bind(2, name);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
  return row && s.ColumnInt(0) > 0;
}

}  // namespace

Status CheckUsernamesFoldUniquely(Database& db) {
  FEEDBACK_ASSIGN_OR_RETURN(bool has_users, HasObject(db, "table", "users"));
  if (!has_users) return Status::Ok();  // a new store
  FEEDBACK_ASSIGN_OR_RETURN(bool migrated, HasObject(db, "index", "users_username_folded"));
  if (migrated) return Status::Ok();
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db.Prepare("SELECT a.username, b.username FROM users a JOIN users b ON "
                              "lower(a.username) = lower(b.username) AND a.username < b.username "
                              "ORDER BY lower(a.username), a.username, b.username"));
  std::string pairs, first;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    if (first.empty()) first = s.ColumnText(0);
    pairs +=
        (pairs.empty() ? "" : ", ") + ("'" + s.ColumnText(0) + "' and '" + s.ColumnText(1) + "'");
  }
  if (pairs.empty()) return Status::Ok();
  const std::string data_dir = std::filesystem::path(db.path()).parent_path().string();
  return Status::InvalidArgument(
      "central store " + db.path() + ": the users " + pairs +
      " differ only in upper/lower case, and user names no longer do (schema migration 6: "
      "'SM1' and 'sm1' are one user). Nothing was changed. Rename all but one of each, e.g. "
      "`feedback-central user rename --data-dir " +
      data_dir + " --username " + first + " --to " + first +
      "-2`, tell that person their new user name, then start again");
}

Status RenameUser(Database& db, const std::string& from, const std::string& to) {
  FEEDBACK_RETURN_IF_ERROR(CheckUsername(to));
  Transaction txn(db);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_ASSIGN_OR_RETURN(Statement find,
                            db.Prepare("SELECT COUNT(*) FROM users WHERE username = ?"));
  find.Bind(1, from);
  FEEDBACK_ASSIGN_OR_RETURN(bool found_row, find.Step());
  if (!found_row || find.ColumnInt(0) == 0) {
    return Status::NotFound("no user spelled exactly '" + from +
                            "' (case matters here): see `feedback-central user list`");
  }
  find.Reset();
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement taken,
      db.Prepare("SELECT username FROM users WHERE lower(username) = lower(?) AND username <> ?"));
  taken.Bind(1, to).Bind(2, from);
  FEEDBACK_ASSIGN_OR_RETURN(bool clash, taken.Step());
  if (clash) {
    return Status::AlreadyExists("user '" + taken.ColumnText(0) +
                                 "' already exists (user names ignore case): choose another name");
  }
  taken.Reset();
  // user_sites references users(username): check the keys at COMMIT, after both moved.
  FEEDBACK_RETURN_IF_ERROR(db.Exec("PRAGMA defer_foreign_keys = ON"));
  constexpr const char* kUpdates[] = {
      "UPDATE users SET username = ?1 WHERE username = ?2",
      "UPDATE user_sites SET username = ?1 WHERE username = ?2",
      "UPDATE sites SET followup_owner = ?1 WHERE followup_owner = ?2",
      "UPDATE follow_ups SET owner = ?1 WHERE owner = ?2",
      "UPDATE follow_ups SET closed_by = ?1 WHERE closed_by = ?2",
      "UPDATE followup_notes SET by_user = ?1 WHERE by_user = ?2",
      "UPDATE hero_stories SET moderated_by = ?1 WHERE moderated_by = ?2",
      "DELETE FROM sessions WHERE username = ?2 AND ?1 IS NOT NULL",
      "DELETE FROM login_failures WHERE username IN (?2, lower(?2)) AND ?1 IS NOT NULL",
  };
  for (const char* sql : kUpdates) {
    FEEDBACK_ASSIGN_OR_RETURN(Statement u, db.Prepare(sql));
    FEEDBACK_RETURN_IF_ERROR(u.Bind(1, to).Bind(2, from).Run());
  }
  return txn.Commit();
}

}  // namespace feedback::central
