// On-device privacy: a stolen kiosk or laptop discloses nothing customers or
// reps wrote. Capture records whose comment, hero name, story and phone number
// are known strings through the real sealing path, then scan the raw bytes of
// the database file, its WAL and any journal: none of the strings may appear,
// while the central key still opens every record.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "capture/epoch_opener.h"
#include "crypto/x25519_key_pair.h"
#include "device/device_capture.h"
#include "device/open_record.h"
#include "store/test_support.h"

namespace feedback {
namespace {

std::string ReadRaw(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(PrivacyTest, NoSensitiveStringRestsOnTheDevice) {
  testing::TempDir dir;
  Result<X25519KeyPair> central = X25519KeyPair::Generate();
  ASSERT_TRUE(central.ok());
  DeviceConfig config;
  config.device_id = "kiosk-9";
  config.site_id = "store-1";
  config.central_url = "https://127.0.0.1:1";
  config.central_hpke_public_key = central->public_key();
  config.device_key_file = dir.File("device.key");
  config.capture_db = dir.File("capture.db");

  const std::string kComment = "Marguerite-the-cashier-was-unforgettable";
  const std::string kHeroName = "Zebulon Quartermaine";
  const std::string kStory = "carried-my-groceries-through-the-hailstorm";
  const std::string kPhone = "+44 7700 900461";
  const std::string kEmail = "private.person@example.org";

  std::vector<FeedbackRecord> captured;
  {
    Result<DeviceCapture> capture = DeviceCapture::Open(config);
    ASSERT_TRUE(capture.ok()) << capture.status().ToString();
    UuidGenerator ids;
    for (int i = 0; i < 50; ++i) {
      FeedbackRecord r = testing::MakeRecord(ids, "", kComment + std::to_string(i % 3));
      r.device_id = config.device_id;
      r.hero = Hero{"", kHeroName, kStory};
      r.contact = Contact{kHeroName, kPhone, kEmail};
      ASSERT_TRUE(capture->store().Capture(r).ok());
      captured.push_back(r);
    }
    // Scan while the app is still running: the WAL holds the newest pages.
    std::string raw;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      raw += ReadRaw(entry.path());
    }
    ASSERT_GT(raw.size(), 4096u);
    for (const std::string& secret : {kComment, kHeroName, kStory, kPhone, kEmail}) {
      EXPECT_EQ(raw.find(secret), std::string::npos) << "'" << secret << "' is on disk in plaintext";
    }
  }
  // After the app stops (WAL checkpointed into the main file) the same holds.
  std::string raw;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) raw += ReadRaw(entry.path());
  for (const std::string& secret : {kComment, kHeroName, kStory, kPhone, kEmail}) {
    EXPECT_EQ(raw.find(secret), std::string::npos) << "'" << secret << "' is on disk in plaintext";
  }
  EXPECT_NE(raw.find("retail_kiosk"), std::string::npos) << "the scan read the wrong files";

  // The central key opens every record back to exactly what was captured.
  EpochOpener opener(std::move(central).value());
  Result<CaptureStore> store = CaptureStore::Open(config.capture_db, nullptr);
  ASSERT_TRUE(store.ok());
  for (const FeedbackRecord& original : captured) {
    Result<StoredRecord> stored = store->Get(original.id);
    ASSERT_TRUE(stored.ok());
    Result<FeedbackRecord> opened = OpenStoredRecord(opener, *stored);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, original);
  }
}

}  // namespace
}  // namespace feedback
