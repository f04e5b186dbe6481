#include "sync/central/http/central_server.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocol/limits.h"
#include "protocol/messages.h"

namespace feedback::central {
namespace {

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

CentralServer::CentralServer(ServerOptions options, DeviceApi& api, CentralStorePool& pool,
                             DashboardApi* dashboard)
    : options_(std::move(options)), api_(api), pool_(pool), dashboard_(dashboard) {}

std::optional<std::string> ResolveStaticPath(const std::string& root, const std::string& rel) {
  if (root.empty()) return std::nullopt;
  if (rel.find('\0') != std::string::npos || rel.find('\\') != std::string::npos ||
      rel.find("//") != std::string::npos || rel.find('%') != std::string::npos) {
    return std::nullopt;
  }
  // Every segment must be a plain name (no "..", no ".", no hidden files).
  size_t pos = 0;
  while (pos < rel.size()) {
    size_t end = rel.find('/', pos);
    if (end == std::string::npos) end = rel.size();
    const std::string part = rel.substr(pos, end - pos);
    if (!part.empty() && part[0] == '.') return std::nullopt;
    pos = end + 1;
  }
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::canonical(root, ec);
  if (ec) return std::nullopt;
  std::filesystem::path p = base / rel;
  if (std::filesystem::is_directory(p, ec)) p /= "index.html";
  const std::filesystem::path real = std::filesystem::canonical(p, ec);
  if (ec || !std::filesystem::is_regular_file(real, ec)) return std::nullopt;
  const std::string b = base.string() + "/";
  if (real.string().rfind(b, 0) != 0) return std::nullopt;
  return real.string();
}

std::optional<std::string> MimeTypeFor(const std::string& path) {
  const size_t dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  // Only what the dashboard is made of; anything else under assets/dashboard
  // (a memo, a source map, a backup) is not served.
  static const std::pair<const char*, const char*> kTypes[] = {
      {"html", "text/html; charset=utf-8"},  {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
      {"svg", "image/svg+xml"},               {"png", "image/png"},
      {"ico", "image/x-icon"},                {"woff2", "font/woff2"},
      {"woff", "font/woff"},                  {"ttf", "font/ttf"}};
  for (const auto& [e, t] : kTypes) {
    if (ext == e) return std::string(t);
  }
  return std::nullopt;
}

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
  std::unique_ptr<CentralServer> s(new CentralServer(options, api, pool, dashboard));
  http::ServerOptions http_options;
  http_options.host = options.host;
  http_options.port = options.port;
  http_options.tls = !options.insecure_http;
  http_options.cert_file = options.cert_file;
  http_options.key_file = options.key_file;
  http_options.limits = options.limits;
  // Bodies: a batch envelope may be 1 MiB + framing, every JSON body 64 KiB.
  http_options.limits.default_body_bytes = protocol::kMaxJsonBodyBytes;
  http_options.limits.body_bytes_by_path = {
      {std::string(protocol::kBatchesPath), protocol::kMaxBatchBytes}};
  // Ingest slots are shared round-robin between devices.
  http_options.limits.fair_path = std::string(protocol::kBatchesPath);
  http_options.limits.fair_key_header = std::string(protocol::kDeviceHeader);
  CentralServer* self = s.get();
  FEEDBACK_ASSIGN_OR_RETURN(
      s->server_, http::Server::Create(std::move(http_options), [self](const http::Request& req) {
        http::Response res = self->Handle(req);
        AddSecurityHeaders(req, res);
        return res;
      }));
  return s;
}

namespace {

http::Response FromApi(const ApiResponse& a) {
  http::Response res = http::Response::Json(a.status, a.body);
  if (a.retry_after_s > 0) res.headers.emplace_back("Retry-After", std::to_string(a.retry_after_s));
  return res;
}

http::Response StoreUnavailable(const Status& s) {
  return FromApi(ApiResponse::Error(503, "central store unavailable: " + s.message(), 5));
}

http::Response Redirect(std::string location) {
  http::Response res;
  res.status = 302;
  res.content_type.clear();
  res.headers.emplace_back("Location", std::move(location));
  return res;
}

http::Response ErrorStatus(int status) {
  return http::Response::Json(status, protocol::ErrorJson(ErrorText(status)));
}

}  // namespace

// Security headers on every answer (dashboard pages, API, device API).
void CentralServer::AddSecurityHeaders(const http::Request& req, http::Response& res) {
  res.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  res.headers.emplace_back("Referrer-Policy", "no-referrer");
  res.headers.emplace_back("X-Frame-Options", "DENY");
  bool has_cache_control = false;
  for (const auto& [k, v] : res.headers) has_cache_control = has_cache_control || k == "Cache-Control";
  if (!has_cache_control) {
    res.headers.emplace_back("Cache-Control",
                             req.path.rfind("/dashboard", 0) == 0 ? "no-cache" : "no-store");
  }
}

http::Response CentralServer::Handle(const http::Request& req) {
  const bool get = req.method == "GET" || req.method == "HEAD";
  const bool post = req.method == "POST";
  if (req.path == "/healthz") return get ? http::Response::Json(200, R"({"ok":true})") : ErrorStatus(405);
  if (req.path == protocol::kEnrollPath) return post ? Enroll(req) : ErrorStatus(405);
  if (req.path == protocol::kBatchesPath) return post ? Batch(req) : ErrorStatus(405);
  if (req.path == protocol::kDeviceStatePath) return get ? DeviceState(req) : ErrorStatus(405);
  if (req.path == "/") return get ? Redirect("/dashboard/") : ErrorStatus(405);
  if (req.path == "/dashboard") return get ? Redirect("/dashboard/") : ErrorStatus(405);
  if (req.path.rfind("/dashboard/", 0) == 0) return get ? StaticFile(req) : ErrorStatus(405);
  if (req.path.rfind("/api/", 0) == 0 && req.path.rfind("/api/v1/", 0) != 0) {
    return get || post ? Dashboard(req) : ErrorStatus(405);
  }
  return ErrorStatus(404);
}

http::Response CentralServer::Enroll(const http::Request& req) {
  Result<CentralStorePool::Lease> store = pool_.Acquire();
  if (!store.ok()) return StoreUnavailable(store.status());
  ApiResponse a = api_.Enroll(**store, req.body);
  if (!a.log_note.empty()) spdlog::info("enroll: {}", a.log_note);
  return FromApi(a);
}

http::Response CentralServer::Batch(const http::Request& req) {
  if (req.Header("Content-Type") != protocol::kBatchContentType) {
    return FromApi(ApiResponse::Error(
        400, "Content-Type must be " + std::string(protocol::kBatchContentType)));
  }
  // How many batches run at once, and fairly between devices, is the HTTP
  // server's fair queue (ServerLimits::max_fair_running and its bounds).
  const auto start = std::chrono::steady_clock::now();
  Result<CentralStorePool::Lease> store = pool_.Acquire();
  if (!store.ok()) return StoreUnavailable(store.status());
  ApiResponse a = api_.Batch(
      **store, ByteView(reinterpret_cast<const uint8_t*>(req.body.data()), req.body.size()));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  if (a.status == 200) {
    spdlog::info("batch: {} ({} ms)", a.log_note, ms);
  } else {
    spdlog::warn("batch refused {}: {} ({} ms)", a.status, a.log_note, ms);
  }
  return FromApi(a);
}

http::Response CentralServer::DeviceState(const http::Request& req) {
  Result<CentralStorePool::Lease> store = pool_.Acquire();
  if (!store.ok()) return StoreUnavailable(store.status());
  SignedHeaders h{std::string(req.Header(protocol::kDeviceHeader)),
                  std::string(req.Header(protocol::kTimestampHeader)),
                  std::string(req.Header(protocol::kSignatureHeader))};
  ApiResponse a = api_.DeviceState(**store, req.method, req.path, h);
  if (a.status != 200) spdlog::warn("device state refused {}: {}", a.status, a.log_note);
  return FromApi(a);
}

// The dashboard: static pages and the JSON API (docs/dashboard-api.md).
http::Response CentralServer::StaticFile(const http::Request& req) {
  const std::string rel = req.path.substr(std::string_view("/dashboard/").size());
  std::optional<std::string> file = ResolveStaticPath(options_.dashboard_dir, rel);
  std::optional<std::string> type = file ? MimeTypeFor(*file) : std::nullopt;
  if (!file || !type) return http::Response::Json(404, protocol::ErrorJson("no such page"));
  std::ifstream in(*file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  http::Response res;
  res.body = ss.str();
  res.content_type = *type;
  return res;
}

http::Response CentralServer::Dashboard(const http::Request& req) {
  if (dashboard_ == nullptr) return http::Response::Json(404, protocol::ErrorJson("no such endpoint"));
  Result<CentralStorePool::Lease> store = pool_.Acquire();
  if (!store.ok()) return StoreUnavailable(store.status());
  DashboardRequest d;
  d.method = req.method == "HEAD" ? "GET" : req.method;
  d.path = req.path;
  for (const auto& [k, v] : req.query) d.params.emplace(k, v);
  d.body = req.body;
  d.content_type = std::string(req.Header("Content-Type"));
  d.cookie = std::string(req.Header("Cookie"));
  d.csrf_header = std::string(req.Header("X-CSRF-Token"));
  d.remote_ip = req.remote_ip;
  DashboardResponse r = dashboard_->Handle(**store, d);
  http::Response res;
  res.status = r.status;
  res.body = std::move(r.body);
  res.content_type = r.content_type;
  for (const auto& [k, v] : r.headers) res.headers.emplace_back(k, v);
  if (!r.log_note.empty() && r.status < 400 && req.method != "GET") {
    spdlog::info("dashboard: {}", r.log_note);
  }
  return res;
}

Status CentralServer::Bind() {
  FEEDBACK_RETURN_IF_ERROR(server_->Bind());
  port_ = server_->port();
  return Status::Ok();
}

Status CentralServer::Run() { return server_->Run(); }

void CentralServer::Stop() { server_->Stop(); }

}  // namespace feedback::central
