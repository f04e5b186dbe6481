// CaptureStore, the sync daemon's side: pending records read as stored (in
// capture order, buffers reused, only pending ones), the pending count, epoch
// keys, the journalled-batch table, and OutboxUpdate's all-or-nothing commit.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store/capture_store.h"
#include "store/test_support.h"

namespace feedback {
namespace {

using testing::MakeRecord;
using testing::TempDir;
using testing::XorTestSealer;

class CaptureStoreSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<CaptureStore> store = CaptureStore::Open(dir_.File("capture.db"), &sealer_, clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_.emplace(std::move(store).value());
  }
  std::vector<FeedbackRecord> Capture(int n, const std::string& comment = "Lovely staff") {
    std::vector<FeedbackRecord> out;
    for (int i = 0; i < n; ++i) {
      FeedbackRecord r = MakeRecord(ids_, "", comment);
      EXPECT_TRUE(store_->Capture(r).ok());
      out.push_back(r);
    }
    return out;
  }

  TempDir dir_;
  XorTestSealer sealer_;
  FakeClock clock_;
  UuidGenerator ids_{clock_};
  std::optional<CaptureStore> store_;
};

TEST_F(CaptureStoreSyncTest, PendingRecordsAreReadAsStoredInCaptureOrder) {
  std::vector<FeedbackRecord> captured = Capture(3);
  std::vector<FeedbackRecord> plain = Capture(1, "");  // nothing sensitive: not sealed
  captured.push_back(plain[0]);
  ASSERT_TRUE(store_->AssignToBatch(1, {captured[1].id}).ok());  // in a batch: not pending

  std::vector<OutboxRecord> page;
  ASSERT_TRUE(store_->ReadPendingForSync(10, &page).ok());
  ASSERT_EQ(page.size(), 3u);
  const FeedbackRecord* expected[] = {&captured[0], &captured[2], &captured[3]};
  for (size_t i = 0; i < page.size(); ++i) {
    const FeedbackRecord& r = *expected[i];
    EXPECT_EQ(page[i].id, r.id);
    // The public part exactly as Capture() stored it: what a batch's `pub` is.
    EXPECT_EQ(page[i].public_json, RecordToJson(PublicPart(r)).dump());
    const StoredRecord stored = *store_->Get(r.id);
    EXPECT_EQ(page[i].epoch_id, stored.epoch_id);
    EXPECT_EQ(page[i].sealed_fields, stored.sealed_fields);
  }
  EXPECT_TRUE(page[2].epoch_id.empty());
  EXPECT_TRUE(page[2].sealed_fields.empty());

  // The page is reused and shrinks to what was read.
  ASSERT_TRUE(store_->ReadPendingForSync(1, &page).ok());
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, captured[0].id);
}

TEST_F(CaptureStoreSyncTest, ReleasedRecordsComeBackBeforeNewerOnes) {
  std::vector<FeedbackRecord> captured = Capture(4);
  ASSERT_TRUE(store_->AssignToBatch(5, {captured[0].id, captured[1].id}).ok());
  ASSERT_TRUE(store_->ReleaseBatch(5).ok());
  std::vector<OutboxRecord> page;
  ASSERT_TRUE(store_->ReadPendingForSync(10, &page).ok());
  ASSERT_EQ(page.size(), 4u);
  for (size_t i = 0; i < page.size(); ++i) EXPECT_EQ(page[i].id, captured[i].id);
}

TEST_F(CaptureStoreSyncTest, PendingCountAndCountsFollowTheOutbox) {
  std::vector<FeedbackRecord> captured = Capture(5);
  EXPECT_EQ(*store_->PendingCount(), 5);
  ASSERT_TRUE(store_->AssignToBatch(1, {captured[0].id, captured[1].id}).ok());
  ASSERT_TRUE(store_->AssignToBatch(2, {captured[2].id}).ok());
  ASSERT_TRUE(store_->Acknowledge(1).ok());
  EXPECT_EQ(*store_->PendingCount(), 2);
  OutboxCounts c = *store_->Counts();
  EXPECT_EQ(c.pending, 2);
  EXPECT_EQ(c.in_batch, 1);
  EXPECT_EQ(c.acknowledged, 2);
  EXPECT_EQ(c.oldest_pending_submitted_at, captured[3].submitted_at);
  ASSERT_TRUE(store_->AssignToBatch(3, {captured[3].id, captured[4].id}).ok());
  EXPECT_EQ(*store_->PendingCount(), 0);
  EXPECT_FALSE(store_->Counts()->oldest_pending_submitted_at);
}

