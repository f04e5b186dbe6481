// JSON bodies of the sync endpoints (docs/protocol.md): enroll request and
// answer, batch acknowledgement, device state (downstream) and error bodies.
// Each has a serializer and a parser; parsers take hostile input, are size
// bounded, never throw, and name the offending field in InvalidArgument
// ("enroll request field 'public_key': ..."). Plain values, thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/result.h"
#include "model/record.h"

namespace feedback::protocol {

// POST /api/v1/enroll
struct EnrollRequest {
  std::string token;     // the token's secret part (base64url)
  Bytes public_key;      // raw Ed25519, 32 bytes ("public_key": standard base64)
  std::string kind;      // "kiosk" | "agent"
  std::string hostname;  // informational, <= 255 bytes

  bool operator==(const EnrollRequest&) const = default;
};

struct EnrollResponse {
  std::string device_id;
  std::string site_id;
  std::string team;
  Bytes central_hpke_public_key;  // raw X25519, 32 bytes (standard base64 on the wire)
  std::string cert_sha256;        // hex SHA-256 of the central certificate's DER

  bool operator==(const EnrollResponse&) const = default;
};

// 200 answer to POST /api/v1/batches.
struct BatchAck {
  int64_t seq = 0;
  int64_t stored = 0;       // records newly stored
  int64_t duplicates = 0;   // records the central store already had
  int64_t quarantined = 0;  // records kept in quarantine (failed decryption or validation)

  bool operator==(const BatchAck&) const = default;
};

// GET /api/v1/device/state
struct PublishedSurvey {
  std::string id;
  int version = 0;
  Channel channel = Channel::kKiosk;
  std::string definition_json;  // the definition as published ("definition": <object>)

  bool operator==(const PublishedSurvey&) const = default;
};

struct RosterEntry {
  std::string staff_id;
  std::string display_name;
  std::string team;

  bool operator==(const RosterEntry&) const = default;
};

struct PublishedHeroStory {
  std::string story_id;
  std::string staff_id;
  std::string staff_name;
  std::string story;
  std::string team;
  TimeMs published_at = 0;

  bool operator==(const PublishedHeroStory&) const = default;
};

struct DeviceState {
  std::vector<PublishedSurvey> surveys;  // the current survey per channel for the device's site
  std::vector<RosterEntry> roster;
  std::vector<PublishedHeroStory> hero_stories;
  nlohmann::json branding = nlohmann::json::object();

  bool operator==(const DeviceState&) const = default;
};

std::string ToJson(const EnrollRequest& m);
std::string ToJson(const EnrollResponse& m);
std::string ToJson(const BatchAck& m);
std::string ToJson(const DeviceState& m);

Result<EnrollRequest> ParseEnrollRequest(std::string_view body);
Result<EnrollResponse> ParseEnrollResponse(std::string_view body);
Result<BatchAck> ParseBatchAck(std::string_view body);
Result<DeviceState> ParseDeviceState(std::string_view body);

// {"error": "..."}: every non-200 answer.
std::string ErrorJson(std::string_view message);
// The "error" text of an error body, or the first 200 bytes of the body when
// it is not one (so a proxy's HTML error page still says something).
std::string ParseErrorMessage(std::string_view body);

}  // namespace feedback::protocol
