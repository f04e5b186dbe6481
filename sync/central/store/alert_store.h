// AlertStore: the store's role for alerting - the alert rules (one global
// set) and the queue of alert deliveries that ingest fills and the
// AlertDispatcher (alerts/) drains. One of the role interfaces CentralStore
// aggregates (central_store.h).
//
// Threading and errors: as CentralStore.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace feedback::central {

struct AlertRules {
  int nps_max = 6;
  int csat_max = 2;
  std::vector<std::string> words;
  bool email_enabled = true;
  std::string webhook_url;
  std::string smtp_url;
  std::string mail_from = "feedback@localhost";
  std::string dashboard_url;
};

// One queued alert delivery (e-mail or webhook) of one follow-up.
struct Alert {
  std::string alert_id;
  std::string event = "followup.opened";  // or "device.possible_clone"
  std::string followup_id;                // followup.opened
  std::string device_id;                  // device.possible_clone
  std::string kind;    // "email" | "webhook"
  std::string target;  // recipient address or webhook URL
  std::string state;   // "pending" | "sent" | "failed"
  int attempts = 0;
  TimeMs next_attempt_at = 0;
  std::string last_error;
  TimeMs created_at = 0;
  std::optional<TimeMs> sent_at;
};

class AlertStore {
 public:
  virtual ~AlertStore() = default;

  virtual Result<AlertRules> GetAlertRules() = 0;
  virtual Status SetAlertRules(const AlertRules& rules) = 0;
  // Claims up to `limit` pending alerts due at `now` (their next attempt moves
  // to now + lease_ms, so another dispatcher skips them).
  virtual Result<std::vector<Alert>> ClaimDueAlerts(TimeMs now, TimeMs lease_ms, int limit) = 0;
  virtual Status FinishAlert(const std::string& alert_id, bool sent, const std::string& error,
                             std::optional<TimeMs> retry_at, TimeMs now) = 0;
  virtual Result<std::vector<Alert>> ListAlerts(int limit) = 0;
};

}  // namespace feedback::central
