// Fuzz target for survey definitions, which devices pull from the central
// store over the network: feeds arbitrary bytes to the loader and, when they
// load, drives the app-facing helpers and ValidateRecord with a record whose
// answers are derived from the same bytes. Must never crash, hang or leak; a
// loaded definition must satisfy the invariants the apps rely on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/survey.h"

namespace {

// Stops the fuzzer on a broken invariant (abort works under both libFuzzer
// and the replay driver).
void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  feedback::Result<feedback::SurveyDefinition> loaded =
      feedback::ParseSurveyDefinition(text, "fuzz.json");
  if (!loaded.ok()) {
    Check(!loaded.status().message().empty());
    return 0;
  }
  const feedback::SurveyDefinition& def = *loaded;
  Check(!def.locales.empty() && !def.questions.empty() && def.version > 0);

  // A record answering every question with values taken from the input, so
  // both in-range and out-of-range answers reach the validator.
  feedback::FeedbackRecord record;
  record.id = "fuzz";
  record.survey_id = def.id;
  record.survey_version = def.version;
  record.channel = def.channel;
  record.locale = def.DefaultLocale();
  size_t cursor = 0;
  auto next_byte = [&]() -> uint8_t { return size == 0 ? 0 : data[cursor++ % size]; };
  for (const feedback::Question& q : def.questions) {
    Check(def.Find(q.id) == &q);
    Check(!def.Text(q.prompt, def.DefaultLocale()).empty());
    Check(!def.Text(q.prompt, "xx-YY").empty());
    if (!feedback::IsVisible(q, record.answers)) continue;
    feedback::Answer answer;
    answer.question_id = q.id;
    if (q.IsScore()) {
      answer.number = static_cast<int>(next_byte() % 13) - 1;
    } else if (q.type == feedback::QuestionType::kChoice ||
               q.type == feedback::QuestionType::kMulti) {
      Check(!q.options.empty());
      answer.choices.push_back(q.options[next_byte() % q.options.size()].id);
      if (next_byte() % 2 == 0) answer.choices.push_back(q.options.front().id);
    } else if (q.type == feedback::QuestionType::kText) {
      answer.text.assign(static_cast<size_t>(next_byte()) * 8, 'x');
    } else if (q.type == feedback::QuestionType::kHero) {
      record.hero = feedback::Hero{"", "Ana", std::string(next_byte(), 'y')};
      continue;
    } else {
      record.contact = feedback::Contact{"", "555-0100", ""};
      continue;
    }
    record.answers.push_back(std::move(answer));
  }
  record.status =
      next_byte() % 2 == 0 ? feedback::RecordStatus::kComplete : feedback::RecordStatus::kAbandoned;
  feedback::Status s = feedback::ValidateRecord(def, record);
  Check(s.ok() || s.message().rfind("record fuzz: ", 0) == 0);
  return 0;
}
