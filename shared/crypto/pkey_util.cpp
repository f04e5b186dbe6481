#include "crypto/pkey_util.h"

#include <openssl/pem.h>

#include "crypto/key_file.h"

namespace feedback::openssl {

namespace {

constexpr size_t kRawKeySize = 32;

std::string Kind(std::string_view kind) { return std::string(kind); }

// Never prompt for a passphrase: our key files are unencrypted PKCS#8, and an
// encrypted one must fail instead of blocking on the terminal.
int NoPassphrase(char*, int, int, void*) { return -1; }

}  // namespace

Result<PkeyPtr> GenerateKey(int type, std::string_view kind) {
  ClearErrors();
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    return Error("cannot generate " + Kind(kind) + " key");
  }
  return PkeyPtr(raw);
}

Result<PkeyPtr> PrivateKeyFromRaw(int type, std::string_view kind, ByteView raw) {
  if (raw.size() != kRawKeySize) {
    return Status::InvalidArgument(Kind(kind) + " private key must be 32 bytes, got " +
                                   std::to_string(raw.size()));
  }
  ClearErrors();
  PkeyPtr key(EVP_PKEY_new_raw_private_key(type, nullptr, raw.data(), raw.size()));
  if (!key) return Error("cannot import " + Kind(kind) + " private key");
  return key;
}

Result<PkeyPtr> PublicKeyFromRaw(int type, std::string_view kind, ByteView raw) {
  if (raw.size() != kRawKeySize) {
    return Status::InvalidArgument(Kind(kind) + " public key must be 32 bytes, got " +
                                   std::to_string(raw.size()));
  }
  ClearErrors();
  PkeyPtr key(EVP_PKEY_new_raw_public_key(type, nullptr, raw.data(), raw.size()));
  if (!key) return Error("cannot import " + Kind(kind) + " public key");
  return key;
}

Result<Bytes> RawPublicKey(const EVP_PKEY* key, std::string_view kind) {
  Bytes out(kRawKeySize);
  size_t len = out.size();
  ClearErrors();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &len) != 1 || len != kRawKeySize) {
    return Error("cannot export " + Kind(kind) + " public key");
  }
  return out;
}

Result<SecretBytes> RawPrivateKey(const EVP_PKEY* key, std::string_view kind) {
  SecretBytes out(kRawKeySize);
  size_t len = out.size();
  ClearErrors();
  if (EVP_PKEY_get_raw_private_key(key, out.data(), &len) != 1 || len != kRawKeySize) {
    return Error("cannot export " + Kind(kind) + " private key");
  }
  return out;
}

Status SavePrivateKeyPem(const EVP_PKEY* key, std::string_view kind, const std::string& path) {
  ClearErrors();
  // A secure-memory BIO wipes the PEM text when it is freed.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Error("cannot encode " + Kind(kind) + " private key as PEM for '" + path + "'");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) return Error("cannot read back the PEM for '" + path + "'");
  const ByteView pem(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(len));
  return WriteSecretFile(path, pem).WithContext("saving " + Kind(kind) + " private key");
}

Result<PkeyPtr> LoadPrivateKeyPem(int type, std::string_view kind, const std::string& path) {
  Result<SecretBytes> pem = ReadSecretFile(path);
  if (!pem.ok()) return pem.status().WithContext("loading " + Kind(kind) + " private key");
  if (!FitsInt(pem->size())) return Status::InvalidArgument("key file too large: " + path);
  ClearErrors();
  BioPtr bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  if (!bio) return Error("cannot allocate a memory BIO");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) {
    return ErrorWithCode(Status::Code::kCorruption,
                         "'" + path + "' is not a valid unencrypted PEM " + Kind(kind) +
                             " private key (the file is corrupted or of another kind; restore "
                             "it from backup or re-enroll)");
  }
  if (EVP_PKEY_get_base_id(key.get()) != type) {
    return Status::Corruption("'" + path + "' holds a private key of another type, not " +
                              Kind(kind));
  }
  return key;
}

}  // namespace feedback::openssl
