#include "daemon/curl_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "protocol/limits.h"

namespace feedback::sync {
namespace {

// The device state may be large (surveys, roster, stories); batch answers are tiny.
constexpr size_t kMaxResponseBytes = protocol::kMaxDeviceStateBytes;

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};
using CurlUrlHandle = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

struct TransferState {
  HttpResponse* response;
  bool too_large = false;
  const StopSignal* stop;
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const size_t n = size * count;
  if (state->response->body.size() + n > kMaxResponseBytes) {
    state->too_large = true;
    return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
  }
  state->response->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    state->response->retry_after_seconds.reset();  // a new response (after 100 Continue)
    return n;
  }
  constexpr std::string_view kRetryAfter = "retry-after:";
  if (line.size() > kRetryAfter.size() &&
      Lower(std::string(line.substr(0, kRetryAfter.size()))) == kRetryAfter) {
    std::string_view value = line.substr(kRetryAfter.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    int64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && seconds >= 0 && end != value.data()) {
      state->response->retry_after_seconds = seconds;
    }
  }
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* state = static_cast<TransferState*>(user);
  return state->stop != nullptr && state->stop->AbortTransfers() ? 1 : 0;
}

// OpenSSL certificate verification replaced by the pin check: the leaf
// certificate's DER must hash to the pinned fingerprint.
int VerifyPinned(X509_STORE_CTX* ctx, void* arg) {
  auto* pin = static_cast<CurlTransport::PinState*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(ctx);
  if (leaf == nullptr) {
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
    return 0;
  }
  unsigned char* der = nullptr;
  const int len = i2d_X509(leaf, &der);
  if (len <= 0) {
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
    return 0;
  }
  pin->offered_hex = CertificateFingerprint(ByteView(der, static_cast<size_t>(len)));
  OPENSSL_free(der);
  if (!ConstantTimeEqual(AsBytes(pin->offered_hex), AsBytes(pin->expected_hex))) {
    pin->mismatch = true;
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_CERT_REJECTED);
    return 0;
  }
  X509_STORE_CTX_set_error(ctx, X509_V_OK);
  return 1;
}

CURLcode OnSslContext(CURL*, void* ssl_ctx, void* user) {
  SSL_CTX_set_cert_verify_callback(static_cast<SSL_CTX*>(ssl_ctx), VerifyPinned, user);
  return CURLE_OK;
}

bool IsHex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  std::string h = Lower(host);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h == "localhost") return true;
  // Literal addresses only: "127.example.com" must not count as loopback.
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, h.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string CertificateFingerprint(ByteView der) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(der.data(), der.size(), digest, &digest_len, EVP_sha256(), nullptr) != 1)
    return "";
  return HexEncode(ByteView(digest, digest_len));
}

Result<std::unique_ptr<CurlTransport>> CurlTransport::Create(CurlTransportOptions options) {
  CurlUrlHandle url(curl_url());
  if (!url) return Status::Internal("curl_url() failed: out of memory");
  if (curl_url_set(url.get(), CURLUPART_URL, options.base_url.c_str(), 0) != CURLUE_OK) {
    return Status::InvalidArgument("central URL '" + options.base_url +
                                   "' is not a valid URL (expected https://host:port)");
  }
  char* raw = nullptr;
  if (curl_url_get(url.get(), CURLUPART_SCHEME, &raw, 0) != CURLUE_OK) {
    return Status::InvalidArgument("central URL '" + options.base_url + "' has no scheme");
  }
  const std::string scheme = Lower(CurlString(raw).get());
  raw = nullptr;
  if (curl_url_get(url.get(), CURLUPART_HOST, &raw, 0) != CURLUE_OK) {
    return Status::InvalidArgument("central URL '" + options.base_url + "' has no host");
  }
  const std::string host = CurlString(raw).get();
  bool https = false;
  if (scheme == "https") {
    https = true;
    options.pinned_cert_sha256 = Lower(options.pinned_cert_sha256);
    if (options.pinned_cert_sha256.size() != 64 || !IsHex(options.pinned_cert_sha256)) {
      return Status::InvalidArgument(
          "the central certificate pin must be 64 hex digits (SHA-256 of the certificate's DER); "
          "re-enroll the device with a fresh token");
    }
  } else if (scheme == "http") {
    if (!IsLoopbackHost(host)) {
      return Status::InvalidArgument(
          "refusing plain http:// to '" + host +
          "': only loopback addresses may be used without TLS; use https://");
    }
  } else {
    return Status::InvalidArgument("central URL scheme '" + scheme +
                                   "' is not supported; use https://");
  }
  while (!options.base_url.empty() && options.base_url.back() == '/') options.base_url.pop_back();
  CurlEasyHandle handle(curl_easy_init());
  if (!handle) return Status::Internal("curl_easy_init() failed (was curl_global_init called?)");
  return std::unique_ptr<CurlTransport>(
      new CurlTransport(std::move(options), https, std::move(handle)));
}

CurlTransport::CurlTransport(CurlTransportOptions options, bool https, CurlEasyHandle handle)
    : options_(std::move(options)), https_(https), handle_(std::move(handle)) {
  pin_.expected_hex = options_.pinned_cert_sha256;
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  CURL* h = handle_.get();
  curl_easy_reset(h);
  HttpResponse response;
  TransferState state{&response, false, options_.stop};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  const std::string url = options_.base_url + request.path;

  CurlSlistHandle headers;
  auto add_header = [&headers](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next != nullptr) {
      (void)headers.release();  // now owned by next
      headers.reset(next);
    }
    return next != nullptr;
  };
  bool headers_ok = add_header("Expect:");  // no 100-continue round trip before a batch
  for (const auto& [name, value] : request.headers)
    headers_ok = headers_ok && add_header(name + ": " + value);
  if (!request.content_type.empty())
    headers_ok = headers_ok && add_header("Content-Type: " + request.content_type);
  if (!headers_ok) return Status::Internal("curl_slist_append failed: out of memory");

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &state);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "feedback-sync/1");
  if (request.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    return Status::InvalidArgument("unsupported HTTP method " + request.method);
  }
  if (https_) {
    pin_.mismatch = false;
    pin_.offered_hex.clear();
    curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);       // through VerifyPinned, below
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);       // the pin names the exact certificate
    curl_easy_setopt(h, CURLOPT_SSL_SESSIONID_CACHE, 0L);  // every handshake meets the pin check
    curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, OnSslContext);
    curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, &pin_);
  }

  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
    if (https_ && pin_.mismatch) {
      return Status::Unauthenticated(
          "the server at " + options_.base_url + " presented a TLS certificate with SHA-256 " +
          pin_.offered_hex + ", not the pinned " + pin_.expected_hex +
          "; refusing to talk to it (if the central store's certificate was replaced on purpose, "
          "re-enroll this device)");
    }
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
      return Status::Unavailable("request to " + url + " abandoned: the daemon is shutting down");
    }
    if (state.too_large) {
      return Status::Unavailable("response from " + url + " is larger than " +
                                 std::to_string(kMaxResponseBytes) + " bytes");
    }
    return Status::Unavailable("request to " + url + " failed: " + detail);
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace feedback::sync
