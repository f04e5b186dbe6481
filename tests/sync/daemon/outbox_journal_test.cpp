// OutboxJournal: seq persistence across restarts, journalled batches kept
// byte for byte and resumed oldest first, every step atomic (a step that
// fails half way leaves nothing of it behind, as a crash would), Abandon, and
// the takeover of a journal written by an older feedback-sync. A "crash" here
// is closing the store and reopening it, as a restarted daemon would.
#include "daemon/outbox_journal.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

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
  // A batch of these records, with their rowid range as BatchBuilder sets it.
  static BuiltBatch Batch(CaptureStore& store, int64_t seq, std::vector<std::string> ids,
                          const std::string& bytes) {
    BuiltBatch batch{seq, std::move(ids), ToBytes(bytes)};
    for (const std::string& id : batch.record_ids) {
      Result<Statement> q = store.database().Prepare("SELECT rowid FROM records WHERE id = ?");
      EXPECT_TRUE(q.ok());
      Result<bool> row = q->Bind(1, id).Step();
      EXPECT_TRUE(row.ok() && *row) << id;
      const int64_t rowid = q->ColumnInt(0);
      if (batch.first_rowid == 0 || rowid < batch.first_rowid) batch.first_rowid = rowid;
      batch.last_rowid = std::max(batch.last_rowid, rowid);
    }
    return batch;
  }
  static Status Begin(CaptureStore& store, JournalState& state, const BuiltBatch& batch) {
    return OutboxJournal::Advance(store, state, {.begin = &batch});
  }
  static Status Acknowledge(CaptureStore& store, JournalState& state, TimeMs at = 1234) {
    return OutboxJournal::Advance(store, state,
                                  {.acknowledge_oldest = true, .acknowledged_at = at});
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
  EXPECT_TRUE(state->batches.empty());
}

TEST_F(OutboxJournalTest, JournalledBatchSurvivesRestartByteForByte) {
  const std::string envelope = std::string("signed envelope \x01\x02\x00\xff", 20);
  {
    CaptureStore store = Open();
    std::vector<std::string> ids = Capture(store, 5);
    JournalState state;
    ASSERT_TRUE(Begin(store, state, Batch(store, 1, ids, envelope)).ok());
    EXPECT_EQ(state.next_seq, 2);
    // The journal row alone puts the records in the batch.
    EXPECT_EQ(store.Counts()->in_batch, 5);
    EXPECT_EQ(store.Counts()->pending, 0);
  }  // crash before the central store answered
  CaptureStore store = Open();
  Result<JournalState> state = OutboxJournal::Load(store);
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  ASSERT_EQ(state->batches.size(), 1u);
  EXPECT_EQ(state->batches[0], (JournalledBatch{1, 5, ToBytes(envelope), 1, 5}));
  EXPECT_EQ(state->next_seq, 2);

  ASSERT_TRUE(Acknowledge(store, *state, 777).ok());
  EXPECT_EQ(store.Counts()->acknowledged, 5);
  EXPECT_EQ(store.Counts()->in_batch, 0);
  EXPECT_EQ(*store.GetSetting(kSettingSyncLastSuccess), "777");
  Result<JournalState> after = OutboxJournal::Load(store);
  EXPECT_TRUE(after->batches.empty());
  EXPECT_EQ(after->next_seq, 2);
}

TEST_F(OutboxJournalTest, SeveralJournalledBatchesResumeOldestFirst) {
  {
    CaptureStore store = Open();
    std::vector<std::string> ids = Capture(store, 6);
    JournalState state;
    ASSERT_TRUE(Begin(store, state, Batch(store, 1, {ids[0], ids[1], ids[2]}, "one")).ok());
    // Batch 1 in flight, batch 2 journalled meanwhile.
    ASSERT_TRUE(Begin(store, state, Batch(store, 2, {ids[3], ids[4]}, "two")).ok());
  }  // crash
  CaptureStore store = Open();
  Result<JournalState> state = OutboxJournal::Load(store);
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->batches.size(), 2u);
  EXPECT_EQ(state->batches[0].seq, 1);
  EXPECT_EQ(state->batches[1].seq, 2);
  EXPECT_EQ(state->next_seq, 3);
  EXPECT_EQ(store.Counts()->pending, 1);

  // The 200 for batch 1: acknowledged while batch 3 is journalled, in one step.
  std::vector<StoredRecord> pending = *store.Pending(10);
  ASSERT_EQ(pending.size(), 1u);
  BuiltBatch third = Batch(store, 3, {pending[0].record.id}, "three");
  ASSERT_TRUE(
      OutboxJournal::Advance(store, *state,
                             {.acknowledge_oldest = true, .acknowledged_at = 5, .begin = &third})
          .ok());
  EXPECT_EQ(store.Counts()->acknowledged, 3);
  EXPECT_EQ(store.Counts()->in_batch, 3);
  ASSERT_EQ(state->batches.size(), 2u);
  EXPECT_EQ(state->batches[0].seq, 2);
  EXPECT_EQ(state->batches[1].seq, 3);
  EXPECT_EQ(*OutboxJournal::Load(store), *state);
}

