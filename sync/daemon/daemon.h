// The `feedback-sync` commands as library functions, so main.cpp stays a thin
// list of steps: RunDaemon wires config, key, capture store, the pinned curl
// transport and the SyncEngine together; ParseDuration reads "30s"-style
// flags. Threading: called from main's thread; the StopSignal may be fired
// from the signal thread.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "daemon/stop_signal.h"

namespace feedback::sync {

struct DaemonOptions {
  std::string device_config;  // DIR/device.json
  TimeMs interval_ms = 30'000;
  TimeMs connect_timeout_ms = 5'000;
  TimeMs request_timeout_ms = 30'000;
  size_t max_records_per_batch = 1000;
  TimeMs max_backoff_ms = 5 * 60'000;  // cap of the transient retry wait
  bool once = false;                   // drain + pull once, then exit
};

// "250ms", "30s", "5m", "1h", or plain seconds. InvalidArgument otherwise.
Result<TimeMs> ParseDuration(std::string_view text);

// Runs until stop fires (or once). Returns the process exit code: 0 clean
// stop (or, with once, everything delivered and state pulled), 1 sync did not
// complete (once), 2 the device cannot run (config, key, store, lock).
int RunDaemon(const DaemonOptions& options, StopSignal& stop);

}  // namespace feedback::sync
