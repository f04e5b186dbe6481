#include "sync/central/http/static_routes.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "sync/central/http/responses.h"

namespace feedback::central::http {
namespace {

Response Redirect(std::string location) {
  Response r;
  r.status = 302;
  r.content_type.clear();
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

}  // namespace

std::optional<std::string> ResolveStaticPath(const std::string& root, const std::string& rel) {
  if (root.empty()) return std::nullopt;
  if (rel.find('\0') != std::string::npos || rel.find('\\') != std::string::npos ||
      rel.find("//") != std::string::npos || rel.find('%') != std::string::npos) {
    return std::nullopt;
  }
  // Every segment must be a plain name (no "..", no ".", no hidden files).
  size_t pos = 0;
  while (pos < rel.size()) {
    size_t end = rel.find('/', pos);
    if (end == std::string::npos) end = rel.size();
    const std::string part = rel.substr(pos, end - pos);
    if (!part.empty() && part[0] == '.') return std::nullopt;
    pos = end + 1;
  }
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::canonical(root, ec);
  if (ec) return std::nullopt;
  std::filesystem::path p = base / rel;
  if (std::filesystem::is_directory(p, ec)) p /= "index.html";
  const std::filesystem::path real = std::filesystem::canonical(p, ec);
  if (ec || !std::filesystem::is_regular_file(real, ec)) return std::nullopt;
  const std::string b = base.string() + "/";
  if (real.string().rfind(b, 0) != 0) return std::nullopt;
  return real.string();
}

std::string MimeTypeFor(const std::string& path) {
  const size_t dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  static const std::pair<const char*, const char*> kTypes[] = {
      {"html", "text/html; charset=utf-8"},  {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
      {"svg", "image/svg+xml"},               {"png", "image/png"},
      {"jpg", "image/jpeg"},                  {"jpeg", "image/jpeg"},
      {"ico", "image/x-icon"},                {"woff2", "font/woff2"},
      {"woff", "font/woff"},                  {"ttf", "font/ttf"},
      {"json", "application/json"},           {"map", "application/json"},
      {"txt", "text/plain; charset=utf-8"}};
  for (const auto& [e, t] : kTypes) {
    if (ext == e) return t;
  }
  return "application/octet-stream";
}

void AddStaticRoutes(RouteTable& routes, const std::string& dashboard_dir) {
  routes.Add("GET", "/healthz", [](const Request&) { return Response::Json(200, R"({"ok":true})"); });
  routes.Add("GET", "/", [](const Request&) { return Redirect("/dashboard/"); });
  routes.Add("GET", "/dashboard/{file*}", [dashboard_dir](const Request& request) {
    if (request.path == "/dashboard") return Redirect("/dashboard/");
    // The path as sent after "/dashboard/" (not the joined segments), so
    // ResolveStaticPath sees and refuses "//" and the like.
    const std::string rel = request.path.size() > 10 ? request.path.substr(11) : "";
    std::optional<std::string> file = ResolveStaticPath(dashboard_dir, rel);
    if (!file) return ErrorResponse(404, "no such page");
    std::ifstream in(*file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Response r;
    r.body = ss.str();
    r.content_type = MimeTypeFor(*file);
    return r;
  });
}

}  // namespace feedback::central::http
