#include "daemon/daemon.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include "crypto/ed25519_private_key.h"
#include "daemon/curl_transport.h"
#include "daemon/sync_engine.h"
#include "device/device_config.h"
#include "store/capture_store.h"

namespace feedback::sync {
namespace {

struct FdCloser {
  void operator()(int* fd) const {
    if (*fd >= 0) ::close(*fd);
    delete fd;
  }
};
using LockFile = std::unique_ptr<int, FdCloser>;

// One daemon per capture DB: two would each think they own the in-flight batch.
Result<LockFile> LockExclusively(const std::string& path) {
  LockFile fd(new int(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)));
  if (*fd < 0)
    return Status::IoError("cannot open lock file " + path + ": " + std::strerror(errno));
  if (::flock(*fd, LOCK_EX | LOCK_NB) != 0) {
    return Status::Busy("another feedback-sync is already running for this device (" + path +
                        " is locked); stop it first");
  }
  return fd;
}

}  // namespace

Result<TimeMs> ParseDuration(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) {
    return Status::InvalidArgument("duration '" + std::string(text) +
                                   "' is not like 30s, 500ms, 5m");
  }
  const std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  int64_t factor = 0;
  if (unit.empty() || unit == "s") factor = 1000;
  if (unit == "ms") factor = 1;
  if (unit == "m" || unit == "min") factor = 60'000;
  if (unit == "h") factor = 3'600'000;
  if (factor == 0) {
    return Status::InvalidArgument("duration '" + std::string(text) +
                                   "' has an unknown unit (ms, s, m, h)");
  }
  return value * factor;
}

int RunDaemon(const DaemonOptions& options, StopSignal& stop) {
  // 1. Who this device is, its key and its capture store.
  Result<DeviceConfig> config = LoadDeviceConfig(options.device_config);
  if (!config.ok()) {
    spdlog::critical("{}", config.status().ToString());
    return 2;
  }
  Result<LockFile> lock = LockExclusively(config->capture_db + ".sync-lock");
  if (!lock.ok()) {
    spdlog::critical("{}", lock.status().ToString());
    return 2;
  }
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::LoadPem(config->device_key_file);
  if (!key.ok()) {
    spdlog::critical("device key: {}", key.status().ToString());
    return 2;
  }
  Result<CaptureStore> store = CaptureStore::Open(config->capture_db, /*sealer=*/nullptr);
  if (!store.ok()) {
    spdlog::critical("capture store: {}", store.status().ToString());
    return 2;
  }

  // 2. The pinned transport to the central store.
  CurlTransportOptions transport_options;
  transport_options.base_url = config->central_url;
  transport_options.pinned_cert_sha256 = config->central_cert_sha256;
  transport_options.connect_timeout_ms = static_cast<long>(options.connect_timeout_ms);
  transport_options.total_timeout_ms = static_cast<long>(options.request_timeout_ms);
  transport_options.stop = &stop;
  Result<std::unique_ptr<CurlTransport>> transport = CurlTransport::Create(transport_options);
  if (!transport.ok()) {
    spdlog::critical("{}: {}", options.device_config, transport.status().ToString());
    return 2;
  }

  // 3. The sync loop.
  SyncOptions sync_options;
  sync_options.interval_ms = options.interval_ms;
  sync_options.max_records_per_batch = options.max_records_per_batch;
  sync_options.backoff.cap_ms = options.max_backoff_ms;
  sync_options.backoff.base_ms = std::min<TimeMs>(1'000, options.max_backoff_ms);
  SyncEngine engine(*config, *store, *key, **transport, SystemClock::Instance(), stop,
                    sync_options);
  spdlog::info("feedback-sync: device {} (site {}) -> {}, every {} ms", config->device_id,
               config->site_id, config->central_url, options.interval_ms);
  if (Status s = engine.Init(); !s.ok()) {
    spdlog::critical("{}", s.ToString());
    return 2;
  }
  if (!options.once) {
    Status s = engine.Run();
    if (!s.ok()) {
      spdlog::critical("{}", s.ToString());
      return 2;
    }
    return 0;
  }
  Result<PushResult> pushed = engine.DrainOnce();
  if (!pushed.ok()) {
    spdlog::critical("{}", pushed.status().ToString());
    return 2;
  }
  if (pushed->outcome != PushOutcome::kNothingToSend) {
    spdlog::error("{}", pushed->error);
    (void)store->SetSetting(kSettingSyncLastError,
                            FormatIso8601(SystemClock::Instance().NowMs()) + " " + pushed->error);
    return 1;
  }
  Result<PullResult> pulled = engine.PullOnce();
  if (!pulled.ok() || !pulled->ok) {
    const std::string error = pulled.ok() ? pulled->error : pulled.status().ToString();
    spdlog::error("{}", error);
    (void)store->SetSetting(kSettingSyncLastError,
                            FormatIso8601(SystemClock::Instance().NowMs()) + " " + error);
    return 1;
  }
  (void)store->SetSetting(kSettingSyncLastSuccess, std::to_string(SystemClock::Instance().NowMs()));
  (void)store->SetSetting(kSettingSyncLastError, "");
  spdlog::info("in sync: {} batches delivered", engine.counters().batches_delivered);
  return 0;
}

}  // namespace feedback::sync
