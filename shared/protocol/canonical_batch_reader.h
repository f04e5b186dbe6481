// Private to shared/protocol: the fast path of DecodeBatchForIngest. Reads the
// MessagePack batch object straight into a Batch - each record's public part
// into BatchRecord::parsed, never into a JSON tree - by driving nlohmann's
// MessagePack SAX parser (the same parser, and the same value-count bound, as
// ParseBoundedMsgpack) with a handler that knows the batch schema.
//
// It only ever accepts; it never explains. It gives up (nullopt) at the first
// thing that is not a valid batch in canonical form: a type or key the schema
// does not have, a duplicate key, a nil or empty value RecordToJson would not
// write, a malformed MessagePack byte, too many values, or a batch
// ValidateBatch refuses. The caller then decodes the same bytes the general
// way (ParseBoundedMsgpack + the field checks), which gives the exact error -
// or, for a valid batch in another form, the batch with JSON public parts. So
// for every input it accepts, the general decoder gives the same Batch (with
// pub == RecordToJson(*parsed)); tests/fuzz/fuzz_batch_decode.cpp checks that.
// Plain function, thread-safe.
#pragma once

#include <cstddef>
#include <optional>

#include "core/bytes.h"
#include "protocol/batch.h"

namespace feedback::protocol {

std::optional<Batch> ReadCanonicalBatch(ByteView msgpack, size_t max_values);

}  // namespace feedback::protocol
