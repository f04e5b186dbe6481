#include "sync/central/dashboard/password_policy.h"

#include <pwquality.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <set>

#include "sync/central/dashboard/password_hash.h"

namespace feedback::central {
namespace {

constexpr size_t kMinDistinctChars = 5;
constexpr int kMaxRepeat = 3;    // "aaaa" is refused
constexpr int kMaxSequence = 4;  // "abcde", "12345" are refused
constexpr std::string_view kAdvice =
    "; choose a longer passphrase, for example three or four unrelated words";

struct SettingsDeleter {
  void operator()(pwquality_settings_t* s) const { pwquality_free_settings(s); }
};
using SettingsPtr = std::unique_ptr<pwquality_settings_t, SettingsDeleter>;

// libcrack2 keeps the dictionary page it read last in static buffers.
std::mutex& CracklibMutex() {
  static std::mutex m;
  return m;
}

Result<SettingsPtr> Settings() {
  SettingsPtr s(pwquality_default_settings());
  if (!s) return Status::Internal("cannot allocate libpwquality settings (out of memory)");
  const std::string dict(kCracklibDictionary);
  // Length is ours (in characters); credits off so pwquality counts plain length.
  const std::pair<int, int> ints[] = {
      {PWQ_SETTING_MIN_LENGTH, static_cast<int>(kMinPasswordChars)},
      {PWQ_SETTING_DIG_CREDIT, 0},
      {PWQ_SETTING_UP_CREDIT, 0},
      {PWQ_SETTING_LOW_CREDIT, 0},
      {PWQ_SETTING_OTH_CREDIT, 0},
      {PWQ_SETTING_MIN_CLASS, 0},
      {PWQ_SETTING_MAX_REPEAT, kMaxRepeat},
      {PWQ_SETTING_MAX_SEQUENCE, kMaxSequence},
      {PWQ_SETTING_DICT_CHECK, 1},
      {PWQ_SETTING_USER_CHECK, 1},
      {PWQ_SETTING_GECOS_CHECK, 0},
  };
  for (const auto& [setting, value] : ints) {
    if (pwquality_set_int_value(s.get(), setting, value) != 0) {
      return Status::Internal("libpwquality refused setting " + std::to_string(setting));
    }
  }
  if (pwquality_set_str_value(s.get(), PWQ_SETTING_DICT_PATH, dict.c_str()) != 0) {
    return Status::Internal("libpwquality refused the dictionary path " + dict);
  }
  return s;
}

std::string Refused(std::string reason) {
  return "password refused: " + reason + std::string(kAdvice);
}

}  // namespace

size_t PasswordChars(std::string_view password) {
  size_t n = 0;
  for (char c : password) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // continuation bytes do not count
  }
  return n;
}

Status CheckPasswordNotTooLong(std::string_view password) {
  const size_t n = PasswordChars(password);
  if (n <= kMaxPasswordChars) return Status::Ok();
  return Status::InvalidArgument("password refused: it has " + std::to_string(n) +
                                 " characters; a password has at most " +
                                 std::to_string(kMaxPasswordChars) + " characters");
}

Status CheckNewPassword(std::string_view password, std::string_view username,
                        std::optional<std::string_view> old_password) {
  FEEDBACK_RETURN_IF_ERROR(CheckPasswordNotTooLong(password));
  const size_t n = PasswordChars(password);
  if (n < kMinPasswordChars) {
    return Status::InvalidArgument("password refused: it has " + std::to_string(n) +
                                   " characters; a password needs at least " +
                                   std::to_string(kMinPasswordChars) + std::string(kAdvice));
  }
  if (password.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("password refused: it contains a NUL character");
  }
  const std::set<char> distinct(password.begin(), password.end());
  if (distinct.size() < kMinDistinctChars) {
    return Status::InvalidArgument(
        Refused("it uses only " + std::to_string(distinct.size()) +
                (distinct.size() == 1 ? " character" : " different characters") + " (at least " +
                std::to_string(kMinDistinctChars) + " needed)"));
  }
  const std::string dict = std::string(kCracklibDictionary) + ".pwd";
  if (::access(dict.c_str(), R_OK) != 0) {
    return Status::Unavailable("cannot check the password: the password dictionary " + dict +
                               " is missing; the operator must install cracklib-runtime "
                               "(apt-get install cracklib-runtime)");
  }
  FEEDBACK_ASSIGN_OR_RETURN(SettingsPtr settings, Settings());
  const std::string pw(password), user(username), old(old_password.value_or(""));
  void* aux = nullptr;
  std::string reason;
  int score = 0;
  {
    std::lock_guard<std::mutex> lock(CracklibMutex());
    score = pwquality_check(settings.get(), pw.c_str(), old_password ? old.c_str() : nullptr,
                            user.c_str(), &aux);
    if (score < 0) {
      char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
      const char* text = pwquality_strerror(buf, sizeof buf, score, aux);
      reason = text != nullptr ? text : "libpwquality error " + std::to_string(score);
    }
  }
  if (score < 0) {
    if (!reason.empty() && reason[0] >= 'A' && reason[0] <= 'Z') {
      reason[0] = static_cast<char>(reason[0] - 'A' + 'a');  // it follows "refused: "
    }
    return Status::InvalidArgument(Refused(reason));
  }
  if (score < kMinPasswordScore) {
    return Status::InvalidArgument(Refused("it is too easy to guess (strength " +
                                           std::to_string(score) + " of 100, at least " +
                                           std::to_string(kMinPasswordScore) + " needed)"));
  }
  return Status::Ok();
}

Result<std::string> GenerateAcceptedPassword(std::string_view username) {
  Status last = Status::Internal("no password generated");
  for (int attempt = 0; attempt < 16; ++attempt) {
    FEEDBACK_ASSIGN_OR_RETURN(std::string p, GeneratePassword());
    last = CheckNewPassword(p, username);
    if (last.ok()) return p;
    if (last.code() != Status::Code::kInvalidArgument) return last;
  }
  return last.WithContext("16 generated passwords in a row were refused");
}

}  // namespace feedback::central
