#include "sync/central/http/server.h"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "protocol/messages.h"
#include "sync/central/http/request_parser.h"
#include "sync/central/http/work_queue.h"

namespace feedback::central::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// TLS 1.2 suites offered: forward-secret key exchange and AEAD ciphers only
// (no CBC: Lucky13-style padding oracles). TLS 1.3 suites are all AEAD.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// After an answer that closes the connection, what the client still sends is
// read and dropped for a short while, so the answer is not lost to a reset.
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr size_t kLingerBytes = 1024 * 1024;
// Read buffer beyond the head limit: one chunk header line or one socket read.
constexpr size_t kReadSlack = 64 * 1024;

std::string Seconds(std::chrono::milliseconds d) {
  return std::to_string(d.count() / 1000) + (d.count() % 1000 != 0 ? "." + std::to_string(d.count() % 1000 / 100) : "") + " s";
}

// A header value never carries CR or LF (no response splitting).
std::string HeaderSafe(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c != '\r' && c != '\n') out += c;
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

tcp::socket& Lowest(tcp::socket& s) { return s; }
tcp::socket& Lowest(ssl::stream<tcp::socket>& s) { return s.next_layer(); }

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Writes `response` (on the connection's strand); from any thread.
  virtual void Deliver(Response response) = 0;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Dispatch dispatch)
      : options_(std::move(options)),
        dispatch_(std::move(dispatch)),
        queue_(WorkQueueLimits{options_.limits.max_queued_requests,
                               options_.limits.max_fair_queued_per_key,
                               options_.limits.max_fair_queued,
                               options_.limits.max_fair_running}) {
    parser_limits_.max_header_bytes = options_.limits.max_header_bytes;
    parser_limits_.max_header_fields = options_.limits.max_header_fields;
    parser_limits_.body_limit = [this](std::string_view path) {
      for (const auto& [p, n] : options_.limits.body_bytes_by_path) {
        if (p == path) return n;
      }
      return options_.limits.default_body_bytes;
    };
  }
  ~Impl() { queue_.Shutdown(); }

  Status LoadTls();
  Status Bind();
  Status Run();
  void Stop();

  // Connection accounting (any thread).
  bool AdmitConnection(const std::string& ip);
  void ReleaseConnection(const std::string& ip);

  // A request read completely: queue it for a worker, or answer at once.
  void Submit(const std::shared_ptr<SessionBase>& session, Request request);

  const ServerOptions options_;
  const Dispatch dispatch_;
  ParserLimits parser_limits_;
  std::unique_ptr<ssl::context> ssl_;
  WorkQueue queue_;

  mutable std::mutex conn_mu_;
  std::map<std::string, int> per_address_;
  int open_ = 0;
  long long refused_ = 0;
  Clock::time_point last_refusal_log_{};

  // Declared after everything a session touches in its destructor: the
  // io_context destroys pending handlers (and so sessions) first.
  asio::io_context ioc_;
  tcp::acceptor acceptor_{ioc_};
  asio::steady_timer accept_retry_{ioc_};
  int port_ = 0;
  std::atomic<bool> stopping_{false};

 private:
  void Accept();
  void OnAccept(tcp::socket socket);
};

namespace {

enum class Phase { kHandshake, kIdle, kHead, kBody, kHandling, kWriting, kClosing };

template <class Stream>
class Session final : public SessionBase,
                      public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, ssl::stream<tcp::socket>>;

  Session(Server::Impl& server, tcp::socket socket, std::string ip)
      : server_(server),
        stream_(MakeStream(server, std::move(socket))),
        timer_(Lowest(stream_).get_executor()),
        buffer_(server.options_.limits.max_header_bytes + kReadSlack),
        ip_(std::move(ip)) {}

  ~Session() override { server_.ReleaseConnection(ip_); }

