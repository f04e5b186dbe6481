// SqliteCentralStore: the dashboard half (issue 7) - users, sessions, login
// failures, rollup reads, hero-story moderation, follow-ups, alert rules and
// the alert queue. The ingest half is in sqlite_central_store.cpp.
#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <variant>

#include "sync/central/store/sqlite/sqlite_central_store.h"

namespace feedback::central {
namespace {

constexpr TimeMs kDayMs = 86'400'000;

std::optional<int64_t> OptInt(const Statement& s, int col) {
  if (s.ColumnIsNull(col)) return std::nullopt;
  return s.ColumnInt(col);
}
std::optional<std::string> OptText(const Statement& s, int col) {
  if (s.ColumnIsNull(col)) return std::nullopt;
  return s.ColumnText(col);
}

// A WHERE clause and its bind values, built from a DashboardFilter.
struct Where {
  std::string sql = "1=1";
  std::vector<std::variant<int64_t, std::string>> binds;

  void Add(const std::string& clause) { sql += " AND " + clause; }
  // Binds from index `first`; returns the next free index.
  int BindTo(Statement& s, int first) const {
    int i = first;
    for (const auto& v : binds) {
      if (std::holds_alternative<int64_t>(v)) {
        s.Bind(i++, std::get<int64_t>(v));
      } else {
        s.Bind(i++, std::string_view(std::get<std::string>(v)));
      }
    }
    return i;
  }
};

// time_column: "day" (a day number) or a millisecond timestamp column.
// has_channel / has_staff: whether the table has those columns.
Where BuildWhere(const DashboardFilter& f, const std::string& time_column, bool time_is_day,
                 bool has_channel, bool has_staff) {
  Where w;
  if (f.use_days) {
    if (time_is_day) {
      w.Add(time_column + " BETWEEN ? AND ?");
      w.binds.emplace_back(f.from_day);
      w.binds.emplace_back(f.to_day);
    } else {
      w.Add(time_column + " >= ? AND " + time_column + " < ?");
      w.binds.emplace_back(f.from_day * kDayMs);
      w.binds.emplace_back((f.to_day + 1) * kDayMs);
    }
  }
  if (f.sites) {
    if (f.sites->empty()) {
      w.Add("1=0");
    } else {
      std::string in = "site_id IN (";
      for (size_t i = 0; i < f.sites->size(); ++i) {
        in += i == 0 ? "?" : ", ?";
        w.binds.emplace_back((*f.sites)[i]);
      }
      w.Add(in + ")");
    }
  }
  if (f.team) {
    w.Add("team = ?");
    w.binds.emplace_back(*f.team);
  }
  if (f.channel) {
    w.Add(has_channel ? "channel = ?" : "1=0");
    if (has_channel) w.binds.emplace_back(*f.channel);
  }
  if (f.staff_id) {
    w.Add(has_staff ? "staff_id = ?" : "1=0");
    if (has_staff) w.binds.emplace_back(*f.staff_id);
  }
  return w;
}

std::string GroupColumn(GroupBy g) {
  switch (g) {
    case GroupBy::kNone:
      return "''";
    case GroupBy::kSite:
      return "site_id";
    case GroupBy::kChannel:
      return "channel";
    case GroupBy::kTeam:
      return "team";
    case GroupBy::kStaff:
      return "staff_id";
    case GroupBy::kDay:
    case GroupBy::kWeek:
    case GroupBy::kMonth:
      return "day";
  }
  return "''";
}

// One read of a rollup query: a table (prefix + kind), its GROUP BY column
// and its WHERE clause.
struct RollupSource {
  std::string prefix;  // "rollup_" (rep and day) | "summary_" (day, week, month)
  std::string key;
  Where where;
};

// Where a rollup query reads: the rep-day tables when it names or groups by a
// rep; otherwise the summaries, in the fewest whole periods that cover the
// date range (a year is ~12 month reads instead of 365 x reps day rows).
// all_sites: every site id, bound when the filter has no site list, so that
// the summaries' (grain, site_id, period) key is used as an index.
std::vector<RollupSource> RollupSources(const DashboardFilter& f, GroupBy group,
                                        const std::vector<std::string>& all_sites) {
  if (f.staff_id || group == GroupBy::kStaff) {
    return {{"rollup_", GroupColumn(group), BuildWhere(f, "day", true, true, true)}};
  }
  const bool by_period =
      group == GroupBy::kDay || group == GroupBy::kWeek || group == GroupBy::kMonth;
  const RollupGrain coarsest = group == GroupBy::kDay    ? RollupGrain::kDay
                               : group == GroupBy::kWeek ? RollupGrain::kWeek
                                                         : RollupGrain::kMonth;
  DashboardFilter scope = f;
  scope.use_days = false;
  if (!scope.sites) scope.sites = all_sites;
  std::vector<PeriodRange> ranges;
  if (f.use_days) {
    ranges = CoverDays(f.from_day, f.to_day, coarsest);
  } else {
    ranges.push_back({coarsest, std::numeric_limits<int64_t>::min(),
                      std::numeric_limits<int64_t>::max()});
  }
  std::vector<RollupSource> out;
  for (const PeriodRange& r : ranges) {
    RollupSource src{"summary_", by_period ? "period" : GroupColumn(group),
                     BuildWhere(scope, "day", true, true, false)};
    src.where.sql = "grain = ? AND period BETWEEN ? AND ? AND " + src.where.sql;
    src.where.binds.insert(src.where.binds.begin(),
                           {std::string(1, GrainCode(r.grain)), r.first, r.last});
    out.push_back(std::move(src));
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Why the rules open a follow-up for this contact request, or "" when they do not.
std::string FollowUpReason(const FollowUpDraft& c, const AlertRules& rules) {
  std::string reason;
  auto add = [&reason](const std::string& part) {
    reason += (reason.empty() ? "" : ", ") + part;
  };
  if (c.worst_nps && *c.worst_nps <= rules.nps_max) add("nps " + std::to_string(*c.worst_nps));
  if (c.worst_csat && *c.worst_csat <= rules.csat_max) {
    add("csat " + std::to_string(*c.worst_csat));
  }
  if (!c.comment.empty() && !rules.words.empty()) {
    const std::string text = Lower(c.comment);
    for (const std::string& w : rules.words) {
      if (!w.empty() && text.find(Lower(w)) != std::string::npos) {
        add("word '" + w + "'");
        break;
      }
    }
  }
  // A draft made by the default rules without scores (older callers) keeps its reason.
  if (reason.empty() && !c.worst_nps && !c.worst_csat && !c.reason.empty()) return c.reason;
  return reason;
}

constexpr std::string_view kFollowUpColumns =
    "followup_id, record_id, site_id, team, reason, contact_name, contact_phone, contact_email, "
    "comment, state, owner, due_at, created_at, closed_at, closed_by, close_note";

constexpr std::string_view kStoryColumns =
    "story_id, site_id, team, channel, staff_id, staff_name, story, state, submitted_at, "
    "moderated_by, moderated_at, published_at";

HeroStory ReadStory(const Statement& s) {
  HeroStory h;
  h.story_id = s.ColumnText(0);
  h.site_id = s.ColumnText(1);
  h.team = s.ColumnText(2);
  h.channel = s.ColumnText(3);
  h.staff_id = s.ColumnText(4);
  h.staff_name = s.ColumnText(5);
  h.story = s.ColumnText(6);
  h.state = s.ColumnText(7);
  h.submitted_at = s.ColumnInt(8);
  h.moderated_by = OptText(s, 9);
  h.moderated_at = OptInt(s, 10);
  h.published_at = OptInt(s, 11);
  return h;
}

constexpr std::string_view kAlertColumns =
    "alert_id, followup_id, kind, target, state, attempts, next_attempt_at, last_error, "
    "created_at, sent_at, event, device_id";

Alert ReadAlert(const Statement& s) {
  Alert a;
  a.alert_id = s.ColumnText(0);
  a.followup_id = s.ColumnText(1);
  a.kind = s.ColumnText(2);
  a.target = s.ColumnText(3);
  a.state = s.ColumnText(4);
  a.attempts = static_cast<int>(s.ColumnInt(5));
  a.next_attempt_at = s.ColumnInt(6);
  a.last_error = s.ColumnText(7);
  a.created_at = s.ColumnInt(8);
  a.sent_at = OptInt(s, 9);
  a.event = s.ColumnText(10);
  a.device_id = s.ColumnText(11);
  return a;
}

}  // namespace

// --- Users, staff, sites -----------------------------------------------------------

Result<std::vector<User>> SqliteCentralStore::ListUsers() {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT username FROM users ORDER BY username"));
  std::vector<std::string> names;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    names.push_back(s.ColumnText(0));
  }
  std::vector<User> out;
  for (const std::string& n : names) {
    FEEDBACK_ASSIGN_OR_RETURN(User u, GetUser(n));
    out.push_back(std::move(u));
  }
  return out;
}

Status SqliteCentralStore::SetUserDisabled(const std::string& username, bool disabled) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                            db_.Prepare("UPDATE users SET disabled = ? WHERE lower(username) = lower(?)"));
  FEEDBACK_RETURN_IF_ERROR(s.Bind(1, disabled ? 1 : 0).Bind(2, username).Run());
  if (db_.Changes() == 0) return Status::NotFound("no user '" + username + "'");
  if (disabled) return DeleteUserSessions(username);
  return Status::Ok();
}

