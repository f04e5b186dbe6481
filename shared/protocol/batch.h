// Batch: the decoded content of one signed sync batch (docs/protocol.md
// "Batch format"): header fields, the sealed epoch keys its records need, and
// the records (public part as JSON + sealed sensitive fields). Plain values
// with no thread affinity; encoding, decoding and signing are in
// protocol/batch_codec.h.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "model/record.h"

namespace feedback::protocol {

// One sealed epoch key: HPKE enc(32) | ciphertext(32) | tag(16) = 80 bytes,
// sealed to the central HPKE key with the epoch id as aad.
struct BatchEpoch {
  std::string id;
  Bytes sealed_key;

  bool operator==(const BatchEpoch&) const = default;
};

// One record as it travels. `pub` is RecordToJson(PublicPart(record)); the
// decoder only checks it is a map - the central store parses and validates it
// (RecordFromJson, ValidateRecord) and quarantines a record that fails.
// epoch_id and sealed are both empty (nothing sensitive: nil on the wire) or
// both set, and epoch_id then names an entry of Batch::epochs.
struct BatchRecord {
  nlohmann::json pub = nlohmann::json::object();
  std::string epoch_id;
  Bytes sealed;  // nonce(12) | ciphertext | tag(16), see docs/protocol.md "Sealed fields"
  // Set only by DecodeBatchForIngest, and then `pub` is left an empty map: the
  // public part already read into a record - exactly RecordFromJson(pub), for
  // a pub exactly RecordToJson(*parsed). EncodeBatch ignores it.
  std::optional<FeedbackRecord> parsed;

  bool operator==(const BatchRecord&) const = default;
};

struct Batch {
  int64_t version = 1;  // "v"
  std::string device_id;
  std::string site_id;
  int64_t seq = 0;      // >= 1, strictly increasing per device
  TimeMs created = 0;   // device clock
  int64_t backlog = 0;  // records still pending on the device after this batch
  std::vector<BatchEpoch> epochs;
  std::vector<BatchRecord> records;

  bool operator==(const Batch&) const = default;
};

}  // namespace feedback::protocol
