// feedback-central's HTTP front as a client sees it (issue 12): chunked
// bodies bounded on every POST endpoint without costing memory, exact JSON
// content types, memos not served, TLS 1.2 AEAD suites only, HSTS, and the
// TLS handshake deadline. Real `feedback-central serve` on loopback.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sync/central/dashboard/dashboard_api.h"
#include "tests/sync/central/central_harness.h"
#include "tests/sync/central/raw_http_client.h"

namespace feedback::central::testing {
namespace {

using nlohmann::json;

std::string AdminPassword(const std::string& init_out) {
  const std::string key = "admin password:";
  size_t p = init_out.find(key);
  if (p == std::string::npos) return "";
  p = init_out.find_first_not_of(' ', p + key.size());
  return init_out.substr(p, init_out.find('\n', p) - p);
}

// Resident set of a process, from /proc/PID/status, in bytes.
long long RssBytes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}

// Offers a 256 MiB chunked body in 1 MiB chunks; the server's first answer.
std::string PostChunked256MiB(int port, const std::string& path, const std::string& headers) {
  Conn c(port);
  if (!c.Send("POST " + path + " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n" + headers +
              "\r\n")) {
    return "";
  }
  const std::string chunk = "100000\r\n" + std::string(1024 * 1024, 'x') + "\r\n";
  for (int i = 0; i < 256; ++i) {
    if (!c.Send(chunk)) break;  // the server stopped reading and closed
    std::string early = c.ReadResponse(std::chrono::milliseconds(20));
    if (!early.empty()) return early;
  }
  c.Send("0\r\n\r\n");
  return c.ReadResponse();
}

struct Login {
  std::string cookie;
  std::string csrf;
};

Login LogIn(const CentralProcess& server, const std::string& password) {
  httplib::Client client = server.Client();
  auto res = client.Post("/api/login", json{{"username", "admin"}, {"password", password}}.dump(),
                         "application/json");
  Login l;
  if (!res || res->status != 200) return l;
  const std::string c = res->get_header_value("Set-Cookie");
  l.cookie = c.substr(0, c.find(';'));
  l.csrf = json::parse(res->body)["csrf_token"].get<std::string>();
  return l;
}

TEST(CentralHttpTest, Chunked256MiBToEveryPostEndpointIs413AndCostsNoMemory) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/central";
  CliResult init = InitCentral(dir);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  CentralProcess server;
  ASSERT_TRUE(server.Start(dir));
  const Login login = LogIn(server, AdminPassword(init.out));
  ASSERT_FALSE(login.cookie.empty());
  const long long rss_before = RssBytes(server.pid());
  ASSERT_GT(rss_before, 0);
  struct Case {
    std::string path;
    std::string headers;
  };
  const std::vector<Case> cases = {
      {std::string(protocol::kEnrollPath), "Content-Type: application/json\r\n"},
      {std::string(protocol::kBatchesPath),
       "Content-Type: " + std::string(protocol::kBatchContentType) + "\r\n"},
      {"/api/login", "Content-Type: application/json\r\n"},
      {"/api/login", "Content-Type: application/json\r\nCookie: " + login.cookie + "\r\n"},
      {"/api/users", "Content-Type: application/json\r\nCookie: " + login.cookie +
                         "\r\nX-CSRF-Token: " + login.csrf + "\r\n"},
  };
  for (const Case& c : cases) {
    const std::string r = PostChunked256MiB(server.port(), c.path, c.headers);
    EXPECT_EQ(StatusOf(r), 413) << c.path << ": " << r;
    EXPECT_TRUE(Closes(r)) << c.path;
    EXPECT_NE(BodyOf(r).find("larger than the limit"), std::string::npos) << r;
  }
  const long long grown = RssBytes(server.pid()) - rss_before;
  EXPECT_LT(grown, 16LL * 1024 * 1024) << "the server grew by " << grown << " bytes";
  RecordProperty("rss_growth_bytes", std::to_string(grown));
  std::printf("RSS %lld -> %lld bytes over the five 256 MiB offers\n", rss_before,
              rss_before + grown);
  // Still serving.
  httplib::Client client = server.Client();
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(CentralHttpTest, JsonBodiesNeedExactlyTheJsonContentType) {
  for (const char* yes : {"application/json", "application/json; charset=utf-8",
                          "Application/JSON;charset=\"UTF-8\"", "application/json ; charset=utf-8"}) {
    EXPECT_TRUE(IsJsonContentType(yes)) << yes;
  }
  for (const char* no : {"application/jsonx", "application/json-patch+json", "text/json", "",
                         "application/json; charset=latin1", "application/json; boundary",
                         "application/jsonp; charset=utf-8", "xapplication/json"}) {
    EXPECT_FALSE(IsJsonContentType(no)) << no;
  }
  CentralFixture f;
  ASSERT_TRUE(f.Setup());
  httplib::Client client = f.server.Client();
  const std::string body = json{{"username", "admin"}, {"password", "not the password"}}.dump();
  auto wrong_type = client.Post("/api/login", body, "application/jsonx");
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(wrong_type->status, 415);
  auto right_type = client.Post("/api/login", body, "application/json; charset=utf-8");
  ASSERT_TRUE(right_type);
  EXPECT_EQ(right_type->status, 401);  // read as JSON; the password is wrong
}

TEST(CentralHttpTest, MemosAreNotServedOnlyTheDashboardsFileTypes) {
  ASSERT_TRUE(std::filesystem::exists(std::string(FEEDBACK_ASSETS_DIR) + "/dashboard/index.html"));
  CentralFixture f;
  ASSERT_TRUE(f.Setup());
  httplib::Client client = f.server.Client();
  auto page = client.Get("/dashboard/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_FALSE(page->has_header("Strict-Transport-Security"));  // plain HTTP: no HSTS
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  for (const char* memo : {"/dashboard/API_REQUESTS.md", "/dashboard/README.md",
                           "/dashboard/notes.txt", "/dashboard/app.json"}) {
    auto r = client.Get(memo);
    ASSERT_TRUE(r) << memo;
    EXPECT_EQ(r->status, 404) << memo;
  }
}

// Runs a shell command (bounded by `timeout`), its stdout and stderr.
std::string Shell(const std::string& command) {
  FILE* p = ::popen(("timeout 10 " + command + " 2>&1").c_str(), "r");
  if (p == nullptr) return "";
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// Does a TLS handshake with these s_client arguments agree on a cipher?
bool Handshakes(int port, const std::string& args) {
  const std::string out = Shell("openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                                " " + args + " </dev/null");
  return out.find("Cipher is (NONE)") == std::string::npos &&
         out.find(", Cipher is ") != std::string::npos;
}

TEST(CentralHttpTest, TlsOffersAeadSuitesOnlyAndSendsHsts) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/central";
  ASSERT_EQ(InitCentral(dir).exit_code, 0);
  CentralProcess server;
  ASSERT_TRUE(server.Start(dir, /*https=*/true, {"--tls-handshake-timeout", "1"}));
  const int port = server.port();
  // Every TLS 1.2 suite this OpenSSL knows that is not AEAD (CBC, and
  // anything older), offered alone and allowed at security level 0 so the
  // client really offers it: the server must refuse each.
  const std::string list = Shell("openssl ciphers -v 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'");
  std::istringstream lines(list);
  std::string line;
  int refused = 0;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name, proto;
    words >> name >> proto;
    if (proto == "TLSv1.3" || line.find("Mac=AEAD") != std::string::npos) continue;
    EXPECT_FALSE(Handshakes(port, "-tls1_2 -cipher '" + name + ":@SECLEVEL=0'")) << name;
    ++refused;
  }
  EXPECT_GT(refused, 20) << list;  // the list really held the CBC suites
  // The AEAD suites with ECDHE for the server's P-256 certificate: accepted.
  for (const char* aead : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                           "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    EXPECT_TRUE(Handshakes(port, std::string("-tls1_2 -cipher ") + aead)) << aead;
  }
  EXPECT_TRUE(Handshakes(port, "-tls1_3"));
  EXPECT_FALSE(Handshakes(port, "-tls1_1 -cipher 'ALL:@SECLEVEL=0'"));
  // HSTS on HTTPS answers.
  const std::string answer =
      Shell("sh -c \"printf 'GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' "
            "| openssl s_client -quiet -connect 127.0.0.1:" +
            std::to_string(port) + "\"");
  EXPECT_NE(answer.find("Strict-Transport-Security: max-age=31536000"), std::string::npos)
      << answer;
  EXPECT_NE(answer.find("{\"ok\":true}"), std::string::npos) << answer;
  // A client that connects and never starts the handshake is dropped at
  // the handshake deadline (1 s here).
  Conn idle(port);
  ASSERT_TRUE(idle.connected());
  EXPECT_TRUE(idle.WaitClosed(std::chrono::seconds(10)));
}

}  // namespace
}  // namespace feedback::central::testing
