#include "sync/central/cli/central_commands.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <tuple>

#include "capture/epoch_opener.h"
#include "crypto/key_file.h"
#include "crypto/x25519_key_pair.h"
#include "device/device_config.h"
#include "model/survey.h"
#include "protocol/enrollment_token.h"
#include "protocol/limits.h"
#include "sync/central/alerts/alert_dispatcher.h"
#include "sync/central/http/central_server.h"
#include "sync/central/dashboard/dashboard_api.h"
#include "sync/central/dashboard/password_hash.h"
#include "sync/central/cli/seed.h"
#include "sync/central/cli/data_dir.h"
#include "sync/central/ingest/device_api.h"
#include "sync/central/ingest/ingestor.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"
#include "sync/central/cli/staff_csv.h"
#include "sync/central/store/store_pool.h"
#include "sync/central/dashboard/password_policy.h"
#include "sync/central/store/sqlite/sqlite_user_names.h"
#include "sync/central/store/user_rules.h"

namespace feedback::central {
namespace {

int Fail(const std::string& what, const Status& s) {
  std::fprintf(stderr, "feedback-central: %s: %s\n", what.c_str(), s.message().c_str());
  return 1;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "feedback-central: %s\n", message.c_str());
  return 1;
}

bool IsId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

// Opens the store of an initialized data directory.
Result<std::unique_ptr<SqliteCentralStore>> OpenStore(const std::string& data_dir) {
  CentralPaths paths{data_dir};
  FEEDBACK_RETURN_IF_ERROR(CheckDataDir(paths));
  return SqliteCentralStore::Open(paths.database());
}

std::string Time(const std::optional<TimeMs>& t) { return t ? FormatIso8601(*t) : "never"; }

// The password for `username`: one line of stdin, checked by the password
// policy, or a generated one that passes it.
Result<std::string> NewPassword(bool from_stdin, const std::string& username) {
  if (!from_stdin) return GenerateAcceptedPassword(username);
  std::string password;
  std::getline(std::cin, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
  FEEDBACK_RETURN_IF_ERROR(CheckNewPassword(password, username));
  return password;
}

}  // namespace

long long ParseDurationMs(const std::string& text) {
  if (text.empty() || text.size() > 12) return -1;
  long long n = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) n = n * 10 + (text[i] - '0');
  if (i == 0) return -1;
  const std::string unit = text.substr(i);
  if (unit.empty() || unit == "s") return n * 1000;
  if (unit == "m") return n * 60 * 1000;
  if (unit == "h") return n * 3600 * 1000;
  if (unit == "d") return n * 24 * 3600 * 1000;
  return -1;
}

int RunInit(const std::string& data_dir, const std::string& site) {
  if (!IsId(site))
    return Fail("--site '" + site + "' must be 1-64 characters of A-Z a-z 0-9 - _ .");
  Result<InitResult> r = InitDataDir(CentralPaths{data_dir}, site, SystemClock::Instance());
  if (!r.ok()) return Fail("init " + data_dir, r.status());
  std::printf(
      "Initialized the central store in %s\n"
      "  default site:          %s\n"
      "  TLS certificate pin:   %s (sha256 of tls.crt, devices pin it)\n"
      "  admin user:            %s\n"
      "  admin password:        %s\n"
      "The password is shown only this once and stored only as a scrypt hash: keep it safe.\n"
      "Next: feedback-central enroll-token --data-dir %s --site %s --kind kiosk\n",
      data_dir.c_str(), r->default_site.c_str(), r->cert_sha256.c_str(), r->admin_username.c_str(),
      r->admin_password.c_str(), data_dir.c_str(), r->default_site.c_str());
  return 0;
}

