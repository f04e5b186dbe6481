#include "model/record.h"

#include <nlohmann/json.hpp>

namespace feedback {
namespace {

using nlohmann::json;

template <typename T>
Status Read(const json& obj, const char* key, T& out, bool required) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    return required ? Status::InvalidArgument(std::string("record field '") + key + "' is missing")
                    : Status::Ok();
  }
  try {
    out = it->get<T>();
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("record field '") + key + "' has the wrong type: " +
                                   e.what());
  }
  return Status::Ok();
}

json AnswerToJson(const Answer& a, bool include_text) {
  json j = {{"q", a.question_id}};
  if (a.number) j["n"] = *a.number;
  if (!a.choices.empty()) j["c"] = a.choices;
  if (include_text && !a.text.empty()) j["t"] = a.text;
  return j;
}

Result<Answer> AnswerFromJson(const json& j) {
  if (!j.is_object()) return Status::InvalidArgument("record answer is not a JSON object");
  Answer a;
  FEEDBACK_RETURN_IF_ERROR(Read(j, "q", a.question_id, true));
  int number = 0;
  if (j.contains("n")) {
    FEEDBACK_RETURN_IF_ERROR(Read(j, "n", number, true));
    a.number = number;
  }
  FEEDBACK_RETURN_IF_ERROR(Read(j, "c", a.choices, false));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "t", a.text, false));
  return a;
}

json HeroToJson(const Hero& h) {
  return {{"staff_id", h.staff_id}, {"name", h.name}, {"story", h.story}};
}

Result<Hero> HeroFromJson(const json& j) {
  if (!j.is_object()) return Status::InvalidArgument("record field 'hero' is not an object");
  Hero h;
  FEEDBACK_RETURN_IF_ERROR(Read(j, "staff_id", h.staff_id, false));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "name", h.name, false));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "story", h.story, false));
  return h;
}

json ContactToJson(const Contact& c) {
  return {{"name", c.name}, {"phone", c.phone}, {"email", c.email}};
}

Result<Contact> ContactFromJson(const json& j) {
  if (!j.is_object()) return Status::InvalidArgument("record field 'contact' is not an object");
  Contact c;
  FEEDBACK_RETURN_IF_ERROR(Read(j, "name", c.name, false));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "phone", c.phone, false));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "email", c.email, false));
  return c;
}

// Reads optional "hero" and "contact" objects of j into record.
Status MergeHeroAndContact(const json& j, FeedbackRecord& record) {
  if (auto it = j.find("hero"); it != j.end() && !it->is_null()) {
    FEEDBACK_ASSIGN_OR_RETURN(record.hero, HeroFromJson(*it));
  }
  if (auto it = j.find("contact"); it != j.end() && !it->is_null()) {
    FEEDBACK_ASSIGN_OR_RETURN(record.contact, ContactFromJson(*it));
  }
  return Status::Ok();
}

}  // namespace

std::string_view ChannelName(Channel c) { return c == Channel::kKiosk ? "kiosk" : "call"; }

Result<Channel> ParseChannel(std::string_view s) {
  if (s == "kiosk") return Channel::kKiosk;
  if (s == "call") return Channel::kCall;
  return Status::InvalidArgument("unknown channel '" + std::string(s) + "' (expected kiosk or call)");
}

std::string_view RecordStatusName(RecordStatus s) {
  return s == RecordStatus::kComplete ? "complete" : "abandoned";
}

Result<RecordStatus> ParseRecordStatus(std::string_view s) {
  if (s == "complete") return RecordStatus::kComplete;
  if (s == "abandoned") return RecordStatus::kAbandoned;
  return Status::InvalidArgument("unknown record status '" + std::string(s) +
                                 "' (expected complete or abandoned)");
}

const Answer* FeedbackRecord::FindAnswer(std::string_view question_id) const {
  for (const Answer& a : answers) {
    if (a.question_id == question_id) return &a;
  }
  return nullptr;
}

Bytes RecordAssociatedData(std::string_view record_id, std::string_view device_id) {
  std::string aad = "feedback-record-v1\n";
  aad += record_id;
  aad += '\n';
  aad += device_id;
  return ToBytes(aad);
}

