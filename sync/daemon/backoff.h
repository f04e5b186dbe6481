// Backoff: how long the sync daemon waits before retrying after a failure.
// Exponential growth from a base delay, capped, with "full jitter" (the wait
// is drawn uniformly from [floor, min(cap, base * 2^failures)]) so a fleet of
// devices that lost the central store at the same moment does not come back
// in lock-step. Permanent refusals (400/401/403) use a separate, long delay:
// the device keeps its records and asks again later, without hammering.
//
// Threading: a Backoff is a small value owned by one thread (the sync loop).
// The random source is seeded at construction so tests are repeatable.
#pragma once

#include <cstdint>
#include <random>

#include "core/clock.h"

namespace feedback::sync {

struct BackoffOptions {
  TimeMs base_ms = 1'000;                   // upper bound of the first retry's wait
  TimeMs cap_ms = 5 * 60'000;               // upper bound of any transient retry's wait
  TimeMs floor_ms = 50;                     // never retry sooner than this
  TimeMs permanent_ms = 15 * 60'000;        // wait after a permanent refusal (400/401/403)
  TimeMs max_retry_after_ms = 60 * 60'000;  // a 429 Retry-After is honoured up to this
};

class Backoff {
 public:
  explicit Backoff(BackoffOptions options = {}, uint64_t seed = std::random_device{}());

  // The wait before the next attempt after one more transient failure.
  TimeMs NextTransientDelay();
  // The wait after a permanent refusal; also counts as a failure.
  TimeMs NextPermanentDelay();
  // The wait the central store asked for with 429 Retry-After (seconds),
  // clamped to [floor, max_retry_after]; a little jitter is added on top so
  // devices told the same value do not all return in the same millisecond.
  TimeMs RetryAfterDelay(int64_t retry_after_seconds);
  // The ceiling the next transient delay is drawn under (for logs and tests).
  TimeMs CurrentCeiling() const;
  // After a success: the next failure starts from the base delay again.
  void Reset() { failures_ = 0; }

  int failures() const { return failures_; }
  const BackoffOptions& options() const { return options_; }

 private:
  TimeMs Uniform(TimeMs lo, TimeMs hi);

  BackoffOptions options_;
  int failures_ = 0;
  std::mt19937_64 random_;
};

}  // namespace feedback::sync