Status SqliteCentralStore::SetUserPassword(const std::string& username,
                                           const std::string& password_hash,
                                           const std::string& keep_session) {
  Transaction txn(db_);
  FEEDBACK_RETURN_IF_ERROR(txn.Begin());
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("UPDATE users SET password_hash = ? WHERE lower(username) = lower(?)"));
  FEEDBACK_RETURN_IF_ERROR(s.Bind(1, password_hash).Bind(2, username).Run());
  if (db_.Changes() == 0) return Status::NotFound("no user '" + username + "'");
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement end, db_.Prepare("DELETE FROM sessions WHERE lower(username) = lower(?) AND "
                                 "token_hash <> ?"));
  FEEDBACK_RETURN_IF_ERROR(end.Bind(1, username).Bind(2, keep_session).Run());
  return txn.Commit();
}

Result<std::vector<StaffRow>> SqliteCentralStore::ListStaff() {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      db_.Prepare("SELECT staff_id, display_name, team, site_id FROM staff ORDER BY staff_id"));
  std::vector<StaffRow> out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3)});
  }
  return out;
}

Status SqliteCentralStore::UpdateSite(const std::string& site_id, const SiteSettings& st) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      db_.Prepare("UPDATE sites SET name = COALESCE(?, name), region = COALESCE(?, region), "
                  "mail_relay_url = COALESCE(?, mail_relay_url), followup_owner = "
                  "COALESCE(?, followup_owner), followup_due_hours = COALESCE(?, "
                  "followup_due_hours) WHERE site_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(s.Bind(1, st.name)
                               .Bind(2, st.region)
                               .Bind(3, st.mail_relay_url)
                               .Bind(4, st.followup_owner)
                               .Bind(5, st.followup_due_hours)
                               .Bind(6, site_id)
                               .Run());
  if (db_.Changes() == 0) return Status::NotFound("no site '" + site_id + "'");
  return Status::Ok();
}

