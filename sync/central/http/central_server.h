// CentralServer: feedback-central's endpoints on the event-driven http::Server
// (http/server.h). Routes the device endpoints (docs/protocol.md) to
// DeviceApi with a store leased from the pool per request, and the dashboard
// pages and JSON API to DashboardApi; adds the security headers to every
// answer. The limits (body per path in every encoding, deadlines, connection
// caps, fair ingest between devices) are the http::Server's, set here from
// protocol/limits.h and ServerOptions::limits.
// HTTPS uses the data directory's certificate; plain HTTP is only possible on
// a loopback address and only when asked for (Create refuses otherwise).
//
// Threading: Run() blocks on the calling thread; handlers run on the
// server's worker pool; Stop() may be called from any thread (e.g. a signal thread).
// Borrows the DeviceApi and the pool, which must outlive the server.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "sync/central/dashboard/dashboard_api.h"
#include "sync/central/http/server.h"
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

// The file under `root` that a /dashboard/ request path names, or nullopt for
// anything that could leave root (.., //, backslash, NUL, symlinks out).
std::optional<std::string> ResolveStaticPath(const std::string& root, const std::string& rel);
// The Content-Type of a dashboard file, or nullopt for a type the dashboard
// is not made of (e.g. a .md memo): such files are not served.
std::optional<std::string> MimeTypeFor(const std::string& path);

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
  // Serves until Stop(). Bind() first.
  Status Run();
  void Stop();

  int port() const { return port_; }
  bool tls() const { return !options_.insecure_http; }

 private:
  CentralServer(ServerOptions options, DeviceApi& api, CentralStorePool& pool,
                DashboardApi* dashboard);
  http::Response Handle(const http::Request& req);
  http::Response Enroll(const http::Request& req);
  http::Response Batch(const http::Request& req);
  http::Response DeviceState(const http::Request& req);
  http::Response StaticFile(const http::Request& req);
  http::Response Dashboard(const http::Request& req);
  static void AddSecurityHeaders(const http::Request& req, http::Response& res);

  ServerOptions options_;
  DeviceApi& api_;
  CentralStorePool& pool_;
  DashboardApi* dashboard_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
};

}  // namespace feedback::central
