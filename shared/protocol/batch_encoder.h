// BatchEncoder: the device's fast way to a signed batch envelope
// (docs/protocol.md "Batch format"). It takes records as the capture store
// keeps them - each record's public part as the JSON text it was stored as -
// and writes the batch object's MessagePack directly, converting each JSON
// text token by token, with no JSON tree per record; then compresses and
// signs as EncodeBatch() does. For the same batch the envelope is byte for
// byte the one EncodeBatch() makes (tests/shared/protocol/batch_encoder_test.cpp),
// so nothing changes on the wire or for the central store's decoder.
//
// Checks are those of ValidateBatch(), plus: each `pub` must be a JSON object.
// Errors as EncodeBatch(): InvalidArgument naming the field, ResourceExhausted
// when the batch exceeds a bound (the caller splits it), VersionMismatch.
//
// Threading: an encoder belongs to one thread at a time. It keeps its
// MessagePack buffer and zstd context from one batch to the next; the key and
// the batch are borrowed for the call.
#pragma once

#include <zstd.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/result.h"
#include "crypto/ed25519_private_key.h"
#include "protocol/batch.h"
#include "protocol/limits.h"

namespace feedback::protocol {

// One record, borrowed from the caller's storage.
struct RawBatchRecord {
  std::string_view pub_json;  // a JSON object: RecordToJson(PublicPart(record)).dump()
  std::string_view epoch_id;  // empty (nothing sensitive) or an id listed in epochs
  ByteView sealed;            // empty exactly when epoch_id is
};

// A batch whose records are raw; the header fields are those of Batch.
struct RawBatch {
  int64_t version = kProtocolVersion;
  std::string device_id;
  std::string site_id;
  int64_t seq = 0;
  TimeMs created = 0;
  int64_t backlog = 0;
  std::vector<BatchEpoch> epochs;  // each epoch the records name, once, in the order to send
  std::span<const RawBatchRecord> records;
};

class BatchEncoder {
 public:
  BatchEncoder();

  Result<Bytes> Encode(const RawBatch& batch, const Ed25519PrivateKey& device_key);

 private:
  struct ZstdCCtxFree {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
  };

  Bytes packed_;  // the MessagePack, reused
  std::unique_ptr<ZSTD_CCtx, ZstdCCtxFree> cctx_;
};

// Appends the MessagePack form of one JSON text to *out, exactly as
// nlohmann::json::to_msgpack(nlohmann::json::parse(json)) would write it.
// InvalidArgument (naming `field`) when json is not valid JSON.
Status AppendJsonAsMsgpack(std::string_view json, std::string_view field, Bytes* out);

}  // namespace feedback::protocol
