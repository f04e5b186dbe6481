#include "core/uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace feedback {
namespace {

TEST(UuidTest, V7LayoutAndTimestamp) {
  FakeClock clock(1'700'000'123'456);
  UuidGenerator gen(clock);
  Uuid id = gen.NextV7();
  EXPECT_EQ(id.version(), 7);
  EXPECT_EQ(id.bytes[8] & 0xc0, 0x80);  // RFC 9562 variant
  EXPECT_EQ(id.timestamp_ms(), 1'700'000'123'456);
  std::string text = id.ToString();
  ASSERT_EQ(text.size(), 36u);
  EXPECT_EQ(text[14], '7');
  EXPECT_EQ(*Uuid::Parse(text), id);
}

TEST(UuidTest, StrictlyIncreasingWithinAndAcrossMilliseconds) {
  FakeClock clock;
  UuidGenerator gen(clock);
  Uuid prev = gen.NextV7();
  std::set<std::string> seen = {prev.ToString()};
  for (int i = 0; i < 5000; ++i) {
    if (i % 1000 == 999) clock.Advance(1);
    if (i == 2500) clock.Advance(-5);  // the wall clock stepped back
    Uuid next = gen.NextV7();
    ASSERT_LT(prev, next) << i;
    ASSERT_LT(prev.ToString(), next.ToString()) << i;  // text order matches byte order
    EXPECT_EQ(next.version(), 7);
    EXPECT_EQ(next.bytes[8] & 0xc0, 0x80);
    seen.insert(next.ToString());
    prev = next;
  }
  EXPECT_EQ(seen.size(), 5001u);
}

TEST(UuidTest, ParseRejectsMalformedText) {
  for (const char* bad : {"", "not-a-uuid", "0190a6f2-3c4d-7e5f-8a9b-0c1d2e3f4a5", "0190a6f2x3c4d-7e5f-8a9b-0c1d2e3f4a5b",
                          "0190a6f2-3c4d-7e5f-8a9b-0c1d2e3f4a5g"}) {
    Result<Uuid> r = Uuid::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("is not a UUID"), std::string::npos);
  }
}

}  // namespace
}  // namespace feedback
