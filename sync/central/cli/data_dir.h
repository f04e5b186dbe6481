// The central store's data directory (mode 0700) and `feedback-central init`:
//   central.db  the SQLite store (0600)          hpke.key  X25519 HPKE key (0600)
//   tls.key     TLS private key (0600)           tls.crt   self-signed certificate
// Plain functions; run by one CLI process.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace feedback::central {

struct CentralPaths {
  std::string dir;

  std::string database() const { return dir + "/central.db"; }
  std::string hpke_key() const { return dir + "/hpke.key"; }
  std::string tls_key() const { return dir + "/tls.key"; }
  std::string tls_cert() const { return dir + "/tls.crt"; }
};

struct InitResult {
  std::string admin_username;
  std::string admin_password;  // printed once by the CLI, stored only as a scrypt hash
  std::string cert_sha256;
  std::string default_site;
};

// Creates a new data directory. AlreadyExists (naming the file) when any of
// its files is already there - init never overwrites keys or data.
Result<InitResult> InitDataDir(const CentralPaths& paths, const std::string& default_site,
                               const Clock& clock);

// Checks that an initialized data directory is complete; NotFound naming the
// missing file and `feedback-central init --data-dir DIR` otherwise.
Status CheckDataDir(const CentralPaths& paths);

// The certificate pin (hex SHA-256 of tls.crt's DER).
Result<std::string> ReadCertificatePin(const CentralPaths& paths);

}  // namespace feedback::central
