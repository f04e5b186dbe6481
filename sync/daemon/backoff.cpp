#include "daemon/backoff.h"

#include <algorithm>

namespace feedback::sync {

Backoff::Backoff(BackoffOptions options, uint64_t seed) : options_(options), random_(seed) {
  options_.base_ms = std::max<TimeMs>(options_.base_ms, 1);
  options_.cap_ms = std::max(options_.cap_ms, options_.base_ms);
  options_.floor_ms = std::clamp<TimeMs>(options_.floor_ms, 0, options_.base_ms);
}

TimeMs Backoff::CurrentCeiling() const {
  // base * 2^failures without overflow: stop doubling once the cap is reached.
  TimeMs ceiling = options_.base_ms;
  for (int i = 0; i < failures_ && ceiling < options_.cap_ms; ++i) ceiling *= 2;
  return std::min(ceiling, options_.cap_ms);
}

TimeMs Backoff::Uniform(TimeMs lo, TimeMs hi) {
  if (hi <= lo) return lo;
  std::uniform_int_distribution<TimeMs> dist(lo, hi);
  return dist(random_);
}

TimeMs Backoff::NextTransientDelay() {
  const TimeMs ceiling = CurrentCeiling();
  if (failures_ < 64) ++failures_;
  return Uniform(options_.floor_ms, ceiling);
}

TimeMs Backoff::NextPermanentDelay() {
  if (failures_ < 64) ++failures_;
  // Jitter of up to 10% so revoked devices do not knock in unison.
  return Uniform(options_.permanent_ms, options_.permanent_ms + options_.permanent_ms / 10);
}

TimeMs Backoff::RetryAfterDelay(int64_t retry_after_seconds) {
  if (failures_ < 64) ++failures_;
  const TimeMs asked =
      std::clamp<TimeMs>(retry_after_seconds, 0, options_.max_retry_after_ms / 1000) * 1000;
  const TimeMs wait = std::max(asked, options_.floor_ms);
  return Uniform(wait, wait + std::min<TimeMs>(wait / 10, 1'000));
}

}  // namespace feedback::sync
