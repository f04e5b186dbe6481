#include "core/bytes.h"

#include <gtest/gtest.h>

namespace feedback {
namespace {

TEST(HexTest, RoundTrip) {
  Bytes b = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(HexEncode(b), "0001abff");
  EXPECT_EQ(*HexDecode("0001ABff"), b);
}

TEST(HexTest, RejectsBadInput) {
  EXPECT_EQ(HexDecode("abc").status().message(), "hex string has odd length 3");
  EXPECT_EQ(HexDecode("zz").status().message(), "non-hex character at offset 0");
  EXPECT_EQ(HexDecode("0g").status().message(), "non-hex character at offset 1");
}

// RFC 4648 section 10 test vectors.
TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> kCases[] = {
      {"", ""},         {"f", "Zg=="},        {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : kCases) {
    EXPECT_EQ(Base64Encode(AsBytes(plain)), encoded);
    Result<Bytes> decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(ToString(*decoded), plain);
  }
}

TEST(Base64Test, RejectsBadInput) {
  EXPECT_EQ(Base64Decode("Zm9").status().message(), "base64 length 3 is not a multiple of 4");
  EXPECT_EQ(Base64Decode("Zm!v").status().message(), "invalid base64 character at offset 2");
  EXPECT_EQ(Base64Decode("Z===").status().message(), "invalid base64 character at offset 1");
  EXPECT_EQ(Base64Decode("Zg==Zm9v").status().message(), "invalid base64 character at offset 2");
  EXPECT_EQ(Base64Decode("Zm=v").status().message(), "invalid base64 character at offset 3");
}

TEST(ConstantTimeEqualTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEqual(AsBytes("abc"), AsBytes("abc")));
  EXPECT_FALSE(ConstantTimeEqual(AsBytes("abc"), AsBytes("abd")));
  EXPECT_FALSE(ConstantTimeEqual(AsBytes("abc"), AsBytes("ab")));
  EXPECT_TRUE(ConstantTimeEqual(AsBytes(""), AsBytes("")));
}

}  // namespace
}  // namespace feedback
