#include "store/capture_store.h"

#include <gtest/gtest.h>

#include "store/test_support.h"

namespace feedback {
namespace {

using testing::MakeRecord;
using testing::TempDir;
using testing::XorTestSealer;

class CaptureStoreTest : public ::testing::Test {
 protected:
  CaptureStore OpenStore() {
    Result<CaptureStore> store = CaptureStore::Open(dir_.File("capture.db"), &sealer_, clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(store).value();
  }

  TempDir dir_;
  XorTestSealer sealer_;
  FakeClock clock_;
  UuidGenerator ids_{clock_};
};

TEST_F(CaptureStoreTest, CaptureKeepsPublicPartAndSealsTheRest) {
  CaptureStore store = OpenStore();
  FeedbackRecord r = MakeRecord(ids_, "", "The queue was long");
  r.hero = Hero{"", "Ana", "Found my size"};
  ASSERT_TRUE(store.Capture(r).ok());

  Result<StoredRecord> stored = store.Get(r.id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->record, PublicPart(r));
  EXPECT_EQ(stored->epoch_id, "epoch-1");
  EXPECT_EQ(ToString(stored->sealed_epoch_key), "sealed-key-of-epoch-1");
  EXPECT_EQ(stored->state, OutboxState::kPending);
  EXPECT_EQ(sealer_.last_associated_data, RecordAssociatedData(r.id, r.device_id));

  FeedbackRecord reopened = stored->record;
  ASSERT_TRUE(MergeSensitive(XorTestSealer::Open(stored->sealed_fields), reopened).ok());
  EXPECT_EQ(reopened, r);
}

TEST_F(CaptureStoreTest, RecordWithoutSensitiveFieldsIsNotSealed) {
  CaptureStore store = OpenStore();
  FeedbackRecord r = MakeRecord(ids_, "", "");
  ASSERT_TRUE(store.Capture(r).ok());
  EXPECT_EQ(sealer_.calls, 0);
  Result<StoredRecord> stored = store.Get(r.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->epoch_id.empty());
  EXPECT_TRUE(stored->sealed_fields.empty());
}

TEST_F(CaptureStoreTest, SameIdTwiceIsRefusedAndStoredOnce) {
  CaptureStore store = OpenStore();
  FeedbackRecord r = MakeRecord(ids_);
  ASSERT_TRUE(store.Capture(r).ok());
  Status again = store.Capture(r);
  EXPECT_EQ(again.code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(again.message(), "record " + r.id + " is already captured");
  EXPECT_EQ(store.Counts()->pending, 1);
}

TEST_F(CaptureStoreTest, IncompleteRecordIsRejected) {
  CaptureStore store = OpenStore();
  FeedbackRecord r = MakeRecord(ids_);
  r.site_id.clear();
  EXPECT_EQ(store.Capture(r).code(), Status::Code::kInvalidArgument);
}

TEST_F(CaptureStoreTest, EpochRowIsWrittenOncePerEpoch) {
  CaptureStore store = OpenStore();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store.Capture(MakeRecord(ids_)).ok());
  sealer_.epoch_id = "epoch-2";
  ASSERT_TRUE(store.Capture(MakeRecord(ids_)).ok());
  EXPECT_EQ(*store.database().QueryInt("SELECT count(*) FROM epochs"), 2);
}

TEST_F(CaptureStoreTest, OutboxMovesPendingToBatchToAcknowledged) {
  CaptureStore store = OpenStore();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    FeedbackRecord r = MakeRecord(ids_);
    ids.push_back(r.id);
    ASSERT_TRUE(store.Capture(r).ok());
  }
  Result<std::vector<StoredRecord>> pending = store.Pending(3);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[0].record.id, ids[0]);  // oldest first

  ASSERT_TRUE(store.AssignToBatch(7, {ids[0], ids[1], ids[2]}).ok());
  EXPECT_EQ(store.Get(ids[1])->batch_seq, 7);
  OutboxCounts c = *store.Counts();
  EXPECT_EQ(c.pending, 2);
  EXPECT_EQ(c.in_batch, 3);

  // A record already in a batch cannot join another; nothing of that batch moves.
  Status conflict = store.AssignToBatch(8, {ids[3], ids[0]});
  EXPECT_EQ(conflict.code(), Status::Code::kConflict);
  EXPECT_EQ(store.Get(ids[3])->state, OutboxState::kPending);

