// The kiosk's screen state machine, driven without a window: a table of
// "these events from attract, then this event, give that state" rows covering
// every transition, then focused tests for idle timeout, burst throttling,
// conditional questions and the admin PIN lockout.
#include "logic/kiosk_state.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "model/survey.h"

namespace feedback::kiosk {
namespace {

constexpr TimeMs kStart = 1'700'000'000'000;
constexpr char kGoodPin[] = "2468";

std::shared_ptr<const SurveyDefinition> LoadSurvey(const std::string& path) {
  Result<SurveyDefinition> s = LoadSurveyDefinition(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::make_shared<const SurveyDefinition>(s.ok() ? std::move(s).value()
                                                         : SurveyDefinition{});
}

std::shared_ptr<const SurveyDefinition> AllTypes() {
  static auto survey = LoadSurvey(std::string(KIOSK_TEST_DATA_DIR) + "/all_types.json");
  return survey;
}

std::shared_ptr<const SurveyDefinition> Retail() {
  static auto survey = LoadSurvey(std::string(FEEDBACK_ASSETS_DIR) + "/surveys/retail_kiosk.json");
  return survey;
}

Settings TestSettings() {
  Settings s;
  s.idle_timeout_ms = 30'000;
  s.thank_you_ms = 5'000;
  s.burst_max_per_window = 3;
  s.burst_window_ms = 60'000;
  s.pin_max_attempts = 5;
  s.pin_lockout_ms = 300'000;
  s.admin_corner_taps = 5;
  s.admin_corner_window_ms = 4'000;
  s.admin_idle_ms = 60'000;
  return s;
}

// Feeds events one second apart (so nothing times out) and remembers the time.
struct Driver {
  explicit Driver(std::shared_ptr<const SurveyDefinition> survey = AllTypes(),
                  PinVerifier pin = nullptr, Settings settings = TestSettings())
      : machine(std::move(settings), pin ? std::move(pin) : PinVerifier([](std::string_view p) {
                  return p == kGoodPin;
                })),
        state(machine.Initial(std::move(survey), kStart)) {}

  Driver& Do(const Event& e, TimeMs step = 1'000) {
    now += step;
    state = machine.Step(state, e, now);
    return *this;
  }
  Driver& Do(const std::vector<Event>& events) {
    for (const Event& e : events) Do(e);
    return *this;
  }
  // The controller's half: the record was (or was not) stored.
  Driver& Captured(bool ok = true) {
    last_capture = state.capture_request;
    return Do(CaptureDone{ok, ok ? "" : "disk full"}, 0);
  }
  std::string Where() const { return ScreenKey(state); }

  KioskMachine machine;
  KioskState state;
  TimeMs now = kStart;
  std::optional<FeedbackRecord> last_capture;
};

std::vector<Event> Pin(const std::string& digits) {
  std::vector<Event> events;
  for (char d : digits) events.push_back(PinDigit{d - '0'});
  events.push_back(PinSubmit{});
  return events;
}

std::vector<Event> CornerTaps(int n) {
  return std::vector<Event>(static_cast<size_t>(n), AdminCornerTap{});
}

// Paths through the all-types survey, as prefixes for the table.
const std::vector<Event> kToCsat = {StartSurvey{}, AnswerScore{3}};
const std::vector<Event> kToVisit = {StartSurvey{}, AnswerScore{3}, AnswerScore{4}, AnswerScore{6}};
const std::vector<Event> kToExtras = {StartSurvey{}, AnswerScore{3}, AnswerScore{4}, AnswerScore{6},
                                      ToggleOption{"shop"}};
const std::vector<Event> kToComment = {StartSurvey{},  AnswerScore{3},       AnswerScore{4},
                                       AnswerScore{6}, ToggleOption{"shop"}, Next{}};
const std::vector<Event> kToHero = {StartSurvey{},  AnswerScore{3},       AnswerScore{4},
                                    AnswerScore{6}, ToggleOption{"shop"}, Next{},
                                    Next{}};
const std::vector<Event> kToContact = {
    StartSurvey{},        AnswerScore{3}, AnswerScore{4}, AnswerScore{6},
    ToggleOption{"shop"}, Next{},         Next{},         Next{}};
// A promoter (nps 9) at the hero question, which is then the last one: Next saves.
const std::vector<Event> kToSaving = {StartSurvey{},  AnswerScore{9},       AnswerScore{4},
                                      AnswerScore{6}, ToggleOption{"shop"}, Next{},
                                      Next{}};

std::vector<Event> Concat(std::vector<Event> a, const std::vector<Event>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct Row {
  const char* name;
  std::vector<Event> before;  // from attract
  Event event;
  std::string expect_where;  // ScreenKey after the event
  std::string expect_locale = "en";
};

class TransitionTable : public testing::TestWithParam<Row> {};

TEST_P(TransitionTable, EventInStateGivesState) {
  const Row& row = GetParam();
  Driver d;
  d.Do(row.before);
  d.Do(row.event);
  EXPECT_EQ(d.Where(), row.expect_where) << row.name << " (event " << EventName(row.event) << ")";
  EXPECT_EQ(d.state.locale, row.expect_locale) << row.name;
}

const Row kRows[] = {
    // attract
    {"attract_start", {}, StartSurvey{}, "question:nps:main"},
    {"attract_ignores_next", {}, Next{}, "attract"},
    {"attract_ignores_score", {}, AnswerScore{5}, "attract"},
    {"attract_language", {}, SetLocale{"es"}, "attract", "es"},
    {"attract_language_regional", {}, SetLocale{"es-MX"}, "attract", "es"},
    {"attract_unknown_language_falls_back", {SetLocale{"es"}}, SetLocale{"fr"}, "attract", "en"},
    {"attract_four_corner_taps", CornerTaps(3), AdminCornerTap{}, "attract"},
    {"attract_five_corner_taps", CornerTaps(4), AdminCornerTap{}, "admin-pin"},
    // score questions
    {"nps_answer_advances", {StartSurvey{}}, AnswerScore{9}, "question:csat:main"},
    {"nps_out_of_range_ignored", {StartSurvey{}}, AnswerScore{11}, "question:nps:main"},
    {"nps_negative_ignored", {StartSurvey{}}, AnswerScore{-1}, "question:nps:main"},
    {"nps_required_next_ignored", {StartSurvey{}}, Next{}, "question:nps:main"},
    {"first_question_back_ignored", {StartSurvey{}}, Back{}, "question:nps:main"},
    {"question_language", {StartSurvey{}}, SetLocale{"es"}, "question:nps:main", "es"},
    {"question_corner_taps_ignored", Concat({StartSurvey{}}, CornerTaps(4)), AdminCornerTap{},
     "question:nps:main"},
    {"csat_skip", kToCsat, Next{}, "question:effort:main"},
    {"csat_back", kToCsat, Back{}, "question:nps:main"},
    {"csat_zero_out_of_range", kToCsat, AnswerScore{0}, "question:csat:main"},
    {"ces_seven_in_range",
     {StartSurvey{}, AnswerScore{3}, AnswerScore{4}},
     AnswerScore{7},
     "question:visit:main"},
    {"ces_eight_out_of_range",
     {StartSurvey{}, AnswerScore{3}, AnswerScore{4}},
     AnswerScore{8},
     "question:effort:main"},
    // choice / multi
    {"choice_pick_advances", kToVisit, ToggleOption{"shop"}, "question:extras:main"},
    {"choice_unknown_option_ignored", kToVisit, ToggleOption{"nope"}, "question:visit:main"},
    {"choice_required_next_ignored", kToVisit, Next{}, "question:visit:main"},
    {"choice_score_ignored", kToVisit, AnswerScore{1}, "question:visit:main"},
    {"multi_toggle_stays", kToExtras, ToggleOption{"a"}, "question:extras:main"},
    {"multi_next_skips_hidden_text", kToExtras, Next{}, "question:comment:main"},
    {"return_shows_conditional_text",
     {StartSurvey{}, AnswerScore{3}, AnswerScore{4}, AnswerScore{6}, ToggleOption{"return"}},
     Next{},
     "question:why_return:main"},
    {"required_text_empty_next_ignored",
     {StartSurvey{}, AnswerScore{3}, AnswerScore{4}, AnswerScore{6}, ToggleOption{"return"},
      Next{}},
     Next{},
     "question:why_return:main"},
    {"required_text_typed_next",
     {StartSurvey{}, AnswerScore{3}, AnswerScore{4}, AnswerScore{6}, ToggleOption{"return"}, Next{},
      SetText{TextField::kAnswer, "Broken"}},
     Next{},
     "question:comment:main"},
    // text
    {"text_typing_stays", kToComment, SetText{TextField::kAnswer, "Nice"}, "question:comment:main"},
    {"text_skip", kToComment, Next{}, "question:hero:main"},
    {"text_back", kToComment, Back{}, "question:extras:main"},
    // hero
    {"hero_pick_staff", kToHero, PickStaff{"s1", "Ana"}, "question:hero:hero-story"},
    {"hero_pick_needs_name", kToHero, PickStaff{"s1", ""}, "question:hero:main"},
    {"hero_type_name", kToHero, TypeHeroName{}, "question:hero:hero-name"},
    {"hero_no_thanks", kToHero, Next{}, "question:contact:main"},
    {"hero_name_empty_next_ignored", Concat(kToHero, {TypeHeroName{}}), Next{},
     "question:hero:hero-name"},
    {"hero_name_typed_next",
     Concat(kToHero, {TypeHeroName{}, SetText{TextField::kHeroName, "Luis"}}), Next{},
     "question:hero:hero-story"},
    {"hero_name_back", Concat(kToHero, {TypeHeroName{}}), Back{}, "question:hero:main"},
    {"hero_story_back_to_typed_name",
     Concat(kToHero, {TypeHeroName{}, SetText{TextField::kHeroName, "Luis"}, Next{}}), Back{},
     "question:hero:hero-name"},
    {"hero_story_back_to_roster", Concat(kToHero, {PickStaff{"s1", "Ana"}}), Back{},
     "question:hero:main"},
    {"hero_story_done",
     Concat(kToHero, {PickStaff{"s1", "Ana"}, SetText{TextField::kHeroStory, "Kind"}}), Next{},
     "question:contact:main"},
    {"hero_story_wrong_field_ignored", Concat(kToHero, {PickStaff{"s1", "Ana"}}),
     SetText{TextField::kAnswer, "x"}, "question:hero:hero-story"},
    // contact (shown: nps 3)
    {"contact_yes", kToContact, ContactOptIn{true}, "question:contact:contact-details"},
    {"contact_no_finishes", kToContact, ContactOptIn{false}, "saving"},
    {"contact_details_next_finishes", Concat(kToContact, {ContactOptIn{true}}), Next{}, "saving"},
    {"contact_details_back", Concat(kToContact, {ContactOptIn{true}}), Back{},
     "question:contact:main"},
    {"contact_back_to_hero", kToContact, Back{}, "question:hero:main"},
    // contact hidden (nps 9): the hero question is the last one
    {"promoter_skips_contact", kToSaving, Next{}, "saving"},
    // saving
    {"saving_ignores_taps", Concat(kToSaving, {Next{}}), StartSurvey{}, "saving"},
    {"saving_ignores_language", Concat(kToSaving, {Next{}}), SetLocale{"es"}, "saving"},
    {"saving_ignores_tick", Concat(kToSaving, {Next{}}), Tick{}, "saving"},
    {"saving_capture_ok", Concat(kToSaving, {Next{}}), CaptureDone{true, ""}, "thank-you"},
    {"saving_capture_failed", Concat(kToSaving, {Next{}}), CaptureDone{false, "disk full"},
     "out-of-service"},
    // thank-you
    {"thank_you_tap", Concat(kToSaving, {Next{}, CaptureDone{true, ""}}), Next{}, "attract"},
    {"thank_you_language_kept_until_attract",
     Concat(kToSaving, {SetLocale{"es"}, Next{}, CaptureDone{true, ""}}), Tick{}, "thank-you",
     "es"},
    // out of service
    {"capture_unavailable", {}, CaptureUnavailable{"cannot open"}, "out-of-service"},
    {"out_of_service_ignores_start", {CaptureUnavailable{"x"}}, StartSurvey{}, "out-of-service"},
    {"out_of_service_corner_opens_pin", Concat({CaptureUnavailable{"x"}}, CornerTaps(4)),
     AdminCornerTap{}, "admin-pin"},
    {"out_of_service_pin_cancel_returns", Concat({CaptureUnavailable{"x"}}, CornerTaps(5)),
     AdminClose{}, "out-of-service"},
    {"out_of_service_admin_close_returns",
     Concat(Concat({CaptureUnavailable{"x"}}, CornerTaps(5)), Pin(kGoodPin)), AdminClose{},
     "out-of-service"},
    // admin PIN pad and admin screen
    {"pin_right", Concat(CornerTaps(5), {PinDigit{2}, PinDigit{4}, PinDigit{6}, PinDigit{8}}),
     PinSubmit{}, "admin"},
    {"pin_wrong", Concat(CornerTaps(5), {PinDigit{1}, PinDigit{1}, PinDigit{1}, PinDigit{1}}),
     PinSubmit{}, "admin-pin"},
    {"pin_backspace_then_right",
     Concat(CornerTaps(5),
            {PinDigit{2}, PinDigit{4}, PinDigit{6}, PinDigit{9}, PinBackspace{}, PinDigit{8}}),
     PinSubmit{}, "admin"},
    {"pin_empty_submit", CornerTaps(5), PinSubmit{}, "admin-pin"},
    {"pin_cancel", CornerTaps(5), AdminClose{}, "attract"},
    {"pin_start_ignored", CornerTaps(5), StartSurvey{}, "admin-pin"},
    {"admin_close", Concat(CornerTaps(5), Pin(kGoodPin)), AdminClose{}, "attract"},
    {"admin_exit_stays_until_process_quits", Concat(CornerTaps(5), Pin(kGoodPin)), AdminExit{},
     "admin"},
};

INSTANTIATE_TEST_SUITE_P(Kiosk, TransitionTable, testing::ValuesIn(kRows),
                         [](const testing::TestParamInfo<Row>& row) {
                           return std::string(row.param.name);
                         });

TEST(KioskStateTest, AdminExitRequestsExit) {
  Driver d;
  d.Do(CornerTaps(5)).Do(Pin(kGoodPin));
  EXPECT_FALSE(d.state.exit_requested);
  d.Do(AdminExit{});
  EXPECT_TRUE(d.state.exit_requested);
}

TEST(KioskStateTest, CornerTapsMustComeQuickly) {
  Driver d;
  for (int i = 0; i < 5; ++i) d.Do(AdminCornerTap{}, 1'500);  // 6 s for five taps: too slow
  EXPECT_EQ(d.state.screen, Screen::kAttract);
  d.Do(Tick{}, 10'000);
  d.Do(CornerTaps(5));  // five taps in 4 s
  EXPECT_EQ(d.state.screen, Screen::kAdminPin);
}

TEST(KioskStateTest, CompleteRetailSurveyBuildsAValidRecord) {
  Driver d(Retail());
  d.Do({StartSurvey{}, SetLocale{"es"}, AnswerScore{4}, AnswerScore{5}, AnswerScore{4},
        AnswerScore{3}, AnswerScore{2}, AnswerScore{1},
        SetText{TextField::kAnswer, "Muy bien, gracias"}, Next{}, PickStaff{"s7", "Marta"},
        SetText{TextField::kHeroStory, "Me ayudó"}, Next{}, ContactOptIn{true},
        SetText{TextField::kContactName, "Ana"}, FocusField{TextField::kContactPhone},
        SetText{TextField::kContactPhone, "555 0100"}, Next{}});
  ASSERT_EQ(d.state.screen, Screen::kSaving);
  ASSERT_TRUE(d.state.capture_request.has_value());
  FeedbackRecord r = *d.state.capture_request;
  EXPECT_EQ(r.status, RecordStatus::kComplete);
  EXPECT_EQ(r.locale, "es");
  EXPECT_EQ(r.survey_id, "retail_kiosk");
  EXPECT_EQ(r.started_at, kStart + 1'000);
  EXPECT_EQ(r.submitted_at, d.now);
  EXPECT_FALSE(r.flagged_burst);
  ASSERT_EQ(r.answers.size(), 7u);
  EXPECT_EQ(r.answers[0].question_id, "nps");
  EXPECT_EQ(r.answers[0].number, 4);
  EXPECT_EQ(r.answers[5].question_id, "knowledge");
  EXPECT_EQ(r.answers[5].number, 1);
  EXPECT_EQ(r.answers[6].text, "Muy bien, gracias");
  ASSERT_TRUE(r.hero.has_value());
  EXPECT_EQ(*r.hero, (Hero{"s7", "Marta", "Me ayudó"}));
  ASSERT_TRUE(r.contact.has_value());
  EXPECT_EQ(*r.contact, (Contact{"Ana", "555 0100", ""}));
  r.id = "0190a6f2-3c4d-7e5f-8a9b-0c1d2e3f4a5b";
  r.device_id = "kiosk-1";
  r.site_id = "store-1";
  EXPECT_TRUE(ValidateRecord(*Retail(), r).ok()) << ValidateRecord(*Retail(), r).ToString();
  d.Captured();
  EXPECT_EQ(d.state.screen, Screen::kThankYou);
}

TEST(KioskStateTest, ThankYouNeverShowsWithoutCaptureDone) {
  Driver d;
  d.Do(kToSaving).Do(Next{});
  ASSERT_EQ(d.state.screen, Screen::kSaving);
  for (int i = 0; i < 10; ++i) d.Do(Tick{}, 60'000);
  EXPECT_EQ(d.state.screen, Screen::kSaving);
  d.Captured(false);
  EXPECT_EQ(d.state.screen, Screen::kOutOfService);
  EXPECT_EQ(d.state.out_of_service_reason, "disk full");
  // Once out of service it stays so: no survey can start, thank-you cannot appear.
  d.Do(StartSurvey{}).Do(Tick{}, 600'000).Do(Next{});
  EXPECT_EQ(d.state.screen, Screen::kOutOfService);
  EXPECT_TRUE(d.state.session.Empty());
}

TEST(KioskStateTest, ThankYouTimesOutToAFreshAttract) {
  Driver d;
  d.Do(Concat(kToSaving, {SetLocale{"es"}})).Do(Next{}).Captured();
  ASSERT_EQ(d.state.screen, Screen::kThankYou);
  d.Do(Tick{}, 4'999);
  EXPECT_EQ(d.state.screen, Screen::kThankYou);
  d.Do(Tick{}, 1);
  EXPECT_EQ(d.state.screen, Screen::kAttract);
  EXPECT_EQ(d.state.locale, "en");  // the next customer starts in the default language
  EXPECT_TRUE(d.state.session.Empty());
  d.Do(StartSurvey{});
  EXPECT_EQ(FindAnswer(d.state.session, "nps"), nullptr);
  EXPECT_TRUE(d.state.session.edit_answer.empty());
}

TEST(KioskStateTest, IdleTimeoutSavesAnswersAsAbandonedAndClearsThem) {
  Driver d;
  d.Do({StartSurvey{}, SetLocale{"es"}, AnswerScore{2}, AnswerScore{1}, AnswerScore{7},
        ToggleOption{"shop"}, ToggleOption{"a"}, Next{}, SetText{TextField::kAnswer, "half"}});
  ASSERT_EQ(d.Where(), "question:comment:main");
  d.Do(Tick{}, 29'999);
  EXPECT_EQ(d.state.screen, Screen::kQuestion) << "not idle yet";
  d.Do(Tick{}, 1);
  EXPECT_EQ(d.state.screen, Screen::kAttract);
  ASSERT_TRUE(d.state.capture_request.has_value());
  const FeedbackRecord& r = *d.state.capture_request;
  EXPECT_EQ(r.status, RecordStatus::kAbandoned);
  EXPECT_EQ(r.locale, "es");
  ASSERT_EQ(r.answers.size(), 5u);
  EXPECT_EQ(r.answers[0].number, 2);
  EXPECT_EQ(r.answers[3].choices, std::vector<std::string>{"shop"});
  EXPECT_EQ(r.answers[4].choices, std::vector<std::string>{"a"});
  EXPECT_EQ(r.FindAnswer("comment"), nullptr) << "half-typed, never confirmed text is not kept";
  // Nothing of the previous customer is left on screen.
  EXPECT_TRUE(d.state.session.Empty());
  EXPECT_TRUE(d.state.session.edit_answer.empty());
  EXPECT_EQ(d.state.locale, "en");
  d.Captured();
  EXPECT_EQ(d.state.screen, Screen::kAttract) << "an abandoned record shows no thank-you";
  EXPECT_FALSE(d.state.capture_request.has_value());
}

TEST(KioskStateTest, IdleTimerRestartsOnEveryTouch) {
  Driver d;
  d.Do(StartSurvey{});
  for (int i = 0; i < 5; ++i) {
    d.Do(Tick{}, 20'000);
    d.Do(SetLocale{i % 2 == 0 ? "es" : "en"}, 0);  // any touch counts
  }
  EXPECT_EQ(d.state.screen, Screen::kQuestion);
}

TEST(KioskStateTest, IdleWithNothingAnsweredSavesNothing) {
  Driver d;
  d.Do(StartSurvey{}).Do(Tick{}, 30'000);
  EXPECT_EQ(d.state.screen, Screen::kAttract);
  EXPECT_FALSE(d.state.capture_request.has_value());
}

TEST(KioskStateTest, IdleAbandonWhoseCaptureFailsGoesOutOfService) {
  Driver d;
  d.Do({StartSurvey{}, AnswerScore{8}}).Do(Tick{}, 30'000);
  ASSERT_TRUE(d.state.capture_request.has_value());
  d.Captured(false);
  EXPECT_EQ(d.state.screen, Screen::kOutOfService);
}

TEST(KioskStateTest, AbandonedHeroAndContactKeepOnlyConfirmedDetails) {
  Driver d;
  d.Do(kToHero).Do({PickStaff{"s1", "Ana"}, SetText{TextField::kHeroStory, "Great"}, Next{},
                    ContactOptIn{true}, SetText{TextField::kContactName, "Half typed"}});
  d.Do(Tick{}, 30'000);
  ASSERT_TRUE(d.state.capture_request.has_value());
  EXPECT_EQ(d.state.capture_request->hero, (Hero{"s1", "Ana", "Great"}));
  EXPECT_FALSE(d.state.capture_request->contact.has_value());
}

TEST(KioskStateTest, BurstsAreFlaggedNotDropped) {
  Driver d;  // at most 3 records a minute before flagging
  std::vector<bool> flags;
  for (int i = 0; i < 6; ++i) {
    d.Do(kToSaving).Do(Next{}).Captured().Do(Next{});
    ASSERT_TRUE(d.last_capture.has_value()) << i;
    flags.push_back(d.last_capture->flagged_burst);
  }
  EXPECT_EQ(flags, (std::vector<bool>{false, false, false, true, true, true}));
  // A quiet minute later the kiosk trusts submissions again.
  d.Do(Tick{}, 61'000);
  d.Do(kToSaving).Do(Next{}).Captured();
  EXPECT_FALSE(d.last_capture->flagged_burst);
}

TEST(KioskStateTest, AbandonedRecordsCountTowardsBursts) {
  Settings settings = TestSettings();
  settings.idle_timeout_ms = 5'000;
  Driver d(AllTypes(), nullptr, settings);
  // Three children tap a score and run off, 7 s apart...
  for (int i = 0; i < 3; ++i) d.Do({StartSurvey{}, AnswerScore{1}}).Do(Tick{}, 5'000).Captured();
  ASSERT_EQ(d.last_capture->status, RecordStatus::kAbandoned);
  EXPECT_FALSE(d.last_capture->flagged_burst);
  // ...so the next record within the minute is flagged, complete or not.
  d.Do(kToSaving).Do(Next{}).Captured();
  EXPECT_EQ(d.last_capture->status, RecordStatus::kComplete);
  EXPECT_TRUE(d.last_capture->flagged_burst);
}

TEST(KioskStateTest, ContactIsAskedOnlyOfDetractors) {
  for (int nps = 0; nps <= 10; ++nps) {
    Driver d;
    d.Do({StartSurvey{}, AnswerScore{nps}, Next{}, Next{}, ToggleOption{"shop"}, Next{}, Next{},
          Next{}});
    if (nps <= 6) {
      EXPECT_EQ(d.Where(), "question:contact:main") << nps;
    } else {
      EXPECT_EQ(d.state.screen, Screen::kSaving) << nps;
    }
  }
}

TEST(KioskStateTest, ChangingScoreToPromoterDropsContactDetails) {
  Driver d;
  d.Do(kToContact).Do({ContactOptIn{true}, SetText{TextField::kContactName, "Ana"}, Next{}});
  ASSERT_EQ(d.state.screen, Screen::kSaving);
  ASSERT_TRUE(d.state.capture_request->contact.has_value());

  Driver back;
  back.Do(kToContact)
      .Do({ContactOptIn{true}, SetText{TextField::kContactName, "Ana"}, Back{}, Back{}});
  // hero <- comment <- extras <- visit <- effort <- csat <- nps
  for (int i = 0; i < 6; ++i) back.Do(Back{});
  ASSERT_EQ(back.Where(), "question:nps:main");
  back.Do({AnswerScore{10}, Next{}, Next{}, ToggleOption{"shop"}, Next{}, Next{}, Next{}});
  ASSERT_EQ(back.state.screen, Screen::kSaving);
  EXPECT_FALSE(back.state.capture_request->contact.has_value())
      << "details typed for a question that is now hidden must not be saved";
}

TEST(KioskStateTest, BackKeepsAnswersAndTypedText) {
  Driver d;
  d.Do(kToComment).Do({SetText{TextField::kAnswer, "Hola"}, Back{}});
  ASSERT_EQ(d.Where(), "question:extras:main");
  d.Do(Next{});
  EXPECT_EQ(d.state.session.edit_answer, "Hola");
  for (int i = 0; i < 4; ++i) d.Do(Back{});
  ASSERT_EQ(d.Where(), "question:csat:main");
  ASSERT_NE(FindAnswer(d.state.session, "csat"), nullptr);
  EXPECT_EQ(FindAnswer(d.state.session, "csat")->number, 4);
}

TEST(KioskStateTest, MultiRespectsMaxChoicesAndUntoggles) {
  Driver d;
  d.Do(kToExtras).Do({ToggleOption{"a"}, ToggleOption{"b"}, ToggleOption{"c"}});
  ASSERT_NE(FindAnswer(d.state.session, "extras"), nullptr);
  EXPECT_EQ(FindAnswer(d.state.session, "extras")->choices, (std::vector<std::string>{"a", "b"}));
  d.Do({ToggleOption{"a"}, ToggleOption{"b"}});
  EXPECT_EQ(FindAnswer(d.state.session, "extras"), nullptr);
}

TEST(KioskStateTest, TextRespectsLengthAndEncoding) {
  Driver d;
  d.Do(kToComment).Do(SetText{TextField::kAnswer, "ñandú ñoño"});  // 10 code points, 14 bytes
  EXPECT_EQ(d.state.session.edit_answer, "ñandú ñoño");
  d.Do(SetText{TextField::kAnswer, "ñandú ñoño!"});
  EXPECT_EQ(d.state.session.edit_answer, "ñandú ñoño") << "over max_length";
  d.Do(SetText{TextField::kAnswer, std::string("\xC3", 1)});
  EXPECT_EQ(d.state.session.edit_answer, "ñandú ñoño") << "invalid UTF-8";
}

TEST(KioskStateTest, SurveySwitchesOnlyBetweenCustomers) {
  Driver d;
  auto retail = Retail();
  d.Do(SurveyAvailable{retail});
  EXPECT_EQ(d.state.survey->id, "retail_kiosk") << "at attract it switches at once";

  Driver mid;
  mid.Do({StartSurvey{}, AnswerScore{9}}).Do(SurveyAvailable{retail});
  EXPECT_EQ(mid.state.survey->id, "all_types") << "mid-survey the customer keeps their survey";
  mid.Do({Next{}, Next{}, ToggleOption{"shop"}, Next{}, Next{}, Next{}});
  ASSERT_EQ(mid.state.screen, Screen::kSaving);
  EXPECT_EQ(mid.state.capture_request->survey_id, "all_types");
  mid.Captured().Do(Next{});
  EXPECT_EQ(mid.state.screen, Screen::kAttract);
  EXPECT_EQ(mid.state.survey->id, "retail_kiosk");
}

TEST(KioskStateTest, WrongPinFiveTimesLocksThePad) {
  int checks = 0;
  Driver d(AllTypes(), [&](std::string_view p) {
    ++checks;
    return p == kGoodPin;
  });
  d.Do(CornerTaps(5));
  for (int i = 0; i < 4; ++i) {
    d.Do(Pin("0000"));
    EXPECT_TRUE(d.state.pin_rejected);
    EXPECT_FALSE(PinLocked(d.state, d.now)) << i;
  }
  d.Do(Pin("1111"));
  EXPECT_TRUE(PinLocked(d.state, d.now));
  EXPECT_EQ(checks, 5);
  // While locked: digits are ignored and even the right PIN is not checked.
  d.Do(Pin(kGoodPin));
  EXPECT_EQ(d.state.screen, Screen::kAdminPin);
  EXPECT_TRUE(d.state.pin_entry.empty());
  EXPECT_EQ(checks, 5);
  // Leaving and coming back does not reset the lock.
  d.Do(AdminClose{}).Do(CornerTaps(5)).Do(Pin(kGoodPin));
  EXPECT_EQ(d.state.screen, Screen::kAdminPin);
  EXPECT_EQ(checks, 5);
  // After the lockout (the unattended pad has closed itself meanwhile) the right
  // PIN works, and the failure count starts again.
  d.Do(Tick{}, 300'000);
  EXPECT_EQ(d.state.screen, Screen::kAttract);
  d.Do(CornerTaps(5)).Do(Pin(kGoodPin));
  EXPECT_EQ(d.state.screen, Screen::kAdmin);
  EXPECT_EQ(d.state.pin_failures, 0);
}

TEST(KioskStateTest, LockoutDeadlineIsReported) {
  Settings settings = TestSettings();
  settings.admin_idle_ms = 600'000;  // longer than the lockout
  Driver d(AllTypes(), nullptr, settings);
  d.Do(CornerTaps(5));
  for (int i = 0; i < 5; ++i) d.Do(Pin("9999"));
  ASSERT_TRUE(PinLocked(d.state, d.now));
  const std::optional<TimeMs> deadline = d.machine.NextDeadline(d.state, 0);
  ASSERT_TRUE(deadline.has_value());
  EXPECT_EQ(*deadline, d.state.pin_locked_until) << "the pad redraws when the lock ends";
}

TEST(KioskStateTest, PinEntryIsBounded) {
  Driver d;
  d.Do(CornerTaps(5));
  for (int i = 0; i < 20; ++i) d.Do(PinDigit{1});
  EXPECT_EQ(d.state.pin_entry.size(), TestSettings().pin_max_digits);
  d.Do(PinDigit{10});
  EXPECT_EQ(d.state.pin_entry.size(), TestSettings().pin_max_digits);
}

TEST(KioskStateTest, WithoutAPinTheAdminScreenNeverOpens) {
  KioskMachine machine(TestSettings(), PinVerifier{});
  KioskState s = machine.Initial(AllTypes(), kStart);
  TimeMs now = kStart;
  for (int i = 0; i < 5; ++i) s = machine.Step(s, AdminCornerTap{}, ++now);
  ASSERT_EQ(s.screen, Screen::kAdminPin);
  for (int round = 0; round < 10; ++round) {
    for (char c : std::string("1234")) s = machine.Step(s, PinDigit{c - '0'}, ++now);
    s = machine.Step(s, PinSubmit{}, ++now);
    EXPECT_EQ(s.screen, Screen::kAdminPin);
  }
  EXPECT_FALSE(PinLocked(s, now)) << "nothing to guess, so nothing to lock";
}

TEST(KioskStateTest, AdminScreensCloseWhenLeftAlone) {
  Driver d;
  d.Do(CornerTaps(5)).Do(Pin(kGoodPin));
  ASSERT_EQ(d.state.screen, Screen::kAdmin);
  d.Do(Tick{}, 59'000);
  EXPECT_EQ(d.state.screen, Screen::kAdmin);
  d.Do(Tick{}, 1'000);
  EXPECT_EQ(d.state.screen, Screen::kAttract);
}

TEST(KioskStateTest, AttractRotatesHeroStories) {
  Driver d;
  d.Do(Tick{}, 7'000);
  EXPECT_EQ(d.state.story_index, 0u);
  d.Do(Tick{}, 1'000);
  EXPECT_EQ(d.state.story_index, 1u);
  EXPECT_EQ(d.machine.NextDeadline(d.state, 3), d.now + TestSettings().attract_rotate_ms);
  EXPECT_FALSE(d.machine.NextDeadline(d.state, 1).has_value()) << "one story: nothing to animate";
  EXPECT_FALSE(d.machine.NextDeadline(d.state, 0).has_value());
}

TEST(KioskStateTest, DeadlinesPerScreen) {
  Driver d;
  d.Do(StartSurvey{});
  // "Still there?" first (10 s before the 30 s reset), then the reset itself.
  EXPECT_EQ(d.machine.NextDeadline(d.state, 0), d.now + 20'000);
  d.Do(Tick{}, 20'000);
  ASSERT_TRUE(d.state.still_there);
  EXPECT_EQ(d.machine.NextDeadline(d.state, 0), d.now + 10'000);
  d.Do(Tick{}, 10'000);
  d.Do(kToSaving).Do(Next{});
  ASSERT_EQ(d.state.screen, Screen::kSaving);
  EXPECT_FALSE(d.machine.NextDeadline(d.state, 0).has_value());
  d.Captured();
  EXPECT_EQ(d.machine.NextDeadline(d.state, 0), d.now + 5'000);
  d.Captured(false);
  EXPECT_FALSE(d.machine.NextDeadline(d.state, 0).has_value()) << "out of service sleeps";
}

TEST(KioskStateTest, ProgressCountsVisibleQuestions) {
  Driver d;
  d.Do(StartSurvey{});
  // why_return (visit unanswered) and contact (nps unanswered) are hidden.
  EXPECT_EQ(QuestionProgress(d.state).current, 1);
  EXPECT_EQ(QuestionProgress(d.state).total, 7);
  d.Do(AnswerScore{3});
  EXPECT_EQ(QuestionProgress(d.state).current, 2);
  EXPECT_EQ(QuestionProgress(d.state).total, 8);
}

TEST(KioskStateTest, EventNamesCoverEveryEvent) {
  EXPECT_EQ(EventName(Event{Tick{}}), "Tick");
  EXPECT_EQ(EventName(Event{AdminExit{}}), "AdminExit");
  EXPECT_EQ(EventName(Event{CaptureDone{}}), "CaptureDone");
}

}  // namespace
}  // namespace feedback::kiosk

namespace feedback::kiosk {
namespace {

// ---- First tap is an answer; "Still there?"; the hero index and pages -----------------

std::shared_ptr<const SurveyDefinition> AttractFirst() {
  static auto survey = [] {
    SurveyDefinition def = *AllTypes();
    def.attract_first_question = true;
    return std::make_shared<const SurveyDefinition>(std::move(def));
  }();
  return survey;
}

struct TimedRow {
  const char* name;
  std::shared_ptr<const SurveyDefinition> survey;
  std::vector<std::pair<Event, TimeMs>> steps;  // event, ms since the previous one
  std::string expect_where;
  bool expect_still_there = false;
  std::optional<int> expect_nps;  // the session's (or abandoned record's) nps answer
  bool expect_abandoned_capture = false;
};

class TimedTable : public testing::TestWithParam<TimedRow> {};

TEST_P(TimedTable, EventsInTimeGiveState) {
  const TimedRow& row = GetParam();
  Driver d(row.survey);
  std::optional<FeedbackRecord> captured;
  for (const auto& [event, after] : row.steps) {
    d.Do(event, after);
    if (d.state.capture_request) {
      captured = d.state.capture_request;
      d.Captured();
    }
  }
  EXPECT_EQ(d.Where(), row.expect_where) << row.name;
  EXPECT_EQ(d.state.still_there, row.expect_still_there) << row.name;
  if (row.expect_abandoned_capture) {
    ASSERT_TRUE(captured.has_value()) << row.name;
    EXPECT_EQ(captured->status, RecordStatus::kAbandoned) << row.name;
    const Answer* nps = captured->FindAnswer("nps");
    ASSERT_NE(nps, nullptr) << row.name;
    EXPECT_EQ(nps->number, row.expect_nps) << row.name;
  } else {
    EXPECT_FALSE(captured.has_value()) << row.name;
    const Answer* nps = FindAnswer(d.state.session, "nps");
    EXPECT_EQ(nps != nullptr ? nps->number : std::nullopt, row.expect_nps) << row.name;
  }
}

const TimedRow kTimedRows[] = {
    {"attract score answers the first question", AttractFirst(), {{AnswerScore{7}, 1'000}},
     "question:csat:main", false, 7},
    {"attract score out of range answers nothing", AttractFirst(), {{AnswerScore{11}, 1'000}},
     "attract", false, std::nullopt},
    {"attract score ignored when the survey does not ask there", AllTypes(),
     {{AnswerScore{7}, 1'000}}, "attract", false, std::nullopt},
    {"attract start still starts without an answer", AttractFirst(), {{StartSurvey{}, 1'000}},
     "question:nps:main", false, std::nullopt},
    {"quiet for 19 s: no warning yet", AttractFirst(),
     {{AnswerScore{7}, 1'000}, {Tick{}, 19'999}}, "question:csat:main", false, 7},
    {"quiet for 20 s: still there?", AttractFirst(), {{AnswerScore{7}, 1'000}, {Tick{}, 20'000}},
     "question:csat:main", true, 7},
    {"a touch keeps the survey", AttractFirst(),
     {{AnswerScore{7}, 1'000}, {Tick{}, 20'000}, {StillHere{}, 2'000}, {Tick{}, 15'000}},
     "question:csat:main", false, 7},
    {"the touch that dismisses it answers nothing", AttractFirst(),
     {{AnswerScore{7}, 1'000}, {Tick{}, 20'000}, {AnswerScore{2}, 1'000}}, "question:csat:main",
     false, 7},
    {"any touch dismisses it, the timer restarts", AttractFirst(),
     {{AnswerScore{7}, 1'000}, {Tick{}, 20'000}, {SetLocale{"es"}, 9'000}, {Tick{}, 19'000}},
     "question:csat:main", false, 7},
    {"no touch: abandoned with the answers given", AttractFirst(),
     {{AnswerScore{7}, 1'000}, {Tick{}, 20'000}, {Tick{}, 10'000}}, "attract", false, 7, true},
    {"warned, then the timer runs out anyway", AllTypes(),
     {{StartSurvey{}, 1'000}, {AnswerScore{3}, 1'000}, {Tick{}, 20'000}, {Tick{}, 10'000}},
     "attract", false, 3, true},
};
INSTANTIATE_TEST_SUITE_P(Kiosk, TimedTable, testing::ValuesIn(kTimedRows));

TEST(KioskStateTest, HeroIndexAndPagesAreKeptUntilTheNextCustomer) {
  Driver d;
  d.Do(kToHero);
  ASSERT_EQ(d.Where(), "question:hero:main");
  struct Step {
    Event event;
    std::string letter;
    int page;
  };
  const std::vector<Step> table = {
      {HeroPage{2}, "", 2},       {HeroLetter{"M"}, "M", 0}, {HeroPage{1}, "M", 1},
      {HeroPage{-3}, "M", 0},     {HeroLetter{""}, "", 0},   {HeroLetter{"G"}, "G", 0},
  };
  for (const Step& step : table) {
    d.Do(step.event);
    EXPECT_EQ(d.state.session.hero_letter, step.letter) << EventName(step.event);
    EXPECT_EQ(d.state.session.hero_page, step.page) << EventName(step.event);
  }
  d.Do(PickStaff{"s1", "Gustavo"});
  d.Do(HeroLetter{"Z"});
  EXPECT_EQ(d.state.session.hero_letter, "G") << "ignored outside the picker";
  d.Do(Tick{}, 60'000);
  EXPECT_EQ(d.state.screen, Screen::kAttract);
  EXPECT_TRUE(d.state.session.hero_letter.empty());
}

TEST(KioskStateTest, RetailSurveyAsksItsFirstQuestionOnAttract) {
  EXPECT_TRUE(Retail()->attract_first_question);
  Driver d(Retail());
  d.Do(AnswerScore{10});
  EXPECT_EQ(d.Where(), "question:greeting:main");
  EXPECT_EQ(FindAnswer(d.state.session, "nps")->number, 10);
  EXPECT_GT(d.state.session.started_at, 0);
}

}  // namespace
}  // namespace feedback::kiosk
