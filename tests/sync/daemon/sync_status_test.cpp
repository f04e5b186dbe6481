// SyncStatus: what `feedback-sync status` reports and when it says unhealthy.
#include "daemon/sync_status.h"

#include <gtest/gtest.h>

#include "daemon/daemon.h"
#include "store/test_support.h"

namespace feedback::sync {
namespace {

using feedback::testing::MakeRecord;
using feedback::testing::TempDir;
using feedback::testing::XorTestSealer;

class SyncStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<CaptureStore> s = CaptureStore::Open(dir_.File("capture.db"), &sealer_);
    ASSERT_TRUE(s.ok());
    store_.emplace(std::move(s).value());
  }
  TempDir dir_;
  XorTestSealer sealer_;
  std::optional<CaptureStore> store_;
  UuidGenerator ids_;
  const TimeMs kHour = 3'600'000;
};

TEST_F(SyncStatusTest, EmptyNeverSyncedDeviceIsHealthy) {
  Result<SyncStatus> s = ReadSyncStatus(*store_, 1'700'000'000'000, kHour);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->healthy);
  EXPECT_EQ(s->backlog(), 0);
  EXPECT_FALSE(s->last_success);
  EXPECT_NE(FormatSyncStatus(*s, 0).find("last success:  never"), std::string::npos);
}

TEST_F(SyncStatusTest, RecentBacklogIsFineOldBacklogWithoutSuccessIsNot) {
  FeedbackRecord r = MakeRecord(ids_);  // submitted_at 1'700'000'015'000
  ASSERT_TRUE(store_->Capture(r).ok());
  Result<SyncStatus> fresh = ReadSyncStatus(*store_, r.submitted_at + 60'000, kHour);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->backlog(), 1);
  EXPECT_TRUE(fresh->healthy);
  Result<SyncStatus> stale = ReadSyncStatus(*store_, r.submitted_at + 2 * kHour, kHour);
  EXPECT_FALSE(stale->healthy);
  EXPECT_NE(stale->reason.find("never synced"), std::string::npos);
  ASSERT_TRUE(
      store_->SetSetting(kSettingSyncLastSuccess, std::to_string(r.submitted_at + kHour + 1)).ok());
  EXPECT_TRUE(ReadSyncStatus(*store_, r.submitted_at + 2 * kHour, kHour)->healthy);
}

TEST_F(SyncStatusTest, RecordedErrorIsUnhealthyAndShown) {
  ASSERT_TRUE(store_->SetSetting(kSettingSyncLastSuccess, "1700000000000").ok());
  ASSERT_TRUE(
      store_
          ->SetSetting(kSettingSyncLastError, "2026-01-01T00:00:00.000Z batch 3 refused: HTTP 403")
          .ok());
  Result<SyncStatus> s = ReadSyncStatus(*store_, 1'700'000'001'000, kHour);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->healthy);
  EXPECT_EQ(*s->last_success, 1'700'000'000'000);
  const std::string text = FormatSyncStatus(*s, 1'700'000'001'000);
  EXPECT_NE(text.find("HTTP 403"), std::string::npos);
  EXPECT_NE(text.find("UNHEALTHY"), std::string::npos);
  EXPECT_NE(SyncStatusJson(*s).find("\"healthy\":false"), std::string::npos);
}

TEST(ParseDurationTest, UnitsAndErrors) {
  EXPECT_EQ(*ParseDuration("30s"), 30'000);
  EXPECT_EQ(*ParseDuration("30"), 30'000);
  EXPECT_EQ(*ParseDuration("250ms"), 250);
  EXPECT_EQ(*ParseDuration("5m"), 300'000);
  EXPECT_EQ(*ParseDuration("1h"), 3'600'000);
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("-1s").ok());
  EXPECT_FALSE(ParseDuration("10 parsecs").ok());
}

}  // namespace
}  // namespace feedback::sync
