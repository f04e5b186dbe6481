// KioskController with a real DeviceCapture on a temp SQLite file: a finished
// survey is stored sealed before thank-you shows; a store that refuses writes
// (read-only, full, unopenable) leads to out-of-service and never to thank-you;
// survey, roster and hero stories come from what the sync daemon stored.
#include "logic/kiosk_controller.h"
#include "device/open_record.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "capture/epoch_opener.h"
#include "common/temp_dir.h"
#include "crypto/x25519_key_pair.h"

namespace feedback::kiosk {
namespace {

using feedback::testing::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string RetailPath() { return std::string(FEEDBACK_ASSETS_DIR) + "/surveys/retail_kiosk.json"; }

class ControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    Result<X25519KeyPair> key = X25519KeyPair::Generate();
    ASSERT_TRUE(key.ok());
    config_.device_id = "kiosk-test-7";
    config_.site_id = "store-42";
    config_.kind = DeviceKind::kKiosk;
    config_.central_url = "http://127.0.0.1:1";
    config_.central_hpke_public_key = key->public_key();
    config_.device_key_file = dir_.File("device.key");
    config_.capture_db = dir_.File("capture.db");
    ASSERT_TRUE(key->SavePem(dir_.File("central_hpke.key")).ok());
  }

  ControllerOptions Options() {
    ControllerOptions o;
    o.device = config_;
    o.settings.idle_timeout_ms = 30'000;
    o.settings.burst_max_per_window = 100;
    o.survey_source.fallback_path = RetailPath();
    return o;
  }

  std::unique_ptr<KioskController> Make(ControllerOptions options) {
    Result<std::unique_ptr<KioskController>> c = KioskController::Create(
        std::move(options), DeviceCapture::Open(config_, clock_),
        [](std::string_view pin) { return pin == "1357"; }, clock_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c).value() : nullptr;
  }

  void Do(KioskController& c, const Event& e) {
    clock_.Advance(700);
    c.Dispatch(e);
    if (c.state().screen == Screen::kThankYou) saw_thank_you_ = true;
  }

  // The retail survey as a detractor who names a hero and leaves contact details.
  void RunRetailSurvey(KioskController& c, const std::string& comment) {
    for (const Event& e : std::vector<Event>{
             StartSurvey{}, AnswerScore{5}, AnswerScore{4}, AnswerScore{3}, AnswerScore{5},
             AnswerScore{2}, AnswerScore{4}, SetText{TextField::kAnswer, comment}, Next{},
             PickStaff{"s-ana", "Ana García"}, SetText{TextField::kHeroStory, "Found my size"},
             Next{}, ContactOptIn{true}, SetText{TextField::kContactName, "Pat"},
             FocusField{TextField::kContactEmail},
             SetText{TextField::kContactEmail, "pat@example.com"}, Next{}}) {
      Do(c, e);
    }
  }

  // Every stored record, sensitive fields opened with the central key.
  std::vector<FeedbackRecord> Stored() {
    Result<CaptureStore> store = CaptureStore::Open(config_.capture_db, nullptr);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return {};
    Result<std::vector<StoredRecord>> rows = store->Pending(1000);
    EXPECT_TRUE(rows.ok());
    Result<X25519KeyPair> key = X25519KeyPair::LoadPem(dir_.File("central_hpke.key"));
    EXPECT_TRUE(key.ok());
    if (!key.ok()) return {};
    EpochOpener opener(std::move(key).value());
    std::vector<FeedbackRecord> out;
    for (const StoredRecord& row : *rows) {
      Result<FeedbackRecord> r = OpenStoredRecord(opener, row);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (r.ok()) out.push_back(std::move(r).value());
    }
    return out;
  }

  TempDir dir_;
  FakeClock clock_;
  DeviceConfig config_;
  bool saw_thank_you_ = false;
};

