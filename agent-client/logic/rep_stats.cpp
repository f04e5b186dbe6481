#include "logic/rep_stats.h"

#include <cstdio>
#include <ctime>
#include <utility>

#include "logic/agent_strings.h"
#include "metrics/ces.h"
#include "metrics/csat.h"
#include "metrics/estimators.h"
#include "metrics/rating.h"

namespace feedback::agent {
namespace {

constexpr std::string_view kResolvedOption = "resolved";
constexpr TimeMs kStaleBacklogMs = 60LL * 60 * 1000;

std::string ShortCaption(const SurveyDefinition& def, const Question& q, std::string_view locale) {
  static const std::pair<std::string_view, Str> kKnown[] = {
      {"call_ref", Str::kCaptionCallRef},      {"greeting", Str::kCaptionGreeting},
      {"resolution", Str::kCaptionResolution}, {"effort", Str::kCaptionEffort},
      {"notes", Str::kCaptionNotes},
  };
  for (const auto& [id, str] : kKnown) {
    if (q.id == id) return std::string(Tr(locale, str));
  }
  return std::string(def.Text(q.prompt, locale));
}

bool HasResolvedOption(const Question& q) {
  return q.type == QuestionType::kChoice && q.FindOption(kResolvedOption) != nullptr;
}

// Counts for one trend figure over one window.
struct Tally {
  metrics::RatingCounts rating;
  metrics::CesCounts ces;
  int64_t hits = 0;  // resolved / satisfied
  int64_t n = 0;
};

void Count(const Question& q, const Answer& a, Tally& t) {
  if (q.type == QuestionType::kRating && a.number) {
    if (t.rating.Add(*a.number).ok()) ++t.n;
  } else if (q.type == QuestionType::kCes && a.number) {
    if (t.ces.Add(*a.number).ok()) ++t.n;
  } else if (q.type == QuestionType::kCsat && a.number) {
    if (*a.number >= 1 && *a.number <= 5) {
      ++t.n;
      if (*a.number >= metrics::kCsatSatisfiedFrom) ++t.hits;
    }
  } else if (HasResolvedOption(q) && !a.choices.empty()) {
    ++t.n;
    if (a.choices[0] == kResolvedOption) ++t.hits;
  }
}

metrics::MetricValue Figure(const Question& q, const Tally& t, int64_t min_n) {
  switch (q.type) {
    case QuestionType::kRating:
      return metrics::SummarizeRatings(t.rating, min_n).mean;
    case QuestionType::kCes:
      return metrics::ComputeCes(t.ces, min_n).mean;
    default:
      return metrics::PercentWithWilson(t.hits, t.n, min_n);
  }
}

}  // namespace

std::vector<HistoryEntry> MakeHistory(std::span<const FeedbackRecord> records,
                                      const SurveyDefinition& def, std::string_view locale,
                                      size_t limit, std::span<const SessionNote> notes) {
  std::vector<HistoryEntry> out;
  for (const FeedbackRecord& r : records) {
    if (out.size() >= limit) break;
    HistoryEntry e;
    e.record_id = r.id;
    e.submitted_at = r.submitted_at;
    for (const Question& q : def.questions) {
      const Answer* a = r.FindAnswer(q.id);
      if (a == nullptr) continue;
      if (a->number) {
        e.parts.push_back(
            HistoryPart{ShortCaption(def, q, locale),
                        std::to_string(*a->number) + "/" + std::to_string(q.Scale().max), true});
      } else if (!a->choices.empty()) {
        std::string labels;
        for (const std::string& id : a->choices) {
          if (!labels.empty()) labels += ", ";
          const Option* o = q.FindOption(id);
          labels += o != nullptr ? std::string(def.Text(o->label, locale)) : id;
        }
        e.parts.push_back(HistoryPart{ShortCaption(def, q, locale), std::move(labels), false});
      }
    }
    for (const SessionNote& n : notes) {
      if (n.record_id != r.id) continue;
      e.call_ref = n.call_ref;
      e.praised = n.praised;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string HistoryLine(const HistoryEntry& entry) {
  std::string line = entry.call_ref;
  for (const HistoryPart& part : entry.parts) {
    if (!line.empty()) line += "  ·  ";
    line += part.numeric ? part.caption + " " + part.value : part.value;
  }
  return line;
}

RepTrend ComputeRepTrend(std::span<const FeedbackRecord> records, const SurveyDefinition& def,
                         std::string_view locale, TimeMs now, int64_t min_n) {
  RepTrend trend;
  std::vector<const Question*> questions;
  for (const Question& q : def.questions) {
    if (q.type == QuestionType::kRating || q.type == QuestionType::kCes ||
        q.type == QuestionType::kCsat || HasResolvedOption(q)) {
      questions.push_back(&q);
    }
  }
  std::vector<Tally> week(questions.size());
  std::vector<Tally> month(questions.size());
  for (const FeedbackRecord& r : records) {
    if (r.survey_id != def.id || r.status != RecordStatus::kComplete) continue;
    const TimeMs age = now - r.submitted_at;
    if (age < 0 || age >= 30 * kDayMs) continue;
    const bool in_week = age < 7 * kDayMs;
    ++trend.logs30;
    if (in_week) ++trend.logs7;
    for (size_t i = 0; i < questions.size(); ++i) {
      const Answer* a = r.FindAnswer(questions[i]->id);
      if (a == nullptr) continue;
      Count(*questions[i], *a, month[i]);
      if (in_week) Count(*questions[i], *a, week[i]);
    }
  }
  for (size_t i = 0; i < questions.size(); ++i) {
    const Question& q = *questions[i];
    TrendFigure f;
    if (HasResolvedOption(q)) {
      f.caption = std::string(Tr(locale, Str::kCaptionResolved));
    } else {
      f.caption = ShortCaption(def, q, locale);
    }
    const bool mean = q.type == QuestionType::kRating || q.type == QuestionType::kCes;
    f.unit = mean ? FigureUnit::kMean : FigureUnit::kPercent;
    if (mean) {
      const ScaleRange range = q.Scale();
      f.scale = std::to_string(range.min) + "-" + std::to_string(range.max);
    }
    f.last7 = Figure(q, week[i], min_n);
    f.last30 = Figure(q, month[i], min_n);
    trend.figures.push_back(std::move(f));
  }
  return trend;
}

std::string FigureText(const metrics::MetricValue& value, FigureUnit unit,
                       std::string_view locale) {
  if (!value.value()) return std::string(Tr(locale, Str::kNotEnough));
  char buffer[32];
  if (unit == FigureUnit::kPercent) {
    std::snprintf(buffer, sizeof(buffer), "%.0f%%", *value.value());
  } else {
    std::snprintf(buffer, sizeof(buffer), "%.1f", *value.value());
  }
  return buffer;
}

SyncHealth ClassifySync(const SyncStatus& status, TimeMs now) {
  if (!status.last_error.empty()) return SyncHealth::kProblem;
  if (status.backlog > 0 && status.oldest_pending &&
      now - *status.oldest_pending > kStaleBacklogMs) {
    return SyncHealth::kProblem;
  }
  if (status.backlog > 0 || !status.last_success) return SyncHealth::kWaiting;
  return SyncHealth::kHealthy;
}

std::string DescribeAge(TimeMs then, TimeMs now, std::string_view locale) {
  const TimeMs age = now - then;
  if (age < 60'000) return std::string(Tr(locale, Str::kJustNow));
  if (age < 60LL * 60'000) {
    return Subst(Tr(locale, Str::kMinutesAgoFmt), {std::to_string(age / 60'000)});
  }
  if (age < kDayMs) {
    return Subst(Tr(locale, Str::kHoursAgoFmt), {std::to_string(age / (60LL * 60'000))});
  }
  return Subst(Tr(locale, Str::kDaysAgoFmt), {std::to_string(age / kDayMs)});
}

std::string DescribeSync(const SyncStatus& status, TimeMs now, std::string_view locale) {
  std::string text = status.backlog > 0
                         ? Subst(Tr(locale, Str::kBacklogFmt), {std::to_string(status.backlog)})
                         : std::string(Tr(locale, Str::kAllSynced));
  text += "  ·  ";
  if (status.last_success) {
    text += Subst(Tr(locale, Str::kLastSyncFmt), {DescribeAge(*status.last_success, now, locale)});
  } else {
    text += Tr(locale, Str::kNeverSynced);
  }
  return text;
}

std::string FormatClock(TimeMs t, TimeMs now) {
  const std::time_t then_s = static_cast<std::time_t>(t / 1000);
  const std::time_t now_s = static_cast<std::time_t>(now / 1000);
  std::tm then_tm{};
  std::tm now_tm{};
  localtime_r(&then_s, &then_tm);
  localtime_r(&now_s, &now_tm);
  char buffer[32];
  const bool today = then_tm.tm_year == now_tm.tm_year && then_tm.tm_yday == now_tm.tm_yday;
  std::strftime(buffer, sizeof(buffer), today ? "%H:%M" : "%a %H:%M", &then_tm);
  return buffer;
}

}  // namespace feedback::agent
