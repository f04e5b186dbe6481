#include "protocol/messages.h"

#include <set>
#include <string>

#include "protocol/limits.h"

namespace feedback::protocol {
namespace {

using nlohmann::json;

constexpr size_t kMaxTextField = 64 * 1024;

Result<json> ParseObject(std::string_view body, size_t max_bytes, std::string_view what) {
  if (body.size() > max_bytes) {
    return Status::ResourceExhausted(std::string(what) + " is " + std::to_string(body.size()) +
                                     " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument(std::string(what) + " is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument(std::string(what) + " is not a JSON object");
  return j;
}

Status FieldError(std::string_view what, std::string_view field, std::string_view problem) {
  return Status::InvalidArgument(std::string(what) + " field '" + std::string(field) + "' " +
                                 std::string(problem));
}

Result<std::string> Str(const json& j, std::string_view what, const char* field, bool required,
                        size_t max = kMaxTextField) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return FieldError(what, field, "is missing");
    return std::string();
  }
  if (!it->is_string()) return FieldError(what, field, "is not a string");
  std::string s = it->get<std::string>();
  if (s.size() > max) return FieldError(what, field, "is too long");
  return s;
}

Result<int64_t> Int(const json& j, std::string_view what, const char* field, int64_t min) {
  auto it = j.find(field);
  if (it == j.end()) return FieldError(what, field, "is missing");
  if (!it->is_number_integer()) return FieldError(what, field, "is not an integer");
  if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return FieldError(what, field, "is out of range");
  }
  const int64_t v = it->get<int64_t>();
  if (v < min) return FieldError(what, field, "must be at least " + std::to_string(min));
  return v;
}

Result<Bytes> Key32(const json& j, std::string_view what, const char* field) {
  FEEDBACK_ASSIGN_OR_RETURN(std::string text, Str(j, what, field, true, 128));
  Result<Bytes> raw = Base64Decode(text);
  if (!raw.ok() || raw->size() != 32) {
    return FieldError(what, field, "must be 32 bytes in standard base64");
  }
  return raw;
}

Result<const json*> Array(const json& j, std::string_view what, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_array())
    return FieldError(what, field, "is missing or not an array");
  return &*it;
}

}  // namespace