TEST_F(ControllerTest, FinishedSurveyIsStoredSealedBeforeThankYou) {
  auto c = Make(Options());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state().survey->id, "retail_kiosk") << "no survey in the DB: the bundled one";
  RunRetailSurvey(*c, "Great fitting rooms");
  ASSERT_EQ(c->state().screen, Screen::kThankYou);

  // Sensitive words never rest in plaintext in the database file.
  const std::string raw = ReadFile(config_.capture_db) + ReadFile(config_.capture_db + "-wal");
  EXPECT_EQ(raw.find("Great fitting rooms"), std::string::npos);
  EXPECT_EQ(raw.find("pat@example.com"), std::string::npos);

  std::vector<FeedbackRecord> records = Stored();
  ASSERT_EQ(records.size(), 1u);
  const FeedbackRecord& r = records[0];
  EXPECT_EQ(r.device_id, "kiosk-test-7");
  EXPECT_EQ(r.site_id, "store-42");
  EXPECT_EQ(Uuid::Parse(r.id)->version(), 7);
  EXPECT_EQ(r.status, RecordStatus::kComplete);
  EXPECT_EQ(r.channel, Channel::kKiosk);
  ASSERT_NE(r.FindAnswer("nps"), nullptr);
  EXPECT_EQ(r.FindAnswer("nps")->number, 5);
  EXPECT_EQ(r.FindAnswer("availability")->number, 2);
  EXPECT_EQ(r.FindAnswer("comment")->text, "Great fitting rooms");
  EXPECT_EQ(r.hero, (Hero{"s-ana", "Ana García", "Found my size"}));
  EXPECT_EQ(r.contact, (Contact{"Pat", "", "pat@example.com"}));
  Result<SurveyDefinition> retail = LoadSurveyDefinition(RetailPath());
  ASSERT_TRUE(retail.ok());
  EXPECT_TRUE(ValidateRecord(*retail, r).ok()) << ValidateRecord(*retail, r).ToString();
}

TEST_F(ControllerTest, ReadOnlyStoreShowsOutOfServiceNeverThankYou) {
  auto c = Make(Options());
  ASSERT_TRUE(c);
  // Root ignores file modes, so make the connection itself refuse writes.
  ASSERT_TRUE(c->capture()->store().database().Exec("PRAGMA query_only=ON").ok());
  RunRetailSurvey(*c, "Lost words");
  EXPECT_EQ(c->state().screen, Screen::kOutOfService);
  EXPECT_FALSE(saw_thank_you_);
  EXPECT_NE(c->state().out_of_service_reason.find("read-only"), std::string::npos)
      << c->state().out_of_service_reason;
  Do(*c, StartSurvey{});
  EXPECT_EQ(c->state().screen, Screen::kOutOfService);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(ControllerTest, FullDiskShowsOutOfServiceAndKeepsWhatWasStored) {
  auto c = Make(Options());
  ASSERT_TRUE(c);
  Database& db = c->capture()->store().database();
  const int64_t pages = *db.QueryInt("PRAGMA page_count");
  ASSERT_TRUE(db.Exec("PRAGMA max_page_count=" + std::to_string(pages + 1)).ok());
  int thanked = 0;
  for (int i = 0; i < 200 && c->state().screen != Screen::kOutOfService; ++i) {
    saw_thank_you_ = false;
    RunRetailSurvey(*c, std::string(400, static_cast<char>('a' + i % 26)));
    if (saw_thank_you_) {
      ++thanked;
      Do(*c, Next{});
    }
  }
  ASSERT_EQ(c->state().screen, Screen::kOutOfService);
  EXPECT_FALSE(saw_thank_you_) << "the failed record got a thank-you";
  EXPECT_NE(c->state().out_of_service_reason.find("disk full"), std::string::npos)
      << c->state().out_of_service_reason;
  // Exactly the thanked customers' records are in the store.
  EXPECT_EQ(static_cast<int>(Stored().size()), thanked);
}

TEST_F(ControllerTest, UnopenableStoreStartsOutOfService) {
  {
    std::ofstream garbage(config_.capture_db, std::ios::binary);
    garbage << std::string(8192, 'x');
  }
  auto c = Make(Options());
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->capture_open());
  EXPECT_EQ(c->state().screen, Screen::kOutOfService);
  Do(*c, StartSurvey{});
  EXPECT_EQ(c->state().screen, Screen::kOutOfService);
  // Staff can still reach the admin screen and read why.
  for (int i = 0; i < 5; ++i) Do(*c, AdminCornerTap{});
  for (int d : {1, 3, 5, 7}) Do(*c, PinDigit{d});
  Do(*c, PinSubmit{});
  ASSERT_EQ(c->state().screen, Screen::kAdmin);
  EXPECT_EQ(c->view().admin.device_id, "kiosk-test-7");
  EXPECT_FALSE(c->view().admin.store_problem.empty());
  Do(*c, AdminClose{});
  EXPECT_EQ(c->state().screen, Screen::kOutOfService);
}

