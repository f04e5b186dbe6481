// feedback-sync: the device-side sync daemon (docs/sync.md).
//   feedback-sync enroll --server URL --token TOKEN --dir DIR [--kind kiosk|agent]
//   feedback-sync run --device-config DIR/device.json [--interval 30s] [--once]
//   feedback-sync status --device-config DIR/device.json [--json] [--max-staleness 1h]
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "daemon/curl_transport.h"
#include "daemon/daemon.h"
#include "daemon/enroll.h"
#include "daemon/sync_status.h"
#include "device/device_config.h"
#include "store/capture_store.h"

namespace {

using namespace feedback;
using namespace feedback::sync;

int Enroll(const std::string& server, const std::string& token, const std::string& dir,
           const std::string& kind) {
  EnrollOptions options;
  options.server_url = server;
  options.token = token;
  options.dir = dir;
  options.kind = kind == "agent" ? DeviceKind::kAgent : DeviceKind::kKiosk;
  char host[256] = {0};
  if (::gethostname(host, sizeof(host) - 1) == 0) options.hostname = host;
  auto make_transport = [](const std::string& url,
                           const std::string& pin) -> Result<std::unique_ptr<Transport>> {
    CurlTransportOptions t;
    t.base_url = url;
    t.pinned_cert_sha256 = pin;
    FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<CurlTransport> transport, CurlTransport::Create(t));
    return std::unique_ptr<Transport>(std::move(transport));
  };
  Result<DeviceConfig> config = feedback::sync::Enroll(options, make_transport);
  if (!config.ok()) {
    spdlog::critical("enrollment failed: {}", config.status().ToString());
    return 1;
  }
  std::printf("enrolled device %s (site %s); config %s/device.json\n", config->device_id.c_str(),
              config->site_id.c_str(), dir.c_str());
  return 0;
}

int PrintStatus(const std::string& config_path, bool json, TimeMs max_staleness) {
  Result<DeviceConfig> config = LoadDeviceConfig(config_path);
  if (!config.ok()) {
    std::fprintf(stderr, "feedback-sync status: %s\n", config.status().ToString().c_str());
    return 2;
  }
  Result<CaptureStore> store = CaptureStore::Open(config->capture_db, nullptr);
  if (!store.ok()) {
    std::fprintf(stderr, "feedback-sync status: %s\n", store.status().ToString().c_str());
    return 2;
  }
  const TimeMs now = SystemClock::Instance().NowMs();
  Result<SyncStatus> status = ReadSyncStatus(*store, now, max_staleness);
  if (!status.ok()) {
    std::fprintf(stderr, "feedback-sync status: %s\n", status.status().ToString().c_str());
    return 2;
  }
  if (json) {
    std::printf("%s\n", SyncStatusJson(*status).c_str());
  } else {
    std::printf("device:        %s (site %s) -> %s\n%s", config->device_id.c_str(),
                config->site_id.c_str(), config->central_url.c_str(),
                FormatSyncStatus(*status, now).c_str());
  }
  return status->healthy ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  // 1. Command line.
  CLI::App app{
      "feedback-sync: enrolls this device and syncs its capture DB with the central store"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  std::string server, token, dir, kind = "kiosk", config_path, interval = "30s",
                                  connect_timeout = "5s", request_timeout = "30s", staleness = "1h",
                                  max_backoff = "5m";
  bool once = false, json = false;
  size_t max_records = 1000;
  CLI::App* enroll = app.add_subcommand("enroll", "Register this device with a one-time token");
  enroll->add_option("--server", server, "Central store URL, https://host:port")->required();
  enroll->add_option("--token", token, "Token from feedback-central enroll-token")->required();
  enroll->add_option("--dir", dir, "Device data folder to create")->required();
  enroll->add_option("--kind", kind, "kiosk or agent")->check(CLI::IsMember({"kiosk", "agent"}));
  CLI::App* run = app.add_subcommand("run", "Run the sync daemon");
  run->add_option("--device-config", config_path, "DIR/device.json")->required();
  run->add_option("--interval", interval, "Sync interval (e.g. 30s)");
  run->add_option("--connect-timeout", connect_timeout, "TCP+TLS connect timeout");
  run->add_option("--request-timeout", request_timeout, "Whole-request timeout");
  run->add_option("--max-backoff", max_backoff,
                  "Longest wait between retries after network errors");
  run->add_option("--max-batch-records", max_records,
                  "At most this many records per batch (1..1000)")
      ->check(CLI::Range(1, 1000));
  run->add_flag("--once", once, "Deliver the backlog and pull state once, then exit");
  CLI::App* status = app.add_subcommand("status", "Print backlog, last success and last error");
  status->add_option("--device-config", config_path, "DIR/device.json")->required();
  status->add_flag("--json", json, "One JSON object");
  status->add_option("--max-staleness", staleness, "Unhealthy if records wait longer than this");
  CLI11_PARSE(app, argc, argv);

  // 2. Logging to stderr (journald adds the time); never any key or token material.
  auto logger = spdlog::stderr_color_mt("feedback-sync");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(log_level));

  if (*status) {
    Result<TimeMs> max_staleness = ParseDuration(staleness);
    if (!max_staleness.ok()) {
      std::fprintf(stderr, "%s\n", max_staleness.status().ToString().c_str());
      return 2;
    }
    return PrintStatus(config_path, json, *max_staleness);
  }

  // 3. One-time global set-up.
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    spdlog::critical("curl_global_init failed");
    return 2;
  }
  struct CurlGlobal {
    ~CurlGlobal() { curl_global_cleanup(); }
  } curl_global;
  ::signal(SIGPIPE, SIG_IGN);

  if (*enroll) return Enroll(server, token, dir, kind);

  // 4. Signals: SIGTERM/SIGINT are blocked here and taken by a thread with
  //    sigwait, which asks the loop to stop (in-flight request: 5 s grace).
  DaemonOptions options;
  options.device_config = config_path;
  options.once = once;
  options.max_records_per_batch = max_records;
  for (auto [text, out] : {std::pair{&interval, &options.interval_ms},
                           std::pair{&connect_timeout, &options.connect_timeout_ms},
                           std::pair{&request_timeout, &options.request_timeout_ms},
                           std::pair{&max_backoff, &options.max_backoff_ms}}) {
    Result<TimeMs> d = ParseDuration(*text);
    if (!d.ok() || *d <= 0) {
      spdlog::critical("{}", d.ok() ? "durations must be positive" : d.status().ToString());
      return 2;
    }
    *out = *d;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  StopSignal stop;
  std::thread signal_thread([&signals, &stop] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (!stop.stop_requested()) spdlog::info("signal {} received: shutting down", sig);
    stop.RequestStop();
  });

  // 5. The daemon.
  const int code = RunDaemon(options, stop);

  // 6. Tear down: wake the signal thread if no signal came.
  if (!stop.stop_requested()) {
    stop.RequestStop();
    pthread_kill(signal_thread.native_handle(), SIGTERM);
  }
  signal_thread.join();
  return code;
}
