// Fuzz target for device.json (shared/device/device_config.h), which the sync
// daemon, the kiosk and the agent desktop read at start; a damaged or
// hand-edited file must give an error naming the file, never a crash. What
// loads must hold the documented shape and survive the save format's round
// trip (SaveDeviceConfig writes exactly these fields). Must never crash, hang
// or leak.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "device/device_config.h"
#include "fuzz_common.h"

using feedback::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "/var/lib/feedback/device/device.json";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  feedback::Result<feedback::DeviceConfig> config = feedback::ParseDeviceConfig(text, path);
  if (!config.ok()) {
    Check(config.status().message().rfind(path + ": ", 0) == 0);
    return 0;
  }
  const feedback::DeviceConfig& c = *config;
  Check(!c.device_id.empty() && !c.site_id.empty() && !c.central_url.empty());
  Check(c.central_hpke_public_key.size() == 32);
  // Relative paths were anchored at the file's folder.
  Check(std::filesystem::path(c.device_key_file).is_absolute());
  Check(std::filesystem::path(c.capture_db).is_absolute());
  // The save format (as SaveDeviceConfig writes it) loads back to the same value.
  const nlohmann::json saved = {{"device_id", c.device_id},
                                {"site_id", c.site_id},
                                {"kind", feedback::DeviceKindName(c.kind)},
                                {"team", c.team},
                                {"central_url", c.central_url},
                                {"central_hpke_public_key",
                                 feedback::Base64Encode(c.central_hpke_public_key)},
                                {"central_cert_sha256", c.central_cert_sha256},
                                {"device_key_file", c.device_key_file},
                                {"capture_db", c.capture_db}};
  feedback::Result<feedback::DeviceConfig> again =
      feedback::ParseDeviceConfig(saved.dump(2, ' ', false, nlohmann::json::error_handler_t::replace), path);
  // Strings that are not UTF-8 are replaced when dumped, so compare only when
  // the dump kept them (nlohmann's parser accepted the input, so it is UTF-8).
  Check(again.ok() && *again == c);
  return 0;
}
