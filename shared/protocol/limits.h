// Wire protocol constants (docs/protocol.md "Limits", "Batch format",
// "Signed requests"): magic, versions, size bounds and signing domains. Both
// the device (feedback-sync) and the central store (feedback-central) use
// these, so a limit is changed in exactly one place. Plain constants.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace feedback::protocol {

// Envelope: magic(4) | format version(1) | payload length(4, big-endian) |
// payload | Ed25519 signature(64).
inline constexpr std::string_view kBatchMagic = "FBB1";
inline constexpr uint8_t kBatchFormatVersion = 1;
inline constexpr size_t kBatchHeaderSize = 9;
inline constexpr size_t kBatchSignatureSize = 64;
// The batch object's "v".
inline constexpr int64_t kProtocolVersion = 1;

// Domain separation: what a device signs is never a valid signature elsewhere.
// The batch domain includes its terminating NUL (18 bytes).
inline constexpr std::string_view kBatchSignatureDomain{"feedback-batch-v1\0", 18};
inline constexpr std::string_view kRequestSignatureDomain = "feedback-request-v1\n";

inline constexpr size_t kMaxCompressedPayload = 1024 * 1024;        // 1 MiB
inline constexpr size_t kMaxDecompressedPayload = 8 * 1024 * 1024;  // 8 MiB
// Largest envelope on the wire, and so the largest POST /api/v1/batches body.
inline constexpr size_t kMaxBatchBytes =
    kBatchHeaderSize + kMaxCompressedPayload + kBatchSignatureSize;
inline constexpr size_t kMaxRecordsPerBatch = 1000;
inline constexpr size_t kMaxEpochsPerBatch = 1000;
// MessagePack structure bounds (a bomb of tiny nested values is refused while parsing).
inline constexpr size_t kMaxMsgpackDepth = 32;
inline constexpr size_t kMaxMsgpackValues = 500'000;
inline constexpr size_t kMaxIdBytes = 128;               // device, site, epoch ids
inline constexpr size_t kSealedEpochKeySize = 80;        // enc(32) | ct(32) | tag(16)
inline constexpr size_t kMinSealedFieldsSize = 12 + 16;  // nonce | tag, empty plaintext
inline constexpr size_t kMaxSealedFieldsSize = 256 * 1024;

// Signed requests: timestamps further than this from the central clock are refused.
inline constexpr int64_t kMaxRequestSkewMs = 5 * 60 * 1000;

// Enrollment tokens.
inline constexpr size_t kTokenSecretSize = 32;
inline constexpr int64_t kDefaultTokenTtlMs = 24LL * 60 * 60 * 1000;

// JSON request/response bodies other than batches (enroll, device state).
inline constexpr size_t kMaxJsonBodyBytes = 64 * 1024;
inline constexpr size_t kMaxDeviceStateBytes = 16 * 1024 * 1024;

// HTTP paths, content type and header names.
inline constexpr std::string_view kEnrollPath = "/api/v1/enroll";
inline constexpr std::string_view kBatchesPath = "/api/v1/batches";
inline constexpr std::string_view kDeviceStatePath = "/api/v1/device/state";
inline constexpr std::string_view kBatchContentType = "application/vnd.feedback.batch";
inline constexpr std::string_view kDeviceHeader = "X-Feedback-Device";
inline constexpr std::string_view kTimestampHeader = "X-Feedback-Timestamp";
inline constexpr std::string_view kSignatureHeader = "X-Feedback-Signature";

}  // namespace feedback::protocol
