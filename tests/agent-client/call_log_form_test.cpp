// The call-log form model: "this event in this state gives that state" (table-driven),
// validation, and the record it builds.
#include "logic/call_log_form.h"

#include <gtest/gtest.h>

#include <functional>
#include <ostream>

#include "agent_test_util.h"

namespace feedback::agent {
namespace {

using testing::Apply;
using testing::CallLogSurvey;

FormState Fresh() { return NewForm(CallLogSurvey(), "en"); }

// Field indexes of the shipped call_log.json.
constexpr size_t kCallRef = 0, kGreeting = 1, kResolution = 2, kEffort = 3, kPraiseName = 4,
                 kPraiseStory = 5, kNotes = 6;

// A complete, valid log.
FormState Complete() {
  return Apply(Fresh(), {SetText{"call_ref", "C-1001"}, SetNumber{"greeting", 4},
                         PickOption{"resolution", "resolved"}, SetNumber{"effort", 6}});
}

TEST(CallLogFormTest, FieldsFollowTheDefinition) {
  FormState s = Fresh();
  ASSERT_EQ(s.fields.size(), 7u);
  const std::vector<std::pair<std::string, FieldKind>> expected = {
      {"call_ref", FieldKind::kText},
      {"greeting", FieldKind::kScore},
      {"resolution", FieldKind::kChoice},
      {"effort", FieldKind::kScore},
      {"praise.name", FieldKind::kHeroName},
      {"praise.story", FieldKind::kHeroStory},
      {"notes", FieldKind::kText}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(s.fields[i].key, expected[i].first);
    EXPECT_EQ(s.fields[i].kind, expected[i].second) << s.fields[i].key;
  }
  EXPECT_TRUE(s.fields[kCallRef].required);
  EXPECT_TRUE(s.fields[kGreeting].required);
  EXPECT_TRUE(s.fields[kResolution].required);
  EXPECT_TRUE(s.fields[kEffort].required);
  EXPECT_FALSE(s.fields[kPraiseName].required);
  EXPECT_FALSE(s.fields[kPraiseStory].required);
  EXPECT_FALSE(s.fields[kNotes].required);
  EXPECT_EQ(s.fields[kCallRef].max_length, 32u);
  EXPECT_TRUE(s.fields[kNotes].multiline);
  EXPECT_TRUE(s.fields[kPraiseStory].multiline);
}

struct TransitionCase {
  std::string name;
  std::function<FormState()> given;
  FormEvent event;
  std::function<void(const FormState& before, const FormState& after)> expect;
};
void PrintTo(const TransitionCase& c, std::ostream* os) { *os << c.name; }

FormState FocusedOn(size_t index, FormState s = Fresh()) {
  return Apply(std::move(s), {FocusField{index}});
}

int Number(const FormState& s, const std::string& id) {
  auto it = s.values.numbers.find(id);
  return it == s.values.numbers.end() ? -1 : it->second;
}

std::string Choice(const FormState& s, const std::string& id) {
  auto it = s.values.choices.find(id);
  return it == s.values.choices.end() || it->second.empty() ? "" : it->second[0];
}

class TransitionTest : public ::testing::TestWithParam<TransitionCase> {};

TEST_P(TransitionTest, GivesExpectedState) {
  const TransitionCase& c = GetParam();
  const FormState before = c.given();
  const FormState after = Reduce(before, c.event, 5000);
  c.expect(before, after);
}

const TransitionCase kTransitions[] = {
    {"DigitSetsFocusedRating", [] { return FocusedOn(kGreeting); }, Digit{4},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(Number(s, "greeting"), 4);
       EXPECT_EQ(s.started_at, 5000);
       EXPECT_EQ(s.edits, 1u);
     }},
    {"DigitAboveScaleIsRefusedWithHint", [] { return FocusedOn(kGreeting); }, Digit{8},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(Number(s, "greeting"), -1);
       EXPECT_EQ(s.notice.kind, NoticeKind::kWarning);
       EXPECT_EQ(s.notice.text, "Greeting warmth: press 1-5");
     }},
    {"ZeroOnOneToFiveIsRefused", [] { return FocusedOn(kGreeting); }, Digit{0},
     [](const FormState&, const FormState& s) { EXPECT_EQ(Number(s, "greeting"), -1); }},
    {"SevenOnEffortScale", [] { return FocusedOn(kEffort); }, Digit{7},
     [](const FormState&, const FormState& s) { EXPECT_EQ(Number(s, "effort"), 7); }},
    {"DigitPicksNthOption", [] { return FocusedOn(kResolution); }, Digit{2},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(Choice(s, "resolution"), "partly_resolved");
     }},
    {"DigitFourIsEscalated", [] { return FocusedOn(kResolution); }, Digit{4},
     [](const FormState&, const FormState& s) { EXPECT_EQ(Choice(s, "resolution"), "escalated"); }},
    {"DigitBeyondOptionsIsRefused", [] { return FocusedOn(kResolution); }, Digit{5},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(Choice(s, "resolution"), "");
       EXPECT_EQ(s.notice.text, "Resolution: press 1-4");
     }},
    {"DigitOnTextFieldDoesNothing", [] { return FocusedOn(kCallRef); }, Digit{3},
     [](const FormState& b, const FormState& s) { EXPECT_EQ(s.values, b.values); }},
    {"StepUpFromUnsetStartsAtMin", [] { return FocusedOn(kGreeting); }, Step{+1},
     [](const FormState&, const FormState& s) { EXPECT_EQ(Number(s, "greeting"), 1); }},
    {"StepDownFromUnsetStartsAtMax", [] { return FocusedOn(kEffort); }, Step{-1},
     [](const FormState&, const FormState& s) { EXPECT_EQ(Number(s, "effort"), 7); }},
    {"StepStopsAtTheTop", [] { return Apply(FocusedOn(kGreeting), {Digit{5}}); }, Step{+1},
     [](const FormState&, const FormState& s) { EXPECT_EQ(Number(s, "greeting"), 5); }},
    {"StepMovesOption", [] { return Apply(FocusedOn(kResolution), {Digit{1}}); }, Step{+1},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(Choice(s, "resolution"), "partly_resolved");
     }},
    {"TabMovesOn", [] { return FocusedOn(kCallRef); }, FocusNext{},
     [](const FormState& b, const FormState& s) {
       EXPECT_EQ(s.focus, kGreeting);
       EXPECT_GT(s.focus_serial, b.focus_serial);
     }},
    {"TabWrapsFromLast", [] { return FocusedOn(kNotes); }, FocusNext{},
     [](const FormState&, const FormState& s) { EXPECT_EQ(s.focus, kCallRef); }},
    {"ShiftTabWrapsFromFirst", [] { return FocusedOn(kCallRef); }, FocusPrev{},
     [](const FormState&, const FormState& s) { EXPECT_EQ(s.focus, kNotes); }},
    {"ShiftTabGoesBack", [] { return FocusedOn(kPraiseStory); }, FocusPrev{},
     [](const FormState&, const FormState& s) { EXPECT_EQ(s.focus, kPraiseName); }},
    {"ClickOnScoreFocusesIt", [] { return FocusedOn(kCallRef); }, SetNumber{"effort", 3},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(s.focus, kEffort);
       EXPECT_EQ(Number(s, "effort"), 3);
     }},
    {"ClickOnOption", [] { return Fresh(); }, PickOption{"resolution", "escalated"},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(Choice(s, "resolution"), "escalated");
       EXPECT_EQ(s.focus, kResolution);
     }},
    {"UnknownOptionIgnored", [] { return Fresh(); }, PickOption{"resolution", "maybe"},
     [](const FormState& b, const FormState& s) { EXPECT_EQ(s.values, b.values); }},
    {"TextOnScoreKeyIgnored", [] { return Fresh(); }, SetText{"greeting", "5"},
     [](const FormState& b, const FormState& s) { EXPECT_EQ(s.values, b.values); }},
    {"TextKeptExactlyAsTyped", [] { return Fresh(); }, SetText{"notes", "  two\nlines "},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(FieldText(s, "notes"), "  two\nlines ");
     }},
    {"SubmitEmptyNamesEveryRequiredField", [] { return FocusedOn(kNotes); }, Submit{},
     [](const FormState&, const FormState& s) {
       EXPECT_FALSE(s.submit_ready);
       EXPECT_EQ(s.notice.kind, NoticeKind::kError);
       EXPECT_EQ(s.notice.text,
                 "Still needed: Call reference, Greeting warmth, Resolution, Customer effort.");
       EXPECT_EQ(s.problems.size(), 4u);
       EXPECT_EQ(s.focus, kCallRef);
     }},
    {"SubmitGoesToFirstMissing",
     [] {
       return Apply(Complete(), {SetNumber{"effort", 6}, SetText{"call_ref", "   "}});
     },
     Submit{},
     [](const FormState&, const FormState& s) {
       EXPECT_FALSE(s.submit_ready);
       EXPECT_EQ(s.focus, kCallRef);
       EXPECT_EQ(s.notice.text, "Still needed: Call reference.");
       // Nothing typed is lost: the spaces are still there.
       EXPECT_EQ(FieldText(s, "call_ref"), "   ");
     }},
    {"SubmitTooLongReference",
     [] {
       return Apply(Complete(), {SetText{"call_ref", std::string(33, 'x')}});
     },
     Submit{},
     [](const FormState&, const FormState& s) {
       EXPECT_FALSE(s.submit_ready);
       EXPECT_EQ(s.problems.at("call_ref"),
                 "Call reference is too long (33 of at most 32 characters)");
       EXPECT_EQ(FieldText(s, "call_ref"), std::string(33, 'x'));
     }},
    {"SubmitCompleteIsReady", [] { return Complete(); }, Submit{},
     [](const FormState&, const FormState& s) {
       EXPECT_TRUE(s.submit_ready);
       EXPECT_TRUE(s.problems.empty());
     }},
    {"FixingAFieldClearsItsProblem", [] { return Apply(Fresh(), {Submit{}}); },
     SetText{"call_ref", "C-1"},
     [](const FormState&, const FormState& s) {
       EXPECT_FALSE(s.problems.contains("call_ref"));
       EXPECT_TRUE(s.problems.contains("greeting"));
     }},
    {"EscClearsAndKeepsUndo", [] { return Complete(); }, Clear{},
     [](const FormState& b, const FormState& s) {
       EXPECT_TRUE(s.values.Empty());
       ASSERT_TRUE(s.undo_values.has_value());
       EXPECT_EQ(*s.undo_values, b.values);
       EXPECT_GT(s.generation, b.generation);
       EXPECT_EQ(s.focus, kCallRef);
       EXPECT_EQ(s.started_at, 0);
     }},
    {"EscOnEmptyFormOnlyResets", [] { return Apply(FocusedOn(kEffort), {Submit{}}); }, Clear{},
     [](const FormState&, const FormState& s) {
       EXPECT_FALSE(s.undo_values.has_value());
       EXPECT_TRUE(s.problems.empty());
       EXPECT_EQ(s.notice.kind, NoticeKind::kNone);
     }},
    {"UndoBringsTheClearedLogBack", [] { return Apply(Complete(), {Clear{}}); }, Undo{},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(s.values, Complete().values);
       EXPECT_FALSE(s.undo_values.has_value());
     }},
    {"UndoOverNewTypingSwaps",
     [] {
       return Apply(Complete(), {Clear{}, SetText{"call_ref", "C-2"}});
     },
     Undo{},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(FieldText(s, "call_ref"), "C-1001");
       ASSERT_TRUE(s.undo_values.has_value());
       EXPECT_EQ(s.undo_values->text.at("call_ref"), "C-2");
     }},
    {"NewLogOnHalfFilledFormKeepsIt", [] { return FocusedOn(kEffort, Complete()); }, NewLog{},
     [](const FormState& b, const FormState& s) {
       EXPECT_EQ(s.values, b.values);
       EXPECT_EQ(s.focus, kCallRef);
       EXPECT_EQ(s.notice.kind, NoticeKind::kWarning);
     }},
    {"NewLogOnEmptyFormFocusesReference", [] { return FocusedOn(kNotes); }, NewLog{},
     [](const FormState& b, const FormState& s) {
       EXPECT_EQ(s.focus, kCallRef);
       EXPECT_GT(s.focus_serial, b.focus_serial);
       EXPECT_EQ(s.notice.kind, NoticeKind::kNone);
     }},
    {"CapturedResetsForTheNextCall", [] { return Apply(Complete(), {Submit{}}); },
     Captured{"Call logged at 10:32."},
     [](const FormState& b, const FormState& s) {
       EXPECT_TRUE(s.values.Empty());
       EXPECT_FALSE(s.submit_ready);
       EXPECT_EQ(s.notice, (Notice{NoticeKind::kSuccess, "Call logged at 10:32."}));
       EXPECT_EQ(s.focus, kCallRef);
       EXPECT_GT(s.generation, b.generation);
     }},
    {"CaptureFailedKeepsEverything", [] { return Apply(Complete(), {Submit{}}); },
     CaptureFailed{"disk full"},
     [](const FormState& b, const FormState& s) {
       EXPECT_EQ(s.values, b.values);
       EXPECT_FALSE(s.submit_ready);
       EXPECT_EQ(s.notice.kind, NoticeKind::kError);
       EXPECT_NE(s.notice.text.find("disk full"), std::string::npos);
     }},
    {"NewSurveyAppliesBetweenLogs", [] { return Fresh(); },
     SwitchSurvey{*MakeFormSurvey(testing::CallLogJsonWithVersion(2), "v2")},
     [](const FormState&, const FormState& s) {
       EXPECT_EQ(s.survey->definition.version, 2);
       EXPECT_EQ(s.notice.text, "Form updated to version 2.");
     }},
    {"NewSurveyNeverMidLog",
     [] {
       return Apply(Fresh(), {SetNumber{"greeting", 3}});
     },
     SwitchSurvey{*MakeFormSurvey(testing::CallLogJsonWithVersion(2), "v2")},
     [](const FormState& b, const FormState& s) {
       EXPECT_EQ(s.survey->definition.version, 1);
       EXPECT_EQ(s.values, b.values);
     }},
};

