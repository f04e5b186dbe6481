// Headless layout of the call-log window: the real AgentView drawn with Dear ImGui (no
// window, no backend; STYLE.md "Screens" 9) at the sizes reps' screens give it, in both
// languages, on every screen it has (sign-in, empty form, refused submit, a filled log
// with praise, each panel tab), with the longest texts it meets (a long rep name, a sync
// error, long hero names and stories). The view reports every control and text it draws
// with the box it must stay inside (AgentView's layout sink), and each cell asserts:
//   * every control is in the window (reachable by scrolling at most) and not under the
//     scroll bar;
//   * no two controls or texts overlap (a button's own label excepted);
//   * no text is wider than its box (card, table cell, button);
//   * at laptop sizes the Log call button is visible without scrolling;
//   * at the minimum size, Tab through the form scrolls every field into view.
// A failing cell names the size, the language, the screen and the two rectangles.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cfloat>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "agent_test_util.h"
#include "core/uuid.h"
#include "device/device_capture.h"
#include "logic/agent_session.h"
#include "logic/window_placement.h"
#include "view/agent_theme.h"
#include "view/agent_view.h"

namespace feedback::agent {
namespace {

using testing::TestDevice;

constexpr char kStaff[] = "A1042";
constexpr char kLongRepName[] = "Gustavo Fernández-Villaverde de la Concepción";

struct WindowSize {
  std::string name;
  int w = 0;
  int h = 0;
  bool log_button_visible = true;  // the form up to "Log call" needs no scrolling
};

// The window sizes to check: what PlaceWindow (as main.cpp uses it) gives on the
// laptops reps have - a 32 px task bar, a 30 px title bar - the same screens filled
// (maximised / no window manager), the documented wide size, and the minimum.
std::vector<WindowSize> Sizes() {
  const auto placed = [](int screen_w, int screen_h) {
    return PlaceWindow(kPreferredWindowSize, PixelRect{0, 0, screen_w, screen_h - 32},
                       FrameBorders{30, 1, 1, 1})
        .client;
  };
  const PixelRect l1 = placed(1366, 768);
  const PixelRect l2 = placed(1280, 720);
  return {
      {"default window on 1366x768 (" + std::to_string(l1.w) + "x" + std::to_string(l1.h) + ")",
       l1.w, l1.h, true},
      {"default window on 1280x720 (" + std::to_string(l2.w) + "x" + std::to_string(l2.h) + ")",
       l2.w, l2.h, true},
      {"1366x768", 1366, 768, true},
      {"1280x720", 1280, 720, true},
      {"900x640", 900, 640, true},
      {"minimum " + std::to_string(kMinWindowSize.w) + "x" + std::to_string(kMinWindowSize.h),
       kMinWindowSize.w, kMinWindowSize.h, false},
  };
}

std::string Rect(ImVec2 min, ImVec2 max) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "(%.0f,%.0f)-(%.0f,%.0f)", min.x, min.y, max.x, max.y);
  return buf;
}

std::string Describe(const LayoutItem& item) {
  return std::string(item.kind == LayoutItem::Kind::kControl ? "control '" : "text '") + item.name +
         "' " + Rect(item.min, item.max);
}

