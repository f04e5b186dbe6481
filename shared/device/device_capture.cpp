#include "device/device_capture.h"

namespace feedback {

Result<DeviceCapture> DeviceCapture::Open(const DeviceConfig& config, const Clock& clock) {
  Result<EpochSealer> sealer = EpochSealer::Create(config.central_hpke_public_key, clock);
  if (!sealer.ok()) return sealer.status().WithContext("starting the record-sealing epoch");
  auto owned = std::make_unique<EpochSealer>(std::move(sealer).value());
  FEEDBACK_ASSIGN_OR_RETURN(CaptureStore store, CaptureStore::Open(config.capture_db, owned.get(), clock));
  return DeviceCapture(config, std::move(owned), std::move(store));
}

}  // namespace feedback