  void Start() {
    if constexpr (kTls) {
      phase_ = Phase::kHandshake;
      Arm(server_.options_.limits.tls_handshake_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->CloseNow();
                                self->ReadRequest(/*first=*/true);
                              });
    } else {
      ReadRequest(/*first=*/true);
    }
  }

  void Deliver(Response response) override {
    asio::post(Lowest(stream_).get_executor(),
               [self = this->shared_from_this(), r = std::move(response)]() mutable {
                 self->Respond(std::move(r));
               });
  }

  // On the strand: writes the answer, then reads the next request or closes.
  void Respond(Response r) {
    const ServerLimits& limits = server_.options_.limits;
    phase_ = Phase::kWriting;
    if (!keep_alive_ || served_ >= limits.max_requests_per_connection ||
        server_.stopping_.load()) {
      close_after_ = true;
    }
    const int code = r.status;
    head_ = "HTTP/1.1 " + std::to_string(code) + " " +
            std::string(bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(code)))) +
            "\r\n";
    if (!r.content_type.empty()) head_ += "Content-Type: " + HeaderSafe(r.content_type) + "\r\n";
    head_ += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    head_ += close_after_ ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    if (kTls && !server_.options_.hsts.empty()) {
      head_ += "Strict-Transport-Security: " + server_.options_.hsts + "\r\n";
    }
    for (const auto& [k, v] : r.headers) {
      if (EqualsIgnoreCase(k, "Content-Length") || EqualsIgnoreCase(k, "Connection") ||
          EqualsIgnoreCase(k, "Transfer-Encoding")) {
        continue;
      }
      head_ += HeaderSafe(k) + ": " + HeaderSafe(v) + "\r\n";
    }
    head_ += "\r\n";
    body_ = method_ == "HEAD" ? std::string() : std::move(r.body);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count();
    spdlog::info("{} {} {} from {} ({} bytes in, {} out, {} ms)", method_.empty() ? "-" : method_,
                 path_.empty() ? "-" : path_, code, ip_, bytes_in_, body_.size(), ms);
    Arm(limits.write_timeout);
    const std::array<asio::const_buffer, 2> out = {asio::buffer(head_), asio::buffer(body_)};
    asio::async_write(stream_, out,
                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->CloseNow();
                        if (self->close_after_) return self->GracefulClose();
                        self->ReadRequest(/*first=*/false);
                      });
  }

 private:
  static Stream MakeStream(Server::Impl& server, tcp::socket socket) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *server.ssl_);
    } else {
      (void)server;
      return socket;
    }
  }

  // One deadline at a time; a newer Arm() or Disarm() makes older ones void.
  void Arm(std::chrono::milliseconds d) {
    const unsigned long long generation = ++timer_generation_;
    timer_.expires_after(d);
    timer_.async_wait([self = this->shared_from_this(), generation](beast::error_code ec) {
      if (ec || generation != self->timer_generation_) return;
      self->OnTimeout();
    });
  }
  void Disarm() {
    ++timer_generation_;
    timer_.cancel();
  }

  void OnTimeout() {
    timed_out_ = true;
    beast::error_code ignored;
    if (phase_ == Phase::kHead || phase_ == Phase::kBody) {
      // The pending read completes with operation_aborted; OnRead answers 408.
      Lowest(stream_).cancel(ignored);
    } else {
      CloseNow();
    }
  }

  void ReadRequest(bool first) {
    const ServerLimits& limits = server_.options_.limits;
    parser_.emplace(server_.parser_limits_);
    continue_sent_ = false;
    timed_out_ = false;
    method_.clear();
    path_.clear();
    bytes_in_ = 0;
    started_ = Clock::now();
    if (first || buffer_.size() > 0) {
      phase_ = Phase::kHead;
      Arm(limits.header_timeout);
    } else {
      phase_ = Phase::kIdle;
      Arm(limits.idle_timeout);
    }
    DoRead();
  }

  void DoRead() {
    bhttp::async_read_some(stream_, buffer_, *parser_,
                           [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                             self->OnRead(ec, n);
                           });
  }

  void OnRead(beast::error_code ec, size_t n) {
    const ServerLimits& limits = server_.options_.limits;
    bytes_in_ += n;
    if (ec == asio::error::operation_aborted && timed_out_) {
      if (phase_ == Phase::kHead) {
        return Reject(408, "the request head did not arrive within " +
                               Seconds(limits.header_timeout) + ": send it at once");
      }
      if (phase_ == Phase::kBody) {
        return Reject(408, "the request body did not arrive within " +
                               Seconds(limits.body_timeout) + ": send it faster or smaller");
      }
      return CloseNow();
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == ssl::error::stream_truncated || ec == asio::error::connection_reset) {
      return CloseNow();
    }
    if (ec && (ec.category() == bhttp::make_error_code(bhttp::error::need_more).category() ||
               ec == bhttp::error::buffer_overflow)) {
      // Capture what the log line needs before the request is dropped.
      method_ = parser_->request().method;
      path_ = parser_->request().path;
      if (ec == bhttp::error::buffer_overflow) {
        return Reject(400, "a request line, header or chunk header longer than " +
                               std::to_string(limits.max_header_bytes + kReadSlack) +
                               " bytes: send a well-formed request");
      }
      return Reject(parser_->RejectStatus(ec), parser_->RejectReason(ec));
    }
    if (ec) return CloseNow();
    if (phase_ == Phase::kIdle && (parser_->got_some() || buffer_.size() > 0)) {
      phase_ = Phase::kHead;
      started_ = Clock::now();
      Arm(limits.header_timeout);
    }
    if (parser_->is_header_done() && phase_ == Phase::kHead) {
      phase_ = Phase::kBody;
      method_ = parser_->request().method;
      path_ = parser_->request().path;
      Arm(limits.body_timeout);
      if (parser_->expects_continue() && !parser_->is_done() && !continue_sent_) {
        continue_sent_ = true;
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                          [self = this->shared_from_this()](beast::error_code wec, size_t) {
                            if (wec) return self->CloseNow();
                            self->DoRead();
                          });
        return;
      }
    }
    if (parser_->is_done()) {
      Disarm();
      phase_ = Phase::kHandling;
      keep_alive_ = parser_->keep_alive();
      ++served_;
      Request request = std::move(parser_->request());
      request.remote_ip = ip_;
      server_.Submit(this->shared_from_this(), std::move(request));
      return;
    }
    DoRead();
  }

  // Answers `status` and closes: the request (or the connection) is unusable.
  void Reject(int status, std::string message) {
    keep_alive_ = false;
    close_after_ = true;
    Respond(Response::Json(status, protocol::ErrorJson(message)));
  }

  void GracefulClose() {
    phase_ = Phase::kClosing;
    Arm(kLingerTime);
    if constexpr (kTls) {
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->CloseNow(); });
    } else {
      beast::error_code ignored;
      Lowest(stream_).shutdown(tcp::socket::shutdown_send, ignored);
      Drain();
    }
  }

  void Drain() {
    Lowest(stream_).async_read_some(
        asio::buffer(drain_),
        [self = this->shared_from_this()](beast::error_code ec, size_t n) {
          self->drained_ += n;
          if (ec || self->drained_ > kLingerBytes) return self->CloseNow();
          self->Drain();
        });
  }

  void CloseNow() {
    Disarm();
    beast::error_code ignored;
    Lowest(stream_).shutdown(tcp::socket::shutdown_both, ignored);
    Lowest(stream_).close(ignored);
  }

  Server::Impl& server_;
  Stream stream_;
  asio::steady_timer timer_;
  unsigned long long timer_generation_ = 0;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  const std::string ip_;
  Phase phase_ = Phase::kIdle;
  bool timed_out_ = false;
  bool continue_sent_ = false;
  bool keep_alive_ = true;
  bool close_after_ = false;
  int served_ = 0;
  // For the log line of the request being answered.
  std::string method_;
  std::string path_;
  size_t bytes_in_ = 0;
  Clock::time_point started_;
  std::string head_;
  std::string body_;
  std::array<char, 16 * 1024> drain_{};
  size_t drained_ = 0;
};

}  // namespace

