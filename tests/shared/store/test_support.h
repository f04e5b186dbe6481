// Helpers shared by the store tests: a reversible test sealer (a stand-in at the store's crypto edge; the real
// EpochSealer is tested in tests/shared/capture), and a record factory.
#pragma once

#include <string>

#include "common/temp_dir.h"

#include "core/uuid.h"
#include "model/record.h"
#include "store/field_sealer.h"

namespace feedback::testing {

// XORs with a constant: enough to prove the store never writes the plaintext
// and hands the sealer exactly the sensitive JSON and associated data.
class XorTestSealer final : public FieldSealer {
 public:
  Result<SealedFields> Seal(ByteView plaintext, ByteView associated_data) override {
    last_associated_data = Bytes(associated_data.begin(), associated_data.end());
    SealedFields out{epoch_id, ToBytes("sealed-key-of-" + epoch_id), {}};
    for (uint8_t b : plaintext) out.ciphertext.push_back(b ^ 0x5a);
    ++calls;
    return out;
  }
  static std::string Open(const Bytes& ciphertext) {
    std::string out;
    for (uint8_t b : ciphertext) out.push_back(static_cast<char>(b ^ 0x5a));
    return out;
  }

  std::string epoch_id = "epoch-1";
  Bytes last_associated_data;
  int calls = 0;
};

inline FeedbackRecord MakeRecord(UuidGenerator& ids, const std::string& staff_id = "",
                                 const std::string& comment = "Lovely staff") {
  FeedbackRecord r;
  r.id = ids.NextV7().ToString();
  r.survey_id = "retail_kiosk";
  r.survey_version = 1;
  r.device_id = "kiosk-1";
  r.site_id = "store-1";
  r.channel = staff_id.empty() ? Channel::kKiosk : Channel::kCall;
  r.staff_id = staff_id;
  r.started_at = 1'700'000'000'000;
  r.submitted_at = 1'700'000'015'000;
  r.locale = "en";
  r.answers = {{"nps", 9, {}, {}}, {"greeting", 5, {}, {}}};
  if (!comment.empty()) r.answers.push_back({"comment", std::nullopt, {}, comment});
  return r;
}

}  // namespace feedback::testing
