// The central store's self-signed TLS certificate (ECDSA P-256, SHA-256,
// 10 years; CN localhost; SAN DNS:localhost, IP:127.0.0.1, DNS:<hostname>)
// made with OpenSSL 3.0 EVP/X509 APIs, and the SHA-256 of a certificate's DER
// that devices pin. Plain functions, thread-safe; OpenSSL handles are owned
// by unique_ptrs inside the .cpp.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace feedback::central {

struct TlsMaterial {
  std::string certificate_pem;
  std::string private_key_pem;  // PKCS#8; write it with WriteSecretFile (0600)
};

// extra_dns_names: e.g. the machine's hostname (duplicates and "localhost" are skipped).
Result<TlsMaterial> MakeSelfSignedCertificate(const std::vector<std::string>& extra_dns_names);

// Lower-case hex SHA-256 of the DER of the first certificate in pem.
Result<std::string> CertificateSha256(const std::string& pem);

}  // namespace feedback::central
