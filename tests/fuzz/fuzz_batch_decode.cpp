// Fuzz target for the sync batch decoder (shared/protocol/batch_codec.h), the
// first code on the central store that touches bytes from the network. Feeds
// arbitrary bytes to DecodeBatch twice: as a whole envelope, and as the
// MessagePack batch object (compressed and wrapped in a valid envelope here),
// so mutations reach the MessagePack parser and the field checks, not only the
// envelope and zstd. Whatever decodes must satisfy the documented bounds,
// verify without crashing, and survive a re-encode/decode round trip
// unchanged; DecodeBatchForIngest must answer exactly as DecodeBatch. Must
// never crash, hang, leak or allocate without bound.
#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "crypto/ed25519_private_key.h"
#include "model/record.h"
#include "protocol/batch_codec.h"
#include "protocol/limits.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

const feedback::Ed25519PrivateKey& FuzzKey() {
  static const feedback::Ed25519PrivateKey key = [] {
    feedback::Result<feedback::Ed25519PrivateKey> k =
        feedback::Ed25519PrivateKey::FromSeed(feedback::Bytes(32, 0x42));
    Check(k.ok());
    return std::move(k).value();
  }();
  return key;
}

// "FBB1" | 1 | length | zstd(msgpack) | 64 zero bytes (the signature is not checked here).
feedback::Bytes WrapMsgpack(const uint8_t* data, size_t size) {
  feedback::Bytes out = {'F', 'B', 'B', '1', 1, 0, 0, 0, 0};
  out.resize(9 + ZSTD_compressBound(size));
  const size_t n = ZSTD_compress(out.data() + 9, out.size() - 9, data, size, 1);
  Check(!ZSTD_isError(n));
  out.resize(9 + n);
  out[5] = static_cast<uint8_t>(n >> 24);
  out[6] = static_cast<uint8_t>(n >> 16);
  out[7] = static_cast<uint8_t>(n >> 8);
  out[8] = static_cast<uint8_t>(n);
  out.resize(out.size() + 64, 0);
  return out;
}

// DecodeBatchForIngest must answer exactly as DecodeBatch: the same error, or
// the same batch with every record it read into `parsed` equal to its JSON
// public part both ways (RecordFromJson(pub) and RecordToJson(parsed)).
void CheckIngestDecoderAgrees(feedback::ByteView envelope,
                              const feedback::Result<feedback::protocol::DecodedBatch>& general) {
  using namespace feedback::protocol;
  feedback::Result<DecodedBatch> ingest = DecodeBatchForIngest(envelope);
  Check(ingest.ok() == general.ok());
  if (!general.ok()) {
    Check(ingest.status().code() == general.status().code());
    Check(ingest.status().message() == general.status().message());
    return;
  }
  Batch normalized = ingest->batch;
  Check(normalized.records.size() == general->batch.records.size());
  for (size_t i = 0; i < normalized.records.size(); ++i) {
    BatchRecord& r = normalized.records[i];
    if (!r.parsed) continue;
    const nlohmann::json& pub = general->batch.records[i].pub;
    Check(r.pub == nlohmann::json::object());
    feedback::Result<feedback::FeedbackRecord> from_json = feedback::RecordFromJson(pub);
    Check(from_json.ok() && *from_json == *r.parsed);
    r.pub = feedback::RecordToJson(*r.parsed);
    r.parsed.reset();
  }
  Check(normalized == general->batch);
  Check(ingest->signed_message == general->signed_message && ingest->digest == general->digest &&
        ingest->signature == general->signature);
}

void DecodeAndCheck(feedback::ByteView envelope) {
  using namespace feedback::protocol;
  feedback::Result<DecodedBatch> decoded = DecodeBatch(envelope);
  CheckIngestDecoderAgrees(envelope, decoded);
  if (!decoded.ok()) {
    Check(!decoded.status().message().empty());
    return;
  }
  const Batch& b = decoded->batch;
  Check(envelope.size() <= kMaxBatchBytes);
  Check(!b.records.empty() && b.records.size() <= kMaxRecordsPerBatch);
  Check(b.seq >= 1 && b.backlog >= 0 && b.created >= 0);
  Check(decoded->signature.size() == kBatchSignatureSize && decoded->digest.size() == 32);
  Check(feedback::protocol::ValidateBatch(b).ok());
  // Verification must give an answer, never crash (the seeds are signed with FuzzKey()).
  (void)VerifyBatch(*decoded, FuzzKey().public_key_bytes());
  // What decodes re-encodes (unless it no longer fits) and decodes to the same batch.
  feedback::Result<feedback::Bytes> again = EncodeBatch(b, FuzzKey());
  if (again.ok()) {
    feedback::Result<DecodedBatch> round = DecodeBatch(*again);
    Check(round.ok() && round->batch == b);
    Check(VerifyBatch(*round, FuzzKey().public_key_bytes()).ok());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  DecodeAndCheck(feedback::ByteView(data, size));
  if (size <= feedback::protocol::kMaxDecompressedPayload) DecodeAndCheck(WrapMsgpack(data, size));
  return 0;
}
