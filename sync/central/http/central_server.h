// CentralServer: the HTTP(S) front of feedback-central on cpp-httplib, a thin
// adapter: it turns each httplib request into an http::Request, answers it
// from the one route table (device endpoints: http/device_routes.h; the
// dashboard API: dashboard/dashboard_api.h; static pages:
// http/static_routes.h) and copies the http::Response back. Around the table
// it refuses bodies over the limit before reading them (413, from
// Content-Length), adds the security headers to every answer and logs one line
// per request without secrets.
// HTTPS uses the data directory's certificate; plain HTTP is only possible on
// a loopback address and only when asked for (Create refuses otherwise).
//
// Threading: Run() blocks on the calling thread and serves on httplib's
// worker pool; Stop() may be called from any thread (e.g. a signal thread),
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
#include "sync/central/http/static_routes.h"
#include "sync/central/ingest/device_api.h"
#include "sync/central/store/store_pool.h"

namespace httplib {
class Server;
}

namespace feedback::central {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8443;             // 0: any free port (see port())
  bool insecure_http = false;  // only honoured on a loopback host
  std::string cert_file;
  std::string key_file;
  int worker_threads = 8;
  int max_concurrent_ingests = 2;
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
  // Fills the route table and hands every request of every method to it.
  void InstallRoutes(CentralStorePool& pool, DashboardApi* dashboard);

  ServerOptions options_;
  http::DeviceRoutes device_routes_;
  http::RouteTable routes_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  // Run()/Stop() hand-off: httplib ignores stop() until its listen loop has
  // marked itself running, so Stop() alone could be lost (issue 14).
  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stop_requested_ = false;  // guarded by run_mu_
  bool run_started_ = false;     // guarded by run_mu_
  bool run_finished_ = false;    // guarded by run_mu_
};

}  // namespace feedback::central
