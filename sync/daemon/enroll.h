// Enrollment, device side (docs/protocol.md "Enrollment"): turn a one-time
// token from `feedback-central enroll-token` into an enrolled device folder:
//   DIR/device.key   the device's new Ed25519 key (PKCS#8 PEM, mode 0600)
//   DIR/capture.db   the capture store, created empty
//   DIR/device.json  identity, central URL, HPKE key and the certificate pin
// The very first connection is already pinned: the token carries the SHA-256
// of the central certificate, and the transport refuses any other certificate.
// device.json is written last, so its presence means enrollment completed.
//
// Threading: plain functions, run once from main.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/bytes.h"
#include "core/result.h"
#include "daemon/transport.h"
#include "device/device_config.h"

namespace feedback::sync {

struct EnrollOptions {
  std::string server_url;
  std::string token;
  std::string dir;
  DeviceKind kind = DeviceKind::kKiosk;
  std::string hostname;  // sent for the operator's device list
};

// Makes a transport to url pinned to cert_sha256 (CurlTransport in production).
using TransportFactory = std::function<Result<std::unique_ptr<Transport>>(
    const std::string& url, const std::string& cert_sha256)>;

// Runs the whole enrollment. AlreadyExists when DIR/device.json exists;
// Unauthenticated when the central store refuses the token or the
// certificate does not match the pin; Unavailable when it cannot be reached
// (run the command again: the token is only spent by a successful enrollment).
Result<DeviceConfig> Enroll(const EnrollOptions& options, const TransportFactory& make_transport);

}  // namespace feedback::sync
