// Touch widgets in headless frames: a tap (press + release on the target) returns the
// intent exactly once, hovering or sliding off returns nothing, and every target is at
// least 15 mm at the DPI in use. Target positions come from the item probe, the same
// names the end-to-end tests click on.
#include "ui/touch_widgets.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "ui/headless_ui.h"
#include "ui/item_probe.h"

namespace feedback::ui {
namespace {

// Collects probe reports (name -> rect) for the duration of a test.
class ProbeCollector {
 public:
  ProbeCollector() {
    SetProbeEnabled(true);
    SetProbeSink([this](std::string_view name, ImVec2 min, ImVec2 max) {
      rects_[std::string(name)] = Rect{min, max};
    });
  }
  ~ProbeCollector() {
    SetProbeSink({});
    SetProbeEnabled(false);
  }
  const Rect& at(const std::string& name) const {
    static const Rect kNone{};
    auto it = rects_.find(name);
    return it == rects_.end() ? kNone : it->second;
  }
  bool has(const std::string& name) const { return rects_.count(name) != 0; }
  const std::map<std::string, Rect>& all() const { return rects_; }

 private:
  std::map<std::string, Rect> rects_;
};

void ExpectAtLeastMm(const Rect& r, const Theme& theme, float mm, const std::string& what) {
  EXPECT_GE(theme.PxToMm(r.Width()) + 0.01f, mm) << what << " width " << r.Width() << " px";
  EXPECT_GE(theme.PxToMm(r.Height()) + 0.01f, mm) << what << " height " << r.Height() << " px";
}

TEST(BigButton, TapReturnsTrueOnceOnRelease) {
  HeadlessUi ui(ImVec2(1280, 800));
  ProbeCollector probe;
  int taps = 0;
  int frame_of_tap = -1;
  auto draw = [&] {
    if (BigButton("start", "Comenzar", ui.theme())) {
      ++taps;
      frame_of_tap = ui.frame_count();
    }
  };
  ui.Frame(draw);
  ASSERT_TRUE(probe.has("start"));
  const Rect r = probe.at("start");
  ui.MoveTo(r.Center());
  ui.Frame(draw);
  ui.Press();
  ui.Frame(draw);
  EXPECT_EQ(taps, 0) << "a press alone is not a tap";
  ui.Release();
  ui.Frame(draw);
  EXPECT_EQ(taps, 1);
  EXPECT_EQ(frame_of_tap, 3);
  ui.MoveAway();
  ui.Frame(draw);
  EXPECT_EQ(taps, 1);
  EXPECT_GT(ui.last_vertex_count(), 0);
}

TEST(BigButton, HoverAloneAndSlideOffDoNothing) {
  HeadlessUi ui(ImVec2(1280, 800));
  ProbeCollector probe;
  int taps = 0;
  auto draw = [&] { taps += BigButton("ok", "OK", ui.theme()) ? 1 : 0; };
  ui.Frame(draw);
  const Rect r = probe.at("ok");
  ui.MoveTo(r.Center());
  for (int i = 0; i < 5; ++i) ui.Frame(draw);
  EXPECT_EQ(taps, 0);
  ui.Press();
  ui.Frame(draw);
  ui.MoveTo(ImVec2(r.max.x + 200.0f, r.max.y + 200.0f));  // finger slides away
  ui.Frame(draw);
  ui.Release();
  ui.Frame(draw);
  EXPECT_EQ(taps, 0);
  ui.Tap(ImVec2(r.max.x + 5.0f, r.Center().y), draw);  // just outside
  EXPECT_EQ(taps, 0);
}

TEST(BigButton, AtLeast15MmAtAnyDpi) {
  for (float dpi : {72.0f, 96.0f, 160.0f, 300.0f}) {
    HeadlessUi ui(ImVec2(3840, 2160), dpi);
    ProbeCollector probe;
    ui.Frame([&] { (void)BigButton("x", "x", ui.theme()); });
    ExpectAtLeastMm(probe.at("x"), ui.theme(), 15.0f, "BigButton @" + std::to_string(dpi));
  }
}

TEST(BigButton, FullWidthWhenAskedFor) {
  HeadlessUi ui(ImVec2(1000, 800));
  ProbeCollector probe;
  ui.Frame([&] {
    (void)BigButton("wide", "Siguiente", ui.theme(), ButtonKind::kPrimary, ImVec2(-1, 0));
  });
  EXPECT_NEAR(probe.at("wide").Width(), ImGui::GetStyle().WindowPadding.x * -2.0f + 1000.0f, 1.0f);
}

TEST(NpsRow, EveryValueIsTappableAndReported) {
  HeadlessUi ui(ImVec2(1920, 1080));
  ProbeCollector probe;
  std::optional<int> selected;
  std::optional<int> tapped;
  auto draw = [&] {
    if (auto v = NpsRow("nps", selected, "Nada probable", "Muy probable", ui.theme())) tapped = v;
  };
  ui.Frame(draw);
  for (int value = 0; value <= 10; ++value) {
    const std::string name = "nps/" + std::to_string(value);
    ASSERT_TRUE(probe.has(name)) << name;
    ExpectAtLeastMm(probe.at(name), ui.theme(), 15.0f, name);
    tapped.reset();
    ui.Tap(probe.at(name).Center(), draw);
    EXPECT_EQ(tapped, value);
    selected = tapped;  // the caller owns the state
  }
}

TEST(NpsRow, WrapsInsteadOfShrinkingOnANarrowScreen) {
  // A portrait 1080 px screen at 220 DPI: 11 cells of 15 mm (130 px) do not fit in one row.
  HeadlessUi ui(ImVec2(1080, 1920), 220.0f);
  ProbeCollector probe;
  ui.Frame([&] { (void)NpsRow("nps", std::nullopt, "", "", ui.theme()); });
  float max_x = 0.0f;
  bool wrapped = false;
  for (int value = 0; value <= 10; ++value) {
    const Rect& r = probe.at("nps/" + std::to_string(value));
    ExpectAtLeastMm(r, ui.theme(), 15.0f, "nps cell");
    max_x = std::max(max_x, r.max.x);
    if (r.min.y > probe.at("nps/0").min.y) wrapped = true;
  }
  EXPECT_TRUE(wrapped);
  EXPECT_LE(max_x, 1080.0f);
}

TEST(RatingRow, ReturnsOneToN) {
  HeadlessUi ui(ImVec2(1280, 800));
  ProbeCollector probe;
  std::optional<int> tapped;
  auto draw = [&] {
    if (auto v = RatingRow("ces", std::nullopt, 7, "Very hard", "Very easy", ui.theme()))
      tapped = v;
  };
  ui.Frame(draw);
  EXPECT_FALSE(probe.has("ces/0"));
  EXPECT_FALSE(probe.has("ces/8"));
  ui.Tap(probe.at("ces/7").Center(), draw);
  EXPECT_EQ(tapped, 7);
  ui.Tap(probe.at("ces/1").Center(), draw);
  EXPECT_EQ(tapped, 1);
}

TEST(SmileyRow, TapsFaceOrLabelAndFacesAreLarge) {
  HeadlessUi ui(ImVec2(1920, 1080));
  ProbeCollector probe;
  const std::vector<std::string> labels = {"Muy mal", "Mal", "Normal", "Bien", "Excelente"};
  std::optional<int> tapped;
  auto draw = [&] {
    if (auto v = SmileyRow("csat", 2, ui.theme(), labels)) tapped = v;
  };
  ui.Frame(draw);
  for (int mood = 1; mood <= 5; ++mood) {
    ExpectAtLeastMm(probe.at("csat/" + std::to_string(mood)), ui.theme(), 15.0f, "smiley");
  }
  ui.Tap(probe.at("csat/4").Center(), draw);
  EXPECT_EQ(tapped, 4);
  const Rect& five = probe.at("csat/5");
  ui.Tap(ImVec2(five.Center().x, five.max.y - 2.0f), draw);  // on the label under the face
  EXPECT_EQ(tapped, 5);
}

TEST(OptionList, SingleAndMultiReturnTheTappedIndex) {
  HeadlessUi ui(ImVec2(1920, 1080));
  ProbeCollector probe;
  const std::vector<std::string> options = {"Atención del personal", "Rapidez en caja", "Limpieza",
                                            "Precio", "Variedad de productos"};
  for (bool multi : {false, true}) {
    std::vector<int> selected = {0};
    std::optional<size_t> tapped;
    auto draw = [&] {
      if (auto i = OptionList(multi ? "multi" : "single", options, selected, multi, ui.theme()))
        tapped = i;
    };
    ui.Frame(draw);
    const std::string prefix = multi ? "multi/" : "single/";
    for (size_t i = 0; i < options.size(); ++i) {
      ExpectAtLeastMm(probe.at(prefix + std::to_string(i)), ui.theme(), 15.0f, "option");
    }
    ui.Tap(probe.at(prefix + "3").Center(), draw);
    EXPECT_EQ(tapped, 3u);
    ui.Tap(probe.at(prefix + "0").Center(), draw);  // tapping a selected option reports it too
    EXPECT_EQ(tapped, 0u);
  }
}

TEST(LanguageSwitch, ReturnsTheTappedLanguage) {
  HeadlessUi ui(ImVec2(1280, 800));
  ProbeCollector probe;
  const std::vector<LanguageOption> languages = {
      {"es", "Español"}, {"en", "English"}, {"ca", "Català"}};
  std::optional<size_t> tapped;
  auto draw = [&] {
    if (auto i = LanguageSwitch("lang", languages, "es", ui.theme())) tapped = i;
  };
  ui.Frame(draw);
  ExpectAtLeastMm(probe.at("lang/en"), ui.theme(), 15.0f, "language button");
  ui.Tap(probe.at("lang/ca").Center(), draw);
  EXPECT_EQ(tapped, 2u);
}

TEST(LayoutCells, BalancesRowsAndStaysInside) {
  const auto cells = LayoutCells(ImVec2(10, 20), 500.0f, 11, 60.0f, 100.0f, 60.0f, 10.0f);
  ASSERT_EQ(cells.size(), 11u);
  int first_row = 0;
  for (const Rect& r : cells) {
    EXPECT_GE(r.Width(), 60.0f);
    EXPECT_GE(r.min.x, 10.0f);
    EXPECT_LE(r.max.x, 510.0f + 0.01f);
    if (r.min.y == 20.0f) ++first_row;
  }
  EXPECT_EQ(first_row, 6);  // 7 fit per row; balanced as 6 + 5
}

}  // namespace
}  // namespace feedback::ui