int RunEnrollToken(const std::string& data_dir, const std::string& site, const std::string& kind,
                   const std::string& team, const std::string& ttl) {
  if (!IsId(site))
    return Fail("--site '" + site + "' must be 1-64 characters of A-Z a-z 0-9 - _ .");
  if (kind != "kiosk" && kind != "agent") return Fail("--kind must be kiosk or agent");
  if (!team.empty() && !IsId(team))
    return Fail("--team must be 1-64 characters of A-Z a-z 0-9 - _ .");
  const long long ttl_ms = ParseDurationMs(ttl);
  if (ttl_ms < 1000 || ttl_ms > 30LL * 24 * 3600 * 1000) {
    return Fail("--ttl '" + ttl + "' must be a duration from 1s to 30d, e.g. 24h, 30m, 90s");
  }
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  Result<std::string> pin = ReadCertificatePin(CentralPaths{data_dir});
  if (!pin.ok()) return Fail("reading the TLS certificate", pin.status());
  Result<protocol::EnrollmentToken> token = protocol::GenerateEnrollmentToken(*pin);
  if (!token.ok()) return Fail("making a token", token.status());
  const TimeMs now = SystemClock::Instance().NowMs();
  Result<bool> created = (*store)->EnsureSite(site, now);
  if (!created.ok()) return Fail("creating site " + site, created.status());
  if (*created)
    std::fprintf(stderr, "feedback-central: site '%s' did not exist; created it\n", site.c_str());
  EnrollmentTokenRow row{
      protocol::TokenSecretHash(token->secret), site, kind, team, now, now + ttl_ms};
  if (Status s = (*store)->InsertEnrollmentToken(row); !s.ok()) return Fail("storing the token", s);
  std::fprintf(stderr, "feedback-central: one-time %s token for site %s%s, expires %s\n",
               kind.c_str(), site.c_str(), team.empty() ? "" : (", team " + team).c_str(),
               FormatIso8601(row.expires_at).c_str());
  std::printf("%s\n", token->ToString().c_str());
  return 0;
}

int RunDevices(const std::string& data_dir, bool as_json) {
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  Result<std::vector<Device>> devices = (*store)->ListDevices();
  if (!devices.ok()) return Fail("listing devices", devices.status());
  if (as_json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Device& d : *devices) {
      auto opt = [](const std::optional<TimeMs>& t) {
        return t ? nlohmann::json(*t) : nlohmann::json(nullptr);
      };
      out.push_back({{"device_id", d.device_id},
                     {"site_id", d.site_id},
                     {"kind", d.kind},
                     {"team", d.team},
                     {"hostname", d.hostname},
                     {"enrolled_at", d.enrolled_at},
                     {"revoked_at", opt(d.revoked_at)},
                     {"last_seen_at", opt(d.last_seen_at)},
                     {"last_batch_at", opt(d.last_batch_at)},
                     {"last_seq", d.last_seq},
                     {"backlog", d.backlog},
                     {"records_stored", d.records_stored},
                     {"records_quarantined", d.records_quarantined},
                     {"last_error", d.last_error},
                     {"last_error_at", opt(d.last_error_at)},
                     {"possible_clone", d.possible_clone_at.has_value()},
                     {"possible_clone_at", opt(d.possible_clone_at)},
                     {"possible_clone_reason", d.possible_clone_reason}});
    }
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  if (devices->empty()) {
    std::printf("No devices enrolled. Make a token with `feedback-central enroll-token`.\n");
    return 0;
  }
  std::printf("%-24s %-12s %-6s %-10s %-24s %-24s %8s %8s %8s %-8s %-14s %s\n", "DEVICE", "SITE",
              "KIND", "TEAM", "LAST SEEN", "LAST BATCH", "BACKLOG", "STORED", "QUARANT.",
              "REVOKED", "FLAG", "LAST ERROR");
  for (const Device& d : *devices) {
    std::printf("%-24s %-12s %-6s %-10s %-24s %-24s %8lld %8lld %8lld %-8s %-14s %s\n",
                d.device_id.c_str(), d.site_id.c_str(), d.kind.c_str(),
                d.team.empty() ? "-" : d.team.c_str(), Time(d.last_seen_at).c_str(),
                Time(d.last_batch_at).c_str(), static_cast<long long>(d.backlog),
                static_cast<long long>(d.records_stored),
                static_cast<long long>(d.records_quarantined), d.revoked_at ? "yes" : "no",
                d.possible_clone_at ? "possible clone" : "-",
                d.last_error.empty() ? "-" : d.last_error.c_str());
  }
  for (const Device& d : *devices) {
    if (!d.possible_clone_at) continue;
    std::printf("\n%s: possible clone since %s: %s\n", d.device_id.c_str(),
                FormatIso8601(*d.possible_clone_at).c_str(), d.possible_clone_reason.c_str());
  }
  return 0;
}

