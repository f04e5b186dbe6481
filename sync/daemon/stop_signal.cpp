#include "daemon/stop_signal.h"

namespace feedback::sync {

void StopSignal::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stop_.load(std::memory_order_relaxed)) {
      stop_at_ns_.store(SteadyClock::now().time_since_epoch().count(), std::memory_order_relaxed);
      stop_.store(true, std::memory_order_release);
    }
  }
  cv_.notify_all();
}

bool StopSignal::AbortTransfers() const {
  if (!stop_requested()) return false;
  const int64_t elapsed_ns =
      SteadyClock::now().time_since_epoch().count() - stop_at_ns_.load(std::memory_order_relaxed);
  return elapsed_ns / 1'000'000 >= grace_ms_;
}

bool StopSignal::WaitFor(TimeMs ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_requested(); });
}

}  // namespace feedback::sync
