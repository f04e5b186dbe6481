// HPKE (RFC 9180) for the suite DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
// AES-128-GCM or AES-256-GCM, in base mode and auth mode, on OpenSSL 3.0 EVP
// primitives (Debian 12's OpenSSL has no OSSL_HPKE API). Plain functions,
// thread-safe; the contexts they return are not (see hpke_context.h).
//
//   sender:    auto s = HpkeSetupBaseS(aead, pkR, info);   send s->enc, s->context.Seal(...)
//   recipient: auto c = HpkeSetupBaseR(aead, enc, skR, info); c->Open(...)
//
// Every failure is a Status naming the step; a bad enc, key or ciphertext is
// CryptoError. Internals (Encap, KeySchedule, labeled HKDF) for the RFC test
// vectors are in crypto/hpke_internal.h.
#pragma once

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/hpke_context.h"
#include "crypto/x25519_key_pair.h"

namespace feedback {

struct HpkeSenderSetup {
  Bytes enc;  // the encapsulated key (the ephemeral public key, 32 bytes)
  HpkeContext context;
};

// Single-shot output: the encapsulated key and one ciphertext (sequence 0).
struct HpkeSealed {
  Bytes enc;
  Bytes ciphertext;
};

// DeriveKeyPair (RFC 9180 7.1.3) for DHKEM(X25519, HKDF-SHA256): a key pair
// from at least 32 bytes of input keying material.
Result<X25519KeyPair> HpkeDeriveKeyPair(ByteView ikm);

// Base mode (mode_base): a fresh ephemeral key per call.
Result<HpkeSenderSetup> HpkeSetupBaseS(HpkeAead aead, ByteView recipient_public_key, ByteView info);
Result<HpkeContext> HpkeSetupBaseR(HpkeAead aead, ByteView enc, const X25519KeyPair& recipient_key,
                                   ByteView info);

// Auth mode (mode_auth): the sender also proves possession of sender_key.
Result<HpkeSenderSetup> HpkeSetupAuthS(HpkeAead aead, ByteView recipient_public_key, ByteView info,
                                       const X25519KeyPair& sender_key);
Result<HpkeContext> HpkeSetupAuthR(HpkeAead aead, ByteView enc, const X25519KeyPair& recipient_key,
                                   ByteView info, ByteView sender_public_key);

// Single-shot base mode (RFC 9180 6.1).
Result<HpkeSealed> HpkeSealBase(HpkeAead aead, ByteView recipient_public_key, ByteView info,
                                ByteView aad, ByteView plaintext);
Result<Bytes> HpkeOpenBase(HpkeAead aead, ByteView enc, const X25519KeyPair& recipient_key,
                           ByteView info, ByteView aad, ByteView ciphertext);

}  // namespace feedback
