// CentralServer: the HTTP(S) front of feedback-central on cpp-httplib. Routes
// the device endpoints (docs/protocol.md) to DeviceApi with a store leased
// from the pool per request, refuses bodies over the limit before reading
// them (413, from Content-Length), bounds concurrent ingests (429 with
// Retry-After), and logs one line per request without secrets.
// HTTPS uses the data directory's certificate; plain HTTP is only possible on
// a loopback address and only when asked for (Create refuses otherwise).
//
// Threading: Run() blocks on the calling thread and serves on httplib's
// worker pool; Stop() may be called from any thread (e.g. a signal thread).
// Borrows the DeviceApi and the pool, which must outlive the server.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "sync/central/dashboard/dashboard_api.h"
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

// The file under `root` that a /dashboard/ request path names, or nullopt for
// anything that could leave root (.., //, backslash, NUL, symlinks out).
std::optional<std::string> ResolveStaticPath(const std::string& root, const std::string& rel);
std::string MimeTypeFor(const std::string& path);

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
  void InstallRoutes();

  ServerOptions options_;
  DeviceApi& api_;
  CentralStorePool& pool_;
  DashboardApi* dashboard_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::atomic<int> ingests_in_flight_{0};
};

}  // namespace feedback::central
