// Seed data for the dashboard: fills a central store with realistic records -
// sites in regions, kiosk and call-center channels, teams and reps, driver
// ratings with PLANTED effects on the outcome, hero stories and detractors
// with contact opt-in - through the same path as ingest (AddContributions +
// CentralStore::CommitBatch, one transaction per batch), so rollups, hero
// stories and follow-ups are exactly what ingest would have produced.
// Deterministic for a given seed. Run from one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/result.h"
#include "sync/central/store/central_store.h"

namespace feedback::central {

struct SeedOptions {
  int64_t records = 10'000;
  int sites = 4;
  int days = 90;
  uint64_t seed = 1;
  int batch_records = 5000;
  TimeMs end_ms = 0;  // last day covered; 0: now
};

// The planted model (documented so tests and benchmarks can check recovery):
// kiosk NPS = clamp(round(-1.5 + 0.9*greeting + 0.5*speed + 0.1*cleanliness
//   + 0.7*availability + 0.3*knowledge + noise(sd 1.0) + site_offset)), 0, 10),
// call CES = clamp(round(1.0 + 1.1*greeting + noise(sd 0.8)), 1, 7).
struct SeedSummary {
  int64_t records = 0;
  int64_t hero_stories = 0;
  int64_t contact_detractors = 0;
};

// Publishes the seed's surveys (retail_kiosk_seed v1 with NPS, CSAT and five
// drivers; call_log_seed v1 with CES and a greeting driver), creates sites
// site-01..site-NN (regions north/south/east/west), the roster (reps in
// teams), one kiosk per site and one agent desktop per call-center team, then
// commits the records in batches. progress(records_done) after every batch.
Result<SeedSummary> SeedStore(CentralStore& store, const SeedOptions& options,
                              const std::function<void(int64_t)>& progress);

}  // namespace feedback::central
