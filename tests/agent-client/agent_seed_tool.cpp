// agent_seed_tool: fills a test device's capture DB with what a desktop that has been in
// use for a month holds, so the end-to-end screenshots show real figures:
//   agent_seed_tool DEVICE_JSON STAFF_ID CALLS
// CALLS sealed call logs by STAFF_ID spread over the last 30 days (deterministic), two
// published hero stories for the device's team, a roster, and a last-sync time.
// Test-only.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/uuid.h"
#include "device/device_capture.h"
#include "logic/call_log_form.h"
#include "logic/rep_stats.h"

int main(int argc, char** argv) {
  using namespace feedback;
  if (argc != 4) {
    std::fprintf(stderr, "usage: agent_seed_tool DEVICE_JSON STAFF_ID CALLS\n");
    return 2;
  }
  Result<DeviceConfig> config = LoadDeviceConfig(argv[1]);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.status().ToString().c_str());
    return 1;
  }
  Result<DeviceCapture> capture = DeviceCapture::Open(*config);
  if (!capture.ok()) {
    std::fprintf(stderr, "%s\n", capture.status().ToString().c_str());
    return 1;
  }
  CaptureStore& store = capture->store();
  const std::string staff = argv[2];
  const int calls = std::atoi(argv[3]);
  const TimeMs now = SystemClock::Instance().NowMs();
  UuidGenerator uuids;
  static const char* kResolutions[] = {"resolved", "resolved",  "resolved", "partly_resolved",
                                       "resolved", "escalated", "resolved", "not_resolved"};
  std::vector<std::string> ids;
  for (int i = 0; i < calls; ++i) {
    FeedbackRecord r;
    r.id = uuids.NextV7().ToString();
    r.survey_id = "call_log";
    r.survey_version = 1;
    r.device_id = config->device_id;
    r.site_id = config->site_id;
    r.channel = Channel::kCall;
    // Oldest first, one every ~20 hours, the newest a day ago.
    r.submitted_at = now - agent::kDayMs - static_cast<TimeMs>(calls - 1 - i) * 20 * 3600 * 1000LL;
    r.started_at = r.submitted_at - 45'000;
    r.locale = "en";
    r.staff_id = staff;
    r.answers.push_back(Answer{"call_ref", std::nullopt, {}, "S-" + std::to_string(5000 + i)});
    r.answers.push_back(Answer{"greeting", 3 + (i % 3 == 0 ? 0 : (i % 5 == 0 ? 1 : 2)), {}, ""});
    r.answers.push_back(Answer{"resolution", std::nullopt, {kResolutions[i % 8]}, ""});
    r.answers.push_back(Answer{"effort", 4 + (i % 4), {}, ""});
    if (Status s = store.Capture(r); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    ids.push_back(r.id);
  }
  // A desktop in use for a month has sent its older logs: they are acknowledged, so the
  // backlog (and feedback_testkit dump-records) shows only what the test logs itself.
  Status s = ids.empty() ? Status::Ok() : store.AssignToBatch(1, ids);
  if (s.ok() && !ids.empty()) s = store.Acknowledge(1);
  if (s.ok())
    s = store.ReplaceHeroStories(
        {{"story-1", "A2001", "Marta Ruiz",
          "Marta called me back the next morning exactly as she promised and fixed my billing.",
          config->team, now - 2 * agent::kDayMs},
         {"story-2", staff, "Lucía Pérez",
          "Lucía was patient with my father and explained every step twice. Thank you!",
          config->team, now - 5 * agent::kDayMs}});
  if (s.ok())
    s = store.ReplaceRoster(
        {{staff, "Lucía Pérez", config->team}, {"A2001", "Marta Ruiz", config->team}});
  if (s.ok()) s = store.SetSetting(kSettingSyncLastSuccess, std::to_string(now - 4 * 60'000));
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("seeded %d calls for %s\n", calls, staff.c_str());
  return 0;
}
