#include "sync/central/http/central_server.h"

#include <httplib.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>

#include "protocol/limits.h"
#include "protocol/messages.h"

namespace feedback::central {
namespace {

constexpr char kJson[] = "application/json";
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

std::string ErrorText(int status) {
  switch (status) {
    case 400:
      return "malformed request";
    case 404:
      return "no such endpoint";
    case 405:
      return "method not allowed on this endpoint";
    case 413:
      return "request body larger than the limit of " + std::to_string(protocol::kMaxBatchBytes) +
             " bytes: send fewer records per batch";
    case 429:
      return "too many requests: retry after the Retry-After delay";
    case 503:
      return "central store unavailable: retry with backoff";
    default:
      return "request failed with HTTP " + std::to_string(status);
  }
}

http::Request ToRequest(const httplib::Request& req) {
  http::Request r;
  r.method = req.method;
  r.target = req.target;
  r.path = req.target.substr(0, req.target.find('?'));
  for (const auto& [k, v] : req.params) r.query.emplace_back(k, v);
  for (const auto& [k, v] : req.headers) {
    std::string name = k;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), v);
  }
  r.body = req.body;
  r.remote_ip = req.remote_addr;
  return r;
}

void Send(const http::Response& r, httplib::Response& res) {
  res.status = r.status;
  for (const auto& [k, v] : r.headers) {
    if (k == "Set-Cookie") {
      res.headers.emplace(k, v);
    } else {
      res.set_header(k.c_str(), v);
    }
  }
  if (!r.body.empty() || !r.content_type.empty()) res.set_content(r.body, r.content_type.c_str());
}

// Request body size limit per path, checked from Content-Length before the body is read.
size_t BodyLimit(const std::string& path) {
  if (path == protocol::kBatchesPath) return protocol::kMaxBatchBytes;
  return protocol::kMaxJsonBodyBytes;
}

}  // namespace

Result<std::pair<std::string, int>> ParseListenAddress(std::string_view text) {
  std::string host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Status::InvalidArgument("--listen '" + std::string(text) +
                                     "' must look like [::1]:8443");
    }
    host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Status::InvalidArgument("--listen '" + std::string(text) +
                                     "' must look like 127.0.0.1:8443 (HOST:PORT)");
    }
    host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  int port = 0;
  if (port_text.empty() || port_text.size() > 5) {
    return Status::InvalidArgument("--listen port must be a number from 0 to 65535");
  }
  for (char c : port_text) {
    if (c < '0' || c > '9') return Status::InvalidArgument("--listen port must be a number");
    port = port * 10 + (c - '0');
  }
  if (port > 65535) return Status::InvalidArgument("--listen port must be at most 65535");
  return std::make_pair(host, port);
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host.substr(0, 4) == "127.";
}

CentralServer::CentralServer(ServerOptions options, DeviceApi& api, CentralStorePool& pool)
    : options_(std::move(options)), device_routes_(api, pool, options_.max_concurrent_ingests) {}

CentralServer::~CentralServer() = default;

Result<std::unique_ptr<CentralServer>> CentralServer::Create(const ServerOptions& options,
                                                             DeviceApi& api,
                                                             CentralStorePool& pool,
                                                             DashboardApi* dashboard) {
  if (options.insecure_http && !IsLoopbackHost(options.host)) {
    return Status::PermissionDenied(
        "--insecure-http-loopback is only allowed on a loopback address (127.0.0.1, ::1, "
        "localhost), not '" +
        options.host + "'; drop the flag to serve HTTPS");
  }
  std::unique_ptr<CentralServer> s(new CentralServer(options, api, pool));
  if (options.insecure_http) {
    s->server_ = std::make_unique<httplib::Server>();
  } else {
    for (const std::string& f : {options.cert_file, options.key_file}) {
      if (!std::filesystem::exists(f)) {
        return Status::NotFound(f +
                                " is missing; run `feedback-central init` for this data "
                                "directory");
      }
    }
    auto ssl =
        std::make_unique<httplib::SSLServer>(options.cert_file.c_str(), options.key_file.c_str());
    if (!ssl->is_valid()) {
      return Status::CryptoError("cannot load the TLS certificate " + options.cert_file +
                                 " and key " + options.key_file +
                                 " (are they a matching PEM pair?)");
    }
    // TLS 1.2 or newer whatever the system's OpenSSL configuration says.
    if (SSL_CTX_set_min_proto_version(ssl->ssl_context(), TLS1_2_VERSION) != 1) {
      return Status::CryptoError("cannot require TLS 1.2 or newer on the HTTPS server");
    }
    s->server_ = std::move(ssl);
  }
  const int threads = options.worker_threads;
  s->server_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  s->server_->set_payload_max_length(protocol::kMaxBatchBytes);
  s->server_->set_read_timeout(10, 0);
  s->server_->set_write_timeout(10, 0);
  s->server_->set_keep_alive_max_count(100);
  // cpp-httplib writes an answer's head and body in two sends: with Nagle on,
  // the body waited for the client's delayed ACK (~40 ms per batch on loopback).
  s->server_->set_tcp_nodelay(true);
  s->InstallRoutes(pool, dashboard);
  return s;
}

