// How long ago this process was started by the kernel (exec), for the "start to first
// frame" figure: it includes dynamic loading and everything before main(). Reads
// /proc/self/stat (start time in clock ticks since boot) against CLOCK_BOOTTIME, so the
// resolution is one clock tick (10 ms on Linux). Thread-safe.
#pragma once

#include <optional>

namespace feedback::agent {

// Milliseconds since exec, or nullopt when /proc is not readable.
std::optional<double> ProcessAgeMs();

}  // namespace feedback::agent