std::string SensitiveJson(const FeedbackRecord& record) {
  json j = json::object();
  json texts = json::object();
  for (const Answer& a : record.answers) {
    if (!a.text.empty()) texts[a.question_id] = a.text;
  }
  if (!texts.empty()) j["text"] = std::move(texts);
  if (record.hero) j["hero"] = HeroToJson(*record.hero);
  if (record.contact) j["contact"] = ContactToJson(*record.contact);
  return j.dump();
}

Status MergeSensitive(std::string_view text, FeedbackRecord& record) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Corruption("sealed record fields are not a JSON object");
  if (auto it = j.find("text"); it != j.end()) {
    if (!it->is_object()) return Status::Corruption("sealed field 'text' is not an object");
    for (const auto& [question_id, value] : it->items()) {
      if (!value.is_string()) return Status::Corruption("sealed text answer is not a string");
      Answer* target = nullptr;
      for (Answer& a : record.answers) {
        if (a.question_id == question_id) target = &a;
      }
      if (target == nullptr) {
        record.answers.push_back(Answer{question_id, std::nullopt, {}, {}});
        target = &record.answers.back();
      }
      target->text = value.get<std::string>();
    }
  }
  return MergeHeroAndContact(j, record);
}

FeedbackRecord PublicPart(const FeedbackRecord& record) {
  FeedbackRecord out = record;
  std::erase_if(out.answers, [](const Answer& a) { return !a.number && a.choices.empty(); });
  for (Answer& a : out.answers) a.text.clear();
  out.hero.reset();
  out.contact.reset();
  return out;
}

nlohmann::json RecordToJson(const FeedbackRecord& r) {
  json answers = json::array();
  for (const Answer& a : r.answers) answers.push_back(AnswerToJson(a, /*include_text=*/true));
  json j = {{"id", r.id},
            {"survey_id", r.survey_id},
            {"survey_version", r.survey_version},
            {"device_id", r.device_id},
            {"site_id", r.site_id},
            {"channel", ChannelName(r.channel)},
            {"started_at", r.started_at},
            {"submitted_at", r.submitted_at},
            {"status", RecordStatusName(r.status)},
            {"locale", r.locale},
            {"answers", std::move(answers)}};
  if (r.received_at) j["received_at"] = *r.received_at;
  if (!r.staff_id.empty()) j["staff_id"] = r.staff_id;
  if (r.flagged_burst) j["flagged_burst"] = true;
  if (r.hero) j["hero"] = HeroToJson(*r.hero);
  if (r.contact) j["contact"] = ContactToJson(*r.contact);
  return j;
}

Result<FeedbackRecord> RecordFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Status::InvalidArgument("record is not a JSON object");
  FeedbackRecord r;
  std::string channel, status;
  TimeMs received_at = 0;
  FEEDBACK_RETURN_IF_ERROR(Read(j, "id", r.id, true));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "survey_id", r.survey_id, true));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "survey_version", r.survey_version, true));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "device_id", r.device_id, true));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "site_id", r.site_id, true));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "channel", channel, true));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "started_at", r.started_at, true));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "submitted_at", r.submitted_at, true));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "status", status, true));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "locale", r.locale, false));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "staff_id", r.staff_id, false));
  FEEDBACK_RETURN_IF_ERROR(Read(j, "flagged_burst", r.flagged_burst, false));
  if (j.contains("received_at")) {
    FEEDBACK_RETURN_IF_ERROR(Read(j, "received_at", received_at, true));
    r.received_at = received_at;
  }
  FEEDBACK_ASSIGN_OR_RETURN(r.channel, ParseChannel(channel));
  FEEDBACK_ASSIGN_OR_RETURN(r.status, ParseRecordStatus(status));
  auto answers = j.find("answers");
  if (answers == j.end() || !answers->is_array()) {
    return Status::InvalidArgument("record field 'answers' is missing or not an array");
  }
  for (const json& a : *answers) {
    FEEDBACK_ASSIGN_OR_RETURN(Answer answer, AnswerFromJson(a));
    r.answers.push_back(std::move(answer));
  }
  FEEDBACK_RETURN_IF_ERROR(MergeHeroAndContact(j, r));
  return r;
}

}  // namespace feedback
