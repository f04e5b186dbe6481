// BatchBuilder: record and byte limits, what a batch carries (epochs, sealed
// fields, backlog), and that the central side can verify and open it.
#include "daemon/batch_builder.h"

#include <gtest/gtest.h>

#include <random>

#include "capture/epoch_opener.h"
#include "capture/epoch_sealer.h"
#include "crypto/x25519_key_pair.h"
#include "protocol/batch_codec.h"
#include "protocol/limits.h"
#include "store/test_support.h"
#include "sync_test_support.h"

namespace feedback::sync {
namespace {

using feedback::testing::TempDir;

class BatchBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<X25519KeyPair> central = X25519KeyPair::Generate();
    ASSERT_TRUE(central.ok());
    central_public_ = central->public_key();
    opener_.emplace(std::move(central).value());
    Result<EpochSealer> sealer = EpochSealer::Create(central_public_, clock_);
    ASSERT_TRUE(sealer.ok());
    sealer_.emplace(std::move(sealer).value());
    Result<CaptureStore> store = CaptureStore::Open(dir_.File("capture.db"), &*sealer_, clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_.emplace(std::move(store).value());
    Result<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
    ASSERT_TRUE(key.ok());
    key_.emplace(std::move(key).value());
  }

  std::vector<FeedbackRecord> Capture(int n, const std::string& comment = "") {
    std::vector<FeedbackRecord> out;
    for (int i = 0; i < n; ++i) {
      FeedbackRecord r = testing::MakeKioskRecord(ids_, rng_, "kiosk-1", "store-1", comment);
      EXPECT_TRUE(store_->Capture(r).ok());
      out.push_back(std::move(r));
    }
    return out;
  }

  TempDir dir_;
  SystemClock& clock_ = SystemClock::Instance();
  Bytes central_public_;
  std::optional<EpochOpener> opener_;
  std::optional<EpochSealer> sealer_;
  std::optional<CaptureStore> store_;
  std::optional<Ed25519PrivateKey> key_;
  UuidGenerator ids_;
  std::mt19937 rng_{1234};
  const BatchIdentity identity_{"kiosk-1", "store-1"};
};

TEST_F(BatchBuilderTest, NothingPendingGivesNoBatch) {
  Result<std::optional<BuiltBatch>> built =
      BuildNextBatch(*store_, identity_, *key_, 1, 1000, 1000);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_FALSE(built->has_value());
}

TEST_F(BatchBuilderTest, BatchIsSignedAndOpensToExactlyWhatWasCaptured) {
  std::vector<FeedbackRecord> captured = Capture(25);
  Result<std::optional<BuiltBatch>> built =
      BuildNextBatch(*store_, identity_, *key_, 7, 123456, 1000);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  ASSERT_TRUE(built->has_value());
  const BuiltBatch& b = **built;
  EXPECT_EQ(b.seq, 7);
  ASSERT_EQ(b.record_ids.size(), 25u);

  Result<protocol::DecodedBatch> decoded = protocol::DecodeBatch(b.envelope);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(protocol::VerifyBatch(*decoded, key_->public_key_bytes()).ok());
  const protocol::Batch& batch = decoded->batch;
  EXPECT_EQ(batch.device_id, "kiosk-1");
  EXPECT_EQ(batch.site_id, "store-1");
  EXPECT_EQ(batch.seq, 7);
  EXPECT_EQ(batch.created, 123456);
  EXPECT_EQ(batch.backlog, 0);
  ASSERT_EQ(batch.epochs.size(), 1u);  // one capture process, one epoch
  ASSERT_EQ(batch.records.size(), 25u);
  for (size_t i = 0; i < captured.size(); ++i) {
    const protocol::BatchRecord& wire = batch.records[i];
    Result<FeedbackRecord> rec = RecordFromJson(wire.pub);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    FeedbackRecord opened = *rec;
    if (SensitiveJson(captured[i]) == "{}") {  // nothing to seal: nothing sealed
      EXPECT_TRUE(wire.epoch_id.empty());
      EXPECT_TRUE(wire.sealed.empty());
      EXPECT_EQ(opened, captured[i]);
      continue;
    }
    ASSERT_EQ(wire.epoch_id, batch.epochs[0].id);
    Result<Bytes> plain =
        opener_->OpenFields(wire.epoch_id, batch.epochs[0].sealed_key, wire.sealed,
                            RecordAssociatedData(opened.id, opened.device_id));
    ASSERT_TRUE(plain.ok()) << plain.status().ToString();
    ASSERT_TRUE(MergeSensitive(ToString(*plain), opened).ok());
    EXPECT_EQ(opened, captured[i]) << "record " << i;
    // Nothing sensitive travels in the clear.
    if (captured[i].hero) {
      EXPECT_EQ(wire.pub.dump().find("lost keys"), std::string::npos);
    }
  }
}

TEST_F(BatchBuilderTest, SameBytesAsEncodingTheParsedRecords) {
  // The builder passes each stored public part through as is; the envelope is
  // exactly the one made by parsing the records and encoding them as JSON
  // trees (the way batches were built before), so the wire is unchanged.
  Capture(300);
  BatchBuilder builder(identity_, *key_);
  Result<std::optional<BuiltBatch>> built = builder.BuildNext(*store_, 9, 1'234'567, 1000);
  ASSERT_TRUE(built.ok() && built->has_value()) << built.status().ToString();
  Result<std::vector<StoredRecord>> stored = store_->Pending(1000);
  ASSERT_TRUE(stored.ok());
  Result<Bytes> reference =
      protocol::EncodeBatch(MakeBatch(identity_, 9, 1'234'567, 0, *stored), *key_);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  EXPECT_EQ((*built)->envelope, *reference);
  // The builder is reused batch after batch.
  Result<std::optional<BuiltBatch>> again = builder.BuildNext(*store_, 9, 1'234'567, 1000);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->envelope, *reference);
}

