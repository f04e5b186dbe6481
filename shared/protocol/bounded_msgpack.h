// Private to shared/protocol: MessagePack -> nlohmann::json with bounds on
// nesting depth and on the number of values, so hostile input can neither
// recurse the parser off the stack nor make it allocate millions of tiny
// nodes. nlohmann's own from_msgpack recurses without a limit; this drives
// its SAX interface and stops at the first bound. Plain function, thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback::protocol {

// InvalidArgument for malformed MessagePack (including trailing bytes),
// ResourceExhausted when depth or value count exceeds the bound.
Result<nlohmann::json> ParseBoundedMsgpack(ByteView data, size_t max_depth, size_t max_values);

}  // namespace feedback::protocol
