// The feedback-central subcommands as plain functions (main.cpp only parses
// the command line and calls one of these). Each prints what it did or an
// error that names what failed and what to do, and returns the process exit
// code (0 success, 1 failure). Run from the main thread of the CLI process.
#pragma once

#include <string>
#include <vector>

namespace feedback::central {

struct ServeFlags {
  std::string data_dir;
  std::string listen = "127.0.0.1:8443";
  bool insecure_http_loopback = false;
  int threads = 8;
  int max_concurrent_ingests = 2;
  // The HTTP front's limits (docs/central.md "HTTP server"); seconds for times.
  int max_connections = 4096;
  int max_connections_per_address = 256;
  int header_timeout_s = 10;
  int body_timeout_s = 30;
  int idle_timeout_s = 15;
  int tls_handshake_timeout_s = 10;
  int max_requests_per_connection = 100;
  int max_header_bytes = 16 * 1024;
  int max_header_fields = 64;
  int max_queued_batches_per_device = 4;
  int max_queued_batches = 256;
  std::string dashboard_dir;  // empty: the default (see DefaultDashboardDir)
  // The integrity rules (IngestRules; durations as ParseDurationMs reads them).
  long long max_seq_step = 1000;
  int clone_conflicts = 3;
  std::string clone_window = "10m";
  std::string enrollment_skew = "1h";
  std::string future_skew = "24h";
};

struct UserAddFlags {
  std::string data_dir;
  std::string username;
  std::string role;
  std::vector<std::string> sites;
  std::string team;
  std::string email;
  bool password_stdin = false;
};

struct SeedFlags {
  std::string data_dir;
  long long records = 10000;
  int sites = 4;
  int days = 90;
  unsigned long long seed = 1;
};

int RunInit(const std::string& data_dir, const std::string& site);
int RunEnrollToken(const std::string& data_dir, const std::string& site, const std::string& kind,
                   const std::string& team, const std::string& ttl);
int RunDevices(const std::string& data_dir, bool json);
int RunRevoke(const std::string& data_dir, const std::string& device_id);
int RunClearClone(const std::string& data_dir, const std::string& device_id);
int RunQuarantine(const std::string& data_dir, const std::string& device_id, int limit,
                  bool json);
int RunSurveyPublish(const std::string& data_dir, const std::string& file,
                     const std::vector<std::string>& sites, bool all_sites);
int RunStaffImport(const std::string& data_dir, const std::string& csv_file,
                   const std::string& site);
int RunServe(const ServeFlags& flags);
int RunUserAdd(const UserAddFlags& flags);
int RunUserList(const std::string& data_dir, bool json);
int RunUserDisable(const std::string& data_dir, const std::string& username);
// A new password for a user (any case): read from stdin or generated and
// printed; ends all their sessions. The way back in for a forgotten password.
int RunUserSetPassword(const std::string& data_dir, const std::string& username,
                       bool password_stdin);
// Renames the user spelled exactly `from` (see sqlite_user_names.h); works on
// a store whose upgrade stopped on two names that differ only in case.
int RunUserRename(const std::string& data_dir, const std::string& from, const std::string& to);
int RunSeed(const SeedFlags& flags);

// Where `serve` finds the dashboard's static files by default: the installed
// /usr/share/feedback/assets/dashboard if present, else the source tree's.
std::string DefaultDashboardDir();

// "24h", "30m", "90s", "7d" or plain seconds -> milliseconds; -1 when malformed.
long long ParseDurationMs(const std::string& text);

}  // namespace feedback::central
