// Loading survey definitions: the two shipped definitions, and a table of
// malformed ones, each with the exact message an operator would see.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "model/survey.h"
#include "shared/model/survey_test_util.h"

namespace feedback {
namespace {

using nlohmann::json;
using testing::AssetPath;
using testing::ReadTextFile;
using testing::TestDataPath;

// ---------------------------------------------------------------------------
// The shipped definitions.

TEST(SurveyLoadTest, RetailKioskLoads) {
  Result<SurveyDefinition> def = LoadSurveyDefinition(AssetPath("surveys/retail_kiosk.json"));
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->id, "retail_kiosk");
  EXPECT_EQ(def->version, 1);
  EXPECT_EQ(def->channel, Channel::kKiosk);
  EXPECT_EQ(def->locales, (std::vector<std::string>{"en", "es"}));
  EXPECT_EQ(def->DefaultLocale(), "en");

  std::vector<std::string> ids;
  std::vector<QuestionType> types;
  for (const Question& q : def->questions) {
    ids.push_back(q.id);
    types.push_back(q.type);
  }
  EXPECT_EQ(ids,
            (std::vector<std::string>{"nps", "greeting", "speed", "cleanliness", "availability",
                                      "knowledge", "comment", "hero", "contact"}));
  EXPECT_EQ(types, (std::vector<QuestionType>{
                       QuestionType::kNps, QuestionType::kRating, QuestionType::kRating,
                       QuestionType::kRating, QuestionType::kRating, QuestionType::kRating,
                       QuestionType::kText, QuestionType::kHero, QuestionType::kContact}));

  const Question* nps = def->Find("nps");
  ASSERT_NE(nps, nullptr);
  EXPECT_TRUE(nps->required);
  EXPECT_EQ(def->Text(nps->prompt, "en"), "How likely are you to recommend us to a friend?");
  EXPECT_EQ(def->Text(nps->prompt, "es"), "¿Qué tan probable es que nos recomiende a un amigo?");
  EXPECT_EQ(def->Outcome(), nps);

  // All five rating questions are drivers; the outcome is not.
  std::vector<const Question*> drivers = def->Drivers();
  ASSERT_EQ(drivers.size(), 5u);
  for (const Question* d : drivers) {
    EXPECT_EQ(d->type, QuestionType::kRating) << d->id;
    EXPECT_EQ(d->Scale().min, 1);
    EXPECT_EQ(d->Scale().max, 5);
  }
  EXPECT_EQ(def->Text(def->Find("greeting")->prompt, "en"),
            "How warm was the greeting when you came in?");

  // The contact question is shown to detractors only.
  const Question* contact = def->ContactQuestion();
  ASSERT_NE(contact, nullptr);
  EXPECT_FALSE(contact->required);
  ASSERT_TRUE(contact->show_if.has_value());
  EXPECT_EQ(contact->show_if->question_id, "nps");
  EXPECT_FALSE(contact->show_if->min.has_value());
  EXPECT_EQ(contact->show_if->max, 6);
  EXPECT_TRUE(contact->contact_fields.phone);
  EXPECT_TRUE(contact->contact_fields.email);

  const Question* hero = def->HeroQuestion();
  ASSERT_NE(hero, nullptr);
  EXPECT_EQ(def->Text(hero->prompt, "en"), "Did someone make your day?");
  EXPECT_EQ(def->Text(hero->labels.at("name"), "es"), "¿Quién fue?");
}

TEST(SurveyLoadTest, CallLogLoads) {
  Result<SurveyDefinition> def = LoadSurveyDefinition(AssetPath("surveys/call_log.json"));
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->id, "call_log");
  EXPECT_EQ(def->channel, Channel::kCall);
  EXPECT_EQ(def->locales, (std::vector<std::string>{"en", "es"}));
  ASSERT_EQ(def->questions.size(), 6u);

  const Question* ref = def->Find("call_ref");
  ASSERT_NE(ref, nullptr);
  EXPECT_EQ(ref->type, QuestionType::kText);
  EXPECT_TRUE(ref->required);
  EXPECT_EQ(ref->max_length, 32);

  const Question* greeting = def->Find("greeting");
  ASSERT_NE(greeting, nullptr);
  EXPECT_EQ(greeting->type, QuestionType::kRating);
  EXPECT_TRUE(greeting->driver);
  EXPECT_TRUE(greeting->required);

