// Security of the device endpoints against a real `feedback-central serve`
// process on 127.0.0.1: unknown / revoked devices, other sites' data, replays,
// tampered batches, oversize bodies, expired / reused enrollment tokens,
// unsigned or forged state requests, and HTTPS with the pinned certificate.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "central_harness.h"
#include "sync/central/cli/tls_certificate.h"

namespace feedback::central::testing {
namespace {

class CentralSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(f_.Setup()) << f_.server.Log(); }
  void TearDown() override {
    if (HasFailure()) std::fprintf(stderr, "server log:\n%s\n", f_.server.Log().c_str());
  }

  CentralFixture f_;
};

TEST_F(CentralSecurityTest, UnknownDeviceIs401) {
  // A well-formed batch signed by a key the central store never enrolled.
  TestDevice stranger;
  stranger.device_id = "kiosk-0000000000000000";
  stranger.site_id = "store-1";
  stranger.key = std::make_unique<Ed25519PrivateKey>(Ed25519PrivateKey::Generate().value());
  std::unique_ptr<TestDevice> real = f_.NewDevice();
  ASSERT_TRUE(real);
  stranger.sealer = std::make_unique<EpochSealer>(
      EpochSealer::Create(real->central_public_key, SystemClock::Instance()).value());
  httplib::Client c = f_.server.Client();
  HttpAnswer a = PostBatch(c, BatchOf(stranger, {KioskRecord(stranger, 9)}));
  EXPECT_EQ(a.status, 401) << a.body;
  EXPECT_NE(protocol::ParseErrorMessage(a.body).find("unknown device"), std::string::npos);
  EXPECT_EQ(GetDeviceState(c, stranger).status, 401);
  CentralDb db(f_.data_dir);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records"), 0);
}

TEST_F(CentralSecurityTest, KnownDeviceIdWithAnotherKeyIs401) {
  std::unique_ptr<TestDevice> dev = f_.NewDevice();
  ASSERT_TRUE(dev);
  Ed25519PrivateKey real_key = std::move(*dev->key);
  dev->key = std::make_unique<Ed25519PrivateKey>(Ed25519PrivateKey::Generate().value());
  httplib::Client c = f_.server.Client();
  EXPECT_EQ(PostBatch(c, BatchOf(*dev, {KioskRecord(*dev, 9)})).status, 401);
  EXPECT_EQ(GetDeviceState(c, *dev).status, 401);
  CentralDb db(f_.data_dir);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records"), 0);
}

TEST_F(CentralSecurityTest, RevokedDeviceIs403) {
  std::unique_ptr<TestDevice> dev = f_.NewDevice();
  ASSERT_TRUE(dev);
  httplib::Client c = f_.server.Client();
  ASSERT_EQ(PostBatch(c, BatchOf(*dev, {KioskRecord(*dev, 9)})).status, 200);
  CliResult r = RunCli({"revoke", "--data-dir", f_.data_dir, dev->device_id});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  HttpAnswer a = PostBatch(c, BatchOf(*dev, {KioskRecord(*dev, 8)}));
  EXPECT_EQ(a.status, 403) << a.body;
  EXPECT_NE(protocol::ParseErrorMessage(a.body).find("revoked"), std::string::npos);
  EXPECT_EQ(GetDeviceState(c, *dev).status, 403);
  CentralDb db(f_.data_dir);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records"), 1);
  // `devices` shows it revoked with the refusal as its last error.
  CliResult list = RunCli({"devices", "--data-dir", f_.data_dir, "--json"});
  nlohmann::json devices = nlohmann::json::parse(list.out);
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_FALSE(devices[0]["revoked_at"].is_null());
  EXPECT_NE(devices[0]["last_error"].get<std::string>().find("403"), std::string::npos);
}

