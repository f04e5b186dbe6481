// The record's JSON text written without a JSON tree (PublicRecordJson,
// SensitiveJson) must be byte for byte what nlohmann's dump() of the tree
// gives - the central store stores it and tests compare it - including
// escapes, non-ASCII, invalid UTF-8 (replaced, or thrown for SensitiveJson),
// key order and duplicate question ids. Checked against the tree on random
// records. Also IsPublicPart() == (PublicPart(r) == r).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "model/record.h"

namespace feedback {
namespace {

using nlohmann::json;

// SensitiveJson as it was written with the tree (the reference).
std::string SensitiveJsonByTree(const FeedbackRecord& record) {
  json j = json::object();
  json texts = json::object();
  for (const Answer& a : record.answers) {
    if (!a.text.empty()) texts[a.question_id] = a.text;
  }
  if (!texts.empty()) j["text"] = std::move(texts);
  if (record.hero) {
    j["hero"] = {{"staff_id", record.hero->staff_id},
                 {"name", record.hero->name},
                 {"story", record.hero->story}};
  }
  if (record.contact) {
    j["contact"] = {{"name", record.contact->name},
                    {"phone", record.contact->phone},
                    {"email", record.contact->email}};
  }
  return j.dump();
}

class RandomRecords {
 public:
  explicit RandomRecords(uint32_t seed) : rng_(seed) {}

  // Strings that exercise every branch of the writer.
  std::string Text() {
    static const char* const kPieces[] = {
        "",
        "a",
        "plain ascii text",
        "quote \" here",
        "back\\slash",
        "\n\r\t\b\f",
        "\x01\x1f",
        "del \x7f",
        "caf\xc3\xa9",
        "\xf0\x9f\x98\x80 emoji",
        "\xe2\x82\xac",
        "\xff",
        "\xc0\xaf",
        "\xed\xa0\x80",
        "\xf4\x90\x80\x80",
        "\xe2\x82",
        "\xc3",
        "/<>&'",
        "\x80",
        "z",
    };
    std::string out;
    const int parts = static_cast<int>(rng_() % 4);
    for (int i = 0; i < parts; ++i) {
      if (rng_() % 5 == 0) {
        out += static_cast<char>(rng_() % 256);  // any byte at all
      } else {
        out += kPieces[rng_() % std::size(kPieces)];
      }
    }
    return out;
  }

  std::string QuestionId() {
    static const char* const kIds[] = {"nps", "comment",           "a",   "b", "b_2",
                                       "B",   "\xc3\xa9t\xc3\xa9", "q\"x"};
    return kIds[rng_() % std::size(kIds)];
  }

