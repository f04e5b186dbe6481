// sync_e2e_tool: the capture and checking half of the sync end-to-end tests
// (tests/sync/e2e/sync_e2e_test.py drives the real feedback-central and
// feedback-sync processes around it).
//
//   sync_e2e_tool capture --device-config DIR/device.json --count N [--seed S]
//       [--survey-version V] [--digests FILE]
//       Captures N valid retail-kiosk records through DeviceCapture (sealed exactly
//       as the kiosk seals them) and appends "<record id> <digest>" lines to FILE.
//   sync_e2e_tool central-digests --db CENTRAL.db
//       Prints "<record id> <digest> <survey_version>" for every record in the
//       central store (sensitive fields as the central store decrypted them),
//       then "quarantined <n>" (read-only).
//
// The digest is SHA-256 of RecordToJson(record) with received_at cleared, so a
// record the central store holds equals, field for field, what was captured.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "core/uuid.h"
#include "device/device_capture.h"
#include "protocol/sha256.h"
#include "store/sqlite.h"

namespace feedback {
namespace {

std::string Digest(FeedbackRecord record) {
  record.received_at.reset();
  return protocol::Sha256Hex(AsBytes(RecordToJson(record).dump()));
}

int Fail(const Status& s) {
  std::fprintf(stderr, "sync_e2e_tool: %s\n", s.ToString().c_str());
  return 1;
}

FeedbackRecord MakeRecord(UuidGenerator& ids, std::mt19937& rng, const DeviceConfig& config,
                          int survey_version, TimeMs now) {
  FeedbackRecord r;
  r.id = ids.NextV7().ToString();
  r.survey_id = "retail_kiosk";
  r.survey_version = survey_version;
  r.device_id = config.device_id;
  r.site_id = config.site_id;
  r.channel = Channel::kKiosk;
  r.started_at = now - 20'000 - static_cast<TimeMs>(rng() % 10'000);
  r.submitted_at = now;
  r.locale = rng() % 3 == 0 ? "es" : "en";
  const int nps = static_cast<int>(rng() % 11);
  r.answers.push_back({"nps", nps, {}, {}});
  for (const char* q : {"greeting", "speed", "cleanliness", "availability", "knowledge"}) {
    if (rng() % 4 != 0) r.answers.push_back({q, 1 + static_cast<int>(rng() % 5), {}, {}});
  }
  if (rng() % 2 == 0) {
    r.answers.push_back({"comment",
                         std::nullopt,
                         {},
                         "Checkout #" + std::to_string(rng() % 100000) + " was quick"});
  }
  if (rng() % 6 == 0)
    r.hero = Hero{"", "Maria", "She found my lost keys at aisle " + std::to_string(rng() % 20)};
  if (nps <= 6 && rng() % 3 == 0) r.contact = Contact{"Sam Doe", "+1 555 0100", "sam@example.com"};
  return r;
}

int Capture(const std::string& config_path, int count, uint32_t seed, int survey_version,
            const std::string& digests_path) {
  Result<DeviceConfig> config = LoadDeviceConfig(config_path);
  if (!config.ok()) return Fail(config.status());
  Result<DeviceCapture> capture = DeviceCapture::Open(*config);
  if (!capture.ok()) return Fail(capture.status());
  std::ofstream digests;
  if (!digests_path.empty()) {
    digests.open(digests_path, std::ios::app);
    if (!digests) return Fail(Status::IoError("cannot open " + digests_path));
  }
  UuidGenerator ids;
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) {
    FeedbackRecord r =
        MakeRecord(ids, rng, *config, survey_version, SystemClock::Instance().NowMs());
    if (Status s = capture->store().Capture(r); !s.ok()) return Fail(s);
    // Written only after the capture committed, as a kiosk's "thank you".
    if (digests.is_open()) digests << r.id << ' ' << Digest(r) << '\n' << std::flush;
  }
  return 0;
}

int CentralDigests(const std::string& db_path) {
  Database::Options options;
  options.create_if_missing = false;
  options.read_only = true;
  options.wal = false;  // do not try to change the journal mode of a read-only connection
  Result<Database> db = Database::Open(db_path, options);
  if (!db.ok()) return Fail(db.status());
  Result<Statement> q =
      db->Prepare("SELECT record_id, public_json, sensitive_json, survey_version FROM records");
  if (!q.ok()) return Fail(q.status());
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return Fail(row.status());
    if (!*row) break;
    nlohmann::json pub = nlohmann::json::parse(q->ColumnText(1), nullptr, false);
    Result<FeedbackRecord> record = RecordFromJson(pub);
    if (!record.ok())
      return Fail(record.status().WithContext("central record " + q->ColumnText(0)));
    FeedbackRecord r = std::move(record).value();
    const std::string sensitive = q->ColumnText(2);
    if (!sensitive.empty() && sensitive != "{}") {
      if (Status s = MergeSensitive(sensitive, r); !s.ok()) return Fail(s);
    }
    std::printf("%s %s %lld\n", q->ColumnText(0).c_str(), Digest(r).c_str(),
                static_cast<long long>(q->ColumnInt(3)));
  }
  Result<int64_t> quarantined = db->QueryInt("SELECT count(*) FROM quarantine");
  if (!quarantined.ok()) return Fail(quarantined.status());
  std::printf("quarantined %lld\n", static_cast<long long>(*quarantined));
  return 0;
}

}  // namespace
}  // namespace feedback

int main(int argc, char** argv) {
  CLI::App app{"Capture records and read the central store for the sync end-to-end tests"};
  app.require_subcommand(1);
  std::string config, digests, db;
  int count = 0, version = 1;
  uint32_t seed = 1;
  CLI::App* capture = app.add_subcommand("capture", "Capture records as a kiosk would");
  capture->add_option("--device-config", config)->required();
  capture->add_option("--count", count)->required();
  capture->add_option("--seed", seed);
  capture->add_option("--survey-version", version);
  capture->add_option("--digests", digests);
  CLI::App* central =
      app.add_subcommand("central-digests", "Digests of the central store's records");
  central->add_option("--db", db)->required();
  CLI11_PARSE(app, argc, argv);
  if (*capture) return feedback::Capture(config, count, seed, version, digests);
  return feedback::CentralDigests(db);
}
