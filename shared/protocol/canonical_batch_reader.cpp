#include "protocol/canonical_batch_reader.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/batch_codec.h"
#include "protocol/limits.h"

namespace feedback::protocol {
namespace {

using nlohmann::json;

// Keys of each map of the schema, as bit numbers of its `seen` mask.
enum BatchKey : uint32_t { kV, kDevice, kSite, kSeq, kCreated, kBacklog, kEpochs, kRecords };
enum EpochKey : uint32_t { kEpochId, kEpochKey };
enum RecordKey : uint32_t { kPub, kEpoch, kSealed };
// The keys RecordToJson writes for a public part (no received_at, hero, contact).
enum PubKey : uint32_t {
  kId,
  kSurveyId,
  kSurveyVersion,
  kDeviceId,
  kSiteId,
  kChannel,
  kStartedAt,
  kSubmittedAt,
  kStatus,
  kLocale,
  kAnswers,
  kStaffId,       // optional: written only when not empty
  kFlaggedBurst,  // optional: written only when true
};
enum AnswerKey : uint32_t { kQ, kN, kC };  // no "t": text is never public

constexpr uint32_t kAllBatchKeys = (1u << (kRecords + 1)) - 1;
constexpr uint32_t kAllEpochKeys = (1u << (kEpochKey + 1)) - 1;
constexpr uint32_t kAllRecordKeys = (1u << (kSealed + 1)) - 1;
constexpr uint32_t kRequiredPubKeys = (1u << (kAnswers + 1)) - 1;

template <size_t N>
int KeyIndex(std::string_view key, const std::string_view (&names)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (key == names[i]) return static_cast<int>(i);
  }
  return -1;
}

constexpr std::string_view kBatchKeyNames[] = {"v",       "device",  "site",   "seq",
                                               "created", "backlog", "epochs", "records"};
constexpr std::string_view kEpochKeyNames[] = {"id", "key"};
constexpr std::string_view kRecordKeyNames[] = {"pub", "epoch", "sealed"};
constexpr std::string_view kPubKeyNames[] = {
    "id",      "survey_id",  "survey_version", "device_id", "site_id",
    "channel", "started_at", "submitted_at",   "status",    "locale",
    "answers", "staff_id",   "flagged_burst"};
constexpr std::string_view kAnswerKeyNames[] = {"q", "n", "c"};

// The schema's maps and arrays; each has exactly one possible parent.
enum class Ctx {
  kRoot,
  kBatch,
  kEpochs,
  kEpoch,
  kRecords,
  kRecord,
  kPub,
  kAnswers,
  kAnswer,
  kChoices,
  kDone
};

// Builds the Batch from nlohmann's MessagePack SAX events. Every callback
// returns false (nlohmann then stops) at the first event the canonical schema
// does not allow; values are counted as BoundedSax counts them.
class CanonicalBatchSax {
 public:
  explicit CanonicalBatchSax(size_t max_values) : max_values_(max_values) {}

  bool null() {
    if (!Count() || ctx_ != Ctx::kRecord) return false;
    if (record_key_ == kEpoch) {
      epoch_null_ = true;
      return true;
    }
    if (record_key_ == kSealed) {
      sealed_null_ = true;
      return true;
    }
    return false;
  }

  bool boolean(bool v) {
    // flagged_burst is written only when true.
    if (!Count() || ctx_ != Ctx::kPub || pub_key_ != kFlaggedBurst || !v) return false;
    Record().flagged_burst = true;
    return true;
  }

  bool number_integer(json::number_integer_t v) { return Count() && Integer(v); }
  bool number_unsigned(json::number_unsigned_t v) {
    return Count() && v <= static_cast<uint64_t>(INT64_MAX) && Integer(static_cast<int64_t>(v));
  }
  bool number_float(json::number_float_t, const json::string_t&) { return false; }

  bool string(json::string_t& v) {
    if (!Count()) return false;
    switch (ctx_) {
      case Ctx::kBatch:
        if (batch_key_ == kDevice) return Take(batch_.device_id, v);
        if (batch_key_ == kSite) return Take(batch_.site_id, v);
        return false;
      case Ctx::kEpoch:
        return epoch_key_ == kEpochId && Take(batch_.epochs.back().id, v);
      case Ctx::kRecord:
        return record_key_ == kEpoch && !v.empty() && Take(batch_.records.back().epoch_id, v);
      case Ctx::kPub:
        return PubString(v);
      case Ctx::kAnswer:
        return answer_key_ == kQ && Take(Record().answers.back().question_id, v);
      case Ctx::kChoices:
        Record().answers.back().choices.push_back(std::move(v));
        return true;
      default:
        return false;
    }
  }