// A capture DB with a month of this rep's logs, two hero stories with long names, the
// rep on the roster under a long name, and a sync error.
void Seed(const DeviceConfig& config) {
  Result<DeviceCapture> capture = DeviceCapture::Open(config);
  ASSERT_TRUE(capture.ok()) << capture.status().ToString();
  CaptureStore& store = capture->store();
  const TimeMs now = SystemClock::Instance().NowMs();
  UuidGenerator uuids;
  static const char* kResolutions[] = {"resolved", "escalated", "partly_resolved", "not_resolved"};
  for (int i = 0; i < 12; ++i) {
    FeedbackRecord r;
    r.id = uuids.NextV7().ToString();
    r.survey_id = "call_log";
    r.survey_version = 1;
    r.device_id = config.device_id;
    r.site_id = config.site_id;
    r.channel = Channel::kCall;
    r.submitted_at = now - kDayMs - static_cast<TimeMs>(i) * 40 * 3600 * 1000LL;
    r.started_at = r.submitted_at - 45'000;
    r.locale = "en";
    r.staff_id = kStaff;
    r.answers.push_back(Answer{"call_ref", std::nullopt, {}, "S-" + std::to_string(5000 + i)});
    r.answers.push_back(Answer{"greeting", 1 + i % 5, {}, ""});
    r.answers.push_back(Answer{"resolution", std::nullopt, {kResolutions[i % 4]}, ""});
    r.answers.push_back(Answer{"effort", 1 + i % 7, {}, ""});
    ASSERT_TRUE(store.Capture(r).ok());
  }
  ASSERT_TRUE(store
                  .ReplaceHeroStories(
                      {{"story-1", "A2001", "Maria Fernanda Gutiérrez-Santamaría",
                        "She called me back the next morning exactly as she promised, fixed my "
                        "billing and explained every line of the invoice twice.",
                        config.team, now - 2 * kDayMs},
                       {"story-2", kStaff, kLongRepName,
                        "Patient with my father and explained every step twice. Thank you!",
                        config.team, now - 5 * kDayMs}})
                  .ok());
  ASSERT_TRUE(store.ReplaceRoster({{kStaff, kLongRepName, config.team}}).ok());
  ASSERT_TRUE(store.SetSetting(kSettingSyncLastSuccess, std::to_string(now - 3 * 3600'000)).ok());
  ASSERT_TRUE(store
                  .SetSetting(kSettingSyncLastError,
                              "central store unreachable: connection to "
                              "https://feedback-central.example.com:8443 timed out after 30 s")
                  .ok());
}

// One ImGui context with the agent's theme and fonts, sized like the window.
class HeadlessAgentWindow {
 public:
  HeadlessAgentWindow(int w, int h) {
    context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    io.DeltaTime = 1.0f / 60.0f;
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    io.ConfigInputTextCursorBlink = false;
    Result<ui::Theme> theme = LoadAgentTheme(FEEDBACK_ASSETS_DIR);
    EXPECT_TRUE(theme.ok()) << theme.status().ToString();
    if (theme.ok()) theme_ = *theme;
    theme_.dpi = 96.0f;
    ui::ApplyTheme(theme_, ImGui::GetStyle());
    Result<ui::FontSet> fonts = ui::LoadFonts(*io.Fonts, theme_, FEEDBACK_ASSETS_DIR);
    EXPECT_TRUE(fonts.ok()) << fonts.status().ToString();
    if (fonts.ok()) fonts_ = *fonts;
    unsigned char* pixels = nullptr;
    int tw = 0;
    int th = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
  }
  ~HeadlessAgentWindow() {
    SetLayoutSink({});
    ImGui::DestroyContext(context_);
  }
  HeadlessAgentWindow(const HeadlessAgentWindow&) = delete;
  HeadlessAgentWindow& operator=(const HeadlessAgentWindow&) = delete;

  // One frame of the real view; what the widgets produced is dispatched as main does.
  void Frame(AgentView& view, AgentSession& session) {
    ImGui::NewFrame();
    const ui::FrameContext frame{theme_, fonts_, ImGui::GetIO().DisplaySize, frames_++, false};
    ViewIntents intents = view.Draw(frame, session, SystemClock::Instance().NowMs());
    for (const FormEvent& e : intents.events) session.Dispatch(e);
    ImGui::Render();
  }

  // Enough frames for tables, wrapped texts and the scroll bar to settle, then one more
  // with every item recorded.
  std::vector<LayoutItem> Settle(AgentView& view, AgentSession& session) {
    for (int i = 0; i < 4; ++i) Frame(view, session);
    std::vector<LayoutItem> items;
    SetLayoutSink([&](const LayoutItem& item) { items.push_back(item); });
    Frame(view, session);
    SetLayoutSink({});
    return items;
  }

  // A mouse click at the centre of a recorded control: hover, press, release frames.
  void Click(AgentView& view, AgentSession& session, const LayoutItem& item) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2((item.min.x + item.max.x) * 0.5f, (item.min.y + item.max.y) * 0.5f);
    Frame(view, session);
    io.MouseDown[0] = true;
    Frame(view, session);
    io.MouseDown[0] = false;
    Frame(view, session);
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  }

  float ScrollY() const { return Window()->Scroll.y; }
  float ScrollMaxY() const { return Window()->ScrollMax.y; }

 private:
  static ImGuiWindow* Window() { return ImGui::FindWindowByName("feedback-agent"); }

  ImGuiContext* context_ = nullptr;
  ui::Theme theme_;
  ui::FontSet fonts_;
  uint64_t frames_ = 0;
};

const LayoutItem* Find(const std::vector<LayoutItem>& items, std::string_view name) {
  for (const LayoutItem& item : items) {
    if (item.kind == LayoutItem::Kind::kControl && item.name == name) return &item;
  }
  return nullptr;
}

// The properties every cell must have; returns the failures, each naming the cell.
std::vector<std::string> CheckLayout(const std::string& cell, const WindowSize& size,
                                     const std::vector<LayoutItem>& items, float scroll_max_y,
                                     const std::vector<std::string>& expected_controls) {
  constexpr float kSlack = 0.5f;  // ImGui rounds positions to whole pixels
  std::vector<std::string> failures;
  const auto fail = [&](const std::string& what) { failures.push_back(cell + ": " + what); };
  const float w = static_cast<float>(size.w);
  const float h = static_cast<float>(size.h);
  for (const std::string& name : expected_controls) {
    if (Find(items, name) == nullptr) fail("control '" + name + "' was not drawn");
  }
  for (const LayoutItem& item : items) {
    if (item.max.x - item.min.x <= 0.0f || item.max.y - item.min.y <= 0.0f) {
      fail(Describe(item) + " is empty");
    }
    if (item.kind == LayoutItem::Kind::kControl &&
        (item.min.x < -kSlack || item.min.y < -kSlack || item.max.x > w + kSlack ||
         item.max.y > h + scroll_max_y + kSlack)) {
      fail(Describe(item) + " is outside the window " + Rect(ImVec2(0, 0), ImVec2(w, h)) +
           " (scrolling " + std::to_string(static_cast<int>(scroll_max_y)) + " px)");
    }
    if (item.min.x < item.box_min.x - kSlack || item.max.x > item.box_max.x + kSlack ||
        item.min.y < item.box_min.y - kSlack || item.max.y > item.box_max.y + kSlack) {
      const ImVec2 bmin(item.box_min.x, item.box_min.y == -FLT_MAX ? item.min.y : item.box_min.y);
      const ImVec2 bmax(item.box_max.x, item.box_max.y == FLT_MAX ? item.max.y : item.box_max.y);
      fail(Describe(item) + " is wider than its box " + Rect(bmin, bmax));
    }
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].inside_control) continue;
    for (size_t j = i + 1; j < items.size(); ++j) {
      if (items[j].inside_control) continue;
      const LayoutItem& a = items[i];
      const LayoutItem& b = items[j];
      const float ox = std::min(a.max.x, b.max.x) - std::max(a.min.x, b.min.x);
      const float oy = std::min(a.max.y, b.max.y) - std::max(a.min.y, b.min.y);
      if (ox > kSlack && oy > kSlack) fail(Describe(a) + " overlaps " + Describe(b));
    }
  }
  if (size.log_button_visible) {
    if (const LayoutItem* log = Find(items, "log-call");
        log != nullptr && log->max.y > h + kSlack) {
      fail(Describe(*log) + " needs scrolling: the window is " + std::to_string(size.h) +
           " px tall");
    }
  }
  return failures;
}