Status Server::Impl::LoadTls() {
  if (!options_.tls) return Status::Ok();
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  beast::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                   ec);
  SSL_CTX* native = ctx->native_handle();
  if (ec || SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return Status::CryptoError(
        "cannot restrict the HTTPS server to TLS 1.2+ with AEAD suites: is OpenSSL 1.1.1 or "
        "newer installed?");
  }
  SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_NO_COMPRESSION);
  ctx->use_certificate_chain_file(options_.cert_file, ec);
  if (!ec) ctx->use_private_key_file(options_.key_file, ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(native) != 1) {
    return Status::CryptoError("cannot load the TLS certificate " + options_.cert_file +
                               " and key " + options_.key_file +
                               " (are they a matching PEM pair?)");
  }
  ssl_ = std::move(ctx);
  return Status::Ok();
}

Status Server::Impl::Bind() {
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(
      options_.host == "localhost" ? std::string("127.0.0.1") : options_.host, ec);
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  if (ec) {
    return Status::InvalidArgument("cannot listen on " + where +
                                   ": the host must be an IP address such as 0.0.0.0 or ::1");
  }
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + where + " (" + ec.message() +
                               "): is the port in use or the address not on this machine?");
  }
  port_ = acceptor_.local_endpoint(ec).port();
  return Status::Ok();
}

bool Server::Impl::AdmitConnection(const std::string& ip) {
  std::lock_guard<std::mutex> lock(conn_mu_);
  const ServerLimits& limits = options_.limits;
  int& mine = per_address_[ip];
  if (open_ >= limits.max_connections || mine >= limits.max_connections_per_address) {
    if (mine == 0) per_address_.erase(ip);
    ++refused_;
    const Clock::time_point now = Clock::now();
    if (now - last_refusal_log_ > std::chrono::seconds(10)) {
      last_refusal_log_ = now;
      spdlog::warn(
          "refusing connections from {}: {} open in total (cap {}), cap {} per address; {} "
          "refused so far (raise --max-connections / --max-connections-per-address if these "
          "clients are legitimate)",
          ip, open_, limits.max_connections, limits.max_connections_per_address, refused_);
    }
    return false;
  }
  ++mine;
  ++open_;
  return true;
}

