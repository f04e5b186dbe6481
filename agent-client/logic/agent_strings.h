// The agent desktop's own wording (captions, hints, notices) in the languages the
// call-log definition ships (English, Spanish). Question prompts and option labels come
// from the survey definition; these are the words around them. Pure functions over
// static tables; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace feedback::agent {

enum class Str {
  kAppTitle,
  kSignInTitle,
  kSignInPrompt,
  kSignInHint,
  kSignInButton,
  kSignInBadId,
  kSwitchRep,
  kLogCall,
  kClear,
  kRequired,
  kOptional,
  kKeyHints,
  kMissingPrefix,       // "Still needed: "
  kTooLongFmt,          // "{0} is too long ({1} of at most {2} characters)"
  kNotValidText,        // "{0} is not valid text"
  kDigitOutOfRangeFmt,  // "{0}: press {1}-{2}"
  kCleared,
  kRestored,
  kNothingToUndo,
  kUnsavedLog,
  kSaving,
  kLoggedFmt,  // "Call logged at {0}"
  kCaptureFailed,
  kDraftRestoredFmt,  // "Your unfinished log from {0} is back"
  kDraftUnreadable,
  kSurveySwitchedFmt,  // "Form updated to version {0}"
  kMyTrend,
  kLast7,
  kLast30,
  kCallsLogged,
  kNotEnough,
  kMyLastCalls,
  kNoCallsYet,
  kTeamHeroes,
  kSync,
  kBacklogFmt,  // "{0} waiting to sync"
  kAllSynced,
  kLastSyncFmt,  // "last sync {0}"
  kNeverSynced,
  kSyncErrorPrefix,
  kJustNow,
  kMinutesAgoFmt,
  kHoursAgoFmt,
  kDaysAgoFmt,
  kPraiseYouHint,  // placeholder for the hero name: "you ({0}) if left empty"
  kPraised,
  kSealedRef,  // history entry from an earlier session: the reference is sealed
  kCaptionCallRef,
  kCaptionGreeting,
  kCaptionResolution,
  kCaptionEffort,
  kCaptionPraise,
  kCaptionPraiseName,
  kCaptionPraiseStory,
  kCaptionNotes,
  kCaptionResolved,
  kOfflineNote,
};

// The text for `id` in `locale` ("es", "es-MX" -> Spanish), English otherwise.
std::string_view Tr(std::string_view locale, Str id);

// Replaces "{0}", "{1}"... in a Tr() pattern with args; unknown or missing
// placeholders are left as they are. Never throws.
std::string Subst(std::string_view pattern, std::initializer_list<std::string_view> args);

}  // namespace feedback::agent