TEST_F(CaptureStoreSyncTest, SealedEpochKeyOfAStoredEpoch) {
  Capture(1);
  EXPECT_EQ(ToString(*store_->SealedEpochKey("epoch-1")), "sealed-key-of-epoch-1");
  EXPECT_EQ(store_->SealedEpochKey("epoch-9").status().code(), Status::Code::kNotFound);
}

TEST_F(CaptureStoreSyncTest, OutboxUpdateCommitsEverythingOrNothing) {
  std::vector<FeedbackRecord> captured = Capture(3);
  const JournalledBatch batch{4, 2, ToBytes(std::string("env\0elope", 9))};
  {
    OutboxUpdate update(*store_);
    ASSERT_TRUE(update.Begin().ok());
    ASSERT_TRUE(update.PutJournalledBatch(batch).ok());
    ASSERT_TRUE(update.AssignToBatch(4, {captured[0].id, captured[1].id}).ok());
    ASSERT_TRUE(update.SetSetting("sync.outbox", "{}").ok());
  }  // not committed: rolled back
  EXPECT_TRUE(store_->JournalledBatches()->empty());
  EXPECT_EQ(store_->Counts()->pending, 3);
  EXPECT_FALSE(store_->GetSetting("sync.outbox").ok());

  {
    OutboxUpdate update(*store_);
    ASSERT_TRUE(update.Begin().ok());
    ASSERT_TRUE(update.PutJournalledBatch(batch).ok());
    ASSERT_TRUE(update.AssignToBatch(4, {captured[0].id, captured[1].id}).ok());
    ASSERT_TRUE(update.Commit().ok());
  }
  ASSERT_EQ(store_->JournalledBatches()->size(), 1u);
  EXPECT_EQ(store_->JournalledBatches()->front(), batch);
  EXPECT_EQ(store_->Counts()->in_batch, 2);

  {
    // A seq is journalled once; acknowledging and removing it is one more step.
    OutboxUpdate update(*store_);
    ASSERT_TRUE(update.Begin().ok());
    EXPECT_EQ(update.PutJournalledBatch(batch).code(), Status::Code::kAlreadyExists);
  }
  {
    OutboxUpdate update(*store_);
    ASSERT_TRUE(update.Begin().ok());
    ASSERT_TRUE(update.Acknowledge(4).ok());
    ASSERT_TRUE(update.DeleteJournalledBatch(4).ok());
    ASSERT_TRUE(update.Commit().ok());
  }
  EXPECT_TRUE(store_->JournalledBatches()->empty());
  EXPECT_EQ(store_->Counts()->acknowledged, 2);
}

TEST_F(CaptureStoreSyncTest, AnotherConnectionSeesTheJournalOnlyAfterCommit) {
  std::vector<FeedbackRecord> captured = Capture(1);
  Result<CaptureStore> daemon = CaptureStore::Open(dir_.File("capture.db"), nullptr, clock_);
  ASSERT_TRUE(daemon.ok());
  OutboxUpdate update(*daemon);
  ASSERT_TRUE(update.Begin().ok());
  ASSERT_TRUE(update.PutJournalledBatch({1, 1, ToBytes("e")}).ok());
  ASSERT_TRUE(update.AssignToBatch(1, {captured[0].id}).ok());
  EXPECT_TRUE(store_->JournalledBatches()->empty());  // the app's connection
  EXPECT_EQ(store_->Counts()->pending, 1);
  ASSERT_TRUE(update.Commit().ok());
  EXPECT_EQ(store_->JournalledBatches()->size(), 1u);
  EXPECT_EQ(store_->Counts()->in_batch, 1);
}

}  // namespace
}  // namespace feedback
