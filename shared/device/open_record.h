// OpenStoredRecord: a record as a device stores it (public part + sealed
// fields) opened back into the whole record with the central store's key.
// The central store's ingest and the test tools use it; devices cannot (they
// never hold the central private key). Thread-safety as EpochOpener's.
#pragma once

#include "capture/epoch_opener.h"
#include "model/record.h"
#include "store/capture_store.h"

namespace feedback {

// CryptoError when the sealed fields do not open for this record and device;
// Corruption when they open but are not the expected JSON.
Result<FeedbackRecord> OpenStoredRecord(EpochOpener& opener, const StoredRecord& stored);

}  // namespace feedback
