#include "device/open_record.h"

namespace feedback {

Result<FeedbackRecord> OpenStoredRecord(EpochOpener& opener, const StoredRecord& stored) {
  FeedbackRecord record = stored.record;
  if (stored.epoch_id.empty()) return record;  // nothing sensitive was captured
  FEEDBACK_ASSIGN_OR_RETURN(
      Bytes plain, opener.OpenFields(stored.epoch_id, stored.sealed_epoch_key, stored.sealed_fields,
                                     RecordAssociatedData(record.id, record.device_id)));
  FEEDBACK_RETURN_IF_ERROR(MergeSensitive(ToString(plain), record));
  return record;
}

}  // namespace feedback
