// DashboardApi: the manager dashboard's JSON API under /api/ (everything but
// the device endpoints) as entries of the route table: login with scrypt and
// a per user+IP rate limit, sessions (cookie, hashed in the store, idle and
// absolute expiry), CSRF tokens on every state change, the caller's scope
// applied to every query, figures computed from the rollups with
// shared/metrics, and CSV export. The contract is docs/dashboard-api.md; the
// endpoints are listed in dashboard_api.cpp and answered by one handler each
// in the file of their page (endpoints.h).
//
// Threading: the routes may run on many request threads at once, each with a
// store of its own from the pool. Borrows the clock; must outlive the route
// table it filled. Never throws: every failure becomes a JSON error answer.
#pragma once

#include <string>

#include "core/clock.h"
#include "sync/central/dashboard/dashboard_common.h"
#include "sync/central/dashboard/dashboard_options.h"
#include "sync/central/dashboard/days.h"
#include "sync/central/http/route_table.h"
#include "sync/central/store/store_pool.h"

namespace feedback::central {

class DashboardApi {
 public:
  DashboardApi(const Clock& clock, DashboardOptions options);

  // Adds every dashboard endpoint to `routes`; each request leases a store
  // from `pool` (503 when it cannot).
  void AddRoutes(http::RouteTable& routes, CentralStorePool& pool) const;

 private:
  enum class Access { kPublic, kSession, kAdmin };
  struct Endpoint {
    const char* method;
    const char* pattern;
    dashboard::Handler handler;
    Access access;
  };
  static const Endpoint kEndpoints[];

  // One request of `endpoint`: checks the session (kSession, kAdmin), the
  // CSRF token and JSON content type (POST) and the role (kAdmin), then runs
  // the handler; an exception becomes a 500.
  http::Response Run(const Endpoint& endpoint, CentralStore& store,
                     const http::Request& request) const;
  http::Response Authenticated(const Endpoint& endpoint, dashboard::Call& call) const;

  dashboard::Context context_;
};

}  // namespace feedback::central
