// feedback_testkit: test-only helpers for the apps' end-to-end tests, so they
// can capture without a running central store and then check what was stored.
//
//   feedback_testkit make-device --dir DIR --kind kiosk|agent [--site S] [--team T]
//       DIR/device.json, a test central X25519 key (DIR/central_hpke.key, 0600)
//       and a device Ed25519 key (DIR/device.key, 0600); the capture DB is DIR/capture.db.
//   feedback_testkit dump-records --device-config DIR/device.json --central-key DIR/central_hpke.key
//       every captured record, sensitive fields opened with the central key, one
//       JSON object a line (RecordToJson format), oldest first.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "crypto/ed25519_private_key.h"
#include "crypto/x25519_key_pair.h"
#include "device/device_config.h"
#include "device/open_record.h"
#include "store/capture_store.h"

namespace feedback {
namespace {

int Fail(const Status& s) {
  std::fprintf(stderr, "feedback_testkit: %s\n", s.ToString().c_str());
  return 1;
}

int MakeDevice(const std::string& dir, const std::string& kind, const std::string& site,
               const std::string& team) {
  std::filesystem::create_directories(dir);
  Result<X25519KeyPair> central = X25519KeyPair::Generate();
  if (!central.ok()) return Fail(central.status());
  if (Status s = central->SavePem(dir + "/central_hpke.key"); !s.ok()) return Fail(s);
  Result<Ed25519PrivateKey> device_key = Ed25519PrivateKey::Generate();
  if (!device_key.ok()) return Fail(device_key.status());
  if (Status s = device_key->SavePem(dir + "/device.key"); !s.ok()) return Fail(s);
  DeviceConfig c;
  c.device_id = kind + "-test-1";
  c.site_id = site;
  c.kind = kind == "agent" ? DeviceKind::kAgent : DeviceKind::kKiosk;
  c.team = team;
  c.central_url = "http://127.0.0.1:1";  // nothing listens: the apps never use it
  c.central_hpke_public_key = central->public_key();
  c.device_key_file = "device.key";
  c.capture_db = "capture.db";
  if (Status s = SaveDeviceConfig(dir + "/device.json", c); !s.ok()) return Fail(s);
  std::printf("%s/device.json\n", dir.c_str());
  return 0;
}

int DumpRecords(const std::string& config_path, const std::string& key_path) {
  Result<DeviceConfig> config = LoadDeviceConfig(config_path);
  if (!config.ok()) return Fail(config.status());
  Result<X25519KeyPair> key = X25519KeyPair::LoadPem(key_path);
  if (!key.ok()) return Fail(key.status());
  EpochOpener opener(std::move(key).value());
  Result<CaptureStore> store = CaptureStore::Open(config->capture_db, nullptr);
  if (!store.ok()) return Fail(store.status());
  Result<std::vector<StoredRecord>> rows = store->Pending(1'000'000);
  if (!rows.ok()) return Fail(rows.status());
  for (const StoredRecord& row : *rows) {
    Result<FeedbackRecord> record = OpenStoredRecord(opener, row);
    if (!record.ok()) return Fail(record.status().WithContext("opening record " + row.record.id));
    std::printf("%s\n", RecordToJson(*record).dump().c_str());
  }
  return 0;
}

}  // namespace
}  // namespace feedback

int main(int argc, char** argv) {
  CLI::App app{"Test helpers for the feedback apps' end-to-end tests"};
  app.require_subcommand(1);
  std::string dir, kind = "kiosk", site = "store-test", team, config, key;
  CLI::App* make = app.add_subcommand("make-device", "Create a test device (config + keys)");
  make->add_option("--dir", dir, "Folder to create the device in")->required();
  make->add_option("--kind", kind, "kiosk or agent")->check(CLI::IsMember({"kiosk", "agent"}));
  make->add_option("--site", site, "Site id");
  make->add_option("--team", team, "Call-center team (agent)");
  CLI::App* dump = app.add_subcommand("dump-records", "Print captured records, fully opened");
  dump->add_option("--device-config", config, "The device's device.json")->required();
  dump->add_option("--central-key", key, "The test central X25519 key (PEM)")->required();
  CLI11_PARSE(app, argc, argv);
  if (*make) return feedback::MakeDevice(dir, kind, site, team);
  return feedback::DumpRecords(config, key);
}
