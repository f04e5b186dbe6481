// The ingest rules that keep a device from lying about who served whom
// (DESIGN.md "Security model"; docs/protocol.md "Integrity rules"): a
// record's staff id must be on its site's roster (an agent desktop's: in its
// team), a record's times must be plausible, a batch's sequence number may
// advance only by a bounded step, and repeated sequence conflicts from one
// device key mark it a possible clone.
//
// Pure functions on plain values (no store, no clock): the Ingestor feeds
// them what it read; the store applies the clone rule under its own lock.
// Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "sync/central/store/device_store.h"
#include "sync/central/store/site_store.h"

namespace feedback::central {

struct IngestRules {
  // A batch's seq may be at most this far above the last accepted one.
  int64_t max_seq_step = 1000;
  // A record may be dated this much before its device's enrollment (device
  // clocks drift; nothing is captured before enrollment).
  TimeMs enrollment_skew_ms = 3'600'000;  // 1 h
  // ... and this much after the central clock.
  TimeMs future_skew_ms = 24 * 3'600'000;  // 24 h
  // clone_conflicts sequence conflicts (409) within clone_window_ms mark the
  // device "possible clone".
  int clone_conflicts = 3;
  TimeMs clone_window_ms = 10 * 60'000;  // 10 min
};

// The error of a batch whose seq jumps more than rules.max_seq_step above
// last_seq (refused with 409, nothing stored), or nullopt when it is within.
std::optional<std::string> SeqStepProblem(int64_t last_seq, int64_t seq, int64_t max_step);

// The quarantine reason when started_at or submitted_at lies before the
// device's enrollment (minus enrollment_skew_ms) or after now plus
// future_skew_ms; nullopt when both are plausible.
std::optional<std::string> RecordTimeProblem(const Device& device, TimeMs started_at,
                                             TimeMs submitted_at, TimeMs now,
                                             const IngestRules& rules);

// The quarantine reason when staff_id may not be credited by this device:
// not on any roster (roster_entry empty), on another site's roster, or - for
// an agent desktop enrolled with a team - in another team. nullopt when
// allowed; an empty staff_id is always allowed (kiosk records name no rep).
std::optional<std::string> StaffProblem(const Device& device, const std::string& staff_id,
                                        const std::optional<StaffRow>& roster_entry);

// "3 sequence conflicts within 10 min": why a device was marked possible clone.
std::string PossibleCloneReason(int conflicts, TimeMs window_ms);

// "1h", "10m", "90s" for a duration that is a whole number of them.
std::string DurationText(TimeMs ms);

}  // namespace feedback::central
