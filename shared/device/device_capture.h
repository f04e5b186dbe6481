// DeviceCapture: everything a capturing app (kiosk or agent desktop) needs to
// store records the way DESIGN.md requires - the device's configuration, an
// EpochSealer keyed to the central store's public key, and the capture store
// sealing through it. Sealing is not optional: there is no way to open a
// capture session without the central key.
//
// Threading: one DeviceCapture per process, used from one thread. Owns the
// sealer and the store; the store borrows the sealer, which is heap-allocated
// so its address survives moves of this object.
#pragma once

#include <memory>
#include <string>

#include "capture/epoch_sealer.h"
#include "core/clock.h"
#include "device/device_config.h"
#include "store/capture_store.h"

namespace feedback {

class DeviceCapture {
 public:
  // Opens the capture database named by config with a fresh epoch.
  static Result<DeviceCapture> Open(const DeviceConfig& config,
                                    const Clock& clock = SystemClock::Instance());

  const DeviceConfig& config() const { return config_; }
  CaptureStore& store() { return store_; }

 private:
  DeviceCapture(DeviceConfig config, std::unique_ptr<EpochSealer> sealer, CaptureStore store)
      : config_(std::move(config)), sealer_(std::move(sealer)), store_(std::move(store)) {}

  DeviceConfig config_;
  std::unique_ptr<EpochSealer> sealer_;
  CaptureStore store_;
};

}  // namespace feedback
