// ValidateRecord / ValidateAnswer: what the central store checks at ingest.
// Each case changes one thing in a valid record and expects the exact message.
#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "model/survey.h"
#include "shared/model/survey_test_util.h"

namespace feedback {
namespace {

using testing::AssetPath;
using testing::LoadMini;

Answer Number(const std::string& id, int n) { return Answer{id, n, {}, {}}; }
Answer Choices(const std::string& id, std::vector<std::string> c) {
  return Answer{id, std::nullopt, std::move(c), {}};
}
Answer Text(const std::string& id, const std::string& t) { return Answer{id, std::nullopt, {}, t}; }

// A complete, valid record for tests/data/surveys/mini.json.
FeedbackRecord ValidMiniRecord() {
  FeedbackRecord r;
  r.id = "rec-1";
  r.survey_id = "mini";
  r.survey_version = 3;
  r.device_id = "kiosk-7";
  r.site_id = "store-12";
  r.channel = Channel::kKiosk;
  r.status = RecordStatus::kComplete;
  r.locale = "es";
  r.answers = {Number("nps", 9), Number("speed", 4), Choices("visit", {"shop"}),
               Choices("extras", {"a", "c"}), Text("comment", "¡Muy bien!")};
  r.hero = Hero{"", "Ana", "Me ayudó mucho"};
  return r;
}

Answer* Find(FeedbackRecord& r, const std::string& id) {
  for (Answer& a : r.answers) {
    if (a.question_id == id) return &a;
  }
  return nullptr;
}

TEST(SurveyRecordTest, ValidCompleteRecordPasses) {
  SurveyDefinition def = LoadMini();
  Status s = ValidateRecord(def, ValidMiniRecord());
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(SurveyRecordTest, AbandonedRecordMayBePartial) {
  SurveyDefinition def = LoadMini();
  FeedbackRecord r = ValidMiniRecord();
  r.status = RecordStatus::kAbandoned;
  r.answers = {Number("speed", 2)};  // nps and visit are required but unanswered
  r.hero.reset();
  Status s = ValidateRecord(def, r);
  EXPECT_TRUE(s.ok()) << s.ToString();

  // The same answers in a record marked complete are not acceptable.
  r.status = RecordStatus::kComplete;
  s = ValidateRecord(def, r);
  EXPECT_EQ(s.message(), "record rec-1: question \"nps\": required but not answered");
}

TEST(SurveyRecordTest, AbandonedRecordAnswersAreStillChecked) {
  SurveyDefinition def = LoadMini();
  FeedbackRecord r = ValidMiniRecord();
  r.status = RecordStatus::kAbandoned;
  r.answers = {Number("nps", 12)};
  EXPECT_EQ(ValidateRecord(def, r).message(),
            "record rec-1: question \"nps\": 12 is out of range for a nps question (0-10)");
}

TEST(SurveyRecordTest, DetractorMayLeaveContactDetails) {
  SurveyDefinition def = LoadMini();
  FeedbackRecord r = ValidMiniRecord();
  Find(r, "nps")->number = 6;
  r.contact = Contact{"Luis", "+34 600 000 000", ""};
  Status s = ValidateRecord(def, r);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(SurveyRecordTest, HiddenRequiredQuestionNeedNotBeAnswered) {
  // why_return is required, but only shown after visit = return.
  SurveyDefinition def = LoadMini();
  FeedbackRecord r = ValidMiniRecord();
  ASSERT_TRUE(ValidateRecord(def, r).ok());
  Find(r, "visit")->choices = {"return"};
  EXPECT_EQ(ValidateRecord(def, r).message(),
            "record rec-1: question \"why_return\": required but not answered");
  r.answers.push_back(Text("why_return", "Roto"));
  EXPECT_TRUE(ValidateRecord(def, r).ok());
}

TEST(SurveyRecordTest, TextAnswerOnlyCountsWhenNotEmpty) {
  // A text answer blanked by PublicPart() does not satisfy "required".
  SurveyDefinition def = LoadMini();
  FeedbackRecord r = ValidMiniRecord();
  Find(r, "visit")->choices = {"return"};
  r.answers.push_back(Text("why_return", ""));
  EXPECT_EQ(ValidateRecord(def, r).message(),
            "record rec-1: question \"why_return\": required but not answered");
}

TEST(SurveyRecordTest, ShippedDefinitionsAcceptRealisticRecords) {
  Result<SurveyDefinition> retail = LoadSurveyDefinition(AssetPath("surveys/retail_kiosk.json"));
  ASSERT_TRUE(retail.ok()) << retail.status().ToString();
  FeedbackRecord kiosk;
  kiosk.id = "0190a3c2-0000-7000-8000-000000000001";
  kiosk.survey_id = "retail_kiosk";
  kiosk.survey_version = 1;
  kiosk.channel = Channel::kKiosk;
  kiosk.locale = "en";
  kiosk.answers = {Number("nps", 3), Number("greeting", 2), Number("speed", 1),
                   Text("comment", "Waited 20 minutes at the till.")};
  kiosk.contact = Contact{"Sam", "", "sam@example.com"};
  Status s = ValidateRecord(*retail, kiosk);
  EXPECT_TRUE(s.ok()) << s.ToString();

  Result<SurveyDefinition> calls = LoadSurveyDefinition(AssetPath("surveys/call_log.json"));
  ASSERT_TRUE(calls.ok()) << calls.status().ToString();
  FeedbackRecord call;
  call.id = "0190a3c2-0000-7000-8000-000000000002";
  call.survey_id = "call_log";
  call.survey_version = 1;
  call.channel = Channel::kCall;
  call.locale = "es";
  call.staff_id = "rep-42";
  call.answers = {Text("call_ref", "CR-2024-0042"), Number("greeting", 5),
                  Choices("resolution", {"escalated"}), Number("effort", 6)};
  call.hero = Hero{"rep-42", "", "Dijo que Marta fue muy paciente."};
  s = ValidateRecord(*calls, call);
  EXPECT_TRUE(s.ok()) << s.ToString();

  call.answers.pop_back();  // effort is required on the call log
  EXPECT_EQ(ValidateRecord(*calls, call).message(),
            "record 0190a3c2-0000-7000-8000-000000000002: question \"effort\": required but not "
            "answered");
}

// ---------------------------------------------------------------------------
// One fault per case.

struct BadRecordCase {
  std::string name;
  std::function<void(FeedbackRecord&)> change;
  std::string expected;
  Status::Code code = Status::Code::kInvalidArgument;
};

std::vector<BadRecordCase> BadRecordCases() {
  return {
      {"ScoreOutOfRange", [](FeedbackRecord& r) { Find(r, "nps")->number = 11; },
       "record rec-1: question \"nps\": 11 is out of range for a nps question (0-10)"},
      {"RatingBelowScale", [](FeedbackRecord& r) { Find(r, "speed")->number = 0; },
       "record rec-1: question \"speed\": 0 is out of range for a rating question (1-5)"},
      {"ScoreWithoutNumber", [](FeedbackRecord& r) { Find(r, "speed")->number.reset(); },
       "record rec-1: question \"speed\": a rating answer needs a number"},
      {"ScoreWithText", [](FeedbackRecord& r) { Find(r, "speed")->text = "fast"; },
       "record rec-1: question \"speed\": a rating answer carries only a number"},
      {"UnknownQuestion", [](FeedbackRecord& r) { r.answers.push_back(Number("stars", 5)); },
       "record rec-1: question \"stars\": not in survey \"mini\" version 3"},
      {"DuplicateAnswer", [](FeedbackRecord& r) { r.answers.push_back(Number("nps", 2)); },
       "record rec-1: question \"nps\": answered more than once"},
      {"UnknownChoice", [](FeedbackRecord& r) { Find(r, "visit")->choices = {"refund"}; },
       "record rec-1: question \"visit\": no option \"refund\" (expected one of shop, return)"},
      {"TwoChoicesForSingleChoice",
       [](FeedbackRecord& r) {
         Find(r, "visit")->choices = {"shop", "return"};
       },
       "record rec-1: question \"visit\": a choice answer picks exactly one option, got 2"},
      {"MultiOverMax",
       [](FeedbackRecord& r) {
         Find(r, "extras")->choices = {"a", "b", "c"};
       },
       "record rec-1: question \"extras\": 3 options picked; at most 2 are allowed"},
      {"MultiPicksTwice",
       [](FeedbackRecord& r) {
         Find(r, "extras")->choices = {"b", "b"};
       },
       "record rec-1: question \"extras\": option \"b\" is picked twice"},
      {"MultiEmpty", [](FeedbackRecord& r) { Find(r, "extras")->choices.clear(); },
       "record rec-1: question \"extras\": a multi answer picks at least one option, got none"},
      {"TextTooLong",
       // 11 code points (13 bytes) against max_length 10.
       [](FeedbackRecord& r) { Find(r, "comment")->text = "¡Muy bien!!"; },
       "record rec-1: question \"comment\": the text is 11 characters; at most 10 are allowed"},
      {"TextNotUtf8", [](FeedbackRecord& r) { Find(r, "comment")->text = "caf\xe9"; },
       "record rec-1: question \"comment\": the text is not valid UTF-8"},
      {"MissingRequiredAnswer",
       [](FeedbackRecord& r) { r.answers.erase(r.answers.begin() + 2); },  // visit
       "record rec-1: question \"visit\": required but not answered"},
      {"VersionMismatch", [](FeedbackRecord& r) { r.survey_version = 2; },
       "record rec-1: captured with version 2 of survey \"mini\", but this definition is version 3",
       Status::Code::kVersionMismatch},
      {"SurveyMismatch", [](FeedbackRecord& r) { r.survey_id = "call_log"; },
       "record rec-1: survey \"call_log\" does not match the definition \"mini\""},
      {"ChannelMismatch", [](FeedbackRecord& r) { r.channel = Channel::kCall; },
       "record rec-1: channel \"call\" does not match the survey's channel \"kiosk\""},
      {"UndeclaredLocale", [](FeedbackRecord& r) { r.locale = "fr"; },
       "record rec-1: locale \"fr\" is not one of the survey's locales (en, es)"},
      {"AnswerToHiddenQuestion",
       [](FeedbackRecord& r) { r.answers.push_back(Text("why_return", "x")); },
       "record rec-1: question \"why_return\": answered, but the question was hidden (shown only "
       "when \"visit\" is one of return)"},
      {"ContactFromPromoter",
       [](FeedbackRecord& r) {
         r.contact = Contact{"Luis", "600 000 000", ""};
       },
       "record rec-1: question \"contact\": answered, but the question was hidden (shown only "
       "when \"nps\" is at most 6)"},
      {"ContactFieldNotAsked",
       [](FeedbackRecord& r) {
         Find(r, "nps")->number = 2;
         r.contact = Contact{"Luis", "600 000 000", "luis@example.com"};
       },
       "record rec-1: question \"contact\": has the contact e-mail address, but the question "
       "does not ask for it"},
      {"ContactWithoutPhoneOrEmail",
       [](FeedbackRecord& r) {
         Find(r, "nps")->number = 2;
         r.contact = Contact{"Luis", "", ""};
       },
       "record rec-1: question \"contact\": the contact has neither a phone number nor an e-mail "
       "address to call back on"},
      {"ContactPhoneTooLong",
       [](FeedbackRecord& r) {
         Find(r, "nps")->number = 2;
         r.contact = Contact{"", std::string(33, '5'), ""};
       },
       "record rec-1: question \"contact\": the contact phone number is 33 characters; at most "
       "32 are allowed"},
      {"HeroNamesNobody",
       [](FeedbackRecord& r) {
         r.hero = Hero{"", "", "great"};
       },
       "record rec-1: question \"hero\": the hero nomination names nobody (staff_id and name are "
       "empty)"},
      {"HeroStoryTooLong", [](FeedbackRecord& r) { r.hero->story = "Me ayudó muchísimo, gracias"; },
       "record rec-1: question \"hero\": the hero story is 27 characters; at most 20 are allowed"},
      {"HeroAsAnswer", [](FeedbackRecord& r) { r.answers.push_back(Text("hero", "Ana")); },
       "record rec-1: question \"hero\": a hero question is answered in the record's hero field, "
       "not in answers"},
      {"RecordIdIsSanitised",
       [](FeedbackRecord& r) {
         r.id = "evil\nid";
         Find(r, "nps")->number = -1;
       },
       "record evil?id: question \"nps\": -1 is out of range for a nps question (0-10)"},
  };
}

void PrintTo(const BadRecordCase& c, std::ostream* os) { *os << c.name; }

class BadRecordTest : public ::testing::TestWithParam<BadRecordCase> {};

TEST_P(BadRecordTest, NamesRecordQuestionAndProblem) {
  SurveyDefinition def = LoadMini();
  FeedbackRecord r = ValidMiniRecord();
  GetParam().change(r);
  Status s = ValidateRecord(def, r);
  ASSERT_FALSE(s.ok()) << "accepted a record with fault " << GetParam().name;
  EXPECT_EQ(s.code(), GetParam().code) << s.ToString();
  EXPECT_EQ(s.message(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Table, BadRecordTest, ::testing::ValuesIn(BadRecordCases()),
                         [](const ::testing::TestParamInfo<BadRecordCase>& param_info) {
                           return param_info.param.name;
                         });

TEST(SurveyRecordTest, HeroNeedsAHeroQuestion) {
  SurveyDefinition def = LoadMini();
  def.questions.erase(def.questions.begin() + static_cast<long>(*def.IndexOf("hero")));
  EXPECT_EQ(ValidateRecord(def, ValidMiniRecord()).message(),
            "record rec-1: has a hero nomination, but survey \"mini\" has no hero question");
}

TEST(SurveyRecordTest, ContactNeedsAContactQuestion) {
  Result<SurveyDefinition> calls = LoadSurveyDefinition(AssetPath("surveys/call_log.json"));
  ASSERT_TRUE(calls.ok()) << calls.status().ToString();
  FeedbackRecord call;
  call.id = "c1";
  call.survey_id = "call_log";
  call.survey_version = 1;
  call.channel = Channel::kCall;
  call.locale = "en";
  call.status = RecordStatus::kAbandoned;
  call.contact = Contact{"", "555-0100", ""};
  EXPECT_EQ(ValidateRecord(*calls, call).message(),
            "record c1: has contact details, but survey \"call_log\" has no contact question");
}

TEST(SurveyRecordTest, ValidateAnswerChecksOneAnswer) {
  SurveyDefinition def = LoadMini();
  const Question& nps = *def.Find("nps");
  EXPECT_TRUE(ValidateAnswer(nps, Number("nps", 0)).ok());
  EXPECT_TRUE(ValidateAnswer(nps, Number("nps", 10)).ok());
  EXPECT_EQ(ValidateAnswer(nps, Number("nps", 11)).message(),
            "question \"nps\": 11 is out of range for a nps question (0-10)");
  EXPECT_EQ(ValidateAnswer(nps, Number("speed", 4)).message(),
            "question \"nps\": the answer is for \"speed\"");
  EXPECT_EQ(ValidateAnswer(*def.Find("visit"), Number("visit", 1)).message(),
            "question \"visit\": a choice answer carries only option ids");
  EXPECT_EQ(ValidateAnswer(*def.Find("comment"), Choices("comment", {"a"})).message(),
            "question \"comment\": a text answer carries only text");
  // Exactly at the limit is fine; the limit counts characters, not bytes.
  EXPECT_TRUE(ValidateAnswer(*def.Find("comment"), Text("comment", "ññññññññññ")).ok());
}

}  // namespace
}  // namespace feedback
