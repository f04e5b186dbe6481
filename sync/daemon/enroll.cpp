#include "daemon/enroll.h"

#include <spdlog/spdlog.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "crypto/ed25519_private_key.h"
#include "protocol/enrollment_token.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "store/capture_store.h"

namespace feedback::sync {
namespace {

Result<Ed25519PrivateKey> LoadOrCreateKey(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    // Left by an earlier attempt that could not reach the central store.
    spdlog::info("reusing the device key from an earlier enrollment attempt: {}", path);
    return Ed25519PrivateKey::LoadPem(path);
  }
  FEEDBACK_ASSIGN_OR_RETURN(Ed25519PrivateKey key, Ed25519PrivateKey::Generate());
  FEEDBACK_RETURN_IF_ERROR(key.SavePem(path));
  return key;
}

}  // namespace

Result<DeviceConfig> Enroll(const EnrollOptions& options, const TransportFactory& make_transport) {
  FEEDBACK_ASSIGN_OR_RETURN(protocol::EnrollmentToken token,
                            protocol::ParseEnrollmentToken(options.token));
  const std::filesystem::path dir(options.dir);
  const std::string config_path = (dir / "device.json").string();
  std::error_code ec;
  if (std::filesystem::exists(config_path, ec)) {
    return Status::AlreadyExists(config_path +
                                 " exists: this folder is already enrolled (move it away "
                                 "to enroll again)");
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + options.dir + ": " + ec.message());
  ::chmod(options.dir.c_str(), 0700);

  // 1. The device key (0600) and the pinned transport.
  FEEDBACK_ASSIGN_OR_RETURN(Ed25519PrivateKey key, LoadOrCreateKey((dir / "device.key").string()));
  FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<Transport> transport,
                            make_transport(options.server_url, token.cert_sha256));

  // 2. Register with the central store.
  protocol::EnrollRequest enroll_request;
  enroll_request.token = token.SecretText();
  enroll_request.public_key = key.public_key_bytes();
  enroll_request.kind = std::string(DeviceKindName(options.kind));
  enroll_request.hostname = options.hostname.substr(0, 255);
  HttpRequest request;
  request.method = "POST";
  request.path = std::string(protocol::kEnrollPath);
  request.content_type = "application/json";
  request.body = ToBytes(protocol::ToJson(enroll_request));
  Result<HttpResponse> sent = transport->Send(request);
  if (!sent.ok()) return sent.status().WithContext("enrolling with " + options.server_url);
  if (sent->status != 200) {
    const std::string why =
        "the central store refused the enrollment (HTTP " + std::to_string(sent->status) +
        "): " + protocol::ParseErrorMessage(sent->body) + "; ask the operator for a fresh token";
    if (sent->status == 401 || sent->status == 403) return Status::Unauthenticated(why);
    if (sent->status >= 500 || sent->status == 429) return Status::Unavailable(why);
    return Status::InvalidArgument(why);
  }
  Result<protocol::EnrollResponse> answer = protocol::ParseEnrollResponse(sent->body);
  if (!answer.ok()) return answer.status().WithContext("the central store's enrollment answer");
  if (answer->central_hpke_public_key.size() != 32) {
    return Status::InvalidArgument("the central store's enrollment answer has no 32-byte HPKE key");
  }
  std::string answered_pin = answer->cert_sha256;
  std::transform(answered_pin.begin(), answered_pin.end(), answered_pin.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!answered_pin.empty() && answered_pin != token.cert_sha256) {
    spdlog::warn(
        "the central store reports certificate {} but the token pinned {}; keeping the "
        "token's pin, which the connection was verified against",
        answered_pin, token.cert_sha256);
  }

  // 3. The capture store, then device.json (last: it marks a finished enrollment).
  DeviceConfig config;
  config.device_id = answer->device_id;
  config.site_id = answer->site_id;
  config.team = answer->team;
  config.kind = options.kind;
  config.central_url = options.server_url;
  config.central_hpke_public_key = answer->central_hpke_public_key;
  config.central_cert_sha256 = token.cert_sha256;
  config.device_key_file = "device.key";
  config.capture_db = "capture.db";
  {
    // Create the file 0600 whatever the caller's umask: SQLite gives its -wal
    // and -shm files the database file's mode.
    const std::string db_path = (dir / config.capture_db).string();
    int fd = ::open(db_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Status::IoError("cannot create " + db_path + ": " + std::strerror(errno));
    ::fchmod(fd, 0600);
    ::close(fd);
    FEEDBACK_ASSIGN_OR_RETURN(CaptureStore store, CaptureStore::Open(db_path, nullptr));
  }
  FEEDBACK_RETURN_IF_ERROR(SaveDeviceConfig(config_path, config));
  return LoadDeviceConfig(config_path);
}

}  // namespace feedback::sync
