#include "logic/call_log_form.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "logic/agent_strings.h"

namespace feedback::agent {
namespace {

// Larger pastes are refused rather than kept: no field allows anywhere near this much.
constexpr size_t kMaxFieldBytes = 64 * 1024;

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

const FormField* FindField(const FormState& s, std::string_view key, size_t* index = nullptr) {
  for (size_t i = 0; i < s.fields.size(); ++i) {
    if (s.fields[i].key == key) {
      if (index != nullptr) *index = i;
      return &s.fields[i];
    }
  }
  return nullptr;
}

std::optional<size_t> FieldIndexOfQuestion(const FormState& s, std::string_view question_id) {
  for (size_t i = 0; i < s.fields.size(); ++i) {
    if (s.fields[i].question_id == question_id) return i;
  }
  return std::nullopt;
}

const Question* QuestionOf(const FormState& s, const FormField& field) {
  return s.survey ? s.survey->definition.Find(field.question_id) : nullptr;
}

// Marks a change of values: the draft must be saved, and the log has started.
void Touch(FormState& s, TimeMs now, std::string_view field_key) {
  ++s.edits;
  if (s.started_at == 0) s.started_at = now;
  s.problems.erase(std::string(field_key));
  s.submit_ready = false;
  if (s.notice.kind == NoticeKind::kSuccess || s.notice.kind == NoticeKind::kInfo) s.notice = {};
}

void Warn(FormState& s, std::string text) { s.notice = {NoticeKind::kWarning, std::move(text)}; }

void SetScore(FormState& s, const FormField& field, const Question& q, int value, TimeMs now) {
  const ScaleRange range = q.Scale();
  if (value < range.min || value > range.max) {
    Warn(s, Subst(Tr(s.locale, Str::kDigitOutOfRangeFmt),
                  {FieldCaption(s, field), std::to_string(range.min), std::to_string(range.max)}));
    return;
  }
  auto it = s.values.numbers.find(q.id);
  if (it != s.values.numbers.end() && it->second == value) return;
  s.values.numbers[q.id] = value;
  Touch(s, now, field.key);
}

void PickIndex(FormState& s, const FormField& field, const Question& q, size_t index, TimeMs now) {
  if (index >= q.options.size()) {
    Warn(s, Subst(Tr(s.locale, Str::kDigitOutOfRangeFmt),
                  {FieldCaption(s, field), "1", std::to_string(q.options.size())}));
    return;
  }
  const std::string& option = q.options[index].id;
  std::vector<std::string>& chosen = s.values.choices[q.id];
  if (field.kind == FieldKind::kChoice) {
    if (chosen.size() == 1 && chosen[0] == option) return;
    chosen = {option};
  } else {
    auto it = std::find(chosen.begin(), chosen.end(), option);
    if (it != chosen.end()) {
      chosen.erase(it);
    } else {
      const size_t limit =
          q.max_choices > 0 ? static_cast<size_t>(q.max_choices) : q.options.size();
      if (chosen.size() >= limit) {
        Warn(s, Subst(Tr(s.locale, Str::kDigitOutOfRangeFmt),
                      {FieldCaption(s, field), "1", std::to_string(limit)}));
        return;
      }
      chosen.push_back(option);
      // Keep survey order so the record does not depend on the order of the clicks.
      std::sort(chosen.begin(), chosen.end(), [&q](const std::string& a, const std::string& b) {
        auto pos = [&q](const std::string& id) {
          for (size_t i = 0; i < q.options.size(); ++i) {
            if (q.options[i].id == id) return i;
          }
          return q.options.size();
        };
        return pos(a) < pos(b);
      });
    }
    if (chosen.empty()) s.values.choices.erase(q.id);
  }
  Touch(s, now, field.key);
}

size_t NextVisible(const FormState& s, size_t from, int direction) {
  const size_t n = s.fields.size();
  if (n == 0) return 0;
  size_t i = from;
  for (size_t step = 0; step < n; ++step) {
    i = direction > 0 ? (i + 1) % n : (i + n - 1) % n;
    if (FieldVisible(s, i)) return i;
  }
  return from;
}

void ResetValues(FormState& s) {
  s.values = {};
  s.problems.clear();
  s.focus = 0;
  ++s.focus_serial;
  ++s.generation;
  ++s.edits;
  s.started_at = 0;
  s.submit_ready = false;
}

// ---- one handler per event --------------------------------------------------
void On(FormState& s, const SetText& e, TimeMs now) {
  const FormField* field = FindField(s, e.key);
  if (field == nullptr || !IsTextKind(field->kind) || e.text.size() > kMaxFieldBytes) return;
  auto it = s.values.text.find(e.key);
  const std::string_view old = it == s.values.text.end() ? std::string_view() : it->second;
  if (old == e.text) return;
  if (e.text.empty()) {
    s.values.text.erase(it);
  } else {
    s.values.text[e.key] = e.text;
  }
  Touch(s, now, e.key);
}

void On(FormState& s, const Digit& e, TimeMs now) {
  if (s.focus >= s.fields.size() || e.digit < 0 || e.digit > 9) return;
  const FormField& field = s.fields[s.focus];
  const Question* q = QuestionOf(s, field);
  if (q == nullptr) return;
  switch (field.kind) {
    case FieldKind::kScore: {
      int value = e.digit;
      // NPS runs 0-10: "1" then "0" means ten.
      auto it = s.values.numbers.find(q->id);
      if (q->Scale().max == 10 && e.digit == 0 && it != s.values.numbers.end() && it->second == 1) {
        value = 10;
      }
      SetScore(s, field, *q, value, now);
      break;
    }
    case FieldKind::kChoice:
    case FieldKind::kMulti:
      if (e.digit == 0) {
        Warn(s, Subst(Tr(s.locale, Str::kDigitOutOfRangeFmt),
                      {FieldCaption(s, field), "1", std::to_string(q->options.size())}));
        return;
      }
      PickIndex(s, field, *q, static_cast<size_t>(e.digit - 1), now);
      break;
    default:
      break;  // text fields take digits as text, through SetText
  }
}

void On(FormState& s, const Step& e, TimeMs now) {
  if (s.focus >= s.fields.size() || e.delta == 0) return;
  const FormField& field = s.fields[s.focus];
  const Question* q = QuestionOf(s, field);
  if (q == nullptr) return;
  if (field.kind == FieldKind::kScore) {
    const ScaleRange range = q->Scale();
    auto it = s.values.numbers.find(q->id);
    int value = 0;
    if (it == s.values.numbers.end()) {
      value = e.delta > 0 ? range.min : range.max;
    } else {
      value = std::clamp(it->second + e.delta, range.min, range.max);
    }
    SetScore(s, field, *q, value, now);
  } else if (field.kind == FieldKind::kChoice && !q->options.empty()) {
    const std::vector<std::string>& chosen = s.values.choices[q->id];
    size_t index = e.delta > 0 ? 0 : q->options.size() - 1;
    if (!chosen.empty()) {
      for (size_t i = 0; i < q->options.size(); ++i) {
        if (q->options[i].id != chosen[0]) continue;
        const auto moved = static_cast<long>(i) + e.delta;
        index = static_cast<size_t>(
            std::clamp<long>(moved, 0, static_cast<long>(q->options.size()) - 1));
      }
    }
    if (s.values.choices[q->id].empty()) s.values.choices.erase(q->id);
    PickIndex(s, field, *q, index, now);
  }
}

void On(FormState& s, const SetNumber& e, TimeMs now) {
  std::optional<size_t> index = FieldIndexOfQuestion(s, e.question_id);
  if (!index || s.fields[*index].kind != FieldKind::kScore) return;
  if (s.focus != *index) {
    s.focus = *index;
    ++s.focus_serial;
  }
  SetScore(s, s.fields[*index], *QuestionOf(s, s.fields[*index]), e.value, now);
}

void On(FormState& s, const PickOption& e, TimeMs now) {
  std::optional<size_t> index = FieldIndexOfQuestion(s, e.question_id);
  if (!index) return;
  const FormField& field = s.fields[*index];
  if (field.kind != FieldKind::kChoice && field.kind != FieldKind::kMulti) return;
  const Question* q = QuestionOf(s, field);
  for (size_t i = 0; i < q->options.size(); ++i) {
    if (q->options[i].id != e.option_id) continue;
    if (s.focus != *index) {
      s.focus = *index;
      ++s.focus_serial;
    }
    PickIndex(s, field, *q, i, now);
    return;
  }
}

void On(FormState& s, const FocusField& e, TimeMs) {
  if (e.index < s.fields.size()) s.focus = e.index;
}

void On(FormState& s, const FocusNext&, TimeMs) {
  s.focus = NextVisible(s, s.focus, +1);
  ++s.focus_serial;
}

void On(FormState& s, const FocusPrev&, TimeMs) {
  s.focus = NextVisible(s, s.focus, -1);
  ++s.focus_serial;
}

void On(FormState& s, const Submit&, TimeMs) {
  s.problems = FindProblems(s);
  if (s.problems.empty()) {
    s.submit_ready = true;
    s.notice = {NoticeKind::kInfo, std::string(Tr(s.locale, Str::kSaving))};
    return;
  }
  s.submit_ready = false;
  // Name every missing field, then the first other problem, and go to the first one.
  std::string missing;
  std::string other;
  bool focused = false;
  for (size_t i = 0; i < s.fields.size(); ++i) {
    auto it = s.problems.find(s.fields[i].key);
    if (it == s.problems.end()) continue;
    if (!focused) {
      s.focus = i;
      ++s.focus_serial;
      focused = true;
    }
    if (it->second == Tr(s.locale, Str::kRequired)) {
      if (!missing.empty()) missing += ", ";
      missing += FieldCaption(s, s.fields[i]);
    } else if (other.empty()) {
      other = it->second;
    }
  }
  std::string text;
  if (!missing.empty()) text = std::string(Tr(s.locale, Str::kMissingPrefix)) + missing + ".";
  if (!other.empty()) text += (text.empty() ? "" : " ") + other + ".";
  s.notice = {NoticeKind::kError, std::move(text)};
}

void On(FormState& s, const Clear&, TimeMs) {
  if (s.values.Empty()) {
    s.notice = {};
    s.problems.clear();
    s.focus = 0;
    ++s.focus_serial;
    return;
  }
  s.undo_values = s.values;
  s.undo_started_at = s.started_at;
  ResetValues(s);
  s.notice = {NoticeKind::kInfo, std::string(Tr(s.locale, Str::kCleared))};
}

void On(FormState& s, const Undo&, TimeMs) {
  if (!s.undo_values) {
    s.notice = {NoticeKind::kInfo, std::string(Tr(s.locale, Str::kNothingToUndo))};
    return;
  }
  // A swap, so that undoing over a new half-typed log loses nothing either.
  FormValues current = std::move(s.values);
  const TimeMs current_started = s.started_at;
  const bool had_current = !current.Empty();
  s.values = std::move(*s.undo_values);
  s.started_at = s.undo_started_at;
  s.undo_values.reset();
  if (had_current) {
    s.undo_values = std::move(current);
    s.undo_started_at = current_started;
  }
  s.problems.clear();
  s.submit_ready = false;
  ++s.generation;
  ++s.edits;
  ++s.focus_serial;
  s.notice = {NoticeKind::kInfo, std::string(Tr(s.locale, Str::kRestored))};
}

void On(FormState& s, const NewLog&, TimeMs) {
  s.focus = 0;
  ++s.focus_serial;
  s.problems.clear();
  if (s.values.Empty()) {
    s.notice = {};
  } else {
    s.notice = {NoticeKind::kWarning, std::string(Tr(s.locale, Str::kUnsavedLog))};
  }
}

void On(FormState& s, const Captured& e, TimeMs) {
  ResetValues(s);
  s.undo_values.reset();
  s.notice = {NoticeKind::kSuccess, e.notice};
}

void On(FormState& s, const CaptureFailed& e, TimeMs) {
  s.submit_ready = false;
  s.notice = {NoticeKind::kError, std::string(Tr(s.locale, Str::kCaptureFailed)) + e.message};
}

void On(FormState& s, const SwitchSurvey& e, TimeMs) {
  if (!e.survey || !s.values.Empty() || s.submit_ready) return;
  if (s.survey && s.survey->definition.id == e.survey->definition.id &&
      s.survey->definition.version == e.survey->definition.version) {
    return;
  }
  s.survey = e.survey;
  s.fields = FormFieldsOf(s.survey->definition);
  s.undo_values.reset();
  ResetValues(s);
  s.notice = {NoticeKind::kInfo, Subst(Tr(s.locale, Str::kSurveySwitchedFmt),
                                       {std::to_string(s.survey->definition.version)})};
}

}  // namespace

Result<std::shared_ptr<const FormSurvey>> MakeFormSurvey(std::string json, std::string source) {
  Result<SurveyDefinition> definition = ParseSurveyDefinition(json, source);
  if (!definition.ok()) return definition.status();
  if (definition->channel != Channel::kCall) {
    return Status::InvalidArgument(source + ": survey '" + definition->id +
                                   "' is for the kiosk channel; the agent desktop needs a "
                                   "\"channel\": \"call\" definition such as call_log.json");
  }
  auto survey = std::make_shared<FormSurvey>();
  survey->definition = std::move(definition).value();
  survey->json = std::move(json);
  survey->source = std::move(source);
  return std::shared_ptr<const FormSurvey>(std::move(survey));
}

bool IsTextKind(FieldKind kind) {
  switch (kind) {
    case FieldKind::kScore:
    case FieldKind::kChoice:
    case FieldKind::kMulti:
      return false;
    default:
      return true;
  }
}

std::vector<FormField> FormFieldsOf(const SurveyDefinition& definition) {
  std::vector<FormField> out;
  for (const Question& q : definition.questions) {
    FormField f;
    f.question_id = q.id;
    f.key = q.id;
    f.required = q.required;
    switch (q.type) {
      case QuestionType::kText:
        f.kind = FieldKind::kText;
        f.max_length = static_cast<size_t>(q.max_length);
        f.multiline = q.max_length > 100;
        out.push_back(f);
        break;
      case QuestionType::kNps:
      case QuestionType::kCsat:
      case QuestionType::kCes:
      case QuestionType::kRating:
        f.kind = FieldKind::kScore;
        out.push_back(f);
        break;
      case QuestionType::kChoice:
        f.kind = FieldKind::kChoice;
        out.push_back(f);
        break;
      case QuestionType::kMulti:
        f.kind = FieldKind::kMulti;
        out.push_back(f);
        break;
      case QuestionType::kHero: {
        FormField name = f;
        name.key = q.id + ".name";
        name.kind = FieldKind::kHeroName;
        name.max_length = kMaxHeroNameLength;
        name.required = false;
        FormField story = f;
        story.key = q.id + ".story";
        story.kind = FieldKind::kHeroStory;
        story.max_length = static_cast<size_t>(q.max_length);
        story.multiline = true;
        story.required = q.required;  // "someone was praised" = a story was told
        out.push_back(name);
        out.push_back(story);
        break;
      }
      case QuestionType::kContact: {
        const std::pair<bool, std::pair<const char*, FieldKind>> parts[] = {
            {q.contact_fields.name, {".name", FieldKind::kContactName}},
            {q.contact_fields.phone, {".phone", FieldKind::kContactPhone}},
            {q.contact_fields.email, {".email", FieldKind::kContactEmail}},
        };
        bool first = true;
        for (const auto& [wanted, part] : parts) {
          if (!wanted) continue;
          FormField c = f;
          c.key = q.id + part.first;
          c.kind = part.second;
          c.max_length = part.second == FieldKind::kContactName    ? kMaxContactNameLength
                         : part.second == FieldKind::kContactPhone ? kMaxContactPhoneLength
                                                                   : kMaxContactEmailLength;
          c.required = first && q.required;  // at least one way to reach the customer
          first = false;
          out.push_back(c);
        }
        break;
      }
    }
  }
  return out;
}

bool FormValues::Empty() const {
  for (const auto& [key, value] : text) {
    if (!Trim(value).empty()) return false;
  }
  for (const auto& [key, chosen] : choices) {
    if (!chosen.empty()) return false;
  }
  return numbers.empty();
}

FormState NewForm(std::shared_ptr<const FormSurvey> survey, std::string locale) {
  FormState s;
  s.survey = std::move(survey);
  if (s.survey) s.fields = FormFieldsOf(s.survey->definition);
  s.locale = std::move(locale);
  return s;
}

std::string_view EventName(const FormEvent& event) {
  static constexpr std::string_view kNames[] = {
      "SetText",    "Digit",     "Step",      "SetNumber",     "PickOption",
      "FocusField", "FocusNext", "FocusPrev", "Submit",        "Clear",
      "Undo",       "NewLog",    "Captured",  "CaptureFailed", "SwitchSurvey"};
  static_assert(std::size(kNames) == std::variant_size_v<FormEvent>);
  return kNames[event.index()];
}

FormState Reduce(FormState state, const FormEvent& event, TimeMs now) {
  std::visit([&](const auto& e) { On(state, e, now); }, event);
  return state;
}

std::vector<Answer> AnswersOf(const FormState& s) {
  std::vector<Answer> answers;
  if (!s.survey) return answers;
  for (const Question& q : s.survey->definition.questions) {
    Answer a;
    a.question_id = q.id;
    if (q.type == QuestionType::kText) {
      std::string_view text = Trim(FieldText(s, q.id));
      if (text.empty()) continue;
      a.text = std::string(text);
    } else if (q.IsScore()) {
      auto it = s.values.numbers.find(q.id);
      if (it == s.values.numbers.end()) continue;
      a.number = it->second;
    } else if (q.type == QuestionType::kChoice || q.type == QuestionType::kMulti) {
      auto it = s.values.choices.find(q.id);
      if (it == s.values.choices.end() || it->second.empty()) continue;
      a.choices = it->second;
    } else {
      continue;  // hero and contact go into their own record fields
    }
    answers.push_back(std::move(a));
  }
  return answers;
}

bool FieldVisible(const FormState& s, size_t index) {
  if (index >= s.fields.size()) return false;
  const Question* q = QuestionOf(s, s.fields[index]);
  if (q == nullptr) return false;
  if (!q->show_if) return true;
  const std::vector<Answer> answers = AnswersOf(s);
  return IsVisible(*q, answers);
}

std::string FieldCaption(const FormState& s, const FormField& field) {
  const std::string_view loc = s.locale;
  switch (field.kind) {
    case FieldKind::kHeroName:
      return std::string(Tr(loc, Str::kCaptionPraiseName));
    case FieldKind::kHeroStory:
      return std::string(Tr(loc, Str::kCaptionPraiseStory));
    default:
      break;
  }
  static const std::pair<std::string_view, Str> kKnown[] = {
      {"call_ref", Str::kCaptionCallRef},      {"greeting", Str::kCaptionGreeting},
      {"resolution", Str::kCaptionResolution}, {"effort", Str::kCaptionEffort},
      {"notes", Str::kCaptionNotes},
  };
  for (const auto& [id, str] : kKnown) {
    if (field.key == id) return std::string(Tr(loc, str));
  }
  const Question* q = QuestionOf(s, field);
  if (q == nullptr) return field.key;
  const SurveyDefinition& def = s.survey->definition;
  std::string prompt(def.Text(q->prompt, loc));
  if (field.kind == FieldKind::kContactName || field.kind == FieldKind::kContactPhone ||
      field.kind == FieldKind::kContactEmail) {
    const std::string part = field.key.substr(field.key.rfind('.') + 1);
    auto it = q->labels.find(part);
    if (it != q->labels.end()) return std::string(def.Text(it->second, loc));
    return prompt + " (" + part + ")";
  }
  return prompt;
}

std::string_view FieldText(const FormState& s, std::string_view key) {
  auto it = s.values.text.find(key);
  return it == s.values.text.end() ? std::string_view() : std::string_view(it->second);
}

std::map<std::string, std::string, std::less<>> FindProblems(const FormState& s) {
  std::map<std::string, std::string, std::less<>> problems;
  const std::string required(Tr(s.locale, Str::kRequired));
  for (size_t i = 0; i < s.fields.size(); ++i) {
    if (!FieldVisible(s, i)) continue;
    const FormField& f = s.fields[i];
    bool answered = false;
    if (IsTextKind(f.kind)) {
      const std::string_view text = Trim(FieldText(s, f.key));
      answered = !text.empty();
      const std::optional<size_t> length = Utf8Length(text);
      if (!length) {
        problems[f.key] = Subst(Tr(s.locale, Str::kNotValidText), {FieldCaption(s, f)});
        continue;
      }
      if (f.max_length > 0 && *length > f.max_length) {
        problems[f.key] =
            Subst(Tr(s.locale, Str::kTooLongFmt),
                  {FieldCaption(s, f), std::to_string(*length), std::to_string(f.max_length)});
        continue;
      }
      if (f.kind == FieldKind::kHeroStory && f.required) {
        answered = answered || !Trim(FieldText(s, f.question_id + ".name")).empty();
      }
    } else if (f.kind == FieldKind::kScore) {
      answered = s.values.numbers.contains(f.question_id);
    } else {
      auto it = s.values.choices.find(f.question_id);
      answered = it != s.values.choices.end() && !it->second.empty();
    }
    if (f.kind == FieldKind::kContactName || f.kind == FieldKind::kContactPhone ||
        f.kind == FieldKind::kContactEmail) {
      // A required contact question needs one way to reach the customer, any of them.
      if (!f.required) continue;
      for (const FormField& other : s.fields) {
        if (other.question_id == f.question_id && !Trim(FieldText(s, other.key)).empty()) {
          answered = true;
        }
      }
    }
    if (f.required && !answered) problems[f.key] = required;
  }
  return problems;
}

Result<FeedbackRecord> BuildRecord(const FormState& s, const RecordContext& context) {
  if (!s.survey) return Status::Internal("BuildRecord: the form has no survey definition");
  const SurveyDefinition& def = s.survey->definition;
  FeedbackRecord r;
  r.id = context.record_id;
  r.survey_id = def.id;
  r.survey_version = def.version;
  r.device_id = context.device_id;
  r.site_id = context.site_id;
  r.channel = def.channel;
  r.submitted_at = context.submitted_at;
  r.started_at =
      s.started_at != 0 ? std::min(s.started_at, context.submitted_at) : context.submitted_at;
  r.status = RecordStatus::kComplete;
  r.locale = def.ResolveLocale(s.locale);
  r.staff_id = context.staff_id;
  r.answers = AnswersOf(s);
  if (const Question* hero = def.HeroQuestion()) {
    const std::string name(Trim(FieldText(s, hero->id + ".name")));
    const std::string story(Trim(FieldText(s, hero->id + ".story")));
    if (!name.empty() || !story.empty()) {
      Hero h;
      h.name = name;
      h.story = story;
      // Customers mostly praise the rep on the phone: an empty name credits them.
      if (name.empty()) {
        h.staff_id = context.staff_id;
      } else if (context.resolve_staff) {
        h.staff_id = context.resolve_staff(name);
      }
      r.hero = std::move(h);
    }
  }
  if (const Question* contact = def.ContactQuestion()) {
    Contact c;
    c.name = std::string(Trim(FieldText(s, contact->id + ".name")));
    c.phone = std::string(Trim(FieldText(s, contact->id + ".phone")));
    c.email = std::string(Trim(FieldText(s, contact->id + ".email")));
    if (!c.name.empty() || !c.phone.empty() || !c.email.empty()) r.contact = std::move(c);
  }
  DropHiddenAnswers(def, r);
  if (Status st = ValidateRecord(def, r); !st.ok()) return st;
  return r;
}

}  // namespace feedback::agent
