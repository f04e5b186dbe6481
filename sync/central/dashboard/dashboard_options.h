// DashboardOptions: the dashboard API's session and login settings. Plain value.
#pragma once

#include "core/clock.h"

namespace feedback::central {

struct DashboardOptions {
  bool secure_cookie = true;  // false only on the plain-HTTP loopback test mode
  TimeMs session_ttl_ms = 12LL * 3600 * 1000;
  TimeMs session_idle_ms = 2LL * 3600 * 1000;
  int max_login_failures = 5;
  TimeMs lockout_ms = 15LL * 60 * 1000;
};

inline constexpr char kSessionCookie[] = "fc_session";

}  // namespace feedback::central
