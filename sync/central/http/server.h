// http::Server: feedback-central's event-driven HTTP/1.1 and HTTPS front, on
// Boost.Asio + Boost.Beast with OpenSSL.
//
// Every connection is read on the I/O thread(s) without blocking anything:
// an idle, slow or hostile client costs a socket and a small buffer, never a
// worker. A request goes to the bounded worker pool only once it is read
// completely within its limits (ServerLimits: head size and field count, body
// size per path in every encoding, head and body deadlines, keep-alive idle
// time and request count, connections per client address and in total, TLS
// handshake deadline). Requests on the fair path (batch ingest) queue per
// device key and are served round-robin (WorkQueue); beyond their bounds they
// are answered 429 with Retry-After at once.
//
// HTTPS offers TLS 1.2 (ECDHE with AES-GCM or ChaCha20-Poly1305 only) and
// TLS 1.3, and every HTTPS answer carries Strict-Transport-Security.
//
// Threading: Run() blocks the calling thread until Stop(); Stop() may be
// called from any thread (a signal thread). dispatch runs on worker threads,
// several at once; it must be thread-safe and must not throw (a throw is
// answered 500). The Server owns its sockets and threads; Create's caller
// owns the Server.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "sync/central/http/http_message.h"

namespace feedback::central::http {

struct ServerLimits {
  size_t max_header_bytes = 16 * 1024;  // request line + fields (431 beyond)
  size_t max_header_fields = 64;        // (431 beyond)
  size_t default_body_bytes = 64 * 1024;
  // Exact paths with their own body limit (e.g. batches: 1 MiB + envelope).
  std::vector<std::pair<std::string, size_t>> body_bytes_by_path;
  // The whole head within this time from its first byte (from accept for a
  // connection's first request): 408 and close beyond.
  std::chrono::milliseconds header_timeout{10'000};
  // The whole body within this time after the head: 408 and close beyond
  // (a minimum rate of limit / timeout, ~35 KiB/s for a full batch).
  std::chrono::milliseconds body_timeout{30'000};
  // A kept-alive connection waiting for its next request is closed after this.
  std::chrono::milliseconds idle_timeout{15'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds tls_handshake_timeout{10'000};
  int max_requests_per_connection = 100;
  // Beyond either cap a new connection is closed at accept, before any read.
  int max_connections = 4096;
  int max_connections_per_address = 256;
  // Worker pool and its queues.
  int worker_threads = 8;
  int io_threads = 1;
  size_t max_queued_requests = 1024;  // 503 beyond
  // Fair queueing: requests to fair_path queue per value of fair_key_header.
  std::string fair_path;
  std::string fair_key_header;
  size_t max_fair_queued_per_key = 4;  // 429 beyond
  size_t max_fair_queued = 256;        // 429 beyond
  int max_fair_running = 2;            // fair requests handled at once
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (see port())
  bool tls = false;
  std::string cert_file;  // PEM certificate chain (tls)
  std::string key_file;   // PEM private key (tls)
  std::string hsts = "max-age=31536000";
  ServerLimits limits;
};

using Dispatch = std::function<Response(const Request&)>;

class Server {
 public:
  // Loads the TLS material; fails with a message naming the file and the fix.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, Dispatch dispatch);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; afterwards port() is the real port.
  Status Bind();
  // Serves until Stop(). Bind() first.
  Status Run();
  void Stop();

  int port() const;

  struct Counters {
    int open_connections = 0;
    long long refused_connections = 0;  // over a connection cap, closed at accept
    size_t fair_queued = 0;             // fair-path requests waiting for a worker
  };
  Counters counters() const;

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace feedback::central::http