INSTANTIATE_TEST_SUITE_P(Form, TransitionTest, ::testing::ValuesIn(kTransitions),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(CallLogFormTest, SpanishWording) {
  FormState s = Apply(NewForm(CallLogSurvey(), "es"), {Submit{}});
  EXPECT_EQ(s.notice.text,
            "Falta: Referencia, Calidez del saludo, Resolución, Esfuerzo del cliente.");
}

RecordContext Context() {
  RecordContext c;
  c.record_id = "0190a6f2-3c4d-7e5f-8a9b-0c1d2e3f4a5b";
  c.device_id = "agent-test-1";
  c.site_id = "cc-madrid";
  c.staff_id = "A1042";
  c.submitted_at = 9000;
  c.resolve_staff = [](std::string_view name) {
    return name == "Marta Ruiz" ? std::string("A2001") : std::string();
  };
  return c;
}

TEST(CallLogFormTest, BuildsTheCompleteRecord) {
  FormState s =
      Apply(Complete(),
            {SetText{"praise.story", "  She was so kind!  "}, SetText{"notes", "callback Tuesday"}},
            2000);
  s.started_at = 1500;
  Result<FeedbackRecord> r = BuildRecord(s, Context());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->survey_id, "call_log");
  EXPECT_EQ(r->survey_version, 1);
  EXPECT_EQ(r->channel, Channel::kCall);
  EXPECT_EQ(r->status, RecordStatus::kComplete);
  EXPECT_EQ(r->staff_id, "A1042");
  EXPECT_EQ(r->locale, "en");
  EXPECT_EQ(r->started_at, 1500);
  EXPECT_EQ(r->submitted_at, 9000);
  ASSERT_NE(r->FindAnswer("call_ref"), nullptr);
  EXPECT_EQ(r->FindAnswer("call_ref")->text, "C-1001");
  EXPECT_EQ(r->FindAnswer("greeting")->number, 4);
  EXPECT_EQ(r->FindAnswer("resolution")->choices, std::vector<std::string>{"resolved"});
  EXPECT_EQ(r->FindAnswer("effort")->number, 6);
  EXPECT_EQ(r->FindAnswer("notes")->text, "callback Tuesday");
  // An unnamed praise is credited to the rep who took the call.
  ASSERT_TRUE(r->hero.has_value());
  EXPECT_EQ(r->hero->staff_id, "A1042");
  EXPECT_EQ(r->hero->name, "");
  EXPECT_EQ(r->hero->story, "She was so kind!");
}

TEST(CallLogFormTest, PraiseForANamedColleagueResolvesFromRoster) {
  FormState s = Apply(Complete(), {SetText{"praise.name", "Marta Ruiz"},
                                   SetText{"praise.story", "Marta sorted it last week"}});
  Result<FeedbackRecord> r = BuildRecord(s, Context());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->hero->staff_id, "A2001");
  EXPECT_EQ(r->hero->name, "Marta Ruiz");
  FormState unknown = Apply(Complete(), {SetText{"praise.name", "Bob"}});
  Result<FeedbackRecord> r2 = BuildRecord(unknown, Context());
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->hero->staff_id, "");
  EXPECT_EQ(r2->hero->name, "Bob");
}

TEST(CallLogFormTest, NoPraiseNoHero) {
  Result<FeedbackRecord> r = BuildRecord(Complete(), Context());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->hero.has_value());
  EXPECT_EQ(r->FindAnswer("notes"), nullptr);
}

TEST(CallLogFormTest, IncompleteRecordIsRefusedByValidation) {
  FormState s = Apply(Fresh(), {SetText{"call_ref", "C-1"}});
  Result<FeedbackRecord> r = BuildRecord(s, Context());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("greeting"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace feedback::agent
