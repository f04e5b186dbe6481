#include "crypto/hkdf.h"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <string>

#include "crypto/openssl_util.h"

namespace feedback {

namespace {

// The parameters that select SHA-256 for an HMAC context.
std::array<OSSL_PARAM, 2> HmacSha256Params() {
  static char digest[] = "SHA256";
  return {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
          OSSL_PARAM_construct_end()};
}

Result<openssl::MacCtxPtr> NewHmacSha256() {
  openssl::MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) return openssl::Error("cannot fetch HMAC from OpenSSL");
  openssl::MacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) return openssl::Error("cannot allocate an HMAC context");
  return ctx;
}

}  // namespace

Result<SecretBytes> HkdfSha256Extract(ByteView salt, ByteView ikm) {
  static constexpr std::array<uint8_t, kSha256Size> kZeroSalt{};
  if (salt.empty()) salt = kZeroSalt;
  openssl::ClearErrors();
  FEEDBACK_ASSIGN_OR_RETURN(openssl::MacCtxPtr ctx, NewHmacSha256());
  SecretBytes prk(kSha256Size);
  size_t out_len = 0;
  if (EVP_MAC_init(ctx.get(), salt.data(), salt.size(), HmacSha256Params().data()) != 1 ||
      EVP_MAC_update(ctx.get(), ikm.data(), ikm.size()) != 1 ||
      EVP_MAC_final(ctx.get(), prk.data(), &out_len, prk.size()) != 1) {
    return openssl::Error("HKDF-Extract: HMAC-SHA256 failed");
  }
  if (out_len != kSha256Size) return Status::Internal("HKDF-Extract: HMAC-SHA256 length");
  return prk;
}

Result<SecretBytes> HkdfSha256Expand(ByteView prk, ByteView info, size_t length) {
  if (length > 255 * kSha256Size) {
    return Status::InvalidArgument("HKDF-Expand: output length " + std::to_string(length) +
                                   " exceeds 255 * 32 bytes");
  }
  SecretBytes okm(length);
  if (length == 0) return okm;
  openssl::ClearErrors();
  FEEDBACK_ASSIGN_OR_RETURN(openssl::MacCtxPtr ctx, NewHmacSha256());
  // Written by hand rather than with EVP_KDF "HKDF", whose 3.0 implementation
  // caps the info parameter (HPKE exporter contexts may be long).
  SecretBytes block(kSha256Size);
  size_t done = 0;
  for (uint8_t counter = 1; done < length; ++counter) {
    size_t block_len = 0;
    if (EVP_MAC_init(ctx.get(), prk.data(), prk.size(), HmacSha256Params().data()) != 1 ||
        (counter > 1 && EVP_MAC_update(ctx.get(), block.data(), block.size()) != 1) ||
        EVP_MAC_update(ctx.get(), info.data(), info.size()) != 1 ||
        EVP_MAC_update(ctx.get(), &counter, 1) != 1 ||
        EVP_MAC_final(ctx.get(), block.data(), &block_len, block.size()) != 1) {
      return openssl::Error("HKDF-Expand: HMAC-SHA256 failed");
    }
    const size_t take = std::min(kSha256Size, length - done);
    std::copy_n(block.data(), take, okm.data() + done);
    done += take;
  }
  return okm;
}

}  // namespace feedback