  const Question* resolution = def->Find("resolution");
  ASSERT_NE(resolution, nullptr);
  EXPECT_EQ(resolution->type, QuestionType::kChoice);
  std::vector<std::string> option_ids;
  for (const Option& o : resolution->options) option_ids.push_back(o.id);
  EXPECT_EQ(option_ids,
            (std::vector<std::string>{"resolved", "partly_resolved", "not_resolved", "escalated"}));
  EXPECT_EQ(def->Text(resolution->FindOption("partly_resolved")->label, "es"), "Resuelto en parte");

  const Question* effort = def->Find("effort");
  ASSERT_NE(effort, nullptr);
  EXPECT_EQ(effort->type, QuestionType::kCes);
  EXPECT_EQ(effort->Scale().max, 7);
  EXPECT_EQ(def->Outcome(), effort);

  ASSERT_NE(def->HeroQuestion(), nullptr);
  EXPECT_EQ(def->HeroQuestion()->id, "praise");
  EXPECT_EQ(def->ContactQuestion(), nullptr);
  EXPECT_EQ(def->Find("notes")->type, QuestionType::kText);
}

// Whatever is added to assets/surveys/ later must load too.
TEST(SurveyLoadTest, EveryShippedDefinitionLoads) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(AssetPath("surveys"))) {
    if (entry.path().extension() != ".json") continue;
    Result<SurveyDefinition> def = LoadSurveyDefinition(entry.path());
    EXPECT_TRUE(def.ok()) << def.status().ToString();
    ++count;
  }
  EXPECT_GE(count, 2);
}

