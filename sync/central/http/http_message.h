// http::Request / http::Response: one HTTP exchange as feedback-central's
// handlers see it, independent of the server that parsed it. The server
// (http/server.h) fills a Request only once the whole request is read within
// its limits; the route table (http/route_table.h) hands it to one handler,
// which returns a Response. Plain values; no threading rules of their own.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace feedback::central::http {

// Header fields in arrival order. Names are stored lower-case, so lookups are
// case-insensitive as RFC 9110 says.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // the request target as sent: "/api/overview?range=7d"
  std::string path;    // target up to '?', not percent-decoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  HeaderList headers;                                      // lower-case names
  std::string body;
  std::string remote_ip;                                   // "127.0.0.2", "::1"
  std::vector<std::pair<std::string, std::string>> path_params;  // set by the route table

  // The first value of a header (name in any case), or "" when absent.
  std::string_view Header(std::string_view name) const;
  // The first value of a query parameter, or "" when absent.
  std::string_view Query(std::string_view name) const;
  // A path parameter the matched route named ("{id}" -> "id"), or "".
  std::string_view PathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  HeaderList headers;     // extra fields; Set-Cookie may repeat
  std::string log_note;   // one line for the log; never secrets

  static Response Json(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
};

}  // namespace feedback::central::http
