#include "sync/central/http/request_parser.h"

#include <algorithm>
#include <boost/beast/http/error.hpp>
#include <cctype>
#include <optional>

#include "sync/central/http/route_table.h"

namespace feedback::central::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

namespace {

// One query component: '+' is a space, then percent escapes; invalid escapes stay as sent.
std::string DecodeQueryComponent(std::string_view text) {
  std::string plus_decoded(text);
  std::replace(plus_decoded.begin(), plus_decoded.end(), '+', ' ');
  std::optional<std::string> decoded = PercentDecode(plus_decoded);
  return decoded ? std::move(*decoded) : plus_decoded;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(DecodeQueryComponent(part), "");
    } else {
      out.emplace_back(DecodeQueryComponent(part.substr(0, eq)),
                       DecodeQueryComponent(part.substr(eq + 1)));
    }
  }
  return out;
}

RequestParser::RequestParser(const ParserLimits& limits) : limits_(limits) {
  header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
  // Until the path is known nothing is accepted; on_request_impl sets the real limit.
  body_limit(std::uint64_t{0});
}

void RequestParser::Reject(int status, std::string reason, beast::error_code& ec) {
  reject_status_ = status;
  reject_reason_ = std::move(reason);
  ec = status == 431 ? bhttp::error::header_limit : bhttp::error::bad_field;
}

void RequestParser::on_request_impl(bhttp::verb, View method_str_view, View target_view,
                                    int version, beast::error_code& ec) {
  const std::string_view method_str(method_str_view.data(), method_str_view.size());
  const std::string_view target(target_view.data(), target_view.size());
  if (version != 10 && version != 11) {
    Reject(400, "only HTTP/1.0 and HTTP/1.1 are served", ec);
    return;
  }
  request_.method = std::string(method_str);
  request_.target = std::string(target);
  const size_t q = target.find('?');
  request_.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) request_.query = ParseQuery(target.substr(q + 1));
  body_limit_bytes_ = limits_.body_limit ? limits_.body_limit(request_.path) : 0;
  body_limit(std::uint64_t{body_limit_bytes_});
}

void RequestParser::on_field_impl(bhttp::field name, View name_view, View value_view,
                                  beast::error_code& ec) {
  const std::string_view name_string(name_view.data(), name_view.size());
  const std::string_view value(value_view.data(), value_view.size());
  if (++fields_ > limits_.max_header_fields) {
    Reject(431,
           "more than " + std::to_string(limits_.max_header_fields) +
               " header fields: send fewer headers",
           ec);
    return;
  }
  if (is_header_done()) in_trailers_ = true;
  if (name == bhttp::field::content_length) {
    if (saw_content_length_ || value.find(',') != std::string_view::npos) {
      Reject(400, "more than one Content-Length: send exactly one", ec);
      return;
    }
    if (saw_transfer_encoding_) {
      Reject(400, "Content-Length together with Transfer-Encoding: send one of them", ec);
      return;
    }
    saw_content_length_ = true;
  } else if (name == bhttp::field::transfer_encoding) {
    if (saw_content_length_) {
      Reject(400, "Content-Length together with Transfer-Encoding: send one of them", ec);
      return;
    }
    if (saw_transfer_encoding_ || Lower(Trim(value)) != "chunked") {
      Reject(400, "the only transfer coding served is a single 'chunked'", ec);
      return;
    }
    saw_transfer_encoding_ = true;
  } else if (name == bhttp::field::expect) {
    if (Lower(Trim(value)) != "100-continue") {
      Reject(400, "the only expectation served is 100-continue", ec);
      return;
    }
    expects_continue_ = true;
  }
  // Trailers carry nothing a handler reads; they are counted, not kept.
  if (in_trailers_) return;
  request_.headers.emplace_back(Lower(name_string), std::string(value));
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      beast::error_code&) {
  // Beast refuses a Content-Length over the limit before this; reserve what
  // was announced so the body is read into one allocation.
  if (content_length) request_.body.reserve(static_cast<size_t>(*content_length));
}

bool RequestParser::Append(std::string_view body, beast::error_code& ec) {
  if (request_.body.size() + body.size() > body_limit_bytes_) {
    ec = bhttp::error::body_limit;
    return false;
  }
  request_.body.append(body.data(), body.size());
  return true;
}

size_t RequestParser::on_body_impl(View body, beast::error_code& ec) {
  return Append(std::string_view(body.data(), body.size()), ec) ? body.size() : 0;
}

void RequestParser::on_chunk_header_impl(std::uint64_t size, View, beast::error_code& ec) {
  // Beast counts chunk sizes against body_limit too; this makes the rule
  // explicit and independent of it: the announced chunk must fit.
  if (size > body_limit_bytes_ - std::min(body_limit_bytes_, request_.body.size())) {
    ec = bhttp::error::body_limit;
  }
}

size_t RequestParser::on_chunk_body_impl(std::uint64_t, View body, beast::error_code& ec) {
  return Append(std::string_view(body.data(), body.size()), ec) ? body.size() : 0;
}

int RequestParser::RejectStatus(const beast::error_code& ec) const {
  if (reject_status_ != 0) return reject_status_;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::header_limit) return 431;
  return 400;
}

std::string RequestParser::RejectReason(const beast::error_code& ec) const {
  if (!reject_reason_.empty()) return reject_reason_;
  if (ec == bhttp::error::body_limit) {
    return "request body larger than the limit of " + std::to_string(body_limit_bytes_) +
           " bytes for " + request_.path + ": send a smaller body";
  }
  if (ec == bhttp::error::header_limit) {
    return "request head larger than " + std::to_string(limits_.max_header_bytes) +
           " bytes: send fewer or shorter headers";
  }
  return "malformed HTTP request (" + ec.message() + ")";
}

}  // namespace feedback::central::http
