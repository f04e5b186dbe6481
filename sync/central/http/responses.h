// The answers every handler shares: error bodies, the one map from a Status
// to its HTTP status, and the one lease-or-503 around a store. Every endpoint
// (device, dashboard, static) answers failures through these, so a status
// means the same on every path. Stateless functions, safe from any thread.
#pragma once

#include <functional>
#include <string_view>

#include "core/status.h"
#include "sync/central/http/http_message.h"
#include "sync/central/store/store_pool.h"

namespace feedback::central::http {

// Seconds a client should wait before retrying after a store failure (503).
inline constexpr int kStoreRetryAfterSeconds = 5;

// The HTTP status of a failed Status:
//   kInvalidArgument 400, kUnauthenticated 401, kPermissionDenied 403,
//   kNotFound 404, kAlreadyExists / kConflict 409, kResourceExhausted 429,
//   kUnavailable / kBusy / kIoError / kDiskFull / kReadOnly 503 (the store is
//   not working right now), anything else 500 (a bug or corrupt data: retrying
//   does not help).
int HttpStatusOf(Status::Code code);

// {"error": message} with `status`; the message is also the log note.
Response ErrorResponse(int status, std::string_view message);

// The answer to a failed Status: its status from HttpStatusOf and its message;
// a 503 says "central store unavailable: ..." and carries Retry-After.
Response StatusResponse(const Status& status);

// Runs `handler` with a store leased from `pool` for the length of the call;
// when the pool cannot open one, answers 503 (StatusResponse) instead.
Response WithStore(CentralStorePool& pool, const std::function<Response(CentralStore&)>& handler);

}  // namespace feedback::central::http
