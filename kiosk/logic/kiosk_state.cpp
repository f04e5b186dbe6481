#include "logic/kiosk_state.h"

#include <algorithm>
#include <utility>

namespace feedback::kiosk {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

// Events a person caused; they keep the idle timer from firing. Tick and the
// controller's reports are not input.
bool IsInput(const Event& event) {
  return !(std::holds_alternative<Tick>(event) || std::holds_alternative<CaptureDone>(event) ||
           std::holds_alternative<CaptureUnavailable>(event) ||
           std::holds_alternative<SurveyAvailable>(event));
}

Answer* FindMutableAnswer(Session& session, std::string_view question_id) {
  for (Answer& a : session.answers) {
    if (a.question_id == question_id) return &a;
  }
  return nullptr;
}

void EraseAnswer(Session& session, std::string_view question_id) {
  std::erase_if(session.answers, [&](const Answer& a) { return a.question_id == question_id; });
}

Answer& AnswerFor(Session& session, const std::string& question_id) {
  if (Answer* a = FindMutableAnswer(session, question_id)) return *a;
  session.answers.push_back(Answer{question_id, std::nullopt, {}, ""});
  return session.answers.back();
}

// Session or const Session: the buffer behind a field.
template <typename S>
auto EditBuffer(S& session, TextField field) -> decltype(&session.edit_answer) {
  switch (field) {
    case TextField::kAnswer:
      return &session.edit_answer;
    case TextField::kHeroName:
      return &session.edit_hero.name;
    case TextField::kHeroStory:
      return &session.edit_hero.story;
    case TextField::kContactName:
      return &session.edit_contact.name;
    case TextField::kContactPhone:
      return &session.edit_contact.phone;
    case TextField::kContactEmail:
      return &session.edit_contact.email;
  }
  return nullptr;
}

bool ContactFieldEnabled(const Question& q, TextField field) {
  switch (field) {
    case TextField::kContactName:
      return q.contact_fields.name;
    case TextField::kContactPhone:
      return q.contact_fields.phone;
    case TextField::kContactEmail:
      return q.contact_fields.email;
    default:
      return false;
  }
}

}  // namespace

size_t TextFieldLimit(const Question& q, TextField field) {
  switch (field) {
    case TextField::kAnswer:
    case TextField::kHeroStory:
      return static_cast<size_t>(q.max_length > 0 ? q.max_length : kDefaultTextAnswerLength);
    case TextField::kHeroName:
      return kMaxHeroNameLength;
    case TextField::kContactName:
      return kMaxContactNameLength;
    case TextField::kContactPhone:
      return kMaxContactPhoneLength;
    case TextField::kContactEmail:
      return kMaxContactEmailLength;
  }
  return 0;
}

const std::string& FieldText(const Session& session, TextField field) {
  return *EditBuffer(session, field);
}

std::string ScreenKey(const KioskState& state) {
  std::string key(ScreenName(state.screen));
  if (const Question* q = CurrentQuestion(state)) {
    static constexpr std::string_view kSteps[] = {"main", "hero-name", "hero-story",
                                                  "contact-details"};
    key += ":" + q->id + ":" + std::string(kSteps[static_cast<size_t>(state.step)]);
  }
  return key;
}

