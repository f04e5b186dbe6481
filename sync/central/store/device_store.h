// DeviceStore: the store's role for devices - one-time enrollment tokens, the
// enrolled devices with their health bookkeeping, and the state a device
// pulls (surveys, roster, published stories). One of the role interfaces
// CentralStore aggregates (central_store.h).
//
// Threading and errors: as CentralStore.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/result.h"
#include "protocol/messages.h"

namespace feedback::central {

struct EnrollmentTokenRow {
  std::string token_hash;  // protocol::TokenSecretHash(secret)
  std::string site_id;
  std::string kind;  // "kiosk" | "agent"
  std::string team;
  TimeMs created_at = 0;
  TimeMs expires_at = 0;
};

struct Device {
  std::string device_id;
  std::string site_id;
  std::string kind;
  std::string team;
  std::string hostname;
  Bytes public_key;  // raw Ed25519
  TimeMs enrolled_at = 0;
  std::optional<TimeMs> revoked_at;
  std::optional<TimeMs> last_seen_at;   // any authenticated request
  std::optional<TimeMs> last_batch_at;  // last batch stored
  int64_t last_seq = 0;
  int64_t backlog = 0;  // from the last batch header
  int64_t records_stored = 0;
  std::string last_error;  // empty when the last request succeeded
  std::optional<TimeMs> last_error_at;
};

class DeviceStore {
 public:
  virtual ~DeviceStore() = default;

  // EnrollDevice consumes the token and registers the device in one
  // transaction: Unauthenticated for an unknown or used token, or one that
  // expired (the messages differ), InvalidArgument when kind does not match,
  // PermissionDenied when public_key is the key of a revoked device.
  virtual Status InsertEnrollmentToken(const EnrollmentTokenRow& token) = 0;
  virtual Result<Device> EnrollDevice(const std::string& token_hash, const std::string& kind,
                                      ByteView public_key, const std::string& hostname,
                                      const std::string& new_device_id, TimeMs now) = 0;

  // NotFound for an unknown id.
  virtual Result<Device> GetDevice(const std::string& device_id) = 0;
  virtual Result<std::vector<Device>> ListDevices() = 0;
  virtual Status RevokeDevice(const std::string& device_id, TimeMs now) = 0;
  // Health bookkeeping (best effort for the caller): last seen, last error.
  virtual Status NoteDeviceSeen(const std::string& device_id, TimeMs now) = 0;
  virtual Status NoteDeviceError(const std::string& device_id, const std::string& error,
                                 TimeMs now) = 0;

  // What GET /api/v1/device/state returns for a device.
  virtual Result<protocol::DeviceState> DeviceState(const Device& device) = 0;
};

}  // namespace feedback::central
