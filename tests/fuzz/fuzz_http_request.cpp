// Fuzz target for feedback-central's HTTP request parser
// (sync/central/http/request_parser.h): the request line, header fields,
// Content-Length / chunked framing (chunk sizes, extensions, trailers) and
// the query string, fed in pieces whose size the first input byte chooses,
// as a socket delivers them. Several requests may follow one another on one
// connection (keep-alive). Whatever parses must respect the limits: a body
// never longer than its path's limit, never more header fields than allowed;
// every refusal maps to 400, 413 or 431. Must never crash, hang or allocate
// without bound.
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sync/central/http/request_parser.h"

namespace {

using feedback::central::http::ParserLimits;
using feedback::central::http::RequestParser;

void Check(bool condition) {
  if (!condition) std::abort();
}

const ParserLimits& Limits() {
  static const ParserLimits limits = [] {
    ParserLimits l;
    l.max_header_bytes = 4096;
    l.max_header_fields = 32;
    l.body_limit = [](std::string_view path) -> size_t {
      return path == "/api/v1/batches" ? 8192 : 1024;
    };
    return l;
  }();
  return limits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = static_cast<size_t>(data[0] % 64) + 1;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  // The server's read buffer: what has arrived and not been consumed yet.
  std::string buffer;
  for (int request = 0; request < 8 && !(input.empty() && buffer.empty()); ++request) {
    RequestParser parser(Limits());
    parser.eager(true);
    boost::beast::error_code ec;
    bool done = false;
    while (!done) {
      if (!input.empty()) {
        const size_t n = std::min(piece, input.size());
        buffer.append(input.data(), n);
        input.remove_prefix(n);
      }
      const size_t used = parser.put(boost::asio::buffer(buffer.data(), buffer.size()), ec);
      buffer.erase(0, used);
      if (ec == boost::beast::http::error::need_more) {
        if (input.empty()) return 0;  // the client stopped mid-request
        ec = {};
        continue;
      }
      if (ec) {
        const int status = parser.RejectStatus(ec);
        Check(status == 400 || status == 413 || status == 431);
        Check(!parser.RejectReason(ec).empty());
        return 0;  // the server answers and closes
      }
      if (parser.is_done()) {
        done = true;
      } else if (used == 0 && input.empty()) {
        return 0;  // the client stopped mid-body: the server's deadline ends it
      }
      // The server's read buffer is bounded (head limit + 64 KiB): a line
      // longer than that (a chunk extension) is refused with 400 there.
      if (buffer.size() > Limits().max_header_bytes + 64 * 1024) return 0;
    }
    const feedback::central::http::Request& req = parser.request();
    Check(req.body.size() <= Limits().body_limit(req.path));
    Check(req.headers.size() <= Limits().max_header_fields);
    Check(!req.method.empty());
    Check(req.path.size() <= req.target.size());
    if (!parser.keep_alive()) break;
  }
  return 0;
}
