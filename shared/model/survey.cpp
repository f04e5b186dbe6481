#include "model/survey.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>
#include <utility>

namespace feedback {
namespace {

using nlohmann::json;

struct TypeName {
  QuestionType type;
  std::string_view name;
};
constexpr std::array<TypeName, 9> kTypeNames = {{
    {QuestionType::kNps, "nps"},
    {QuestionType::kCsat, "csat"},
    {QuestionType::kCes, "ces"},
    {QuestionType::kRating, "rating"},
    {QuestionType::kChoice, "choice"},
    {QuestionType::kMulti, "multi"},
    {QuestionType::kText, "text"},
    {QuestionType::kHero, "hero"},
    {QuestionType::kContact, "contact"},
}};
constexpr std::string_view kTypeList = "nps, csat, ces, rating, choice, multi, text, hero, contact";

// Keys each object may hold. Unknown keys are errors: a misspelt "show_if"
// would otherwise silently turn a conditional question into an unconditional one.
constexpr std::array<std::string_view, 8> kTopKeys = {
    "id", "version", "channel", "title", "locales", "questions", "outcome", "attract_first_question"};
constexpr std::array<std::string_view, 5> kCommonQuestionKeys = {"id", "type", "required", "prompt",
                                                                 "show_if"};
constexpr std::array<std::string_view, 8> kTypeSpecificKeys = {
    "driver", "low_label", "high_label", "options", "max", "max_length", "fields", "labels"};
constexpr std::array<std::string_view, 2> kOptionKeys = {"id", "label"};
constexpr std::array<std::string_view, 4> kShowIfKeys = {"question", "min", "max", "in"};

constexpr size_t kMaxQuotedLength = 64;

std::vector<std::string_view> TypeSpecificKeys(QuestionType type) {
  switch (type) {
    case QuestionType::kNps:
    case QuestionType::kCsat:
    case QuestionType::kCes:
    case QuestionType::kRating:
      return {"driver", "low_label", "high_label"};
    case QuestionType::kChoice:
      return {"options"};
    case QuestionType::kMulti:
      return {"options", "max"};
    case QuestionType::kText:
      return {"max_length"};
    case QuestionType::kHero:
      return {"max_length", "labels"};
    case QuestionType::kContact:
      return {"fields", "labels"};
  }
  return {};
}

// Replaces every byte of invalid UTF-8 with '?', so that messages built from
// hostile input are always printable and safe to put into JSON.
std::string SanitizeUtf8(std::string_view text) {
  if (Utf8Length(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += (static_cast<unsigned char>(c) < 0x80) ? c : '?';
  return out;
}

// A value from the input, JSON-quoted and shortened, for use inside a message.
std::string Quote(std::string_view text) {
  bool truncated = false;
  if (text.size() > kMaxQuotedLength) {
    text = text.substr(0, kMaxQuotedLength);
    truncated = true;
  }
  std::string out = json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
  if (truncated) out.insert(out.size() - 1, "...");
  return out;
}

// A record field shown in a message without quotes: printable ASCII only.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, std::min(text.size(), kMaxQuotedLength))) {
    auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  if (text.size() > kMaxQuotedLength) out += "...";
  return out;
}

// RFC 6901 escaping of one JSON pointer token. Keys come from hostile input,
// so control characters become '?' and very long keys are shortened: the
// pointer is for a human reading a log line.
std::string PointerToken(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, std::min(key.size(), kMaxQuotedLength))) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += '?';
    } else {
      out += c;
    }
  }
  if (key.size() > kMaxQuotedLength) out += "...";
  return SanitizeUtf8(out);
}

std::string Child(const std::string& path, std::string_view key) {
  return path + "/" + PointerToken(key);
}
std::string Child(const std::string& path, size_t index) {
  return path + "/" + std::to_string(index);
}

// How a value looks, for "expected X, got Y" messages.
std::string Describe(const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      return v.empty() ? "an empty object" : "an object";
    case json::value_t::array:
      return v.empty() ? "an empty array" : "an array";
    case json::value_t::string:
      return "the string " + Quote(v.get_ref<const std::string&>());
    default: {
      std::string dumped = v.dump(-1, ' ', false, json::error_handler_t::replace);
      if (dumped.size() > kMaxQuotedLength) dumped = dumped.substr(0, kMaxQuotedLength) + "...";
      return dumped;
    }
  }
}

bool IsIdChar(char c, bool allow_dash) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-');
}

bool IsValidId(std::string_view id, bool allow_dash) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  return std::all_of(id.begin(), id.end(), [&](char c) { return IsIdChar(c, allow_dash); });
}

