// The figures beside the form: the rep's last entries, their own trend over the last
// 7 and 30 days, and the device's sync health. Computed from the public parts of stored
// records (scores and choices; texts are sealed and unreadable on the device) with the
// shared metrics library, so every figure carries its n and is "not enough responses"
// below the minimum, exactly as on the manager's dashboard.
//
// Pure functions over values; no I/O, no thread affinity.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "metrics/metric_value.h"
#include "model/record.h"
#include "model/survey.h"
#include "store/capture_store.h"

namespace feedback::agent {

inline constexpr TimeMs kDayMs = 24LL * 60 * 60 * 1000;

// One answer of a logged call, e.g. {"Greeting warmth", "4/5", true} or
// {"Resolution", "Escalated", false}.
struct HistoryPart {
  std::string caption;
  std::string value;     // a score with its scale's top ("4/5"), or the options' labels
  bool numeric = false;  // a score: shown with its caption, since "4" alone says nothing
  bool operator==(const HistoryPart&) const = default;
};

// One of the rep's recent logs, ready to show.
struct HistoryEntry {
  std::string record_id;
  TimeMs submitted_at = 0;
  std::vector<HistoryPart> parts;  // in survey order
  std::string call_ref;            // known only for logs made in this session (memory only)
  bool praised = false;            // likewise
};

// The entry as one line, every number labelled:
// "C-9 · Greeting warmth 4/5 · Escalated · Customer effort 3/7" (a chosen option's label
// names itself; the reference only when known).
std::string HistoryLine(const HistoryEntry& entry);

// What this session remembers of its own captures (the store only has sealed texts).
struct SessionNote {
  std::string record_id;
  std::string call_ref;
  bool praised = false;
};

std::vector<HistoryEntry> MakeHistory(std::span<const FeedbackRecord> records,
                                      const SurveyDefinition& definition, std::string_view locale,
                                      size_t limit, std::span<const SessionNote> notes);

enum class FigureUnit { kMean, kPercent };

struct TrendFigure {
  std::string caption;  // "Greeting warmth", "Resolved", "Customer effort"
  std::string scale;    // "1-5", "1-7" or "" for percentages
  FigureUnit unit = FigureUnit::kMean;
  metrics::MetricValue last7;
  metrics::MetricValue last30;
};

struct RepTrend {
  int64_t logs7 = 0;  // calls logged in the last 7 days
  int64_t logs30 = 0;
  std::vector<TrendFigure> figures;
};

// The trend figures of the definition's questions, over `records` (one rep's, any
// version of the same survey) submitted in the 7 / 30 days up to `now`:
//   rating / ces questions          -> mean score
//   csat question                   -> % satisfied (4-5)
//   choice with a "resolved" option -> % resolved of those answered
// Each figure is suppressed when it rests on fewer than min_n answers.
RepTrend ComputeRepTrend(std::span<const FeedbackRecord> records,
                         const SurveyDefinition& definition, std::string_view locale, TimeMs now,
                         int64_t min_n = metrics::kDefaultMinResponses);

// "4.2", "78%"; or the localised "not enough" when suppressed.
std::string FigureText(const metrics::MetricValue& value, FigureUnit unit, std::string_view locale);

// The sync daemon's view of this device, read from the capture store.
struct SyncStatus {
  int64_t backlog = 0;  // pending + in a batch not yet acknowledged
  std::optional<TimeMs> oldest_pending;
  std::optional<TimeMs> last_success;
  std::string last_error;  // empty when the last attempt worked
};

enum class SyncHealth { kHealthy, kWaiting, kProblem };

// kProblem: the daemon reported an error, or records have waited over an hour.
// kWaiting: records are waiting (normal between sync runs) or it never synced.
SyncHealth ClassifySync(const SyncStatus& status, TimeMs now);

// One line: "3 waiting to sync · last sync 5 min ago".
std::string DescribeSync(const SyncStatus& status, TimeMs now, std::string_view locale);

// "just now", "5 min ago", "3 h ago", "2 days ago".
std::string DescribeAge(TimeMs then, TimeMs now, std::string_view locale);

// "10:32" (local time of day) or "Mon 10:32" when not today.
std::string FormatClock(TimeMs t, TimeMs now);

}  // namespace feedback::agent
