// Transport: the daemon's one I/O edge toward the central store - send one
// HTTP request, get the status and body back. The real implementation is
// CurlTransport (HTTPS with the pinned certificate); tests may run the sync
// loop over it against a local server, or swap in their own.
//
// Failure model (STYLE.md 12): a response with any HTTP status is a value, not
// an error - the caller classifies 4xx/5xx. Send() fails only when no complete
// response arrived: Unavailable for network trouble (refused, reset, timeout,
// truncated body) which the caller retries with backoff; Unauthenticated when
// the server's certificate does not match the pin (never retried quickly);
// InvalidArgument for a URL the transport refuses to use.
//
// Threading: a Transport is used from one thread at a time.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback::sync {

struct HttpRequest {
  std::string method = "GET";  // GET or POST
  std::string path;            // e.g. "/api/v1/batches", appended to the base URL
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;  // POST only
  Bytes body;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::optional<int64_t> retry_after_seconds;  // from a Retry-After header in seconds
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace feedback::sync