TEST_F(ControllerTest, IdleAbandonIsStored) {
  auto c = Make(Options());
  ASSERT_TRUE(c);
  Do(*c, StartSurvey{});
  Do(*c, AnswerScore{10});
  Do(*c, AnswerScore{5});
  clock_.Advance(30'000);
  c->Tick();
  EXPECT_EQ(c->state().screen, Screen::kAttract);
  std::vector<FeedbackRecord> records = Stored();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].status, RecordStatus::kAbandoned);
  EXPECT_EQ(records[0].answers.size(), 2u);
}

TEST_F(ControllerTest, UsesWhatTheSyncDaemonStored) {
  Result<CaptureStore> store = CaptureStore::Open(config_.capture_db, nullptr, clock_);
  ASSERT_TRUE(store.ok());
  std::string all_types = ReadFile(std::string(KIOSK_TEST_DATA_DIR) + "/all_types.json");
  ASSERT_TRUE(store->PutSurvey({"all_types", 2, Channel::kKiosk, all_types}).ok());
  ASSERT_TRUE(store->ReplaceRoster({{"s1", "Ana", "floor"}, {"s2", "Ben", "tills"}}).ok());
  ASSERT_TRUE(
      store->ReplaceHeroStories({{"h1", "s1", "Ana", "Helped me carry a sofa", "floor", 5}}).ok());
  ASSERT_TRUE(store->SetSetting(kSettingSyncLastSuccess, "1700000000000").ok());

  auto c = Make(Options());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state().survey->id, "all_types");
  EXPECT_EQ(c->view().roster.size(), 2u);
  ASSERT_EQ(c->view().hero_stories.size(), 1u);
  EXPECT_EQ(c->view().hero_stories[0].story, "Helped me carry a sofa");

  // A new version arrives mid-survey: the customer keeps theirs; the next gets the new one.
  Do(*c, StartSurvey{});
  Do(*c, AnswerScore{9});
  std::string retail = ReadFile(RetailPath());
  ASSERT_TRUE(store->PutSurvey({"retail_kiosk", 1, Channel::kKiosk, retail}).ok());
  clock_.Advance(120'000);
  c->Tick();  // idle: abandoned, back to attract, which re-reads the DB
  EXPECT_EQ(c->state().screen, Screen::kAttract);
  EXPECT_EQ(c->state().survey->id, "retail_kiosk");
  std::vector<FeedbackRecord> records = Stored();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].survey_id, "all_types");

  // The admin screen shows the daemon's last success and the backlog.
  for (int i = 0; i < 5; ++i) Do(*c, AdminCornerTap{});
  for (int d : {1, 3, 5, 7}) Do(*c, PinDigit{d});
  Do(*c, PinSubmit{});
  ASSERT_EQ(c->state().screen, Screen::kAdmin);
  EXPECT_EQ(c->view().admin.last_sync_success, 1'700'000'000'000);
  EXPECT_EQ(c->view().admin.backlog, 1);
  EXPECT_EQ(c->view().admin.survey, "retail_kiosk v1");
  EXPECT_TRUE(c->view().admin.store_problem.empty());
}

TEST_F(ControllerTest, PinnedSurveyNeverSwitches) {
  ControllerOptions o = Options();
  o.survey_source.pinned_path = std::string(KIOSK_TEST_DATA_DIR) + "/all_types.json";
  auto c = Make(o);
  ASSERT_TRUE(c);
  Result<CaptureStore> store = CaptureStore::Open(config_.capture_db, nullptr, clock_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->PutSurvey({"retail_kiosk", 9, Channel::kKiosk, ReadFile(RetailPath())}).ok());
  clock_.Advance(120'000);
  c->Tick();
  EXPECT_EQ(c->state().survey->id, "all_types");
}

TEST_F(ControllerTest, BrokenPinnedSurveyIsAnError) {
  ControllerOptions o = Options();
  o.survey_source.pinned_path =
      std::string(FEEDBACK_TEST_DATA_DIR) + "/surveys/bad/unknown_type.json";
  Result<std::unique_ptr<KioskController>> c =
      KioskController::Create(o, DeviceCapture::Open(config_, clock_), nullptr, clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("unknown_type.json"), std::string::npos)
      << c.status().message();
}

TEST_F(ControllerTest, WakesOnlyWhenSomethingIsDue) {
  auto c = Make(Options());
  ASSERT_TRUE(c);
  // Idle attract without stories: only the slow DB poll.
  EXPECT_EQ(c->MsUntilNextTick(), 60'000);
  Do(*c, StartSurvey{});
  EXPECT_EQ(c->MsUntilNextTick(), 20'000);  // "Still there?" 10 s before the 30 s reset
}

}  // namespace
}  // namespace feedback::kiosk
