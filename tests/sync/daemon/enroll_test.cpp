// Enrollment against a local HTTPS fake central store with a certificate made
// in the test: the pin from the token guards the very first connection.
#include "daemon/enroll.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "daemon/curl_transport.h"
#include "protocol/enrollment_token.h"
#include "store/capture_store.h"
#include "store/test_support.h"
#include "sync_test_support.h"

namespace feedback::sync {
namespace {

using feedback::testing::TempDir;
using testing::FakeCentral;
using testing::MakeSelfSignedCert;
using testing::TestCert;

class CurlGlobalEnv : public ::testing::Environment {
 public:
  void SetUp() override { curl_global_init(CURL_GLOBAL_DEFAULT); }
  void TearDown() override { curl_global_cleanup(); }
};
const auto* const kCurlEnv = ::testing::AddGlobalTestEnvironment(new CurlGlobalEnv);

Result<std::unique_ptr<Transport>> MakeCurl(const std::string& url, const std::string& pin) {
  CurlTransportOptions o;
  o.base_url = url;
  o.pinned_cert_sha256 = pin;
  o.total_timeout_ms = 10'000;
  FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<CurlTransport> t, CurlTransport::Create(o));
  return std::unique_ptr<Transport>(std::move(t));
}

class EnrollTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = MakeSelfSignedCert(dir_.path().string(), "central");
    central_ = std::make_unique<FakeCentral>(Bytes(32, 1), "kiosk-42", "store-9", &cert_);
    central_->enroll_cert_sha256 = cert_.fingerprint;
  }
  std::string NewToken(const std::string& pin) {
    Result<protocol::EnrollmentToken> token = protocol::GenerateEnrollmentToken(pin);
    EXPECT_TRUE(token.ok());
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->expected_token_secret = token->SecretText();
    return token->ToString();
  }
  EnrollOptions Options(const std::string& token) {
    EnrollOptions o;
    o.server_url = central_->url(/*https=*/true);
    o.token = token;
    o.dir = device_dir_;
    o.kind = DeviceKind::kKiosk;
    o.hostname = "till-3";
    return o;
  }

  TempDir dir_;
  TestCert cert_;
  std::unique_ptr<FakeCentral> central_;
  std::string device_dir_ = dir_.File("device");
};

TEST_F(EnrollTest, EnrollsWritesConfigKeyAndCaptureDb) {
  Result<DeviceConfig> config = Enroll(Options(NewToken(cert_.fingerprint)), MakeCurl);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->device_id, "kiosk-42");
  EXPECT_EQ(config->site_id, "store-9");
  EXPECT_EQ(config->central_cert_sha256, cert_.fingerprint);
  EXPECT_EQ(config->central_hpke_public_key, Bytes(32, 7));
  EXPECT_EQ(config->capture_db, device_dir_ + "/capture.db");

  Result<DeviceConfig> loaded = LoadDeviceConfig(device_dir_ + "/device.json");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, *config);
  struct stat st {};
  ASSERT_EQ(::stat(config->device_key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::LoadPem(config->device_key_file);
  ASSERT_TRUE(key.ok());
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    EXPECT_EQ(central_->enrolled_public_key, Base64Encode(key->public_key_bytes()));
  }
  EXPECT_TRUE(CaptureStore::Open(config->capture_db, nullptr).ok());

  // Enrolling the same folder again is refused and changes nothing.
  Result<DeviceConfig> again = Enroll(Options(NewToken(cert_.fingerprint)), MakeCurl);
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
}

TEST_F(EnrollTest, ServerWhoseCertificateDoesNotMatchTheTokenPinIsRefused) {
  TestCert other = MakeSelfSignedCert(dir_.path().string(), "other");
  Result<DeviceConfig> config = Enroll(Options(NewToken(other.fingerprint)), MakeCurl);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kUnauthenticated);
  EXPECT_FALSE(std::filesystem::exists(device_dir_ + "/device.json"));
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_TRUE(central_->enrolled_public_key.empty());  // the token never left the device
}

TEST_F(EnrollTest, RefusedOrReusedTokenFailsAndARetryReusesTheKey) {
  const std::string token = NewToken(cert_.fingerprint);
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->expected_token_secret = "something-else";
  }
  Result<DeviceConfig> refused = Enroll(Options(token), MakeCurl);
  EXPECT_EQ(refused.status().code(), Status::Code::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("fresh token"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(device_dir_ + "/device.json"));
  const bool key_left = std::filesystem::exists(device_dir_ + "/device.key");
  EXPECT_TRUE(key_left);
  // With a valid token the same folder enrolls, keeping the key it made.
  Result<Ed25519PrivateKey> first_key = Ed25519PrivateKey::LoadPem(device_dir_ + "/device.key");
  ASSERT_TRUE(first_key.ok());
  Result<DeviceConfig> ok = Enroll(Options(NewToken(cert_.fingerprint)), MakeCurl);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_EQ(central_->enrolled_public_key, Base64Encode(first_key->public_key_bytes()));
}

TEST_F(EnrollTest, MalformedTokenIsRefusedWithoutContactingTheServer) {
  for (const char* bad :
       {"", "no-dot-here", "abc.1234",
        "short.0000000000000000000000000000000000000000000000000000000000000000"}) {
    Result<DeviceConfig> r = Enroll(Options(bad), MakeCurl);
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(std::filesystem::exists(device_dir_ + "/device.key"));
}

}  // namespace
}  // namespace feedback::sync
