// The typical records the sync benchmarks and the fleet soak send:
// TypicalKioskRecord is NPS + 5 driver ratings (random, from rng) + a short
// comment, so every record carries sealed fields; TypicalCallRecord is the
// agent desktop's call log (call_log.json: reference, greeting, resolution,
// effort) for one rep. `now` is the device's clock (the soak skews it).
#pragma once

#include <random>
#include <string>

#include "core/clock.h"
#include "core/uuid.h"
#include "model/record.h"

namespace feedback::bench {

inline FeedbackRecord TypicalKioskRecord(UuidGenerator& ids, std::mt19937& rng,
                                         const std::string& device_id,
                                         const std::string& site_id,
                                         TimeMs now = SystemClock::Instance().NowMs()) {
  FeedbackRecord r;
  r.id = ids.NextV7().ToString();
  r.survey_id = "retail_kiosk";
  r.survey_version = 1;
  r.device_id = device_id;
  r.site_id = site_id;
  r.channel = Channel::kKiosk;
  r.submitted_at = now;
  r.started_at = r.submitted_at - 18'000;
  r.locale = "en";
  r.answers.push_back({"nps", static_cast<int>(rng() % 11), {}, {}});
  for (const char* q : {"greeting", "speed", "cleanliness", "availability", "knowledge"}) {
    r.answers.push_back({q, 1 + static_cast<int>(rng() % 5), {}, {}});
  }
  r.answers.push_back({"comment", std::nullopt, {}, "Friendly staff, quick checkout"});
  return r;
}

inline FeedbackRecord TypicalCallRecord(UuidGenerator& ids, std::mt19937& rng,
                                        const std::string& device_id, const std::string& site_id,
                                        const std::string& staff_id,
                                        TimeMs now = SystemClock::Instance().NowMs()) {
  static const char* const kResolutions[] = {"resolved", "partly_resolved", "not_resolved",
                                             "escalated"};
  FeedbackRecord r;
  r.id = ids.NextV7().ToString();
  r.survey_id = "call_log";
  r.survey_version = 1;
  r.device_id = device_id;
  r.site_id = site_id;
  r.channel = Channel::kCall;
  r.staff_id = staff_id;
  r.submitted_at = now;
  r.started_at = r.submitted_at - 8'000;
  r.locale = "en";
  r.answers.push_back({"call_ref", std::nullopt, {}, "C-" + std::to_string(rng() % 1'000'000)});
  r.answers.push_back({"greeting", 1 + static_cast<int>(rng() % 5), {}, {}});
  r.answers.push_back({"resolution", std::nullopt, {kResolutions[rng() % 4]}, {}});
  r.answers.push_back({"effort", 1 + static_cast<int>(rng() % 7), {}, {}});
  return r;
}

}  // namespace feedback::bench
