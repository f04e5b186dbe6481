// DeviceConfig: what an enrolled device knows about itself and its central
// store, kept in <data dir>/device.json. `feedback-sync enroll` writes it; the
// kiosk, the agent desktop and the sync daemon read it. It holds no secrets
// (the device's private key is a separate 0600 file it names), but it is
// written atomically (temp file + fsync + rename) so a crash never leaves a
// half-written file. Plain value; no thread affinity.
#pragma once

#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback {

enum class DeviceKind { kKiosk, kAgent };

struct DeviceConfig {
  std::string device_id;
  std::string site_id;
  DeviceKind kind = DeviceKind::kKiosk;
  std::string team;                // agent desktops: the rep's call-center team
  std::string central_url;         // e.g. https://central.example:8443
  Bytes central_hpke_public_key;   // raw X25519, 32 bytes: records are sealed to it
  std::string central_cert_sha256; // pinned TLS certificate (hex SHA-256 of its DER)
  std::string device_key_file;     // Ed25519 private key (PEM, mode 0600)
  std::string capture_db;          // the local capture database

  bool operator==(const DeviceConfig&) const = default;
};

std::string_view DeviceKindName(DeviceKind kind);

// Reads and validates device.json; the error names the file and the field.
Result<DeviceConfig> LoadDeviceConfig(const std::string& path);
// The parse and validation of LoadDeviceConfig on text already read from
// `path` (which names the file in errors and anchors relative paths).
Result<DeviceConfig> ParseDeviceConfig(std::string_view text, const std::string& path);
Status SaveDeviceConfig(const std::string& path, const DeviceConfig& config);

// Writes contents to path atomically: a temp file in the same folder with the
// given mode, fsynced, renamed over path, and the folder fsynced.
Status WriteFileAtomically(const std::string& path, std::string_view contents, unsigned mode);
Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes);

}  // namespace feedback
