// Hero stories: GET /api/stories (the moderation list), GET /api/stories/wall
// (the published wall of a site or team), POST /api/stories/{id}/moderate.
#include <algorithm>
#include <cstdlib>

#include "sync/central/dashboard/csv_export.h"
#include "sync/central/dashboard/endpoints.h"

namespace feedback::central::dashboard {

http::Response ListStories(Call& call) {
  CentralStore& store = call.store;
  const auto names = SiteNames(store);
  Result<DashboardFilter> f = MakeFilter(store, call.user, call.request, call.now, false);
  if (!f.ok()) return FromStatus(f.status());
  std::string state = call.Param("state");
  if (state == "all") state.clear();
  if (!state.empty() && state != "new" && state != "published" && state != "hidden") {
    return Error(400, "state must be new, published, hidden or all");
  }
  const int limit = std::clamp(std::atoi(call.Param("limit").c_str()), 0, 500);
  const int offset = std::max(0, std::atoi(call.Param("offset").c_str()));
  Result<StoryPage> page =
      store.ListStories(*f, state, call.Param("limit").empty() ? 100 : limit, offset);
  if (!page.ok()) return FromStatus(page.status());
  if (call.csv()) {
    std::vector<std::vector<std::string>> rows;
    for (const HeroStory& h : page->stories) {
      rows.push_back({h.story_id, h.site_id, h.team, h.channel, h.staff_id, h.staff_name, h.story,
                      h.state, FormatIso8601(h.submitted_at)});
    }
    return Csv("stories", {"story_id", "site_id", "team", "channel", "staff_id", "staff_name",
                           "story", "state", "submitted_at"},
               rows);
  }
  json list = json::array();
  for (const HeroStory& h : page->stories) list.push_back(StoryJson(h, names));
  return Json({{"total", page->total},
               {"counts",
                {{"new", page->count_new},
                 {"published", page->count_published},
                 {"hidden", page->count_hidden}}},
               {"stories", list}});
}

http::Response StoryWall(Call& call) {
  CentralStore& store = call.store;
  const auto names = SiteNames(store);
  const std::string site = call.Param("site");
  const std::string team = call.Param("team");
  if (site.empty() && team.empty()) return Error(400, "the wall needs site=... or team=...");
  Result<DashboardFilter> f = MakeFilter(store, call.user, call.request, call.now, false);
  if (!f.ok()) return FromStatus(f.status());
  const int limit = call.Param("limit").empty()
                        ? 50
                        : std::clamp(std::atoi(call.Param("limit").c_str()), 0, 500);
  Result<StoryPage> page = store.ListStories(*f, "published", limit, 0);
  if (!page.ok()) return FromStatus(page.status());
  json list = json::array();
  for (const HeroStory& h : page->stories) list.push_back(StoryJson(h, names));
  return Json({{"site", site.empty() ? json(nullptr) : json(site)},
               {"team", team.empty() ? json(nullptr) : json(team)},
               {"stories", list}});
}

http::Response ModerateStory(Call& call) {
  CentralStore& store = call.store;
  const auto names = SiteNames(store);
  const std::string id = call.Path("id");
  Result<HeroStory> h = store.GetStory(id);
  if (!h.ok() || !InScope(call.user, h->site_id, h->team)) return Error(404, "no such hero story");
  json body;
  if (!ParseBody(call.request, &body)) return Error(400, "the body must be a JSON object");
  const std::optional<std::string> state = BodyString(body, "state");
  if (!state || (*state != "new" && *state != "published" && *state != "hidden")) {
    return Error(400, "state must be published, hidden or new");
  }
  if (Status s = store.ModerateStory(id, *state, call.user.username, call.now); !s.ok()) {
    return FromStatus(s);
  }
  Result<HeroStory> after = store.GetStory(id);
  if (!after.ok()) return FromStatus(after.status());
  http::Response r = Json(StoryJson(*after, names));
  r.log_note = "story " + id + " -> " + *state + " by " + call.user.username;
  return r;
}

}  // namespace feedback::central::dashboard
