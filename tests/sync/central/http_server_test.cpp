// http::Server with a trivial dispatch, on loopback: every limit exceeded in
// every encoding, each with its exact status or close; keep-alive, deadlines,
// connection caps and fair queueing. Raw sockets, so the bytes on the wire
// are exactly what each test says.
#include "sync/central/http/server.h"

#include "tests/sync/central/raw_http_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace feedback::central::http {
namespace {

using testing::BodyOf;
using testing::Closes;
using testing::Conn;
using testing::StatusOf;

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A server on 127.0.0.1 and a free port, run on its own thread for one test.
class TestServer {
 public:
  TestServer(ServerLimits limits, Dispatch dispatch) {
    ::signal(SIGPIPE, SIG_IGN);
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.limits = std::move(limits);
    server_ = std::move(Server::Create(std::move(o), std::move(dispatch)).value());
    EXPECT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
  }
  ~TestServer() {
    server_->Stop();
    thread_.join();
  }
  int port() const { return server_->port(); }
  Server& server() { return *server_; }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

// Echo: the method, path, query and body, so a test sees what was parsed.
Response Echo(const Request& req) {
  std::string q;
  for (const auto& [k, v] : req.query) q += k + "=" + v + ";";
  Response r;
  r.content_type = "text/plain";
  r.body = req.method + " " + req.path + " " + q + " " + std::to_string(req.body.size()) + ":" +
           req.body;
  return r;
}

ServerLimits SmallLimits() {
  ServerLimits l;
  l.max_header_bytes = 2048;
  l.max_header_fields = 16;
  l.default_body_bytes = 1000;
  l.body_bytes_by_path = {{"/big", 100'000}};
  l.header_timeout = 1500ms;
  l.body_timeout = 1500ms;
  l.idle_timeout = 1500ms;
  l.worker_threads = 2;
  return l;
}

// Sends `request` on a fresh connection; the first answer.
std::string Exchange(int port, std::string_view request) {
  Conn c(port);
  c.Send(request);
  return c.ReadResponse();
}

TEST(HttpServerTest, ServesAndKeepsAlive) {
  TestServer s(SmallLimits(), Echo);
  Conn c(s.port());
  ASSERT_TRUE(c.Send("GET /a?x=1&y=a%20b+c HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string r1 = c.ReadResponse();
  EXPECT_EQ(StatusOf(r1), 200) << r1;
  EXPECT_EQ(BodyOf(r1), "GET /a x=1;y=a b c; 0:");
  EXPECT_FALSE(Closes(r1));
  ASSERT_TRUE(c.Send("POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "POST /b  5:hello");
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  TestServer s(SmallLimits(), Echo);
  Conn c(s.port());
  ASSERT_TRUE(c.Send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "GET /1  0:");
  EXPECT_EQ(BodyOf(c.ReadResponse()), "GET /2  0:");
}

TEST(HttpServerTest, ChunkedBodyWithExtensionsAndTrailersWithinTheLimit) {
  TestServer s(SmallLimits(), Echo);
  const std::string r = Exchange(s.port(),
                                 "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 200) << r;
  EXPECT_EQ(BodyOf(r), "POST /c  11:hello world");
}

TEST(HttpServerTest, ExpectContinueGetsOneHundredThenTheAnswer) {
  TestServer s(SmallLimits(), Echo);
  Conn c(s.port());
  ASSERT_TRUE(c.Send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  const std::string cont = c.ReadResponse();
  EXPECT_EQ(StatusOf(cont), 100) << cont;
  ASSERT_TRUE(c.Send("abc"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "POST /e  3:abc");
}

TEST(HttpServerTest, ContentLengthOverTheLimitIsRefusedBeforeTheBody) {
  TestServer s(SmallLimits(), Echo);
  // Only the head is sent: the answer must not wait for the 1001 bytes.
  Conn c(s.port());
  ASSERT_TRUE(c.Send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n"));
  const std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 413) << r;
  EXPECT_TRUE(Closes(r));
  EXPECT_NE(BodyOf(r).find("1000 bytes"), std::string::npos) << r;
  EXPECT_TRUE(c.WaitClosed());
  // At the limit it is served; the per-path limit is the path's own.
  EXPECT_EQ(StatusOf(Exchange(s.port(), "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" +
                                            std::string(1000, 'a'))),
            200);
  EXPECT_EQ(StatusOf(Exchange(s.port(), "POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 100001\r\n\r\n")),
            413);
  EXPECT_EQ(StatusOf(Exchange(s.port(), "POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" +
                                            std::string(5000, 'a'))),
            200);
  // A length too large for any integer is the same refusal, not a wrap-around.
  EXPECT_EQ(StatusOf(Exchange(s.port(),
                              "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: "
                              "99999999999999999999999999\r\n\r\n")),
            400);
}

TEST(HttpServerTest, ChunkedOverTheLimitIsRefusedAsItArrives) {
  TestServer s(SmallLimits(), Echo);
  const std::string head = "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  // Many small chunks adding up to more than 1000 bytes: refused once the
  // count passes the limit, while the client is still sending.
  {
    Conn c(s.port());
    ASSERT_TRUE(c.Send(head));
    for (int i = 0; i < 30; ++i) c.Send("40\r\n" + std::string(64, 'a') + "\r\n");
    const std::string r = c.ReadResponse();
    EXPECT_EQ(StatusOf(r), 413) << r;
    EXPECT_TRUE(Closes(r));
  }
  // One chunk announcing more than the limit: refused from its size line.
  {
    Conn c(s.port());
    ASSERT_TRUE(c.Send(head + "3e9\r\n"));
    EXPECT_EQ(StatusOf(c.ReadResponse()), 413);
  }
  // With chunk extensions and a trailer, the same limit.
  {
    Conn c(s.port());
    std::string body = head;
    for (int i = 0; i < 20; ++i) body += "40;ext=\"v\";other\r\n" + std::string(64, 'b') + "\r\n";
    body += "0\r\nX-Trailer: t\r\n\r\n";
    ASSERT_TRUE(c.Send(body.substr(0, 600)));
    c.Send(body.substr(600));
    EXPECT_EQ(StatusOf(c.ReadResponse()), 413);
  }
  // Chunked to the larger path: its own limit, in chunks.
  {
    std::string body = "POST /big HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 30; ++i) body += "1000\r\n" + std::string(4096, 'c') + "\r\n";
    body += "0\r\n\r\n";
    EXPECT_EQ(StatusOf(Exchange(s.port(), body)), 413);  // 30 x 4096 > 100 000
  }
  // An endless chunk extension is bounded by the read buffer.
  {
    Conn c(s.port());
    ASSERT_TRUE(c.Send(head + "1;" + std::string(100'000, 'e')));
    EXPECT_EQ(StatusOf(c.ReadResponse()), 400);
  }
}

TEST(HttpServerTest, AmbiguousFramingIsRefused) {
  TestServer s(SmallLimits(), Echo);
  for (const char* framing : {"Content-Length: 5\r\nContent-Length: 5\r\n",
                              "Content-Length: 5, 5\r\n",
                              "Content-Length: 5\r\nContent-Length: 6\r\n",
                              "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                              "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                              "Transfer-Encoding: gzip, chunked\r\n",
                              "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                              "Content-Length: -5\r\n", "Content-Length: 5x\r\n"}) {
    const std::string r =
        Exchange(s.port(), std::string("POST /x HTTP/1.1\r\nHost: t\r\n") + framing + "\r\nhello");
    EXPECT_EQ(StatusOf(r), 400) << framing << r;
    EXPECT_TRUE(Closes(r)) << framing;
  }
}

TEST(HttpServerTest, OversizedHeadAndTooManyFieldsGet431) {
  TestServer s(SmallLimits(), Echo);
  std::string r = Exchange(s.port(), "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " +
                                         std::string(3000, 'a') + "\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 431) << r;
  EXPECT_TRUE(Closes(r));
  std::string many = "GET / HTTP/1.1\r\nHost: t\r\n";
  for (int i = 0; i < 16; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  r = Exchange(s.port(), many + "\r\n");
  EXPECT_EQ(StatusOf(r), 431) << r;
  // Trailers count towards the field limit too.
  std::string trailers =
      "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n";
  for (int i = 0; i < 20; ++i) trailers += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(StatusOf(Exchange(s.port(), trailers + "\r\n")), 431);
  // A head that never ends is the same refusal, not a growing buffer.
  Conn c(s.port());
  c.Send("GET / HTTP/1.1\r\n");
  for (int i = 0; i < 40; ++i) c.Send("X-Fill-" + std::to_string(i) + std::string(100, 'f') + ": v\r\n");
  EXPECT_EQ(StatusOf(c.ReadResponse()), 431);
}

TEST(HttpServerTest, HeadAndBodyDeadlinesAnswer408AndClose) {
  TestServer s(SmallLimits(), Echo);
  {
    Conn c(s.port());
    ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost:"));
    const std::string r = c.ReadResponse();
    EXPECT_EQ(StatusOf(r), 408) << r;
    EXPECT_NE(BodyOf(r).find("head did not arrive"), std::string::npos);
    EXPECT_TRUE(c.WaitClosed());
  }
  {
    // A byte every 200 ms keeps the head incomplete past its deadline.
    Conn c(s.port());
    const std::string head = "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    std::string got;
    for (char ch : head) {
      if (!c.Send(std::string(1, ch))) break;
      got = c.ReadResponse(200ms);
      if (!got.empty()) break;
    }
    EXPECT_EQ(StatusOf(got), 408) << got;
  }
  {
    Conn c(s.port());
    ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly-some"));
    const std::string r = c.ReadResponse();
    EXPECT_EQ(StatusOf(r), 408) << r;
    EXPECT_NE(BodyOf(r).find("body did not arrive"), std::string::npos);
    EXPECT_TRUE(c.WaitClosed());
  }
  {
    // A connection that sends nothing is closed at the head deadline.
    Conn c(s.port());
    const std::string r = c.ReadResponse();
    EXPECT_EQ(StatusOf(r), 408) << r;
  }
}

TEST(HttpServerTest, IdleKeepAliveIsClosedAndRequestsPerConnectionAreBounded) {
  ServerLimits l = SmallLimits();
  l.max_requests_per_connection = 3;
  TestServer s(l, Echo);
  {
    Conn c(s.port());
    ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
    // Nothing more: closed after the idle timeout, without an answer.
    EXPECT_EQ(c.ReadUntilClose(), "");
    EXPECT_TRUE(c.WaitClosed(100ms));
  }
  {
    Conn c(s.port());
    for (int i = 1; i <= 3; ++i) {
      ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
      const std::string r = c.ReadResponse();
      EXPECT_EQ(StatusOf(r), 200) << i;
      EXPECT_EQ(Closes(r), i == 3) << i << r;
    }
    EXPECT_TRUE(c.WaitClosed());
  }
  // HTTP/1.0 without keep-alive: one request.
  Conn c(s.port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(Closes(c.ReadResponse()));
  EXPECT_TRUE(c.WaitClosed());
}

TEST(HttpServerTest, ConnectionsAreCappedPerAddressAndInTotal) {
  ServerLimits l = SmallLimits();
  l.max_connections_per_address = 4;
  l.max_connections = 10;
  l.header_timeout = 20s;  // the held connections must outlive the test
  TestServer s(l, Echo);
  std::vector<std::unique_ptr<Conn>> held;
  for (int i = 0; i < 4; ++i) held.push_back(std::make_unique<Conn>(s.port(), "127.0.0.2"));
  // Wait until the server has counted them (accept is asynchronous).
  const auto until = Clock::now() + 10s;
  while (s.server().counters().open_connections < 4 && Clock::now() < until) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(s.server().counters().open_connections, 4);
  {
    // The fifth from the same address is closed at accept: no answer at all.
    Conn fifth(s.port(), "127.0.0.2");
    fifth.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(fifth.ReadUntilClose(), "");
    EXPECT_GE(s.server().counters().refused_connections, 1);
  }
  // Another address is still served.
  EXPECT_EQ(StatusOf(Exchange(s.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n")), 200);
  // Fill the total: 4 from .2, 4 from .3, 2 from .4 = 10.
  for (int i = 0; i < 4; ++i) held.push_back(std::make_unique<Conn>(s.port(), "127.0.0.3"));
  for (int i = 0; i < 2; ++i) held.push_back(std::make_unique<Conn>(s.port(), "127.0.0.4"));
  while (s.server().counters().open_connections < 10 && Clock::now() < until + 10s) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(s.server().counters().open_connections, 10);
  {
    Conn over(s.port(), "127.0.0.5");
    over.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(over.ReadUntilClose(), "");
  }
  // Closing held connections frees their slots.
  held.clear();
  const auto freed = Clock::now() + 10s;
  std::string r;
  while (StatusOf(r) != 200 && Clock::now() < freed) {
    r = Exchange(s.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  EXPECT_EQ(StatusOf(r), 200);
}

// A fair-path handler that blocks until released, recording the order served.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  int waiting = 0;
  std::vector<std::string> order;
};

TEST(HttpServerTest, FairQueueServesDevicesRoundRobinAndBoundsEach) {
  ServerLimits l = SmallLimits();
  l.fair_path = "/fair";
  l.fair_key_header = "X-Device";
  l.max_fair_running = 1;
  l.max_fair_queued_per_key = 3;
  l.max_fair_queued = 5;
  l.worker_threads = 4;
  l.header_timeout = 20s;
  l.idle_timeout = 20s;
  Gate gate;
  TestServer s(l, [&gate](const Request& req) {
    std::unique_lock<std::mutex> lock(gate.mu);
    if (req.path == "/fair") {
      gate.order.push_back(std::string(req.Header("X-Device")) + std::string(req.Query("n")));
      ++gate.waiting;
      gate.cv.notify_all();
      gate.cv.wait(lock, [&] { return gate.open; });
    }
    return Response::Json(200, "{}");
  });
  auto fair = [](const std::string& device, int n) {
    return "POST /fair?n=" + std::to_string(n) + " HTTP/1.1\r\nHost: t\r\nX-Device: " + device +
           "\r\nContent-Length: 0\r\n\r\n";
  };
  // Device a: one running, three queued; the fifth gets 429 at once.
  std::vector<std::unique_ptr<Conn>> conns;
  conns.push_back(std::make_unique<Conn>(s.port()));
  conns.back()->Send(fair("a", 1));
  {
    std::unique_lock<std::mutex> lock(gate.mu);
    ASSERT_TRUE(gate.cv.wait_for(lock, 10s, [&] { return gate.waiting == 1; }));
  }
  auto wait_queued = [&s](size_t n) {
    const auto until = Clock::now() + 10s;
    while (s.server().counters().fair_queued < n && Clock::now() < until) {
      std::this_thread::sleep_for(5ms);
    }
    return s.server().counters().fair_queued == n;
  };
  for (int n = 2; n <= 4; ++n) {
    conns.push_back(std::make_unique<Conn>(s.port()));
    conns.back()->Send(fair("a", n));
  }
  ASSERT_TRUE(wait_queued(3));
  const std::string refused = Exchange(s.port(), fair("a", 5));
  EXPECT_EQ(StatusOf(refused), 429) << refused;
  EXPECT_NE(refused.find("Retry-After: 1\r\n"), std::string::npos);
  EXPECT_NE(BodyOf(refused).find("this device already has 3"), std::string::npos) << refused;
  // Other paths still have workers while ingest is blocked.
  EXPECT_EQ(StatusOf(Exchange(s.port(), "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")), 200);
  // Devices b and c queue one each; then the total bound (5) refuses c again.
  conns.push_back(std::make_unique<Conn>(s.port()));
  conns.back()->Send(fair("b", 1));
  ASSERT_TRUE(wait_queued(4));
  conns.push_back(std::make_unique<Conn>(s.port()));
  conns.back()->Send(fair("c", 1));
  ASSERT_TRUE(wait_queued(5));
  const std::string full = Exchange(s.port(), fair("c", 2));
  EXPECT_EQ(StatusOf(full), 429) << full;
  EXPECT_NE(BodyOf(full).find("ingest queue is full"), std::string::npos) << full;
  {
    std::lock_guard<std::mutex> lock(gate.mu);
    gate.open = true;
    gate.cv.notify_all();
  }
  for (auto& c : conns) EXPECT_EQ(StatusOf(c->ReadResponse()), 200);
  std::lock_guard<std::mutex> lock(gate.mu);
  // a1 was running; a's backlog then takes turns with b and c.
  EXPECT_EQ(gate.order, (std::vector<std::string>{"a1", "a2", "b1", "c1", "a3", "a4"}));
}

TEST(HttpServerTest, ADispatchThatThrowsIs500) {
  TestServer s(SmallLimits(), [](const Request&) -> Response { throw std::runtime_error("boom"); });
  const std::string r = Exchange(s.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 500) << r;
  EXPECT_NE(BodyOf(r).find("boom"), std::string::npos);
}

}  // namespace
}  // namespace feedback::central::http
