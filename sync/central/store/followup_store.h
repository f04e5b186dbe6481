// FollowUpStore: the store's role for closing the loop - the follow-ups
// ingest opened for unhappy customers who asked to be contacted, listed
// within a DashboardFilter, noted, assigned and closed. One of the role
// interfaces CentralStore aggregates (central_store.h).
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

struct FollowUpNote {
  TimeMs at = 0;
  std::string by;
  std::string text;
};

struct FollowUp {
  std::string followup_id;
  std::string record_id;
  std::string site_id;
  std::string team;
  std::string reason;
  std::string contact_name, contact_phone, contact_email;
  std::string comment;
  std::string state;
  std::optional<std::string> owner;
  std::optional<TimeMs> due_at;
  TimeMs created_at = 0;
  std::optional<TimeMs> closed_at;
  std::optional<std::string> closed_by;
  std::optional<std::string> close_note;
  std::vector<FollowUpNote> notes;
};

struct FollowUpPage {
  int64_t total = 0;
  int64_t count_open = 0, count_overdue = 0, count_closed = 0;
  std::vector<FollowUp> followups;
};

class FollowUpStore {
 public:
  virtual ~FollowUpStore() = default;

  // state: "open" | "closed" | "" (all). NotFound for an unknown id; Conflict
  // when closing a closed one.
  virtual Result<FollowUpPage> ListFollowUps(const DashboardFilter& filter,
                                             const std::string& state, bool only_overdue,
                                             TimeMs now, int limit, int offset) = 0;
  virtual Result<FollowUp> GetFollowUp(const std::string& followup_id) = 0;
  virtual Status AddFollowUpNote(const std::string& followup_id, const FollowUpNote& note) = 0;
  virtual Status AssignFollowUp(const std::string& followup_id,
                                const std::optional<std::string>& owner,
                                const std::optional<TimeMs>& due_at) = 0;
  virtual Status CloseFollowUp(const std::string& followup_id, const std::string& by,
                               const std::string& note, TimeMs now) = 0;
};

}  // namespace feedback::central
