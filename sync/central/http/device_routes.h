// DeviceRoutes: the device endpoints of docs/protocol.md as route-table
// entries - POST /api/v1/enroll, POST /api/v1/batches (Content-Type checked,
// at most max_concurrent_ingests at once: 429 with Retry-After beyond), GET
// /api/v1/device/state - each with a store leased from the pool, answered by
// DeviceApi, and logged in one line without secrets.
//
// Threading: the routes may run on many request threads at once. Borrows the
// DeviceApi and the pool; must outlive the route table it filled.
#pragma once

#include <atomic>

#include "sync/central/http/route_table.h"
#include "sync/central/ingest/device_api.h"
#include "sync/central/store/store_pool.h"

namespace feedback::central::http {

// The answer of a device endpoint as an HTTP response (Retry-After when set).
Response ToResponse(const ApiResponse& answer);

class DeviceRoutes {
 public:
  DeviceRoutes(DeviceApi& api, CentralStorePool& pool, int max_concurrent_ingests)
      : api_(api), pool_(pool), max_concurrent_ingests_(max_concurrent_ingests) {}

  void AddTo(RouteTable& routes);

 private:
  Response Enroll(const Request& request);
  Response Batches(const Request& request);
  Response State(const Request& request);

  DeviceApi& api_;
  CentralStorePool& pool_;
  const int max_concurrent_ingests_;
  std::atomic<int> ingests_in_flight_{0};
};

}  // namespace feedback::central::http
