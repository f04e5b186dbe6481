// The capture session without a window: sign-in, logging calls into the sealed store,
// drafts across restarts, survey switching only between logs, and the side panels.
#include "logic/agent_session.h"

#include <gtest/gtest.h>

#include "agent_test_util.h"

namespace feedback::agent {
namespace {

using testing::TestDevice;

class AgentSessionTest : public ::testing::Test {
 protected:
  SessionConfig Config(const std::string& staff = "") {
    SessionConfig c;
    c.device_config_path = device_.config_path;
    c.fallback_survey_path = testing::CallLogPath();
    c.staff_id = staff;
    c.refresh_every_ms = 1000;
    return c;
  }
  std::unique_ptr<AgentSession> Open(const std::string& staff = "") {
    Result<std::unique_ptr<AgentSession>> s = AgentSession::Open(Config(staff), clock_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  static void Send(AgentSession& s, std::initializer_list<FormEvent> events) {
    for (const FormEvent& e : events) s.Dispatch(e);
  }
  static void LogCall(AgentSession& s, const std::string& ref, int greeting,
                      const std::string& resolution, int effort, const std::string& praise = "") {
    Send(s, {NewLog{}, SetText{"call_ref", ref}, SetNumber{"greeting", greeting},
             PickOption{"resolution", resolution}, SetNumber{"effort", effort}});
    if (!praise.empty()) s.Dispatch(SetText{"praise.story", praise});
    s.Dispatch(Submit{});
    ASSERT_EQ(s.form().notice.kind, NoticeKind::kSuccess) << s.form().notice.text;
  }

  TestDevice device_;
  FakeClock clock_;
};

TEST_F(AgentSessionTest, SignInIsValidatedAndRememberedPerDesktop) {
  std::unique_ptr<AgentSession> s = Open();
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->signed_in());
  s->Dispatch(SetText{"call_ref", "ignored while nobody is signed in"});
  EXPECT_TRUE(s->form().values.Empty());
  for (const std::string& bad :
       std::vector<std::string>{"", "a b", "x;drop", std::string(65, 'a')}) {
    Status st = s->SignIn(bad);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << bad;
  }
  ASSERT_TRUE(s->SignIn("A1042").ok());
  EXPECT_EQ(s->staff_id(), "A1042");
  s.reset();
  std::unique_ptr<AgentSession> again = Open();
  EXPECT_EQ(again->staff_id(), "A1042");
  // --staff-id wins over the remembered rep, and is remembered in turn.
  again.reset();
  EXPECT_EQ(Open("B7")->staff_id(), "B7");
  EXPECT_EQ(Open()->staff_id(), "B7");
  // A malformed --staff-id is an error at start.
  EXPECT_FALSE(AgentSession::Open(Config("no way"), clock_).ok());
}

TEST_F(AgentSessionTest, LogsThreeCallsSealedWithStaffId) {
  std::unique_ptr<AgentSession> s = Open("A1042");
  LogCall(*s, "C-1", 4, "resolved", 6);
  clock_.Advance(60'000);
  LogCall(*s, "C-2", 5, "escalated", 3, "Ana was wonderful, she stayed until it worked");
  clock_.Advance(60'000);
  LogCall(*s, "C-3", 2, "not_resolved", 2);
  ASSERT_TRUE(s->last_capture_ms().has_value());

  std::vector<FeedbackRecord> records = device_.OpenAll();
  ASSERT_EQ(records.size(), 3u);
  for (const FeedbackRecord& r : records) {
    EXPECT_EQ(r.staff_id, "A1042");
    EXPECT_EQ(r.device_id, "agent-test-1");
    EXPECT_EQ(r.site_id, "cc-madrid");
    EXPECT_EQ(r.channel, Channel::kCall);
    EXPECT_EQ(r.survey_id, "call_log");
  }
  EXPECT_EQ(records[0].FindAnswer("call_ref")->text, "C-1");
  EXPECT_EQ(records[1].FindAnswer("resolution")->choices[0], "escalated");
  ASSERT_TRUE(records[1].hero.has_value());
  EXPECT_EQ(records[1].hero->staff_id, "A1042");
  EXPECT_EQ(records[1].hero->story, "Ana was wonderful, she stayed until it worked");
  EXPECT_FALSE(records[2].hero.has_value());
  // Texts are sealed: none of them is in the database file.
  const std::string disk = device_.RawDatabaseBytes();
  for (const char* text : {"C-2", "Ana was wonderful"}) {
    EXPECT_EQ(disk.find(text), std::string::npos) << text;
  }

  const SessionPanels& p = s->panels();
  ASSERT_EQ(p.history.size(), 3u);
  EXPECT_EQ(p.history[0].call_ref, "C-3");
  EXPECT_TRUE(p.history[1].praised);
  EXPECT_EQ(p.trend.logs7, 3);
  EXPECT_FALSE(p.trend.figures[0].last7.value().has_value());  // n=3 < 10
  EXPECT_EQ(p.trend.figures[0].last7.n(), 3);
  EXPECT_EQ(p.sync.backlog, 3);
}

TEST_F(AgentSessionTest, HalfFilledFormComesBackAfterRestartSealed) {
  {
    std::unique_ptr<AgentSession> s = Open("A1042");
    Send(*s, {SetText{"call_ref", "C-42"}, SetNumber{"greeting", 3},
              SetText{"notes", "customer will call back about the refund"}});
    ASSERT_TRUE(s->Close().ok());  // the window is closed
  }
  const std::string disk = device_.RawDatabaseBytes();
  EXPECT_EQ(disk.find("refund"), std::string::npos);
  EXPECT_EQ(disk.find("C-42"), std::string::npos);

  std::unique_ptr<AgentSession> s = Open();
  ASSERT_EQ(s->staff_id(), "A1042");
  EXPECT_EQ(FieldText(s->form(), "call_ref"), "C-42");
  EXPECT_EQ(FieldText(s->form(), "notes"), "customer will call back about the refund");
  EXPECT_EQ(s->form().values.numbers.at("greeting"), 3);
  EXPECT_EQ(s->form().notice.kind, NoticeKind::kInfo);
  // Finishing it logs one record and the draft is gone for good.
  Send(*s, {PickOption{"resolution", "resolved"}, SetNumber{"effort", 7}, Submit{}});
  EXPECT_EQ(device_.OpenAll().size(), 1u);
  s.reset();
  EXPECT_TRUE(Open()->form().values.Empty());
}

TEST_F(AgentSessionTest, DraftIsSavedAfterAPauseAndAtOnceOnAFailedSubmit) {
  std::unique_ptr<AgentSession> s = Open("A1042");
  s->Dispatch(SetText{"call_ref", "C-5"});
  s->Tick();
  EXPECT_EQ(s->draft_saves(), 0);  // still typing
  clock_.Advance(500);
  s->Tick();
  EXPECT_EQ(s->draft_saves(), 1);
  s->Dispatch(SetText{"notes", "typed just before Enter"});
  s->Dispatch(Submit{});  // refused: greeting, resolution, effort missing
  EXPECT_EQ(s->draft_saves(), 2);
  EXPECT_EQ(s->form().notice.kind, NoticeKind::kError);
  // A crash now (no Close) still keeps every character.
  s.release();  // deliberately leaked: simulates the process dying without cleanup
  std::unique_ptr<AgentSession> again = Open();
  EXPECT_EQ(FieldText(again->form(), "notes"), "typed just before Enter");
}

TEST_F(AgentSessionTest, DraftsArePerRep) {
  std::unique_ptr<AgentSession> s = Open("A1");
  s->Dispatch(SetText{"call_ref", "mine"});
  ASSERT_TRUE(s->SignIn("B2").ok());
  EXPECT_TRUE(s->form().values.Empty());
  ASSERT_TRUE(s->SignIn("A1").ok());
  EXPECT_EQ(FieldText(s->form(), "call_ref"), "mine");
}

TEST_F(AgentSessionTest, NewSurveyVersionOnlyBetweenLogs) {
  std::unique_ptr<AgentSession> s = Open("A1042");
  Send(*s, {SetText{"call_ref", "C-1"}, SetNumber{"greeting", 4}});
  {
    Result<CaptureStore> store = CaptureStore::Open(device_.config.capture_db, nullptr);
    ASSERT_TRUE(
        store->PutSurvey({"call_log", 2, Channel::kCall, testing::CallLogJsonWithVersion(2)}).ok());
  }
  clock_.Advance(2000);
  s->Tick();
  EXPECT_EQ(s->form().survey->definition.version, 1);  // mid-log: unchanged
  Send(*s, {PickOption{"resolution", "resolved"}, SetNumber{"effort", 5}, Submit{}});
  EXPECT_EQ(s->form().survey->definition.version, 2);  // the next log uses v2
  LogCall(*s, "C-2", 3, "resolved", 4);
  std::vector<FeedbackRecord> records = device_.OpenAll();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].survey_version, 1);
  EXPECT_EQ(records[1].survey_version, 2);
  // A fresh start takes the newest from the DB.
  s.reset();
  EXPECT_EQ(Open()->form().survey->definition.version, 2);
}

TEST_F(AgentSessionTest, FixedSurveyFileIsNeverSwitched) {
  {
    Result<CaptureStore> store = CaptureStore::Open(device_.config.capture_db, nullptr);
    ASSERT_TRUE(
        store->PutSurvey({"call_log", 3, Channel::kCall, testing::CallLogJsonWithVersion(3)}).ok());
  }
  SessionConfig c = Config("A1");
  c.survey_path = testing::CallLogPath();
  Result<std::unique_ptr<AgentSession>> s = AgentSession::Open(c, clock_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->form().survey->definition.version, 1);
  clock_.Advance(5000);
  (*s)->Tick();
  EXPECT_EQ((*s)->form().survey->definition.version, 1);
}

TEST_F(AgentSessionTest, KioskSurveyFileIsRefused) {
  SessionConfig c = Config("A1");
  c.survey_path = std::string(FEEDBACK_ASSETS_DIR) + "/surveys/retail_kiosk.json";
  Result<std::unique_ptr<AgentSession>> s = AgentSession::Open(c, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("call"), std::string::npos) << s.status().message();
}

TEST_F(AgentSessionTest, PanelsShowTeamHeroesAndSyncStatus) {
  {
    Result<CaptureStore> store = CaptureStore::Open(device_.config.capture_db, nullptr);
    ASSERT_TRUE(store
                    ->ReplaceHeroStories({{"s1", "A9", "Ana", "Stayed late", "north", 100},
                                          {"s2", "B9", "Bo", "Other team", "south", 200}})
                    .ok());
    ASSERT_TRUE(store->ReplaceRoster({{"A1042", "Lucía Pérez", "north"}}).ok());
    ASSERT_TRUE(
        store->SetSetting(kSettingSyncLastSuccess, std::to_string(clock_.NowMs() - 120'000)).ok());
    ASSERT_TRUE(store->SetSetting(kSettingSyncLastError, "central answered 503").ok());
  }
  std::unique_ptr<AgentSession> s = Open("A1042");
  const SessionPanels& p = s->panels();
  ASSERT_EQ(p.heroes.size(), 1u);
  EXPECT_EQ(p.heroes[0].staff_name, "Ana");
  EXPECT_EQ(p.staff_name, "Lucía Pérez");
  EXPECT_EQ(p.sync.last_success, clock_.NowMs() - 120'000);
  EXPECT_EQ(p.sync.last_error, "central answered 503");
  EXPECT_EQ(ClassifySync(p.sync, clock_.NowMs()), SyncHealth::kProblem);
}

TEST_F(AgentSessionTest, MissingDeviceConfigNamesTheFile) {
  SessionConfig c = Config();
  c.device_config_path = device_.dir.File("nope.json");
  Result<std::unique_ptr<AgentSession>> s = AgentSession::Open(c, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("nope.json"), std::string::npos);
}

}  // namespace
}  // namespace feedback::agent
