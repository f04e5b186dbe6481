// The two things feedback-kiosk can do, each a plain function main() calls:
// RunKiosk opens the device's capture session, builds the controller and runs the
// full-screen frame loop until an admin exits (or SIGTERM); RunSetPin writes the
// admin PIN hash. Both return the process exit code and log why they failed.
// Main thread only (SDL).
#pragma once

#include <chrono>

#include "logic/kiosk_options.h"

namespace feedback::kiosk {

int RunKiosk(const KioskOptions& options, std::chrono::steady_clock::time_point process_start);
int RunSetPin(const SetPinOptions& options);

}  // namespace feedback::kiosk