  FeedbackRecord Record() {
    FeedbackRecord r;
    r.id = Text();
    r.survey_id = Text();
    r.survey_version = static_cast<int>(rng_() % 2'000'000'000) - 1'000'000'000;
    r.device_id = Text();
    r.site_id = Text();
    r.channel = rng_() % 2 ? Channel::kKiosk : Channel::kCall;
    r.started_at = static_cast<int64_t>(rng_() % 1'000'000'000) * (rng_() % 2 ? -1 : 1) * 100000;
    r.submitted_at =
        rng_() % 7 == 0 ? INT64_MIN : static_cast<int64_t>(rng_() % 1'000'000'000) * 1000;
    if (rng_() % 3 == 0) r.received_at = INT64_MAX - static_cast<int64_t>(rng_() % 1000);
    r.status = rng_() % 2 ? RecordStatus::kComplete : RecordStatus::kAbandoned;
    r.locale = Text();
    if (rng_() % 2) r.staff_id = Text();
    r.flagged_burst = rng_() % 4 == 0;
    const int answers = static_cast<int>(rng_() % 6);
    for (int i = 0; i < answers; ++i) {
      Answer a;
      a.question_id = QuestionId();
      if (rng_() % 2) a.number = static_cast<int>(rng_() % 21) - 5;
      const int choices = static_cast<int>(rng_() % 3);
      for (int c = 0; c < choices; ++c) a.choices.push_back(Text());
      if (rng_() % 2) a.text = Text();
      r.answers.push_back(std::move(a));
    }
    if (rng_() % 3 == 0) r.hero = Hero{Text(), Text(), Text()};
    if (rng_() % 3 == 0) r.contact = Contact{Text(), Text(), Text()};
    return r;
  }

 private:
  std::mt19937 rng_;
};

TEST(RecordJsonTextTest, PublicRecordJsonIsTheDumpOfThePublicPart) {
  RandomRecords gen(7);
  for (int i = 0; i < 20000; ++i) {
    const FeedbackRecord r = gen.Record();
    const std::string want =
        RecordToJson(PublicPart(r)).dump(-1, ' ', false, json::error_handler_t::replace);
    ASSERT_EQ(PublicRecordJson(r), want) << "record " << i;
  }
}

TEST(RecordJsonTextTest, SensitiveJsonIsTheDumpOfTheTree) {
  RandomRecords gen(11);
  int thrown = 0;
  for (int i = 0; i < 20000; ++i) {
    const FeedbackRecord r = gen.Record();
    std::string want, got;
    std::string want_error = "none", got_error = "none";
    try {
      want = SensitiveJsonByTree(r);
    } catch (const json::exception& e) {
      want_error = e.what();
    }
    try {
      got = SensitiveJson(r);
    } catch (const json::exception& e) {
      got_error = e.what();
    }
    ASSERT_EQ(got_error, want_error) << "record " << i;
    ASSERT_EQ(got, want) << "record " << i;
    thrown += want_error != "none";
  }
  EXPECT_GT(thrown, 100);  // invalid UTF-8 was exercised
}

TEST(RecordJsonTextTest, SensitiveJsonKeepsTheLastTextOfARepeatedQuestion) {
  FeedbackRecord r;
  r.answers = {{"b", std::nullopt, {}, "first"},
               {"a", std::nullopt, {}, "only"},
               {"b", std::nullopt, {}, "second"},
               {"c", std::nullopt, {}, ""}};
  EXPECT_EQ(SensitiveJson(r), R"({"text":{"a":"only","b":"second"}})");
  EXPECT_EQ(SensitiveJson(FeedbackRecord{}), "{}");
}

// MergeSensitive as it was written with the tree (the reference).
Status ReadString(const json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  try {
    out = it->get<std::string>();
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("record field '") + key +
                                   "' has the wrong type: " + e.what());
  }
  return Status::Ok();
}

Status MergeSensitiveByTree(std::string_view text, FeedbackRecord& record) {
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
  if (auto it = j.find("hero"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return Status::InvalidArgument("record field 'hero' is not an object");
    Hero h;
    for (auto [key, field] : {std::pair{"staff_id", &h.staff_id}, std::pair{"name", &h.name},
                              std::pair{"story", &h.story}}) {
      if (Status s = ReadString(*it, key, *field); !s.ok()) return s;
    }
    record.hero = h;
  }
  if (auto it = j.find("contact"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) {
      return Status::InvalidArgument("record field 'contact' is not an object");
    }
    Contact c;
    for (auto [key, field] :
         {std::pair{"name", &c.name}, std::pair{"phone", &c.phone}, std::pair{"email", &c.email}}) {
      if (Status s = ReadString(*it, key, *field); !s.ok()) return s;
    }
    record.contact = c;
  }
  return Status::Ok();
}

// Sealed-field texts: mostly what SensitiveJson writes, and every way to differ from it.
std::string SealedText(RandomRecords& gen, std::mt19937& rng, const FeedbackRecord& full) {
  std::string text;
  try {
    text = SensitiveJson(full);
  } catch (const json::exception&) {
    text = "{\"text\":{\"a\":\"x\"}}";
  }
  switch (rng() % 20) {
    case 0:  // whitespace
      return json::parse(text).dump(1);
    case 1:  // text ids out of order, or repeated
      return R"({"text":{"b":"1","a":"2"}})";
    case 2:
      return R"({"text":{"a":"1","a":"2"}})";
    case 3:  // a nil, a number, an array, an unknown key
      return R"({"hero":null,"text":{"a":"1"}})";
    case 4:
      return R"({"contact":{"name":"N","phone":5}})";
    case 5:
      return R"({"text":{"a":["x"]}})";
    case 6:
      return R"({"text":{"a":"1"},"extra":1})";
    case 7:  // not JSON, or not an object
      return text.substr(0, text.size() / 2);
    case 8:
      return "[1]";
    case 9:  // escapes, partial objects, empty ones, keys repeated in a sub-object
      return R"({"hero":{"name":"A\"b\u00e9\n","story":""},"text":{}})";
    case 10:
      return R"({"contact":{},"hero":{"staff_id":"s"}})";
    case 11:
      return R"({"hero":{"name":"a","name":"b"}})";
    case 12: {  // a random text under a random id
      json j = json::object();
      j["text"][gen.QuestionId()] = "t";
      return j.dump();
    }
    default:
      return text;
  }
}

TEST(RecordJsonTextTest, MergeSensitiveIsTheTreeMerge) {
  RandomRecords gen(17);
  std::mt19937 rng(19);
  for (int i = 0; i < 20000; ++i) {
    const FeedbackRecord full = gen.Record();
    const std::string text = SealedText(gen, rng, full);
    FeedbackRecord want = PublicPart(gen.Record());
    FeedbackRecord got = want;
    const Status want_status = MergeSensitiveByTree(text, want);
    const Status got_status = MergeSensitive(text, got);
    ASSERT_EQ(got_status.code(), want_status.code()) << text;
    ASSERT_EQ(got_status.message(), want_status.message()) << text;
    ASSERT_EQ(got, want) << text;
  }
}

TEST(RecordJsonTextTest, IsPublicPartMatchesPublicPart) {
  RandomRecords gen(13);
  int public_ones = 0;
  for (int i = 0; i < 20000; ++i) {
    FeedbackRecord r = gen.Record();
    if (i % 2) r = PublicPart(r);  // half of them public by construction
    ASSERT_EQ(IsPublicPart(r), PublicPart(r) == r) << "record " << i;
    public_ones += IsPublicPart(r);
  }
  EXPECT_GT(public_ones, 9000);
}

}  // namespace
}  // namespace feedback
