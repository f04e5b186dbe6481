// The helpers the kiosk and agent screens use: IsVisible (show_if), Find, and
// localized text with fallback to the default locale.
#include <gtest/gtest.h>

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

Question WithCondition(ShowIf cond) {
  Question q;
  q.id = "follow_up";
  q.type = QuestionType::kText;
  q.show_if = std::move(cond);
  return q;
}

TEST(SurveyVisibilityTest, UnconditionalQuestionIsAlwaysVisible) {
  SurveyDefinition def = LoadMini();
  EXPECT_TRUE(IsVisible(*def.Find("nps"), {}));
  EXPECT_TRUE(IsVisible(*def.Find("comment"), std::vector<Answer>{Number("nps", 3)}));
}

TEST(SurveyVisibilityTest, ContactShowsForDetractorsOnly) {
  Result<SurveyDefinition> def = LoadSurveyDefinition(AssetPath("surveys/retail_kiosk.json"));
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  const Question& contact = *def->ContactQuestion();
  struct Case {
    int nps;
    bool visible;
  };
  for (Case c : {Case{0, true}, Case{3, true}, Case{6, true}, Case{7, false}, Case{8, false},
                 Case{10, false}}) {
    std::vector<Answer> answers = {Number("nps", c.nps), Number("greeting", 4)};
    EXPECT_EQ(IsVisible(contact, answers), c.visible) << "nps " << c.nps;
  }
  // Not answered yet (or skipped): the condition is not met.
  EXPECT_FALSE(IsVisible(contact, {}));
  EXPECT_FALSE(IsVisible(contact, std::vector<Answer>{Number("greeting", 1)}));
}

TEST(SurveyVisibilityTest, RangeBoundsAreInclusive) {
  Question q = WithCondition(ShowIf{"csat", 2, 4, {}});
  EXPECT_FALSE(IsVisible(q, std::vector<Answer>{Number("csat", 1)}));
  EXPECT_TRUE(IsVisible(q, std::vector<Answer>{Number("csat", 2)}));
  EXPECT_TRUE(IsVisible(q, std::vector<Answer>{Number("csat", 4)}));
  EXPECT_FALSE(IsVisible(q, std::vector<Answer>{Number("csat", 5)}));

  Question min_only = WithCondition(ShowIf{"nps", 9, std::nullopt, {}});
  EXPECT_TRUE(IsVisible(min_only, std::vector<Answer>{Number("nps", 10)}));
  EXPECT_FALSE(IsVisible(min_only, std::vector<Answer>{Number("nps", 8)}));
  // A choice-style answer to a score condition does not match.
  EXPECT_FALSE(IsVisible(min_only, std::vector<Answer>{Choices("nps", {"9"})}));
}

TEST(SurveyVisibilityTest, InMatchesAnyPickedOption) {
  Question q = WithCondition(
      ShowIf{"resolution", std::nullopt, std::nullopt, {"not_resolved", "escalated"}});
  EXPECT_TRUE(IsVisible(q, std::vector<Answer>{Choices("resolution", {"escalated"})}));
  EXPECT_TRUE(IsVisible(q, std::vector<Answer>{Choices("resolution", {"not_resolved"})}));
  EXPECT_FALSE(IsVisible(q, std::vector<Answer>{Choices("resolution", {"resolved"})}));
  EXPECT_FALSE(IsVisible(q, std::vector<Answer>{Choices("resolution", {})}));
  // Multi answers: one matching pick is enough.
  EXPECT_TRUE(IsVisible(q, std::vector<Answer>{Choices("resolution", {"resolved", "escalated"})}));
}

TEST(SurveyVisibilityTest, FindAndIndexOf) {
  SurveyDefinition def = LoadMini();
  ASSERT_NE(def.Find("visit"), nullptr);
  EXPECT_EQ(def.Find("visit")->type, QuestionType::kChoice);
  EXPECT_EQ(def.Find("nope"), nullptr);
  EXPECT_EQ(def.IndexOf("nps"), 0u);
  EXPECT_EQ(def.IndexOf("contact"), 7u);
  EXPECT_EQ(def.IndexOf("nope"), std::nullopt);
  EXPECT_NE(def.Find("visit")->FindOption("return"), nullptr);
  EXPECT_EQ(def.Find("visit")->FindOption("refund"), nullptr);
}

TEST(SurveyLocaleTest, TextInEachDeclaredLocale) {
  SurveyDefinition def = LoadMini();
  const Question& visit = *def.Find("visit");
  EXPECT_EQ(def.Text(visit.prompt, "en"), "Why did you visit?");
  EXPECT_EQ(def.Text(visit.prompt, "es"), "¿Por qué nos visitó?");
  EXPECT_EQ(def.Text(visit.FindOption("return")->label, "es"), "Una devolución");
  EXPECT_EQ(def.Text(def.title, "es"), "Encuesta corta");
}