void Server::Impl::ReleaseConnection(const std::string& ip) {
  std::lock_guard<std::mutex> lock(conn_mu_);
  auto it = per_address_.find(ip);
  if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
  --open_;
}

void Server::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec,
                                                         tcp::socket socket) {
    if (ec == asio::error::operation_aborted || stopping_.load() || !acceptor_.is_open()) return;
    if (ec) {
      // Out of file descriptors or a transient error: back off a little
      // rather than spin; the caps normally keep us below the fd limit.
      spdlog::warn("accept failed: {} (raise the open-file limit or lower --max-connections)",
                   ec.message());
      accept_retry_.expires_after(std::chrono::milliseconds(50));
      accept_retry_.async_wait([this](beast::error_code wec) {
        if (!wec) Accept();
      });
      return;
    }
    OnAccept(std::move(socket));
    Accept();
  });
}

void Server::Impl::OnAccept(tcp::socket socket) {
  beast::error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) return;
  std::string ip = remote.address().is_v6() && remote.address().to_v6().is_v4_mapped()
                       ? asio::ip::make_address_v4(asio::ip::v4_mapped, remote.address().to_v6())
                             .to_string()
                       : remote.address().to_string();
  if (!AdmitConnection(ip)) {
    socket.close(ec);  // cheap: nothing was read, nothing allocated
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  if (options_.tls) {
    std::make_shared<Session<ssl::stream<tcp::socket>>>(*this, std::move(socket), std::move(ip))
        ->Start();
  } else {
    std::make_shared<Session<tcp::socket>>(*this, std::move(socket), std::move(ip))->Start();
  }
}

void Server::Impl::Submit(const std::shared_ptr<SessionBase>& session, Request request) {
  const ServerLimits& limits = options_.limits;
  const bool fair = !limits.fair_path.empty() && request.path == limits.fair_path;
  const std::string key = fair ? std::string(request.Header(limits.fair_key_header)) : "";
  auto job = [this, session, request = std::move(request)]() {
    Response response;
    try {
      response = dispatch_(request);
    } catch (const std::exception& e) {
      response = Response::Json(500, protocol::ErrorJson(std::string("internal error: ") + e.what()));
    } catch (...) {
      response = Response::Json(500, protocol::ErrorJson("internal error"));
    }
    session->Deliver(std::move(response));
  };
  const WorkQueue::Admit admit = fair ? queue_.PushFair(key, std::move(job))
                                      : queue_.PushGeneral(std::move(job));
  if (admit == WorkQueue::Admit::kQueued) return;
  Response busy;
  if (fair) {
    busy = Response::Json(
        429, protocol::ErrorJson(
                 admit == WorkQueue::Admit::kKeyFull
                     ? "this device already has " + std::to_string(limits.max_fair_queued_per_key) +
                           " requests queued: retry after the Retry-After delay"
                     : "the ingest queue is full: retry after the Retry-After delay"));
  } else {
    busy = Response::Json(503, protocol::ErrorJson(
                                   "the server's request queue is full: retry after the "
                                   "Retry-After delay"));
  }
  busy.headers.emplace_back("Retry-After", "1");
  session->Deliver(std::move(busy));
}

Status Server::Impl::Run() {
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, options_.limits.worker_threads); ++i) {
    workers.emplace_back([this] {
      while (queue_.RunOne()) {
      }
    });
  }
  Accept();
  std::vector<std::thread> io;
  for (int i = 1; i < std::max(1, options_.limits.io_threads); ++i) {
    io.emplace_back([this] { ioc_.run(); });
  }
  ioc_.run();
  for (std::thread& t : io) t.join();
  queue_.Shutdown();
  for (std::thread& t : workers) t.join();
  return Status::Ok();
}

void Server::Impl::Stop() {
  stopping_ = true;
  ioc_.stop();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, Dispatch dispatch) {
  auto impl = std::make_unique<Impl>(std::move(options), std::move(dispatch));
  FEEDBACK_RETURN_IF_ERROR(impl->LoadTls());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Bind() { return impl_->Bind(); }
Status Server::Run() { return impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
int Server::port() const { return impl_->port_; }

Server::Counters Server::counters() const {
  std::lock_guard<std::mutex> lock(impl_->conn_mu_);
  return Counters{impl_->open_, impl_->refused_, impl_->queue_.fair_queued()};
}

}  // namespace feedback::central::http
