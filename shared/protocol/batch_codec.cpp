#include "protocol/batch_codec.h"

#include <zstd.h>

#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "protocol/bounded_msgpack.h"
#include "protocol/canonical_batch_reader.h"
#include "protocol/batch_checks.h"
#include "protocol/limits.h"
#include "protocol/sha256.h"

namespace feedback::protocol {
namespace {

using internal::CheckId;
using internal::Index;
using internal::Invalid;
using internal::kZstdLevel;

using nlohmann::json;

struct ZstdCCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct ZstdDCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
using ZstdCCtxPtr = std::unique_ptr<ZSTD_CCtx, ZstdCCtxFree>;
using ZstdDCtxPtr = std::unique_ptr<ZSTD_DCtx, ZstdDCtxFree>;

// 2^23 = 8 MiB: no frame may ask for a window larger than the payload bound.
constexpr int kZstdWindowLogMax = 23;

// The object must have exactly these keys.
Status ExactKeys(const json& obj, std::string_view field, std::initializer_list<const char*> keys) {
  if (!obj.is_object()) return Invalid(field, "is not a map");
  for (const char* k : keys) {
    if (!obj.contains(k)) return Invalid(field, std::string("is missing key '") + k + "'");
  }
  if (obj.size() != keys.size()) {
    for (const auto& [k, v] : obj.items()) {
      bool known = false;
      for (const char* want : keys) known = known || k == want;
      if (!known) return Invalid(field, "has unknown key '" + k.substr(0, 64) + "'");
    }
  }
  return Status::Ok();
}

Result<int64_t> ReadInt(const json& v, std::string_view field, int64_t min) {
  int64_t out = 0;
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return Invalid(field, "is out of range");
    out = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    out = v.get<int64_t>();
  } else {
    return Invalid(field, "is not an integer");
  }
  if (out < min) return Invalid(field, "must be at least " + std::to_string(min));
  return out;
}

Result<std::string> ReadId(const json& v, std::string_view field) {
  if (!v.is_string()) return Invalid(field, "is not a string");
  std::string s = v.get<std::string>();
  FEEDBACK_RETURN_IF_ERROR(CheckId(s, field));
  return s;
}

Result<Bytes> ReadBinary(const json& v, std::string_view field) {
  if (!v.is_binary()) return Invalid(field, "is not binary");
  const json::binary_t& b = v.get_binary();
  if (b.has_subtype()) return Invalid(field, "is a MessagePack ext value, not bin");
  return Bytes(b.begin(), b.end());
}

Status CheckEpochKey(const Bytes& key, std::string_view field) {
  if (key.size() != kSealedEpochKeySize) {
    return Invalid(field, "is " + std::to_string(key.size()) + " bytes, not " +
                              std::to_string(kSealedEpochKeySize));
  }
  return Status::Ok();
}

Status CheckSealed(const Bytes& sealed, std::string_view field) {
  if (sealed.size() < kMinSealedFieldsSize) {
    return Invalid(field, "is " + std::to_string(sealed.size()) +
                              " bytes, shorter than nonce and tag (" +
                              std::to_string(kMinSealedFieldsSize) + ")");
  }
  if (sealed.size() > kMaxSealedFieldsSize) {
    return Status::ResourceExhausted("batch " + std::string(field) + ": is larger than " +
                                     std::to_string(kMaxSealedFieldsSize) + " bytes");
  }
  return Status::Ok();
}

Status CheckCounts(size_t epochs, size_t records) {
  if (records == 0) return Invalid("records", "is empty (a batch carries 1 to 1000 records)");
  if (records > kMaxRecordsPerBatch) {
    return Status::ResourceExhausted("batch records: " + std::to_string(records) +
                                     " records, more than the limit of " +
                                     std::to_string(kMaxRecordsPerBatch));
  }
  if (epochs > kMaxEpochsPerBatch) {
    return Status::ResourceExhausted("batch epochs: " + std::to_string(epochs) +
                                     " epochs, more than the limit of " +
                                     std::to_string(kMaxEpochsPerBatch));
  }
  return Status::Ok();
}

json ToMsgpackObject(const Batch& b) {
  json epochs = json::array();
  for (const BatchEpoch& e : b.epochs) {
    epochs.push_back({{"id", e.id}, {"key", json::binary(e.sealed_key)}});
  }
  json records = json::array();
  for (const BatchRecord& r : b.records) {
    json rec = {{"pub", r.pub}, {"epoch", nullptr}, {"sealed", nullptr}};
    if (!r.epoch_id.empty()) {
      rec["epoch"] = r.epoch_id;
      rec["sealed"] = json::binary(r.sealed);
    }
    records.push_back(std::move(rec));
  }
  return {{"v", b.version},
          {"device", b.device_id},
          {"site", b.site_id},
          {"seq", b.seq},
          {"created", b.created},
          {"backlog", b.backlog},
          {"epochs", std::move(epochs)},
          {"records", std::move(records)}};
}

Result<Batch> FromMsgpackObject(const json& obj) {
  if (!obj.is_object()) return Invalid("object", "is not a map");
  // The version first, so a newer device gets "unsupported protocol version"
  // rather than a complaint about a key it added.
  if (auto v = obj.find("v"); v != obj.end()) {
    FEEDBACK_ASSIGN_OR_RETURN(int64_t version, ReadInt(*v, "v", 0));
    if (version != kProtocolVersion) {
      return Status::VersionMismatch("unsupported protocol version " + std::to_string(version) +
                                     " (batch field 'v'); this central store knows version " +
                                     std::to_string(kProtocolVersion));
    }
  }
  FEEDBACK_RETURN_IF_ERROR(ExactKeys(
      obj, "object", {"v", "device", "site", "seq", "created", "backlog", "epochs", "records"}));
  Batch b;
  b.version = kProtocolVersion;
  FEEDBACK_ASSIGN_OR_RETURN(b.device_id, ReadId(obj["device"], "device"));
  FEEDBACK_ASSIGN_OR_RETURN(b.site_id, ReadId(obj["site"], "site"));
  FEEDBACK_ASSIGN_OR_RETURN(b.seq, ReadInt(obj["seq"], "seq", 1));
  FEEDBACK_ASSIGN_OR_RETURN(b.created, ReadInt(obj["created"], "created", 0));
  FEEDBACK_ASSIGN_OR_RETURN(b.backlog, ReadInt(obj["backlog"], "backlog", 0));
  const json& epochs = obj["epochs"];
  const json& records = obj["records"];
  if (!epochs.is_array()) return Invalid("epochs", "is not an array");
  if (!records.is_array()) return Invalid("records", "is not an array");
  FEEDBACK_RETURN_IF_ERROR(CheckCounts(epochs.size(), records.size()));

  std::set<std::string, std::less<>> epoch_ids;
  b.epochs.reserve(epochs.size());
  for (size_t i = 0; i < epochs.size(); ++i) {
    const std::string field = Index("epochs", i);
    FEEDBACK_RETURN_IF_ERROR(ExactKeys(epochs[i], field, {"id", "key"}));
    BatchEpoch e;
    FEEDBACK_ASSIGN_OR_RETURN(e.id, ReadId(epochs[i]["id"], field + ".id"));
    FEEDBACK_ASSIGN_OR_RETURN(e.sealed_key, ReadBinary(epochs[i]["key"], field + ".key"));
    FEEDBACK_RETURN_IF_ERROR(CheckEpochKey(e.sealed_key, field + ".key"));
    if (!epoch_ids.insert(e.id).second) return Invalid(field + ".id", "is listed twice");
    b.epochs.push_back(std::move(e));
  }
  b.records.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string field = Index("records", i);
    const json& r = records[i];
    FEEDBACK_RETURN_IF_ERROR(ExactKeys(r, field, {"pub", "epoch", "sealed"}));
    BatchRecord rec;
    if (!r["pub"].is_object()) return Invalid(field + ".pub", "is not a map");
    rec.pub = r["pub"];
    const json& epoch = r["epoch"];
    const json& sealed = r["sealed"];
    if (epoch.is_null() != sealed.is_null()) {
      return Invalid(field, "'epoch' and 'sealed' must both be nil or both be set");
    }
    if (!epoch.is_null()) {
      FEEDBACK_ASSIGN_OR_RETURN(rec.epoch_id, ReadId(epoch, field + ".epoch"));
      if (!epoch_ids.contains(rec.epoch_id)) {
        return Invalid(field + ".epoch", "names an epoch not listed in 'epochs'");
      }
      FEEDBACK_ASSIGN_OR_RETURN(rec.sealed, ReadBinary(sealed, field + ".sealed"));
      FEEDBACK_RETURN_IF_ERROR(CheckSealed(rec.sealed, field + ".sealed"));
    }
    b.records.push_back(std::move(rec));
  }
  return b;
}

