// DeviceRoutes: the device endpoints of docs/protocol.md as route-table
// entries - POST /api/v1/enroll, POST /api/v1/batches (Content-Type checked;
// how many run at once, fairly between devices, is the HTTP server's fair
// queue: ServerLimits::max_fair_running and its bounds), GET
// /api/v1/device/state - each with a store leased from the pool, answered by
// DeviceApi, and logged in one line without secrets.
//
// Threading: the routes may run on many request threads at once. Borrows the
// DeviceApi and the pool; must outlive the route table it filled.
#pragma once

#include "sync/central/http/route_table.h"
#include "sync/central/ingest/device_api.h"
#include "sync/central/store/store_pool.h"

namespace feedback::central::http {

// The answer of a device endpoint as an HTTP response (Retry-After when set).
Response ToResponse(const ApiResponse& answer);

class DeviceRoutes {
 public:
  DeviceRoutes(DeviceApi& api, CentralStorePool& pool) : api_(api), pool_(pool) {}

  void AddTo(RouteTable& routes);

 private:
  Response Enroll(const Request& request);
  Response Batches(const Request& request);
  Response State(const Request& request);

  DeviceApi& api_;
  CentralStorePool& pool_;
};

}  // namespace feedback::central::http
