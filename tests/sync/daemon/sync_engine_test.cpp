// SyncEngine over the real curl transport against an in-process fake central
// store on 127.0.0.1: batching, acknowledgement only after the answer,
// transient / rate-limited / permanent outcomes, resume after a restart with
// the identical batch, 409 and 413 recovery, the downstream pull, and the
// daemon loop's status reporting and prompt shutdown.
#include "daemon/sync_engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <sstream>

#include "capture/epoch_sealer.h"
#include "crypto/x25519_key_pair.h"
#include "store/test_support.h"
#include "sync_test_support.h"

namespace feedback::sync {
namespace {

using feedback::testing::TempDir;
using testing::FakeCentral;

class CurlGlobalEnv : public ::testing::Environment {
 public:
  void SetUp() override { curl_global_init(CURL_GLOBAL_DEFAULT); }
  void TearDown() override { curl_global_cleanup(); }
};
const auto* const kCurlEnv = ::testing::AddGlobalTestEnvironment(new CurlGlobalEnv);

std::string ReadAsset(const std::string& name) {
  std::ifstream in(std::string(FEEDBACK_ASSETS_DIR) + "/surveys/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SyncEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
    ASSERT_TRUE(key.ok());
    key_.emplace(std::move(key).value());
    Result<X25519KeyPair> central = X25519KeyPair::Generate();
    ASSERT_TRUE(central.ok());
    Result<EpochSealer> sealer =
        EpochSealer::Create(central->public_key(), SystemClock::Instance());
    ASSERT_TRUE(sealer.ok());
    sealer_.emplace(std::move(sealer).value());
    central_ = std::make_unique<FakeCentral>(key_->public_key_bytes(), "kiosk-1", "store-1");
    config_.device_id = "kiosk-1";
    config_.site_id = "store-1";
    config_.central_url = central_->url();
    config_.capture_db = dir_.File("capture.db");
    Result<CaptureStore> capture = CaptureStore::Open(config_.capture_db, &*sealer_);
    ASSERT_TRUE(capture.ok());
    capture_.emplace(std::move(capture).value());
    StartDaemon();
  }

  // What a (re)started daemon process does: its own store connection, transport, engine.
  void StartDaemon() {
    engine_.reset();
    transport_.reset();
    store_.reset();
    Result<CaptureStore> store = CaptureStore::Open(config_.capture_db, nullptr);
    ASSERT_TRUE(store.ok());
    store_.emplace(std::move(store).value());
    CurlTransportOptions o;
    o.base_url = config_.central_url;
    o.total_timeout_ms = 10'000;
    o.stop = &stop_;
    Result<std::unique_ptr<CurlTransport>> t = CurlTransport::Create(o);
    ASSERT_TRUE(t.ok());
    transport_ = std::move(t).value();
    options_.seed = 1;
    engine_ = std::make_unique<SyncEngine>(config_, *store_, *key_, *transport_,
                                           SystemClock::Instance(), stop_, options_);
    ASSERT_TRUE(engine_->Init().ok());
  }

  std::vector<FeedbackRecord> Capture(int n) {
    std::vector<FeedbackRecord> out;
    for (int i = 0; i < n; ++i) {
      FeedbackRecord r = testing::MakeKioskRecord(ids_, rng_, "kiosk-1", "store-1");
      EXPECT_TRUE(capture_->Capture(r).ok());
      out.push_back(std::move(r));
    }
    return out;
  }

  PushResult Push() {
    Result<PushResult> r = engine_->PushOnce();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : PushResult{};
  }

  OutboxCounts Counts() { return store_->Counts().value_or(OutboxCounts{}); }

  TempDir dir_;
  std::optional<Ed25519PrivateKey> key_;
  std::optional<EpochSealer> sealer_;
  std::unique_ptr<FakeCentral> central_;
  DeviceConfig config_;
  std::optional<CaptureStore> capture_;  // the kiosk's connection
  std::optional<CaptureStore> store_;    // the daemon's connection
  std::unique_ptr<CurlTransport> transport_;
  StopSignal stop_{200};
  SyncOptions options_;
  std::unique_ptr<SyncEngine> engine_;
  UuidGenerator ids_;
  std::mt19937 rng_{99};
};

TEST_F(SyncEngineTest, EmptyOutboxSendsNothing) {
  EXPECT_EQ(Push().outcome, PushOutcome::kNothingToSend);
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_EQ(central_->batch_posts, 0);
}

TEST_F(SyncEngineTest, DeliversEverythingInBoundedBatchesAndAcknowledgesAfterTheAnswer) {
  Capture(2'500);
  Result<PushResult> drained = engine_->DrainOnce();
  ASSERT_TRUE(drained.ok());
  EXPECT_EQ(drained->outcome, PushOutcome::kNothingToSend);
  EXPECT_EQ(Counts().acknowledged, 2'500);
  EXPECT_EQ(Counts().pending + Counts().in_batch, 0);
  EXPECT_EQ(engine_->journal().next_seq, 4);
  EXPECT_EQ(engine_->counters().records_delivered, 2'500);
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_EQ(central_->records.size(), 2'500u);
  EXPECT_EQ(central_->batch_record_counts, (std::vector<size_t>{1000, 1000, 500}));
  for (size_t bytes : central_->batch_sizes) EXPECT_LE(bytes, protocol::kMaxBatchBytes);
  EXPECT_EQ(central_->duplicates, 0);
}

TEST_F(SyncEngineTest, EachBatchIsJournalledBeforeItIsSentAndAcknowledgedOnlyAfterItsAnswer) {
  Capture(5'500);
  Result<CaptureStore> reader = CaptureStore::Open(config_.capture_db, nullptr);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> problems;
  int observed = 0;
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    // The device DB as each batch reaches the central store (the next one is
    // being journalled and the previous acknowledged on the worker meanwhile).
    central_->on_batch = [&](const protocol::Batch& batch, const std::string& body) {
      ++observed;
      const std::vector<JournalledBatch> journal =
          reader->JournalledBatches().value_or(std::vector<JournalledBatch>{});
      bool journalled = false;
      for (const JournalledBatch& j : journal) {
        journalled = journalled || (j.seq == batch.seq && j.envelope == ToBytes(body));
      }
      if (!journalled) problems.push_back("batch " + std::to_string(batch.seq) + " not journalled");
      if (journal.size() > 3) problems.push_back("more than 3 batches journalled");
      const int64_t acknowledged = reader->Counts()->acknowledged;
      if (acknowledged > (batch.seq - 1) * 1000) {
        problems.push_back("batch " + std::to_string(batch.seq) + " sent with " +
                           std::to_string(acknowledged) + " records acknowledged");
      }
    };
  }
  Result<PushResult> drained = engine_->DrainOnce();
  ASSERT_TRUE(drained.ok()) << drained.status().ToString();
  EXPECT_EQ(drained->outcome, PushOutcome::kNothingToSend);
  std::lock_guard<std::mutex> lock(central_->mu);
  central_->on_batch = nullptr;
  EXPECT_EQ(observed, 6);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(central_->batch_record_counts,
            (std::vector<size_t>{1000, 1000, 1000, 1000, 1000, 500}));
  EXPECT_EQ(central_->records.size(), 5'500u);
  EXPECT_EQ(central_->duplicates, 0);
  EXPECT_EQ(central_->batch_posts, 6);  // nothing sent twice
  EXPECT_EQ(Counts().acknowledged, 5'500);
  EXPECT_TRUE(store_->JournalledBatches()->empty());
  EXPECT_EQ(engine_->journal().next_seq, 7);
}

TEST_F(SyncEngineTest, RestartWithTwoJournalledBatchesResendsBothInOrder) {
  Capture(2'500);
  // Batch 1 delivered; meanwhile batch 2 was journalled, and after the answer
  // the worker acknowledged 1 and journalled 3.
  ASSERT_EQ(Push().outcome, PushOutcome::kDelivered);
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->ingest_then_fail = true;  // batch 2 stored, its answer lost
  }
  PushResult lost = Push();
  EXPECT_EQ(lost.outcome, PushOutcome::kTransient);
  EXPECT_EQ(lost.seq, 2);
  StartDaemon();  // the daemon restarts with batches 2 and 3 journalled
  ASSERT_EQ(engine_->journal().batches.size(), 2u);
  EXPECT_EQ(engine_->journal().batches[0].seq, 2);
  EXPECT_EQ(engine_->journal().batches[1].seq, 3);
  EXPECT_EQ(Counts().acknowledged, 1'000);
  EXPECT_EQ(Counts().in_batch, 1'500);

  PushResult replay = Push();
  EXPECT_EQ(replay.outcome, PushOutcome::kDelivered);
  EXPECT_EQ(replay.seq, 2);
  EXPECT_EQ(replay.duplicates, 1'000);  // answered as a replay of the stored batch
  PushResult third = Push();
  EXPECT_EQ(third.outcome, PushOutcome::kDelivered);
  EXPECT_EQ(third.seq, 3);
  EXPECT_EQ(third.records, 500);
  EXPECT_EQ(Push().outcome, PushOutcome::kNothingToSend);
  EXPECT_EQ(Counts().acknowledged, 2'500);
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_EQ(central_->records.size(), 2'500u);
  EXPECT_EQ(central_->duplicates, 0);
  EXPECT_EQ(central_->last_seq, 3);
}

TEST_F(SyncEngineTest, TransientFailuresResendTheSameBatchAndAckNothingMeanwhile) {
  Capture(10);
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->next_statuses = {503, 502, 500};
  }
  for (int i = 0; i < 3; ++i) {
    PushResult r = Push();
    EXPECT_EQ(r.outcome, PushOutcome::kTransient);
    EXPECT_EQ(r.seq, 1);
    EXPECT_FALSE(r.error.empty());
    EXPECT_EQ(Counts().in_batch, 10);
    EXPECT_EQ(Counts().acknowledged, 0);
  }
  PushResult ok = Push();
  EXPECT_EQ(ok.outcome, PushOutcome::kDelivered);
  EXPECT_EQ(ok.seq, 1);
  EXPECT_EQ(ok.stored, 10);
  EXPECT_EQ(Counts().acknowledged, 10);
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_EQ(central_->batch_posts, 4);
  EXPECT_EQ(central_->digests.size(), 1u);
}

TEST_F(SyncEngineTest, RateLimitReportsRetryAfter) {
  Capture(3);
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->next_statuses = {429};
    central_->retry_after = "17";
  }
  PushResult r = Push();
  EXPECT_EQ(r.outcome, PushOutcome::kRateLimited);
  EXPECT_EQ(r.retry_after_seconds, 17);
  EXPECT_EQ(Counts().acknowledged, 0);
  EXPECT_EQ(Push().outcome, PushOutcome::kDelivered);
}

TEST_F(SyncEngineTest, PermanentRefusalsKeepEveryRecord) {
  Capture(5);
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->next_statuses = {401, 403, 400};
  }
  for (const char* advice : {"enrolled", "revoked", "protocol version"}) {
    PushResult r = Push();
    EXPECT_EQ(r.outcome, PushOutcome::kPermanent);
    EXPECT_NE(r.error.find(advice), std::string::npos) << r.error;
    EXPECT_EQ(Counts().in_batch, 5);  // kept, not deleted, not re-queued
  }
  EXPECT_EQ(Push().outcome, PushOutcome::kDelivered);
  EXPECT_EQ(Counts().acknowledged, 5);
}

TEST_F(SyncEngineTest, ABatchSignedByAnotherKeyIsRefusedAsPermanent) {
  Capture(2);
  Result<Ed25519PrivateKey> other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  key_.emplace(std::move(other).value());
  StartDaemon();
  PushResult r = Push();
  EXPECT_EQ(r.outcome, PushOutcome::kPermanent);
  EXPECT_EQ(Counts().acknowledged, 0);
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_EQ(central_->bad_signatures, 1);
  EXPECT_TRUE(central_->records.empty());
}

TEST_F(SyncEngineTest, LostAnswerThenRestartResendsTheIdenticalBatch) {
  Capture(50);
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->ingest_then_fail = true;  // stored, but the answer never arrives
  }
  EXPECT_EQ(Push().outcome, PushOutcome::kTransient);
  EXPECT_EQ(Counts().in_batch, 50);
  Capture(7);     // the kiosk keeps capturing meanwhile
  StartDaemon();  // the daemon restarts
  PushResult again = Push();
  EXPECT_EQ(again.outcome, PushOutcome::kDelivered);
  EXPECT_EQ(again.seq, 1);  // same seq; the central store matched the digest (else 409)
  EXPECT_EQ(again.duplicates, 50);
  EXPECT_EQ(Push().outcome, PushOutcome::kDelivered);  // then the 7 new ones as seq 2
  EXPECT_EQ(Counts().acknowledged, 57);
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_EQ(central_->records.size(), 57u);
  EXPECT_EQ(central_->last_seq, 2);
}

TEST_F(SyncEngineTest, SequenceConflictRequeuesUnderAFreshSeq) {
  Capture(4);
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->conflict_last_seq = 41;
  }
  PushResult r = Push();
  EXPECT_EQ(r.outcome, PushOutcome::kTransient);
  EXPECT_EQ(Counts().pending, 4);
  EXPECT_EQ(engine_->journal().next_seq, 42);
  PushResult ok = Push();
  EXPECT_EQ(ok.outcome, PushOutcome::kDelivered);
  EXPECT_EQ(ok.seq, 42);
  EXPECT_EQ(Counts().acknowledged, 4);
}

TEST_F(SyncEngineTest, BatchPrebuiltDuringAConflictIsDiscardedAndNothingIsLostOrDoubled) {
  Capture(2'100);
  PushResult first = Push();  // batch 1 (full): batch 2 is pre-built while it is in flight
  ASSERT_EQ(first.outcome, PushOutcome::kDelivered);
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->conflict_last_seq = 9;
  }
  PushResult conflict = Push();  // batch 2 (pre-built) refused; batch 3 pre-built meanwhile
  ASSERT_EQ(conflict.outcome, PushOutcome::kTransient);
  EXPECT_EQ(conflict.seq, 2);
  EXPECT_EQ(Counts().pending, 1'100);  // batch 2's records are back
  Result<PushResult> drained = engine_->DrainOnce();
  ASSERT_TRUE(drained.ok());
  EXPECT_EQ(drained->outcome, PushOutcome::kNothingToSend);
  EXPECT_EQ(Counts().acknowledged, 2'100);
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_EQ(central_->records.size(), 2'100u);
  EXPECT_EQ(central_->duplicates, 0);
  EXPECT_GE(central_->last_seq, 10);  // nothing re-used a refused seq
}

TEST_F(SyncEngineTest, TooLargeHalvesTheBatch) {
  Capture(600);
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->next_statuses = {413};
  }
  EXPECT_EQ(Push().outcome, PushOutcome::kTransient);
  EXPECT_EQ(Counts().pending, 600);
  PushResult r = Push();
  EXPECT_EQ(r.outcome, PushOutcome::kDelivered);
  EXPECT_EQ(r.records, 300);
  ASSERT_TRUE(engine_->DrainOnce().ok());
  EXPECT_EQ(Counts().acknowledged, 600);
}

TEST_F(SyncEngineTest, PullStoresValidatedSurveysRosterStoriesAndBranding) {
  std::string v2 = ReadAsset("retail_kiosk.json");
  const size_t pos = v2.find("\"version\": 1");
  ASSERT_NE(pos, std::string::npos);
  v2.replace(pos, 12, "\"version\": 2");
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->state.surveys = {{"retail_kiosk", 2, Channel::kKiosk, v2},
                               {"broken", 1, Channel::kCall, "{\"id\":\"broken\",\"version\":1}"}};
    central_->state.roster = {{"s1", "Maria", "front"}, {"s2", "Ahmed", "back"}};
    central_->state.hero_stories = {
        {"h1", "s1", "Maria", "Found my keys", "front", 1'700'000'000'000}};
    central_->state.branding = {{"primary", "#123456"}};
  }
  Result<PullResult> pulled = engine_->PullOnce();
  ASSERT_TRUE(pulled.ok()) << pulled.status().ToString();
  EXPECT_FALSE(pulled->ok);  // one survey refused...
  EXPECT_EQ(pulled->surveys_stored, 1);
  EXPECT_EQ(pulled->surveys_rejected, 1);
  EXPECT_NE(pulled->error.find("broken"), std::string::npos) << pulled->error;
  Result<StoredSurvey> latest = store_->LatestSurvey(Channel::kKiosk);  // ...the rest stored
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(nlohmann::json::parse(latest->definition_json), nlohmann::json::parse(v2));
  EXPECT_FALSE(store_->LatestSurvey(Channel::kCall).ok());
  EXPECT_EQ(store_->Roster()->size(), 2u);
  ASSERT_EQ(store_->HeroStories(10)->size(), 1u);
  EXPECT_EQ(store_->HeroStories(10)->front().story, "Found my keys");
  EXPECT_EQ(*store_->GetSetting(kSettingBranding), "{\"primary\":\"#123456\"}");

  // A second pull with nothing new changes nothing and reports healthy.
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->state.surveys.pop_back();
  }
  pulled = engine_->PullOnce();
  ASSERT_TRUE(pulled.ok());
  EXPECT_TRUE(pulled->ok) << pulled->error;
  EXPECT_EQ(pulled->surveys_stored, 0);
}

TEST_F(SyncEngineTest, RunLoopDeliversNewRecordsReportsStatusAndStopsPromptly) {
  options_.interval_ms = 100;
  options_.backoff.base_ms = 20;
  options_.backoff.cap_ms = 100;
  StartDaemon();
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->next_statuses = {503, 503};
  }
  Capture(30);
  Status run_status;
  std::promise<void> ran;
  std::future<void> run_done = ran.get_future();
  std::thread daemon([&] {
    run_status = engine_->Run();
    ran.set_value();
  });
  // Waits for the event itself; the deadline is generous (sanitizers, load).
  const auto wait_for = [&](auto predicate) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!predicate() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    return predicate();
  };
  Result<CaptureStore> reader = CaptureStore::Open(config_.capture_db, nullptr);
  ASSERT_TRUE(reader.ok());
  EXPECT_TRUE(wait_for([&] { return reader->Counts()->acknowledged == 30; }));
  Capture(12);  // captured while the daemon runs: picked up within an interval
  EXPECT_TRUE(wait_for([&] { return reader->Counts()->acknowledged == 42; }));
  EXPECT_TRUE(
      wait_for([&] { return reader->GetSetting(kSettingSyncLastError).value_or("x").empty(); }));
  EXPECT_TRUE(reader->GetSetting(kSettingSyncLastSuccess).ok());
  stop_.RequestStop();
  // Promptness is shown by RunLoopStopInterruptsTheWaitBetweenCycles; here Run()
  // only has to return (generous deadline, never a measured duration).
  EXPECT_EQ(run_done.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  daemon.join();
  EXPECT_TRUE(run_status.ok()) << run_status.ToString();
  EXPECT_GE(engine_->counters().transient_failures, 2);
  std::lock_guard<std::mutex> lock(central_->mu);
  EXPECT_EQ(central_->records.size(), 42u);
  EXPECT_GE(central_->state_gets, 1);
}

// With a 1-hour interval, Run() ending at all within the (much shorter)
// deadline after RequestStop proves the stop interrupts the wait between
// cycles - no elapsed-time threshold needed.
TEST_F(SyncEngineTest, RunLoopStopInterruptsTheWaitBetweenCycles) {
  options_.interval_ms = 3'600'000;
  StartDaemon();
  Capture(2);
  Status run_status;
  std::promise<void> ran;
  std::future<void> run_done = ran.get_future();
  std::thread daemon([&] {
    run_status = engine_->Run();
    ran.set_value();
  });
  Result<CaptureStore> reader = CaptureStore::Open(config_.capture_db, nullptr);
  ASSERT_TRUE(reader.ok());
  // The first cycle is done (records acknowledged): Run() now waits its interval.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (reader->Counts()->acknowledged != 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  EXPECT_EQ(reader->Counts()->acknowledged, 2);
  stop_.RequestStop();
  const bool returned =
      run_done.wait_for(std::chrono::seconds(120)) == std::future_status::ready;
  EXPECT_TRUE(returned) << "Run() still waiting its 1-hour interval after RequestStop";
  if (!returned) std::abort();  // a joined thread would hang the suite for an hour
  daemon.join();
  EXPECT_TRUE(run_status.ok()) << run_status.ToString();
}

TEST_F(SyncEngineTest, RunLoopWritesLastErrorWhileTheCentralStoreRefuses) {
  options_.interval_ms = 50;
  options_.backoff.base_ms = 10;
  options_.backoff.cap_ms = 40;
  options_.backoff.permanent_ms = 60;
  StartDaemon();
  {
    std::lock_guard<std::mutex> lock(central_->mu);
    central_->next_statuses = std::vector<int>(1000, 403);
  }
  Capture(3);
  std::thread daemon([&] { (void)engine_->Run(); });
  Result<CaptureStore> reader = CaptureStore::Open(config_.capture_db, nullptr);
  std::string error;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (error.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    error = reader->GetSetting(kSettingSyncLastError).value_or("");
  }
  stop_.RequestStop();
  daemon.join();
  EXPECT_NE(error.find("HTTP 403"), std::string::npos) << error;
  EXPECT_EQ(reader->Counts()->acknowledged, 0);
  EXPECT_EQ(reader->Counts()->in_batch, 3);
}

}  // namespace
}  // namespace feedback::sync
