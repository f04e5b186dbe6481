// feedback-central: the central store server and its operator commands.
//   init, enroll-token, devices, revoke, survey publish, staff import, serve
// main only declares the command line (CLI11) and calls the matching
// function in central_commands.h; see docs/central.md for the manual.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "sync/central/central_commands.h"

int main(int argc, char** argv) {
  using namespace feedback::central;
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
                                     "List devices: last sync, backlog, last error, "
                                     "revoked");
  devices->add_option("--data-dir", data_dir, "Data directory")->required();
  devices->add_flag("--json", as_json, "Print JSON instead of a table");

  // revoke
  std::string device_id;
  auto* revoke = app.add_subcommand("revoke", "Revoke a device: its requests are refused (403)");
  revoke->add_option("--data-dir", data_dir, "Data directory")->required();
  revoke->add_option("DEVICE", device_id, "Device id (see `devices`)")->required();

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

  CLI11_PARSE(app, argc, argv);

  if (*init) return RunInit(data_dir, site);
  if (*token) return RunEnrollToken(data_dir, site, kind, team, ttl);
  if (*devices) return RunDevices(data_dir, as_json);
  if (*revoke) return RunRevoke(data_dir, device_id);
  if (*publish) return RunSurveyPublish(data_dir, file, sites, all_sites);
  if (*import) return RunStaffImport(data_dir, csv, staff_site);
  if (*serve) return RunServe(serve_flags);
  return 1;
}