TEST_F(OutboxJournalTest, JournalledRecordsKeepTheirRowsUntilAcknowledged) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 5);
  JournalState state;
  ASSERT_TRUE(Begin(store, state, Batch(store, 1, {ids[0], ids[1], ids[2]}, "one")).ok());
  EXPECT_EQ(store.Get(ids[0])->state, OutboxState::kPending);
  EXPECT_FALSE(store.Get(ids[0])->batch_seq);
  // ...yet they count as in the batch, and the daemon's reads skip them.
  EXPECT_EQ(store.Counts()->in_batch, 3);
  EXPECT_EQ(store.Counts()->pending, 2);
  EXPECT_EQ(*store.PendingCount(), 2);
  std::vector<OutboxRecord> next;
  ASSERT_TRUE(store.ReadPendingForSync(10, &next).ok());
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].id, ids[3]);
  EXPECT_EQ(next[1].id, ids[4]);
  EXPECT_EQ(store.Pending(10)->size(), 2u);
  // A batch that would take a journalled record again is refused.
  EXPECT_EQ(Begin(store, state, Batch(store, 2, {ids[2], ids[3]}, "x")).code(),
            Status::Code::kConflict);
  ASSERT_TRUE(Acknowledge(store, state).ok());
  EXPECT_EQ(store.Get(ids[0])->state, OutboxState::kAcknowledged);
  EXPECT_EQ(*store.Get(ids[2])->batch_seq, 1);
  EXPECT_EQ(store.Get(ids[3])->state, OutboxState::kPending);
  EXPECT_EQ(store.Counts()->acknowledged, 3);
  EXPECT_EQ(store.Counts()->in_batch, 0);
  EXPECT_EQ(store.Counts()->pending, 2);
}

TEST_F(OutboxJournalTest, AStepThatFailsHalfWayLeavesNothingBehind) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 4);
  JournalState state;
  ASSERT_TRUE(Begin(store, state, Batch(store, 1, {ids[0], ids[1]}, "one")).ok());
  const JournalState before = state;
  // Acknowledge batch 1 and journal batch 2 - but one of batch 2's records
  // is in batch 1 (its range overlaps), so the step fails after the
  // acknowledgement was already written inside the transaction.
  BuiltBatch bad = Batch(store, 2, {ids[2], ids[0]}, "two");
  Status s = OutboxJournal::Advance(
      store, state, {.acknowledge_oldest = true, .acknowledged_at = 9, .begin = &bad});
  EXPECT_EQ(s.code(), Status::Code::kConflict) << s.ToString();
  EXPECT_EQ(state, before);
  EXPECT_EQ(store.Counts()->acknowledged, 0);
  EXPECT_EQ(store.Counts()->in_batch, 2);
  EXPECT_EQ(store.Counts()->pending, 2);
  EXPECT_FALSE(store.GetSetting(kSettingSyncLastSuccess).ok());
  EXPECT_EQ(*OutboxJournal::Load(store), before);
}