// --- Sessions and login failures ---------------------------------------------------

Status SqliteCentralStore::CreateSession(const Session& x) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("INSERT INTO sessions(token_hash, username, csrf_token, created_at, "
                               "last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)"));
  FEEDBACK_RETURN_IF_ERROR(s.Bind(1, x.token_hash)
                               .Bind(2, x.username)
                               .Bind(3, x.csrf_token)
                               .Bind(4, x.created_at)
                               .Bind(5, x.last_seen_at)
                               .Bind(6, x.expires_at)
                               .Run());
  // Housekeeping: drop expired sessions now and then (cheap, indexed by key).
  FEEDBACK_ASSIGN_OR_RETURN(Statement del,
                            db_.Prepare("DELETE FROM sessions WHERE expires_at < ?"));
  return del.Bind(1, x.created_at).Run();
}

Result<Session> SqliteCentralStore::GetSession(const std::string& token_hash, TimeMs now,
                                               TimeMs idle_ms) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("SELECT username, csrf_token, created_at, last_seen_at, expires_at "
                               "FROM sessions WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("no such session");
  Session x{token_hash,     s.ColumnText(0), s.ColumnText(1), s.ColumnInt(2),
            s.ColumnInt(3), s.ColumnInt(4)};
  if (x.expires_at <= now || x.last_seen_at + idle_ms <= now) {
    return Status::NotFound("session expired");
  }
  return x;
}

Status SqliteCentralStore::TouchSession(const std::string& token_hash, TimeMs now) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?"));
  return s.Bind(1, now).Bind(2, token_hash).Run();
}

Status SqliteCentralStore::DeleteSession(const std::string& token_hash) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                            db_.Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  return s.Bind(1, token_hash).Run();
}

Status SqliteCentralStore::DeleteUserSessions(const std::string& username) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s, db_.Prepare("DELETE FROM sessions WHERE lower(username) = lower(?)"));
  return s.Bind(1, username).Run();
}

Result<int64_t> SqliteCentralStore::CountLoginFailures(const std::string& username,
                                                       const std::string& ip, TimeMs since) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("SELECT COUNT(*) FROM login_failures WHERE username = lower(?) AND ip = ? "
                               "AND at >= ?"));
  s.Bind(1, username).Bind(2, ip).Bind(3, since);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColumnInt(0) : 0;
}

Result<std::optional<TimeMs>> SqliteCentralStore::OldestLoginFailure(const std::string& username,
                                                                     const std::string& ip,
                                                                     TimeMs since) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("SELECT MIN(at) FROM login_failures WHERE username = lower(?) AND ip = ? "
                               "AND at >= ?"));
  s.Bind(1, username).Bind(2, ip).Bind(3, since);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row || s.ColumnIsNull(0)) return std::optional<TimeMs>();
  return std::optional<TimeMs>(s.ColumnInt(0));
}

Status SqliteCentralStore::RecordLoginFailure(const std::string& username, const std::string& ip,
                                              TimeMs now) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("INSERT INTO login_failures(username, ip, at) VALUES (lower(?), ?, ?)"));
  return s.Bind(1, username).Bind(2, ip).Bind(3, now).Run();
}

