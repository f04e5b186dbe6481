// Drafts: a half-filled call log kept across a crash or a closed window, without ever
// resting on disk in plaintext (it holds free text: the call reference, notes, praise).
//
//   DraftToJson / FormFromDraft  the form <-> a JSON document that also carries the exact
//                                survey definition the log was started with, so a restored
//                                draft keeps its version even if a newer one arrived
//   DraftVault                   seals that JSON with AES-256-GCM under a device-local
//                                draft key (a 32-byte 0600 file beside the device key,
//                                made on first use), bound to the device and staff id as
//                                associated data, and stores the sealed blob (base64) in
//                                the capture store's settings under "agent.draft.<staff>"
//
// Why a local key and not the central store's HPKE key: records are sealed to the central
// store so that the device itself cannot read them back; a draft must be read back by
// this device after a restart, so its key has to live here. docs/agent-client.md
// discusses what that protects (copies of the DB, backups, the sync path) and what it
// does not (an attacker with the whole disk, who gets the key file too).
//
// Threading: a DraftVault owns its AES-GCM context and is used from one thread.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/aes_gcm.h"
#include "logic/call_log_form.h"
#include "store/capture_store.h"

namespace feedback::agent {

// The settings key under which a rep's draft is kept.
std::string DraftSettingKey(std::string_view staff_id);

// The form's values, focus, start time and survey definition as JSON.
std::string DraftToJson(const FormState& form);

// A form rebuilt from DraftToJson() output. Fails with InvalidArgument naming the
// problem when the JSON or the definition inside it is malformed.
Result<FormState> FormFromDraft(std::string_view json, std::string locale);

class DraftVault {
 public:
  // Reads the draft key at key_path (must be mode 0600), or creates it there when it does
  // not exist yet. device_id goes into the associated data of every draft.
  static Result<DraftVault> OpenOrCreate(const std::string& key_path, std::string device_id);

  // base64(nonce || ciphertext || tag) of json, bound to this device and staff_id.
  Result<std::string> Seal(std::string_view json, std::string_view staff_id);
  // The inverse; CryptoError when the blob was not sealed by this key for this rep.
  Result<std::string> Open(std::string_view sealed, std::string_view staff_id);

  // Seals the form and stores it for staff_id, durably; an empty form removes the draft.
  Status Save(CaptureStore& store, std::string_view staff_id, const FormState& form);
  // The stored draft for staff_id: NotFound when there is none, CryptoError when it
  // cannot be opened (another key), InvalidArgument when it cannot be parsed.
  Result<FormState> Load(CaptureStore& store, std::string_view staff_id, std::string locale);
  // Removes the stored draft for staff_id.
  Status Discard(CaptureStore& store, std::string_view staff_id);

 private:
  DraftVault(AesGcm gcm, std::string device_id)
      : gcm_(std::move(gcm)), device_id_(std::move(device_id)) {}

  Bytes AssociatedData(std::string_view staff_id) const;

  AesGcm gcm_;
  std::string device_id_;
};

}  // namespace feedback::agent
