// AlertDispatcher: delivers the alerts that ingest queued in the store (table
// `alerts`: a follow-up opened, a device marked possible clone) - e-mail through the site's mail relay (or the
// global smtp_url) with libcurl SMTP, and webhooks as a libcurl HTTP POST of
// JSON - from one background thread, so ingest never waits on a mail server.
// Failed deliveries are retried (1 min, 5 min, 30 min, 2 h, ... up to
// kMaxAttempts). Messages carry a link to the follow-up (or the Devices
// page), never the customer's comment or contact details.
//
// Threading: Start() spawns the thread; Stop() (or the destructor) joins it.
// Borrows the pool and the clock. curl_global_init must have run (main).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "sync/central/store/store_pool.h"

namespace feedback::central {

inline constexpr int kMaxAlertAttempts = 8;

// The message of an alert, built from the follow-up, its site and the rules.
struct AlertMessage {
  std::string subject;
  std::string body;  // e-mail: RFC 5322 text body; webhook: JSON
  std::string link;  // the follow-up in the dashboard
};
AlertMessage BuildEmail(const FollowUp& followup, const Site& site, const AlertRules& rules);
std::string BuildWebhookJson(const FollowUp& followup, const AlertRules& rules);
// The same for a device marked possible clone (Device::possible_clone_*).
AlertMessage BuildCloneEmail(const Device& device, const Site& site, const AlertRules& rules);
std::string BuildCloneWebhookJson(const Device& device, const AlertRules& rules);

// Sends one e-mail / webhook; the error names what failed. Never throws.
Status SendSmtp(const std::string& relay_url, const std::string& from, const std::string& to,
                const AlertMessage& message);
Status PostWebhook(const std::string& url, const std::string& json_body);

class AlertDispatcher {
 public:
  AlertDispatcher(CentralStorePool& pool, const Clock& clock, int poll_ms = 1000)
      : pool_(pool), clock_(clock), poll_ms_(poll_ms) {}
  ~AlertDispatcher() { Stop(); }

  void Start();
  void Stop();
  // Delivers what is due now (also used by tests); returns how many were tried.
  int RunOnce();

 private:
  void Loop();

  CentralStorePool& pool_;
  const Clock& clock_;
  int poll_ms_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace feedback::central
