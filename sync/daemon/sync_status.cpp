#include "daemon/sync_status.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace feedback::sync {
namespace {

std::string Ago(TimeMs then, TimeMs now) {
  const TimeMs s = (now - then) / 1000;
  if (s < 120) return std::to_string(s) + " s ago";
  if (s < 7200) return std::to_string(s / 60) + " min ago";
  return std::to_string(s / 3600) + " h ago";
}

}  // namespace

Result<SyncStatus> ReadSyncStatus(CaptureStore& store, TimeMs now, TimeMs max_staleness_ms) {
  SyncStatus out;
  FEEDBACK_ASSIGN_OR_RETURN(OutboxCounts counts, store.Counts());
  out.pending = counts.pending;
  out.in_flight = counts.in_batch;
  out.acknowledged = counts.acknowledged;
  out.oldest_pending = counts.oldest_pending_submitted_at;
  if (Result<std::string> s = store.GetSetting(kSettingSyncLastSuccess); s.ok()) {
    TimeMs t = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), t);
    if (ec == std::errc()) out.last_success = t;
  } else if (s.status().code() != Status::Code::kNotFound) {
    return s.status();
  }
  if (Result<std::string> e = store.GetSetting(kSettingSyncLastError); e.ok()) {
    out.last_error = *e;
  } else if (e.status().code() != Status::Code::kNotFound) {
    return e.status();
  }

  if (!out.last_error.empty()) {
    out.healthy = false;
    out.reason = "the last sync attempt failed";
  } else if (out.backlog() > 0) {
    // Records wait; that is fine only while syncs keep succeeding.
    const TimeMs since = out.last_success ? *out.last_success : out.oldest_pending.value_or(now);
    if (now - since > max_staleness_ms) {
      out.healthy = false;
      out.reason = out.last_success
                       ? "records are waiting and the last successful sync is older than " +
                             std::to_string(max_staleness_ms / 1000) + " s"
                       : "records are waiting and this device has never synced";
    }
  }
  return out;
}

std::string FormatSyncStatus(const SyncStatus& s, TimeMs now) {
  std::string out;
  out += "backlog:       " + std::to_string(s.backlog()) + " records (" +
         std::to_string(s.pending) + " pending, " + std::to_string(s.in_flight) + " in flight)\n";
  out += "synced:        " + std::to_string(s.acknowledged) +
         " records acknowledged by the central store\n";
  if (s.oldest_pending) {
    out += "oldest record: " + FormatIso8601(*s.oldest_pending) + " (" +
           Ago(*s.oldest_pending, now) + ")\n";
  }
  out += "last success:  " +
         (s.last_success ? FormatIso8601(*s.last_success) + " (" + Ago(*s.last_success, now) + ")"
                         : std::string("never")) +
         "\n";
  out += "last error:    " + (s.last_error.empty() ? std::string("none") : s.last_error) + "\n";
  out += "health:        " + (s.healthy ? std::string("OK") : "UNHEALTHY - " + s.reason) + "\n";
  return out;
}

std::string SyncStatusJson(const SyncStatus& s) {
  nlohmann::json j = {
      {"backlog", s.backlog()},
      {"pending", s.pending},
      {"in_flight", s.in_flight},
      {"acknowledged", s.acknowledged},
      {"oldest_pending_ms", s.oldest_pending ? nlohmann::json(*s.oldest_pending) : nullptr},
      {"last_success_ms", s.last_success ? nlohmann::json(*s.last_success) : nullptr},
      {"last_error", s.last_error},
      {"healthy", s.healthy},
      {"reason", s.reason}};
  return j.dump();
}

}  // namespace feedback::sync
