// OutboxJournal: seq persistence across restarts and every crash point of
// Begin / Complete / Abandon (a "crash" here is closing the store between
// steps and reopening it, as a restarted daemon would).
#include "daemon/outbox_journal.h"

#include <gtest/gtest.h>

#include "store/test_support.h"

namespace feedback::sync {
namespace {

using feedback::testing::MakeRecord;
using feedback::testing::TempDir;
using feedback::testing::XorTestSealer;

class OutboxJournalTest : public ::testing::Test {
 protected:
  CaptureStore Open() {
    Result<CaptureStore> store = CaptureStore::Open(dir_.File("capture.db"), &sealer_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(store).value();
  }
  std::vector<std::string> Capture(CaptureStore& store, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      FeedbackRecord r = MakeRecord(ids_);
      EXPECT_TRUE(store.Capture(r).ok());
      ids.push_back(r.id);
    }
    return ids;
  }
  TempDir dir_;
  XorTestSealer sealer_;
  UuidGenerator ids_;
};

TEST_F(OutboxJournalTest, FreshDeviceStartsAtSeqOne) {
  CaptureStore store = Open();
  Result<JournalState> state = OutboxJournal::Load(store);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->next_seq, 1);
  EXPECT_FALSE(state->inflight);
}

TEST_F(OutboxJournalTest, InflightBatchSurvivesRestartByteForByte) {
  std::vector<std::string> ids;
  InflightBatch batch;
  {
    CaptureStore store = Open();
    ids = Capture(store, 5);
    JournalState state;
    batch = {1, ids, ToBytes("signed envelope \x01\x02")};
    ASSERT_TRUE(OutboxJournal::Begin(store, state, batch).ok());
    EXPECT_EQ(state.next_seq, 2);
  }  // crash before the central store answered
  CaptureStore store = Open();
  Result<JournalState> state = OutboxJournal::Load(store);
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  ASSERT_TRUE(state->inflight);
  EXPECT_EQ(*state->inflight, batch);
  EXPECT_EQ(state->next_seq, 2);
  ASSERT_TRUE(OutboxJournal::Repair(store, *state).ok());
  Result<OutboxCounts> counts = store.Counts();
  EXPECT_EQ(counts->in_batch, 5);
  EXPECT_EQ(counts->pending, 0);

  ASSERT_TRUE(OutboxJournal::Complete(store, *state).ok());
  counts = store.Counts();
  EXPECT_EQ(counts->acknowledged, 5);
  Result<JournalState> after = OutboxJournal::Load(store);
  EXPECT_FALSE(after->inflight);
  EXPECT_EQ(after->next_seq, 2);
}

TEST_F(OutboxJournalTest, CrashBetweenJournalAndAssignmentIsRepaired) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 4);
  // The journal row is written but AssignToBatch never ran.
  JournalState journalled{4, InflightBatch{3, ids, ToBytes("x")}};
  ASSERT_TRUE(OutboxJournal::Save(store, journalled).ok());
  EXPECT_EQ(store.Counts()->pending, 4);
  Result<JournalState> state = OutboxJournal::Load(store);
  ASSERT_TRUE(OutboxJournal::Repair(store, *state).ok());
  EXPECT_EQ(store.Counts()->pending, 0);
  EXPECT_EQ(store.Counts()->in_batch, 4);
  EXPECT_EQ(*store.Get(ids[0])->batch_seq, 3);
}

TEST_F(OutboxJournalTest, CrashBetweenAcknowledgeAndJournalClearIsHarmless) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 3);
  JournalState state;
  ASSERT_TRUE(OutboxJournal::Begin(store, state, {1, ids, ToBytes("x")}).ok());
  ASSERT_TRUE(store.Acknowledge(1).ok());  // ...and then the process died
  Result<JournalState> reloaded = OutboxJournal::Load(store);
  ASSERT_TRUE(reloaded->inflight);
  ASSERT_TRUE(OutboxJournal::Repair(store, *reloaded).ok());  // nothing is pending: no-op
  EXPECT_EQ(store.Counts()->acknowledged, 3);
  ASSERT_TRUE(OutboxJournal::Complete(store, *reloaded).ok());  // the resend's answer
  EXPECT_EQ(store.Counts()->acknowledged, 3);
  EXPECT_FALSE(OutboxJournal::Load(store)->inflight);
}

TEST_F(OutboxJournalTest, AbandonReturnsRecordsAndNeverReusesASeq) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 3);
  JournalState state;
  ASSERT_TRUE(OutboxJournal::Begin(store, state, {1, ids, ToBytes("x")}).ok());
  ASSERT_TRUE(OutboxJournal::Abandon(store, state, 10).ok());
  EXPECT_EQ(store.Counts()->pending, 3);
  EXPECT_EQ(state.next_seq, 10);
  EXPECT_EQ(OutboxJournal::Load(store)->next_seq, 10);
  // A lower hint never moves the sequence backwards.
  ASSERT_TRUE(OutboxJournal::Begin(store, state, {10, ids, ToBytes("y")}).ok());
  ASSERT_TRUE(OutboxJournal::Abandon(store, state, 2).ok());
  EXPECT_EQ(state.next_seq, 11);
}

TEST_F(OutboxJournalTest, BeginRefusesAWrongSeqOrASecondInflightBatch) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 2);
  JournalState state;
  EXPECT_EQ(OutboxJournal::Begin(store, state, {5, ids, {}}).code(), Status::Code::kInternal);
  ASSERT_TRUE(OutboxJournal::Begin(store, state, {1, {ids[0]}, {}}).ok());
  EXPECT_EQ(OutboxJournal::Begin(store, state, {2, {ids[1]}, {}}).code(), Status::Code::kInternal);
}

TEST_F(OutboxJournalTest, CorruptJournalIsReportedNotReset) {
  CaptureStore store = Open();
  ASSERT_TRUE(store.SetSetting(kSettingSyncOutbox, "{not json").ok());
  Result<JournalState> state = OutboxJournal::Load(store);
  EXPECT_EQ(state.status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace feedback::sync
