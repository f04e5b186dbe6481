// SyncStatus: what `feedback-sync status` (and the apps) report about a
// device's sync health, read from the capture store: backlog, last success,
// last error. A device is unhealthy when the daemon recorded an error, or
// when records have waited longer than max_staleness without a successful
// sync - the "device that silently stopped syncing" an operator must see.
//
// Threading: plain functions over a borrowed store.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "store/capture_store.h"

namespace feedback::sync {

struct SyncStatus {
  int64_t pending = 0;
  int64_t in_flight = 0;
  int64_t acknowledged = 0;
  std::optional<TimeMs> oldest_pending;
  std::optional<TimeMs> last_success;
  std::string last_error;
  bool healthy = true;
  std::string reason;  // why it is unhealthy

  int64_t backlog() const { return pending + in_flight; }
};

Result<SyncStatus> ReadSyncStatus(CaptureStore& store, TimeMs now, TimeMs max_staleness_ms);

// Human-readable, several lines; or one JSON object.
std::string FormatSyncStatus(const SyncStatus& status, TimeMs now);
std::string SyncStatusJson(const SyncStatus& status);

}  // namespace feedback::sync
