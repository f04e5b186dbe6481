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
  int64_t records_quarantined = 0;
  // Set when repeated sequence conflicts suggest two devices share this key
  // (NoteSeqConflict); cleared by RevokeDevice and ClearPossibleClone.
  std::optional<TimeMs> possible_clone_at;
  std::string possible_clone_reason;
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

  // NotFound for an unknown id. RevokeDevice also clears a possible-clone
  // mark (the key is dead; the operator has acted).
  virtual Result<Device> GetDevice(const std::string& device_id) = 0;
  virtual Result<std::vector<Device>> ListDevices() = 0;
  virtual Status RevokeDevice(const std::string& device_id, TimeMs now) = 0;
  // Health bookkeeping (best effort for the caller): last seen, last error.
  virtual Status NoteDeviceSeen(const std::string& device_id, TimeMs now) = 0;
  virtual Status NoteDeviceError(const std::string& device_id, const std::string& error,
                                 TimeMs now) = 0;
  // A sequence conflict (409) of a device, in one transaction: `error` becomes
  // its last error, the conflict is kept, and when `conflicts` of them fall
  // within `window_ms` of now and the device is not marked yet, it is marked
  // possible clone with `clone_reason` and one alert per configured channel
  // (webhook; e-mail to every active admin with an address) is queued.
  // Returns true when this call marked the device.
  virtual Result<bool> NoteSeqConflict(const std::string& device_id, const std::string& error,
                                       TimeMs now, int conflicts, TimeMs window_ms,
                                       const std::string& clone_reason) = 0;
  // Clears the possible-clone mark and forgets the device's conflicts.
  // NotFound for an unknown id.
  virtual Status ClearPossibleClone(const std::string& device_id) = 0;

  // What GET /api/v1/device/state returns for a device.
  virtual Result<protocol::DeviceState> DeviceState(const Device& device) = 0;
};

}  // namespace feedback::central