TEST(SurveyLoadTest, MissingFileIsNotFound) {
  const std::string path = TestDataPath("surveys/does_not_exist.json");
  Result<SurveyDefinition> def = LoadSurveyDefinition(path);
  ASSERT_FALSE(def.ok());
  EXPECT_EQ(def.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(def.status().message(), path + ": survey definition file does not exist");
}

// ---------------------------------------------------------------------------
// Malformed definition files: the message starts with the file's path.

struct BadFileCase {
  std::string file;      // under tests/data/surveys/bad/
  std::string expected;  // the message after "<path>: "
};

void PrintTo(const BadFileCase& c, std::ostream* os) { *os << c.file; }

class BadSurveyFileTest : public ::testing::TestWithParam<BadFileCase> {};

TEST_P(BadSurveyFileTest, ReportsFilePathAndProblem) {
  const std::string path = TestDataPath("surveys/bad/" + GetParam().file);
  Result<SurveyDefinition> def = LoadSurveyDefinition(path);
  ASSERT_FALSE(def.ok());
  EXPECT_EQ(def.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(def.status().message(), path + ": " + GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadSurveyFileTest,
    ::testing::Values(
        BadFileCase{"syntax_error.json",
                    "invalid JSON at line 4, column 11 (byte 46): syntax error while parsing "
                    "object - unexpected string literal; expected '}'"},
        BadFileCase{"unknown_type.json",
                    "/questions/2/type: unknown question type \"stars\" (expected one of nps, "
                    "csat, ces, rating, choice, multi, text, hero, contact)"},
        BadFileCase{"missing_option_translation.json",
                    "/questions/3/options/1/label/es: missing the \"es\" translation (every "
                    "locale in /locales needs one)"},
        BadFileCase{"show_if_later.json",
                    "/questions/0/show_if/question: refers to \"resolution\", which comes later "
                    "(at /questions/1); a condition can only use an earlier answer"}),
    [](const ::testing::TestParamInfo<BadFileCase>& param_info) {
      std::string name = param_info.param.file.substr(0, param_info.param.file.find('.'));
      return name;
    });

// ---------------------------------------------------------------------------
// Malformed definitions built from mini.json with one fault each.

struct BadCase {
  std::string name;
  std::function<std::string()> text;
  std::string expected;  // the whole message, source name included
  Status::Code code = Status::Code::kInvalidArgument;
};

json Mini() { return json::parse(ReadTextFile(TestDataPath("surveys/mini.json"))); }

// mini.json with `change` applied, as text.
std::function<std::string()> Mutated(std::function<void(json&)> change) {
  return [change] {
    json doc = Mini();
    change(doc);
    return doc.dump(2);
  };
}

std::function<std::string()> Raw(std::string text) {
  return [text] { return text; };
}

json Localized(const std::string& en, const std::string& es) { return {{"en", en}, {"es", es}}; }

std::string DeepNesting(int levels) {
  return "{\"id\": " + std::string(static_cast<size_t>(levels), '[') +
         std::string(static_cast<size_t>(levels), ']') + "}";
}

const char* const kTypes = "nps, csat, ces, rating, choice, multi, text, hero, contact";

std::vector<BadCase> BadCases() {
  const std::string m = "mini.json: ";
  std::vector<BadCase> cases = {
      // --- syntax and shape of the document
      {"EmptyInput", Raw(""),
       m + "invalid JSON at line 1, column 1 (byte 1): syntax error while parsing value - "
           "unexpected end of input; expected '[', '{', or a literal"},
      {"TrailingComma", Raw("{\"id\": \"x\",\n}"),
       m + "invalid JSON at line 2, column 1 (byte 13): syntax error while parsing object key - "
           "unexpected '}'; expected string literal"},
      {"InvalidUtf8InString", Raw("{\"id\": \"caf\xe9\"}"),
       // nlohmann reads up to the closing quote before it rejects the string.
       m + "invalid JSON at line 1, column 13 (byte 13): syntax error while parsing value - "
           "invalid string: ill-formed UTF-8 byte; last read: '\"caf?\"'"},
      {"TopLevelArray", Raw("[1, 2]"),
       m + "/: expected a JSON object (the survey definition), got an array"},
      {"DuplicateTopLevelKey", Raw("{\"id\": \"a\", \"version\": 1, \"version\": 2}"),
       m + "/version: duplicate key \"version\" in the same object"},
      {"DuplicateKeyInsideQuestion",
       [] {
         std::string text = Mini().dump();
         const std::string needle = "\"id\":\"speed\"";
         text.replace(text.find(needle), needle.size(), needle + ",\"id\":\"speed2\"");
         return text;
       },
       m + "/questions/1/id: duplicate key \"id\" in the same object"},
      // The root object plus 15 arrays is 16 levels: allowed (and then a type error);
      // one more array is rejected where it starts.
      {"NestingAtLimit", Raw(DeepNesting(15)), m + "/id: expected an id string, got an array"},
      {"NestingTooDeep", Raw(DeepNesting(16)),
       m + "/id/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0: nesting is deeper than 16 levels; a survey "
           "definition never needs that"},
      {"FileTooLarge", [] { return std::string(kMaxSurveyFileBytes + 1, ' '); },
       m + "file is 262145 bytes; a survey definition may be at most 262144 bytes (256 KiB)",
       Status::Code::kResourceExhausted},

      // --- survey header
      {"MissingId", Mutated([](json& d) { d.erase("id"); }), m + "/id: required key is missing"},
      {"BadSurveyId", Mutated([](json& d) { d["id"] = "Retail Survey"; }),
       m + "/id: invalid id \"Retail Survey\" (use 1-64 characters from a-z, 0-9, _ and -)"},
      {"VersionZero", Mutated([](json& d) { d["version"] = 0; }),
       m + "/version: expected a positive integer (an integer from 1 to 1000000000), got 0"},
      {"VersionNegative", Mutated([](json& d) { d["version"] = -4; }),
       m + "/version: expected a positive integer (an integer from 1 to 1000000000), got -4"},
      {"VersionFraction", Mutated([](json& d) { d["version"] = 1.5; }),
       m + "/version: expected a positive integer (an integer from 1 to 1000000000), got 1.5"},
      {"VersionString", Mutated([](json& d) { d["version"] = "2"; }),
       m + "/version: expected a positive integer (an integer from 1 to 1000000000), got the "
           "string \"2\""},
      {"UnknownChannel", Mutated([](json& d) { d["channel"] = "web"; }),
       m + "/channel: expected \"kiosk\" or \"call\", got the string \"web\""},
      {"UnknownTopLevelKey", Mutated([](json& d) { d["titel"] = Localized("x", "y"); }),
       m + "/titel: unknown key \"titel\" in survey definition (did you mean \"title\"?)"},
      {"UnknownKeyIsPointerEscaped", Mutated([](json& d) { d["a/b~c"] = 1; }),
       m + "/a~1b~0c: unknown key \"a/b~c\" in survey definition"},
      {"NoLocales", Mutated([](json& d) { d["locales"] = json::array(); }),
       m + "/locales: expected a non-empty array of locales (the first is the default), got an "
           "empty array"},
      {"DuplicateLocale", Mutated([](json& d) {
         d["locales"] = {"en", "es", "en"};
       }),
       m + "/locales/2: locale \"en\" is listed twice"},
      {"BadLocale", Mutated([](json& d) { d["locales"] = {"EN"}; }),
       m + "/locales/0: expected a locale such as \"en\" or \"es-MX\", got the string \"EN\""},
      {"TitleMissingTranslation", Mutated([](json& d) { d["title"].erase("es"); }),
       m + "/title/es: missing the \"es\" translation (every locale in /locales needs one)"},
      {"TitleUndeclaredLocale", Mutated([](json& d) { d["title"]["fr"] = "Mini"; }),
       m + "/title/fr: locale \"fr\" is not declared in /locales (en, es)"},
      {"EmptyTranslation", Mutated([](json& d) { d["title"]["en"] = ""; }),
       m + "/title/en: translation is empty"},
      {"TitleNotLocalized", Mutated([](json& d) { d["title"] = "Mini"; }),
       m + "/title: expected an object of translations (locale -> text), got the string "
           "\"Mini\""},
      {"NoQuestions", Mutated([](json& d) { d["questions"] = json::array(); }),
       m + "/questions: expected a non-empty array of questions, got an empty array"},
      {"TooManyQuestions", Mutated([](json& d) {
         while (d["questions"].size() <= kMaxQuestions) d["questions"].push_back(d["questions"][5]);
       }),
       m + "/questions: 51 questions; at most 50 are allowed", Status::Code::kResourceExhausted},

      // --- questions
      {"QuestionNotObject", Mutated([](json& d) { d["questions"][1] = "speed"; }),
       m + "/questions/1: expected a question object, got the string \"speed\""},
      {"MissingType", Mutated([](json& d) { d["questions"][1].erase("type"); }),
       m + "/questions/1/type: required key is missing"},
      {"UnknownType", Mutated([](json& d) { d["questions"][1]["type"] = "stars"; }),
       m + "/questions/1/type: unknown question type \"stars\" (expected one of " + kTypes + ")"},
      {"TypeNotString", Mutated([](json& d) { d["questions"][1]["type"] = 5; }),
       m + "/questions/1/type: unknown question type 5 (expected one of " + kTypes + ")"},
      {"DuplicateQuestionId", Mutated([](json& d) { d["questions"][5]["id"] = "nps"; }),
       m + "/questions/5/id: duplicate question id \"nps\" (already used at /questions/0)"},
      {"BadQuestionId", Mutated([](json& d) { d["questions"][1]["id"] = "Speed-Of-Service"; }),
       m + "/questions/1/id: invalid id \"Speed-Of-Service\" (use 1-64 characters from a-z, "
           "0-9, _)"},
      {"MisspeltQuestionKey", Mutated([](json& d) { d["questions"][0]["requird"] = true; }),
       m + "/questions/0/requird: unknown key \"requird\" in a question (did you mean "
           "\"required\"?)"},
      {"KeyOfAnotherType", Mutated([](json& d) { d["questions"][0]["options"] = json::array(); }),
       m + "/questions/0/options: key \"options\" does not apply to a nps question"},
      {"DriverOnText", Mutated([](json& d) { d["questions"][5]["driver"] = true; }),
       m + "/questions/5/driver: key \"driver\" does not apply to a text question"},
      {"RequiredNotBool", Mutated([](json& d) { d["questions"][0]["required"] = "yes"; }),
       m + "/questions/0/required: expected true or false, got the string \"yes\""},
      {"PromptMissingTranslation",
       Mutated([](json& d) { d["questions"][0]["prompt"].erase("es"); }),
       m + "/questions/0/prompt/es: missing the \"es\" translation (every locale in /locales "
           "needs one)"},
      {"AnchorMissingTranslation",
       Mutated([](json& d) { d["questions"][0]["high_label"].erase("en"); }),
       m + "/questions/0/high_label/en: missing the \"en\" translation (every locale in /locales "
           "needs one)"},
      {"MissingPrompt", Mutated([](json& d) { d["questions"][2].erase("prompt"); }),
       m + "/questions/2/prompt: required key is missing"},
      {"ChoiceWithoutOptions",
       Mutated([](json& d) { d["questions"][2]["options"] = json::array(); }),
       m + "/questions/2/options: a choice question needs at least 2 options, got 0"},
      {"MultiWithoutOptions",
       Mutated([](json& d) { d["questions"][3]["options"] = json::array(); }),
       m + "/questions/3/options: a multi question needs at least 1 option, got 0"},
      {"DuplicateOptionId",
       Mutated([](json& d) { d["questions"][2]["options"][1]["id"] = "shop"; }),
       m + "/questions/2/options/1/id: duplicate option id \"shop\" (already used at "
           "/questions/2/options/0)"},
      {"OptionLabelMissingTranslation",
       Mutated([](json& d) { d["questions"][3]["options"][2]["label"].erase("es"); }),
       m + "/questions/3/options/2/label/es: missing the \"es\" translation (every locale in "
           "/locales needs one)"},
      {"MultiMaxAboveOptionCount", Mutated([](json& d) { d["questions"][3]["max"] = 5; }),
       m + "/questions/3/max: expected the most options one answer may pick (an integer from 1 "
           "to 3), got 5"},
      {"TextMaxLengthZero", Mutated([](json& d) { d["questions"][5]["max_length"] = 0; }),
       m + "/questions/5/max_length: expected a length in characters (an integer from 1 to "
           "5000), got 0"},
      {"TextMaxLengthHuge", Mutated([](json& d) { d["questions"][5]["max_length"] = 1000000; }),
       m + "/questions/5/max_length: expected a length in characters (an integer from 1 to "
           "5000), got 1000000"},
      {"SecondHeroQuestion", Mutated([](json& d) {
         json hero = d["questions"][6];
         hero["id"] = "hero2";
         d["questions"].push_back(hero);
       }),
       m + "/questions/8/type: a survey can have only one hero question (a record holds one); "
           "\"hero\" is one already"},
      {"ContactWithoutPhoneOrEmail",
       Mutated([](json& d) { d["questions"][7]["fields"] = {"name"}; }),
       m + "/questions/7/fields: a contact question must ask for \"phone\" or \"email\" - "
           "otherwise nobody can call the customer back"},
      {"ContactFieldTwice", Mutated([](json& d) {
         d["questions"][7]["fields"] = {"phone", "name", "phone"};
       }),
       m + "/questions/7/fields/2: field \"phone\" is listed twice"},
      {"ContactUnknownField", Mutated([](json& d) {
         d["questions"][7]["fields"] = {"phone", "address"};
       }),
       m + "/questions/7/fields/1: expected \"name\", \"phone\" or \"email\", got the string "
           "\"address\""},
      {"ControlCharacterInKey", Raw("{\"bad\\u0001key\": 1}"),
       m + "/bad?key: unknown key \"bad\\u0001key\" in survey definition"},
      {"LabelForFieldNotAsked", Mutated([](json& d) {
         d["questions"][7]["labels"] = {{"email", Localized("E-mail", "Correo")}};
       }),
       m + "/questions/7/labels/email: no field \"email\" to label (this question has: name, "
           "phone)"},

      // --- show_if
      {"ShowIfUnknownQuestion",
       Mutated([](json& d) { d["questions"][7]["show_if"]["question"] = "nope"; }),
       m + "/questions/7/show_if/question: refers to unknown question \"nope\""},
      {"ShowIfLaterQuestion", Mutated([](json& d) {
         d["questions"][1]["show_if"] = {{"question", "comment"}, {"in", {"x"}}};
       }),
       m + "/questions/1/show_if/question: refers to \"comment\", which comes later (at "
           "/questions/5); a condition can only use an earlier answer"},
      {"ShowIfSelf", Mutated([](json& d) { d["questions"][7]["show_if"]["question"] = "contact"; }),
       m + "/questions/7/show_if/question: a question cannot depend on its own answer"},
      {"ShowIfMaxOffScale", Mutated([](json& d) { d["questions"][7]["show_if"]["max"] = 12; }),
       m + "/questions/7/show_if/max: expected a value on the 0-10 scale of nps question \"nps\" "
           "(an integer from 0 to 10), got 12"},
      {"ShowIfEmptyRange", Mutated([](json& d) {
         d["questions"][7]["show_if"] = {{"question", "nps"}, {"min", 7}, {"max", 3}};
       }),
       m + "/questions/7/show_if: min 7 is greater than max 3; the question could never be shown"},
      {"ShowIfInOnScore", Mutated([](json& d) {
         d["questions"][7]["show_if"] = {{"question", "nps"}, {"in", {"x"}}};
       }),
       m + "/questions/7/show_if: \"in\" needs a choice or multi question, but nps question "
           "\"nps\" is not one (use min/max)"},
      {"ShowIfRangeOnChoice", Mutated([](json& d) {
         d["questions"][5]["show_if"] = {{"question", "visit"}, {"max", 1}};
       }),
       m + "/questions/5/show_if: min/max need a score question, but choice question \"visit\" "
           "is not one (use \"in\" with option ids)"},
      {"ShowIfUnknownOption",
       Mutated([](json& d) { d["questions"][4]["show_if"]["in"] = {"refund"}; }),
       m + "/questions/4/show_if/in/0: choice question \"visit\" has no option \"refund\""},
      {"ShowIfBothForms", Mutated([](json& d) { d["questions"][7]["show_if"]["in"] = {"x"}; }),
       m + "/questions/7/show_if: use either min/max (score questions) or in (choice questions), "
           "not both"},
      {"ShowIfNoCondition", Mutated([](json& d) {
         d["questions"][7]["show_if"] = {{"question", "nps"}};
       }),
       m + "/questions/7/show_if: needs min and/or max (for a score question) or in (for a "
           "choice question)"},
      {"ShowIfMisspeltKey",
       Mutated([](json& d) { d["questions"][7]["show_if"]["quesiton"] = "nps"; }),
       m + "/questions/7/show_if/quesiton: unknown key \"quesiton\" in a show_if condition (did "
           "you mean \"question\"?)"},

      // --- outcome
      {"OutcomeUnknown", Mutated([](json& d) { d["outcome"] = "overall"; }),
       m + "/outcome: refers to unknown question \"overall\""},
      {"OutcomeNotScore", Mutated([](json& d) { d["outcome"] = "comment"; }),
       m + "/outcome: \"comment\" is a text question; the outcome must be a score question (nps, "
           "csat, ces or rating)"},
      {"OutcomeIsDriver", Mutated([](json& d) { d["outcome"] = "speed"; }),
       m + "/outcome: \"speed\" is flagged as a driver; the outcome cannot also be one of its own "
           "drivers"},
      {"OutcomeMissingWithDrivers", Mutated([](json& d) { d.erase("outcome"); }),
       m + "/outcome: required key is missing: the survey has driver questions, so key-driver "
           "analysis needs an outcome score question"},
  };
  return cases;
}

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadSurveyTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadSurveyTest, ReportsPathAndProblem) {
  Result<SurveyDefinition> def = ParseSurveyDefinition(GetParam().text(), "mini.json");
  ASSERT_FALSE(def.ok()) << "accepted a definition with fault " << GetParam().name;
  EXPECT_EQ(def.status().code(), GetParam().code) << def.status().ToString();
  EXPECT_EQ(def.status().message(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Table, BadSurveyTest, ::testing::ValuesIn(BadCases()),
                         [](const ::testing::TestParamInfo<BadCase>& param_info) {
                           return param_info.param.name;
                         });

// The base of the table must itself be valid, or every case above proves nothing.
TEST(SurveyLoadTest, TableBaseIsValid) {
  Result<SurveyDefinition> def = ParseSurveyDefinition(Mini().dump(2), "mini.json");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->questions.size(), 8u);
}

TEST(SurveyLoadTest, OptionalKeysTakeDefaults) {
  json doc = Mini();
  doc["questions"][3].erase("max");
  doc["questions"][5].erase("max_length");
  doc["questions"][7].erase("fields");
  doc.erase("outcome");
  doc["questions"][1].erase("driver");
  Result<SurveyDefinition> def = ParseSurveyDefinition(doc.dump(), "mini.json");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->Find("extras")->max_choices, 3);
  EXPECT_EQ(def->Find("comment")->max_length, kDefaultTextAnswerLength);
  EXPECT_TRUE(def->Find("contact")->contact_fields.name);
  EXPECT_TRUE(def->Find("contact")->contact_fields.phone);
  EXPECT_TRUE(def->Find("contact")->contact_fields.email);
  EXPECT_EQ(def->Outcome(), nullptr);
  EXPECT_TRUE(def->Drivers().empty());
  EXPECT_FALSE(def->Find("speed")->required);
  EXPECT_TRUE(def->Find("speed")->low_label.empty());
}

TEST(SurveyLoadTest, ScalesFollowTheType) {
  EXPECT_EQ(ScaleOf(QuestionType::kNps).min, 0);
  EXPECT_EQ(ScaleOf(QuestionType::kNps).max, 10);
  EXPECT_EQ(ScaleOf(QuestionType::kCsat).min, 1);
  EXPECT_EQ(ScaleOf(QuestionType::kCsat).max, 5);
  EXPECT_EQ(ScaleOf(QuestionType::kCes).min, 1);
  EXPECT_EQ(ScaleOf(QuestionType::kCes).max, 7);
  EXPECT_EQ(ScaleOf(QuestionType::kRating).min, 1);
  EXPECT_EQ(ScaleOf(QuestionType::kRating).max, 5);
  EXPECT_FALSE(IsScoreType(QuestionType::kChoice));
  for (std::string_view name :
       {"nps", "csat", "ces", "rating", "choice", "multi", "text", "hero", "contact"}) {
    Result<QuestionType> type = ParseQuestionType(name);
    ASSERT_TRUE(type.ok()) << name;
    EXPECT_EQ(QuestionTypeName(*type), name);
  }
  EXPECT_FALSE(ParseQuestionType("stars").ok());
}

TEST(SurveyLoadTest, Utf8LengthCountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("caf\xc3\xa9"), 4u);                 // café
  EXPECT_EQ(Utf8Length("\xe2\x82\xac"), 1u);                // €
  EXPECT_EQ(Utf8Length("\xf0\x9f\x98\x80"), 1u);            // an emoji
  EXPECT_EQ(Utf8Length("caf\xe9"), std::nullopt);           // Latin-1, not UTF-8
  EXPECT_EQ(Utf8Length("\xc3"), std::nullopt);              // truncated
  EXPECT_EQ(Utf8Length("\xc0\xaf"), std::nullopt);          // overlong
  EXPECT_EQ(Utf8Length("\xed\xa0\x80"), std::nullopt);      // surrogate
  EXPECT_EQ(Utf8Length("\xf4\x90\x80\x80"), std::nullopt);  // past U+10FFFF
}

}  // namespace
}  // namespace feedback

