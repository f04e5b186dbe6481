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
#include "sync/central/ingest/api_response.h"
#include "sync/central/store/central_store.h"
#include "sync/central/ingest/ingest_rules.h"

namespace feedback::central {

// Where one batch's ingest time went (steady clock, milliseconds); a phase
// that did not run stays 0. HandleBatch also appends them to its log note.
struct IngestTimings {
  double decode_ms = 0;   // DecodeBatchForIngest: envelope, zstd, MessagePack
  double prepare_ms = 0;  // open, validate and prepare every record
  double commit_ms = 0;   // CentralStore::CommitBatch
};

class Ingestor {
 public:
  Ingestor(EpochOpener& opener, const Clock& clock, IngestRules rules = {})
      : opener_(opener), clock_(clock), rules_(rules) {}

  // The answer to one batch body. Never throws. `timings` (optional) receives
  // the time spent per phase, for benchmarks.
  ApiResponse HandleBatch(CentralStore& store, ByteView body, IngestTimings* timings = nullptr);

  // Step 4 of HandleBatch, exposed for benchmarks and tests: opens and validates every
  // record of a decoded batch authenticated as `device` (moving its parsed
  // records out) into out.records / out.quarantine; a record whose staff id or
  // times break the IngestRules is quarantined with the reason.
  // PermissionDenied when a record names another device or site (the batch is
  // refused); any other error is the store's (503).
  Status PrepareRecords(CentralStore& store, const Device& device, protocol::Batch& batch,
                        TimeMs now, PreparedBatch& out);

 private:
  // The published definition of (survey_id, version), cached (published
  // versions never change). NotFound when it was never published.
  Result<std::shared_ptr<const SurveyDefinition>> Survey(CentralStore& store,
                                                         const std::string& survey_id, int version);
  // The survey version the previous record of a batch followed.
  struct SurveyMemo {
    std::string survey_id;
    int version = 0;
    std::shared_ptr<const SurveyDefinition> definition;  // null: none yet
  };
  // Opens and validates record i (moving its parsed record out of `batch`);
  // adds it to exactly one of out.records / out.quarantine.
  // A non-OK Status refuses the whole batch (another device's or site's
  // record: PermissionDenied; the store failed: anything else).
  // The roster entries a batch's records named, looked up once per batch.
  using RosterMemo = std::map<std::string, std::optional<StaffRow>>;
  Status PrepareRecord(CentralStore& store, const Device& device, protocol::Batch& batch,
                       size_t i, TimeMs now, SurveyMemo& survey, RosterMemo& roster,
                       PreparedBatch& out);
  // The answer to a sequence conflict: 409 with "last_seq", and the conflict
  // counted towards the device's possible-clone mark.
  ApiResponse Conflict(DeviceStore& store, const std::string& device_id,
                       const std::string& message, int64_t last_seq, TimeMs now);

  EpochOpener& opener_;
  const Clock& clock_;
  const IngestRules rules_;
  std::mutex surveys_mu_;
  std::map<std::pair<std::string, int>, std::shared_ptr<const SurveyDefinition>> surveys_;
};

// Fills a PreparedRecord's contributions (scores, choices, driver row, hero
// story, follow-up) from a validated, fully opened record. Exposed for tests.
void AddContributions(const SurveyDefinition& definition, const FeedbackRecord& record,
                      PreparedRecord& out);

}  // namespace feedback::central
