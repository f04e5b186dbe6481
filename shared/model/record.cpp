#include "model/record.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

#include "model/survey.h"

namespace feedback {
namespace {

// The answer to question_id: the last one the record has (as the sealed text
// has always been merged), else a new, empty one appended.
Answer& AnswerFor(FeedbackRecord& record, const std::string& question_id) {
  Answer* target = nullptr;
  for (Answer& a : record.answers) {
    if (a.question_id == question_id) target = &a;
  }
  if (target != nullptr) return *target;
  record.answers.push_back(Answer{question_id, std::nullopt, {}, {}});
  return record.answers.back();
}

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

// What json(s).dump(-1, ' ', false, handler) appends for one string, without
// the json value: printable ASCII is copied, valid UTF-8 escaped as nlohmann
// escapes it ("\\", "\"", \b \f \n \r \t, other control bytes \u00xx,
// everything else verbatim); text that is not valid UTF-8 goes to nlohmann
// itself, so `replace` substitutes and `strict` throws exactly as before.
void AppendJsonString(std::string& out, std::string_view s, json::error_handler_t handler) {
  // Printable ASCII other than '"' and '\\' is written as it is.
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
  });
  if (plain) {
    const size_t at = out.size();
    out.resize(at + s.size() + 2);
    out[at] = '"';
    if (!s.empty()) std::memcpy(&out[at + 1], s.data(), s.size());
    out.back() = '"';
    return;
  }
  const bool ascii =
      std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii && !Utf8Length(s)) {
    out += json(std::string(s)).dump(-1, ' ', false, handler);
    return;
  }
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 24 bytes always hold an int64
  out.append(buf, end);
}

// Writes one JSON object member by member; callers give the keys in the
// order nlohmann's std::map keeps them (sorted), so the text equals dump().
class ObjectText {
 public:
  explicit ObjectText(std::string& out) : out_(out) { out_ += '{'; }
  // Appends `"key":` (an ASCII key needing no escapes); the value follows.
  std::string& Key(std::string_view key) {
    out_.append(first_ ? std::string_view("\"") : std::string_view(",\""));
    first_ = false;
    out_.append(key);
    out_.append(std::string_view("\":"));
    return out_;
  }
  void String(std::string_view key, std::string_view value, json::error_handler_t handler) {
    AppendJsonString(Key(key), value, handler);
  }
  void Int(std::string_view key, int64_t value) { AppendInt(Key(key), value); }
  void End() { out_ += '}'; }

 private:
  std::string& out_;
  bool first_ = true;
};

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