Status SqliteCentralStore::ClearLoginFailures(const std::string& username, const std::string& ip) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("DELETE FROM login_failures WHERE username = lower(?) AND ip = ?"));
  return s.Bind(1, username).Bind(2, ip).Run();
}

// --- Rollup reads ------------------------------------------------------------------

Result<std::vector<std::string>> SqliteCentralStore::SummarySites(const DashboardFilter& f,
                                                                  GroupBy group) {
  std::vector<std::string> out;
  // Only summary reads without a site list bind every site (see RollupSources).
  if (f.sites || f.staff_id || group == GroupBy::kStaff) return out;
  FEEDBACK_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT site_id FROM sites ORDER BY 1"));
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(s.ColumnText(0));
  }
  return out;
}

Result<std::vector<ScoreCountRow>> SqliteCentralStore::QueryScoreCounts(const DashboardFilter& f,
                                                                        GroupBy group) {
  FEEDBACK_ASSIGN_OR_RETURN(std::vector<std::string> sites, SummarySites(f, group));
  std::map<std::tuple<std::string, std::string, int>, int64_t> counts;
  for (const RollupSource& src : RollupSources(f, group, sites)) {
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement s,
        db_.Prepare("SELECT " + src.key + ", question_type, score, SUM(count) FROM " + src.prefix +
                    "scores WHERE question_type IN ('nps', 'csat', 'ces') AND " + src.where.sql +
                    " GROUP BY 1, 2, 3"));
    src.where.BindTo(s, 1);
    while (true) {
      FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      counts[{s.ColumnText(0), s.ColumnText(1), static_cast<int>(s.ColumnInt(2))}] +=
          s.ColumnInt(3);
    }
  }
  std::vector<ScoreCountRow> out;
  out.reserve(counts.size());
  for (const auto& [k, n] : counts) {
    out.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), n});
  }
  return out;
}

Result<std::vector<ResponseCountRow>> SqliteCentralStore::QueryResponseCounts(
    const DashboardFilter& f, GroupBy group) {
  FEEDBACK_ASSIGN_OR_RETURN(std::vector<std::string> sites, SummarySites(f, group));
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const RollupSource& src : RollupSources(f, group, sites)) {
    FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                              db_.Prepare("SELECT " + src.key + ", status, SUM(count) FROM " +
                                          src.prefix + "responses WHERE " + src.where.sql +
                                          " GROUP BY 1, 2"));
    src.where.BindTo(s, 1);
    while (true) {
      FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      counts[{s.ColumnText(0), s.ColumnText(1)}] += s.ColumnInt(2);
    }
  }
  std::vector<ResponseCountRow> out;
  out.reserve(counts.size());
  for (const auto& [k, n] : counts) out.push_back({k.first, k.second, n});
  return out;
}

Status SqliteCentralStore::QueryDriverMoments(const DashboardFilter& f,
                                              std::vector<DriverRowsSum>* rows,
                                              std::vector<DriverSumRow>* sums) {
  FEEDBACK_ASSIGN_OR_RETURN(std::vector<std::string> sites, SummarySites(f, GroupBy::kNone));
  std::map<std::pair<std::string, int>, std::pair<int64_t, int64_t>> row_totals;
  std::map<std::tuple<std::string, int, std::string, std::string>, double> sum_totals;
  for (const RollupSource& src : RollupSources(f, GroupBy::kNone, sites)) {
    {
      FEEDBACK_ASSIGN_OR_RETURN(
          Statement s, db_.Prepare("SELECT survey_id, survey_version, SUM(n), SUM(rows_dropped) "
                                   "FROM " +
                                   src.prefix + "driver_rows WHERE " + src.where.sql +
                                   " GROUP BY 1, 2"));
      src.where.BindTo(s, 1);
      while (true) {
        FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        auto& t = row_totals[{s.ColumnText(0), static_cast<int>(s.ColumnInt(1))}];
        t.first += s.ColumnInt(2);
        t.second += s.ColumnInt(3);
      }
    }
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement s, db_.Prepare("SELECT survey_id, survey_version, var_a, var_b, SUM(total) "
                                 "FROM " +
                                 src.prefix + "driver_sums WHERE " + src.where.sql +
                                 " GROUP BY 1, 2, 3, 4"));
    src.where.BindTo(s, 1);
    while (true) {
      FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      sum_totals[{s.ColumnText(0), static_cast<int>(s.ColumnInt(1)), s.ColumnText(2),
                  s.ColumnText(3)}] += s.ColumnDouble(4);
    }
  }
  for (const auto& [k, t] : row_totals) rows->push_back({k.first, k.second, t.first, t.second});
  for (const auto& [k, total] : sum_totals) {
    sums->push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), total});
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteCentralStore::DistinctRollupValues(
    const DashboardFilter& f, const std::string& column) {
  if (column != "team" && column != "channel") {
    return Status::InvalidArgument("DistinctRollupValues: unsupported column " + column);
  }
  FEEDBACK_ASSIGN_OR_RETURN(std::vector<std::string> sites, SummarySites(f, GroupBy::kNone));
  std::set<std::string> values;
  for (const RollupSource& src : RollupSources(f, GroupBy::kNone, sites)) {
    FEEDBACK_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT DISTINCT " + column + " FROM " +
                                                       src.prefix + "responses WHERE " +
                                                       src.where.sql + " AND " + column + " <> ''"));
    src.where.BindTo(s, 1);
    while (true) {
      FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      values.insert(s.ColumnText(0));
    }
  }
  return std::vector<std::string>(values.begin(), values.end());
}