struct Cell {
  WindowSize size;
  std::string locale;
};

void PrintTo(const Cell& c, std::ostream* os) { *os << c.size.name << " " << c.locale; }

class AgentLayoutTest : public ::testing::TestWithParam<Cell> {
 protected:
  void SetUp() override {
    Seed(device_.config);
    SessionConfig config;
    config.device_config_path = device_.config_path;
    config.fallback_survey_path = testing::CallLogPath();
    config.locale = GetParam().locale;
    Result<std::unique_ptr<AgentSession>> session = AgentSession::Open(config);
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    session_ = std::move(session).value();
    window_ = std::make_unique<HeadlessAgentWindow>(GetParam().size.w, GetParam().size.h);
  }

  // Lays out the current screen and checks it; returns its items.
  std::vector<LayoutItem> Check(const std::string& screen,
                                const std::vector<std::string>& expected_controls) {
    std::vector<LayoutItem> items = window_->Settle(view_, *session_);
    if (std::getenv("AGENT_LAYOUT_DUMP") != nullptr) {
      for (const LayoutItem& i : items)
        std::printf("%s | %s box %s\n", screen.c_str(), Describe(i).c_str(),
                    Rect(i.box_min, i.box_max).c_str());
    }
    const std::string cell = GetParam().size.name + ", " + GetParam().locale + ", " + screen;
    for (const std::string& f :
         CheckLayout(cell, GetParam().size, items, window_->ScrollMaxY(), expected_controls)) {
      ADD_FAILURE() << f;
    }
    ++screens_checked_;
    return items;
  }

  TestDevice device_;
  std::unique_ptr<AgentSession> session_;
  std::unique_ptr<HeadlessAgentWindow> window_;
  AgentView view_;
  int screens_checked_ = 0;
};

const std::vector<std::string> kFormControls = {
    "call_ref", "greeting/1", "greeting/5",  "resolution/resolved", "resolution/escalated",
    "effort/1", "effort/7",   "praise.name", "praise.story",        "notes",
    "log-call", "clear",      "switch-rep"};