namespace feedback {
namespace {

// "attract_first_question": only a boolean, and only over a first question the kiosk can
// ask on its attract screen (a score question that is always shown).
TEST(SurveyLoadTest, AttractFirstQuestion) {
  nlohmann::json doc = Mini();
  EXPECT_FALSE(ParseSurveyDefinition(doc.dump(), "mini.json")->attract_first_question);
  doc["attract_first_question"] = true;
  Result<SurveyDefinition> def = ParseSurveyDefinition(doc.dump(), "mini.json");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_TRUE(def->attract_first_question);

  doc["attract_first_question"] = "yes";
  def = ParseSurveyDefinition(doc.dump(), "mini.json");
  ASSERT_FALSE(def.ok());
  EXPECT_NE(def.status().message().find("/attract_first_question: expected true or false"),
            std::string::npos)
      << def.status().message();

  doc["attract_first_question"] = true;
  std::swap(doc["questions"][0], doc["questions"][5]);  // a non-score question first
  def = ParseSurveyDefinition(doc.dump(), "mini.json");
  ASSERT_FALSE(def.ok());
  EXPECT_NE(def.status().message().find("must be a score question"), std::string::npos)
      << def.status().message();
  EXPECT_TRUE(LoadSurveyDefinition(AssetPath("surveys/retail_kiosk.json"))->attract_first_question);
}

}  // namespace
}  // namespace feedback
