// Ingestor: POST /api/v1/batches without the HTTP - decode the envelope,
// authenticate the device, refuse revoked devices, other sites' data and
// sequence conflicts, answer replays with the stored answer, open every
// record's sealed fields (EpochOpener), validate it against the survey
// version it names, work out its rollup / hero story / follow-up
// contributions, and hand the whole batch to CentralStore::CommitBatch (one
// transaction). Records that fail opening or validation are quarantined with
// the reason. See docs/protocol.md "Ingest" and docs/central.md.
//
// Threading: HandleBatch may be called from many threads at once, each with
// its own store. The survey-definition cache is guarded by a mutex; the
// EpochOpener is thread-safe. Borrows the opener and the clock.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "capture/epoch_opener.h"
#include "core/clock.h"
#include "model/survey.h"
#include "protocol/batch_codec.h"
#include "sync/central/api_response.h"
#include "sync/central/central_store.h"

namespace feedback::central {

class Ingestor {
 public:
  Ingestor(EpochOpener& opener, const Clock& clock) : opener_(opener), clock_(clock) {}

  // The answer to one batch body. Never throws.
  ApiResponse HandleBatch(CentralStore& store, ByteView body);

 private:
  // The published definition of (survey_id, version), cached (published
  // versions never change). NotFound when it was never published.
  Result<std::shared_ptr<const SurveyDefinition>> Survey(CentralStore& store,
                                                         const std::string& survey_id, int version);
  // Opens and validates record i; fills exactly one of `prepared` / `quarantined`.
  // A non-OK Status refuses the whole batch (another device's or site's record:
  // PermissionDenied; the store failed: anything else).
  Status PrepareRecord(CentralStore& store, const protocol::Batch& batch, size_t i, TimeMs now,
                       PreparedBatch& out);

  EpochOpener& opener_;
  const Clock& clock_;
  std::mutex surveys_mu_;
  std::map<std::pair<std::string, int>, std::shared_ptr<const SurveyDefinition>> surveys_;
};

// Fills a PreparedRecord's contributions (scores, choices, driver row, hero
// story, follow-up) from a validated, fully opened record. Exposed for tests.
void AddContributions(const SurveyDefinition& definition, const FeedbackRecord& record,
                      PreparedRecord& out);

}  // namespace feedback::central