TEST_F(CentralSecurityTest, AnotherSitesDataIs403) {
  std::unique_ptr<TestDevice> dev = f_.NewDevice("store-1");
  ASSERT_TRUE(dev);
  httplib::Client c = f_.server.Client();
  // The batch claims another site.
  {
    protocol::Batch b = NewBatch(*dev);
    b.site_id = "store-2";
    FeedbackRecord r = KioskRecord(*dev, 9);
    r.site_id = "store-2";
    b.records.push_back(Seal(*dev, r, &b));
    HttpAnswer a = PostBatch(c, protocol::EncodeBatch(b, *dev->key).value());
    EXPECT_EQ(a.status, 403) << a.body;
  }
  // The batch is for the right site but one record claims another.
  {
    protocol::Batch b = NewBatch(*dev);
    b.records.push_back(Seal(*dev, KioskRecord(*dev, 9), &b));
    FeedbackRecord r = KioskRecord(*dev, 9);
    r.site_id = "store-2";
    b.records.push_back(Seal(*dev, r, &b));
    HttpAnswer a = PostBatch(c, protocol::EncodeBatch(b, *dev->key).value());
    EXPECT_EQ(a.status, 403) << a.body;
  }
  // A record that names another device.
  {
    protocol::Batch b = NewBatch(*dev);
    FeedbackRecord r = KioskRecord(*dev, 9);
    r.device_id = "kiosk-someone-else";
    b.records.push_back(Seal(*dev, r, &b));
    HttpAnswer a = PostBatch(c, protocol::EncodeBatch(b, *dev->key).value());
    EXPECT_EQ(a.status, 403) << a.body;
  }
  CentralDb db(f_.data_dir);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records"), 0);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM batches"), 0);
}

TEST_F(CentralSecurityTest, ReplayedBatchChangesNothing) {
  std::unique_ptr<TestDevice> dev = f_.NewDevice();
  ASSERT_TRUE(dev);
  httplib::Client c = f_.server.Client();
  FeedbackRecord hero = KioskRecord(*dev, 10);
  hero.hero = Hero{"", "Ana", "Ana found my lost keys"};
  Bytes batch = BatchOf(*dev, {KioskRecord(*dev, 9), KioskRecord(*dev, 3), hero});
  HttpAnswer first = PostBatch(c, batch);
  ASSERT_EQ(first.status, 200) << first.body;
  CentralDb db(f_.data_dir);
  const std::string before = db.Snapshot();
  for (int i = 0; i < 3; ++i) {
    HttpAnswer again = PostBatch(c, batch);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body, first.body);  // the device gets the same answer again
  }
  EXPECT_EQ(db.Snapshot(), before);
  // Same seq, different content: a conflict, and still nothing changes.
  dev->next_seq = 1;
  HttpAnswer conflict = PostBatch(c, BatchOf(*dev, {KioskRecord(*dev, 7)}));
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(nlohmann::json::parse(conflict.body).value("last_seq", -1), 1) << conflict.body;
  EXPECT_EQ(db.Snapshot(), before);
}

TEST_F(CentralSecurityTest, EveryFlippedByteIsRejectedAndNothingStored) {
  std::unique_ptr<TestDevice> dev = f_.NewDevice();
  ASSERT_TRUE(dev);
  httplib::Client c = f_.server.Client();
  FeedbackRecord r = KioskRecord(*dev, 2);
  r.answers.push_back({"comment", std::nullopt, {}, "the queue was long"});
  r.contact = Contact{"Sam", "555-0100", ""};
  const Bytes batch = BatchOf(*dev, {r});
  CentralDb db(f_.data_dir);
  const std::string before = db.Snapshot();
  int refused = 0;
  for (size_t i = 0; i < batch.size(); ++i) {
    Bytes bad = batch;
    bad[i] ^= 0x5a;
    HttpAnswer a = PostBatch(c, bad);
    EXPECT_TRUE(a.status == 400 || a.status == 401 || a.status == 413)
        << "byte " << i << ": HTTP " << a.status << " " << a.body;
    refused += a.status != 200 ? 1 : 0;
  }
  EXPECT_EQ(refused, static_cast<int>(batch.size()));
  EXPECT_EQ(db.Snapshot(), before);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records"), 0);
  // The untouched batch is still accepted afterwards.
  EXPECT_EQ(PostBatch(c, batch).status, 200);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records"), 1);
}

TEST_F(CentralSecurityTest, TruncatedBatchesAreRejected) {
  std::unique_ptr<TestDevice> dev = f_.NewDevice();
  ASSERT_TRUE(dev);
  httplib::Client c = f_.server.Client();
  const Bytes batch = BatchOf(*dev, {KioskRecord(*dev, 9)});
  for (size_t len : {size_t{0}, size_t{5}, size_t{9}, batch.size() / 2, batch.size() - 1}) {
    HttpAnswer a = PostBatch(c, ByteView(batch).first(len));
    EXPECT_EQ(a.status, 400) << len << ": " << a.body;
  }
  CentralDb db(f_.data_dir);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records"), 0);
}

