// The building blocks of crypto/hpke.h, exposed for the RFC 9180 test vectors
// and for tests that pin the ephemeral key. Production code calls hpke.h.
// Plain functions, thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/hpke.h"
#include "crypto/secret_bytes.h"
#include "crypto/x25519_key_pair.h"

namespace feedback::hpke_internal {

// "KEM" || I2OSP(0x0020, 2)
Bytes KemSuiteId();
// "HPKE" || I2OSP(kem_id, 2) || I2OSP(kdf_id, 2) || I2OSP(aead_id, 2)
Bytes HpkeSuiteId(HpkeAead aead);

// RFC 9180 4: Extract(salt, "HPKE-v1" || suite_id || label || ikm).
Result<SecretBytes> LabeledExtract(ByteView suite_id, ByteView salt, std::string_view label,
                                   ByteView ikm);
// RFC 9180 4: Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L).
Result<SecretBytes> LabeledExpand(ByteView suite_id, ByteView prk, std::string_view label,
                                  ByteView info, size_t length);

struct Encapsulation {
  SecretBytes shared_secret;
  Bytes enc;
};

// Encap / AuthEncap (RFC 9180 4.1) with an explicit ephemeral key;
// sender_key == nullptr selects Encap.
Result<Encapsulation> Encap(ByteView recipient_public_key, const X25519KeyPair& ephemeral_key,
                            const X25519KeyPair* sender_key);
// Decap / AuthDecap; an empty sender_public_key selects Decap.
Result<SecretBytes> Decap(ByteView enc, const X25519KeyPair& recipient_key,
                          ByteView sender_public_key);

// KeySchedule (RFC 9180 5.1) with psk = psk_id = "" (base and auth modes).
Result<HpkeKeySchedule> KeySchedule(HpkeMode mode, HpkeAead aead, ByteView shared_secret,
                                    ByteView info);

// SetupBaseS / SetupAuthS with a caller-chosen ephemeral key (tests only: a
// reused ephemeral key destroys HPKE's security). sender_key == nullptr means
// base mode.
Result<HpkeSenderSetup> SetupSenderWithEphemeral(HpkeAead aead, ByteView recipient_public_key,
                                                 ByteView info, const X25519KeyPair& ephemeral_key,
                                                 const X25519KeyPair* sender_key);

}  // namespace feedback::hpke_internal
