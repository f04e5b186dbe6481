// Ingestor::PrepareRecords prepares a batch read by DecodeBatchForIngest
// (public parts straight into records) exactly as the same batch read by
// DecodeBatch (public parts as JSON): the same stored columns, contributions
// and quarantine rows - for good records and for every way a record is
// quarantined. In process, with a real SqliteCentralStore for the surveys.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "capture/epoch_opener.h"
#include "capture/epoch_sealer.h"
#include "common/temp_dir.h"
#include "core/uuid.h"
#include "crypto/ed25519_private_key.h"
#include "crypto/x25519_key_pair.h"
#include "protocol/batch_codec.h"
#include "sync/central/ingest/ingestor.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"

namespace feedback::central {
namespace {

using nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json Describe(const std::optional<FollowUpDraft>& f) {
  if (!f) return nullptr;
  return {f->reason,  f->contact_name,           f->contact_phone,          f->contact_email,
          f->comment, f->worst_nps.value_or(-1), f->worst_csat.value_or(-1)};
}

// Every field of a prepared batch, for comparison.
json Describe(const PreparedBatch& b) {
  json records = json::array();
  for (const PreparedRecord& p : b.records) {
    json scores = json::array(), choices = json::array();
    for (const ScoreContribution& s : p.scores)
      scores.push_back({s.question_id, s.question_type, s.score});
    for (const ChoiceContribution& c : p.choices) choices.push_back({c.question_id, c.option_id});
    json drivers = nullptr;
    if (p.drivers) {
      drivers = {p.drivers->variables, json::array()};
      for (const std::optional<int>& v : p.drivers->values) drivers[1].push_back(v.value_or(-99));
    }
    json hero = nullptr;
    if (p.hero) hero = {p.hero->staff_id, p.hero->staff_name, p.hero->story};
    records.push_back({p.record_id, p.survey_id, p.survey_version, p.channel, p.status, p.locale,
                       p.staff_id, p.started_at, p.submitted_at, p.day, p.public_json,
                       p.sensitive_json, scores, choices, drivers, hero, Describe(p.follow_up),
                       Describe(p.contact_request)});
  }
  json quarantine = json::array();
  for (const QuarantineEntry& q : b.quarantine) {
    quarantine.push_back({q.record_id, q.record_index, q.reason, q.public_json, q.epoch_id,
                          json::binary(q.sealed_epoch_key), json::binary(q.sealed)});
  }
  return {{"records", records}, {"quarantine", quarantine}};
}

class CentralPrepareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    Result<std::unique_ptr<SqliteCentralStore>> store =
        SqliteCentralStore::Open(dir_.File("central.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    const TimeMs now = SystemClock::Instance().NowMs();
    ASSERT_TRUE(store_->EnsureSite("store-1", now).ok());
    const std::string definition =
        ReadFile(std::string(FEEDBACK_ASSETS_DIR) + "/surveys/retail_kiosk.json");
    ASSERT_TRUE(
        store_->PublishSurvey({"retail_kiosk", 1, "kiosk", definition, now}, {}, true).ok());
    X25519KeyPair central = X25519KeyPair::Generate().value();
    sealer_ = std::make_unique<EpochSealer>(
        EpochSealer::Create(central.public_key(), SystemClock::Instance()).value());
    opener_ = std::make_unique<EpochOpener>(std::move(central));
    // The records below name rep-1 and are dated after the device's enrollment.
    ASSERT_TRUE(store_->ImportStaff({{"rep-1", "Rep One", "", "store-1"}}).ok());
    device_.device_id = "kiosk-1";
    device_.site_id = "store-1";
    device_.kind = "kiosk";
    device_.enrolled_at = 1'699'999'000'000;
    ingestor_ = std::make_unique<Ingestor>(*opener_, SystemClock::Instance());
  }

  FeedbackRecord Record(int nps) {
    FeedbackRecord r;
    r.id = ids_.NextV7().ToString();
    r.survey_id = "retail_kiosk";
    r.survey_version = 1;
    r.device_id = "kiosk-1";
    r.site_id = "store-1";
    r.submitted_at = 1'700'000'020'000;
    r.started_at = 1'700'000'000'000;
    r.locale = "en";
    r.answers = {{"nps", nps, {}, {}}, {"greeting", 4, {}, {}}, {"speed", 2, {}, {}}};
    return r;
  }

  // The record as a device sends it; `sealed_text` replaces SensitiveJson(r).
  protocol::BatchRecord Seal(const FeedbackRecord& r, protocol::Batch& batch,
                             const std::string* sealed_text = nullptr) {
    protocol::BatchRecord out;
    out.pub = RecordToJson(PublicPart(r));
    const std::string text = sealed_text != nullptr ? *sealed_text : SensitiveJson(r);
    if (text != "{}") {
      SealedFields s =
          sealer_->Seal(AsBytes(text), RecordAssociatedData(r.id, r.device_id)).value();
      out.epoch_id = s.epoch_id;
      out.sealed = s.ciphertext;
      if (batch.epochs.empty()) batch.epochs.push_back({s.epoch_id, s.sealed_epoch_key});
    }
    return out;
  }

  PreparedBatch Prepare(const protocol::DecodedBatch& decoded) {
    protocol::Batch batch = decoded.batch;
    PreparedBatch out;
    EXPECT_TRUE(ingestor_->PrepareRecords(*store_, device_, batch, 1'700'000'099'000, out).ok());
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteCentralStore> store_;
  std::unique_ptr<EpochSealer> sealer_;
  std::unique_ptr<EpochOpener> opener_;
  std::unique_ptr<Ingestor> ingestor_;
  Device device_;
  UuidGenerator ids_{SystemClock::Instance()};
};

TEST_F(CentralPrepareTest, RecordsReadStraightArePreparedAsFromJson) {
  protocol::Batch b;
  b.device_id = "kiosk-1";
  b.site_id = "store-1";
  b.seq = 1;
  auto add = [&](const FeedbackRecord& r, const std::string* sealed_text = nullptr) {
    b.records.push_back(Seal(r, b, sealed_text));
  };
  // Stored: a comment; hero and contact (a detractor: follow-up); nothing sealed;
  // a rep, a burst flag and text in quotes, accents and a newline.
  FeedbackRecord r = Record(9);
  r.answers.push_back({"comment", std::nullopt, {}, "Friendly staff, quick checkout"});
  add(r);
  r = Record(3);
  r.hero = Hero{"", "Ana", "She found my size"};
  r.contact = Contact{"Sam", "+34 600", ""};
  r.answers.push_back({"comment", std::nullopt, {}, "The \"queue\" was long\nvery caf\xc3\xa9"});
  add(r);
  add(Record(10));
  r = Record(0);
  r.staff_id = "rep-1";
  r.flagged_burst = true;
  add(r);
  // Quarantined: unknown survey, unpublished version, an answer out of range,
  // a hidden question answered, sealed fields that do not open, sealed text
  // that is not JSON, sealed text the tree reads differently (whitespace,
  // an unknown question), sealed text that fails half-merged, a rep on no
  // roster, a date after tomorrow, a text-only answer in the public part.
  r = Record(9);
  r.survey_id = "nope";
  add(r);
  r = Record(9);
  r.survey_version = 9;
  add(r);
  add(Record(11));
  r = Record(9);
  r.contact = Contact{"Sam", "+34 600", ""};
  add(r);
  r = Record(9);
  r.answers.push_back({"comment", std::nullopt, {}, "tampered"});
  add(r);
  b.records.back().sealed[20] ^= 1;
  const std::string not_json = "not json";
  add(Record(8), &not_json);
  const std::string spaced = R"({ "text": { "comment": "spaced", "zzz": "unknown question" } })";
  add(Record(7), &spaced);
  // Merged in part (the text) before the hero fails: PublicPart takes it out again.
  const std::string half = R"({"hero":5,"text":{"comment":"merged first"}})";
  add(Record(6), &half);
  // The integrity rules: a rep on no roster, a record dated after tomorrow.
  r = Record(9);
  r.staff_id = "ghost";
  add(r);
  r = Record(9);
  r.submitted_at = 1'800'000'000'000;
  add(r);
  r = Record(9);
  protocol::BatchRecord leaky = Seal(r, b);
  leaky.pub["answers"].push_back({{"q", "comment"}});  // no number, no choices: canonical form
  b.records.push_back(leaky);

  Ed25519PrivateKey key = Ed25519PrivateKey::Generate().value();
  Result<Bytes> envelope = protocol::EncodeBatch(b, key);
  ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
  Result<protocol::DecodedBatch> straight = protocol::DecodeBatchForIngest(*envelope);
  Result<protocol::DecodedBatch> from_json = protocol::DecodeBatch(*envelope);
  ASSERT_TRUE(straight.ok() && from_json.ok());
  for (const protocol::BatchRecord& rec : straight->batch.records) ASSERT_TRUE(rec.parsed);

  const PreparedBatch a = Prepare(*straight);
  const PreparedBatch want = Prepare(*from_json);
  EXPECT_EQ(want.records.size(), 4u);
  EXPECT_EQ(want.quarantine.size(), 11u);
  EXPECT_EQ(Describe(a).dump(2), Describe(want).dump(2));
}

}  // namespace
}  // namespace feedback::central
