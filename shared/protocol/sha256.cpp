#include "protocol/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace feedback::protocol {

Bytes Sha256(ByteView data) {
  Bytes out(32);
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != 32) {
    std::abort();  // OpenSSL's built-in SHA-256 cannot fail unless the library is broken
  }
  return out;
}

std::string Sha256Hex(ByteView data) { return HexEncode(Sha256(data)); }

}  // namespace feedback::protocol