  bool binary(json::binary_t& v) {
    if (!Count() || v.has_subtype()) return false;  // ext, not bin
    std::vector<uint8_t>& bytes = v;
    if (ctx_ == Ctx::kEpoch && epoch_key_ == kEpochKey) {
      batch_.epochs.back().sealed_key = std::move(bytes);
      return true;
    }
    if (ctx_ == Ctx::kRecord && record_key_ == kSealed && !bytes.empty()) {
      batch_.records.back().sealed = std::move(bytes);
      return true;
    }
    return false;
  }

  bool key(json::string_t& k) {
    if (!Count()) return false;
    switch (ctx_) {
      case Ctx::kBatch:
        return Key(k, kBatchKeyNames, batch_seen_, batch_key_);
      case Ctx::kEpoch:
        return Key(k, kEpochKeyNames, epoch_seen_, epoch_key_);
      case Ctx::kRecord:
        return Key(k, kRecordKeyNames, record_seen_, record_key_);
      case Ctx::kPub:
        return Key(k, kPubKeyNames, pub_seen_, pub_key_);
      case Ctx::kAnswer:
        return Key(k, kAnswerKeyNames, answer_seen_, answer_key_);
      default:
        return false;
    }
  }

  bool start_object(std::size_t) {
    if (!Count()) return false;
    switch (ctx_) {
      case Ctx::kRoot:
        ctx_ = Ctx::kBatch;
        return true;
      case Ctx::kEpochs:
        batch_.epochs.emplace_back();
        epoch_seen_ = 0;
        ctx_ = Ctx::kEpoch;
        return true;
      case Ctx::kRecords:
        batch_.records.emplace_back().parsed.emplace();
        record_seen_ = 0;
        epoch_null_ = sealed_null_ = false;
        ctx_ = Ctx::kRecord;
        return true;
      case Ctx::kRecord:
        if (record_key_ != kPub) return false;
        pub_seen_ = 0;
        ctx_ = Ctx::kPub;
        return true;
      case Ctx::kAnswers:
        Record().answers.emplace_back();
        answer_seen_ = 0;
        ctx_ = Ctx::kAnswer;
        return true;
      default:
        return false;
    }
  }

  bool end_object() {
    switch (ctx_) {
      case Ctx::kBatch:
        ctx_ = Ctx::kDone;
        return batch_seen_ == kAllBatchKeys;
      case Ctx::kEpoch:
        ctx_ = Ctx::kEpochs;
        return epoch_seen_ == kAllEpochKeys;
      case Ctx::kRecord:
        ctx_ = Ctx::kRecords;
        return record_seen_ == kAllRecordKeys && epoch_null_ == sealed_null_;
      case Ctx::kPub:
        ctx_ = Ctx::kRecord;
        return (pub_seen_ & kRequiredPubKeys) == kRequiredPubKeys;
      case Ctx::kAnswer:
        ctx_ = Ctx::kAnswers;
        return (answer_seen_ & (1u << kQ)) != 0;
      default:
        return false;
    }
  }

  bool start_array(std::size_t n) {
    if (!Count()) return false;
    if (ctx_ == Ctx::kBatch && batch_key_ == kEpochs) {
      batch_.epochs.reserve(std::min(n, kMaxEpochsPerBatch));
      ctx_ = Ctx::kEpochs;
      return true;
    }
    if (ctx_ == Ctx::kBatch && batch_key_ == kRecords) {
      batch_.records.reserve(std::min(n, kMaxRecordsPerBatch));
      ctx_ = Ctx::kRecords;
      return true;
    }
    if (ctx_ == Ctx::kPub && pub_key_ == kAnswers) {
      Record().answers.reserve(std::min<size_t>(n, 64));
      ctx_ = Ctx::kAnswers;
      return true;
    }
    if (ctx_ == Ctx::kAnswer && answer_key_ == kC) {
      ctx_ = Ctx::kChoices;
      return true;
    }
    return false;
  }

