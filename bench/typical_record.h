// The typical kiosk record the sync benchmarks send: NPS + 5 driver ratings
// (random, from rng) + a short comment, so every record carries sealed fields.
#pragma once

#include <random>
#include <string>

#include "core/clock.h"
#include "core/uuid.h"
#include "model/record.h"

namespace feedback::bench {

inline FeedbackRecord TypicalKioskRecord(UuidGenerator& ids, std::mt19937& rng,
                                         const std::string& device_id,
                                         const std::string& site_id) {
  FeedbackRecord r;
  r.id = ids.NextV7().ToString();
  r.survey_id = "retail_kiosk";
  r.survey_version = 1;
  r.device_id = device_id;
  r.site_id = site_id;
  r.channel = Channel::kKiosk;
  r.submitted_at = SystemClock::Instance().NowMs();
  r.started_at = r.submitted_at - 18'000;
  r.locale = "en";
  r.answers.push_back({"nps", static_cast<int>(rng() % 11), {}, {}});
  for (const char* q : {"greeting", "speed", "cleanliness", "availability", "knowledge"}) {
    r.answers.push_back({q, 1 + static_cast<int>(rng() % 5), {}, {}});
  }
  r.answers.push_back({"comment", std::nullopt, {}, "Friendly staff, quick checkout"});
  return r;
}

}  // namespace feedback::bench