// Reads sealed fields in the form SensitiveJson writes them - an object with
// optional "contact" {email, name, phone}, "hero" {name, staff_id, story} and
// "text" {question id: text} with the ids in increasing order - straight into
// values, without a JSON tree. Every callback returns false (the parse stops)
// at anything else: another key or type, a duplicate, a nil, ids out of order.
// MergeInto then does exactly what MergeSensitive's tree walk does with it.
class SensitiveFieldsSax {
 public:
  bool null() { return false; }
  bool boolean(bool) { return false; }
  bool number_integer(json::number_integer_t) { return false; }
  bool number_unsigned(json::number_unsigned_t) { return false; }
  bool number_float(json::number_float_t, const json::string_t&) { return false; }
  bool binary(json::binary_t&) { return false; }
  bool start_array(std::size_t) { return false; }
  bool end_array() { return false; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

  bool start_object(std::size_t) {
    switch (state_) {
      case State::kStart:
        state_ = State::kRoot;
        return true;
      case State::kRoot:
        state_ = pending_;
        return pending_ == State::kContact || pending_ == State::kHero || pending_ == State::kText;
      default:
        return false;
    }
  }

  bool end_object() {
    switch (state_) {
      case State::kRoot:
        state_ = State::kDone;
        return true;
      case State::kContact:
      case State::kHero:
      case State::kText:
        state_ = State::kRoot;
        return true;
      default:
        return false;
    }
  }

  bool key(json::string_t& k) {
    switch (state_) {
      case State::kRoot:
        if (k == "contact") return Once(1, State::kContact);
        if (k == "hero") return Once(2, State::kHero);
        if (k == "text") return Once(4, State::kText);
        return false;
      case State::kContact:
      case State::kHero: {
        static constexpr std::string_view kContactKeys[] = {"email", "name", "phone"};
        static constexpr std::string_view kHeroKeys[] = {"name", "staff_id", "story"};
        const auto& keys = state_ == State::kContact ? kContactKeys : kHeroKeys;
        uint32_t& seen = state_ == State::kContact ? contact_seen_ : hero_seen_;
        for (uint32_t i = 0; i < 3; ++i) {
          if (k != keys[i]) continue;
          if ((seen & (1u << i)) != 0) return false;
          seen |= 1u << i;
          field_ = i;
          return true;
        }
        return false;
      }
      case State::kText:
        // Increasing ids: the order the tree iterates in, and no duplicates.
        if (!texts_.empty() && !(texts_.back().first < k)) return false;
        texts_.emplace_back(std::move(k), std::string());
        return true;
      default:
        return false;
    }
  }

  bool string(json::string_t& v) {
    switch (state_) {
      case State::kContact: {
        Contact& c = contact_.has_value() ? *contact_ : contact_.emplace();
        (field_ == 0 ? c.email : field_ == 1 ? c.name : c.phone) = std::move(v);
        return true;
      }
      case State::kHero: {
        Hero& h = hero_.has_value() ? *hero_ : hero_.emplace();
        (field_ == 0 ? h.name : field_ == 1 ? h.staff_id : h.story) = std::move(v);
        return true;
      }
      case State::kText:
        texts_.back().second = std::move(v);
        return true;
      default:
        return false;
    }
  }

  bool done() const { return state_ == State::kDone; }

  void MergeInto(FeedbackRecord& record) {
    for (auto& [question_id, text] : texts_) AnswerFor(record, question_id).text = std::move(text);
    if ((present_ & 2) != 0) record.hero = hero_.value_or(Hero{});
    if ((present_ & 1) != 0) record.contact = contact_.value_or(Contact{});
  }

 private:
  enum class State { kStart, kRoot, kContact, kHero, kText, kDone };

  bool Once(uint32_t bit, State next) {
    if ((present_ & bit) != 0) return false;
    present_ |= bit;
    pending_ = next;
    return true;
  }

  State state_ = State::kStart;
  State pending_ = State::kStart;  // the object the last root key opens
  uint32_t present_ = 0;           // 1 contact, 2 hero, 4 text
  uint32_t contact_seen_ = 0, hero_seen_ = 0, field_ = 0;
  std::optional<Contact> contact_;
  std::optional<Hero> hero_;
  std::vector<std::pair<std::string, std::string>> texts_;
};

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

// The text of the json {"contact", "hero", "text"} dump() gave (strict:
// invalid UTF-8 throws json::type_error), written directly. A question id
// answered twice keeps its last text, as assigning it into the map did.
std::string SensitiveJson(const FeedbackRecord& record) {
  constexpr json::error_handler_t kStrict = json::error_handler_t::strict;
  std::vector<std::pair<std::string_view, std::string_view>> texts;
  for (const Answer& a : record.answers) {
    if (!a.text.empty()) texts.emplace_back(a.question_id, a.text);
  }
  std::stable_sort(texts.begin(), texts.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::string out;
  ObjectText top(out);
  if (record.contact) {
    top.Key("contact");
    ObjectText c(out);
    c.String("email", record.contact->email, kStrict);
    c.String("name", record.contact->name, kStrict);
    c.String("phone", record.contact->phone, kStrict);
    c.End();
  }
  if (record.hero) {
    top.Key("hero");
    ObjectText h(out);
    h.String("name", record.hero->name, kStrict);
    h.String("staff_id", record.hero->staff_id, kStrict);
    h.String("story", record.hero->story, kStrict);
    h.End();
  }
  if (!texts.empty()) {
    top.Key("text");
    out += '{';
    bool first = true;
    for (size_t i = 0; i < texts.size(); ++i) {
      if (i + 1 < texts.size() && texts[i + 1].first == texts[i].first) continue;  // last wins
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, texts[i].first, kStrict);
      out += ':';
      AppendJsonString(out, texts[i].second, kStrict);
    }
    out += '}';
  }
  top.End();
  return out;
}

Status MergeSensitive(std::string_view text, FeedbackRecord& record) {
  // Text as SensitiveJson writes it is read without a JSON tree; anything
  // else (and every error) takes the general way below.
  {
    SensitiveFieldsSax sax;
    bool read = false;
    try {
      read = json::sax_parse(text, &sax) && sax.done();
    } catch (const std::exception&) {
      read = false;
    }
    if (read) {
      sax.MergeInto(record);
      return Status::Ok();
    }
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Corruption("sealed record fields are not a JSON object");
  if (auto it = j.find("text"); it != j.end()) {
    if (!it->is_object()) return Status::Corruption("sealed field 'text' is not an object");
    for (const auto& [question_id, value] : it->items()) {
      if (!value.is_string()) return Status::Corruption("sealed text answer is not a string");
      AnswerFor(record, question_id).text = value.get<std::string>();
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

bool IsPublicPart(const FeedbackRecord& record) {
  if (record.hero || record.contact) return false;
  return std::all_of(record.answers.begin(), record.answers.end(), [](const Answer& a) {
    return (a.number || !a.choices.empty()) && a.text.empty();
  });
}

// RecordToJson's keys, in the order of its std::map (hero and contact are never public).
std::string PublicRecordJson(const FeedbackRecord& r) {
  constexpr json::error_handler_t kReplace = json::error_handler_t::replace;
  std::string out;
  out.reserve(512);
  ObjectText o(out);
  o.Key("answers") += '[';
  bool first_answer = true;
  for (const Answer& a : r.answers) {
    if (!a.number && a.choices.empty()) continue;  // PublicPart drops text-only answers
    if (!first_answer) out += ',';
    first_answer = false;
    ObjectText ao(out);
    if (!a.choices.empty()) {
      ao.Key("c") += '[';
      for (size_t i = 0; i < a.choices.size(); ++i) {
        if (i > 0) out += ',';
        AppendJsonString(out, a.choices[i], kReplace);
      }
      out += ']';
    }
    if (a.number) ao.Int("n", *a.number);
    ao.String("q", a.question_id, kReplace);  // "t": PublicPart blanks every text
    ao.End();
  }
  out += ']';
  o.String("channel", ChannelName(r.channel), kReplace);
  o.String("device_id", r.device_id, kReplace);
  if (r.flagged_burst) o.Key("flagged_burst") += "true";
  o.String("id", r.id, kReplace);
  o.String("locale", r.locale, kReplace);
  if (r.received_at) o.Int("received_at", *r.received_at);
  o.String("site_id", r.site_id, kReplace);
  if (!r.staff_id.empty()) o.String("staff_id", r.staff_id, kReplace);
  o.Int("started_at", r.started_at);
  o.String("status", RecordStatusName(r.status), kReplace);
  o.Int("submitted_at", r.submitted_at);
  o.String("survey_id", r.survey_id, kReplace);
  o.Int("survey_version", r.survey_version);
  o.End();
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
