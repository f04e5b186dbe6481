// FieldSealer: how the capture store turns a record's sensitive fields (free
// text, names, contact details) into ciphertext before anything touches disk.
// The store knows nothing of the cryptography behind it; capture/EpochSealer
// is the production implementation (AES-256-GCM under an epoch key that is
// itself HPKE-sealed to the central store). Implementations need not be
// thread-safe: each capturing process owns one and calls it from one thread.
#pragma once

#include <string>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback {

struct SealedFields {
  std::string epoch_id;     // names the epoch key the ciphertext is under
  Bytes sealed_epoch_key;   // that epoch key, sealed to the central store (persisted once per epoch)
  Bytes ciphertext;         // self-contained: nonce, ciphertext and tag
};

class FieldSealer {
 public:
  virtual ~FieldSealer() = default;

  // Encrypts plaintext bound to associated_data (see RecordAssociatedData()).
  // Fails only if the cryptographic library fails; the message names why.
  virtual Result<SealedFields> Seal(ByteView plaintext, ByteView associated_data) = 0;
};

}  // namespace feedback
