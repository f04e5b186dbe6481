// MetricValue: a figure below its minimum n has no number to read, and always has its n.
#include "metrics/metric_value.h"

#include <gtest/gtest.h>

namespace feedback::metrics {
namespace {

TEST(MetricValueTest, AtOrAboveMinimumHoldsValueIntervalAndN) {
  const MetricValue v = MetricValue::Make(42.5, Interval{40.0, 45.0}, 10, 10);
  EXPECT_FALSE(v.suppressed());
  ASSERT_TRUE(v.value().has_value());
  EXPECT_DOUBLE_EQ(*v.value(), 42.5);
  ASSERT_TRUE(v.confidence_interval().has_value());
  EXPECT_EQ(*v.confidence_interval(), (Interval{40.0, 45.0}));
  EXPECT_EQ(v.n(), 10);
  EXPECT_EQ(v.min_n(), 10);
}

TEST(MetricValueTest, BelowMinimumDropsValueAndIntervalButKeepsN) {
  const MetricValue v = MetricValue::Make(42.5, Interval{40.0, 45.0}, 9, 10);
  EXPECT_TRUE(v.suppressed());
  EXPECT_FALSE(v.value().has_value());
  EXPECT_FALSE(v.confidence_interval().has_value());
  EXPECT_EQ(v.n(), 9);
  EXPECT_EQ(v.min_n(), 10);
}

TEST(MetricValueTest, NoResponsesAreSuppressedEvenWithAMinimumOfZero) {
  EXPECT_TRUE(MetricValue::IsSuppressed(0, 0));
  EXPECT_TRUE(MetricValue::IsSuppressed(0, -5));
  EXPECT_FALSE(MetricValue::IsSuppressed(1, 0));
  EXPECT_TRUE(MetricValue::Make(1.0, std::nullopt, 0, 0).suppressed());
}

TEST(MetricValueTest, DefaultIsSuppressedWithNoResponses) {
  const MetricValue v;
  EXPECT_TRUE(v.suppressed());
  EXPECT_EQ(v.n(), 0);
  EXPECT_EQ(v.min_n(), kDefaultMinResponses);
}

TEST(MetricValueTest, DisplayStringSaysNotEnoughResponsesWithN) {
  EXPECT_EQ(MetricValue::NotEnoughResponses(7, 10).ToDisplayString(), "not enough responses (n=7)");
  EXPECT_EQ(MetricValue::Make(42.25, std::nullopt, 57, 10).ToDisplayString(1), "42.2 (n=57)");
  EXPECT_EQ(MetricValue::Make(-3.0, std::nullopt, 12, 10).ToDisplayString(0), "-3 (n=12)");
}

}  // namespace
}  // namespace feedback::metrics