void PutU32(Bytes& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

uint32_t GetU32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}

Bytes SignedMessage(ByteView envelope_without_signature) {
  Bytes msg(kBatchSignatureDomain.size() + envelope_without_signature.size());
  std::memcpy(msg.data(), kBatchSignatureDomain.data(), kBatchSignatureDomain.size());
  if (!envelope_without_signature.empty()) {
    std::memcpy(msg.data() + kBatchSignatureDomain.size(), envelope_without_signature.data(),
                envelope_without_signature.size());
  }
  return msg;
}

Result<Bytes> Decompress(ByteView payload) {
  const unsigned long long content = ZSTD_getFrameContentSize(payload.data(), payload.size());
  if (content == ZSTD_CONTENTSIZE_ERROR) {
    return Invalid("payload", "is not a zstd frame");
  }
  if (content == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Invalid("payload", "zstd frame does not declare its content size");
  }
  if (content > kMaxDecompressedPayload) {
    return Status::ResourceExhausted("batch payload: decompresses to " + std::to_string(content) +
                                     " bytes, more than the limit of " +
                                     std::to_string(kMaxDecompressedPayload));
  }
  if (content == 0) return Invalid("payload", "is empty");
  const size_t frame = ZSTD_findFrameCompressedSize(payload.data(), payload.size());
  if (ZSTD_isError(frame) || frame != payload.size()) {
    return Invalid("payload", "must be exactly one complete zstd frame");
  }
  ZstdDCtxPtr dctx(ZSTD_createDCtx());
  if (!dctx) return Status::ResourceExhausted("batch payload: cannot allocate a zstd context");
  if (ZSTD_isError(ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, kZstdWindowLogMax))) {
    return Status::Internal("batch payload: cannot set the zstd window limit");
  }
  Bytes out(static_cast<size_t>(content));
  const size_t n =
      ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), payload.data(), payload.size());
  if (ZSTD_isError(n)) {
    return Invalid("payload", std::string("zstd: ") + ZSTD_getErrorName(n));
  }
  if (n != out.size()) return Invalid("payload", "decompressed size differs from the frame header");
  return out;
}

}  // namespace

