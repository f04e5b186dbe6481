// The kiosk's own words (buttons, titles, status lines) in every language it
// offers; question texts come from the survey definition instead. English and
// Spanish are complete (a unit test checks every string in both); any other
// locale falls back to English for these strings. Plain functions; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace feedback::kiosk {

enum class Str {
  kAttractTitle,
  kAttractPrompt,
  kAttractStart,
  kHeroWallTitle,
  kNext,
  kSkip,
  kBack,
  kDone,
  kSpace,
  kQuestionOf,  // {0} of {1}
  kHeroSomeoneElse,
  kHeroNoOne,
  kHeroNameCaption,
  kHeroStoryCaption,
  kContactYes,
  kContactNo,
  kContactPrivacy,
  kContactName,
  kContactPhone,
  kContactEmail,
  kTypeHint,
  kCharsLeft,  // {0}
  kSaving,
  kThankYouTitle,
  kThankYouBody,
  kThankYouHero,  // {0} = the nominated person
  kOutOfServiceTitle,
  kOutOfServiceBody,
  kAdminPinTitle,
  kPinWrong,
  kPinLocked,  // {0} = minutes
  kPinNotSet,
  kPinErase,
  kCancel,
  kOk,
  kAdminTitle,
  kAdminDevice,
  kAdminSite,
  kAdminSurvey,
  kAdminBacklog,
  kAdminLastSync,
  kAdminSyncError,
  kAdminNever,
  kAdminStore,
  kAdminStoreOk,
  kAdminExit,
  kAdminClose,
  kStillThereTitle,
  kStillThereBody,  // {0} = seconds left
  kStillThereContinue,
  kHeroAllNames,
  kHeroPage,  // {0} of {1}
  kAttractAnswerHint,
  kCount,  // not a string: the number of strings
};

// The string in `locale` ("es", "es-MX" -> Spanish), else English.
std::string_view Tr(Str id, std::string_view locale);

// Replaces {0}, {1}... in `pattern` with `args`.
std::string Format(std::string_view pattern, std::initializer_list<std::string_view> args);

// A language's name in itself ("Español"), for the language switch.
std::string LanguageName(std::string_view locale);

}  // namespace feedback::kiosk
