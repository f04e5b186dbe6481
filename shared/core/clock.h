// Clock: the one source of wall-clock time for library code, injected so that
// timeouts, epochs and expiry are testable. Timestamps are milliseconds since
// the Unix epoch (UTC). SystemClock is thread-safe; FakeClock is for tests and
// must be advanced from one thread.
#pragma once

#include <cstdint>
#include <string>

namespace feedback {

using TimeMs = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs NowMs() const override;
  static SystemClock& Instance();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimeMs start = 1'700'000'000'000) : now_(start) {}
  TimeMs NowMs() const override { return now_; }
  void Advance(TimeMs ms) { now_ += ms; }
  void Set(TimeMs ms) { now_ = ms; }

 private:
  TimeMs now_;
};

// "2026-11-23T10:57:51.123Z"
std::string FormatIso8601(TimeMs t);
// The UTC calendar day of t, as days since 1970-01-01.
int64_t DayNumber(TimeMs t);

}  // namespace feedback
