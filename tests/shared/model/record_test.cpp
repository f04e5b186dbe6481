#include "model/record.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace feedback {
namespace {

FeedbackRecord SampleRecord() {
  FeedbackRecord r;
  r.id = "0190a6f2-3c4d-7e5f-8a9b-0c1d2e3f4a5b";
  r.survey_id = "retail_kiosk";
  r.survey_version = 3;
  r.device_id = "kiosk-7";
  r.site_id = "store-12";
  r.channel = Channel::kKiosk;
  r.started_at = 1'700'000'000'000;
  r.submitted_at = 1'700'000'020'000;
  r.locale = "es";
  r.answers = {{"nps", 4, {}, {}},
               {"visit", std::nullopt, {"browse"}, {}},
               {"comment", std::nullopt, {}, "The queue was long"}};
  r.hero = Hero{"emp-3", "Ana", "She found my size"};
  r.contact = Contact{"Sam", "+34 600 000 000", ""};
  return r;
}

TEST(RecordTest, JsonRoundTripKeepsEveryField) {
  FeedbackRecord r = SampleRecord();
  r.received_at = 1'700'000'030'000;
  r.staff_id = "rep-1";
  r.flagged_burst = true;
  Result<FeedbackRecord> back = RecordFromJson(RecordToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);
}

TEST(RecordTest, PublicPartHoldsNothingSensitive) {
  FeedbackRecord pub = PublicPart(SampleRecord());
  std::string text = RecordToJson(pub).dump();
  for (const char* secret : {"queue was long", "Ana", "found my size", "Sam", "600 000"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  ASSERT_EQ(pub.answers.size(), 2u);  // the text-only answer is gone entirely
  EXPECT_EQ(pub.answers[0].number, 4);
  EXPECT_EQ(pub.answers[1].choices, std::vector<std::string>{"browse"});
}

TEST(RecordTest, SensitivePartMergesBackToTheWholeRecord) {
  FeedbackRecord full = SampleRecord();
  FeedbackRecord merged = PublicPart(full);
  ASSERT_TRUE(MergeSensitive(SensitiveJson(full), merged).ok());
  EXPECT_EQ(merged, full);
}

TEST(RecordTest, NothingSensitiveGivesAnEmptyObject) {
  FeedbackRecord r = SampleRecord();
  r.answers.pop_back();
  r.hero.reset();
  r.contact.reset();
  EXPECT_EQ(SensitiveJson(r), "{}");
}

TEST(RecordTest, FromJsonNamesTheBadField) {
  nlohmann::json j = RecordToJson(SampleRecord());
  struct Case {
    const char* field;
    nlohmann::json value;
    const char* expected;
  };
  const Case kCases[] = {
      {"id", nullptr, "record field 'id' is missing"},
      {"survey_version", "three", "record field 'survey_version' has the wrong type"},
      {"channel", "fax", "unknown channel 'fax' (expected kiosk or call)"},
      {"status", "maybe", "unknown record status 'maybe' (expected complete or abandoned)"},
      {"answers", "none", "record field 'answers' is missing or not an array"},
      {"hero", 5, "record field 'hero' is not an object"},
  };
  for (const Case& c : kCases) {
    nlohmann::json bad = j;
    if (c.value.is_null()) {
      bad.erase(c.field);
    } else {
      bad[c.field] = c.value;
    }
    Result<FeedbackRecord> r = RecordFromJson(bad);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos) << r.status().message();
  }
}

TEST(RecordTest, MergeSensitiveRejectsGarbage) {
  FeedbackRecord r = PublicPart(SampleRecord());
  EXPECT_EQ(MergeSensitive("not json", r).code(), Status::Code::kCorruption);
  EXPECT_EQ(MergeSensitive(R"({"text": []})", r).code(), Status::Code::kCorruption);
  EXPECT_EQ(MergeSensitive(R"({"text": {"comment": 3}})", r).code(), Status::Code::kCorruption);
}

TEST(RecordTest, AssociatedDataBindsRecordAndDevice) {
  EXPECT_NE(RecordAssociatedData("a", "b"), RecordAssociatedData("a", "c"));
  EXPECT_NE(RecordAssociatedData("ab", "c"), RecordAssociatedData("a", "bc"));
}

}  // namespace
}  // namespace feedback
