// Backoff: bounds, growth, cap, full jitter, reset, 429 Retry-After and permanent delays.
#include "daemon/backoff.h"

#include <gtest/gtest.h>

#include <set>

namespace feedback::sync {
namespace {

BackoffOptions Options() {
  BackoffOptions o;
  o.base_ms = 1'000;
  o.cap_ms = 60'000;
  o.floor_ms = 50;
  o.permanent_ms = 600'000;
  o.max_retry_after_ms = 3'600'000;
  return o;
}

TEST(BackoffTest, CeilingDoublesFromBaseAndStopsAtCap) {
  Backoff b(Options(), 1);
  const TimeMs expected[] = {1'000, 2'000, 4'000, 8'000, 16'000, 32'000, 60'000, 60'000, 60'000};
  for (TimeMs ceiling : expected) {
    EXPECT_EQ(b.CurrentCeiling(), ceiling);
    (void)b.NextTransientDelay();
  }
  for (int i = 0; i < 200; ++i) (void)b.NextTransientDelay();  // no overflow after many failures
  EXPECT_EQ(b.CurrentCeiling(), 60'000);
}

TEST(BackoffTest, EveryDelayIsWithinFloorAndCurrentCeiling) {
  Backoff b(Options(), 42);
  for (int i = 0; i < 1000; ++i) {
    const TimeMs ceiling = b.CurrentCeiling();
    const TimeMs d = b.NextTransientDelay();
    ASSERT_GE(d, 50) << "attempt " << i;
    ASSERT_LE(d, ceiling) << "attempt " << i;
  }
}

TEST(BackoffTest, FullJitterSpreadsDelaysOverTheWholeRange) {
  // At the cap, 2000 draws from [50, 60000] should cover the range evenly:
  // mean near the middle, values in every tenth of the range, few repeats.
  Backoff b(Options(), 7);
  for (int i = 0; i < 10; ++i) (void)b.NextTransientDelay();
  ASSERT_EQ(b.CurrentCeiling(), 60'000);
  std::set<TimeMs> distinct;
  int deciles[10] = {0};
  double sum = 0;
  constexpr int kDraws = 2000;
  for (int i = 0; i < kDraws; ++i) {
    const TimeMs d = b.NextTransientDelay();
    distinct.insert(d);
    sum += static_cast<double>(d);
    ++deciles[std::min<TimeMs>(9, d / 6'000)];
  }
  EXPECT_GT(distinct.size(), 1900u);
  EXPECT_NEAR(sum / kDraws, 30'000, 2'000);
  for (int count : deciles) EXPECT_GT(count, 120);  // ~200 expected in each
}

TEST(BackoffTest, TwoDevicesWithDifferentSeedsDoNotRetryInLockStep) {
  Backoff a(Options(), 1), b(Options(), 2);
  int same = 0;
  for (int i = 0; i < 20; ++i) same += a.NextTransientDelay() == b.NextTransientDelay() ? 1 : 0;
  EXPECT_LT(same, 3);
}

TEST(BackoffTest, SameSeedIsRepeatable) {
  Backoff a(Options(), 99), b(Options(), 99);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.NextTransientDelay(), b.NextTransientDelay());
}

TEST(BackoffTest, ResetStartsAgainFromBase) {
  Backoff b(Options(), 3);
  for (int i = 0; i < 8; ++i) (void)b.NextTransientDelay();
  EXPECT_EQ(b.CurrentCeiling(), 60'000);
  b.Reset();
  EXPECT_EQ(b.failures(), 0);
  EXPECT_EQ(b.CurrentCeiling(), 1'000);
  EXPECT_LE(b.NextTransientDelay(), 1'000);
}

TEST(BackoffTest, RetryAfterIsHonouredAndClamped) {
  Backoff b(Options(), 5);
  for (int i = 0; i < 100; ++i) {
    const TimeMs d = b.RetryAfterDelay(7);
    EXPECT_GE(d, 7'000);
    EXPECT_LE(d, 7'700);
  }
  // Zero still waits the floor; absurd values are capped at max_retry_after.
  EXPECT_GE(b.RetryAfterDelay(0), 50);
  EXPECT_LE(b.RetryAfterDelay(0), 55);
  const TimeMs huge = b.RetryAfterDelay(10'000'000);
  EXPECT_GE(huge, 3'600'000);
  EXPECT_LE(huge, 3'601'000);
  EXPECT_GE(b.RetryAfterDelay(-5), 50);
}

TEST(BackoffTest, PermanentRefusalWaitsLongWithSmallJitter) {
  Backoff b(Options(), 11);
  std::set<TimeMs> seen;
  for (int i = 0; i < 50; ++i) {
    const TimeMs d = b.NextPermanentDelay();
    EXPECT_GE(d, 600'000);
    EXPECT_LE(d, 660'000);
    seen.insert(d);
  }
  EXPECT_GT(seen.size(), 40u);
}

}  // namespace
}  // namespace feedback::sync
