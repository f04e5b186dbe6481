// HpkeContext: an RFC 9180 encryption context (section 5.2) for the suite
// DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM or AES-256-GCM, made
// by the Setup functions in crypto/hpke.h. A sender context Seals, a recipient
// context Opens; both Export. Each Seal/Open uses nonce = base_nonce XOR seq
// and advances seq only on success, so messages must be opened in the order
// they were sealed. Not thread-safe (seq and the cipher context mutate).
// Owns its keys; they are wiped when the context is destroyed. Movable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/aes_gcm.h"
#include "crypto/secret_bytes.h"

namespace feedback {

// RFC 9180 aead_id values this library implements.
enum class HpkeAead : uint16_t { kAes128Gcm = 0x0001, kAes256Gcm = 0x0002 };

// RFC 9180 modes this library implements (PSK modes are not).
enum class HpkeMode : uint8_t { kBase = 0x00, kAuth = 0x02 };

// The output of KeySchedule (RFC 9180 5.1), before it becomes a context.
struct HpkeKeySchedule {
  SecretBytes key;              // Nk bytes: 16 or 32
  Bytes base_nonce;             // Nn = 12 bytes
  SecretBytes exporter_secret;  // Nh = 32 bytes
};

class HpkeContext {
 public:
  enum class Role { kSender, kRecipient };

  static Result<HpkeContext> Create(Role role, HpkeAead aead, HpkeKeySchedule schedule);

  HpkeContext(HpkeContext&&) noexcept;
  HpkeContext& operator=(HpkeContext&&) noexcept;
  ~HpkeContext();

  // Sender only: ciphertext || tag for the next sequence number.
  // InvalidArgument on a recipient context; CryptoError once the sequence
  // number is exhausted (2^64 - 1 messages, below RFC 9180's 2^96 - 1 limit).
  Result<Bytes> Seal(ByteView aad, ByteView plaintext);
  // Recipient only: the plaintext of the next message in sequence. CryptoError
  // (and no plaintext) if the ciphertext, aad, key or sequence number is wrong;
  // the sequence number then stays where it was.
  Result<Bytes> Open(ByteView aad, ByteView ciphertext);
  // Secret export (RFC 9180 5.3); length at most 255 * 32.
  Result<SecretBytes> Export(ByteView exporter_context, size_t length) const;

  uint64_t sequence_number() const { return seq_; }
  Role role() const { return role_; }

  // Tests only: jump to a sequence number (to test overflow and misordering).
  void SetSequenceNumberForTesting(uint64_t seq) { seq_ = seq; }

 private:
  HpkeContext(Role role, HpkeAead aead, AesGcm cipher, Bytes base_nonce,
              SecretBytes exporter_secret);
  Bytes ComputeNonce() const;
  Status CheckMessageLimit() const;

  Role role_;
  HpkeAead aead_;
  AesGcm cipher_;  // holds the AEAD key
  Bytes base_nonce_;
  SecretBytes exporter_secret_;
  uint64_t seq_ = 0;
};

}  // namespace feedback