// --- Hero stories ------------------------------------------------------------------

Result<StoryPage> SqliteCentralStore::ListStories(const DashboardFilter& f,
                                                  const std::string& state, int limit,
                                                  int offset) {
  const Where w = BuildWhere(f, "submitted_at", false, true, true);
  StoryPage page;
  {
    // Without a date range the tally (migration 4) has the counts.
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement s, db_.Prepare(f.use_days ? "SELECT state, COUNT(*) FROM hero_stories WHERE " +
                                                  w.sql + " GROUP BY state"
                                            : "SELECT state, SUM(count) FROM story_tally WHERE " +
                                                  w.sql + " GROUP BY state"));
    w.BindTo(s, 1);
    while (true) {
      FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      const std::string st = s.ColumnText(0);
      if (st == "new") page.count_new = s.ColumnInt(1);
      if (st == "published") page.count_published = s.ColumnInt(1);
      if (st == "hidden") page.count_hidden = s.ColumnInt(1);
    }
  }
  page.total = state.empty()         ? page.count_new + page.count_published + page.count_hidden
               : state == "new"       ? page.count_new
               : state == "published" ? page.count_published
                                      : page.count_hidden;
  const std::string state_clause = state.empty() ? "" : " AND state = ?";
  const std::string order = state == "published" ? "published_at DESC, story_id"
                                                 : "submitted_at DESC, story_id";
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("SELECT " + std::string(kStoryColumns) +
                               " FROM hero_stories WHERE " + w.sql + state_clause +
                               " ORDER BY " + order + " LIMIT ? OFFSET ?"));
  int next = w.BindTo(s, 1);
  if (!state.empty()) s.Bind(next++, state);
  s.Bind(next, limit);
  s.Bind(next + 1, offset);
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    page.stories.push_back(ReadStory(s));
  }
  return page;
}

Result<HeroStory> SqliteCentralStore::GetStory(const std::string& story_id) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT " + std::string(kStoryColumns) +
                                                     " FROM hero_stories WHERE story_id = ?"));
  s.Bind(1, story_id);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("no hero story '" + story_id + "'");
  return ReadStory(s);
}

Status SqliteCentralStore::ModerateStory(const std::string& story_id, const std::string& state,
                                         const std::string& by, TimeMs now) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      db_.Prepare("UPDATE hero_stories SET state = ?, moderated_by = ?, moderated_at = ?, "
                  "published_at = CASE WHEN ? = 'published' THEN COALESCE(published_at, ?) "
                  "ELSE NULL END WHERE story_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(
      s.Bind(1, state).Bind(2, by).Bind(3, now).Bind(4, state).Bind(5, now).Bind(6, story_id).Run());
  if (db_.Changes() == 0) return Status::NotFound("no hero story '" + story_id + "'");
  return Status::Ok();
}

// --- Follow-ups --------------------------------------------------------------------

Result<FollowUp> SqliteCentralStore::ReadFollowUp(Statement& s) {
  FollowUp x;
  x.followup_id = s.ColumnText(0);
  x.record_id = s.ColumnText(1);
  x.site_id = s.ColumnText(2);
  x.team = s.ColumnText(3);
  x.reason = s.ColumnText(4);
  x.contact_name = s.ColumnText(5);
  x.contact_phone = s.ColumnText(6);
  x.contact_email = s.ColumnText(7);
  x.comment = s.ColumnText(8);
  x.state = s.ColumnText(9);
  x.owner = OptText(s, 10);
  x.due_at = OptInt(s, 11);
  x.created_at = s.ColumnInt(12);
  x.closed_at = OptInt(s, 13);
  x.closed_by = OptText(s, 14);
  x.close_note = OptText(s, 15);
  FEEDBACK_ASSIGN_OR_RETURN(Statement n,
                            db_.Prepare("SELECT at, by_user, text FROM followup_notes WHERE "
                                        "followup_id = ? ORDER BY at, rowid"));
  n.Bind(1, x.followup_id);
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, n.Step());
    if (!row) break;
    x.notes.push_back({n.ColumnInt(0), n.ColumnText(1), n.ColumnText(2)});
  }
  return x;
}

