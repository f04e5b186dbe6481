// CurlTransport: the production Transport, libcurl over OpenSSL. It talks to
// one central store (a base URL) and
//   - pins the central store's TLS certificate: the connection is accepted only
//     if the SHA-256 of the leaf certificate's DER equals the pin (the CA chain
//     and host name do not matter - the central certificate is self-signed and
//     the pin is stronger than either); a mismatch fails with Unauthenticated
//     naming the fingerprint that was offered;
//   - refuses plain http:// unless the host is a loopback address (tests, the
//     quick start); never follows redirects; speaks only HTTP(S);
//   - bounds every request with a connect timeout and a total timeout, and
//     abandons a transfer once the StopSignal's grace period has run out.
//
// curl_global_init() must have been called once (in main) before Create().
// Threading: one thread at a time (the CURL easy handle is reused so that
// connections are kept alive). Borrows the StopSignal, which must outlive it.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "core/result.h"
#include "daemon/stop_signal.h"
#include "daemon/transport.h"

namespace feedback::sync {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlEasyHandle = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlistHandle = std::unique_ptr<curl_slist, CurlSlistDeleter>;

struct CurlTransportOptions {
  std::string base_url;            // https://host:port (or http://127.0.0.1:port)
  std::string pinned_cert_sha256;  // hex SHA-256 of the central certificate's DER
  long connect_timeout_ms = 5'000;
  long total_timeout_ms = 30'000;
  const StopSignal* stop = nullptr;  // optional
};

class CurlTransport final : public Transport {
 public:
  // Validates the URL and pin; fails with InvalidArgument naming the problem.
  static Result<std::unique_ptr<CurlTransport>> Create(CurlTransportOptions options);

  Result<HttpResponse> Send(const HttpRequest& request) override;

  // Filled by the TLS verify callback; read after a transfer. Public only so
  // the C callbacks in the .cpp can reach it.
  struct PinState {
    std::string expected_hex;  // lower-case
    std::string offered_hex;   // what the last handshake presented
    bool mismatch = false;
  };

 private:
  CurlTransport(CurlTransportOptions options, bool https, CurlEasyHandle handle);

  CurlTransportOptions options_;
  bool https_;
  CurlEasyHandle handle_;
  PinState pin_;
};

// True if host (from a URL) is 127.0.0.0/8, ::1 or "localhost".
bool IsLoopbackHost(const std::string& host);

// Lower-case hex SHA-256 of a DER certificate; the format of the pin.
std::string CertificateFingerprint(ByteView der);

}  // namespace feedback::sync
