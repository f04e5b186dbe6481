// OpenSSL plumbing private to shared/crypto: std::unique_ptr aliases that own
// every OpenSSL handle we use, and the conversion of OpenSSL's error queue into
// a feedback::Status. Public crypto headers never include this file, so no raw
// OpenSSL type leaks out of the library. Everything here is stateless and
// thread-safe (OpenSSL's error queue is per thread).
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <cstddef>
#include <limits>
#include <memory>
#include <string_view>

#include "core/status.h"

namespace feedback::openssl {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Deleter<EVP_CIPHER, EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, Deleter<EVP_MAC, EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX, EVP_MAC_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

// A Status of the given code whose message is "<what>: <OpenSSL reason strings>"
// (every entry of this thread's error queue, oldest first, joined by "; "), or
// "<what>: no OpenSSL error was queued". Always leaves the error queue empty.
Status ErrorWithCode(Status::Code code, std::string_view what);

// ErrorWithCode(kCryptoError, what): the usual failure of an OpenSSL call.
Status Error(std::string_view what);

// Drops stale entries from this thread's error queue, so that a later failure
// reports only its own reasons. Call before a sequence of OpenSSL calls on
// setup paths; it costs about 100 ns, so per-record paths (AesGcm) skip it.
void ClearErrors();

// True if n fits in the int length parameters of the EVP API.
inline bool FitsInt(size_t n) { return n <= static_cast<size_t>(std::numeric_limits<int>::max()); }

}  // namespace feedback::openssl
