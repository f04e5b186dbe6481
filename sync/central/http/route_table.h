// RouteTable: the one dispatch table of feedback-central - method + path
// pattern -> one handler function per endpoint, for the device endpoints, the
// dashboard's JSON API and the static pages alike. A pattern is a path of
// segments: literal ("api"), a parameter ("{id}": one segment, raw as sent,
// read with Request::PathParam("id")) or, last only, the rest of the path
// ("{file*}": zero or more segments joined with '/'). Empty segments of a
// request path are ignored, so "/api//me/" is "/api/me". HEAD is answered by
// a GET route (the server drops the body).
//
// Threading: fill the table before serving; Dispatch() is then safe from any
// number of threads (it only reads the table). Owns its handlers.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/central/http/http_message.h"

namespace feedback::central::http {

using Handler = std::function<Response(const Request&)>;

class RouteTable {
 public:
  // Adds a route; routes are tried in the order added.
  void Add(std::string_view method, std::string_view pattern, Handler handler);

  // The answer of the first route whose pattern and method match `request`,
  // with request.path_params set from the pattern. No pattern matches the
  // path: 404 "no such endpoint". Patterns match but not the method: 405 with
  // Allow listing the methods that would.
  Response Dispatch(Request request) const;

 private:
  struct Segment {
    enum class Kind { kLiteral, kParam, kRest };
    Kind kind = Kind::kLiteral;
    std::string text;  // the literal, or the parameter's name
  };
  struct Route {
    std::string method;
    std::vector<Segment> segments;
    Handler handler;
  };
  // Whether `path` (already split) matches `route`; fills params when it does.
  static bool Match(const Route& route, const std::vector<std::string_view>& path,
                    std::vector<std::pair<std::string, std::string>>* params);

  std::vector<Route> routes_;
};

}  // namespace feedback::central::http
