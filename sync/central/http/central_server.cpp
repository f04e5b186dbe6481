#include "sync/central/http/central_server.h"

#include <httplib.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocol/limits.h"
#include "protocol/messages.h"

namespace feedback::central {
namespace {

constexpr char kJson[] = "application/json";
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void Send(httplib::Response& res, const ApiResponse& a) {
  res.status = a.status;
  if (a.retry_after_s > 0) res.set_header("Retry-After", std::to_string(a.retry_after_s));
  res.set_content(a.body, kJson);
}

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

std::string MimeTypeFor(const std::string& path) {
  const size_t dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  static const std::pair<const char*, const char*> kTypes[] = {
      {"html", "text/html; charset=utf-8"},  {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
      {"svg", "image/svg+xml"},               {"png", "image/png"},
      {"jpg", "image/jpeg"},                  {"jpeg", "image/jpeg"},
      {"ico", "image/x-icon"},                {"woff2", "font/woff2"},
      {"woff", "font/woff"},                  {"ttf", "font/ttf"},
      {"json", "application/json"},           {"map", "application/json"},
      {"txt", "text/plain; charset=utf-8"}};
  for (const auto& [e, t] : kTypes) {
    if (ext == e) return t;
  }
  return "application/octet-stream";
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
  std::unique_ptr<CentralServer> s(new CentralServer(options, api, pool, dashboard));
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
  s->InstallRoutes();
  return s;
}

void CentralServer::InstallRoutes() {
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

  srv.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":true})", kJson);
  });

  srv.Post(std::string(protocol::kEnrollPath),
           [this](const httplib::Request& req, httplib::Response& res) {
             Result<CentralStorePool::Lease> store = pool_.Acquire();
             if (!store.ok()) {
               Send(res, ApiResponse::Error(
                             503, "central store unavailable: " + store.status().message(), 5));
               return;
             }
             ApiResponse a = api_.Enroll(**store, req.body);
             if (!a.log_note.empty()) spdlog::info("enroll: {}", a.log_note);
             Send(res, a);
           });

  srv.Post(std::string(protocol::kBatchesPath), [this](const httplib::Request& req,
                                                       httplib::Response& res) {
    if (req.get_header_value("Content-Type") != protocol::kBatchContentType) {
      Send(res, ApiResponse::Error(
                    400, "Content-Type must be " + std::string(protocol::kBatchContentType)));
      return;
    }
    // Bounded ingest concurrency: the store serializes writers anyway,
    // so more parallel batches would only queue on its lock.
    if (ingests_in_flight_.fetch_add(1) >= options_.max_concurrent_ingests) {
      ingests_in_flight_.fetch_sub(1);
      Send(res, ApiResponse::Error(429,
                                   "central store is busy ingesting; retry after "
                                   "the Retry-After delay",
                                   1));
      return;
    }
    struct Release {
      std::atomic<int>& n;
      ~Release() { n.fetch_sub(1); }
    } release{ingests_in_flight_};
    const auto start = std::chrono::steady_clock::now();
    Result<CentralStorePool::Lease> store = pool_.Acquire();
    if (!store.ok()) {
      Send(res,
           ApiResponse::Error(503, "central store unavailable: " + store.status().message(), 5));
      return;
    }
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
    Send(res, a);
  });

  srv.Get(std::string(protocol::kDeviceStatePath),
          [this](const httplib::Request& req, httplib::Response& res) {
            Result<CentralStorePool::Lease> store = pool_.Acquire();
            if (!store.ok()) {
              Send(res, ApiResponse::Error(
                            503, "central store unavailable: " + store.status().message(), 5));
              return;
            }
            SignedHeaders h{req.get_header_value(std::string(protocol::kDeviceHeader).c_str()),
                            req.get_header_value(std::string(protocol::kTimestampHeader).c_str()),
                            req.get_header_value(std::string(protocol::kSignatureHeader).c_str())};
            ApiResponse a = api_.DeviceState(**store, req.method, req.path, h);
            if (a.status != 200) spdlog::warn("device state refused {}: {}", a.status, a.log_note);
            Send(res, a);
          });

  // The dashboard: static pages and the JSON API (docs/dashboard-api.md).
  srv.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/dashboard/");
  });
  srv.Get(R"(/dashboard(/.*)?)", [this](const httplib::Request& req, httplib::Response& res) {
    std::string rel = req.path.size() > 10 ? req.path.substr(11) : "";
    if (req.path == "/dashboard") {
      res.set_redirect("/dashboard/");
      return;
    }
    std::optional<std::string> file = ResolveStaticPath(options_.dashboard_dir, rel);
    if (!file) {
      res.status = 404;
      res.set_content(protocol::ErrorJson("no such page"), kJson);
      return;
    }
    std::ifstream in(*file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    res.set_content(ss.str(), MimeTypeFor(*file).c_str());
  });
  auto dashboard_api = [this](const httplib::Request& req, httplib::Response& res) {
    if (dashboard_ == nullptr) {
      res.status = 404;
      res.set_content(protocol::ErrorJson("no such endpoint"), kJson);
      return;
    }
    Result<CentralStorePool::Lease> store = pool_.Acquire();
    if (!store.ok()) {
      Send(res, ApiResponse::Error(503, "central store unavailable: " + store.status().message(),
                                   5));
      return;
    }
    DashboardRequest d;
    d.method = req.method;
    d.path = req.path;
    for (const auto& [k, v] : req.params) d.params.emplace(k, v);
    d.body = req.body;
    d.content_type = req.get_header_value("Content-Type");
    d.cookie = req.get_header_value("Cookie");
    d.csrf_header = req.get_header_value("X-CSRF-Token");
    d.remote_ip = req.remote_addr;
    DashboardResponse r = dashboard_->Handle(**store, d);
    res.status = r.status;
    for (const auto& [k, v] : r.headers) {
      if (k == "Set-Cookie") {
        res.headers.emplace(k, v);
      } else {
        res.set_header(k.c_str(), v);
      }
    }
    res.set_content(r.body, r.content_type.c_str());
    if (!r.log_note.empty() && r.status < 400 && req.method != "GET") {
      spdlog::info("dashboard: {}", r.log_note);
    }
  };
  srv.Get(R"(/api/(?!v1/).*)", dashboard_api);
  srv.Post(R"(/api/(?!v1/).*)", dashboard_api);
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
  if (!server_->listen_after_bind()) {
    return Status::Unavailable("the HTTP server stopped with an error");
  }
  return Status::Ok();
}

void CentralServer::Stop() { server_->stop(); }

}  // namespace feedback::central