TEST_F(OutboxJournalTest, AbandonReturnsEveryJournalledBatchAndNeverReusesASeq) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 3);
  JournalState state;
  ASSERT_TRUE(Begin(store, state, Batch(store, 1, {ids[0]}, "x")).ok());
  ASSERT_TRUE(Begin(store, state, Batch(store, 2, {ids[1], ids[2]}, "y")).ok());
  ASSERT_TRUE(OutboxJournal::Abandon(store, state, 10).ok());
  EXPECT_EQ(store.Counts()->pending, 3);
  EXPECT_TRUE(state.batches.empty());
  EXPECT_EQ(state.next_seq, 10);
  EXPECT_EQ(*OutboxJournal::Load(store), state);
  // A lower hint never moves the sequence backwards.
  ASSERT_TRUE(Begin(store, state, Batch(store, 10, ids, "z")).ok());
  ASSERT_TRUE(OutboxJournal::Abandon(store, state, 2).ok());
  EXPECT_EQ(state.next_seq, 11);
  EXPECT_EQ(store.Counts()->pending, 3);
}

TEST_F(OutboxJournalTest, StepsThatBreakTheRulesAreRefused) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 2);
  JournalState state;
  EXPECT_EQ(Begin(store, state, Batch(store, 5, ids, "")).code(), Status::Code::kInternal);
  EXPECT_EQ(Acknowledge(store, state).code(), Status::Code::kInternal);  // nothing journalled
  EXPECT_EQ(store.Counts()->pending, 2);
}

TEST_F(OutboxJournalTest, CorruptJournalIsReportedNotReset) {
  CaptureStore store = Open();
  ASSERT_TRUE(store.SetSetting(kSettingSyncOutbox, "{not json").ok());
  Result<JournalState> state = OutboxJournal::Load(store);
  EXPECT_EQ(state.status().code(), Status::Code::kCorruption);
}

// The journal as feedback-sync wrote it before the outbox_batches table.
std::string LegacyJournal(int64_t next_seq, int64_t seq, const std::vector<std::string>& ids,
                          const std::string& envelope) {
  return nlohmann::json{
      {"next_seq", next_seq},
      {"inflight", {{"seq", seq}, {"ids", ids}, {"envelope", Base64Encode(AsBytes(envelope))}}}}
      .dump();
}

TEST_F(OutboxJournalTest, LegacyInflightBatchIsTakenOverWithItsStillPendingRecords) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 4);
  // The old daemon journalled batch 3 and crashed before moving all records.
  ASSERT_TRUE(store.AssignToBatch(3, {ids[0]}).ok());
  ASSERT_TRUE(store.SetSetting(kSettingSyncOutbox, LegacyJournal(4, 3, ids, "old envelope")).ok());
  Result<JournalState> state = OutboxJournal::Load(store);
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  ASSERT_EQ(state->batches.size(), 1u);
  EXPECT_EQ(state->batches[0], (JournalledBatch{3, 4, ToBytes("old envelope")}));
  EXPECT_EQ(state->next_seq, 4);
  EXPECT_EQ(store.Counts()->in_batch, 4);
  EXPECT_EQ(*store.Get(ids[3])->batch_seq, 3);
  // Taken over once: the settings row no longer carries the batch.
  EXPECT_EQ(nlohmann::json::parse(*store.GetSetting(kSettingSyncOutbox)),
            (nlohmann::json{{"next_seq", 4}}));
  EXPECT_EQ(*OutboxJournal::Load(store), *state);
  ASSERT_TRUE(Acknowledge(store, *state).ok());
  EXPECT_EQ(store.Counts()->acknowledged, 4);
}

TEST_F(OutboxJournalTest, LegacyBatchAcknowledgedBeforeTheCrashIsResentHarmlessly) {
  CaptureStore store = Open();
  std::vector<std::string> ids = Capture(store, 3);
  ASSERT_TRUE(store.AssignToBatch(1, ids).ok());
  ASSERT_TRUE(store.Acknowledge(1).ok());  // ...and then the old daemon died
  ASSERT_TRUE(store.SetSetting(kSettingSyncOutbox, LegacyJournal(2, 1, ids, "x")).ok());
  Result<JournalState> state = OutboxJournal::Load(store);
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->batches.size(), 1u);  // re-sent: the central store answers it as a replay
  EXPECT_EQ(store.Counts()->acknowledged, 3);
  ASSERT_TRUE(Acknowledge(store, *state).ok());
  EXPECT_EQ(store.Counts()->acknowledged, 3);
  EXPECT_TRUE(OutboxJournal::Load(store)->batches.empty());
}

}  // namespace
}  // namespace feedback::sync
