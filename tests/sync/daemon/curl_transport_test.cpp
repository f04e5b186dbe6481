// CurlTransport against real local servers on 127.0.0.1: certificate pinning
// (match, mismatch - the request never reaches the server), plain http only
// to loopback, timeouts, truncated bodies, 429 Retry-After, shutdown grace.
#include "daemon/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "store/test_support.h"
#include "sync_test_support.h"

namespace feedback::sync {
namespace {

using feedback::testing::TempDir;
using testing::MakeSelfSignedCert;
using testing::TestCert;

class CurlGlobalEnv : public ::testing::Environment {
 public:
  void SetUp() override { curl_global_init(CURL_GLOBAL_DEFAULT); }
  void TearDown() override { curl_global_cleanup(); }
};
const auto* const kCurlEnv = ::testing::AddGlobalTestEnvironment(new CurlGlobalEnv);

// A handler that holds its answer until the test opens the gate, so a test can
// prove the client gave up on its own (the answer was still held when Send
// returned) without measuring how long that took. Entered() is the event "the
// request is in flight on the server".
class Gate {
 public:
  void Hold() {
    std::unique_lock<std::mutex> lock(mu_);
    entered_ = true;
    cv_.notify_all();
    // The cap only keeps a broken test from hanging; the test opens the gate.
    cv_.wait_for(lock, std::chrono::seconds(60), [this] { return open_; });
  }
  bool WaitEntered() {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(60), [this] { return entered_; });
  }
  bool open() {
    std::lock_guard<std::mutex> lock(mu_);
    return open_;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool open_ = false;
};

// A real httplib server (TLS when a cert is given) on a free loopback port.
class TestServer {
 public:
  explicit TestServer(const TestCert* tls = nullptr) {
    if (tls != nullptr) {
      server_ = std::make_unique<httplib::SSLServer>(tls->cert_path.c_str(), tls->key_path.c_str());
    } else {
      server_ = std::make_unique<httplib::Server>();
    }
  }
  ~TestServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Server& server() { return *server_; }
  int Start() {
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return port_;
  }
  std::string url(const char* scheme) const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_);
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

std::unique_ptr<CurlTransport> MakeTransport(const std::string& url, const std::string& pin,
                                             long total_timeout_ms = 5'000,
                                             const StopSignal* stop = nullptr) {
  CurlTransportOptions o;
  o.base_url = url;
  o.pinned_cert_sha256 = pin;
  o.connect_timeout_ms = 2'000;
  o.total_timeout_ms = total_timeout_ms;
  o.stop = stop;
  Result<std::unique_ptr<CurlTransport>> t = CurlTransport::Create(o);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? std::move(t).value() : nullptr;
}

class CurlTransportTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(CurlTransportTest, PinnedCertificateIsAcceptedAndRequestsWork) {
  TestCert cert = MakeSelfSignedCert(dir_.path().string(), "central");
  ASSERT_EQ(cert.fingerprint.size(), 64u);
  TestServer server(&cert);
  std::string seen_body, seen_header;
  server.server().Post("/echo", [&](const httplib::Request& req, httplib::Response& res) {
    seen_body = req.body;
    seen_header = req.get_header_value("X-Test");
    res.set_content("{\"ok\":true}", "application/json");
  });
  server.Start();
  auto transport = MakeTransport(server.url("https"), cert.fingerprint);
  ASSERT_TRUE(transport);
  HttpRequest req{
      "POST", "/echo", {{"X-Test", "v"}}, "application/octet-stream", ToBytes("payload\0x")};
  for (int i = 0; i < 3; ++i) {  // the handle is reused across requests
    Result<HttpResponse> res = transport->Send(req);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "{\"ok\":true}");
  }
  EXPECT_EQ(seen_body, "payload");
  EXPECT_EQ(seen_header, "v");
  // Upper-case pins are the same pin.
  std::string upper = cert.fingerprint;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto transport2 = MakeTransport(server.url("https"), upper);
  ASSERT_TRUE(transport2);
  EXPECT_TRUE(transport2->Send(req).ok());
}

TEST_F(CurlTransportTest, CertificateNotMatchingThePinIsRefusedBeforeAnyRequest) {
  TestCert real = MakeSelfSignedCert(dir_.path().string(), "impostor");
  TestCert pinned = MakeSelfSignedCert(dir_.path().string(), "central");
  ASSERT_NE(real.fingerprint, pinned.fingerprint);
  TestServer server(&real);
  std::atomic<int> requests{0};
  server.server().Post("/api/v1/batches", [&](const httplib::Request&, httplib::Response& res) {
    ++requests;
    res.set_content("{}", "application/json");
  });
  server.Start();
  auto transport = MakeTransport(server.url("https"), pinned.fingerprint);
  ASSERT_TRUE(transport);
  Result<HttpResponse> res =
      transport->Send({"POST", "/api/v1/batches", {}, "x", ToBytes("secret batch")});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), Status::Code::kUnauthenticated);
  EXPECT_NE(res.status().message().find(real.fingerprint), std::string::npos)
      << res.status().message();
  EXPECT_NE(res.status().message().find(pinned.fingerprint), std::string::npos);
  EXPECT_EQ(requests.load(), 0);
}