int RunRevoke(const std::string& data_dir, const std::string& device_id) {
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  if (Status s = (*store)->RevokeDevice(device_id, SystemClock::Instance().NowMs()); !s.ok()) {
    return Fail("revoke", s);
  }
  std::printf("Revoked %s: its batches and requests are refused from now on (403).\n",
              device_id.c_str());
  return 0;
}

int RunClearClone(const std::string& data_dir, const std::string& device_id) {
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  if (Status s = (*store)->ClearPossibleClone(device_id); !s.ok()) return Fail("clear-clone", s);
  std::printf("Cleared the possible-clone mark of %s; its sequence conflicts are counted afresh.\n",
              device_id.c_str());
  return 0;
}

int RunQuarantine(const std::string& data_dir, const std::string& device_id, int limit,
                  bool as_json) {
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  Result<std::vector<QuarantinedRecord>> rows = (*store)->ListQuarantine(device_id, limit);
  if (!rows.ok()) return Fail("listing quarantined records", rows.status());
  if (as_json) {
    nlohmann::json out = nlohmann::json::array();
    for (const QuarantinedRecord& q : *rows) {
      out.push_back({{"device_id", q.device_id},
                     {"site_id", q.site_id},
                     {"batch_seq", q.batch_seq},
                     {"record_id", q.record_id},
                     {"reason", q.reason},
                     {"received_at", q.received_at}});
    }
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  if (rows->empty()) {
    std::printf("No quarantined records%s.\n",
                device_id.empty() ? "" : (" from " + device_id).c_str());
    return 0;
  }
  std::printf("%-24s %-24s %-12s %-36s %s\n", "RECEIVED", "DEVICE", "SITE", "RECORD", "REASON");
  for (const QuarantinedRecord& q : *rows) {
    std::printf("%-24s %-24s %-12s %-36s %s\n", FormatIso8601(q.received_at).c_str(),
                q.device_id.c_str(), q.site_id.c_str(), q.record_id.c_str(), q.reason.c_str());
  }
  return 0;
}

int RunSurveyPublish(const std::string& data_dir, const std::string& file,
                     const std::vector<std::string>& sites, bool all_sites) {
  if (sites.empty() == !all_sites)
    return Fail("survey publish needs --site S (repeatable) or --all");
  for (const std::string& s : sites) {
    if (!IsId(s)) return Fail("--site '" + s + "' must be 1-64 characters of A-Z a-z 0-9 - _ .");
  }
  Result<std::string> text = ReadSmallFile(file, kMaxSurveyFileBytes);
  if (!text.ok()) return Fail("reading " + file, text.status());
  Result<SurveyDefinition> def = ParseSurveyDefinition(*text, file);
  if (!def.ok()) return Fail("survey definition is invalid", def.status());
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  SurveyVersion sv{def->id, def->version, std::string(ChannelName(def->channel)), *text,
                   SystemClock::Instance().NowMs()};
  if (Status s = (*store)->PublishSurvey(sv, sites, all_sites); !s.ok()) {
    return Fail("publishing " + file, s);
  }
  std::printf("Published survey %s version %d (%s) as current for %s.\n", sv.survey_id.c_str(),
              sv.version, sv.channel.c_str(),
              all_sites ? "all sites (and sites created later)"
                        : ("site(s) " +
                           [&] {
                             std::string j;
                             for (const std::string& s : sites) j += (j.empty() ? "" : ", ") + s;
                             return j;
                           }())
                              .c_str());
  return 0;
}

int RunStaffImport(const std::string& data_dir, const std::string& csv_file,
                   const std::string& site) {
  if (!site.empty() && !IsId(site))
    return Fail("--site must be 1-64 characters of A-Z a-z 0-9 - _ .");
  Result<std::string> text = ReadSmallFile(csv_file, kMaxStaffCsvBytes);
  if (!text.ok()) return Fail("reading " + csv_file, text.status());
  Result<std::vector<StaffRow>> rows = ParseStaffCsv(*text, csv_file, site);
  if (!rows.ok()) return Fail("staff CSV is invalid", rows.status());
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  if (Status s = (*store)->ImportStaff(*rows); !s.ok()) return Fail("importing " + csv_file, s);
  std::set<std::string> sites;
  for (const StaffRow& r : *rows) sites.insert(r.site_id);
  std::printf("Imported %zu staff for %zu site(s); each site's roster was replaced.\n",
              rows->size(), sites.size());
  return 0;
}

int RunServe(const ServeFlags& flags) {
  // 0. SIGINT/SIGTERM are blocked first thing, before any other thread exists
  //    (so every thread inherits the mask): a stop signal that arrives while
  //    serve is still starting stays pending and is taken by step 6's thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // 1. Logging to stderr, one line per event, never secrets.
  auto logger = spdlog::stderr_logger_mt("feedback-central");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");

  // 2. The data directory: keys (0600 enforced on load), certificate pin, store.
  CentralPaths paths{flags.data_dir};
  if (Status s = CheckDataDir(paths); !s.ok()) return Fail("serve", s);
  Result<X25519KeyPair> hpke = X25519KeyPair::LoadPem(paths.hpke_key());
  if (!hpke.ok()) return Fail("loading the HPKE key", hpke.status());
  if (Result<SecretBytes> tls_key = ReadSecretFile(paths.tls_key()); !tls_key.ok()) {
    return Fail("checking the TLS key", tls_key.status());
  }
  Result<std::string> pin = ReadCertificatePin(paths);
  if (!pin.ok()) return Fail("reading the TLS certificate", pin.status());
  Result<std::pair<std::string, int>> listen = ParseListenAddress(flags.listen);
  if (!listen.ok()) return Fail("serve", listen.status());
  {
    Result<std::unique_ptr<SqliteCentralStore>> first = SqliteCentralStore::Open(paths.database());
    if (!first.ok()) return Fail("opening the central store", first.status());
  }
  CentralStorePool pool(
      [db = paths.database()]() -> Result<std::unique_ptr<CentralStore>> {
        FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCentralStore> s,
                                  SqliteCentralStore::Open(db));
        return std::unique_ptr<CentralStore>(std::move(s));
      },
      static_cast<size_t>(flags.threads));

  // 3. The endpoints: ingest (opens epoch keys with the HPKE key) and enrollment.
  Bytes hpke_public = hpke->public_key();
  EpochOpener opener(std::move(hpke).value());
  IngestRules rules;
  rules.max_seq_step = flags.max_seq_step;
  rules.clone_conflicts = flags.clone_conflicts;
  for (auto [flag, text, ms] :
       {std::tuple<const char*, const std::string*, TimeMs*>{"--clone-window", &flags.clone_window,
                                                              &rules.clone_window_ms},
        {"--enrollment-skew", &flags.enrollment_skew, &rules.enrollment_skew_ms},
        {"--future-skew", &flags.future_skew, &rules.future_skew_ms}}) {
    const long long parsed = ParseDurationMs(*text);
    if (parsed < 0) {
      return Fail(std::string(flag) + " '" + *text + "' is not a duration: use e.g. 90s, 10m, 1h, 2d");
    }
    *ms = parsed;
  }
  Ingestor ingestor(opener, SystemClock::Instance(), rules);
  DeviceApi api(ingestor, SystemClock::Instance(), hpke_public, *pin);

  // 4. Bind, announce, serve until a signal.
  ServerOptions opts;
  opts.host = listen->first;
  opts.port = listen->second;
  opts.insecure_http = flags.insecure_http_loopback;
  opts.cert_file = paths.tls_cert();
  opts.key_file = paths.tls_key();
  opts.limits.worker_threads = flags.threads;
  opts.limits.max_fair_running = flags.max_concurrent_ingests;
  opts.limits.max_fair_queued_per_key = static_cast<size_t>(flags.max_queued_batches_per_device);
  opts.limits.max_fair_queued = static_cast<size_t>(flags.max_queued_batches);
  opts.limits.max_connections = flags.max_connections;
  // Every connection is a descriptor (main raised the soft limit to the hard
  // one); keep the cap below it so accept never fails for want of one.
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
                      static_cast<rlim_t>(flags.max_connections) + 64 > files.rlim_cur) {
    opts.limits.max_connections = std::max(16, static_cast<int>(files.rlim_cur) - 64);
    spdlog::warn(
        "--max-connections {} does not fit the open-file limit {}: serving at most {} "
        "connections (raise LimitNOFILE= in the service unit to allow more)",
        flags.max_connections, files.rlim_cur, opts.limits.max_connections);
  }
  opts.limits.max_connections_per_address = flags.max_connections_per_address;
  opts.limits.header_timeout = std::chrono::seconds(flags.header_timeout_s);
  opts.limits.body_timeout = std::chrono::seconds(flags.body_timeout_s);
  opts.limits.idle_timeout = std::chrono::seconds(flags.idle_timeout_s);
  opts.limits.tls_handshake_timeout = std::chrono::seconds(flags.tls_handshake_timeout_s);
  opts.limits.max_requests_per_connection = flags.max_requests_per_connection;
  opts.limits.max_header_bytes = static_cast<size_t>(flags.max_header_bytes);
  opts.limits.max_header_fields = static_cast<size_t>(flags.max_header_fields);
  opts.dashboard_dir = flags.dashboard_dir.empty() ? DefaultDashboardDir() : flags.dashboard_dir;
  DashboardOptions dash_opts;
  dash_opts.secure_cookie = !flags.insecure_http_loopback;
  DashboardApi dashboard(SystemClock::Instance(), dash_opts);
  Result<std::unique_ptr<CentralServer>> server =
      CentralServer::Create(opts, api, pool, &dashboard);
  if (!server.ok()) return Fail("serve", server.status());
  if (Status s = (*server)->Bind(); !s.ok()) return Fail("serve", s);
  const std::string url =
      std::string((*server)->tls() ? "https" : "http") + "://" +
      (opts.host.find(':') != std::string::npos ? "[" + opts.host + "]" : opts.host) + ":" +
      std::to_string((*server)->port());
  spdlog::info("listening on {} (certificate pin {}){}", url, *pin,
               (*server)->tls() ? "" : " - PLAIN HTTP on loopback, for tests only");
  std::printf("listening on %s\n", url.c_str());
  std::fflush(stdout);

  // 5. Follow-up alerts queued by ingest go out from one background thread.
  AlertDispatcher alerts(pool, SystemClock::Instance());
  alerts.Start();

  // 6. One thread waits for SIGINT/SIGTERM (pending ones included) and stops
  //    the server; CentralServer::Stop() sticks even before Run() starts.
  CentralServer* srv = server->get();
  std::thread signal_thread([&stop_signals, srv] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    spdlog::info("signal {}: stopping (requests in progress finish first)", sig);
    srv->Stop();
  });
  Status run = srv->Run();
  // Wake the signal thread if the server stopped on its own.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  alerts.Stop();
  spdlog::info("stopped");
  if (!run.ok()) return Fail("serve", run);
  return 0;
}

