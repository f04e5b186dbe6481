#include "device/device_config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace feedback {
namespace {

constexpr size_t kMaxConfigBytes = 64 * 1024;

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

std::string_view DeviceKindName(DeviceKind kind) {
  return kind == DeviceKind::kKiosk ? "kiosk" : "agent";
}

Status WriteFileAtomically(const std::string& path, std::string_view contents, unsigned mode) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot create", tmp);
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Errno("cannot write", tmp);
      ::close(fd);
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    Status s = Errno("cannot sync", tmp);
    ::close(fd);
    return s;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot replace", path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + " does not exist");
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IoError("cannot read " + path + ": " + ec.message());
  if (size > max_bytes) {
    return Status::ResourceExhausted(path + " is " + std::to_string(size) + " bytes, over the " +
                                     std::to_string(max_bytes) + "-byte limit");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Result<DeviceConfig> LoadDeviceConfig(const std::string& path) {
  FEEDBACK_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kMaxConfigBytes));
  return ParseDeviceConfig(text, path);
}

Result<DeviceConfig> ParseDeviceConfig(std::string_view text, const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Status::InvalidArgument(path + ": not a JSON object (is the device enrolled? run feedback-sync enroll)");
  }
  DeviceConfig c;
  auto field = [&](const char* key, std::string& out, bool required) -> Status {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string() || (required && it->get<std::string>().empty())) {
      if (!required && it == j.end()) return Status::Ok();
      return Status::InvalidArgument(path + ": field '" + key + "' is missing or not a non-empty string");
    }
    out = it->get<std::string>();
    return Status::Ok();
  };
  std::string kind, key_b64;
  FEEDBACK_RETURN_IF_ERROR(field("device_id", c.device_id, true));
  FEEDBACK_RETURN_IF_ERROR(field("site_id", c.site_id, true));
  FEEDBACK_RETURN_IF_ERROR(field("kind", kind, true));
  FEEDBACK_RETURN_IF_ERROR(field("team", c.team, false));
  FEEDBACK_RETURN_IF_ERROR(field("central_url", c.central_url, true));
  FEEDBACK_RETURN_IF_ERROR(field("central_hpke_public_key", key_b64, true));
  FEEDBACK_RETURN_IF_ERROR(field("central_cert_sha256", c.central_cert_sha256, false));
  FEEDBACK_RETURN_IF_ERROR(field("device_key_file", c.device_key_file, true));
  FEEDBACK_RETURN_IF_ERROR(field("capture_db", c.capture_db, true));
  if (kind == "kiosk") {
    c.kind = DeviceKind::kKiosk;
  } else if (kind == "agent") {
    c.kind = DeviceKind::kAgent;
  } else {
    return Status::InvalidArgument(path + ": field 'kind' is '" + kind + "' (expected kiosk or agent)");
  }
  Result<Bytes> key = Base64Decode(key_b64);
  if (!key.ok() || key->size() != 32) {
    return Status::InvalidArgument(path + ": field 'central_hpke_public_key' is not a base64 32-byte X25519 key");
  }
  c.central_hpke_public_key = std::move(key).value();
  // Relative paths are relative to the config file's folder, so a data dir can move.
  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  for (std::string* p : {&c.device_key_file, &c.capture_db}) {
    if (std::filesystem::path(*p).is_relative()) *p = (base / *p).string();
  }
  return c;
}

Status SaveDeviceConfig(const std::string& path, const DeviceConfig& c) {
  nlohmann::json j = {{"device_id", c.device_id},
                      {"site_id", c.site_id},
                      {"kind", DeviceKindName(c.kind)},
                      {"team", c.team},
                      {"central_url", c.central_url},
                      {"central_hpke_public_key", Base64Encode(c.central_hpke_public_key)},
                      {"central_cert_sha256", c.central_cert_sha256},
                      {"device_key_file", c.device_key_file},
                      {"capture_db", c.capture_db}};
  return WriteFileAtomically(path, j.dump(2) + "\n", 0644);
}

}  // namespace feedback