TEST_F(CurlTransportTest, PlainHttpOnlyToLoopbackAndOnlyHttpSchemes) {
  const auto create = [](const std::string& url, const std::string& pin = "") {
    CurlTransportOptions o;
    o.base_url = url;
    o.pinned_cert_sha256 = pin;
    return CurlTransport::Create(o).status();
  };
  EXPECT_TRUE(create("http://127.0.0.1:8080").ok());
  EXPECT_TRUE(create("http://localhost:8080").ok());
  EXPECT_TRUE(create("http://[::1]:8080").ok());
  EXPECT_EQ(create("http://192.168.1.10:8080").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(create("http://central.example.com").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(create("ftp://127.0.0.1/").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(create("not a url").code(), Status::Code::kInvalidArgument);
  // https needs a well-formed pin.
  EXPECT_EQ(create("https://central.example.com", "").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(create("https://central.example.com", std::string(64, 'z')).code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(create("https://central.example.com", std::string(64, 'a')).ok());
}

TEST_F(CurlTransportTest, RetryAfterAndErrorStatusesAreValuesNotErrors) {
  TestServer server;
  server.server().Post("/api/v1/batches", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "17");
    res.set_content("{\"error\":\"slow down\"}", "application/json");
  });
  server.server().Get("/api/v1/device/state", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content("{\"error\":\"store unavailable\"}", "application/json");
  });
  server.Start();
  auto transport = MakeTransport(server.url("http"), "");
  Result<HttpResponse> r429 = transport->Send({"POST", "/api/v1/batches", {}, "x", ToBytes("b")});
  ASSERT_TRUE(r429.ok()) << r429.status().ToString();
  EXPECT_EQ(r429->status, 429);
  ASSERT_TRUE(r429->retry_after_seconds);
  EXPECT_EQ(*r429->retry_after_seconds, 17);
  Result<HttpResponse> r503 = transport->Send({"GET", "/api/v1/device/state", {}, "", {}});
  ASSERT_TRUE(r503.ok());
  EXPECT_EQ(r503->status, 503);
  EXPECT_FALSE(r503->retry_after_seconds);
}

TEST_F(CurlTransportTest, ConnectionRefusedIsUnavailable) {
  // Bind then close a socket to get a port nothing listens on.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  auto transport = MakeTransport("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), "");
  Result<HttpResponse> res = transport->Send({"GET", "/", {}, "", {}});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), Status::Code::kUnavailable);
}

TEST_F(CurlTransportTest, SlowServerHitsTheTotalTimeout) {
  Gate gate;
  TestServer server;
  server.server().Get("/slow", [&gate](const httplib::Request&, httplib::Response& res) {
    gate.Hold();
    res.set_content("late", "text/plain");
  });
  server.Start();
  auto transport = MakeTransport(server.url("http"), "", /*total_timeout_ms=*/400);
  Result<HttpResponse> res = transport->Send({"GET", "/slow", {}, "", {}});
  // The server is still holding its answer: the client gave up by its timeout.
  EXPECT_FALSE(gate.open());
  gate.Open();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), Status::Code::kUnavailable);
}

TEST_F(CurlTransportTest, TruncatedBodyIsUnavailableNotAShortAnswer) {
  // A raw server that promises 100 bytes, sends 10 and closes.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  std::thread server([listener] {
    int c = ::accept(listener, nullptr, nullptr);
    char buf[4096];
    (void)::recv(c, buf, sizeof(buf), 0);
    const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"seq\":1,";
    (void)::send(c, reply, sizeof(reply) - 1, MSG_NOSIGNAL);
    ::close(c);
  });
  auto transport = MakeTransport("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), "");
  Result<HttpResponse> res = transport->Send({"POST", "/api/v1/batches", {}, "x", ToBytes("b")});
  server.join();
  ::close(listener);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), Status::Code::kUnavailable);
}

TEST_F(CurlTransportTest, StopSignalAbandonsAnInflightTransferAfterTheGrace) {
  Gate gate;
  TestServer server;
  server.server().Get("/hang", [&gate](const httplib::Request&, httplib::Response& res) {
    gate.Hold();
    res.set_content("late", "text/plain");
  });
  server.Start();
  StopSignal stop(/*grace_ms=*/200);
  // The total timeout is far beyond the gate's cap: only the stop can end it.
  auto transport = MakeTransport(server.url("http"), "", /*total_timeout_ms=*/600'000, &stop);
  std::thread stopper([&stop, &gate] {
    if (gate.WaitEntered()) stop.RequestStop();  // once the request is in flight
  });
  Result<HttpResponse> res = transport->Send({"GET", "/hang", {}, "", {}});
  const bool answered = gate.open();
  gate.Open();
  stopper.join();
  EXPECT_FALSE(answered);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(res.status().message().find("shutting down"), std::string::npos);
}

TEST(LoopbackTest, RecognisesLoopbackHosts) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("LOCALHOST"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("127.example.com"));
  EXPECT_FALSE(IsLoopbackHost("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("localhost.evil.com"));
}

}  // namespace
}  // namespace feedback::sync
