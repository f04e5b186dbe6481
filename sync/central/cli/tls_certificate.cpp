#include "sync/central/cli/tls_certificate.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "core/bytes.h"
#include "protocol/sha256.h"

namespace feedback::central {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

Status OpenSslError(const std::string& what) {
  std::string msg = "TLS certificate: " + what;
  char buf[256];
  while (unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buf, sizeof buf);
    msg += "; ";
    msg += buf;
  }
  return Status::CryptoError(msg);
}

Result<std::string> BioToString(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  if (n < 0 || data == nullptr) return OpenSslError("cannot read memory BIO");
  return std::string(data, static_cast<size_t>(n));
}

Status AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext) return OpenSslError("cannot make extension " + value);
  if (X509_add_ext(cert, ext.get(), -1) != 1) return OpenSslError("cannot add extension");
  return Status::Ok();
}

}  // namespace

Result<TlsMaterial> MakeSelfSignedCertificate(const std::vector<std::string>& extra_dns_names) {
  ERR_clear_error();
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslError("cannot generate a P-256 key");
  X509Ptr cert(X509_new());
  if (!cert) return OpenSslError("X509_new");
  if (X509_set_version(cert.get(), 2) != 1) return OpenSslError("X509_set_version");
  // A random positive 127-bit serial.
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) return OpenSslError("RAND_bytes");
  serial_bytes[0] &= 0x7f;
  BnPtr serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return OpenSslError("serial number");
  }
  constexpr long kTenYears = 10L * 365 * 24 * 3600;
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), kTenYears) == nullptr) {
    return OpenSslError("validity");
  }
  if (X509_set_pubkey(cert.get(), key.get()) != 1) return OpenSslError("X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto add_name = [&](const char* field, const char* value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC,
                                      reinterpret_cast<const unsigned char*>(value), -1, -1,
                                      0) == 1;
  };
  if (!add_name("O", "feedback-central") || !add_name("CN", "localhost")) {
    return OpenSslError("subject name");
  }
  if (X509_set_issuer_name(cert.get(), name) != 1) return OpenSslError("issuer name");
  std::string san = "DNS:localhost,IP:127.0.0.1";
  for (const std::string& dns : extra_dns_names) {
    bool ok = !dns.empty() && dns != "localhost" && dns.size() < 254;
    for (char c : dns) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.');
    }
    if (ok) san += ",DNS:" + dns;
  }
  FEEDBACK_RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_alt_name, san));
  FEEDBACK_RETURN_IF_ERROR(AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  FEEDBACK_RETURN_IF_ERROR(
      AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyAgreement"));
  FEEDBACK_RETURN_IF_ERROR(AddExtension(cert.get(), NID_ext_key_usage, "serverAuth"));
  FEEDBACK_RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_key_identifier, "hash"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return OpenSslError("X509_sign");

  TlsMaterial out;
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1) {
    return OpenSslError("writing the certificate PEM");
  }
  FEEDBACK_ASSIGN_OR_RETURN(out.certificate_pem, BioToString(cert_bio.get()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!key_bio || PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                           nullptr) != 1) {
    return OpenSslError("writing the key PEM");
  }
  FEEDBACK_ASSIGN_OR_RETURN(out.private_key_pem, BioToString(key_bio.get()));
  return out;
}

Result<std::string> CertificateSha256(const std::string& pem) {
  ERR_clear_error();
  if (pem.size() > static_cast<size_t>(INT32_MAX)) return Status::InvalidArgument("PEM too large");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return OpenSslError("BIO_new_mem_buf");
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return OpenSslError("the file is not a PEM certificate");
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert.get(), &der);
  if (n <= 0 || der == nullptr) return OpenSslError("i2d_X509");
  std::string hex = protocol::Sha256Hex(ByteView(der, static_cast<size_t>(n)));
  OPENSSL_free(der);
  return hex;
}

}  // namespace feedback::central