Status ValidateBatch(const Batch& b) {
  if (b.version != kProtocolVersion) {
    return Status::VersionMismatch("unsupported protocol version " + std::to_string(b.version));
  }
  FEEDBACK_RETURN_IF_ERROR(CheckId(b.device_id, "device"));
  FEEDBACK_RETURN_IF_ERROR(CheckId(b.site_id, "site"));
  if (b.seq < 1) return Invalid("seq", "must be at least 1");
  if (b.created < 0) return Invalid("created", "must be at least 0");
  if (b.backlog < 0) return Invalid("backlog", "must be at least 0");
  FEEDBACK_RETURN_IF_ERROR(CheckCounts(b.epochs.size(), b.records.size()));
  std::set<std::string, std::less<>> ids;
  for (size_t i = 0; i < b.epochs.size(); ++i) {
    const std::string field = Index("epochs", i);
    FEEDBACK_RETURN_IF_ERROR(CheckId(b.epochs[i].id, field + ".id"));
    FEEDBACK_RETURN_IF_ERROR(CheckEpochKey(b.epochs[i].sealed_key, field + ".key"));
    if (!ids.insert(b.epochs[i].id).second) return Invalid(field + ".id", "is listed twice");
  }
  for (size_t i = 0; i < b.records.size(); ++i) {
    const std::string field = Index("records", i);
    const BatchRecord& r = b.records[i];
    if (!r.pub.is_object()) return Invalid(field + ".pub", "is not a map");
    if (r.epoch_id.empty() != r.sealed.empty()) {
      return Invalid(field, "'epoch' and 'sealed' must both be empty or both be set");
    }
    if (!r.epoch_id.empty()) {
      if (!ids.contains(r.epoch_id)) {
        return Invalid(field + ".epoch", "names an epoch not listed in 'epochs'");
      }
      FEEDBACK_RETURN_IF_ERROR(CheckSealed(r.sealed, field + ".sealed"));
    }
  }
  return Status::Ok();
}

