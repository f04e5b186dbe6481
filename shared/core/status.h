// Status: the outcome of a fallible library call, built by named factories
// (Status::NotFound("...")) and checked with ok(). Callers chain
//   if (Status s = Foo(); !s.ok()) return s;
// A Status is a small value type; it is safe to copy between threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace feedback {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,   // the caller's input is malformed
    kNotFound,          // a file, row or key that should exist does not
    kAlreadyExists,     // an id or name is taken
    kPermissionDenied,  // authenticated but not allowed (revoked device, wrong site, file mode)
    kUnauthenticated,   // bad signature, unknown device, bad password
    kCorruption,        // stored or received data fails an integrity check
    kIoError,           // the operating system refused a read or write
    kDiskFull,          // no space left for a write
    kReadOnly,          // the storage cannot be written
    kBusy,              // a lock could not be had in time
    kUnavailable,       // a peer or service did not answer; retry later
    kCryptoError,       // a cryptographic operation failed (bad tag, bad key)
    kVersionMismatch,   // data written by a newer or unknown version
    kResourceExhausted, // a size or rate limit was exceeded
    kConflict,          // a sequence or state conflict
    kInternal,          // a bug: an invariant did not hold
  };

  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {Code::kPermissionDenied, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) { return {Code::kUnauthenticated, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status DiskFull(std::string msg) { return {Code::kDiskFull, std::move(msg)}; }
  static Status ReadOnly(std::string msg) { return {Code::kReadOnly, std::move(msg)}; }
  static Status Busy(std::string msg) { return {Code::kBusy, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status CryptoError(std::string msg) { return {Code::kCryptoError, std::move(msg)}; }
  static Status VersionMismatch(std::string msg) { return {Code::kVersionMismatch, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) { return {Code::kResourceExhausted, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "<code name>: <message>", or "OK".
  std::string ToString() const;

  // A copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

std::string_view CodeName(Status::Code code);

}  // namespace feedback