std::string DefaultDashboardDir() {
  const std::string installed = "/usr/share/feedback/assets/dashboard";
  std::error_code ec;
  if (std::filesystem::is_directory(installed, ec)) return installed;
  return std::string(FEEDBACK_SOURCE_ASSETS_DIR) + "/dashboard";
}

int RunUserAdd(const UserAddFlags& f) {
  if (Status s = CheckUsername(f.username); !s.ok()) return Fail("user add", s);
  Result<UserRole> role = ParseUserRoleName(f.role);
  if (!role.ok()) return Fail("user add --role", role.status());
  User u;
  u.username = f.username;
  u.role = *role;
  u.site_ids = f.sites;
  u.team = f.team;
  u.email = f.email;
  if (Status s = CheckUserScope(u); !s.ok()) {
    return Fail("user add", s.WithContext("--site (repeatable) and --team set the scope"));
  }
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(f.data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  Result<std::string> password = NewPassword(f.password_stdin, u.username);
  if (!password.ok()) return Fail("user add", password.status());
  Result<std::string> hash = HashPassword(*password);
  if (!hash.ok()) return Fail("hashing the password", hash.status());
  u.password_hash = *hash;
  u.created_at = SystemClock::Instance().NowMs();
  if (Status s = (*store)->CreateUser(u); !s.ok()) return Fail("user add", s);
  std::printf("user %s (%s) created\n", u.username.c_str(), f.role.c_str());
  if (!f.password_stdin) std::printf("password: %s\n", password->c_str());
  return 0;
}

int RunUserSetPassword(const std::string& data_dir, const std::string& username,
                       bool password_stdin) {
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  Result<User> user = (*store)->GetUser(username);
  if (!user.ok()) return Fail("user set-password", user.status());
  Result<std::string> password = NewPassword(password_stdin, user->username);
  if (!password.ok()) return Fail("user set-password", password.status());
  Result<std::string> hash = HashPassword(*password);
  if (!hash.ok()) return Fail("hashing the password", hash.status());
  if (Status s = (*store)->SetUserPassword(user->username, *hash, ""); !s.ok()) {
    return Fail("user set-password", s);
  }
  std::printf("password of %s changed; their sessions ended\n", user->username.c_str());
  if (!password_stdin) std::printf("password: %s\n", password->c_str());
  return 0;
}

int RunUserList(const std::string& data_dir, bool as_json) {
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  Result<std::vector<User>> users = (*store)->ListUsers();
  if (!users.ok()) return Fail("listing users", users.status());
  nlohmann::json list = nlohmann::json::array();
  for (const User& u : *users) {
    std::string sites;
    for (const std::string& s : u.site_ids) sites += (sites.empty() ? "" : ",") + s;
    if (as_json) {
      list.push_back({{"username", u.username},
                      {"role", UserRoleName(u.role)},
                      {"sites", u.site_ids},
                      {"team", u.team},
                      {"email", u.email},
                      {"disabled", u.disabled}});
    } else {
      std::printf("%-20s %-17s sites=%-20s team=%-10s %s%s\n", u.username.c_str(),
                  std::string(UserRoleName(u.role)).c_str(), sites.c_str(), u.team.c_str(),
                  u.email.c_str(), u.disabled ? " DISABLED" : "");
    }
  }
  if (as_json) std::printf("%s\n", list.dump(2).c_str());
  return 0;
}

int RunUserDisable(const std::string& data_dir, const std::string& username) {
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  if (Status s = (*store)->SetUserDisabled(username, true); !s.ok()) {
    return Fail("user disable", s);
  }
  std::printf("user %s disabled; their sessions ended\n", username.c_str());
  return 0;
}

int RunUserRename(const std::string& data_dir, const std::string& from, const std::string& to) {
  // A bare database, not OpenStore: this is also the fix for a store whose
  // upgrade stopped because two names differ only in case (sqlite_user_names.h).
  CentralPaths paths{data_dir};
  if (Status s = CheckDataDir(paths); !s.ok()) return Fail("opening the central store", s);
  Result<Database> db = Database::Open(paths.database());
  if (!db.ok()) return Fail("opening the central store", db.status());
  if (Status s = RenameUser(*db, from, to); !s.ok()) return Fail("user rename", s);
  std::printf("user %s is now %s; their sessions ended, they log in as %s\n", from.c_str(),
              to.c_str(), to.c_str());
  return 0;
}

int RunSeed(const SeedFlags& f) {
  Result<std::unique_ptr<SqliteCentralStore>> store = OpenStore(f.data_dir);
  if (!store.ok()) return Fail("opening the central store", store.status());
  SeedOptions o;
  o.records = f.records;
  o.sites = f.sites;
  o.days = f.days;
  o.seed = f.seed;
  const auto start = std::chrono::steady_clock::now();
  int64_t last_print = 0;
  Result<SeedSummary> r = SeedStore(**store, o, [&](int64_t done) {
    if (done - last_print >= 100000 || done == o.records) {
      last_print = done;
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                           .count();
      std::fprintf(stderr, "seed: %lld / %lld records (%.0f/s)\n", static_cast<long long>(done),
                   static_cast<long long>(o.records), s > 0 ? static_cast<double>(done) / s : 0.0);
    }
  });
  if (!r.ok()) return Fail("seed", r.status());
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("seeded %lld records (%lld hero stories, %lld detractors with contact) into %d "
              "sites over %d days in %.1f s\n",
              static_cast<long long>(r->records), static_cast<long long>(r->hero_stories),
              static_cast<long long>(r->contact_detractors), f.sites, f.days, secs);
  return 0;
}

}  // namespace feedback::central
