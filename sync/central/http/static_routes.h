// The server's own pages as route-table entries: GET /healthz, GET / (to the
// dashboard), GET /dashboard/{file*} (the dashboard's static files from one
// folder, never outside it). Stateless apart from the folder it serves.
//
// Threading: the routes may run on many threads at once.
#pragma once

#include <optional>
#include <string>

#include "sync/central/http/route_table.h"

namespace feedback::central::http {

// The file under `root` that a /dashboard/ request path names, or nullopt for
// anything that could leave root (.., //, backslash, NUL, symlinks out).
std::optional<std::string> ResolveStaticPath(const std::string& root, const std::string& rel);
std::string MimeTypeFor(const std::string& path);

// Adds /healthz, / and /dashboard/...; dashboard_dir empty: every page is 404.
void AddStaticRoutes(RouteTable& routes, const std::string& dashboard_dir);

}  // namespace feedback::central::http
