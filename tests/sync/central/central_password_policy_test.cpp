// The password and user-name rules of feedback-central (password_policy.h,
// user_rules.h), in process: libpwquality with the real cracklib dictionary.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sync/central/dashboard/password_hash.h"
#include "sync/central/dashboard/password_policy.h"
#include "sync/central/store/user_rules.h"

namespace feedback::central {
namespace {

// A strong password of exactly n characters (random letters and digits);
// over the limit, one whose first kMaxPasswordChars pass.
std::string StrongOfLength(size_t n) {
  while (true) {
    std::string p;
    while (p.size() < n) p += GeneratePassword().value();
    p.resize(n);
    if (CheckNewPassword(p.substr(0, std::min(n, kMaxPasswordChars)), "ana").ok()) return p;
  }
}

std::string Refusal(std::string_view password, std::string_view user = "ana") {
  Status s = CheckNewPassword(password, user);
  EXPECT_FALSE(s.ok()) << password;
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  return s.message();
}

TEST(CentralPasswordPolicyTest, WeakPasswordsAreRefusedWithTheReason) {
  EXPECT_NE(Refusal("aaaaaaaaaaaa").find("uses only 1 character"), std::string::npos);
  EXPECT_NE(Refusal("sunflowers12").find("dictionary word"), std::string::npos);
  EXPECT_NE(Refusal("Xk4#mP").find("it has 6 characters; a password needs at least 12"),
            std::string::npos);
  EXPECT_NE(Refusal("ana.lopez.store1", "ana.lopez.store1").find("user name"), std::string::npos);
  EXPECT_NE(Refusal("Ana.Lopez.Store1", "ana.lopez.store1").find("user name"), std::string::npos);
  EXPECT_NE(Refusal("password1234").find("too easy to guess"), std::string::npos);
  EXPECT_NE(Refusal("abcdefgh-kiosk").find("monotonic sequence"), std::string::npos);
  // Every refusal ends with advice a manager can follow.
  EXPECT_NE(Refusal("sunflowers12").find("unrelated words"), std::string::npos);
}

TEST(CentralPasswordPolicyTest, StrongPasswordsAndPassphrasesPass) {
  for (const char* p : {"blue-river-lamp-42", "correct horse battery staple", "kd8#Lq2!vPz9",
                        "Hx7pQ2mKr9TzW4bN8cVd"}) {
    EXPECT_TRUE(CheckNewPassword(p, "ana").ok())
        << p << ": " << CheckNewPassword(p, "ana").ToString();
  }
}

TEST(CentralPasswordPolicyTest, OneLengthLimitInCharacters) {
  const std::string max = StrongOfLength(kMaxPasswordChars);
  EXPECT_TRUE(CheckNewPassword(max, "ana").ok()) << CheckNewPassword(max, "ana").ToString();
  EXPECT_TRUE(CheckPasswordNotTooLong(max).ok());
  const std::string over = StrongOfLength(kMaxPasswordChars + 1);
  const std::string limit = "at most " + std::to_string(kMaxPasswordChars) + " characters";
  EXPECT_NE(Refusal(over).find(limit), std::string::npos);
  EXPECT_NE(CheckPasswordNotTooLong(over).message().find(limit), std::string::npos);
  EXPECT_NE(Refusal(std::string(60000, 'a')).find(limit), std::string::npos);
  // Characters, not bytes: "ж" is two bytes, "🙂" four, each one character.
  EXPECT_EQ(PasswordChars("жé🙂a"), 4u);
  std::string wide;
  const char* pieces[] = {"ж", "🙂", "q", "é", "7", "ю", "🚲", "K"};
  for (size_t i = 0; PasswordChars(wide) < kMaxPasswordChars; ++i) {
    wide += pieces[(i * 5 + i / 8) % 8];
  }
  EXPECT_GT(wide.size(), kMaxPasswordChars);
  EXPECT_TRUE(CheckPasswordNotTooLong(wide).ok());
  EXPECT_FALSE(CheckPasswordNotTooLong(wide + "x").ok());
}

TEST(CentralPasswordPolicyTest, GeneratedPasswordsPassThePolicy) {
  for (int i = 0; i < 5; ++i) {
    const std::string p = GenerateAcceptedPassword("admin").value();
    EXPECT_EQ(p.size(), 20u);
    EXPECT_TRUE(CheckNewPassword(p, "admin").ok()) << p;
  }
}

TEST(CentralPasswordPolicyTest, UserNamesIgnoreCase) {
  EXPECT_TRUE(SameUsername("SM1", "sm1"));
  EXPECT_TRUE(SameUsername("Ana.Lopez@x", "ana.lopez@X"));
  EXPECT_FALSE(SameUsername("sm1", "sm2"));
  EXPECT_FALSE(SameUsername("sm1", "sm1 "));
  EXPECT_TRUE(IsValidUsername("ana.lopez@store-1_a"));
  EXPECT_FALSE(IsValidUsername(""));
  EXPECT_FALSE(IsValidUsername("ana lopez"));
  EXPECT_FALSE(IsValidUsername("änä"));
  EXPECT_FALSE(IsValidUsername(std::string(65, 'a')));
  EXPECT_NE(CheckUsername("a b").message().find("letters, digits"), std::string::npos);
}

TEST(CentralPasswordPolicyTest, RolesNeedTheirScope) {
  User u;
  u.role = ParseUserRoleName("site_manager").value();
  EXPECT_NE(CheckUserScope(u).message().find("exactly one site"), std::string::npos);
  u.site_ids = {"store-1"};
  EXPECT_TRUE(CheckUserScope(u).ok());
  u.role = UserRole::kRegionalManager;
  u.site_ids.clear();
  EXPECT_NE(CheckUserScope(u).message().find("at least one site"), std::string::npos);
  u.role = UserRole::kTeamLead;
  EXPECT_NE(CheckUserScope(u).message().find("needs a team"), std::string::npos);
  EXPECT_FALSE(ParseUserRoleName("boss").ok());
}

}  // namespace
}  // namespace feedback::central