  ASSERT_TRUE(store.Acknowledge(7).ok());
  c = *store.Counts();
  EXPECT_EQ(c.acknowledged, 3);
  EXPECT_EQ(c.pending, 2);

  ASSERT_TRUE(store.AssignToBatch(9, {ids[3]}).ok());
  ASSERT_TRUE(store.ReleaseBatch(9).ok());
  EXPECT_EQ(store.Get(ids[3])->state, OutboxState::kPending);
  EXPECT_EQ(store.Counts()->pending, 2);
}

TEST_F(CaptureStoreTest, RecentFiltersByStaffNewestFirst) {
  CaptureStore store = OpenStore();
  for (int i = 0; i < 4; ++i) {
    FeedbackRecord r = MakeRecord(ids_, i % 2 == 0 ? "rep-a" : "rep-b");
    r.submitted_at += i;
    ASSERT_TRUE(store.Capture(r).ok());
  }
  Result<std::vector<FeedbackRecord>> mine = store.Recent(10, "rep-a");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_GT((*mine)[0].submitted_at, (*mine)[1].submitted_at);
  EXPECT_EQ((*mine)[0].FindAnswer("greeting")->number, 5);
  EXPECT_EQ((*mine)[0].FindAnswer("comment"), nullptr);  // public part only
  EXPECT_EQ(store.Recent(3)->size(), 3u);
}

TEST_F(CaptureStoreTest, SettingsRoundTrip) {
  CaptureStore store = OpenStore();
  EXPECT_EQ(store.GetSetting("sync.last_success").status().code(), Status::Code::kNotFound);
  ASSERT_TRUE(store.SetSetting("sync.last_success", "1").ok());
  ASSERT_TRUE(store.SetSetting("sync.last_success", "2").ok());
  EXPECT_EQ(*store.GetSetting("sync.last_success"), "2");
}

TEST_F(CaptureStoreTest, ReopenKeepsEverythingAndDoesNotMigrateTwice) {
  std::string id;
  {
    CaptureStore store = OpenStore();
    FeedbackRecord r = MakeRecord(ids_);
    id = r.id;
    ASSERT_TRUE(store.Capture(r).ok());
  }
  CaptureStore store = OpenStore();
  EXPECT_TRUE(store.Get(id).ok());
  EXPECT_EQ(*store.database().QueryInt("SELECT count(*) FROM schema_migrations"), 4);
  EXPECT_EQ(*store.database().QueryInt("PRAGMA synchronous"), 2);  // FULL
}

TEST_F(CaptureStoreTest, DownstreamSurveysRosterAndStories) {
  CaptureStore store = OpenStore();
  EXPECT_EQ(store.LatestSurvey(Channel::kKiosk).status().code(), Status::Code::kNotFound);
  ASSERT_TRUE(store.PutSurvey({"retail_kiosk", 1, Channel::kKiosk, "{v1}"}).ok());
  clock_.Advance(1000);
  ASSERT_TRUE(store.PutSurvey({"retail_kiosk", 2, Channel::kKiosk, "{v2}"}).ok());
  ASSERT_TRUE(store.PutSurvey({"call_log", 1, Channel::kCall, "{call}"}).ok());
  Result<StoredSurvey> latest = store.LatestSurvey(Channel::kKiosk);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(latest->definition_json, "{v2}");

  ASSERT_TRUE(store.ReplaceRoster({{"e1", "Ana", "floor"}, {"e2", "Bo", "tills"}}).ok());
  ASSERT_TRUE(store.ReplaceRoster({{"e3", "Cy", "floor"}}).ok());
  Result<std::vector<StaffMember>> roster = store.Roster();
  ASSERT_TRUE(roster.ok());
  ASSERT_EQ(roster->size(), 1u);
  EXPECT_EQ((*roster)[0].display_name, "Cy");

  ASSERT_TRUE(store.ReplaceHeroStories({{"s1", "e1", "Ana", "Found my size", "floor", 10},
                                        {"s2", "e2", "Bo", "Fast refund", "tills", 20}})
                  .ok());
  Result<std::vector<HeroStory>> all = store.HeroStories(10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].story_id, "s2");  // newest first
  Result<std::vector<HeroStory>> floor = store.HeroStories(10, "floor");
  ASSERT_EQ(floor->size(), 1u);
  EXPECT_EQ((*floor)[0].story, "Found my size");
}

}  // namespace
}  // namespace feedback
