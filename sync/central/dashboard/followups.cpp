// Closing the loop: GET /api/followups (the list), GET /api/followups/{id},
// GET /api/followups/{id}/owners (who it can be assigned to), and POST
// /api/followups/{id}/notes | close | assign.
#include <algorithm>
#include <cstdlib>
#include <functional>

#include "sync/central/dashboard/csv_export.h"
#include "sync/central/dashboard/endpoints.h"

namespace feedback::central::dashboard {
namespace {

// The follow-up of the path's {id} when the caller may see it.
Result<FollowUp> VisibleFollowUp(Call& call) {
  Result<FollowUp> x = call.store.GetFollowUp(call.Path("id"));
  if (!x.ok() || !InScope(call.user, x->site_id, x->team)) {
    return Status::NotFound("no such follow-up");
  }
  return x;
}

// A change of the path's follow-up: checks it is visible and the body is a
// JSON object, runs `change` and answers the follow-up as it is afterwards.
http::Response Change(Call& call, const char* action,
                      const std::function<http::Response(const FollowUp&, const json&,
                                                         Status*)>& change) {
  Result<FollowUp> x = VisibleFollowUp(call);
  if (!x.ok()) return Error(404, x.status().message());
  json body;
  if (!ParseBody(call.request, &body)) return Error(400, "the body must be a JSON object");
  Status st;
  if (http::Response refused = change(*x, body, &st); refused.status != 200) return refused;
  if (!st.ok()) return FromStatus(st);
  Result<FollowUp> after = call.store.GetFollowUp(x->followup_id);
  if (!after.ok()) return FromStatus(after.status());
  http::Response r = Json(FollowUpJson(*after, call.now));
  r.log_note = "follow-up " + x->followup_id + " " + action + " by " + call.user.username;
  return r;
}

}  // namespace

http::Response ListFollowUps(Call& call) {
  CentralStore& store = call.store;
  const TimeMs now = call.now;
  Result<DashboardFilter> f = MakeFilter(store, call.user, call.request, now, false);
  if (!f.ok()) return FromStatus(f.status());
  std::string state = call.Param("state");
  if (state.empty()) state = "open";
  if (state == "all") state.clear();
  if (!state.empty() && state != "open" && state != "closed") {
    return Error(400, "state must be open, closed or all");
  }
  const bool overdue = call.Param("overdue") == "1" || call.Param("overdue") == "true";
  const int limit = call.Param("limit").empty()
                        ? 200
                        : std::clamp(std::atoi(call.Param("limit").c_str()), 0, 500);
  const int offset = std::max(0, std::atoi(call.Param("offset").c_str()));
  Result<FollowUpPage> page = store.ListFollowUps(*f, state, overdue, now, limit, offset);
  if (!page.ok()) return FromStatus(page.status());
  if (call.csv()) {
    std::vector<std::vector<std::string>> rows;
    for (const FollowUp& x : page->followups) {
      const bool od = x.state == "open" && x.due_at && *x.due_at < now;
      rows.push_back({x.followup_id, x.site_id, x.team, x.reason, x.state, x.owner.value_or(""),
                      x.due_at ? FormatIso8601(*x.due_at) : "", od ? "true" : "false",
                      FormatIso8601(x.created_at), x.closed_at ? FormatIso8601(*x.closed_at) : "",
                      x.close_note.value_or("")});
    }
    return Csv("followups", {"followup_id", "site_id", "team", "reason", "state", "owner",
                             "due_at", "overdue", "created_at", "closed_at", "close_note"},
               rows);
  }
  json list = json::array();
  for (const FollowUp& x : page->followups) list.push_back(FollowUpJson(x, now));
  return Json({{"total", page->total},
               {"counts",
                {{"open", page->count_open},
                 {"overdue", page->count_overdue},
                 {"closed", page->count_closed}}},
               {"followups", list}});
}

http::Response GetFollowUp(Call& call) {
  Result<FollowUp> x = VisibleFollowUp(call);
  if (!x.ok()) return Error(404, x.status().message());
  return Json(FollowUpJson(*x, call.now));
}

http::Response FollowUpOwners(Call& call) {
  Result<FollowUp> x = VisibleFollowUp(call);
  if (!x.ok()) return Error(404, x.status().message());
  // Who it can be assigned to: active users who can see it (names and roles only).
  Result<std::vector<User>> users = call.store.ListUsers();
  if (!users.ok()) return FromStatus(users.status());
  json owners = json::array();
  for (const User& o : *users) {
    if (o.disabled || !InScope(o, x->site_id, x->team)) continue;
    owners.push_back({{"username", o.username}, {"role", UserRoleName(o.role)}});
  }
  return Json({{"followup_id", x->followup_id}, {"owners", owners}});
}

http::Response AddFollowUpNote(Call& call) {
  return Change(call, "notes", [&call](const FollowUp& x, const json& body, Status* st) {
    const std::optional<std::string> text = BodyString(body, "text");
    if (!text || text->empty() || text->size() > kMaxNoteLength) {
      return Error(400, "text must be 1 to 2000 characters");
    }
    *st = call.store.AddFollowUpNote(x.followup_id, {call.now, call.user.username, *text});
    return http::Response();
  });
}

http::Response CloseFollowUp(Call& call) {
  return Change(call, "close", [&call](const FollowUp& x, const json& body, Status* st) {
    const std::optional<std::string> note = BodyString(body, "note");
    if (!note || note->empty() || note->size() > kMaxNoteLength) {
      return Error(400, "closing needs a note of 1 to 2000 characters");
    }
    *st = call.store.CloseFollowUp(x.followup_id, call.user.username, *note, call.now);
    return http::Response();
  });
}

http::Response AssignFollowUp(Call& call) {
  return Change(call, "assign", [&call](const FollowUp& x, const json& body, Status* st) {
    std::optional<std::string> owner = BodyString(body, "owner");
    std::optional<TimeMs> due;
    if (std::optional<std::string> d = BodyString(body, "due_at")) {
      due = ParseIsoTime(*d);
      if (!due) return Error(400, "due_at must look like 2024-05-08T12:00:00Z");
    }
    if (!owner && !due) return Error(400, "send owner and/or due_at");
    if (owner) {
      Result<User> o = call.store.GetUser(*owner);
      if (!o.ok() || o->disabled || !InScope(*o, x.site_id, x.team)) {
        return Error(400, "owner must be an active user who can see this follow-up");
      }
    }
    *st = call.store.AssignFollowUp(x.followup_id, owner, due);
    return http::Response();
  });
}

}  // namespace feedback::central::dashboard