Result<FollowUpPage> SqliteCentralStore::ListFollowUps(const DashboardFilter& f,
                                                       const std::string& state,
                                                       bool only_overdue, TimeMs now, int limit,
                                                       int offset) {
  const Where w = BuildWhere(f, "created_at", false, false, false);
  FollowUpPage page;
  if (!f.use_days) {
    // From the tally (migration 4): open and closed per scope key, open per due
    // day; overdue = due before today, plus today's already due (follow_ups_due).
    const int64_t today = now / kDayMs;
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement s,
        db_.Prepare("SELECT COALESCE(SUM(CASE WHEN state = 'open' THEN count END), 0), "
                    "COALESCE(SUM(CASE WHEN state = 'open' AND due_day BETWEEN 0 AND ? THEN "
                    "count END), 0), COALESCE(SUM(CASE WHEN state = 'closed' THEN count END), 0) "
                    "FROM followup_tally WHERE " +
                    w.sql));
    s.Bind(1, today - 1);
    w.BindTo(s, 2);
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) {
      page.count_open = s.ColumnInt(0);
      page.count_overdue = s.ColumnInt(1);
      page.count_closed = s.ColumnInt(2);
    }
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement due_today,
        db_.Prepare("SELECT COUNT(*) FROM follow_ups WHERE state = 'open' AND due_at >= ? AND "
                    "due_at < ? AND " +
                    w.sql));
    due_today.Bind(1, today * kDayMs).Bind(2, now);
    w.BindTo(due_today, 3);
    FEEDBACK_ASSIGN_OR_RETURN(bool counted, due_today.Step());
    if (counted) page.count_overdue += due_today.ColumnInt(0);
  } else {
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement s,
        db_.Prepare("SELECT COALESCE(SUM(state = 'open'), 0), COALESCE(SUM(state = 'open' AND "
                    "due_at IS NOT NULL AND due_at < ?), 0), COALESCE(SUM(state = 'closed'), 0) "
                    "FROM follow_ups WHERE " +
                    w.sql));
    s.Bind(1, now);
    w.BindTo(s, 2);
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) {
      page.count_open = s.ColumnInt(0);
      page.count_overdue = s.ColumnInt(1);
      page.count_closed = s.ColumnInt(2);
    }
  }
  std::string extra;
  if (!state.empty()) extra += " AND state = ?";
  if (only_overdue) extra += " AND state = 'open' AND due_at IS NOT NULL AND due_at < ?";
  page.total = only_overdue          ? page.count_overdue
               : state == "open"     ? page.count_open
               : state == "closed"   ? page.count_closed
                                     : page.count_open + page.count_closed;
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      db_.Prepare("SELECT " + std::string(kFollowUpColumns) + " FROM follow_ups WHERE " + w.sql +
                  extra +
                  " ORDER BY (state = 'open' AND due_at IS NOT NULL AND due_at < ?) DESC, "
                  "state = 'closed', COALESCE(due_at, created_at), followup_id LIMIT ? OFFSET ?"));
  int next = w.BindTo(s, 1);
  if (!state.empty()) s.Bind(next++, state);
  if (only_overdue) s.Bind(next++, now);
  s.Bind(next, now);
  s.Bind(next + 1, limit);
  s.Bind(next + 2, offset);
  std::vector<std::string> ids;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ids.push_back(s.ColumnText(0));
  }
  for (const std::string& id : ids) {
    FEEDBACK_ASSIGN_OR_RETURN(FollowUp x, GetFollowUp(id));
    page.followups.push_back(std::move(x));
  }
  return page;
}

Result<FollowUp> SqliteCentralStore::GetFollowUp(const std::string& followup_id) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT " + std::string(kFollowUpColumns) +
                                                     " FROM follow_ups WHERE followup_id = ?"));
  s.Bind(1, followup_id);
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("no follow-up '" + followup_id + "'");
  return ReadFollowUp(s);
}

Status SqliteCentralStore::AddFollowUpNote(const std::string& followup_id,
                                           const FollowUpNote& note) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("INSERT INTO followup_notes(followup_id, at, by_user, text) "
                               "SELECT followup_id, ?, ?, ? FROM follow_ups WHERE followup_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(
      s.Bind(1, note.at).Bind(2, note.by).Bind(3, note.text).Bind(4, followup_id).Run());
  if (db_.Changes() == 0) return Status::NotFound("no follow-up '" + followup_id + "'");
  return Status::Ok();
}