TEST_P(AgentLayoutTest, EveryScreenFits) {
  // Sign-in (nobody remembered on this desktop yet).
  ASSERT_FALSE(session_->signed_in());
  Check("sign-in", {"staff-id", "sign-in"});
  ASSERT_TRUE(session_->SignIn(kStaff).ok());
  session_->Refresh();
  ASSERT_EQ(session_->panels().staff_name, kLongRepName);
  ASSERT_FALSE(session_->panels().sync.last_error.empty());

  std::vector<std::string> controls = kFormControls;
  const bool tabs = GetParam().size.w < 900;  // the narrow layout shows panels as tabs
  if (tabs) controls.insert(controls.end(), {"tab/0", "tab/1", "tab/2"});
  std::vector<LayoutItem> items = Check("empty form, trend", controls);

  session_->Dispatch(Submit{});  // refused: every required field names its problem
  ASSERT_FALSE(session_->form().problems.empty());
  Check("refused submit", controls);

  session_->Dispatch(SetText{"call_ref", "C-2024-000123456789-XYZ"});
  session_->Dispatch(SetNumber{"greeting", 5});
  session_->Dispatch(PickOption{"resolution", "partly_resolved"});
  session_->Dispatch(SetNumber{"effort", 2});
  session_->Dispatch(SetText{"praise.name", "Maria Fernanda Gutiérrez-Santamaría"});
  session_->Dispatch(SetText{"praise.story",
                             "She stayed on the line until my card worked and then explained "
                             "the whole refund process, step by step, twice."});
  session_->Dispatch(SetText{"notes", "Customer wants a callback about the refund on Monday."});
  items = Check("filled log with praise", controls);

  if (tabs) {
    for (const char* tab : {"tab/1", "tab/2"}) {
      const LayoutItem* button = Find(items, tab);
      ASSERT_NE(button, nullptr) << tab;
      // Bring it into view first, as a rep would scroll to it.
      ImGui::SetScrollY(ImGui::FindWindowByName("feedback-agent"), button->min.y);
      window_->Frame(view_, *session_);
      LayoutItem on_screen = *button;
      on_screen.min.y -= window_->ScrollY();
      on_screen.max.y -= window_->ScrollY();
      window_->Click(view_, *session_, on_screen);
      items = Check(std::string(tab) == "tab/1" ? "last calls tab" : "hero stories tab", controls);
    }
  }
  EXPECT_GE(screens_checked_, tabs ? 6 : 4);
}

// At every size, Tab after Tab brings each field fully into view (the window scrolls,
// the field is never left below the fold).
TEST_P(AgentLayoutTest, TabScrollsEveryFieldIntoView) {
  ASSERT_TRUE(session_->SignIn(kStaff).ok());
  session_->Refresh();
  const float h = static_cast<float>(GetParam().size.h);
  size_t seen = 0;
  for (size_t step = 0; step < session_->form().fields.size(); ++step) {
    std::vector<LayoutItem> items = window_->Settle(view_, *session_);
    const FormField& field = session_->form().fields[session_->form().focus];
    const LayoutItem* item = Find(items, field.key);
    if (item == nullptr) item = Find(items, field.key + "/1");  // a score row
    if (item == nullptr) {
      for (const LayoutItem& i : items) {
        if (i.kind == LayoutItem::Kind::kControl && i.name.rfind(field.key + "/", 0) == 0) {
          item = &i;
          break;
        }
      }
    }
    ASSERT_NE(item, nullptr) << "focused field " << field.key << " was not drawn";
    const float top = item->min.y - window_->ScrollY();
    const float bottom = item->max.y - window_->ScrollY();
    EXPECT_TRUE(top >= 0.0f && bottom <= h)
        << GetParam().size.name << ", " << GetParam().locale << ": focused " << Describe(*item)
        << " is at " << top << ".." << bottom << " of a " << h << " px tall window (scrolled "
        << window_->ScrollY() << ")";
    ++seen;
    session_->Dispatch(FocusNext{});
  }
  EXPECT_EQ(seen, session_->form().fields.size());
}

std::vector<Cell> Cells() {
  std::vector<Cell> cells;
  for (const WindowSize& size : Sizes()) {
    for (const char* locale : {"en", "es"}) cells.push_back({size, locale});
  }
  return cells;
}

INSTANTIATE_TEST_SUITE_P(Sizes, AgentLayoutTest, ::testing::ValuesIn(Cells()),
                         [](const auto& test_info) {
                           const Cell& c = test_info.param;
                           return std::to_string(c.size.w) + "x" + std::to_string(c.size.h) + "_" +
                                  c.locale;
                         });

}  // namespace
}  // namespace feedback::agent
