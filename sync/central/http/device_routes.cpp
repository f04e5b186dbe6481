#include "sync/central/http/device_routes.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include "protocol/limits.h"
#include "sync/central/http/responses.h"

namespace feedback::central::http {

Response ToResponse(const ApiResponse& answer) {
  Response r = Response::Json(answer.status, answer.body);
  if (answer.retry_after_s > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(answer.retry_after_s));
  }
  r.log_note = answer.log_note;
  return r;
}

void DeviceRoutes::AddTo(RouteTable& routes) {
  routes.Add("POST", protocol::kEnrollPath, [this](const Request& r) { return Enroll(r); });
  routes.Add("POST", protocol::kBatchesPath, [this](const Request& r) { return Batches(r); });
  routes.Add("GET", protocol::kDeviceStatePath, [this](const Request& r) { return State(r); });
}

Response DeviceRoutes::Enroll(const Request& request) {
  return WithStore(pool_, [&](CentralStore& store) {
    ApiResponse a = api_.Enroll(store, request.body);
    if (!a.log_note.empty()) spdlog::info("enroll: {}", a.log_note);
    return ToResponse(a);
  });
}

Response DeviceRoutes::Batches(const Request& request) {
  if (request.Header("content-type") != protocol::kBatchContentType) {
    return ErrorResponse(400, "Content-Type must be " + std::string(protocol::kBatchContentType));
  }
  // Bounded ingest concurrency: the store serializes writers anyway, so more
  // parallel batches would only queue on its lock.
  if (ingests_in_flight_.fetch_add(1) >= max_concurrent_ingests_) {
    ingests_in_flight_.fetch_sub(1);
    return ToResponse(ApiResponse::Error(
        429, "central store is busy ingesting; retry after the Retry-After delay", 1));
  }
  struct Release {
    std::atomic<int>& n;
    ~Release() { n.fetch_sub(1); }
  } release{ingests_in_flight_};
  const auto start = std::chrono::steady_clock::now();
  return WithStore(pool_, [&](CentralStore& store) {
    ApiResponse a = api_.Batch(store, AsBytes(request.body));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    if (a.status == 200) {
      spdlog::info("batch: {} ({} ms)", a.log_note, ms);
    } else {
      spdlog::warn("batch refused {}: {} ({} ms)", a.status, a.log_note, ms);
    }
    return ToResponse(a);
  });
}

Response DeviceRoutes::State(const Request& request) {
  return WithStore(pool_, [&](CentralStore& store) {
    SignedHeaders h{std::string(request.Header(protocol::kDeviceHeader)),
                    std::string(request.Header(protocol::kTimestampHeader)),
                    std::string(request.Header(protocol::kSignatureHeader))};
    ApiResponse a = api_.DeviceState(store, request.method, request.path, h);
    if (a.status != 200) spdlog::warn("device state refused {}: {}", a.status, a.log_note);
    return ToResponse(a);
  });
}

}  // namespace feedback::central::http