namespace {

// Whether `field` is on the screen the state shows.
bool FieldOnScreen(const KioskState& s, const Question& q, TextField field) {
  switch (s.step) {
    case Step::kMain:
      return q.type == QuestionType::kText && field == TextField::kAnswer;
    case Step::kHeroName:
      return field == TextField::kHeroName;
    case Step::kHeroStory:
      return field == TextField::kHeroStory;
    case Step::kContactDetails:
      return ContactFieldEnabled(q, field);
  }
  return false;
}

TextField FirstContactField(const Question& q) {
  if (q.contact_fields.name) return TextField::kContactName;
  if (q.contact_fields.phone) return TextField::kContactPhone;
  return TextField::kContactEmail;
}

bool ContactEmpty(const Contact& c) { return c.name.empty() && c.phone.empty() && c.email.empty(); }

std::optional<size_t> FirstVisibleFrom(const SurveyDefinition& survey, const Session& session,
                                       size_t from) {
  for (size_t i = from; i < survey.questions.size(); ++i) {
    if (IsVisible(survey.questions[i], session.answers)) return i;
  }
  return std::nullopt;
}

std::optional<size_t> PreviousVisible(const SurveyDefinition& survey, const Session& session,
                                      size_t before) {
  for (size_t i = before; i-- > 0;) {
    if (IsVisible(survey.questions[i], session.answers)) return i;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ScreenName(Screen screen) {
  switch (screen) {
    case Screen::kAttract:
      return "attract";
    case Screen::kQuestion:
      return "question";
    case Screen::kSaving:
      return "saving";
    case Screen::kThankYou:
      return "thank-you";
    case Screen::kOutOfService:
      return "out-of-service";
    case Screen::kAdminPin:
      return "admin-pin";
    case Screen::kAdmin:
      return "admin";
  }
  return "?";
}

std::string_view TextFieldName(TextField field) {
  switch (field) {
    case TextField::kAnswer:
      return "answer";
    case TextField::kHeroName:
      return "hero-name";
    case TextField::kHeroStory:
      return "hero-story";
    case TextField::kContactName:
      return "contact-name";
    case TextField::kContactPhone:
      return "contact-phone";
    case TextField::kContactEmail:
      return "contact-email";
  }
  return "?";
}

std::string_view EventName(const Event& event) {
  static constexpr std::string_view kNames[] = {
      "Tick",           "StartSurvey",  "SetLocale",          "AnswerScore",
      "ToggleOption",   "SetText",      "FocusField",         "SetShift",       "SetSymbols",
      "PickStaff",      "TypeHeroName", "HeroLetter",         "HeroPage",       "StillHere",
      "ContactOptIn",   "Next",
      "Back",           "CaptureDone",  "CaptureUnavailable", "SurveyAvailable",
      "AdminCornerTap", "PinDigit",     "PinBackspace",       "PinSubmit",
      "AdminClose",     "AdminExit"};
  static_assert(std::size(kNames) == std::variant_size_v<Event>);
  return kNames[event.index()];
}

const Question* CurrentQuestion(const KioskState& state) {
  if (state.screen != Screen::kQuestion || !state.survey) return nullptr;
  if (state.question_index >= state.survey->questions.size()) return nullptr;
  return &state.survey->questions[state.question_index];
}

const Answer* FindAnswer(const Session& session, std::string_view question_id) {
  for (const Answer& a : session.answers) {
    if (a.question_id == question_id) return &a;
  }
  return nullptr;
}

bool CanGoNext(const KioskState& state) {
  const Question* q = CurrentQuestion(state);
  if (q == nullptr) return false;
  const Session& s = state.session;
  switch (state.step) {
    case Step::kHeroName:
      return !s.edit_hero.name.empty();
    case Step::kHeroStory:
    case Step::kContactDetails:
      return true;
    case Step::kMain:
      break;
  }
  if (!q->required) return true;
  if (q->type == QuestionType::kText) return !s.edit_answer.empty();
  if (q->type == QuestionType::kHero) return s.hero.has_value();
  if (q->type == QuestionType::kContact) return s.contact.has_value();
  const Answer* a = FindAnswer(s, q->id);
  return a != nullptr && (a->number.has_value() || !a->choices.empty());
}

bool CanGoBack(const KioskState& state) {
  if (CurrentQuestion(state) == nullptr) return false;
  if (state.step != Step::kMain) return true;
  return PreviousVisible(*state.survey, state.session, state.question_index).has_value();
}

Progress QuestionProgress(const KioskState& state) {
  Progress p;
  if (!state.survey) return p;
  for (size_t i = 0; i < state.survey->questions.size(); ++i) {
    if (!IsVisible(state.survey->questions[i], state.session.answers)) continue;
    ++p.total;
    if (i <= state.question_index) p.current = p.total;
  }
  return p;
}

bool PinLocked(const KioskState& state, TimeMs now) { return now < state.pin_locked_until; }

FeedbackRecord BuildRecord(const SurveyDefinition& survey, const Session& session,
                           const std::string& locale, RecordStatus status, TimeMs now) {
  FeedbackRecord r;
  r.survey_id = survey.id;
  r.survey_version = survey.version;
  r.channel = survey.channel;
  r.started_at = session.started_at;
  r.submitted_at = now;
  r.status = status;
  r.locale = survey.ResolveLocale(locale);
  // Survey order reads best downstream, whatever order the customer went in.
  for (const Question& q : survey.questions) {
    const Answer* a = FindAnswer(session, q.id);
    if (a == nullptr) continue;
    if (q.type == QuestionType::kText && a->text.empty()) continue;
    if (q.type == QuestionType::kMulti && a->choices.empty()) continue;
    r.answers.push_back(*a);
  }
  if (session.hero && !session.hero->name.empty()) r.hero = session.hero;
  if (session.contact && !ContactEmpty(*session.contact)) r.contact = session.contact;
  DropHiddenAnswers(survey, r);
  return r;
}

KioskState KioskMachine::Initial(std::shared_ptr<const SurveyDefinition> survey, TimeMs now) const {
  KioskState s;
  s.survey = std::move(survey);
  s.locale =
      s.survey ? s.survey->ResolveLocale(settings_.default_locale) : settings_.default_locale;
  s.last_input_at = now;
  s.story_shown_at = now;
  return s;
}

KioskState KioskMachine::Step(const KioskState& state, const Event& event, TimeMs now) const {
  KioskState s = state;
  if (IsInput(event)) {
    s.last_input_at = now;
    // Any touch answers "Still there?"; the touch that dismisses it does nothing else.
    if (s.still_there) {
      s.still_there = false;
      return s;
    }
  }

  // Reports and settings that mean the same on every screen.
  if (const auto* done = std::get_if<CaptureDone>(&event)) {
    s.capture_request.reset();
    if (!done->ok) {
      s.out_of_service_reason = done->reason.empty() ? "capture failed" : done->reason;
      s.session = Session{};
      s.screen = Screen::kOutOfService;
    } else if (s.screen == Screen::kSaving) {
      s.screen = Screen::kThankYou;
      s.screen_until = now + settings_.thank_you_ms;
    }
    return s;
  }
  if (const auto* down = std::get_if<CaptureUnavailable>(&event)) {
    s.out_of_service_reason = down->reason.empty() ? "capture store unavailable" : down->reason;
    s.session = Session{};
    s.capture_request.reset();
    if (s.screen != Screen::kAdminPin && s.screen != Screen::kAdmin)
      s.screen = Screen::kOutOfService;
    return s;
  }
  if (const auto* available = std::get_if<SurveyAvailable>(&event)) {
    if (!available->survey) return s;
    // Never mid-survey: a customer's record follows the definition they started.
    if (s.screen == Screen::kAttract) {
      s.survey = available->survey;
      s.next_survey.reset();
      s.locale = s.survey->ResolveLocale(s.locale);
    } else {
      s.next_survey = available->survey;
    }
    return s;
  }
  if (const auto* set = std::get_if<SetLocale>(&event)) {
    if (s.screen == Screen::kSaving) return s;
    s.locale = s.survey ? s.survey->ResolveLocale(set->locale) : set->locale;
    return s;
  }
  if (std::holds_alternative<Tick>(event)) return OnTick(std::move(s), now);

  switch (s.screen) {
    case Screen::kAttract:
    case Screen::kOutOfService:
      if (std::holds_alternative<AdminCornerTap>(event)) {
        if (s.corner_taps == 0 || now - s.first_corner_tap_at > settings_.admin_corner_window_ms) {
          s.corner_taps = 0;
          s.first_corner_tap_at = now;
        }
        if (++s.corner_taps >= settings_.admin_corner_taps) {
          s.corner_taps = 0;
          s.screen = Screen::kAdminPin;
          s.pin_entry.clear();
          s.pin_rejected = false;
        }
        return s;
      }
      if (s.screen == Screen::kAttract && s.survey &&
          (std::holds_alternative<StartSurvey>(event) ||
           (std::holds_alternative<AnswerScore>(event) && s.survey->attract_first_question))) {
        std::optional<size_t> first = FirstVisibleFrom(*s.survey, Session{}, 0);
        if (!first) return s;  // a survey whose every question is conditional on nothing asked
        s.session = Session{};
        s.session.started_at = now;
        s.corner_taps = 0;
        s.question_index = *first;
        s.screen = Screen::kQuestion;
        EnterQuestion(s);
        // The first tap is an answer: the attract screen showed the first question.
        if (std::holds_alternative<AnswerScore>(event)) {
          KioskState answered = OnQuestionEvent(s, event, now);
          // A score out of range answers nothing: stay on attract.
          if (answered.session.answers.empty()) return state;
          return answered;
        }
      }
      return s;
    case Screen::kQuestion:
      return OnQuestionEvent(std::move(s), event, now);
    case Screen::kSaving:
      return s;  // only CaptureDone (handled above) leaves this screen
    case Screen::kThankYou:
      if (std::holds_alternative<Next>(event) || std::holds_alternative<StartSurvey>(event)) {
        return ToAttract(std::move(s), now);
      }
      return s;
    case Screen::kAdminPin:
      return OnAdminPinEvent(std::move(s), event, now);
    case Screen::kAdmin:
      if (std::holds_alternative<AdminExit>(event)) s.exit_requested = true;
      if (std::holds_alternative<AdminClose>(event)) return ToAttract(std::move(s), now);
      return s;
  }
  return s;
}

KioskState KioskMachine::OnTick(KioskState s, TimeMs now) const {
  switch (s.screen) {
    case Screen::kQuestion:
      if (now - s.last_input_at >= settings_.idle_timeout_ms) {
        // What was answered is kept; what was half-typed and never confirmed is not.
        if (!s.session.Empty()) RequestCapture(s, RecordStatus::kAbandoned, now);
        return ToAttract(std::move(s), now);
      }
      if (now - s.last_input_at >= StillThereAfter()) s.still_there = true;
      return s;
    case Screen::kThankYou:
      if (now >= s.screen_until) return ToAttract(std::move(s), now);
      return s;
    case Screen::kAttract:
      if (now - s.story_shown_at >= settings_.attract_rotate_ms) {
        ++s.story_index;
        s.story_shown_at = now;
      }
      return s;
    case Screen::kAdminPin:
    case Screen::kAdmin:
      if (now - s.last_input_at >= settings_.admin_idle_ms) return ToAttract(std::move(s), now);
      return s;
    case Screen::kSaving:
    case Screen::kOutOfService:
      return s;
  }
  return s;
}

KioskState KioskMachine::OnQuestionEvent(KioskState s, const Event& event, TimeMs now) const {
  const Question& q = *CurrentQuestion(s);
  Session& session = s.session;
  return std::visit(
      Overloaded{
          [&](const AnswerScore& e) -> KioskState {
            const ScaleRange range = q.Scale();
            if (!q.IsScore() || e.value < range.min || e.value > range.max) return s;
            AnswerFor(session, q.id).number = e.value;
            return Advance(std::move(s), now);
          },
          [&](const ToggleOption& e) -> KioskState {
            if (q.FindOption(e.option_id) == nullptr) return s;
            if (q.type == QuestionType::kChoice) {
              AnswerFor(session, q.id).choices = {e.option_id};
              return Advance(std::move(s), now);
            }
            if (q.type != QuestionType::kMulti) return s;
            std::vector<std::string>& choices = AnswerFor(session, q.id).choices;
            auto it = std::find(choices.begin(), choices.end(), e.option_id);
            if (it != choices.end()) {
              choices.erase(it);
            } else if (q.max_choices <= 0 || choices.size() < static_cast<size_t>(q.max_choices)) {
              choices.push_back(e.option_id);
            }
            if (choices.empty()) EraseAnswer(session, q.id);
            return s;
          },
          [&](const SetText& e) -> KioskState {
            if (!FieldOnScreen(s, q, e.field)) return s;
            std::optional<size_t> length = Utf8Length(e.text);
            if (!length || *length > TextFieldLimit(q, e.field)) return s;
            *EditBuffer(session, e.field) = e.text;
            session.focus = e.field;
            return s;
          },
          [&](const FocusField& e) -> KioskState {
            if (FieldOnScreen(s, q, e.field)) {
              session.focus = e.field;
              session.shift = EditBuffer(session, e.field)->empty();
              session.symbols = e.field == TextField::kContactPhone;
            }
            return s;
          },
          [&](const SetShift& e) -> KioskState {
            session.shift = e.on;
            return s;
          },
          [&](const SetSymbols& e) -> KioskState {
            session.symbols = e.on;
            return s;
          },
          [&](const PickStaff& e) -> KioskState {
            if (q.type != QuestionType::kHero || s.step != Step::kMain || e.name.empty()) return s;
            if (session.edit_hero.staff_id != e.staff_id || session.edit_hero.name != e.name) {
              session.edit_hero = Hero{e.staff_id, e.name, session.edit_hero.story};
            }
            s.step = Step::kHeroStory;
            session.focus = TextField::kHeroStory;
            session.symbols = session.focus == TextField::kContactPhone;
            session.shift = session.edit_hero.story.empty();
            return s;
          },
          [&](const HeroLetter& e) -> KioskState {
            if (q.type != QuestionType::kHero || s.step != Step::kMain) return s;
            session.hero_letter = e.letter;
            session.hero_page = 0;
            return s;
          },
          [&](const HeroPage& e) -> KioskState {
            if (q.type != QuestionType::kHero || s.step != Step::kMain) return s;
            session.hero_page = std::max(0, e.page);
            return s;
          },
          [&](const TypeHeroName&) -> KioskState {
            if (q.type != QuestionType::kHero || s.step != Step::kMain) return s;
            if (!session.edit_hero.staff_id.empty()) session.edit_hero = Hero{};
            s.step = Step::kHeroName;
            session.focus = TextField::kHeroName;
            session.symbols = session.focus == TextField::kContactPhone;
            session.shift = session.edit_hero.name.empty();
            return s;
          },
          [&](const ContactOptIn& e) -> KioskState {
            if (q.type != QuestionType::kContact || s.step != Step::kMain) return s;
            session.contact_opted_in = e.yes;
            if (!e.yes) {
              session.contact.reset();
              session.edit_contact = Contact{};
              return Advance(std::move(s), now);
            }
            s.step = Step::kContactDetails;
            session.focus = FirstContactField(q);
            session.symbols = session.focus == TextField::kContactPhone;
            session.shift = true;
            return s;
          },
          [&](const Next&) -> KioskState {
            if (!CanGoNext(s)) return s;
            if (s.step == Step::kHeroName) {
              s.step = Step::kHeroStory;
              session.focus = TextField::kHeroStory;
              session.symbols = session.focus == TextField::kContactPhone;
              session.shift = session.edit_hero.story.empty();
              return s;
            }
            if (s.step == Step::kMain && q.type == QuestionType::kHero) {
              session.hero.reset();  // "no one in particular"
              session.edit_hero = Hero{};
            } else if (s.step == Step::kMain && q.type == QuestionType::kContact) {
              session.contact.reset();
              session.contact_opted_in = false;
            }
            CommitEdits(s);
            return Advance(std::move(s), now);
          },
          [&](const Back&) -> KioskState {
            CommitEdits(s);
            return GoBack(std::move(s));
          },
          [&](const auto&) -> KioskState { return s; },
      },
      event);
}

KioskState KioskMachine::OnAdminPinEvent(KioskState s, const Event& event, TimeMs now) const {
  if (const auto* digit = std::get_if<PinDigit>(&event)) {
    if (PinLocked(s, now) || digit->digit < 0 || digit->digit > 9) return s;
    if (s.pin_entry.size() < settings_.pin_max_digits) {
      s.pin_entry.push_back(static_cast<char>('0' + digit->digit));
    }
    s.pin_rejected = false;
  } else if (std::holds_alternative<PinBackspace>(event)) {
    if (!s.pin_entry.empty()) s.pin_entry.pop_back();
  } else if (std::holds_alternative<PinSubmit>(event)) {
    // While locked nothing is checked at all, so guessing cannot continue.
    if (PinLocked(s, now) || s.pin_entry.empty()) return s;
    const bool ok = verify_pin_ && verify_pin_(s.pin_entry);
    s.pin_entry.clear();
    if (ok) {
      s.pin_failures = 0;
      s.pin_rejected = false;
      s.screen = Screen::kAdmin;
      return s;
    }
    s.pin_rejected = true;
    if (verify_pin_ && ++s.pin_failures >= settings_.pin_max_attempts) {
      s.pin_failures = 0;
      s.pin_locked_until = now + settings_.pin_lockout_ms;
    }
  } else if (std::holds_alternative<AdminClose>(event)) {
    return ToAttract(std::move(s), now);
  }
  return s;
}

KioskState KioskMachine::Advance(KioskState s, TimeMs now) const {
  std::optional<size_t> next = FirstVisibleFrom(*s.survey, s.session, s.question_index + 1);
  if (next) {
    s.question_index = *next;
    EnterQuestion(s);
    return s;
  }
  RequestCapture(s, RecordStatus::kComplete, now);
  s.screen = Screen::kSaving;
  return s;
}

KioskState KioskMachine::GoBack(KioskState s) const {
  const Question& q = *CurrentQuestion(s);
  switch (s.step) {
    case Step::kHeroStory:
      s.step = s.session.edit_hero.staff_id.empty() ? Step::kHeroName : Step::kMain;
      s.session.focus = TextField::kHeroName;
      s.session.symbols = s.session.focus == TextField::kContactPhone;
      return s;
    case Step::kHeroName:
    case Step::kContactDetails:
      s.step = Step::kMain;
      return s;
    case Step::kMain:
      break;
  }
  (void)q;
  std::optional<size_t> previous = PreviousVisible(*s.survey, s.session, s.question_index);
  if (!previous) return s;
  s.question_index = *previous;
  EnterQuestion(s);
  return s;
}

void KioskMachine::EnterQuestion(KioskState& s) const {
  const Question& q = s.survey->questions[s.question_index];
  Session& session = s.session;
  s.step = Step::kMain;
  const Answer* a = FindAnswer(session, q.id);
  session.edit_answer = q.type == QuestionType::kText && a != nullptr ? a->text : "";
  session.edit_hero = session.hero.value_or(Hero{});
  session.edit_contact = session.contact.value_or(Contact{});
  session.focus = q.type == QuestionType::kContact ? FirstContactField(q) : TextField::kAnswer;
  session.symbols = session.focus == TextField::kContactPhone;
  session.shift = session.edit_answer.empty();
}

void KioskMachine::CommitEdits(KioskState& s) const {
  const Question& q = *CurrentQuestion(s);
  Session& session = s.session;
  if (q.type == QuestionType::kText) {
    if (session.edit_answer.empty()) {
      EraseAnswer(session, q.id);
    } else {
      AnswerFor(session, q.id).text = session.edit_answer;
    }
  } else if (q.type == QuestionType::kHero && s.step == Step::kHeroStory) {
    session.hero = session.edit_hero;
  } else if (q.type == QuestionType::kContact && s.step == Step::kContactDetails) {
    if (ContactEmpty(session.edit_contact)) {
      session.contact.reset();
    } else {
      session.contact = session.edit_contact;
    }
  }
}

KioskState KioskMachine::ToAttract(KioskState s, TimeMs now) const {
  s.session = Session{};
  s.question_index = 0;
  s.step = Step::kMain;
  s.screen = s.out_of_service_reason.empty() ? Screen::kAttract : Screen::kOutOfService;
  if (s.next_survey) {
    s.survey = std::move(s.next_survey);
    s.next_survey.reset();
  }
  s.locale =
      s.survey ? s.survey->ResolveLocale(settings_.default_locale) : settings_.default_locale;
  s.screen_until = 0;
  s.still_there = false;
  s.corner_taps = 0;
  s.pin_entry.clear();
  s.pin_rejected = false;
  s.story_shown_at = now;
  return s;
}

void KioskMachine::RequestCapture(KioskState& s, RecordStatus status, TimeMs now) const {
  FeedbackRecord record = BuildRecord(*s.survey, s.session, s.locale, status, now);
  // Flag, never drop: a burst may be a child at play or a queue of happy customers;
  // the central store and the managers decide, with the flag as a hint.
  while (!s.recent_captures.empty() &&
         now - s.recent_captures.front() >= settings_.burst_window_ms) {
    s.recent_captures.pop_front();
  }
  record.flagged_burst =
      s.recent_captures.size() >= static_cast<size_t>(std::max(0, settings_.burst_max_per_window));
  s.recent_captures.push_back(now);
  s.capture_request = std::move(record);
}

std::optional<TimeMs> KioskMachine::NextDeadline(const KioskState& s, size_t story_count) const {
  switch (s.screen) {
    case Screen::kQuestion:
      if (!s.still_there) return s.last_input_at + StillThereAfter();
      return s.last_input_at + settings_.idle_timeout_ms;
    case Screen::kThankYou:
      return s.screen_until;
    case Screen::kAttract:
      if (story_count > 1) return s.story_shown_at + settings_.attract_rotate_ms;
      return std::nullopt;
    case Screen::kAdminPin: {
      TimeMs deadline = s.last_input_at + settings_.admin_idle_ms;
      if (s.pin_locked_until > s.last_input_at) deadline = std::min(deadline, s.pin_locked_until);
      return deadline;
    }
    case Screen::kAdmin:
      return s.last_input_at + settings_.admin_idle_ms;
    case Screen::kSaving:
    case Screen::kOutOfService:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace feedback::kiosk
