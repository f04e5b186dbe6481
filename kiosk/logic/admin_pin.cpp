#include "logic/admin_pin.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <vector>

#include "device/device_config.h"

namespace feedback::kiosk {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
// Bounds that keep a tampered file from making every PIN entry take minutes.
constexpr int kMinIterations = 1'000;
constexpr int kMaxIterations = 10'000'000;

Result<Bytes> Derive(std::string_view pin, const Bytes& salt, int iterations) {
  Bytes out(kHashBytes);
  if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1) {
    return Status::CryptoError("PKCS5_PBKDF2_HMAC failed while hashing the admin PIN");
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

}  // namespace

std::string PinHash::Serialize() const {
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + HexEncode(salt) + "$" +
         HexEncode(hash);
}

Result<PinHash> PinHash::Parse(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  std::vector<std::string_view> parts = Split(line, '$');
  if (parts.size() != 4 || parts[0] != kScheme) {
    return Status::InvalidArgument("expected \"pbkdf2-sha256$<iterations>$<salt>$<hash>\"");
  }
  PinHash h;
  auto [end, ec] =
      std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), h.iterations);
  if (ec != std::errc() || end != parts[1].data() + parts[1].size() ||
      h.iterations < kMinIterations || h.iterations > kMaxIterations) {
    return Status::InvalidArgument("iterations must be a number from 1000 to 10000000");
  }
  Result<Bytes> salt = HexDecode(parts[2]);
  Result<Bytes> hash = HexDecode(parts[3]);
  if (!salt.ok() || salt->size() < 8)
    return Status::InvalidArgument("salt must be at least 8 hex bytes");
  if (!hash.ok() || hash->size() != kHashBytes)
    return Status::InvalidArgument("hash must be 32 hex bytes");
  h.salt = std::move(salt).value();
  h.hash = std::move(hash).value();
  return h;
}

Status CheckPinFormat(std::string_view pin) {
  if (pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits ||
      !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument("the admin PIN must be 4 to 12 digits (0-9)");
  }
  return Status::Ok();
}

Result<PinHash> HashPin(std::string_view pin, int iterations) {
  FEEDBACK_RETURN_IF_ERROR(CheckPinFormat(pin));
  PinHash h;
  h.iterations = iterations;
  h.salt.resize(kSaltBytes);
  if (RAND_bytes(h.salt.data(), static_cast<int>(h.salt.size())) != 1) {
    return Status::CryptoError("RAND_bytes failed while salting the admin PIN");
  }
  FEEDBACK_ASSIGN_OR_RETURN(h.hash, Derive(pin, h.salt, iterations));
  return h;
}

bool VerifyPin(const PinHash& stored, std::string_view pin) {
  if (pin.empty() || pin.size() > kMaxPinDigits) return false;
  Result<Bytes> derived = Derive(pin, stored.salt, stored.iterations);
  return derived.ok() && ConstantTimeEqual(*derived, stored.hash);
}

Status SavePinFile(const std::string& path, const PinHash& hash) {
  return WriteFileAtomically(path, hash.Serialize() + "\n", 0600)
      .WithContext("saving the admin PIN hash");
}

Result<PinHash> LoadPinFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) {
      return Status::NotFound(
          "admin PIN file " + path +
          " does not exist; create it with: feedback-kiosk set-pin --admin-pin-file " + path);
    }
    return Status::IoError("cannot read admin PIN file " + path + ": " + std::strerror(err));
  }
  if ((st.st_mode & 077) != 0) {
    return Status::PermissionDenied("admin PIN file " + path +
                                    " may be read or written by other users; run: chmod 600 " +
                                    path);
  }
  FEEDBACK_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, 1024));
  Result<PinHash> hash = PinHash::Parse(text);
  if (!hash.ok()) {
    return Status::InvalidArgument("admin PIN file " + path + ": " + hash.status().message() +
                                   "; write a new one with feedback-kiosk set-pin");
  }
  return hash;
}

}  // namespace feedback::kiosk
