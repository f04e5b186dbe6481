#include "sync/central/http/route_table.h"

#include <algorithm>

#include "sync/central/http/responses.h"

namespace feedback::central::http {
namespace {

// The non-empty segments of a path ("/api//me/" -> {"api", "me"}).
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    if (end > pos) out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace

void RouteTable::Add(std::string_view method, std::string_view pattern, Handler handler) {
  Route route;
  route.method = std::string(method);
  route.handler = std::move(handler);
  for (std::string_view s : Split(pattern)) {
    Segment seg;
    if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
      s = s.substr(1, s.size() - 2);
      seg.kind = Segment::Kind::kParam;
      if (s.back() == '*') {
        seg.kind = Segment::Kind::kRest;
        s.remove_suffix(1);
      }
    }
    seg.text = std::string(s);
    route.segments.push_back(std::move(seg));
  }
  routes_.push_back(std::move(route));
}

bool RouteTable::Match(const Route& route, const std::vector<std::string_view>& path,
                       std::vector<std::pair<std::string, std::string>>* params) {
  params->clear();
  size_t i = 0;
  for (const Segment& seg : route.segments) {
    if (seg.kind == Segment::Kind::kRest) {
      std::string rest;
      for (size_t j = i; j < path.size(); ++j) {
        if (j > i) rest += '/';
        rest += path[j];
      }
      params->emplace_back(seg.text, std::move(rest));
      return true;
    }
    if (i >= path.size()) return false;
    if (seg.kind == Segment::Kind::kLiteral && path[i] != seg.text) return false;
    if (seg.kind == Segment::Kind::kParam) params->emplace_back(seg.text, std::string(path[i]));
    ++i;
  }
  return i == path.size();
}

Response RouteTable::Dispatch(Request request) const {
  const std::vector<std::string_view> path = Split(request.path);
  const std::string& method = request.method == "HEAD" ? std::string("GET") : request.method;
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (!Match(route, path, &params)) continue;
    if (route.method == method) {
      request.path_params = std::move(params);
      return route.handler(request);
    }
    if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) {
      allowed.push_back(route.method);
    }
  }
  if (allowed.empty()) return ErrorResponse(404, "no such endpoint");
  std::string allow;
  for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  Response r = ErrorResponse(405, "method not allowed on this endpoint: use " + allow);
  r.headers.emplace_back("Allow", allow);
  return r;
}

}  // namespace feedback::central::http
