#include "core/status.h"

namespace feedback {

std::string_view CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "OK";
    case Status::Code::kInvalidArgument: return "invalid argument";
    case Status::Code::kNotFound: return "not found";
    case Status::Code::kAlreadyExists: return "already exists";
    case Status::Code::kPermissionDenied: return "permission denied";
    case Status::Code::kUnauthenticated: return "unauthenticated";
    case Status::Code::kCorruption: return "corruption";
    case Status::Code::kIoError: return "I/O error";
    case Status::Code::kDiskFull: return "disk full";
    case Status::Code::kReadOnly: return "read-only";
    case Status::Code::kBusy: return "busy";
    case Status::Code::kUnavailable: return "unavailable";
    case Status::Code::kCryptoError: return "crypto error";
    case Status::Code::kVersionMismatch: return "version mismatch";
    case Status::Code::kResourceExhausted: return "resource exhausted";
    case Status::Code::kConflict: return "conflict";
    case Status::Code::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += message_;
  return Status(code_, std::move(msg));
}

}  // namespace feedback
