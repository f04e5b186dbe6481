// StopSignal: how the daemon's signal thread tells the sync loop to shut down.
// RequestStop() wakes any WaitFor() at once; a transfer that is in flight is
// allowed to finish for a grace period and is abandoned after it (the curl
// transport polls AbortTransfers() from its progress callback), so SIGTERM
// always ends the process within a bounded time.
//
// Threading: every method is safe to call from any thread. Not copyable; the
// owner (main) must outlive every borrower (transport, sync loop).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/clock.h"

namespace feedback::sync {

class StopSignal {
 public:
  explicit StopSignal(TimeMs grace_ms = 5'000) : grace_ms_(grace_ms) {}
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  void RequestStop();
  bool stop_requested() const { return stop_.load(std::memory_order_acquire); }
  // True once a stop was requested more than the grace period ago.
  bool AbortTransfers() const;
  // Sleeps up to ms; returns true if a stop was requested (at once or meanwhile).
  bool WaitFor(TimeMs ms);

 private:
  using SteadyClock = std::chrono::steady_clock;
  const TimeMs grace_ms_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> stop_at_ns_{0};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace feedback::sync
