// CheckLayout: each rule on a hand-made item list ("these items give that problem"),
// and LayoutRecorder on real widgets drawn in a headless frame.
#include "ui/layout_check.h"

#include <gtest/gtest.h>

#include "ui/headless_ui.h"
#include "ui/touch_widgets.h"

namespace feedback::ui {
namespace {

LayoutItem Target(const char* name, float x, float y, float w, float h) {
  return LayoutItem{ProbeKind::kTarget, name, ImVec2(x, y), ImVec2(x + w, y + h), {}, {}};
}
LayoutItem Text(const char* name, float x, float y, float w, float h, float bx, float by, float bw,
                float bh) {
  return LayoutItem{ProbeKind::kText, name, ImVec2(x, y), ImVec2(x + w, y + h), ImVec2(bx, by),
                    ImVec2(bx + bw, by + bh)};
}

std::vector<std::string> Rules(const std::vector<LayoutItem>& items, std::string focused = "") {
  LayoutRules rules;
  rules.display = ImVec2(800, 600);
  rules.dpi = 254.0f;  // 10 px per mm: 9 mm = 90 px
  rules.focused_field = std::move(focused);
  std::vector<std::string> out;
  for (const LayoutProblem& p : CheckLayout(items, rules)) out.push_back(p.rule);
  return out;
}

using V = std::vector<std::string>;

TEST(LayoutCheck, EachRuleOnItsOwn) {
  struct Row {
    const char* what;
    std::vector<LayoutItem> items;
    std::string focused;
    V expected;
  };
  const std::vector<Row> table = {
      {"sound layout", {Target("a", 0, 0, 100, 100), Target("b", 100, 0, 100, 100)}, "", {}},
      {"off the right edge", {Target("a", 750, 0, 100, 100)}, "", {"off-screen"}},
      {"off the top", {Target("a", 10, -20, 100, 100)}, "", {"off-screen"}},
      {"8 mm wide", {Target("a", 0, 0, 80, 100)}, "", {"too-small"}},
      {"overlapping", {Target("a", 0, 0, 100, 100), Target("b", 50, 50, 100, 100)}, "",
       {"overlap"}},
      {"label inside its button",
       {Target("a", 0, 0, 200, 100), Text("t", 20, 30, 160, 40, 0, 0, 200, 100)}, "", {}},
      {"label wider than its button",
       {Target("a", 10, 0, 200, 100), Text("t", 0, 30, 220, 40, 10, 0, 200, 100)}, "",
       {"text-outside-box", "text-on-target"}},
      {"two texts overprinted",
       {Text("t1", 0, 0, 100, 20, 0, 0, 800, 600), Text("t2", 90, 5, 100, 20, 0, 0, 800, 600)}, "",
       {"text-overlap"}},
      {"text half over a button",
       {Target("a", 100, 100, 100, 100), Text("t", 50, 150, 100, 20, 0, 0, 800, 600)}, "",
       {"text-on-target"}},
      {"keyboard clear of the field",
       {Target("field/x", 0, 0, 400, 100), Target("kb/a", 0, 200, 100, 100),
        Target("kb/b", 300, 200, 100, 100)},
       "field/x", {}},
      {"keyboard over the field (no key on it)",
       {Target("field/x", 150, 210, 100, 95), Target("kb/a", 0, 200, 100, 100),
        Target("kb/b", 300, 200, 100, 100)},
       "field/x", {"keyboard-covers-field"}},
      {"focused field not drawn", {Target("kb/a", 0, 200, 100, 100)}, "field/x",
       {"focused-field-missing"}},
  };
  for (const Row& row : table) {
    EXPECT_EQ(Rules(row.items, row.focused), row.expected) << row.what;
  }
}

TEST(LayoutCheck, ProblemNamesBothRectangles) {
  LayoutRules rules;
  rules.display = ImVec2(800, 600);
  std::vector<LayoutItem> items = {Target("next", 0, 0, 100, 100), Target("kb/done", 50, 50, 100, 100)};
  std::vector<LayoutProblem> p = CheckLayout(items, rules);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].ToString(), "overlap: next [0,0 100x100] and kb/done [50,50 100x100]");
}

TEST(LayoutCheck, RecorderSeesWidgetsAndTheirLabels) {
  HeadlessUi ui(ImVec2(1280, 800), 149.0f);
  LayoutRecorder recorder;
  ui.Frame([&] {
    (void)BigButton("ok", "OK", ui.theme());
    (void)NpsRow("nps", std::nullopt, "Not at all likely", "Extremely likely", ui.theme());
  });
  int targets = 0;
  int texts = 0;
  for (const LayoutItem& item : recorder.items()) {
    (item.kind == ProbeKind::kTarget ? targets : texts) += 1;
  }
  EXPECT_EQ(targets, 12);      // the button and 11 cells
  EXPECT_GE(texts, 12 + 2);    // their labels and the two anchors
  LayoutRules rules;
  rules.display = ImVec2(1280, 800);
  rules.dpi = 149.0f;
  for (const LayoutProblem& p : CheckLayout(recorder.items(), rules)) ADD_FAILURE() << p.ToString();
}

}  // namespace
}  // namespace feedback::ui
