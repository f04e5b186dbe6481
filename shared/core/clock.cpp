#include "core/clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace feedback {

TimeMs SystemClock::NowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

int64_t DayNumber(TimeMs t) {
  constexpr int64_t kDayMs = 86'400'000;
  return t >= 0 ? t / kDayMs : (t - kDayMs + 1) / kDayMs;
}

std::string FormatIso8601(TimeMs t) {
  const int64_t day = DayNumber(t);
  const int64_t ms_of_day = t - day * 86'400'000;
  std::time_t secs = static_cast<std::time_t>(day * 86'400 + ms_of_day / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms_of_day % 1000));
  return buf;
}

}  // namespace feedback
