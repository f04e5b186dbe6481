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
};

int RunInit(const std::string& data_dir, const std::string& site);
int RunEnrollToken(const std::string& data_dir, const std::string& site, const std::string& kind,
                   const std::string& team, const std::string& ttl);
int RunDevices(const std::string& data_dir, bool json);
int RunRevoke(const std::string& data_dir, const std::string& device_id);
int RunSurveyPublish(const std::string& data_dir, const std::string& file,
                     const std::vector<std::string>& sites, bool all_sites);
int RunStaffImport(const std::string& data_dir, const std::string& csv_file,
                   const std::string& site);
int RunServe(const ServeFlags& flags);

// "24h", "30m", "90s", "7d" or plain seconds -> milliseconds; -1 when malformed.
long long ParseDurationMs(const std::string& text);

}  // namespace feedback::central
