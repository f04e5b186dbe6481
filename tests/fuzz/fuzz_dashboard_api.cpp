// Fuzz target for the dashboard's JSON API in process (DashboardApi's routes
// in a route table, the code behind every /api/ request), on a real SQLite store in a temp
// folder seeded with two sites, records, stories and follow-ups. Input fields
// (split by 0x1f): who (admin session / site manager of site-01 / the fuzzed
// cookie and CSRF header), method, path, query string ("k=v&k2=v2", as the
// HTTP layer hands it over decoded), content type, body, then the cookie and
// CSRF header used when `who` says so. Invariants: a known status; JSON
// answers parse; an error answer says what failed; and the site manager of
// site-01 never gets an answer (200) that names site-02 - the server-side
// scope of docs/dashboard-api.md. Sessions are made directly in the store
// (no scrypt per input) and remade when an input logged one out. Must never
// crash, hang or leak.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "fuzz_central_store.h"
#include "fuzz_common.h"
#include "protocol/sha256.h"
#include "sync/central/cli/seed.h"
#include "sync/central/dashboard/dashboard_api.h"
#include "sync/central/dashboard/password_hash.h"
#include "sync/central/http/route_table.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"
#include "sync/central/store/store_pool.h"

using feedback::fuzz::Check;
using feedback::fuzz::Fields;
namespace fb = feedback;
namespace central = feedback::central;

namespace {

struct Login {
  std::string username;
  std::string cookie_value;
  std::string csrf;
};

struct Dashboard {
  std::string dir;
  fb::FakeClock clock{1'767'225'600'000};  // 2026-01-01T00:00:00Z
  std::unique_ptr<central::SqliteCentralStore> store;
  std::unique_ptr<central::CentralStorePool> pool;  // the stores the routes lease
  std::unique_ptr<central::DashboardApi> api;
  central::http::RouteTable routes;
  Login admin{"fuzz-admin", "admin-cookie-0123456789", "admin-csrf-0123456789"};
  Login manager{"fuzz-manager", "manager-cookie-0123456789", "manager-csrf-0123456789"};
};

void EnsureSession(Dashboard& d, const Login& login) {
  const std::string hash = fb::protocol::Sha256Hex(fb::AsBytes(login.cookie_value));
  if (d.store->GetSession(hash, d.clock.NowMs(), 3'600'000).ok()) return;
  central::Session s{hash,
                     login.username,
                     login.csrf,
                     d.clock.NowMs(),
                     d.clock.NowMs(),
                     d.clock.NowMs() + 3'600'000};
  Check(d.store->CreateSession(s).ok());
}

Dashboard& TheDashboard() {
  static Dashboard* dash = [] {
    auto* d = new Dashboard;
    feedback::fuzz::SeededStore& seeded =
        feedback::fuzz::OpenSeededStore("fuzz_dashboard_api", 300, 14, d->clock.NowMs());
    d->dir = seeded.dir;
    d->store = std::move(seeded.store);
    auto hash = central::HashPassword("fuzz-password");
    Check(hash.ok());
    central::User admin;
    admin.username = d->admin.username;
    admin.password_hash = *hash;
    admin.role = central::UserRole::kAdmin;
    Check(d->store->CreateUser(admin).ok());
    central::User manager = admin;
    manager.username = d->manager.username;
    manager.role = central::UserRole::kSiteManager;
    manager.site_ids = {"site-01"};
    Check(d->store->CreateUser(manager).ok());
    central::DashboardOptions options;
    options.secure_cookie = false;
    d->api = std::make_unique<central::DashboardApi>(d->clock, options);
    const std::string db_path = d->dir + "/central.db";
    d->pool = std::make_unique<central::CentralStorePool>(
        [db_path]() -> fb::Result<std::unique_ptr<central::CentralStore>> {
          FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<central::SqliteCentralStore> s,
                                    central::SqliteCentralStore::Open(db_path));
          return std::unique_ptr<central::CentralStore>(std::move(s));
        },
        1);
    d->api->AddRoutes(d->routes, *d->pool);
    return d;
  }();
  return *dash;
}

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!q.empty()) {
    const size_t amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    const size_t eq = pair.find('=');
    params.emplace_back(std::string(pair.substr(0, eq)),
                        eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
  }
  return params;
}

// Whether the manager is still exactly "site manager of site-01" (an admin
// input may have changed that user; the scope check then does not apply).
bool ManagerScopedToSite01(Dashboard& d) {
  auto u = d.store->GetUser(d.manager.username);
  return u.ok() && !u->disabled && u->role == central::UserRole::kSiteManager &&
         u->site_ids == std::vector<std::string>{"site-01"};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Dashboard& d = TheDashboard();
  Fields in(data, size);
  const uint8_t who = in.NextByte() % 3;
  central::http::Request req;
  static const char* const kMethods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
  req.method = kMethods[in.NextByte() % 6];
  req.path = std::string(in.Next());
  const std::string_view query = in.Next();
  req.target = query.empty() ? req.path : req.path + "?" + std::string(query);
  req.query = ParseQuery(query);
  req.headers.emplace_back("content-type", std::string(in.Next()));
  req.body = std::string(in.Next());
  req.remote_ip = "127.0.0.1";
  const Login* login = nullptr;
  if (who == 0) login = &d.admin;
  if (who == 1) login = &d.manager;
  if (login != nullptr) {
    EnsureSession(d, *login);
    req.headers.emplace_back("cookie",
                             std::string(central::kSessionCookie) + "=" + login->cookie_value);
    req.headers.emplace_back("x-csrf-token", login->csrf);
  } else {
    req.headers.emplace_back("cookie", std::string(in.Next()));
    req.headers.emplace_back("x-csrf-token", std::string(in.Rest()));
  }
  const bool scoped = who == 1 && ManagerScopedToSite01(d);

  const central::http::Response r = d.routes.Dispatch(std::move(req));

  static const std::set<int> kStatuses = {200, 201, 204, 400, 401, 403, 404, 405,
                                          409, 413, 415, 422, 429, 500, 503};
  Check(kStatuses.contains(r.status));
  Check(r.status != 500);  // an internal error on any input is a bug to fix
  if (r.content_type.rfind("application/json", 0) == 0 && r.status != 204) {
    const nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    Check(!body.is_discarded());
    if (r.status >= 400) Check(body.is_object() && body.contains("error"));
  }
  if (scoped && r.status == 200) Check(r.body.find("site-02") == std::string::npos);
  return 0;
}