TEST_F(BatchBuilderTest, AtMostMaxRecordsAndBacklogCountsTheRest) {
  Capture(1'234);
  Result<std::optional<BuiltBatch>> first = BuildNextBatch(*store_, identity_, *key_, 1, 0, 5'000);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->record_ids.size(), protocol::kMaxRecordsPerBatch);  // clamped to 1000
  Result<protocol::DecodedBatch> d1 = protocol::DecodeBatch((*first)->envelope);
  ASSERT_TRUE(d1.ok());
  EXPECT_EQ(d1->batch.backlog, 234);

  ASSERT_TRUE(store_->AssignToBatch(1, (*first)->record_ids).ok());
  Result<std::optional<BuiltBatch>> second = BuildNextBatch(*store_, identity_, *key_, 2, 0, 100);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->record_ids.size(), 100u);
  Result<protocol::DecodedBatch> d2 = protocol::DecodeBatch((*second)->envelope);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->batch.backlog, 134);
  // Oldest first, and no record in two batches.
  EXPECT_LT((*first)->record_ids.back(), (*second)->record_ids.front());
}

TEST_F(BatchBuilderTest, LargeRecordsAreSplitSoThePayloadStaysUnderOneMiB) {
  // 20 records with a 60 KB comment each: sealed, so incompressible - about
  // 1.2 MB in all, more than one batch may carry.
  std::string big;
  std::mt19937 text_rng(5);
  for (int i = 0; i < 60'000; ++i) big.push_back(static_cast<char>('a' + text_rng() % 26));
  Capture(20, big);
  size_t total = 0;
  int64_t seq = 1;
  while (true) {
    Result<std::optional<BuiltBatch>> built =
        BuildNextBatch(*store_, identity_, *key_, seq, 0, 1000);
    ASSERT_TRUE(built.ok()) << built.status().ToString();
    if (!built->has_value()) break;
    const BuiltBatch& b = **built;
    EXPECT_LE(b.envelope.size(), protocol::kMaxBatchBytes);
    EXPECT_TRUE(protocol::DecodeBatch(b.envelope).ok());
    EXPECT_LT(b.record_ids.size(), 20u);
    total += b.record_ids.size();
    ASSERT_TRUE(store_->AssignToBatch(seq, b.record_ids).ok());
    ++seq;
  }
  EXPECT_EQ(total, 20u);
  EXPECT_GE(seq, 3);  // needed at least two batches
}

TEST_F(BatchBuilderTest, TypicalKioskRecordCostsFewBytesOnTheWire) {
  Capture(1000);
  Result<std::optional<BuiltBatch>> built = BuildNextBatch(*store_, identity_, *key_, 1, 0, 1000);
  ASSERT_TRUE(built.ok() && built->has_value());
  const double per_record = static_cast<double>((*built)->envelope.size()) / 1000.0;
  std::printf("envelope %zu bytes for 1000 records: %.1f B/record\n", (*built)->envelope.size(),
              per_record);
  EXPECT_LE(per_record, 200.0);
}

}  // namespace
}  // namespace feedback::sync
