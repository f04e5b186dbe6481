// feedback-central: the central store server and its operator commands.
//   init, enroll-token, devices, revoke, clear-clone, quarantine, survey publish,
//   staff import, serve, user, seed
// main only declares the command line (CLI11) and calls the matching
// function in central_commands.h; see docs/central.md for the manual.
#include <csignal>
#include <curl/curl.h>
#include <malloc.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "sync/central/cli/central_commands.h"

int main(int argc, char** argv) {
  using namespace feedback::central;
  // At most two malloc arenas: with one per request thread (glibc's default),
  // each of the 8 workers kept the peak of the batches it had decoded, and
  // the resident size grew ~8 MiB per 100 k records ingested until every
  // thread had had a large batch (measured in docs/performance.md).
  mallopt(M_ARENA_MAX, 2);
  // A client that hangs up while we write (e.g. after a 413) must cost one
  // connection, not the server: writes then fail with EPIPE instead.
  ::signal(SIGPIPE, SIG_IGN);
  CLI::App app{
      "feedback-central: the central feedback store (ingest from devices, enrollment, "
      "surveys, staff)"};
  app.require_subcommand(1);

  // init
  std::string data_dir;
  std::string site = "default";
  auto* init = app.add_subcommand("init",
                                  "Create a data directory: store, HPKE key, TLS "
                                  "certificate, admin account (password printed once)");
  init->add_option("--data-dir", data_dir, "Data directory to create")->required();
  init->add_option("--site", site, "Id of the default site")->capture_default_str();

  // enroll-token
  std::string kind;
  std::string team;
  std::string ttl = "24h";
  auto* token = app.add_subcommand("enroll-token", "Print a one-time, expiring enrollment token");
  token->add_option("--data-dir", data_dir, "Data directory")->required();
  token->add_option("--site", site, "Site the device will belong to")->required();
  token->add_option("--kind", kind, "kiosk or agent")
      ->required()
      ->check(CLI::IsMember({"kiosk", "agent"}));
  token->add_option("--team", team, "Call-center team (agent desktops)");
  token->add_option("--ttl", ttl, "Lifetime, e.g. 24h, 30m, 90s")->capture_default_str();

  // devices
  bool as_json = false;
  auto* devices = app.add_subcommand("devices",
                                     "List devices: last sync, backlog, quarantined, "
                                     "last error, revoked, possible clone");
  devices->add_option("--data-dir", data_dir, "Data directory")->required();
  devices->add_flag("--json", as_json, "Print JSON instead of a table");

  // revoke
  std::string device_id;
  auto* revoke = app.add_subcommand("revoke", "Revoke a device: its requests are refused (403)");
  revoke->add_option("--data-dir", data_dir, "Data directory")->required();
  revoke->add_option("DEVICE", device_id, "Device id (see `devices`)")->required();

  // clear-clone
  auto* clear_clone = app.add_subcommand(
      "clear-clone", "Clear a device's \"possible clone\" mark (after checking it is alone)");
  clear_clone->add_option("--data-dir", data_dir, "Data directory")->required();
  clear_clone->add_option("DEVICE", device_id, "Device id (see `devices`)")->required();

  // quarantine
  int limit = 100;
  auto* quarantine = app.add_subcommand(
      "quarantine", "List quarantined records, newest first, with the reason");
  quarantine->add_option("--data-dir", data_dir, "Data directory")->required();
  quarantine->add_option("--device", device_id, "Only this device's");
  quarantine->add_option("--limit", limit, "At most this many")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  quarantine->add_flag("--json", as_json, "Print JSON instead of a table");

  // survey publish
  std::string file;
  std::vector<std::string> sites;
  bool all_sites = false;
  auto* survey = app.add_subcommand("survey", "Survey definitions");
  survey->require_subcommand(1);
  auto* publish = survey->add_subcommand(
      "publish", "Validate a definition and make it current for sites (every version is kept)");
  publish->add_option("--data-dir", data_dir, "Data directory")->required();
  publish->add_option("FILE", file, "Survey definition (JSON)")->required();
  auto* site_opt = publish->add_option("--site", sites, "Site (repeatable)");
  publish->add_flag("--all", all_sites, "Every site, and sites created later")->excludes(site_opt);

  // staff import
  std::string csv;
  std::string staff_site;
  auto* staff = app.add_subcommand("staff", "Staff roster");
  staff->require_subcommand(1);
  auto* import = staff->add_subcommand(
      "import",
      "Load the roster from CSV (staff_id,display_name,team,site); replaces each "
      "listed site's roster");
  import->add_option("--data-dir", data_dir, "Data directory")->required();
  import->add_option("CSV", csv, "Roster CSV file")->required();
  import->add_option("--site", staff_site, "Site for rows without one (and the only one allowed)");

  // serve
  ServeFlags serve_flags;
  auto* serve = app.add_subcommand("serve", "Serve the device API over HTTPS");
  serve->add_option("--data-dir", serve_flags.data_dir, "Data directory")->required();
  serve->add_option("--listen", serve_flags.listen, "HOST:PORT (port 0: any free port)")
      ->capture_default_str();
  serve->add_flag("--insecure-http-loopback", serve_flags.insecure_http_loopback,
                  "Plain HTTP; only allowed on a loopback address (tests, quick start)");
  serve->add_option("--threads", serve_flags.threads, "Worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  serve
      ->add_option("--max-concurrent-ingests", serve_flags.max_concurrent_ingests,
                   "Batches ingested at once; more get 429")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  // The HTTP front's limits (docs/central.md "HTTP server").
  serve
      ->add_option("--max-queued-batches-per-device", serve_flags.max_queued_batches_per_device,
                   "Batches one device may have waiting; more get 429")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  serve
      ->add_option("--max-queued-batches", serve_flags.max_queued_batches,
                   "Batches waiting from all devices together; more get 429")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  serve
      ->add_option("--max-connections", serve_flags.max_connections,
                   "Open connections in total; more are closed at accept")
      ->capture_default_str()
      ->check(CLI::Range(16, 1000000));
  serve
      ->add_option("--max-connections-per-address", serve_flags.max_connections_per_address,
                   "Open connections from one client address; more are closed at accept")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  serve
      ->add_option("--header-timeout", serve_flags.header_timeout_s,
                   "Seconds for a whole request head to arrive (408 beyond)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve
      ->add_option("--body-timeout", serve_flags.body_timeout_s,
                   "Seconds for a whole request body to arrive after its head (408 beyond)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve
      ->add_option("--idle-timeout", serve_flags.idle_timeout_s,
                   "Seconds a kept-alive connection may wait for its next request")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve
      ->add_option("--tls-handshake-timeout", serve_flags.tls_handshake_timeout_s,
                   "Seconds for a TLS handshake to complete")
      ->capture_default_str()
      ->check(CLI::Range(1, 600));
  serve
      ->add_option("--max-requests-per-connection", serve_flags.max_requests_per_connection,
                   "Requests served on one kept-alive connection before it is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  serve
      ->add_option("--max-header-bytes", serve_flags.max_header_bytes,
                   "Largest request head (request line + fields; 431 beyond)")
      ->capture_default_str()
      ->check(CLI::Range(1024, 1024 * 1024));
  serve
      ->add_option("--max-header-fields", serve_flags.max_header_fields,
                   "Most header fields in one request (431 beyond)")
      ->capture_default_str()
      ->check(CLI::Range(8, 1000));

  serve
      ->add_option("--max-seq-step", serve_flags.max_seq_step,
                   "A batch's seq may be at most this far above the last accepted one (else 409)")
      ->capture_default_str()
      ->check(CLI::Range(1LL, 1LL << 40));
  serve
      ->add_option("--clone-conflicts", serve_flags.clone_conflicts,
                   "This many sequence conflicts within --clone-window mark a possible clone")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  serve->add_option("--clone-window", serve_flags.clone_window, "See --clone-conflicts")
      ->capture_default_str();
  serve
      ->add_option("--enrollment-skew", serve_flags.enrollment_skew,
                   "Records dated before their device's enrollment by more than this are "
                   "quarantined")
      ->capture_default_str();
  serve
      ->add_option("--future-skew", serve_flags.future_skew,
                   "Records dated after the central clock by more than this are quarantined")
      ->capture_default_str();
  serve->add_option("--dashboard-dir", serve_flags.dashboard_dir,
                    "Static files of the dashboard (default: the installed or source assets)");

  // user add | list | disable | set-password | rename
  UserAddFlags user_flags;
  auto* user = app.add_subcommand("user", "Dashboard users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create a dashboard user (prints a password)");
  user_add->add_option("--data-dir", user_flags.data_dir, "Data directory")->required();
  user_add->add_option("--username", user_flags.username, "User name")->required();
  user_add->add_option("--role", user_flags.role,
                       "admin, regional_manager, site_manager or team_lead")
      ->required();
  user_add->add_option("--site", user_flags.sites, "Site (repeatable for regional managers)");
  user_add->add_option("--team", user_flags.team, "Team (team leads)");
  user_add->add_option("--email", user_flags.email, "Where follow-up alerts go");
  user_add->add_flag("--password-stdin", user_flags.password_stdin,
                     "Read the password from stdin instead of generating one");
  auto* user_list = user->add_subcommand("list", "List dashboard users");
  user_list->add_option("--data-dir", data_dir, "Data directory")->required();
  user_list->add_flag("--json", as_json, "Print JSON");
  std::string username;
  auto* user_disable = user->add_subcommand("disable", "Disable a user and end their sessions");
  user_disable->add_option("--data-dir", data_dir, "Data directory")->required();
  user_disable->add_option("--username", username, "User name")->required();
  bool set_password_stdin = false;
  auto* user_set_password = user->add_subcommand(
      "set-password", "Give a user a new password (prints a generated one) and end their sessions");
  user_set_password->add_option("--data-dir", data_dir, "Data directory")->required();
  user_set_password->add_option("--username", username, "User name")->required();
  user_set_password->add_flag("--password-stdin", set_password_stdin,
                              "Read the password from one line of stdin instead");
  std::string rename_to;
  auto* user_rename = user->add_subcommand(
      "rename", "Rename a user (spelled exactly, case matters) and end their sessions");
  user_rename->add_option("--data-dir", data_dir, "Data directory")->required();
  user_rename->add_option("--username", username, "User name as it is now")->required();
  user_rename->add_option("--to", rename_to, "New user name")->required();

  // seed
  SeedFlags seed_flags;
  auto* seed = app.add_subcommand(
      "seed", "Fill the store with realistic synthetic records (planted driver effects)");
  seed->add_option("--data-dir", seed_flags.data_dir, "Data directory")->required();
  seed->add_option("--records", seed_flags.records, "Number of records")->capture_default_str();
  seed->add_option("--sites", seed_flags.sites, "Number of sites")->capture_default_str();
  seed->add_option("--days", seed_flags.days, "Days of history, ending today")
      ->capture_default_str();
  seed->add_option("--seed", seed_flags.seed, "Random seed")->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  // One-time global set-up for libcurl (alert e-mails and webhooks).
  curl_global_init(CURL_GLOBAL_DEFAULT);

  if (*init) return RunInit(data_dir, site);
  if (*token) return RunEnrollToken(data_dir, site, kind, team, ttl);
  if (*devices) return RunDevices(data_dir, as_json);
  if (*revoke) return RunRevoke(data_dir, device_id);
  if (*clear_clone) return RunClearClone(data_dir, device_id);
  if (*quarantine) return RunQuarantine(data_dir, device_id, limit, as_json);
  if (*publish) return RunSurveyPublish(data_dir, file, sites, all_sites);
  if (*import) return RunStaffImport(data_dir, csv, staff_site);
  if (*serve) {
    // Every connection is a file descriptor: with the soft limit (often
    // 1024) a few hundred idle clients would exhaust it before any cap does.
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      (void)setrlimit(RLIMIT_NOFILE, &files);
    }
    return RunServe(serve_flags);
  }
  if (*user_add) return RunUserAdd(user_flags);
  if (*user_list) return RunUserList(data_dir, as_json);
  if (*user_disable) return RunUserDisable(data_dir, username);
  if (*user_set_password) return RunUserSetPassword(data_dir, username, set_password_stdin);
  if (*user_rename) return RunUserRename(data_dir, username, rename_to);
  if (*seed) return RunSeed(seed_flags);
  return 1;
}