void CentralServer::InstallRoutes(CentralStorePool& pool, DashboardApi* dashboard) {
  device_routes_.AddTo(routes_);
  if (dashboard != nullptr) dashboard->AddRoutes(routes_, pool);
  AddStaticRoutes(routes_, options_.dashboard_dir);

  httplib::Server& srv = *server_;

  // Security headers on every answer (dashboard pages, API, device API).
  srv.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    if (!res.has_header("Cache-Control")) {
      res.set_header("Cache-Control",
                     req.path.rfind("/dashboard", 0) == 0 ? "no-cache" : "no-store");
    }
  });

  // Refuse oversized bodies from their Content-Length before reading them.
  srv.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.has_header("Content-Length")) {
      const std::string cl = req.get_header_value("Content-Length");
      const size_t limit = BodyLimit(req.path);
      bool too_big = cl.size() > 12;
      if (!too_big) {
        size_t n = 0;
        for (char c : cl) n = (c >= '0' && c <= '9') ? n * 10 + static_cast<size_t>(c - '0') : n;
        too_big = n > limit;
      }
      if (too_big) {
        res.status = 413;
        res.set_header("Connection", "close");
        res.set_content(
            protocol::ErrorJson("request body larger than the limit of " + std::to_string(limit) +
                                " bytes: send fewer records per batch"),
            kJson);
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  srv.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) res.set_content(protocol::ErrorJson(ErrorText(res.status)), kJson);
  });
  srv.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(protocol::ErrorJson("internal error: " + what), kJson);
      });
  srv.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::info("{} {} {} from {} ({} bytes in, {} out)", req.method, req.path, res.status,
                 req.remote_addr, req.body.size(), res.body.size());
  });

  // Every request of every method goes to the route table (404 / 405 are its).
  auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
    Send(routes_.Dispatch(ToRequest(req)), res);
  };
  srv.Get(".*", dispatch);  // and HEAD
  srv.Post(".*", dispatch);
  srv.Put(".*", dispatch);
  srv.Patch(".*", dispatch);
  srv.Delete(".*", dispatch);
  srv.Options(".*", dispatch);
}

Status CentralServer::Bind() {
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
    if (port_ <= 0) {
      return Status::Unavailable("cannot listen on " + options_.host +
                                 " (any port): is the address configured on this machine?");
    }
  } else {
    if (!server_->bind_to_port(options_.host, options_.port)) {
      return Status::Unavailable("cannot listen on " + options_.host + ":" +
                                 std::to_string(options_.port) +
                                 ": is the port in use or the address not on this machine?");
    }
    port_ = options_.port;
  }
  return Status::Ok();
}

Status CentralServer::Run() {
  {
    std::lock_guard<std::mutex> lock(run_mu_);
    if (stop_requested_) return Status::Ok();
    run_started_ = true;
  }
  const bool ok = server_->listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(run_mu_);
    run_finished_ = true;
  }
  run_cv_.notify_all();
  if (!ok) return Status::Unavailable("the HTTP server stopped with an error");
  return Status::Ok();
}

void CentralServer::Stop() {
  std::unique_lock<std::mutex> lock(run_mu_);
  stop_requested_ = true;
  if (!run_started_) return;  // Run() sees the flag and never serves
  // Run() has begun but httplib may not have reached its loop yet, where a
  // stop() would be a no-op: call stop() once httplib says it is running (once
  // only - a second stop() on a closed socket asserts in httplib). httplib
  // 0.11 has no readiness callback, so this polls; it lasts microseconds.
  while (!run_finished_ && !server_->is_running()) {
    run_cv_.wait_for(lock, std::chrono::milliseconds(1));
  }
  if (!run_finished_) server_->stop();
  run_cv_.wait(lock, [this] { return run_finished_; });
}

}  // namespace feedback::central
