#include "device/device_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/test_support.h"

namespace feedback {
namespace {

DeviceConfig Sample(const testing::TempDir& dir) {
  DeviceConfig c;
  c.device_id = "dev-1";
  c.site_id = "store-1";
  c.kind = DeviceKind::kAgent;
  c.team = "billing";
  c.central_url = "https://127.0.0.1:8443";
  c.central_hpke_public_key = Bytes(32, 7);
  c.central_cert_sha256 = std::string(64, 'a');
  c.device_key_file = dir.File("device.key");
  c.capture_db = dir.File("capture.db");
  return c;
}

TEST(DeviceConfigTest, SaveLoadRoundTrip) {
  testing::TempDir dir;
  DeviceConfig c = Sample(dir);
  ASSERT_TRUE(SaveDeviceConfig(dir.File("device.json"), c).ok());
  Result<DeviceConfig> back = LoadDeviceConfig(dir.File("device.json"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, c);
  struct stat st {};
  ASSERT_EQ(stat(dir.File("device.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(DeviceConfigTest, RelativePathsResolveBesideTheFile) {
  testing::TempDir dir;
  DeviceConfig c = Sample(dir);
  c.capture_db = "capture.db";
  ASSERT_TRUE(SaveDeviceConfig(dir.File("device.json"), c).ok());
  EXPECT_EQ(LoadDeviceConfig(dir.File("device.json"))->capture_db, dir.File("capture.db"));
}

TEST(DeviceConfigTest, BadFilesNameTheProblem) {
  testing::TempDir dir;
  const std::string path = dir.File("device.json");
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case kCases[] = {
      {"not json", ": not a JSON object (is the device enrolled? run feedback-sync enroll)"},
      {R"({"site_id":"s"})", ": field 'device_id' is missing or not a non-empty string"},
      {R"({"device_id":"d","site_id":"s","kind":"toaster","central_url":"u","central_hpke_public_key":"AAAA",
           "device_key_file":"k","capture_db":"c"})",
       ": field 'kind' is 'toaster' (expected kiosk or agent)"},
      {R"({"device_id":"d","site_id":"s","kind":"kiosk","central_url":"u","central_hpke_public_key":"AAAA",
           "device_key_file":"k","capture_db":"c"})",
       ": field 'central_hpke_public_key' is not a base64 32-byte X25519 key"},
  };
  for (const Case& c : kCases) {
    ASSERT_TRUE(WriteFileAtomically(path, c.text, 0644).ok());
    Result<DeviceConfig> r = LoadDeviceConfig(path);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), path + c.expected);
  }
  EXPECT_EQ(LoadDeviceConfig(dir.File("missing.json")).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace feedback
