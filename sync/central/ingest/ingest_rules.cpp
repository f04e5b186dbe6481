#include "sync/central/ingest/ingest_rules.h"

namespace feedback::central {
namespace {

// Ids in messages come from devices: keep them short.
std::string Quoted(const std::string& id) { return "'" + id.substr(0, 64) + "'"; }

}  // namespace

std::string DurationText(TimeMs ms) {
  if (ms >= 2 * 86'400'000 && ms % 86'400'000 == 0) return std::to_string(ms / 86'400'000) + "d";
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + " min";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + " ms";
}

std::optional<std::string> SeqStepProblem(int64_t last_seq, int64_t seq, int64_t max_step) {
  // seq > last_seq >= 0 here, so the difference cannot overflow.
  if (seq - last_seq <= max_step) return std::nullopt;
  return "sequence number " + std::to_string(seq) + " jumps more than " +
         std::to_string(max_step) + " above the last accepted " + std::to_string(last_seq) +
         "; nothing was stored: send the batch as " + std::to_string(last_seq + 1);
}

std::optional<std::string> RecordTimeProblem(const Device& device, TimeMs started_at,
                                             TimeMs submitted_at, TimeMs now,
                                             const IngestRules& rules) {
  const TimeMs earliest = device.enrolled_at - rules.enrollment_skew_ms;
  const TimeMs latest = now + rules.future_skew_ms;
  for (const auto& [name, t] : {std::pair<const char*, TimeMs>{"started_at", started_at},
                                {"submitted_at", submitted_at}}) {
    if (t < earliest) {
      return std::string(name) + " " + FormatIso8601(t) + " is before the device was enrolled (" +
             FormatIso8601(device.enrolled_at) + ", " + DurationText(rules.enrollment_skew_ms) +
             " tolerance): check the device's clock";
    }
    if (t > latest) {
      return std::string(name) + " " + FormatIso8601(t) + " is more than " +
             DurationText(rules.future_skew_ms) + " after the central clock (" +
             FormatIso8601(now) + "): check the device's clock";
    }
  }
  return std::nullopt;
}

std::optional<std::string> StaffProblem(const Device& device, const std::string& staff_id,
                                        const std::optional<StaffRow>& roster_entry) {
  if (staff_id.empty()) return std::nullopt;
  const std::string who = "staff_id " + Quoted(staff_id);
  if (!roster_entry) {
    return who + " is on no roster (the device's site is " + Quoted(device.site_id) +
           "): add it with `feedback-central staff import`";
  }
  if (roster_entry->site_id != device.site_id) {
    return who + " is on the roster of site " + Quoted(roster_entry->site_id) +
           ", not of the device's site " + Quoted(device.site_id);
  }
  if (device.kind == "agent" && !device.team.empty() && roster_entry->team != device.team) {
    return who + (roster_entry->team.empty() ? " is in no team"
                                             : " is in team " + Quoted(roster_entry->team)) +
           " at site " + Quoted(device.site_id) + ", not in the agent desktop's team " +
           Quoted(device.team);
  }
  return std::nullopt;
}

std::string PossibleCloneReason(int conflicts, TimeMs window_ms) {
  return std::to_string(conflicts) + " sequence conflicts (409) within " +
         DurationText(window_ms) +
         ": two devices may be using one device key; revoke it and re-enroll the real device, or "
         "clear the mark with `feedback-central clear-clone DEVICE`";
}

}  // namespace feedback::central