// "en", "es", "pt-BR", "es-419": a lowercase language and an optional region.
bool IsValidLocale(std::string_view locale) {
  size_t dash = locale.find('-');
  std::string_view language = locale.substr(0, dash);
  if (language.size() < 2 || language.size() > 3) return false;
  if (!std::all_of(language.begin(), language.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return false;
  }
  if (dash == std::string_view::npos) return true;
  std::string_view region = locale.substr(dash + 1);
  if (region.size() < 2 || region.size() > 3) return false;
  return std::all_of(region.begin(), region.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

std::string_view Language(std::string_view locale) { return locale.substr(0, locale.find('-')); }

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string DescribeScale(QuestionType type) {
  ScaleRange scale = ScaleOf(type);
  return std::to_string(scale.min) + "-" + std::to_string(scale.max);
}

// Records the first duplicate key or over-deep nesting while nlohmann parses.
// nlohmann keeps the last of duplicate keys silently; we reject them, because
// two "show_if"s (or "version"s) in one object mean nobody knows which applies.
class StructureChecker {
 public:
  bool OnEvent(int /*depth*/, json::parse_event_t event, const json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (frames_.size() >= kMaxJsonDepth) {
          Report(CurrentPath(), "nesting is deeper than " + std::to_string(kMaxJsonDepth) +
                                    " levels; a survey definition never needs that");
        }
        frames_.push_back(Frame{event == json::parse_event_t::array_start, 0, {}, {}});
        break;
      case json::parse_event_t::key:
        if (!frames_.empty() && parsed.is_string()) {
          Frame& top = frames_.back();
          top.key = parsed.get_ref<const std::string&>();
          if (!top.keys.insert(top.key).second) {
            Report(CurrentPath(), "duplicate key " + Quote(top.key) + " in the same object");
          }
        }
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        ElementDone();
        break;
      case json::parse_event_t::value:
        ElementDone();
        break;
    }
    return true;
  }

  bool failed() const { return failed_; }
  const std::string& path() const { return path_; }
  const std::string& problem() const { return problem_; }

 private:
  struct Frame {
    bool is_array = false;
    size_t index = 0;  // arrays: the element being parsed
    std::string key;   // objects: the member being parsed
    std::set<std::string> keys;
  };

  void ElementDone() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

  std::string CurrentPath() const {
    std::string path;
    for (const Frame& frame : frames_) {
      path = frame.is_array ? Child(path, frame.index) : Child(path, frame.key);
    }
    return path;
  }

  void Report(std::string path, std::string problem) {
    if (failed_) return;
    failed_ = true;
    path_ = std::move(path);
    problem_ = std::move(problem);
  }

  std::vector<Frame> frames_;
  bool failed_ = false;
  std::string path_;
  std::string problem_;
};

// Turns a parsed JSON document into a validated SurveyDefinition. Single use.
class DefinitionParser {
 public:
  explicit DefinitionParser(std::string_view source) : source_(source) {}

  Result<SurveyDefinition> Parse(const json& root) {
    if (!root.is_object()) {
      return Fail("", "expected a JSON object (the survey definition), got " + Describe(root));
    }
    FEEDBACK_RETURN_IF_ERROR(CheckKeys(root, "", kTopKeys, {}, "survey definition"));
    SurveyDefinition def;
    FEEDBACK_RETURN_IF_ERROR(ParseHeader(root, def));
    FEEDBACK_RETURN_IF_ERROR(ParseQuestions(root, def));
    FEEDBACK_RETURN_IF_ERROR(ParseOutcome(root, def));
    FEEDBACK_RETURN_IF_ERROR(ParseAttractFirstQuestion(root, def));
    return def;
  }

 private:
  Status Fail(const std::string& path, std::string problem) const {
    return Status::InvalidArgument(std::string(source_) + ": " + (path.empty() ? "/" : path) +
                                   ": " + problem);
  }

  // Rejects keys outside `allowed` and `extra`. While a question is checked
  // (foreign_context_ set), a key that belongs to another question type gets a
  // message saying so; anything else is called unknown, with the nearest
  // allowed key as a suggestion for typos.
  template <size_t N>
  Status CheckKeys(const json& obj, const std::string& path,
                   const std::array<std::string_view, N>& allowed,
                   const std::vector<std::string_view>& extra, std::string_view what) const {
    for (const auto& item : obj.items()) {
      const std::string& key = item.key();  // not a structured binding: lambdas below use it
      bool ok = std::find(allowed.begin(), allowed.end(), key) != allowed.end() ||
                std::find(extra.begin(), extra.end(), key) != extra.end();
      if (ok) continue;
      std::string key_path = Child(path, key);
      if (!foreign_context_.empty() && std::find(kTypeSpecificKeys.begin(), kTypeSpecificKeys.end(),
                                                 key) != kTypeSpecificKeys.end()) {
        return Fail(key_path, "key " + Quote(key) + " does not apply to " + foreign_context_);
      }
      std::string problem = "unknown key " + Quote(key) + " in " + std::string(what);
      std::string_view best;
      size_t best_distance = 3;  // suggest only close matches
      auto consider = [&](std::string_view candidate) {
        size_t d = EditDistance(key, candidate);
        if (d < best_distance) {
          best_distance = d;
          best = candidate;
        }
      };
      for (std::string_view candidate : allowed) consider(candidate);
      for (std::string_view candidate : extra) consider(candidate);
      if (!best.empty()) problem += " (did you mean " + Quote(best) + "?)";
      return Fail(key_path, problem);
    }
    return Status::Ok();
  }

  const json* Member(const json& obj, std::string_view key) const {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

  Status Require(const json& obj, const std::string& path, std::string_view key,
                 const json*& out) const {
    out = Member(obj, key);
    if (out == nullptr) return Fail(Child(path, key), "required key is missing");
    return Status::Ok();
  }

  Status GetId(const json& v, const std::string& path, bool allow_dash, std::string& out) const {
    if (!v.is_string()) return Fail(path, "expected an id string, got " + Describe(v));
    const auto& s = v.get_ref<const std::string&>();
    if (!IsValidId(s, allow_dash)) {
      return Fail(path, "invalid id " + Quote(s) + " (use 1-" + std::to_string(kMaxIdLength) +
                            " characters from a-z, 0-9, _" + (allow_dash ? " and -" : "") + ")");
    }
    out = s;
    return Status::Ok();
  }

  Status GetInt(const json& v, const std::string& path, int lo, int hi, std::string_view what,
                int& out) const {
    // nlohmann stores non-negative integers as unsigned, negative ones as signed.
    bool in_range = false;
    if (v.is_number_unsigned()) {
      const auto n = v.get<uint64_t>();
      in_range = hi >= 0 && n <= static_cast<uint64_t>(hi) && static_cast<int64_t>(n) >= lo;
    } else if (v.is_number_integer()) {
      const auto n = v.get<int64_t>();
      in_range = n >= lo && n <= hi;
    }
    if (!in_range) {
      return Fail(path, "expected " + std::string(what) + " (an integer from " +
                            std::to_string(lo) + " to " + std::to_string(hi) + "), got " +
                            Describe(v));
    }
    out = static_cast<int>(v.get<int64_t>());
    return Status::Ok();
  }

  Status GetBool(const json& v, const std::string& path, bool& out) const {
    if (!v.is_boolean()) return Fail(path, "expected true or false, got " + Describe(v));
    out = v.get<bool>();
    return Status::Ok();
  }

  Status GetLocalized(const json& v, const std::string& path, LocalizedText& out) const {
    if (!v.is_object()) {
      return Fail(path, "expected an object of translations (locale -> text), got " + Describe(v));
    }
    for (const auto& [locale, text] : v.items()) {
      std::string text_path = Child(path, locale);
      if (std::find(locales_.begin(), locales_.end(), locale) == locales_.end()) {
        return Fail(text_path, "locale " + Quote(locale) + " is not declared in /locales (" +
                                   Join(locales_) + ")");
      }
      if (!text.is_string()) return Fail(text_path, "expected text, got " + Describe(text));
      const auto& s = text.get_ref<const std::string&>();
      if (s.empty()) return Fail(text_path, "translation is empty");
      if (Utf8Length(s).value_or(0) > kMaxLabelLength) {
        return Fail(text_path,
                    "text is longer than " + std::to_string(kMaxLabelLength) + " characters");
      }
      out.emplace(locale, s);
    }
    for (const std::string& locale : locales_) {
      if (out.find(locale) == out.end()) {
        return Fail(Child(path, locale), "missing the " + Quote(locale) +
                                             " translation (every locale in /locales needs one)");
      }
    }
    return Status::Ok();
  }

  Status ParseHeader(const json& root, SurveyDefinition& def) {
    const json* v = nullptr;
    FEEDBACK_RETURN_IF_ERROR(Require(root, "", "id", v));
    FEEDBACK_RETURN_IF_ERROR(GetId(*v, "/id", /*allow_dash=*/true, def.id));

    FEEDBACK_RETURN_IF_ERROR(Require(root, "", "version", v));
    FEEDBACK_RETURN_IF_ERROR(
        GetInt(*v, "/version", 1, kMaxSurveyVersion, "a positive integer", def.version));

    FEEDBACK_RETURN_IF_ERROR(Require(root, "", "channel", v));
    Result<Channel> channel = v->is_string() ? ParseChannel(v->get_ref<const std::string&>())
                                             : Result<Channel>(Status::InvalidArgument(""));
    if (!channel.ok()) {
      return Fail("/channel", "expected \"kiosk\" or \"call\", got " + Describe(*v));
    }
    def.channel = *channel;

    FEEDBACK_RETURN_IF_ERROR(Require(root, "", "locales", v));
    if (!v->is_array() || v->empty()) {
      return Fail(
          "/locales",
          "expected a non-empty array of locales (the first is the default), got " + Describe(*v));
    }
    if (v->size() > kMaxLocales) {
      return Fail("/locales", std::to_string(v->size()) + " locales; at most " +
                                  std::to_string(kMaxLocales) + " are allowed");
    }
    for (size_t i = 0; i < v->size(); ++i) {
      const json& locale = (*v)[i];
      std::string path = Child("/locales", i);
      if (!locale.is_string() || !IsValidLocale(locale.get_ref<const std::string&>())) {
        return Fail(path, "expected a locale such as \"en\" or \"es-MX\", got " + Describe(locale));
      }
      const auto& s = locale.get_ref<const std::string&>();
      if (std::find(locales_.begin(), locales_.end(), s) != locales_.end()) {
        return Fail(path, "locale " + Quote(s) + " is listed twice");
      }
      locales_.push_back(s);
    }
    def.locales = locales_;

    FEEDBACK_RETURN_IF_ERROR(Require(root, "", "title", v));
    return GetLocalized(*v, "/title", def.title);
  }

  Status ParseQuestions(const json& root, SurveyDefinition& def) {
    const json* v = nullptr;
    FEEDBACK_RETURN_IF_ERROR(Require(root, "", "questions", v));
    if (!v->is_array() || v->empty()) {
      return Fail("/questions", "expected a non-empty array of questions, got " + Describe(*v));
    }
    if (v->size() > kMaxQuestions) {
      return Status::ResourceExhausted(
          std::string(source_) + ": /questions: " + std::to_string(v->size()) +
          " questions; at most " + std::to_string(kMaxQuestions) + " are allowed");
    }
    for (size_t i = 0; i < v->size(); ++i) {
      Question q;
      FEEDBACK_RETURN_IF_ERROR(ParseQuestion(*v, i, def, q));
      def.questions.push_back(std::move(q));
    }
    return Status::Ok();
  }

  Status ParseQuestion(const json& all, size_t index, const SurveyDefinition& def, Question& q) {
    const json& obj = all[index];
    const std::string path = Child("/questions", index);
    if (!obj.is_object()) return Fail(path, "expected a question object, got " + Describe(obj));

    // The type decides which other keys are allowed, so it is read first.
    const json* v = nullptr;
    FEEDBACK_RETURN_IF_ERROR(Require(obj, path, "type", v));
    Result<QuestionType> type = v->is_string() ? ParseQuestionType(v->get_ref<const std::string&>())
                                               : Result<QuestionType>(Status::InvalidArgument(""));
    if (!type.ok()) {
      std::string got = v->is_string() ? Quote(v->get_ref<const std::string&>()) : Describe(*v);
      return Fail(Child(path, "type"), "unknown question type " + got + " (expected one of " +
                                           std::string(kTypeList) + ")");
    }
    q.type = *type;
    foreign_context_ = "a " + std::string(QuestionTypeName(q.type)) + " question";
    Status keys = CheckKeys(obj, path, kCommonQuestionKeys, TypeSpecificKeys(q.type), "a question");
    foreign_context_.clear();
    FEEDBACK_RETURN_IF_ERROR(keys);

    FEEDBACK_RETURN_IF_ERROR(Require(obj, path, "id", v));
    FEEDBACK_RETURN_IF_ERROR(GetId(*v, Child(path, "id"), /*allow_dash=*/false, q.id));
    if (std::optional<size_t> first = def.IndexOf(q.id)) {
      return Fail(Child(path, "id"), "duplicate question id " + Quote(q.id) + " (already used at " +
                                         Child("/questions", *first) + ")");
    }
    if (q.type == QuestionType::kHero || q.type == QuestionType::kContact) {
      const Question* other =
          q.type == QuestionType::kHero ? def.HeroQuestion() : def.ContactQuestion();
      if (other != nullptr) {
        return Fail(Child(path, "type"),
                    "a survey can have only one " + std::string(QuestionTypeName(q.type)) +
                        " question (a record holds one); " + Quote(other->id) + " is one already");
      }
    }

    if ((v = Member(obj, "required"))) {
      FEEDBACK_RETURN_IF_ERROR(GetBool(*v, Child(path, "required"), q.required));
    }
    FEEDBACK_RETURN_IF_ERROR(Require(obj, path, "prompt", v));
    FEEDBACK_RETURN_IF_ERROR(GetLocalized(*v, Child(path, "prompt"), q.prompt));

    switch (q.type) {
      case QuestionType::kNps:
      case QuestionType::kCsat:
      case QuestionType::kCes:
      case QuestionType::kRating:
        if ((v = Member(obj, "driver"))) {
          FEEDBACK_RETURN_IF_ERROR(GetBool(*v, Child(path, "driver"), q.driver));
        }
        if ((v = Member(obj, "low_label"))) {
          FEEDBACK_RETURN_IF_ERROR(GetLocalized(*v, Child(path, "low_label"), q.low_label));
        }
        if ((v = Member(obj, "high_label"))) {
          FEEDBACK_RETURN_IF_ERROR(GetLocalized(*v, Child(path, "high_label"), q.high_label));
        }
        break;
      case QuestionType::kChoice:
      case QuestionType::kMulti:
        FEEDBACK_RETURN_IF_ERROR(ParseOptions(obj, path, q));
        break;
      case QuestionType::kText:
      case QuestionType::kHero:
        q.max_length = kDefaultTextAnswerLength;
        if ((v = Member(obj, "max_length"))) {
          FEEDBACK_RETURN_IF_ERROR(GetInt(*v, Child(path, "max_length"), 1, kMaxTextAnswerLength,
                                          "a length in characters", q.max_length));
        }
        break;
      case QuestionType::kContact:
        FEEDBACK_RETURN_IF_ERROR(ParseContactFields(obj, path, q));
        break;
    }
    if ((v = Member(obj, "labels"))) {
      FEEDBACK_RETURN_IF_ERROR(ParseLabels(*v, Child(path, "labels"), q));
    }
    if ((v = Member(obj, "show_if"))) {
      FEEDBACK_RETURN_IF_ERROR(ParseShowIf(*v, Child(path, "show_if"), all, index, def, q));
    }
    return Status::Ok();
  }

  Status ParseOptions(const json& obj, const std::string& path, Question& q) const {
    const json* v = nullptr;
    const std::string options_path = Child(path, "options");
    FEEDBACK_RETURN_IF_ERROR(Require(obj, path, "options", v));
    if (!v->is_array())
      return Fail(options_path, "expected an array of options, got " + Describe(*v));
    const size_t min_options = q.type == QuestionType::kChoice ? 2 : 1;
    if (v->size() < min_options) {
      return Fail(options_path, "a " + std::string(QuestionTypeName(q.type)) +
                                    " question needs at least " + std::to_string(min_options) +
                                    (min_options == 1 ? " option" : " options") + ", got " +
                                    std::to_string(v->size()));
    }
    if (v->size() > kMaxOptions) {
      return Fail(options_path, std::to_string(v->size()) + " options; at most " +
                                    std::to_string(kMaxOptions) + " are allowed");
    }
    for (size_t i = 0; i < v->size(); ++i) {
      const json& o = (*v)[i];
      const std::string option_path = Child(options_path, i);
      if (!o.is_object()) return Fail(option_path, "expected an option object, got " + Describe(o));
      FEEDBACK_RETURN_IF_ERROR(CheckKeys(o, option_path, kOptionKeys, {}, "an option"));
      Option option;
      const json* field = nullptr;
      FEEDBACK_RETURN_IF_ERROR(Require(o, option_path, "id", field));
      FEEDBACK_RETURN_IF_ERROR(GetId(*field, Child(option_path, "id"), false, option.id));
      for (size_t j = 0; j < q.options.size(); ++j) {
        if (q.options[j].id == option.id) {
          return Fail(Child(option_path, "id"), "duplicate option id " + Quote(option.id) +
                                                    " (already used at " + Child(options_path, j) +
                                                    ")");
        }
      }
      FEEDBACK_RETURN_IF_ERROR(Require(o, option_path, "label", field));
      FEEDBACK_RETURN_IF_ERROR(GetLocalized(*field, Child(option_path, "label"), option.label));
      q.options.push_back(std::move(option));
    }
    q.max_choices = q.type == QuestionType::kMulti ? static_cast<int>(q.options.size()) : 1;
    if (q.type == QuestionType::kMulti) {
      if (const json* max = Member(obj, "max")) {
        FEEDBACK_RETURN_IF_ERROR(GetInt(*max, Child(path, "max"), 1,
                                        static_cast<int>(q.options.size()),
                                        "the most options one answer may pick", q.max_choices));
      }
    }
    return Status::Ok();
  }

  Status ParseContactFields(const json& obj, const std::string& path, Question& q) const {
    const json* v = Member(obj, "fields");
    if (v == nullptr) {
      q.contact_fields = {true, true, true};
      return Status::Ok();
    }
    const std::string fields_path = Child(path, "fields");
    if (!v->is_array() || v->empty()) {
      return Fail(
          fields_path,
          "expected a non-empty array of \"name\", \"phone\", \"email\", got " + Describe(*v));
    }
    for (size_t i = 0; i < v->size(); ++i) {
      const json& f = (*v)[i];
      const std::string field_path = Child(fields_path, i);
      bool* flag = nullptr;
      if (f.is_string()) {
        const auto& s = f.get_ref<const std::string&>();
        if (s == "name") flag = &q.contact_fields.name;
        if (s == "phone") flag = &q.contact_fields.phone;
        if (s == "email") flag = &q.contact_fields.email;
      }
      if (flag == nullptr) {
        return Fail(field_path, "expected \"name\", \"phone\" or \"email\", got " + Describe(f));
      }
      if (*flag) {
        return Fail(field_path,
                    "field " + Quote(f.get_ref<const std::string&>()) + " is listed twice");
      }
      *flag = true;
    }
    if (!q.contact_fields.phone && !q.contact_fields.email) {
      return Fail(fields_path,
                  "a contact question must ask for \"phone\" or \"email\" - otherwise "
                  "nobody can call the customer back");
    }
    return Status::Ok();
  }

  Status ParseLabels(const json& v, const std::string& path, Question& q) const {
    std::vector<std::string_view> allowed;
    if (q.type == QuestionType::kHero) allowed = {"name", "story"};
    if (q.type == QuestionType::kContact) {
      if (q.contact_fields.name) allowed.push_back("name");
      if (q.contact_fields.phone) allowed.push_back("phone");
      if (q.contact_fields.email) allowed.push_back("email");
    }
    if (!v.is_object()) {
      return Fail(path, "expected an object of field captions, got " + Describe(v));
    }
    for (const auto& [key, text] : v.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        return Fail(Child(path, key), "no field " + Quote(key) +
                                          " to label (this question has: " + Join(names) + ")");
      }
      LocalizedText label;
      FEEDBACK_RETURN_IF_ERROR(GetLocalized(text, Child(path, key), label));
      q.labels.emplace(key, std::move(label));
    }
    return Status::Ok();
  }

  Status ParseShowIf(const json& v, const std::string& path, const json& all, size_t index,
                     const SurveyDefinition& def, Question& q) const {
    if (!v.is_object()) {
      return Fail(path,
                  "expected a condition object such as {\"question\": \"nps\", \"max\": 6}, got " +
                      Describe(v));
    }
    FEEDBACK_RETURN_IF_ERROR(CheckKeys(v, path, kShowIfKeys, {}, "a show_if condition"));
    ShowIf cond;
    const json* field = nullptr;
    FEEDBACK_RETURN_IF_ERROR(Require(v, path, "question", field));
    const std::string question_path = Child(path, "question");
    if (!field->is_string()) {
      return Fail(question_path, "expected a question id, got " + Describe(*field));
    }
    cond.question_id = field->get_ref<const std::string&>();
    const Question* ref = def.Find(cond.question_id);
    if (ref == nullptr) {
      if (cond.question_id == q.id) {
        return Fail(question_path, "a question cannot depend on its own answer");
      }
      for (size_t later = index + 1; later < all.size(); ++later) {
        const json& other = all[later];
        if (other.is_object() && other.value("id", json()) == cond.question_id) {
          return Fail(question_path, "refers to " + Quote(cond.question_id) +
                                         ", which comes later (at " + Child("/questions", later) +
                                         "); a condition can only use an earlier answer");
        }
      }
      return Fail(question_path, "refers to unknown question " + Quote(cond.question_id));
    }

    const json* min = Member(v, "min");
    const json* max = Member(v, "max");
    const json* in = Member(v, "in");
    if (in != nullptr && (min != nullptr || max != nullptr)) {
      return Fail(path, "use either min/max (score questions) or in (choice questions), not both");
    }
    if (in == nullptr && min == nullptr && max == nullptr) {
      return Fail(path,
                  "needs min and/or max (for a score question) or in (for a choice question)");
    }
    const std::string ref_desc =
        std::string(QuestionTypeName(ref->type)) + " question " + Quote(ref->id);
    if (in == nullptr) {
      if (!ref->IsScore()) {
        return Fail(path, "min/max need a score question, but " + ref_desc +
                              " is not one (use \"in\" with option ids)");
      }
      ScaleRange scale = ref->Scale();
      const std::string what =
          "a value on the " + DescribeScale(ref->type) + " scale of " + ref_desc;
      int n = 0;
      if (min != nullptr) {
        FEEDBACK_RETURN_IF_ERROR(GetInt(*min, Child(path, "min"), scale.min, scale.max, what, n));
        cond.min = n;
      }
      if (max != nullptr) {
        FEEDBACK_RETURN_IF_ERROR(GetInt(*max, Child(path, "max"), scale.min, scale.max, what, n));
        cond.max = n;
      }
      if (cond.min && cond.max && *cond.min > *cond.max) {
        return Fail(path, "min " + std::to_string(*cond.min) + " is greater than max " +
                              std::to_string(*cond.max) + "; the question could never be shown");
      }
    } else {
      if (ref->type != QuestionType::kChoice && ref->type != QuestionType::kMulti) {
        return Fail(path, "\"in\" needs a choice or multi question, but " + ref_desc +
                              " is not one" + (ref->IsScore() ? " (use min/max)" : ""));
      }
      const std::string in_path = Child(path, "in");
      if (!in->is_array() || in->empty()) {
        return Fail(in_path, "expected a non-empty array of option ids, got " + Describe(*in));
      }
      if (in->size() > kMaxOptions) {
        return Fail(in_path, "more option ids than any question can have");
      }
      for (size_t i = 0; i < in->size(); ++i) {
        const json& id = (*in)[i];
        const std::string id_path = Child(in_path, i);
        if (!id.is_string()) return Fail(id_path, "expected an option id, got " + Describe(id));
        const auto& s = id.get_ref<const std::string&>();
        if (ref->FindOption(s) == nullptr) {
          return Fail(id_path, ref_desc + " has no option " + Quote(s));
        }
        if (std::find(cond.in.begin(), cond.in.end(), s) != cond.in.end()) {
          return Fail(id_path, "option " + Quote(s) + " is listed twice");
        }
        cond.in.push_back(s);
      }
    }
    q.show_if = std::move(cond);
    return Status::Ok();
  }

  // "attract_first_question": true puts the first question on the kiosk's attract
  // screen, so the first tap is already an answer; it must be a score question that
  // is always asked.
  Status ParseAttractFirstQuestion(const json& root, SurveyDefinition& def) const {
    const json* v = Member(root, "attract_first_question");
    if (v == nullptr) return Status::Ok();
    if (!v->is_boolean()) {
      return Fail("/attract_first_question", "expected true or false, got " + Describe(*v));
    }
    def.attract_first_question = v->get<bool>();
    if (!def.attract_first_question || def.questions.empty()) return Status::Ok();
    const Question& first = def.questions.front();
    if (!first.IsScore() || first.show_if) {
      return Fail("/attract_first_question",
                  "the first question " + Quote(first.id) +
                      " must be a score question (nps, csat, ces or rating) without show_if "
                      "to be asked on the attract screen");
    }
    return Status::Ok();
  }

  Status ParseOutcome(const json& root, SurveyDefinition& def) const {
    const json* v = Member(root, "outcome");
    if (v == nullptr) {
      if (!def.Drivers().empty()) {
        return Fail("/outcome",
                    "required key is missing: the survey has driver questions, so "
                    "key-driver analysis needs an outcome score question");
      }
      return Status::Ok();
    }
    if (!v->is_string()) return Fail("/outcome", "expected a question id, got " + Describe(*v));
    const auto& id = v->get_ref<const std::string&>();
    const Question* q = def.Find(id);
    if (q == nullptr) return Fail("/outcome", "refers to unknown question " + Quote(id));
    if (!q->IsScore()) {
      return Fail("/outcome", Quote(id) + " is a " + std::string(QuestionTypeName(q->type)) +
                                  " question; the outcome must be a score question (nps, csat, "
                                  "ces or rating)");
    }
    if (q->driver) {
      return Fail("/outcome", Quote(id) +
                                  " is flagged as a driver; the outcome cannot also be "
                                  "one of its own drivers");
    }
    def.outcome = id;
    return Status::Ok();
  }

  std::string_view source_;
  std::vector<std::string> locales_;
  std::string foreign_context_;  // set while checking a question's keys
};

bool IsAnswered(const Question& q, const FeedbackRecord& record) {
  switch (q.type) {
    case QuestionType::kHero:
      return record.hero.has_value();
    case QuestionType::kContact:
      return record.contact.has_value();
    default:
      break;
  }
  const Answer* a = record.FindAnswer(q.id);
  if (a == nullptr) return false;
  if (q.IsScore()) return a->number.has_value();
  if (q.type == QuestionType::kText) return !a->text.empty();
  return !a->choices.empty();
}

std::string DescribeCondition(const ShowIf& cond) {
  std::string out = "shown only when " + Quote(cond.question_id);
  if (!cond.in.empty()) return out + " is one of " + Join(cond.in);
  if (cond.min && cond.max) {
    return out + " is " + std::to_string(*cond.min) + "-" + std::to_string(*cond.max);
  }
  if (cond.min) return out + " is at least " + std::to_string(*cond.min);
  return out + " is at most " + std::to_string(cond.max.value_or(0));
}

// Checks one sensitive string field of a hero or contact entry.
Status CheckField(std::string_view text, size_t max_length, std::string_view what) {
  std::optional<size_t> length = Utf8Length(text);
  if (!length) return Status::InvalidArgument(std::string(what) + " is not valid UTF-8");
  if (*length > max_length) {
    return Status::InvalidArgument(std::string(what) + " is " + std::to_string(*length) +
                                   " characters; at most " + std::to_string(max_length) +
                                   " are allowed");
  }
  return Status::Ok();
}

Status ValidateHero(const Question& q, const Hero& hero) {
  if (hero.staff_id.empty() && hero.name.empty()) {
    return Status::InvalidArgument(
        "the hero nomination names nobody (staff_id and name are empty)");
  }
  FEEDBACK_RETURN_IF_ERROR(CheckField(hero.staff_id, kMaxIdLength, "the hero's staff_id"));
  FEEDBACK_RETURN_IF_ERROR(CheckField(hero.name, kMaxHeroNameLength, "the hero's name"));
  return CheckField(hero.story, static_cast<size_t>(q.max_length), "the hero story");
}

Status ValidateContact(const Question& q, const Contact& contact) {
  struct Field {
    const std::string& value;
    bool asked;
    size_t max_length;
    std::string_view what;
  };
  const Field fields[] = {
      {contact.name, q.contact_fields.name, kMaxContactNameLength, "the contact name"},
      {contact.phone, q.contact_fields.phone, kMaxContactPhoneLength, "the contact phone number"},
      {contact.email, q.contact_fields.email, kMaxContactEmailLength, "the contact e-mail address"},
  };
  for (const Field& f : fields) {
    if (!f.value.empty() && !f.asked) {
      return Status::InvalidArgument("has " + std::string(f.what) +
                                     ", but the question does not ask for it");
    }
    FEEDBACK_RETURN_IF_ERROR(CheckField(f.value, f.max_length, f.what));
  }
  if (contact.phone.empty() && contact.email.empty()) {
    return Status::InvalidArgument(
        "the contact has neither a phone number nor an e-mail address to call back on");
  }
  return Status::Ok();
}

}  // namespace

std::string_view QuestionTypeName(QuestionType type) {
  for (const TypeName& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "unknown";
}

Result<QuestionType> ParseQuestionType(std::string_view name) {
  for (const TypeName& t : kTypeNames) {
    if (t.name == name) return t.type;
  }
  return Status::InvalidArgument("unknown question type " + Quote(name) + " (expected one of " +
                                 std::string(kTypeList) + ")");
}

bool IsScoreType(QuestionType type) {
  return type == QuestionType::kNps || type == QuestionType::kCsat || type == QuestionType::kCes ||
         type == QuestionType::kRating;
}

ScaleRange ScaleOf(QuestionType type) {
  switch (type) {
    case QuestionType::kNps:
      return {0, 10};
    case QuestionType::kCsat:
      return {1, 5};
    case QuestionType::kCes:
      return {1, 7};
    case QuestionType::kRating:
      return {1, 5};
    default:
      return {0, 0};
  }
}

const Option* Question::FindOption(std::string_view option_id) const {
  for (const Option& o : options) {
    if (o.id == option_id) return &o;
  }
  return nullptr;
}

const Question* SurveyDefinition::Find(std::string_view question_id) const {
  std::optional<size_t> i = IndexOf(question_id);
  return i ? &questions[*i] : nullptr;
}

std::optional<size_t> SurveyDefinition::IndexOf(std::string_view question_id) const {
  for (size_t i = 0; i < questions.size(); ++i) {
    if (questions[i].id == question_id) return i;
  }
  return std::nullopt;
}

const Question* SurveyDefinition::Outcome() const {
  return outcome.empty() ? nullptr : Find(outcome);
}

std::vector<const Question*> SurveyDefinition::Drivers() const {
  std::vector<const Question*> out;
  for (const Question& q : questions) {
    if (q.driver) out.push_back(&q);
  }
  return out;
}

const Question* SurveyDefinition::HeroQuestion() const {
  for (const Question& q : questions) {
    if (q.type == QuestionType::kHero) return &q;
  }
  return nullptr;
}

const Question* SurveyDefinition::ContactQuestion() const {
  for (const Question& q : questions) {
    if (q.type == QuestionType::kContact) return &q;
  }
  return nullptr;
}

const std::string& SurveyDefinition::DefaultLocale() const {
  static const std::string kNone;
  return locales.empty() ? kNone : locales.front();
}

const std::string& SurveyDefinition::ResolveLocale(std::string_view requested) const {
  for (const std::string& l : locales) {
    if (l == requested) return l;
  }
  for (const std::string& l : locales) {
    if (Language(l) == Language(requested)) return l;
  }
  return DefaultLocale();
}

std::string_view SurveyDefinition::Text(const LocalizedText& text, std::string_view locale) const {
  if (auto it = text.find(locale); it != text.end()) return it->second;
  if (auto it = text.find(ResolveLocale(locale)); it != text.end()) return it->second;
  if (auto it = text.find(DefaultLocale()); it != text.end()) return it->second;
  return text.empty() ? std::string_view() : std::string_view(text.begin()->second);
}

Result<SurveyDefinition> ParseSurveyDefinition(std::string_view json_text,
                                               std::string_view source_name) {
  const std::string source(source_name);
  if (json_text.size() > kMaxSurveyFileBytes) {
    return Status::ResourceExhausted(source + ": file is " + std::to_string(json_text.size()) +
                                     " bytes; a survey definition may be at most " +
                                     std::to_string(kMaxSurveyFileBytes) + " bytes (256 KiB)");
  }
  StructureChecker checker;
  json root;
  // nlohmann reports syntax errors only as exceptions (with the position);
  // they are caught here so nothing escapes the library.
  try {
    root = json::parse(
        json_text.begin(), json_text.end(),
        [&checker](int depth, json::parse_event_t event, json& parsed) {
          return checker.OnEvent(depth, event, parsed);
        },
        /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (size_t bracket = what.find("] "); bracket != std::string::npos) what.erase(0, bracket + 2);
    constexpr std::string_view kPrefix = "parse error at ";
    if (what.rfind(kPrefix, 0) == 0) what.erase(0, kPrefix.size());
    // what is now "line L, column C: <reason>"; add the byte offset for tools.
    if (size_t colon = what.find(": "); colon != std::string::npos && what.rfind("line ", 0) == 0) {
      what.insert(colon, " (byte " + std::to_string(e.byte) + ")");
      what = "invalid JSON at " + what;
    } else {
      what = "invalid JSON at byte " + std::to_string(e.byte) + ": " + what;
    }
    return Status::InvalidArgument(SanitizeUtf8(source + ": " + what));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(SanitizeUtf8(source + ": cannot parse the JSON: " + e.what()));
  }
  if (checker.failed()) {
    return Status::InvalidArgument(source + ": " + checker.path() + ": " + checker.problem());
  }
  try {
    return DefinitionParser(source).Parse(root);
  } catch (const std::exception& e) {
    // Every access above is type-checked first; this is a guard, not a path.
    return Status::Internal(source + ": unexpected error while validating: " + e.what());
  }
}

Result<SurveyDefinition> LoadSurveyDefinition(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Status::NotFound(name + ": survey definition file does not exist");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Status::InvalidArgument(name + ": not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(name + ": cannot open the survey definition for reading");
  // Read one byte past the limit so an oversized file is reported as such
  // without reading all of it.
  std::string text(kMaxSurveyFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Status::IoError(name + ": read failed");
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxSurveyFileBytes) {
    return Status::ResourceExhausted(name + ": file is larger than " +
                                     std::to_string(kMaxSurveyFileBytes) +
                                     " bytes; a survey definition may be at most 256 KiB");
  }
  return ParseSurveyDefinition(text, name);
}

bool IsVisible(const Question& question, std::span<const Answer> answers_so_far) {
  if (!question.show_if) return true;
  const ShowIf& cond = *question.show_if;
  for (const Answer& a : answers_so_far) {
    if (a.question_id != cond.question_id) continue;
    if (!cond.in.empty()) {
      return std::any_of(a.choices.begin(), a.choices.end(), [&](const std::string& c) {
        return std::find(cond.in.begin(), cond.in.end(), c) != cond.in.end();
      });
    }
    if (!a.number) return false;
    return (!cond.min || *a.number >= *cond.min) && (!cond.max || *a.number <= *cond.max);
  }
  return false;  // the question it depends on was not answered
}

void DropHiddenAnswers(const SurveyDefinition& def, FeedbackRecord& record) {
  // show_if only looks at earlier questions, so one pass in survey order sees
  // every condition's input already pruned.
  for (const Question& q : def.questions) {
    if (IsVisible(q, record.answers)) continue;
    std::erase_if(record.answers, [&](const Answer& a) { return a.question_id == q.id; });
    if (q.type == QuestionType::kHero) record.hero.reset();
    if (q.type == QuestionType::kContact) record.contact.reset();
  }
}

Status ValidateAnswer(const Question& q, const Answer& a) {
  // Message parts are built only on failure: ingest validates every answer.
  auto type = [&] { return std::string(QuestionTypeName(q.type)); };
  auto fail = [&](const std::string& problem) {
    return Status::InvalidArgument("question " + Quote(q.id) + ": " + problem);
  };
  if (a.question_id != q.id) return fail("the answer is for " + Quote(a.question_id));

  switch (q.type) {
    case QuestionType::kNps:
    case QuestionType::kCsat:
    case QuestionType::kCes:
    case QuestionType::kRating: {
      if (!a.number) return fail("a " + type() + " answer needs a number");
      if (!a.choices.empty() || !a.text.empty()) {
        return fail("a " + type() + " answer carries only a number");
      }
      ScaleRange scale = q.Scale();
      if (*a.number < scale.min || *a.number > scale.max) {
        return fail(std::to_string(*a.number) + " is out of range for a " + type() + " question (" +
                    DescribeScale(q.type) + ")");
      }
      return Status::Ok();
    }
    case QuestionType::kChoice:
    case QuestionType::kMulti: {
      if (a.number || !a.text.empty()) {
        return fail("a " + type() + " answer carries only option ids");
      }
      if (q.type == QuestionType::kChoice && a.choices.size() != 1) {
        return fail("a choice answer picks exactly one option, got " +
                    std::to_string(a.choices.size()));
      }
      if (a.choices.empty()) return fail("a multi answer picks at least one option, got none");
      if (a.choices.size() > static_cast<size_t>(q.max_choices)) {
        return fail(std::to_string(a.choices.size()) + " options picked; at most " +
                    std::to_string(q.max_choices) + " are allowed");
      }
      for (size_t i = 0; i < a.choices.size(); ++i) {
        if (q.FindOption(a.choices[i]) == nullptr) {
          std::vector<std::string> ids;
          for (const Option& o : q.options) ids.push_back(o.id);
          return fail("no option " + Quote(a.choices[i]) + " (expected one of " + Join(ids) + ")");
        }
        if (std::find(a.choices.begin(), a.choices.begin() + static_cast<std::ptrdiff_t>(i),
                      a.choices[i]) != a.choices.begin() + static_cast<std::ptrdiff_t>(i)) {
          return fail("option " + Quote(a.choices[i]) + " is picked twice");
        }
      }
      return Status::Ok();
    }
    case QuestionType::kText: {
      if (a.number || !a.choices.empty()) return fail("a text answer carries only text");
      Status s = CheckField(a.text, static_cast<size_t>(q.max_length), "the text");
      return s.ok() ? s : fail(s.message());
    }
    case QuestionType::kHero:
    case QuestionType::kContact:
      return fail("a " + type() + " question is answered in the record's " + type() +
                  " field, not in answers");
  }
  return fail("unknown question type");
}

Status ValidateRecord(const SurveyDefinition& def, const FeedbackRecord& record) {
  // Built only on failure: ingest validates every record.
  auto prefix = [&] { return "record " + Printable(record.id) + ": "; };
  auto fail = [&](const std::string& problem) {
    return Status::InvalidArgument(prefix() + problem);
  };
  auto fail_question = [&](const Question& q, const std::string& problem) {
    return Status::InvalidArgument(prefix() + "question " + Quote(q.id) + ": " + problem);
  };

  if (record.survey_id != def.id) {
    return fail("survey " + Quote(record.survey_id) + " does not match the definition " +
                Quote(def.id));
  }
  if (record.survey_version != def.version) {
    return Status::VersionMismatch(prefix() + "captured with version " +
                                   std::to_string(record.survey_version) + " of survey " +
                                   Quote(def.id) + ", but this definition is version " +
                                   std::to_string(def.version));
  }
  if (record.channel != def.channel) {
    return fail("channel \"" + std::string(ChannelName(record.channel)) +
                "\" does not match the survey's channel \"" +
                std::string(ChannelName(def.channel)) + "\"");
  }
  if (std::find(def.locales.begin(), def.locales.end(), record.locale) == def.locales.end()) {
    return fail("locale " + Quote(record.locale) + " is not one of the survey's locales (" +
                Join(def.locales) + ")");
  }

  for (auto it = record.answers.begin(); it != record.answers.end(); ++it) {
    const Answer& a = *it;
    const Question* q = def.Find(a.question_id);
    if (q == nullptr) {
      return fail("question " + Quote(a.question_id) + ": not in survey " + Quote(def.id) +
                  " version " + std::to_string(def.version));
    }
    // Every earlier answer is for a distinct known question, so this scan is
    // at most kMaxQuestions long.
    if (std::any_of(record.answers.begin(), it,
                    [&](const Answer& earlier) { return earlier.question_id == a.question_id; })) {
      return fail_question(*q, "answered more than once");
    }
    if (Status s = ValidateAnswer(*q, a); !s.ok())
      return Status::InvalidArgument(prefix() + s.message());
    if (!IsVisible(*q, record.answers)) {
      return fail_question(
          *q, "answered, but the question was hidden (" + DescribeCondition(*q->show_if) + ")");
    }
  }

  if (record.hero) {
    const Question* q = def.HeroQuestion();
    if (q == nullptr) {
      return fail("has a hero nomination, but survey " + Quote(def.id) + " has no hero question");
    }
    if (!IsVisible(*q, record.answers)) {
      return fail_question(
          *q, "answered, but the question was hidden (" + DescribeCondition(*q->show_if) + ")");
    }
    if (Status s = ValidateHero(*q, *record.hero); !s.ok()) return fail_question(*q, s.message());
  }
  if (record.contact) {
    const Question* q = def.ContactQuestion();
    if (q == nullptr) {
      return fail("has contact details, but survey " + Quote(def.id) + " has no contact question");
    }
    if (!IsVisible(*q, record.answers)) {
      return fail_question(
          *q, "answered, but the question was hidden (" + DescribeCondition(*q->show_if) + ")");
    }
    if (Status s = ValidateContact(*q, *record.contact); !s.ok()) {
      return fail_question(*q, s.message());
    }
  }

  // An abandoned record is whatever the customer answered before walking away.
  if (record.status == RecordStatus::kComplete) {
    for (const Question& q : def.questions) {
      if (q.required && IsVisible(q, record.answers) && !IsAnswered(q, record)) {
        return fail_question(q, "required but not answered");
      }
    }
  }
  return Status::Ok();
}

std::optional<size_t> Utf8Length(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    auto b = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    uint32_t cp = 0;
    if (b < 0x80) {
      cp = b;
    } else if (b >= 0xC2 && b <= 0xDF) {
      extra = 1;
      cp = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
      extra = 2;
      cp = b & 0x0Fu;
    } else if (b >= 0xF0 && b <= 0xF4) {
      extra = 3;
      cp = b & 0x07u;
    } else {
      return std::nullopt;
    }
    if (extra > text.size() - i - 1) return std::nullopt;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0u) != 0x80u) return std::nullopt;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    i += extra + 1;
    ++count;
  }
  return count;
}

}  // namespace feedback
