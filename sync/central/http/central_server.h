// CentralServer: the HTTP(S) front of feedback-central, a thin adapter that
// puts the one route table (device endpoints: http/device_routes.h; the
// dashboard API: dashboard/dashboard_api.h; static pages:
// http/static_routes.h) on the event-driven http::Server (http/server.h) and
// adds the security headers to every answer. The limits - body per path in
// every encoding, deadlines, connection caps, fair ingest between devices -
// are the http::Server's, set here from protocol/limits.h and
// ServerOptions::limits; it also logs one line per request without secrets.
// HTTPS uses the data directory's certificate; plain HTTP is only possible on
// a loopback address and only when asked for (Create refuses otherwise).
//
// Threading: Run() blocks on the calling thread; the routes run on the
// server's worker pool; Stop() may be called from any thread (e.g. a signal thread),
// at any moment: a Stop() before or while Run() starts makes Run() return.
// Borrows the DeviceApi, the DashboardApi and the pool, which must outlive the
// server.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/result.h"
#include "sync/central/dashboard/dashboard_api.h"
#include "sync/central/http/device_routes.h"
#include "sync/central/http/route_table.h"
#include "sync/central/http/server.h"
#include "sync/central/http/static_routes.h"
#include "sync/central/ingest/device_api.h"
#include "sync/central/store/store_pool.h"

namespace feedback::central {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8443;             // 0: any free port (see port())
  bool insecure_http = false;  // only honoured on a loopback host
  std::string cert_file;
  std::string key_file;
  // Deadlines, caps, worker pool and fair-ingest bounds (body limits and the
  // fair path are set by Create from protocol/limits.h).
  http::ServerLimits limits;
  std::string dashboard_dir;  // static files of the dashboard; empty: not served
};

using http::MimeTypeFor;
using http::ResolveStaticPath;

// "127.0.0.1:8443", "[::1]:8443", "localhost:0" -> host and port.
Result<std::pair<std::string, int>> ParseListenAddress(std::string_view text);
bool IsLoopbackHost(std::string_view host);

class CentralServer {
 public:
  // dashboard may be null (no /api/ dashboard endpoints).
  static Result<std::unique_ptr<CentralServer>> Create(const ServerOptions& options, DeviceApi& api,
                                                       CentralStorePool& pool,
                                                       DashboardApi* dashboard = nullptr);
  ~CentralServer();

  // Binds the listen address; afterwards port() is the real port.
  Status Bind();
  // Serves until Stop(). Bind() first. Returns at once if Stop() came first.
  Status Run();
  // Makes Run() return (requests in progress finish first) and waits until it
  // has; returns at once when Run() has not started (it then never serves).
  void Stop();

  int port() const { return port_; }
  bool tls() const { return !options_.insecure_http; }

 private:
  CentralServer(ServerOptions options, DeviceApi& api, CentralStorePool& pool);
  // Fills the route table.
  void InstallRoutes(CentralStorePool& pool, DashboardApi* dashboard);
  // The route table's answer with the security headers.
  http::Response Dispatch(const http::Request& request) const;

  ServerOptions options_;
  http::DeviceRoutes device_routes_;
  http::RouteTable routes_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
  // Run()/Stop() hand-off: Stop() waits until Run() has returned (issue 14).
  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stop_requested_ = false;  // guarded by run_mu_
  bool run_started_ = false;     // guarded by run_mu_
  bool run_finished_ = false;    // guarded by run_mu_
};

}  // namespace feedback::central
