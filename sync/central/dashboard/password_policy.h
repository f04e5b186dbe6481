// The rules a dashboard password must meet, in one place: its length in
// characters (kMinPasswordChars..kMaxPasswordChars, the same limit at creation
// and at login) and its strength, judged by Debian's libpwquality with the
// cracklib dictionary (cracklib-runtime, /var/cache/cracklib/cracklib_dict.*).
// Every refusal says why in words a manager understands. The settings are ours,
// not /etc/security/pwquality.conf, so the rule is the same on every server.
// Plain functions, thread-safe (calls into cracklib are serialized).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace feedback::central {

inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordChars = 128;
// libpwquality's score (0-100) below which a password that breaks no rule is
// still refused as too easy to guess ("password1234" scores 22).
inline constexpr int kMinPasswordScore = 30;
// Where libcrack2 looks for its dictionary (cracklib-runtime builds it).
inline constexpr std::string_view kCracklibDictionary = "/var/cache/cracklib/cracklib_dict";

// Characters (Unicode code points of UTF-8 text), which is what the limits count.
size_t PasswordChars(std::string_view password);

// InvalidArgument when the password is longer than kMaxPasswordChars. Login
// checks this before hashing, so no password that could never be set is tried.
Status CheckPasswordNotTooLong(std::string_view password);

// Whether `password` may be set for `username`: length, enough different
// characters, not the user name in any form, not a dictionary word, no long
// runs or sequences, and a libpwquality score of at least kMinPasswordScore.
// InvalidArgument with the reason when it is refused; Unavailable when the
// dictionary is missing (the server cannot judge, so it refuses to guess).
// With `old_password` (a change), also refused when too similar to it.
Status CheckNewPassword(std::string_view password, std::string_view username,
                        std::optional<std::string_view> old_password = std::nullopt);

// A random password (GeneratePassword) that CheckNewPassword accepts for
// `username`; what `init` and `user add` print.
Result<std::string> GenerateAcceptedPassword(std::string_view username);

}  // namespace feedback::central