  bool end_array() {
    switch (ctx_) {
      case Ctx::kEpochs:
      case Ctx::kRecords:
        ctx_ = Ctx::kBatch;
        return true;
      case Ctx::kAnswers:
        ctx_ = Ctx::kPub;
        return true;
      case Ctx::kChoices:
        ctx_ = Ctx::kAnswer;
        return !Record().answers.back().choices.empty();  // RecordToJson omits empty "c"
      default:
        return false;
    }
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

  bool done() const { return ctx_ == Ctx::kDone; }
  Batch& batch() { return batch_; }

 private:
  // The value count and bound of ParseBoundedMsgpack (BoundedSax::Count): a
  // batch over the bound is left to the general decoder to refuse.
  bool Count() { return ++values_ <= max_values_; }

  static bool Take(std::string& field, json::string_t& v) {
    field = std::move(v);
    return true;
  }

  template <size_t N>
  static bool Key(std::string_view k, const std::string_view (&names)[N], uint32_t& seen,
                  uint32_t& current) {
    const int i = KeyIndex(k, names);
    if (i < 0) return false;  // a key the canonical form does not have
    const uint32_t bit = 1u << i;
    if ((seen & bit) != 0) return false;  // a duplicate: JSON would keep only the last
    seen |= bit;
    current = static_cast<uint32_t>(i);
    return true;
  }

  FeedbackRecord& Record() { return *batch_.records.back().parsed; }

  bool Integer(int64_t v) {
    auto in_int = [](int64_t x) { return x >= INT_MIN && x <= INT_MAX; };
    switch (ctx_) {
      case Ctx::kBatch:
        switch (batch_key_) {
          case kV:
            batch_.version = v;
            return true;
          case kSeq:
            batch_.seq = v;
            return true;
          case kCreated:
            batch_.created = v;
            return true;
          case kBacklog:
            batch_.backlog = v;
            return true;
          default:
            return false;
        }
      case Ctx::kPub:
        if (pub_key_ == kSurveyVersion && in_int(v)) {
          Record().survey_version = static_cast<int>(v);
          return true;
        }
        if (pub_key_ == kStartedAt) {
          Record().started_at = v;
          return true;
        }
        if (pub_key_ == kSubmittedAt) {
          Record().submitted_at = v;
          return true;
        }
        return false;
      case Ctx::kAnswer:
        if (answer_key_ != kN || !in_int(v)) return false;
        Record().answers.back().number = static_cast<int>(v);
        return true;
      default:
        return false;
    }
  }

  bool PubString(json::string_t& v) {
    FeedbackRecord& r = Record();
    switch (pub_key_) {
      case kId:
        return Take(r.id, v);
      case kSurveyId:
        return Take(r.survey_id, v);
      case kDeviceId:
        return Take(r.device_id, v);
      case kSiteId:
        return Take(r.site_id, v);
      case kLocale:
        return Take(r.locale, v);
      case kStaffId:
        return !v.empty() && Take(r.staff_id, v);
      case kChannel: {
        Result<Channel> c = ParseChannel(v);
        if (!c.ok()) return false;
        r.channel = *c;
        return true;
      }
      case kStatus: {
        Result<RecordStatus> s = ParseRecordStatus(v);
        if (!s.ok()) return false;
        r.status = *s;
        return true;
      }
      default:
        return false;
    }
  }

  const size_t max_values_;
  size_t values_ = 0;
  Ctx ctx_ = Ctx::kRoot;
  Batch batch_;
  uint32_t batch_seen_ = 0, batch_key_ = 0;
  uint32_t epoch_seen_ = 0, epoch_key_ = 0;
  uint32_t record_seen_ = 0, record_key_ = 0;
  bool epoch_null_ = false, sealed_null_ = false;
  uint32_t pub_seen_ = 0, pub_key_ = 0;
  uint32_t answer_seen_ = 0, answer_key_ = 0;
};

}  // namespace

std::optional<Batch> ReadCanonicalBatch(ByteView msgpack, size_t max_values) {
  CanonicalBatchSax sax(max_values);
  try {
    if (!json::sax_parse(msgpack.begin(), msgpack.end(), &sax,
                         nlohmann::detail::input_format_t::msgpack, /*strict=*/true) ||
        !sax.done()) {
      return std::nullopt;
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (!ValidateBatch(sax.batch()).ok()) return std::nullopt;
  return std::move(sax.batch());
}

}  // namespace feedback::protocol