std::string ToJson(const EnrollRequest& m) {
  return json{{"token", m.token},
              {"public_key", Base64Encode(m.public_key)},
              {"kind", m.kind},
              {"hostname", m.hostname}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const EnrollResponse& m) {
  return json{{"device_id", m.device_id},
              {"site_id", m.site_id},
              {"team", m.team},
              {"central_hpke_public_key", Base64Encode(m.central_hpke_public_key)},
              {"cert_sha256", m.cert_sha256}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const BatchAck& m) {
  return json{{"seq", m.seq},
              {"stored", m.stored},
              {"duplicates", m.duplicates},
              {"quarantined", m.quarantined}}
      .dump();
}

std::string ToJson(const DeviceState& m) {
  json surveys = json::array();
  for (const PublishedSurvey& s : m.surveys) {
    json def = json::parse(s.definition_json, nullptr, /*allow_exceptions=*/false);
    if (def.is_discarded()) def = json::object();
    surveys.push_back({{"id", s.id},
                       {"version", s.version},
                       {"channel", std::string(ChannelName(s.channel))},
                       {"definition", std::move(def)}});
  }
  json roster = json::array();
  for (const RosterEntry& r : m.roster) {
    roster.push_back(
        {{"staff_id", r.staff_id}, {"display_name", r.display_name}, {"team", r.team}});
  }
  json stories = json::array();
  for (const PublishedHeroStory& h : m.hero_stories) {
    stories.push_back({{"story_id", h.story_id},
                       {"staff_id", h.staff_id},
                       {"staff_name", h.staff_name},
                       {"story", h.story},
                       {"team", h.team},
                       {"published_at", h.published_at}});
  }
  return json{{"surveys", std::move(surveys)},
              {"roster", std::move(roster)},
              {"hero_stories", std::move(stories)},
              {"branding", m.branding.is_object() ? m.branding : json::object()}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<EnrollRequest> ParseEnrollRequest(std::string_view body) {
  constexpr std::string_view kWhat = "enroll request";
  FEEDBACK_ASSIGN_OR_RETURN(json j, ParseObject(body, kMaxJsonBodyBytes, kWhat));
  EnrollRequest m;
  FEEDBACK_ASSIGN_OR_RETURN(m.token, Str(j, kWhat, "token", true, 128));
  FEEDBACK_ASSIGN_OR_RETURN(m.public_key, Key32(j, kWhat, "public_key"));
  FEEDBACK_ASSIGN_OR_RETURN(m.kind, Str(j, kWhat, "kind", true, 16));
  if (m.kind != "kiosk" && m.kind != "agent") {
    return FieldError(kWhat, "kind", "must be \"kiosk\" or \"agent\"");
  }
  FEEDBACK_ASSIGN_OR_RETURN(m.hostname, Str(j, kWhat, "hostname", false, 255));
  return m;
}

Result<EnrollResponse> ParseEnrollResponse(std::string_view body) {
  constexpr std::string_view kWhat = "enroll response";
  FEEDBACK_ASSIGN_OR_RETURN(json j, ParseObject(body, kMaxJsonBodyBytes, kWhat));
  EnrollResponse m;
  FEEDBACK_ASSIGN_OR_RETURN(m.device_id, Str(j, kWhat, "device_id", true, kMaxIdBytes));
  FEEDBACK_ASSIGN_OR_RETURN(m.site_id, Str(j, kWhat, "site_id", true, kMaxIdBytes));
  FEEDBACK_ASSIGN_OR_RETURN(m.team, Str(j, kWhat, "team", false, kMaxIdBytes));
  FEEDBACK_ASSIGN_OR_RETURN(m.central_hpke_public_key, Key32(j, kWhat, "central_hpke_public_key"));
  FEEDBACK_ASSIGN_OR_RETURN(m.cert_sha256, Str(j, kWhat, "cert_sha256", true, 64));
  if (m.device_id.empty()) return FieldError(kWhat, "device_id", "is empty");
  if (m.site_id.empty()) return FieldError(kWhat, "site_id", "is empty");
  if (m.cert_sha256.size() != 64 || !HexDecode(m.cert_sha256).ok()) {
    return FieldError(kWhat, "cert_sha256", "must be 64 hex characters");
  }
  return m;
}

Result<BatchAck> ParseBatchAck(std::string_view body) {
  constexpr std::string_view kWhat = "batch answer";
  FEEDBACK_ASSIGN_OR_RETURN(json j, ParseObject(body, kMaxJsonBodyBytes, kWhat));
  BatchAck m;
  FEEDBACK_ASSIGN_OR_RETURN(m.seq, Int(j, kWhat, "seq", 1));
  FEEDBACK_ASSIGN_OR_RETURN(m.stored, Int(j, kWhat, "stored", 0));
  FEEDBACK_ASSIGN_OR_RETURN(m.duplicates, Int(j, kWhat, "duplicates", 0));
  FEEDBACK_ASSIGN_OR_RETURN(m.quarantined, Int(j, kWhat, "quarantined", 0));
  return m;
}

Result<DeviceState> ParseDeviceState(std::string_view body) {
  constexpr std::string_view kWhat = "device state";
  FEEDBACK_ASSIGN_OR_RETURN(json j, ParseObject(body, kMaxDeviceStateBytes, kWhat));
  DeviceState m;
  FEEDBACK_ASSIGN_OR_RETURN(const json* surveys, Array(j, kWhat, "surveys"));
  for (const json& s : *surveys) {
    if (!s.is_object()) return FieldError(kWhat, "surveys", "has an entry that is not an object");
    PublishedSurvey p;
    FEEDBACK_ASSIGN_OR_RETURN(p.id, Str(s, kWhat, "id", true, kMaxIdBytes));
    FEEDBACK_ASSIGN_OR_RETURN(int64_t version, Int(s, kWhat, "version", 1));
    if (version > 1'000'000'000) return FieldError(kWhat, "version", "is out of range");
    p.version = static_cast<int>(version);
    FEEDBACK_ASSIGN_OR_RETURN(std::string channel, Str(s, kWhat, "channel", true, 16));
    Result<Channel> c = ParseChannel(channel);
    if (!c.ok()) return FieldError(kWhat, "channel", "is not a known channel");
    p.channel = *c;
    auto def = s.find("definition");
    if (def == s.end() || !def->is_object()) {
      return FieldError(kWhat, "definition", "is missing or not an object");
    }
    p.definition_json = def->dump(-1, ' ', false, json::error_handler_t::replace);
    m.surveys.push_back(std::move(p));
  }
  // The device stores roster and stories keyed by staff_id / story_id, so a
  // repeated key is a malformed state, refused here - not a local store
  // failure that would stop the daemon (found writing fuzz_device_state).
  std::set<std::string> staff_ids;
  std::set<std::string> story_ids;
  FEEDBACK_ASSIGN_OR_RETURN(const json* roster, Array(j, kWhat, "roster"));
  for (const json& r : *roster) {
    if (!r.is_object()) return FieldError(kWhat, "roster", "has an entry that is not an object");
    RosterEntry e;
    FEEDBACK_ASSIGN_OR_RETURN(e.staff_id, Str(r, kWhat, "staff_id", true, kMaxIdBytes));
    FEEDBACK_ASSIGN_OR_RETURN(e.display_name, Str(r, kWhat, "display_name", true, 256));
    FEEDBACK_ASSIGN_OR_RETURN(e.team, Str(r, kWhat, "team", false, kMaxIdBytes));
    if (!staff_ids.insert(e.staff_id).second) {
      return FieldError(kWhat, "roster", "names staff_id '" + e.staff_id + "' twice");
    }
    m.roster.push_back(std::move(e));
  }
  FEEDBACK_ASSIGN_OR_RETURN(const json* stories, Array(j, kWhat, "hero_stories"));
  for (const json& h : *stories) {
    if (!h.is_object()) {
      return FieldError(kWhat, "hero_stories", "has an entry that is not an object");
    }
    PublishedHeroStory p;
    FEEDBACK_ASSIGN_OR_RETURN(p.story_id, Str(h, kWhat, "story_id", true, kMaxIdBytes));
    FEEDBACK_ASSIGN_OR_RETURN(p.staff_id, Str(h, kWhat, "staff_id", false, kMaxIdBytes));
    FEEDBACK_ASSIGN_OR_RETURN(p.staff_name, Str(h, kWhat, "staff_name", false, 256));
    FEEDBACK_ASSIGN_OR_RETURN(p.story, Str(h, kWhat, "story", true));
    FEEDBACK_ASSIGN_OR_RETURN(p.team, Str(h, kWhat, "team", false, kMaxIdBytes));
    FEEDBACK_ASSIGN_OR_RETURN(p.published_at, Int(h, kWhat, "published_at", 0));
    if (!story_ids.insert(p.story_id).second) {
      return FieldError(kWhat, "hero_stories", "names story_id '" + p.story_id + "' twice");
    }
    m.hero_stories.push_back(std::move(p));
  }
  if (auto b = j.find("branding"); b != j.end() && !b->is_null()) {
    if (!b->is_object()) return FieldError(kWhat, "branding", "is not an object");
    m.branding = *b;
  }
  return m;
}

std::string ErrorJson(std::string_view message) {
  return json{{"error", std::string(message)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ParseErrorMessage(std::string_view body) {
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    auto it = j.find("error");
    if (it != j.end() && it->is_string()) return it->get<std::string>();
  }
  return std::string(body.substr(0, 200));
}

}  // namespace feedback::protocol
