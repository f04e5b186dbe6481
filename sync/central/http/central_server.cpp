#include "sync/central/http/central_server.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>

#include "protocol/limits.h"
#include "protocol/messages.h"

namespace feedback::central {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

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
    : options_(std::move(options)), device_routes_(api, pool) {}

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
  if (!options.insecure_http) {
    for (const std::string& f : {options.cert_file, options.key_file}) {
      if (!std::filesystem::exists(f)) {
        return Status::NotFound(f +
                                " is missing; run `feedback-central init` for this data "
                                "directory");
      }
    }
  }
  std::unique_ptr<CentralServer> s(new CentralServer(options, api, pool));
  s->InstallRoutes(pool, dashboard);
  http::ServerOptions http_options;
  http_options.host = options.host;
  http_options.port = options.port;
  http_options.tls = !options.insecure_http;
  http_options.cert_file = options.cert_file;
  http_options.key_file = options.key_file;
  http_options.limits = options.limits;
  // Bodies: a batch envelope may be 1 MiB + framing, every other body 64 KiB.
  http_options.limits.default_body_bytes = protocol::kMaxJsonBodyBytes;
  http_options.limits.body_bytes_by_path = {
      {std::string(protocol::kBatchesPath), protocol::kMaxBatchBytes}};
  // Ingest slots are shared round-robin between devices.
  http_options.limits.fair_path = std::string(protocol::kBatchesPath);
  http_options.limits.fair_key_header = std::string(protocol::kDeviceHeader);
  const CentralServer* self = s.get();
  FEEDBACK_ASSIGN_OR_RETURN(
      s->server_,
      http::Server::Create(std::move(http_options),
                           [self](const http::Request& request) { return self->Dispatch(request); }));
  return s;
}

void CentralServer::InstallRoutes(CentralStorePool& pool, DashboardApi* dashboard) {
  device_routes_.AddTo(routes_);
  if (dashboard != nullptr) dashboard->AddRoutes(routes_, pool);
  AddStaticRoutes(routes_, options_.dashboard_dir);
}

http::Response CentralServer::Dispatch(const http::Request& request) const {
  // Every request of every method goes to the route table (404 / 405 are its);
  // HEAD is answered as GET without the body (the server drops it).
  http::Response res;
  if (request.method == "HEAD") {
    http::Request get = request;
    get.method = "GET";
    res = routes_.Dispatch(get);
  } else {
    res = routes_.Dispatch(request);
  }
  // Security headers on every answer (dashboard pages, API, device API).
  res.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  res.headers.emplace_back("Referrer-Policy", "no-referrer");
  res.headers.emplace_back("X-Frame-Options", "DENY");
  bool has_cache_control = false;
  for (const auto& [k, v] : res.headers) has_cache_control = has_cache_control || k == "Cache-Control";
  if (!has_cache_control) {
    res.headers.emplace_back("Cache-Control",
                             request.path.rfind("/dashboard", 0) == 0 ? "no-cache" : "no-store");
  }
  return res;
}

Status CentralServer::Bind() {
  FEEDBACK_RETURN_IF_ERROR(server_->Bind());
  port_ = server_->port();
  return Status::Ok();
}

Status CentralServer::Run() {
  {
    std::lock_guard<std::mutex> lock(run_mu_);
    if (stop_requested_) return Status::Ok();
    run_started_ = true;
  }
  const Status served = server_->Run();
  {
    std::lock_guard<std::mutex> lock(run_mu_);
    run_finished_ = true;
  }
  run_cv_.notify_all();
  return served;
}

void CentralServer::Stop() {
  std::unique_lock<std::mutex> lock(run_mu_);
  stop_requested_ = true;
  if (!run_started_) return;  // Run() sees the flag and never serves
  // http::Server::Stop() holds whenever it comes, even before its loop runs.
  server_->Stop();
  run_cv_.wait(lock, [this] { return run_finished_; });
}

}  // namespace feedback::central