Result<Bytes> EncodeBatch(const Batch& batch, const Ed25519PrivateKey& device_key) {
  FEEDBACK_RETURN_IF_ERROR(ValidateBatch(batch));
  Bytes packed;
  try {
    packed = json::to_msgpack(ToMsgpackObject(batch));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("batch: cannot encode as MessagePack: ") + e.what());
  }
  if (packed.size() > kMaxDecompressedPayload) {
    return Status::ResourceExhausted("batch: MessagePack is " + std::to_string(packed.size()) +
                                     " bytes, more than the limit of " +
                                     std::to_string(kMaxDecompressedPayload) +
                                     "; send fewer records per batch");
  }
  ZstdCCtxPtr cctx(ZSTD_createCCtx());
  if (!cctx) return Status::ResourceExhausted("batch: cannot allocate a zstd context");
  Bytes out;
  out.reserve(kBatchHeaderSize + ZSTD_compressBound(packed.size()) + kBatchSignatureSize);
  out.insert(out.end(), kBatchMagic.begin(), kBatchMagic.end());
  out.push_back(kBatchFormatVersion);
  PutU32(out, 0);  // payload length, filled in below
  out.resize(kBatchHeaderSize + ZSTD_compressBound(packed.size()));
  const size_t n =
      ZSTD_compressCCtx(cctx.get(), out.data() + kBatchHeaderSize, out.size() - kBatchHeaderSize,
                        packed.data(), packed.size(), kZstdLevel);
  if (ZSTD_isError(n)) {
    return Status::Internal(std::string("batch: zstd compression failed: ") + ZSTD_getErrorName(n));
  }
  if (n > kMaxCompressedPayload) {
    return Status::ResourceExhausted(
        "batch: compressed payload is " + std::to_string(n) + " bytes, more than the limit of " +
        std::to_string(kMaxCompressedPayload) + "; send fewer records per batch");
  }
  out.resize(kBatchHeaderSize + n);
  const uint32_t len = static_cast<uint32_t>(n);
  out[5] = static_cast<uint8_t>(len >> 24);
  out[6] = static_cast<uint8_t>(len >> 16);
  out[7] = static_cast<uint8_t>(len >> 8);
  out[8] = static_cast<uint8_t>(len);
  FEEDBACK_ASSIGN_OR_RETURN(Bytes signature, device_key.Sign(SignedMessage(out)));
  if (signature.size() != kBatchSignatureSize) {
    return Status::Internal("batch: Ed25519 signature has an unexpected size");
  }
  out.insert(out.end(), signature.begin(), signature.end());
  return out;
}

