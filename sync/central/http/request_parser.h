// RequestParser: one HTTP/1.1 request read incrementally into an
// http::Request, on Boost.Beast's parser, with feedback-central's limits
// applied while the bytes arrive: the head's size and field count, and a body
// limit chosen from the request path that holds for Content-Length (refused
// before any body byte is read) and for chunked bodies (counted as the chunks
// arrive) alike. Ambiguous framing - two Content-Length fields, a list in
// Content-Length, Content-Length with Transfer-Encoding, or any transfer
// coding but "chunked" - is refused, because a proxy in front could frame the
// same bytes differently (request smuggling).
//
// Feed it with Beast's read functions or put(); after an error,
// RejectStatus(ec) is the HTTP status to answer with. One parser per request;
// not thread-safe.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <boost/optional.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sync/central/http/http_message.h"

namespace feedback::central::http {

struct ParserLimits {
  size_t max_header_bytes = 16 * 1024;  // request line + fields + CRLFs
  size_t max_header_fields = 64;        // trailers of a chunked body count too
  // The largest body accepted for a request path ("/api/v1/batches").
  std::function<size_t(std::string_view path)> body_limit;
};

// "a=1&b=x%20y+z" -> {{"a","1"},{"b","x y z"}} ('+' is a space; a component with
// an invalid escape is kept as sent, through route_table.h's PercentDecode).
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(const ParserLimits& limits);

  // The request read so far; complete once is_done().
  Request& request() { return request_; }
  // The client sent "Expect: 100-continue" and waits for it before the body.
  bool expects_continue() const { return expects_continue_; }
  // The body limit that applies to this request (known once the head is read).
  size_t body_limit_bytes() const { return body_limit_bytes_; }
  // The status for a parse error: 413 body over the limit, 431 head too large
  // or too many fields, 400 anything else malformed.
  int RejectStatus(const boost::beast::error_code& ec) const;
  // A sentence for the error body and the log: what was wrong, what to do.
  std::string RejectReason(const boost::beast::error_code& ec) const;

 private:
  using View = boost::beast::string_view;
  void on_request_impl(boost::beast::http::verb method, View method_str, View target, int version,
                       boost::beast::error_code& ec) override;
  void on_response_impl(int, View, int, boost::beast::error_code&) override {}
  void on_field_impl(boost::beast::http::field name, View name_string, View value,
                     boost::beast::error_code& ec) override;
  void on_header_impl(boost::beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         boost::beast::error_code& ec) override;
  size_t on_body_impl(View body, boost::beast::error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, View extensions,
                            boost::beast::error_code& ec) override;
  size_t on_chunk_body_impl(std::uint64_t remain, View body,
                            boost::beast::error_code& ec) override;
  void on_finish_impl(boost::beast::error_code&) override {}

  // Refuses the request with `status` and `reason` (ec is set for Beast).
  void Reject(int status, std::string reason, boost::beast::error_code& ec);
  bool Append(std::string_view body, boost::beast::error_code& ec);

  const ParserLimits& limits_;
  Request request_;
  size_t fields_ = 0;
  bool in_trailers_ = false;
  bool saw_content_length_ = false;
  bool saw_transfer_encoding_ = false;
  bool expects_continue_ = false;
  size_t body_limit_bytes_ = 0;
  int reject_status_ = 0;
  std::string reject_reason_;
};

}  // namespace feedback::central::http
