#include "sync/central/cli/data_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "crypto/key_file.h"
#include "crypto/x25519_key_pair.h"
#include "device/device_config.h"
#include "sync/central/dashboard/password_hash.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"
#include "sync/central/cli/tls_certificate.h"

namespace feedback::central {
namespace {

std::string Hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

}  // namespace

Result<InitResult> InitDataDir(const CentralPaths& paths, const std::string& default_site,
                               const Clock& clock) {
  for (const std::string& f :
       {paths.database(), paths.hpke_key(), paths.tls_key(), paths.tls_cert()}) {
    if (std::filesystem::exists(f)) {
      return Status::AlreadyExists(f +
                                   " already exists: this data directory is initialized "
                                   "(init never overwrites keys or data; use another "
                                   "--data-dir or move this one aside)");
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(paths.dir, ec);
  if (ec) return Status::IoError("cannot create " + paths.dir + ": " + ec.message());
  if (::chmod(paths.dir.c_str(), 0700) != 0) {
    return Status::IoError("cannot set mode 0700 on " + paths.dir);
  }

  // Keys first: a half-finished init leaves no database that looks usable.
  FEEDBACK_ASSIGN_OR_RETURN(X25519KeyPair hpke, X25519KeyPair::Generate());
  FEEDBACK_RETURN_IF_ERROR(hpke.SavePem(paths.hpke_key()));
  FEEDBACK_ASSIGN_OR_RETURN(TlsMaterial tls, MakeSelfSignedCertificate({Hostname()}));
  FEEDBACK_RETURN_IF_ERROR(WriteSecretFile(paths.tls_key(), AsBytes(tls.private_key_pem)));
  FEEDBACK_RETURN_IF_ERROR(WriteFileAtomically(paths.tls_cert(), tls.certificate_pem, 0644));

  InitResult out;
  out.admin_username = "admin";
  out.default_site = default_site;
  FEEDBACK_ASSIGN_OR_RETURN(out.cert_sha256, CertificateSha256(tls.certificate_pem));
  FEEDBACK_ASSIGN_OR_RETURN(out.admin_password, GeneratePassword());
  FEEDBACK_ASSIGN_OR_RETURN(std::string hash, HashPassword(out.admin_password));
  FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCentralStore> store,
                            SqliteCentralStore::Open(paths.database(), clock));
  const TimeMs now = clock.NowMs();
  FEEDBACK_ASSIGN_OR_RETURN(bool created, store->EnsureSite(default_site, now));
  (void)created;
  User admin;
  admin.username = out.admin_username;
  admin.password_hash = std::move(hash);
  admin.role = UserRole::kAdmin;
  admin.created_at = now;
  FEEDBACK_RETURN_IF_ERROR(store->CreateUser(admin));
  return out;
}

Status CheckDataDir(const CentralPaths& paths) {
  for (const std::string& f :
       {paths.database(), paths.hpke_key(), paths.tls_key(), paths.tls_cert()}) {
    if (!std::filesystem::exists(f)) {
      return Status::NotFound(f +
                              " is missing: is --data-dir right? Create a data directory "
                              "with `feedback-central init --data-dir " +
                              paths.dir + "`");
    }
  }
  return Status::Ok();
}

Result<std::string> ReadCertificatePin(const CentralPaths& paths) {
  FEEDBACK_ASSIGN_OR_RETURN(std::string pem, ReadSmallFile(paths.tls_cert(), 64 * 1024));
  Result<std::string> pin = CertificateSha256(pem);
  if (!pin.ok()) return pin.status().WithContext(paths.tls_cert());
  return pin;
}

}  // namespace feedback::central
