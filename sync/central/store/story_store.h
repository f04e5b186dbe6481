// StoryStore: the store's role for hero stories - the stories ingest made
// from hero answers, listed within a DashboardFilter and moderated (new,
// published, hidden). One of the role interfaces CentralStore aggregates
// (central_store.h).
//
// Threading and errors: as CentralStore.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "sync/central/store/dashboard_filter.h"

namespace feedback::central {

struct HeroStory {
  std::string story_id;
  std::string site_id;
  std::string team;
  std::string channel;
  std::string staff_id;
  std::string staff_name;
  std::string story;
  std::string state;
  TimeMs submitted_at = 0;
  std::optional<std::string> moderated_by;
  std::optional<TimeMs> moderated_at;
  std::optional<TimeMs> published_at;
};

struct StoryPage {
  int64_t total = 0;  // matching the state filter
  int64_t count_new = 0, count_published = 0, count_hidden = 0;
  std::vector<HeroStory> stories;
};

class StoryStore {
 public:
  virtual ~StoryStore() = default;

  // state: "new" | "published" | "hidden" | "" (all).
  virtual Result<StoryPage> ListStories(const DashboardFilter& filter, const std::string& state,
                                        int limit, int offset) = 0;
  virtual Result<HeroStory> GetStory(const std::string& story_id) = 0;
  virtual Status ModerateStory(const std::string& story_id, const std::string& state,
                               const std::string& by, TimeMs now) = 0;
};

}  // namespace feedback::central
