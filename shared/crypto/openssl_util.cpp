#include "crypto/openssl_util.h"

#include <openssl/err.h>

#include <string>

namespace feedback::openssl {

namespace {

Status Make(Status::Code code, std::string msg) {
  switch (code) {
    case Status::Code::kInvalidArgument:
      return Status::InvalidArgument(std::move(msg));
    case Status::Code::kCorruption:
      return Status::Corruption(std::move(msg));
    case Status::Code::kIoError:
      return Status::IoError(std::move(msg));
    case Status::Code::kUnauthenticated:
      return Status::Unauthenticated(std::move(msg));
    case Status::Code::kCryptoError:
      return Status::CryptoError(std::move(msg));
    default:
      return Status::Internal(std::move(msg));
  }
}

}  // namespace

Status ErrorWithCode(Status::Code code, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  bool first = true;
  while (unsigned long err = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof buf);
    if (!first) msg += "; ";
    msg += buf;
    first = false;
  }
  if (first) msg += "no OpenSSL error was queued";
  ERR_clear_error();
  return Make(code, std::move(msg));
}

Status Error(std::string_view what) { return ErrorWithCode(Status::Code::kCryptoError, what); }

void ClearErrors() { ERR_clear_error(); }

}  // namespace feedback::openssl