Status SqliteCentralStore::AssignFollowUp(const std::string& followup_id,
                                          const std::optional<std::string>& owner,
                                          const std::optional<TimeMs>& due_at) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("UPDATE follow_ups SET owner = COALESCE(?, owner), due_at = "
                               "COALESCE(?, due_at) WHERE followup_id = ?"));
  FEEDBACK_RETURN_IF_ERROR(s.Bind(1, owner).Bind(2, due_at).Bind(3, followup_id).Run());
  if (db_.Changes() == 0) return Status::NotFound("no follow-up '" + followup_id + "'");
  return Status::Ok();
}

Status SqliteCentralStore::CloseFollowUp(const std::string& followup_id, const std::string& by,
                                         const std::string& note, TimeMs now) {
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("UPDATE follow_ups SET state = 'closed', closed_at = ?, "
                               "closed_by = ?, close_note = ? WHERE followup_id = ? AND "
                               "state <> 'closed'"));
  FEEDBACK_RETURN_IF_ERROR(s.Bind(1, now).Bind(2, by).Bind(3, note).Bind(4, followup_id).Run());
  if (db_.Changes() == 0) {
    FEEDBACK_ASSIGN_OR_RETURN(FollowUp x, GetFollowUp(followup_id));
    (void)x;
    return Status::Conflict("follow-up '" + followup_id + "' is already closed");
  }
  return Status::Ok();
}

Status SqliteCentralStore::OpenFollowUpLocked(const PreparedRecord& r, const FollowUpDraft& c,
                                              const std::string& site_id,
                                              const std::string& team, const AlertRules& rules,
                                              TimeMs now) {
  const std::string reason = FollowUpReason(c, rules);
  if (reason.empty()) return Status::Ok();
  // Owner and due time from the site's settings; else the first active site manager.
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement site, db_.Prepare("SELECT followup_owner, followup_due_hours, mail_relay_url "
                                  "FROM sites WHERE site_id = ?"));
  site.Bind(1, site_id);
  FEEDBACK_ASSIGN_OR_RETURN(bool has_site, site.Step());
  std::string owner = has_site ? site.ColumnText(0) : "";
  const int64_t due_hours = has_site ? site.ColumnInt(1) : 48;
  const std::string relay = has_site ? site.ColumnText(2) : "";
  if (owner.empty()) {
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement mgr, db_.Prepare("SELECT u.username FROM users u JOIN user_sites us ON "
                                   "us.username = u.username WHERE us.site_id = ? AND u.role = "
                                   "'site_manager' AND u.disabled = 0 ORDER BY u.username "
                                   "LIMIT 1"));
    mgr.Bind(1, site_id);
    FEEDBACK_ASSIGN_OR_RETURN(bool found, mgr.Step());
    if (found) owner = mgr.ColumnText(0);
  }
  std::string owner_email;
  if (!owner.empty()) {
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement u, db_.Prepare("SELECT email FROM users WHERE lower(username) = lower(?) AND disabled = 0"));
    u.Bind(1, owner);
    FEEDBACK_ASSIGN_OR_RETURN(bool found, u.Step());
    if (found) owner_email = u.ColumnText(0);
  }
  const std::string followup_id = ids_.NextV7().ToString();
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement ins,
      db_.Prepare("INSERT INTO follow_ups(followup_id, record_id, site_id, team, reason, "
                  "contact_name, contact_phone, contact_email, comment, state, owner, due_at, "
                  "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) "
                  "ON CONFLICT DO NOTHING"));
  // Due even when nobody owns it yet, so an unassigned follow-up still becomes overdue.
  std::optional<std::string> owner_col;
  if (!owner.empty()) owner_col = owner;
  const TimeMs due_at = now + due_hours * 3'600'000;
  FEEDBACK_RETURN_IF_ERROR(ins.Bind(1, followup_id)
                               .Bind(2, r.record_id)
                               .Bind(3, site_id)
                               .Bind(4, team)
                               .Bind(5, reason)
                               .Bind(6, c.contact_name)
                               .Bind(7, c.contact_phone)
                               .Bind(8, c.contact_email)
                               .Bind(9, c.comment)
                               .Bind(10, owner_col)
                               .Bind(11, due_at)
                               .Bind(12, now)
                               .Run());
  if (db_.Changes() == 0) return Status::Ok();
  // Queue the alerts in this transaction; AlertDispatcher delivers them.
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement alert,
      db_.Prepare("INSERT INTO alerts(alert_id, followup_id, kind, target, state, attempts, "
                  "next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)"));
  if (rules.email_enabled && !owner_email.empty() &&
      (!relay.empty() || !rules.smtp_url.empty())) {
    FEEDBACK_RETURN_IF_ERROR(alert.Bind(1, ids_.NextV7().ToString())
                                 .Bind(2, followup_id)
                                 .Bind(3, "email")
                                 .Bind(4, owner_email)
                                 .Bind(5, now)
                                 .Bind(6, now)
                                 .Run());
  }
  if (!rules.webhook_url.empty()) {
    alert.Reset();
    FEEDBACK_RETURN_IF_ERROR(alert.Bind(1, ids_.NextV7().ToString())
                                 .Bind(2, followup_id)
                                 .Bind(3, "webhook")
                                 .Bind(4, rules.webhook_url)
                                 .Bind(5, now)
                                 .Bind(6, now)
                                 .Run());
  }
  return Status::Ok();
}

