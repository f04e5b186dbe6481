#include "sync/central/http/responses.h"

#include <string>

#include "protocol/messages.h"

namespace feedback::central::http {

int HttpStatusOf(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kUnauthenticated:
      return 401;
    case Status::Code::kPermissionDenied:
      return 403;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kAlreadyExists:
    case Status::Code::kConflict:
      return 409;
    case Status::Code::kResourceExhausted:
      return 429;
    case Status::Code::kUnavailable:
    case Status::Code::kBusy:
    case Status::Code::kIoError:
    case Status::Code::kDiskFull:
    case Status::Code::kReadOnly:
      return 503;
    default:
      return 500;
  }
}

Response ErrorResponse(int status, std::string_view message) {
  Response r = Response::Json(status, protocol::ErrorJson(message));
  r.log_note = std::string(message);
  return r;
}

Response StatusResponse(const Status& status) {
  const int code = HttpStatusOf(status.code());
  if (code != 503) return ErrorResponse(code, status.message());
  Response r = ErrorResponse(503, "central store unavailable: " + status.message());
  r.headers.emplace_back("Retry-After", std::to_string(kStoreRetryAfterSeconds));
  return r;
}

Response WithStore(CentralStorePool& pool, const std::function<Response(CentralStore&)>& handler) {
  Result<CentralStorePool::Lease> store = pool.Acquire();
  if (!store.ok()) {
    Response r = ErrorResponse(503, "central store unavailable: " + store.status().message());
    r.headers.emplace_back("Retry-After", std::to_string(kStoreRetryAfterSeconds));
    return r;
  }
  return handler(**store);
}

}  // namespace feedback::central::http