namespace {

// DecodeBatch, and with read_canonical DecodeBatchForIngest: the canonical
// reader's batch when it accepts the object, else the general decoder's
// result (which is also every error).
Result<DecodedBatch> DecodeEnvelope(ByteView envelope, bool read_canonical) {
  constexpr size_t kMinSize = kBatchHeaderSize + kBatchSignatureSize;
  if (envelope.size() < kMinSize) {
    return Invalid("envelope", "is " + std::to_string(envelope.size()) +
                                   " bytes, shorter than the " + std::to_string(kMinSize) +
                                   "-byte minimum");
  }
  if (std::memcmp(envelope.data(), kBatchMagic.data(), kBatchMagic.size()) != 0) {
    return Invalid("envelope", "does not start with the magic \"FBB1\"");
  }
  if (envelope[4] != kBatchFormatVersion) {
    return Status::VersionMismatch("unsupported protocol version: batch format version " +
                                   std::to_string(envelope[4]) + ", this central store knows " +
                                   std::to_string(kBatchFormatVersion));
  }
  const uint32_t payload_len = GetU32(envelope.data() + 5);
  if (payload_len > kMaxCompressedPayload) {
    return Status::ResourceExhausted("batch payload: " + std::to_string(payload_len) +
                                     " bytes, more than the limit of " +
                                     std::to_string(kMaxCompressedPayload));
  }
  const size_t expected = kBatchHeaderSize + payload_len + kBatchSignatureSize;
  if (envelope.size() != expected) {
    return Invalid(
        "envelope",
        "is " + std::to_string(envelope.size()) + " bytes but its payload length says " +
            std::to_string(expected) +
            (envelope.size() > expected ? " (bytes after the signature)" : " (truncated)"));
  }
  const ByteView payload = envelope.subspan(kBatchHeaderSize, payload_len);
  FEEDBACK_ASSIGN_OR_RETURN(Bytes packed, Decompress(payload));
  DecodedBatch out;
  std::optional<Batch> canonical;
  if (read_canonical) canonical = ReadCanonicalBatch(packed, kMaxMsgpackValues);
  if (canonical) {
    out.batch = std::move(*canonical);
  } else {
    Result<json> obj = ParseBoundedMsgpack(packed, kMaxMsgpackDepth, kMaxMsgpackValues);
    if (!obj.ok()) return obj.status().WithContext("batch payload");
    FEEDBACK_ASSIGN_OR_RETURN(out.batch, FromMsgpackObject(*obj));
  }
  out.signed_message = SignedMessage(envelope.first(kBatchHeaderSize + payload_len));
  const ByteView sig = envelope.last(kBatchSignatureSize);
  out.signature.assign(sig.begin(), sig.end());
  out.digest = Sha256(envelope);
  return out;
}

}  // namespace

Result<DecodedBatch> DecodeBatch(ByteView envelope) {
  return DecodeEnvelope(envelope, /*read_canonical=*/false);
}

Result<DecodedBatch> DecodeBatchForIngest(ByteView envelope) {
  return DecodeEnvelope(envelope, /*read_canonical=*/true);
}

Status VerifyBatch(const DecodedBatch& decoded, const Ed25519PublicKey& device_key) {
  Status s = device_key.Verify(decoded.signed_message, decoded.signature);
  if (s.code() == Status::Code::kUnauthenticated) {
    return Status::Unauthenticated("batch signature does not match the device's enrolled key");
  }
  return s;
}

Status VerifyBatch(const DecodedBatch& decoded, ByteView device_public_key) {
  FEEDBACK_ASSIGN_OR_RETURN(Ed25519PublicKey key, Ed25519PublicKey::FromBytes(device_public_key));
  return VerifyBatch(decoded, key);
}

}  // namespace feedback::protocol
