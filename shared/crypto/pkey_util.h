// Helpers private to shared/crypto for raw X25519/Ed25519 EVP_PKEYs: creating
// them from raw bytes, exporting raw bytes, and saving/loading them as PKCS#8
// PEM through the 0600 secret-file rules of key_file.h. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/openssl_util.h"
#include "crypto/secret_bytes.h"

namespace feedback::openssl {

// type is EVP_PKEY_X25519 or EVP_PKEY_ED25519; kind names it in messages.
Result<PkeyPtr> GenerateKey(int type, std::string_view kind);
Result<PkeyPtr> PrivateKeyFromRaw(int type, std::string_view kind, ByteView raw);
Result<PkeyPtr> PublicKeyFromRaw(int type, std::string_view kind, ByteView raw);
Result<Bytes> RawPublicKey(const EVP_PKEY* key, std::string_view kind);
Result<SecretBytes> RawPrivateKey(const EVP_PKEY* key, std::string_view kind);

Status SavePrivateKeyPem(const EVP_PKEY* key, std::string_view kind, const std::string& path);
// Corruption if the file is not a PEM private key of the expected type.
Result<PkeyPtr> LoadPrivateKeyPem(int type, std::string_view kind, const std::string& path);

}  // namespace feedback::openssl