TEST(SurveyLocaleTest, FallsBackToLanguageThenDefault) {
  SurveyDefinition def = LoadMini();
  const LocalizedText& prompt = def.Find("nps")->prompt;
  EXPECT_EQ(def.Text(prompt, "es-MX"), "¿Nos recomendaría?");    // same language
  EXPECT_EQ(def.Text(prompt, "fr"), "Would you recommend us?");  // default locale
  EXPECT_EQ(def.Text(prompt, ""), "Would you recommend us?");
  EXPECT_EQ(def.ResolveLocale("es-419"), "es");
  EXPECT_EQ(def.ResolveLocale("de"), "en");

  // An optional label that was never given stays empty in every locale.
  EXPECT_EQ(def.Text(def.Find("speed")->low_label, "es"), "");
}

TEST(SurveyLocaleTest, RegionalLocalesResolveByLanguage) {
  SurveyDefinition def;
  def.locales = {"es-MX", "en-US"};
  LocalizedText text = {{"es-MX", "Hola"}, {"en-US", "Hello"}};
  EXPECT_EQ(def.DefaultLocale(), "es-MX");
  EXPECT_EQ(def.ResolveLocale("en"), "en-US");
  EXPECT_EQ(def.ResolveLocale("en-GB"), "en-US");
  EXPECT_EQ(def.Text(text, "en-GB"), "Hello");
  EXPECT_EQ(def.Text(text, "pt-BR"), "Hola");

  // A hand-built text missing the default still yields something to show.
  LocalizedText english_only = {{"en-US", "Hello"}};
  EXPECT_EQ(def.Text(english_only, "es-MX"), "Hello");
}

}  // namespace
}  // namespace feedback

namespace feedback {
namespace {

TEST(SurveyDropHiddenTest, ChangedScoreDropsContactDetails) {
  Result<SurveyDefinition> def =
      LoadSurveyDefinition(testing::AssetPath("surveys/retail_kiosk.json"));
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  FeedbackRecord r;
  r.id = "r1";
  r.survey_id = "retail_kiosk";
  r.survey_version = 1;
  r.locale = "en";
  r.answers = {Number("nps", 3), Number("greeting", 2)};
  r.hero = Hero{"", "Ana", "Kind"};
  r.contact = Contact{"Sam", "555-0100", ""};
  DropHiddenAnswers(*def, r);  // nps 3: everything stays
  EXPECT_TRUE(r.contact.has_value());
  EXPECT_TRUE(r.hero.has_value());

  r.answers[0].number = 9;  // the customer went back and changed their score
  EXPECT_FALSE(ValidateRecord(*def, r).ok());
  DropHiddenAnswers(*def, r);
  EXPECT_FALSE(r.contact.has_value());
  EXPECT_TRUE(r.hero.has_value());
  EXPECT_EQ(r.answers, (std::vector<Answer>{Number("nps", 9), Number("greeting", 2)}));
  Status s = ValidateRecord(*def, r);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(SurveyDropHiddenTest, HidingCascades) {
  // c depends on b, which depends on a.
  const char* text = R"({
    "id": "chain", "version": 1, "channel": "call", "locales": ["en"],
    "title": {"en": "Chain"},
    "questions": [
      {"id": "a", "type": "choice", "prompt": {"en": "A"},
       "options": [{"id": "x", "label": {"en": "X"}}, {"id": "z", "label": {"en": "Z"}}]},
      {"id": "b", "type": "multi", "prompt": {"en": "B"}, "show_if": {"question": "a", "in": ["x"]},
       "options": [{"id": "y", "label": {"en": "Y"}}]},
      {"id": "c", "type": "text", "prompt": {"en": "C"}, "show_if": {"question": "b", "in": ["y"]}},
      {"id": "d", "type": "text", "prompt": {"en": "D"}}
    ]})";
  Result<SurveyDefinition> def = ParseSurveyDefinition(text, "chain.json");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  FeedbackRecord r;
  r.answers = {Choices("a", {"x"}), Choices("b", {"y"}), Answer{"c", std::nullopt, {}, "why"},
               Answer{"d", std::nullopt, {}, "note"}, Number("unknown", 1)};
  DropHiddenAnswers(*def, r);
  EXPECT_EQ(r.answers.size(), 5u);

  r.answers[0].choices = {"z"};
  DropHiddenAnswers(*def, r);
  std::vector<std::string> left;
  for (const Answer& a : r.answers) left.push_back(a.question_id);
  EXPECT_EQ(left, (std::vector<std::string>{"a", "d", "unknown"}));
}

}  // namespace
}  // namespace feedback