// Sends only a request head declaring content_length and returns the raw
// answer. The server must refuse from Content-Length alone, before any body
// arrives; a client that kept writing a refused body would race the server's
// close (EPIPE or a reset instead of the answer), so the test does not.
std::string PostHeadOnly(int port, const std::string& path, const std::string& type,
                         size_t content_length) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "socket failed";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " +
                             type + "\r\nContent-Length: " + std::to_string(content_length) +
                             "\r\nConnection: close\r\n\r\n";
    if (::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return answer;
}

TEST_F(CentralSecurityTest, BodyOverTheLimitIs413) {
  std::string answer = PostHeadOnly(f_.server.port(), std::string(protocol::kBatchesPath),
                                    std::string(protocol::kBatchContentType), protocol::kMaxBatchBytes + 1);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_NE(answer.find("larger than the limit"), std::string::npos) << answer;
  // A correctly framed envelope whose header claims a payload over 1 MiB.
  httplib::Client c = f_.server.Client();
  Bytes header = {'F', 'B', 'B', '1', 1, 0x00, 0x10, 0x00, 0x01};  // P = 1 MiB + 1
  header.resize(header.size() + 100, 0);
  HttpAnswer a = PostBatch(c, header);
  EXPECT_EQ(a.status, 413) << a.body;
  // The enroll endpoint has a smaller limit.
  answer = PostHeadOnly(f_.server.port(), std::string(protocol::kEnrollPath), "application/json", 100'000);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
}

TEST_F(CentralSecurityTest, ExpiredOrReusedEnrollmentTokenIsRefused) {
  httplib::Client c = f_.server.Client();
  // Reused.
  const std::string token = MakeToken(f_.data_dir, "store-1");
  int status = 0;
  ASSERT_TRUE(Enroll(c, token, "kiosk", &status));
  std::string body;
  EXPECT_FALSE(Enroll(c, token, "kiosk", &status, &body));
  EXPECT_EQ(status, 401);
  EXPECT_NE(body.find("already used"), std::string::npos) << body;
  // Expired.
  const std::string short_lived = MakeToken(f_.data_dir, "store-1", "kiosk", "1s");
  {
    // Wait for the expiry instant the store recorded (not a guessed margin):
    // the server refuses a token once its clock reaches expires_at.
    CentralDb db(f_.data_dir);
    const std::vector<std::vector<std::string>> row = db.Rows(
        "SELECT created_at, expires_at FROM enrollment_tokens ORDER BY created_at DESC LIMIT 1", 2);
    ASSERT_EQ(row.size(), 1u);
    const int64_t created_at = std::stoll(row[0][0]);
    const int64_t expires_at = std::stoll(row[0][1]);
    EXPECT_EQ(expires_at - created_at, 1000);  // --ttl 1s
    const auto expiry = std::chrono::system_clock::time_point(std::chrono::milliseconds(expires_at));
    while (std::chrono::system_clock::now() <= expiry) std::this_thread::sleep_until(expiry);
  }
  EXPECT_FALSE(Enroll(c, short_lived, "kiosk", &status, &body));
  EXPECT_EQ(status, 401);
  EXPECT_NE(body.find("expired"), std::string::npos) << body;
  // Made up, malformed, or for another kind of device.
  const std::string made_up = protocol::GenerateEnrollmentToken(std::string(64, 'a'))->ToString();
  EXPECT_FALSE(Enroll(c, made_up, "kiosk", &status));
  EXPECT_EQ(status, 401);
  EXPECT_FALSE(Enroll(c, "not-a-token", "kiosk", &status));
  EXPECT_EQ(status, 400);
  const std::string agent_token = MakeToken(f_.data_dir, "store-1", "agent");
  EXPECT_FALSE(Enroll(c, agent_token, "kiosk", &status));
  EXPECT_EQ(status, 401);
  CentralDb db(f_.data_dir);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM devices"), 1);
}

TEST_F(CentralSecurityTest, DeviceStateNeedsAFreshValidSignature) {
  std::unique_ptr<TestDevice> dev = f_.NewDevice();
  ASSERT_TRUE(dev);
  httplib::Client c = f_.server.Client();
  EXPECT_EQ(GetDeviceState(c, *dev).status, 200);
  auto get = [&](TimeMs at, const std::string& path_signed) {
    auto h = protocol::SignRequest(*dev->key, dev->device_id, "GET", path_signed, at).value();
    auto res = c.Get(std::string(protocol::kDeviceStatePath),
                     {{std::string(protocol::kDeviceHeader), h.device_id},
                      {std::string(protocol::kTimestampHeader), h.timestamp},
                      {std::string(protocol::kSignatureHeader), h.signature}});
    return res ? res->status : -1;
  };
  const TimeMs now = SystemClock::Instance().NowMs();
  EXPECT_EQ(get(now - 10 * 60 * 1000, std::string(protocol::kDeviceStatePath)), 401);  // stale
  EXPECT_EQ(get(now, "/api/v1/other"), 401);  // signed for another path
  auto res = c.Get(std::string(protocol::kDeviceStatePath));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(CentralSecurityTest, WrongContentTypeAndUnknownPathsAreRefused) {
  httplib::Client c = f_.server.Client();
  auto res = c.Post(std::string(protocol::kBatchesPath), "x", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  auto none = c.Get("/api/v1/nothing");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_FALSE(protocol::ParseErrorMessage(none->body).empty());
}

TEST(CentralHttpsTest, ServesHttpsWithThePinnedCertificate) {
  CentralFixture f;
  ASSERT_TRUE(f.Setup(/*https=*/true)) << f.server.Log();
  EXPECT_EQ(f.server.url().rfind("https://127.0.0.1:", 0), 0u) << f.server.url();
  const std::string token = MakeToken(f.data_dir, "store-1");
  Result<protocol::EnrollmentToken> parsed = protocol::ParseEnrollmentToken(token);
  ASSERT_TRUE(parsed.ok());
  // Verify the server against its own certificate as the only CA (it names 127.0.0.1).
  httplib::SSLClient c("127.0.0.1", f.server.port());
  c.set_ca_cert_path((f.data_dir + "/tls.crt").c_str());
  c.enable_server_certificate_verification(true);
  c.set_connection_timeout(5, 0);
  int status = 0;
  httplib::Client plain = f.server.Client();
  auto res = plain.Get("/healthz");
  EXPECT_FALSE(res && res->status == 200);  // no plain HTTP on an HTTPS server
  protocol::EnrollRequest req{parsed->SecretText(), Bytes(32, 0), "kiosk", "h"};
  req.public_key = Ed25519PrivateKey::Generate()->public_key_bytes();
  auto enroll =
      c.Post(std::string(protocol::kEnrollPath), protocol::ToJson(req), "application/json");
  ASSERT_TRUE(enroll) << httplib::to_string(enroll.error());
  status = enroll->status;
  EXPECT_EQ(status, 200) << enroll->body;
  Result<protocol::EnrollResponse> resp = protocol::ParseEnrollResponse(enroll->body);
  ASSERT_TRUE(resp.ok());
  // The pin in the token and in the answer is the SHA-256 of the served certificate.
  EXPECT_EQ(resp->cert_sha256, parsed->cert_sha256);
  EXPECT_EQ(CertificateSha256(ReadAll(f.data_dir + "/tls.crt")).value(), parsed->cert_sha256);
  EXPECT_EQ(f.server.Stop(), 0);
}

TEST(CentralServeTest, PlainHttpOnlyOnLoopback) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/central";
  ASSERT_EQ(InitCentral(dir).exit_code, 0);
  CliResult r =
      RunCli({"serve", "--data-dir", dir, "--listen", "0.0.0.0:0", "--insecure-http-loopback"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("only allowed on a loopback address"), std::string::npos) << r.err;
}

TEST(CentralServeTest, StopsCleanlyOnSigterm) {
  CentralFixture f;
  ASSERT_TRUE(f.Setup());
  EXPECT_EQ(f.server.Stop(), 0);
  EXPECT_NE(f.server.Log().find("stopped"), std::string::npos);
}

}  // namespace
}  // namespace feedback::central::testing
