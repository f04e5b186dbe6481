// ApiResponse: what an endpoint answers, independent of the HTTP library: the
// status, a JSON body, Retry-After for 429/503, and a short note for the log
// (never secrets). Plain value.
#pragma once

#include <string>
#include <string_view>

#include "protocol/messages.h"

namespace feedback::central {

struct ApiResponse {
  int status = 200;
  std::string body;
  int retry_after_s = 0;  // sent as Retry-After when > 0
  std::string log_note;   // e.g. "device kiosk-1a2b seq 4: stored 100"

  static ApiResponse Ok(std::string body, std::string note = "") {
    return {200, std::move(body), 0, std::move(note)};
  }
  static ApiResponse Error(int status, std::string_view message, int retry_after_s = 0) {
    return {status, protocol::ErrorJson(message), retry_after_s, std::string(message)};
  }
};

}  // namespace feedback::central
