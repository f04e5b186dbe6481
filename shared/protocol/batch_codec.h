// Batch envelope codec (docs/protocol.md "Batch format"): encodes a Batch as
//   "FBB1" | version 1 | payload length P (u32 BE) | zstd(MessagePack) | Ed25519 sig(64)
// signed by the device key over kBatchSignatureDomain | bytes [0, 9 + P), and
// decodes such bytes strictly: every bound checked before work is done
// (compressed <= 1 MiB, decompressed <= 8 MiB read from the zstd frame header
// before inflating, <= 1000 records), exact lengths, nothing after the
// signature, every field of the batch object type-checked, unknown keys and
// unknown versions refused.
//
// Decoding does not verify the signature - the verifier needs the device's
// key, which the receiver looks up by the device id inside - so callers
// always do DecodeBatch() then VerifyBatch() before trusting anything.
//
// Errors (the message names the field, e.g. "batch records[3].sealed: ..."):
//   InvalidArgument    malformed envelope or object
//   ResourceExhausted  a size or count limit was exceeded
//   VersionMismatch    unknown format version or "v" ("unsupported protocol version ...")
//   Unauthenticated    (VerifyBatch) the signature does not match
// Plain functions, no I/O, thread-safe; inputs are treated as hostile.
#pragma once

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/ed25519_private_key.h"
#include "crypto/ed25519_public_key.h"
#include "protocol/batch.h"

namespace feedback::protocol {

struct DecodedBatch {
  Batch batch;
  Bytes signed_message;  // kBatchSignatureDomain | envelope[0, 9 + P): what the signature covers
  Bytes signature;       // 64 bytes
  Bytes digest;          // SHA-256 of the whole envelope (replay detection)
};

// Checks the structural rules the decoder enforces (ids, counts, sizes, epoch
// references), so a sender finds out before signing. Same errors as DecodeBatch.
Status ValidateBatch(const Batch& batch);

// The signed envelope. ResourceExhausted when the compressed payload exceeds
// 1 MiB or the MessagePack 8 MiB - the sender should split the batch.
Result<Bytes> EncodeBatch(const Batch& batch, const Ed25519PrivateKey& device_key);

// Parses and bounds-checks an envelope; does NOT verify the signature.
Result<DecodedBatch> DecodeBatch(ByteView envelope);

// DecodeBatch for the central store's ingest: the same checks, errors and
// batch, except that when every record's public part has the form a device
// sends (RecordToJson(PublicPart(r)) without received_at: no unknown or
// duplicate keys, no nil, no empty staff_id/choices, ...), each is read
// straight into BatchRecord::parsed without building JSON (`pub` stays an
// empty map). Otherwise (a batch with any other public part, or an error) it
// is DecodeBatch, `pub` filled and `parsed` empty.
Result<DecodedBatch> DecodeBatchForIngest(ByteView envelope);

// OK when decoded.signature is the device key's signature of decoded.signed_message.
Status VerifyBatch(const DecodedBatch& decoded, const Ed25519PublicKey& device_key);
// Same with the raw 32-byte public key (InvalidArgument if it is malformed).
Status VerifyBatch(const DecodedBatch& decoded, ByteView device_public_key);

}  // namespace feedback::protocol