// --- Alert rules and queue ---------------------------------------------------------

Result<AlertRules> SqliteCentralStore::GetAlertRules() {
  AlertRules rules;
  FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                            db_.Prepare("SELECT value FROM settings WHERE key = 'alert_rules'"));
  FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return rules;
  const nlohmann::json j = nlohmann::json::parse(s.ColumnText(0), nullptr, false);
  if (!j.is_object()) return Status::Corruption("settings.alert_rules is not a JSON object");
  auto get_int = [&j](const char* k, int& out) {
    if (j.contains(k) && j[k].is_number_integer()) out = j[k].get<int>();
  };
  auto get_str = [&j](const char* k, std::string& out) {
    if (j.contains(k) && j[k].is_string()) out = j[k].get<std::string>();
  };
  get_int("nps_max", rules.nps_max);
  get_int("csat_max", rules.csat_max);
  if (j.contains("email_enabled") && j["email_enabled"].is_boolean()) {
    rules.email_enabled = j["email_enabled"].get<bool>();
  }
  get_str("webhook_url", rules.webhook_url);
  get_str("smtp_url", rules.smtp_url);
  get_str("mail_from", rules.mail_from);
  get_str("dashboard_url", rules.dashboard_url);
  if (j.contains("words") && j["words"].is_array()) {
    for (const auto& w : j["words"]) {
      if (w.is_string()) rules.words.push_back(w.get<std::string>());
    }
  }
  return rules;
}

Status SqliteCentralStore::SetAlertRules(const AlertRules& r) {
  const nlohmann::json j = {{"nps_max", r.nps_max},           {"csat_max", r.csat_max},
                            {"words", r.words},               {"email_enabled", r.email_enabled},
                            {"webhook_url", r.webhook_url},   {"smtp_url", r.smtp_url},
                            {"mail_from", r.mail_from},       {"dashboard_url", r.dashboard_url}};
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s, db_.Prepare("INSERT INTO settings(key, value) VALUES ('alert_rules', ?) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  return s.Bind(1, j.dump()).Run();
}

Result<std::vector<Alert>> SqliteCentralStore::ClaimDueAlerts(TimeMs now, TimeMs lease_ms,
                                                              int limit) {
  std::vector<Alert> due;
  {
    FEEDBACK_ASSIGN_OR_RETURN(
        Statement s, db_.Prepare("SELECT " + std::string(kAlertColumns) +
                                 " FROM alerts WHERE state = 'pending' AND next_attempt_at <= ? "
                                 "ORDER BY next_attempt_at LIMIT ?"));
    s.Bind(1, now).Bind(2, limit);
    while (true) {
      FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      due.push_back(ReadAlert(s));
    }
  }
  std::vector<Alert> claimed;
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement claim, db_.Prepare("UPDATE alerts SET next_attempt_at = ? WHERE alert_id = ? AND "
                                   "state = 'pending' AND next_attempt_at = ?"));
  for (Alert& a : due) {
    claim.Reset();
    FEEDBACK_RETURN_IF_ERROR(
        claim.Bind(1, now + lease_ms).Bind(2, a.alert_id).Bind(3, a.next_attempt_at).Run());
    if (db_.Changes() == 1) claimed.push_back(std::move(a));
  }
  return claimed;
}

Status SqliteCentralStore::FinishAlert(const std::string& alert_id, bool sent,
                                       const std::string& error, std::optional<TimeMs> retry_at,
                                       TimeMs now) {
  const std::string state = sent ? "sent" : (retry_at ? "pending" : "failed");
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      db_.Prepare("UPDATE alerts SET state = ?, attempts = attempts + 1, last_error = ?, "
                  "next_attempt_at = COALESCE(?, next_attempt_at), sent_at = ? "
                  "WHERE alert_id = ?"));
  std::optional<TimeMs> sent_at;
  if (sent) sent_at = now;
  return s.Bind(1, state)
      .Bind(2, error.substr(0, 500))
      .Bind(3, retry_at)
      .Bind(4, sent_at)
      .Bind(5, alert_id)
      .Run();
}

Result<std::vector<Alert>> SqliteCentralStore::ListAlerts(int limit) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement s,
                            db_.Prepare("SELECT " + std::string(kAlertColumns) +
                                        " FROM alerts ORDER BY created_at DESC, alert_id LIMIT ?"));
  s.Bind(1, limit);
  std::vector<Alert> out;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadAlert(s));
  }
  return out;
}

}  // namespace feedback::central
