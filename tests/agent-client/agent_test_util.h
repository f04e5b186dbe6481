// Helpers for the agent-client tests: a temporary folder, the shipped call-log survey,
// a test device whose records are sealed to a throw-away central key (and can be opened
// again with it), and applying a list of form events. Tests only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "capture/epoch_opener.h"
#include "device/open_record.h"
#include "crypto/x25519_key_pair.h"
#include "device/device_config.h"
#include "logic/call_log_form.h"
#include "store/capture_store.h"

namespace feedback::agent::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "feedback-agent-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string CallLogPath() {
  return std::string(FEEDBACK_ASSETS_DIR) + "/surveys/call_log.json";
}

inline std::shared_ptr<const FormSurvey> CallLogSurvey() {
  Result<std::string> text = ReadSmallFile(CallLogPath(), kMaxSurveyFileBytes);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  Result<std::shared_ptr<const FormSurvey>> survey = MakeFormSurvey(*text, CallLogPath());
  EXPECT_TRUE(survey.ok()) << survey.status().ToString();
  return *survey;
}

// The call-log definition with another version number (a newer one from central).
inline std::string CallLogJsonWithVersion(int version) {
  Result<std::string> text = ReadSmallFile(CallLogPath(), kMaxSurveyFileBytes);
  std::string json = *text;
  const std::string from = "\"version\": 1";
  json.replace(json.find(from), from.size(), "\"version\": " + std::to_string(version));
  return json;
}

inline FormState Apply(FormState s, std::initializer_list<FormEvent> events, TimeMs now = 1000) {
  for (const FormEvent& e : events) s = Reduce(std::move(s), e, now);
  return s;
}

// A device folder like `feedback_testkit make-device --kind agent` makes.
struct TestDevice {
  TempDir dir;
  DeviceConfig config;
  std::string config_path;
  std::unique_ptr<X25519KeyPair> central;

  explicit TestDevice(const std::string& team = "north") {
    Result<X25519KeyPair> key = X25519KeyPair::Generate();
    EXPECT_TRUE(key.ok());
    central = std::make_unique<X25519KeyPair>(std::move(key).value());
    config.device_id = "agent-test-1";
    config.site_id = "cc-madrid";
    config.kind = DeviceKind::kAgent;
    config.team = team;
    config.central_url = "http://127.0.0.1:1";
    config.central_hpke_public_key = central->public_key();
    config.device_key_file = dir.File("device.key");
    config.capture_db = dir.File("capture.db");
    config_path = dir.File("device.json");
    EXPECT_TRUE(SaveDeviceConfig(config_path, config).ok());
  }

  // Every stored record with its sealed fields opened by the central key.
  std::vector<FeedbackRecord> OpenAll() {
    std::vector<FeedbackRecord> out;
    Result<CaptureStore> store = CaptureStore::Open(config.capture_db, nullptr);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return out;
    Result<X25519KeyPair> copy = X25519KeyPair::FromPrivateKey(central->PrivateKeyBytes()->view());
    EpochOpener opener(std::move(copy).value());
    Result<std::vector<StoredRecord>> rows = store->Pending(100000);
    EXPECT_TRUE(rows.ok());
    for (const StoredRecord& row : *rows) {
      Result<FeedbackRecord> r = OpenStoredRecord(opener, row);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (r.ok()) out.push_back(std::move(r).value());
    }
    return out;
  }

  // The raw bytes of the capture DB and its WAL, to prove texts never rest in plaintext.
  std::string RawDatabaseBytes() const {
    std::string all;
    for (const std::string suffix : {"", "-wal"}) {
      Result<std::string> bytes = ReadSmallFile(config.capture_db + suffix, 64 << 20);
      if (bytes.ok()) all += *bytes;
    }
    return all;
  }
};

}  // namespace feedback::agent::testing
