// Enrollment tokens: format, parsing of damaged tokens, base64url and the stored hash.
#include "protocol/enrollment_token.h"

#include <gtest/gtest.h>

#include <set>

#include "protocol/sha256.h"

namespace feedback::protocol {
namespace {

const std::string kPin = Sha256Hex(AsBytes("certificate"));

TEST(EnrollmentTokenTest, GenerateFormatParse) {
  Result<EnrollmentToken> t = GenerateEnrollmentToken(kPin);
  ASSERT_TRUE(t.ok());
  const std::string text = t->ToString();
  EXPECT_EQ(text.size(), 43u + 1u + 64u);
  Result<EnrollmentToken> back = ParseEnrollmentToken("  " + text + "\n");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->secret, t->secret);
  EXPECT_EQ(back->cert_sha256, kPin);
  Result<Bytes> secret = ParseTokenSecret(t->SecretText());
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(*secret, t->secret);
  EXPECT_EQ(TokenSecretHash(t->secret), Sha256Hex(t->secret));
}

TEST(EnrollmentTokenTest, TokensAreRandom) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(GenerateEnrollmentToken(kPin)->ToString());
  EXPECT_EQ(seen.size(), 50u);
}

TEST(EnrollmentTokenTest, DamagedTokensAreRefused) {
  const std::string good = GenerateEnrollmentToken(kPin)->ToString();
  const std::string bad[] = {
      "",
      good.substr(0, 43),                         // no pin
      good.substr(0, good.size() - 1),            // pin one short
      good.substr(1),                             // secret one short
      good + ".x",                                // two dots
      "*" + good.substr(1),                       // bad character
      good.substr(0, 44) + std::string(64, 'G'),  // pin not hex
      good.substr(0, 44) + std::string(64, 'A'),  // pin upper case
  };
  for (const std::string& t : bad) {
    Result<EnrollmentToken> r = ParseEnrollmentToken(t);
    EXPECT_FALSE(r.ok()) << t;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("token"), std::string::npos);
    }
  }
  EXPECT_FALSE(GenerateEnrollmentToken("abc").ok());
}

TEST(EnrollmentTokenTest, Base64Url) {
  EXPECT_EQ(Base64UrlEncode(AsBytes("")), "");
  EXPECT_EQ(Base64UrlEncode(AsBytes("f")), "Zg");
  EXPECT_EQ(Base64UrlEncode(AsBytes("fo")), "Zm8");
  EXPECT_EQ(Base64UrlEncode(AsBytes("foo")), "Zm9v");
  EXPECT_EQ(Base64UrlEncode(Bytes{0xfb, 0xff}), "-_8");
  for (size_t n = 0; n < 40; ++n) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 37 + 11);
    Result<Bytes> back = Base64UrlDecode(Base64UrlEncode(b));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, b);
  }
  EXPECT_FALSE(Base64UrlDecode("Zg==").ok());  // padding
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());    // non-zero trailing bits
  EXPECT_FALSE(Base64UrlDecode("Z").ok());     // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zm+v").ok());  // standard alphabet
}

}  // namespace
}  // namespace feedback::protocol
