// Sync throughput and cost, end to end on loopback (issue 6):
//   1. records/s from the device's capture DB into the central DB: the real
//      feedback-central process (HTTP on 127.0.0.1) and the daemon's SyncEngine
//      over the curl transport, timed from the first batch built to the last
//      acknowledgement (each acknowledged only after the central commit);
//   2. the baseline in the same run: a bare SQLite bulk insert (one transaction
//      per 1000 rows like ingest's one per batch, WAL, synchronous=FULL) of the
//      same decoded rows the central store wrote,
//      into a table with the central store's own schema; the ratio is the
//      figure (target >= 0.3);
//   3. bytes on the wire per typical kiosk record (batch envelope: zstd
//      MessagePack, sealed fields, epoch keys, signature; target <= 200 B), and
//      the HTTP headers on top;
//   4. CPU time per batch of each side during the drain: the device (this
//      process: SyncEngine and its pre-builder) and the central process, so
//      a run shows which side limits the throughput;
//   5. with --device-only 1 (instead of 1-4): the device side alone - the same
//      records drained over a null transport that answers 200 at once without
//      reading the batch - i.e. the most the device side can deliver here;
//   6. with --rss-records N (slow, e.g. 1000000): the central process's
//      resident memory (VmRSS sampled every 100 ms, and VmHWM) while it ingests
//      N records sent as signed 1000-record batches.
//
//   build/bench/sync_bench [--records 20000] [--rss-records 1000000] [--device-only 1]
//                          [--central build/sync/central/feedback-central] [--assets assets]
#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "capture/epoch_sealer.h"
#include "core/uuid.h"
#include "daemon/batch_builder.h"
#include "daemon/curl_transport.h"
#include "daemon/enroll.h"
#include "daemon/sync_engine.h"
#include "device/device_capture.h"
#include "protocol/batch_codec.h"
#include "protocol/limits.h"
#include "store/sqlite.h"
#include "typical_record.h"

extern char** environ;

namespace feedback::sync {
namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "sync_bench: %s\n", what.c_str());
  std::exit(1);
}

// Runs argv to completion with stdout+stderr in out_file; returns the exit code.
int RunCommand(const std::vector<std::string>& argv, const std::string& out_file,
               pid_t* pid_out = nullptr) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) Die("cannot start " + argv[0]);
  if (pid_out != nullptr) {
    *pid_out = pid;
    return 0;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int FreePort() {
  // Let the kernel pick, then hand the number to the server.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

int64_t ProcStatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atoll(line.c_str() + field.size() + 1);
  }
  return -1;
}

// CPU seconds (user + system) this process has used, all threads.
double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU seconds (user + system) another process has used (/proc/PID/stat).
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::atof(field.c_str());  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct Value {
  int type = SQLITE_NULL;
  int64_t integer = 0;
  std::string text;
};

// Counts what goes over the wire.
class CountingTransport final : public Transport {
 public:
  explicit CountingTransport(Transport& inner) : inner_(inner) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    body_bytes += request.body.size();
    // Request line + Host + Content-Type/Length + the three X-Feedback-* headers, as curl sends
    // them.
    header_bytes += request.method.size() + request.path.size() + 12 + 30 + 24 + 50 + 22 + 30;
    for (const auto& [k, v] : request.headers) header_bytes += k.size() + v.size() + 4;
    Result<HttpResponse> r = inner_.Send(request);
    if (r.ok()) response_bytes += r->body.size() + 120;  // status line + headers, roughly
    return r;
  }
  size_t body_bytes = 0, header_bytes = 0, response_bytes = 0;

 private:
  Transport& inner_;
};

// A central store that takes every batch at once without reading it: answers
// 200 for the next seq (the engine sends 1, 2, 3, ... to a fresh device).
class NullCentralTransport final : public Transport {
 public:
  Result<HttpResponse> Send(const HttpRequest&) override {
    return HttpResponse{
        200,
        "{\"seq\":" + std::to_string(++seq_) + ",\"stored\":0,\"duplicates\":0,\"quarantined\":0}",
        std::nullopt};
  }

 private:
  int64_t seq_ = 0;
};

struct Central {
  std::string bin, dir, log;
  int port = 0;
  pid_t pid = -1;

  void Cli(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {bin};
    argv.insert(argv.end(), args.begin(), args.end());
    if (RunCommand(argv, log) != 0) Die("feedback-central " + args[0] + " failed; see " + log);
  }
  void Start() {
    port = FreePort();
    RunCommand({bin, "serve", "--data-dir", dir, "--listen", "127.0.0.1:" + std::to_string(port),
                "--insecure-http-loopback"},
               log, &pid);
    for (int i = 0; i < 200; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(port));
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
      ::close(fd);
      if (up) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    Die("feedback-central did not start; see " + log);
  }
  void Stop() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
};

DeviceConfig EnrollDevice(Central& central, const std::string& device_dir) {
  const std::string token_out = central.dir + "/../token.txt";
  std::filesystem::remove(token_out);
  if (RunCommand({central.bin, "enroll-token", "--data-dir", central.dir, "--site", "store-1",
                  "--kind", "kiosk"},
                 token_out) != 0) {
    Die("enroll-token failed: " + ReadFile(token_out));
  }
  std::smatch m;
  const std::string text = ReadFile(token_out);
  if (!std::regex_search(text, m, std::regex("[A-Za-z0-9_-]{43}\\.[0-9a-f]{64}")))
    Die("no token in: " + text);
  EnrollOptions options;
  options.server_url = "http://127.0.0.1:" + std::to_string(central.port);
  options.token = m.str();
  options.dir = device_dir;
  options.hostname = "bench";
  Result<DeviceConfig> config = Enroll(
      options,
      [](const std::string& url, const std::string& pin) -> Result<std::unique_ptr<Transport>> {
        CurlTransportOptions o;
        o.base_url = url;
        o.pinned_cert_sha256 = pin;
        FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<CurlTransport> t, CurlTransport::Create(o));
        return std::unique_ptr<Transport>(std::move(t));
      });
  if (!config.ok()) Die(config.status().ToString());
  return *config;
}

void CaptureTypicalRecords(const DeviceConfig& config, int records) {
  // Setup only: capture with synchronous=OFF so that filling the outbox is quick.
  Result<DeviceCapture> capture = DeviceCapture::Open(config);
  if (!capture.ok()) Die(capture.status().ToString());
  (void)capture->store().database().Exec("PRAGMA synchronous=OFF");
  UuidGenerator ids;
  std::mt19937 rng(1);
  for (int i = 0; i < records; ++i) {
    if (Status s = capture->store().Capture(
            bench::TypicalKioskRecord(ids, rng, config.device_id, config.site_id));
        !s.ok())
      Die(s.ToString());
  }
}

// The device side alone: the same drain over NullCentralTransport.
void DeviceOnly(Central& central, const std::string& work, int records) {
  const DeviceConfig config = EnrollDevice(central, work + "/device-only");
  CaptureTypicalRecords(config, records);
  Result<CaptureStore> store = CaptureStore::Open(config.capture_db, nullptr);
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::LoadPem(config.device_key_file);
  if (!store.ok() || !key.ok()) Die("device setup failed");
  NullCentralTransport null_central;
  StopSignal stop;
  SyncEngine engine(config, *store, *key, null_central, SystemClock::Instance(), stop,
                    SyncOptions{});
  if (!engine.Init().ok()) Die("engine init failed");
  const double cpu0 = SelfCpuSeconds();
  const auto t0 = Clock::now();
  Result<PushResult> drained = engine.DrainOnce();
  const double secs = Seconds(Clock::now() - t0).count();
  const double cpu = SelfCpuSeconds() - cpu0;
  if (!drained.ok() || drained->outcome != PushOutcome::kNothingToSend ||
      engine.counters().records_delivered != records) {
    Die("device-only drain did not complete");
  }
  const double batches = static_cast<double>(engine.counters().batches_delivered);
  std::printf("device only (null central)   %.0f records/s (%.2f s), device CPU %.1f ms/batch\n",
              records / secs, secs, cpu * 1000 / batches);
}

void Throughput(Central& central, const std::string& work, int records) {
  const DeviceConfig config = EnrollDevice(central, work + "/device");
  CaptureTypicalRecords(config, records);
  Result<CaptureStore> store = CaptureStore::Open(config.capture_db, nullptr);
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::LoadPem(config.device_key_file);
  CurlTransportOptions o;
  o.base_url = config.central_url;
  Result<std::unique_ptr<CurlTransport>> curl = CurlTransport::Create(o);
  if (!store.ok() || !key.ok() || !curl.ok()) Die("device setup failed");
  CountingTransport counting(**curl);
  StopSignal stop;
  SyncEngine engine(config, *store, *key, counting, SystemClock::Instance(), stop, SyncOptions{});
  if (!engine.Init().ok()) Die("engine init failed");

  const double device_cpu0 = SelfCpuSeconds(), central_cpu0 = ProcessCpuSeconds(central.pid);
  const auto t0 = Clock::now();
  Result<PushResult> drained = engine.DrainOnce();
  const double e2e_s = Seconds(Clock::now() - t0).count();
  const double device_cpu = SelfCpuSeconds() - device_cpu0;
  const double central_cpu = ProcessCpuSeconds(central.pid) - central_cpu0;
  if (!drained.ok() || drained->outcome != PushOutcome::kNothingToSend) {
    Die("sync did not complete: " + (drained.ok() ? drained->error : drained.status().ToString()));
  }
  if (engine.counters().records_delivered != records) Die("not every record was delivered");

  // Baseline: the same decoded rows, bulk-inserted with the central schema.
  std::vector<std::vector<Value>> decoded;
  std::string create;
  {
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2((central.dir + "/central.db").c_str(), &raw, SQLITE_OPEN_READONLY,
                        nullptr) != SQLITE_OK) {
      Die("cannot open the central DB");
    }
    SqliteHandle db(raw);
    sqlite3_stmt* raw_stmt = nullptr;
    // The records table with its indexes: the same work per row the central store's insert does.
    sqlite3_prepare_v2(
        db.get(),
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'records' AND sql IS NOT NULL "
        "ORDER BY type = 'index'",
        -1, &raw_stmt, nullptr);
    SqliteStatementHandle schema(raw_stmt);
    while (schema && sqlite3_step(schema.get()) == SQLITE_ROW) {
      create += reinterpret_cast<const char*>(sqlite3_column_text(schema.get(), 0));
      create += ";\n";
    }
    if (create.empty()) Die("central records table not found");
    sqlite3_prepare_v2(db.get(), "SELECT * FROM records", -1, &raw_stmt, nullptr);
    SqliteStatementHandle rows(raw_stmt);
    while (rows && sqlite3_step(rows.get()) == SQLITE_ROW) {
      std::vector<Value> row;
      for (int c = 0; c < sqlite3_column_count(rows.get()); ++c) {
        Value v;
        v.type = sqlite3_column_type(rows.get(), c);
        if (v.type == SQLITE_INTEGER) v.integer = sqlite3_column_int64(rows.get(), c);
        if (v.type == SQLITE_TEXT || v.type == SQLITE_BLOB) {
          v.text.assign(static_cast<const char*>(sqlite3_column_blob(rows.get(), c)),
                        static_cast<size_t>(sqlite3_column_bytes(rows.get(), c)));
        }
        row.push_back(std::move(v));
      }
      decoded.push_back(std::move(row));
    }
  }
  if (decoded.size() != static_cast<size_t>(records))
    Die("central store holds an unexpected number of records");
  Result<Database> bare = Database::Open(work + "/bare.db");  // WAL, synchronous=FULL
  if (!bare.ok() || !bare->Exec(create).ok()) Die("baseline DB setup failed");
  std::string insert = "INSERT INTO records VALUES(";
  for (size_t c = 0; c < decoded.front().size(); ++c) insert += c ? ",?" : "?";
  insert += ")";
  // One transaction per 1000 rows, as ingest commits one per 1000-record
  // batch: the same number of fsynced commits.
  constexpr size_t kRowsPerCommit = 1000;
  const auto b0 = Clock::now();
  Result<Statement> ins = bare->Prepare(insert);
  if (!ins.ok()) Die(ins.status().ToString());
  for (size_t first = 0; first < decoded.size(); first += kRowsPerCommit) {
    Transaction txn(*bare);
    if (!txn.Begin().ok()) Die("begin failed");
    for (size_t r = first; r < std::min(decoded.size(), first + kRowsPerCommit); ++r) {
      const std::vector<Value>& row = decoded[r];
      for (size_t c = 0; c < row.size(); ++c) {
        const int i = static_cast<int>(c + 1);
        if (row[c].type == SQLITE_INTEGER)
          ins->Bind(i, row[c].integer);
        else if (row[c].type == SQLITE_NULL)
          ins->BindNull(i);
        else
          ins->Bind(i, std::string_view(row[c].text));
      }
      if (Status s = ins->Run(); !s.ok()) Die(s.ToString());
      ins->Reset();
    }
    if (!txn.Commit().ok()) Die("commit failed");
  }
  const double bare_s = Seconds(Clock::now() - b0).count();

  const double e2e_rate = records / e2e_s, bare_rate = static_cast<double>(decoded.size()) / bare_s;
  std::printf("records                      %d in %lld batches\n", records,
              static_cast<long long>(engine.counters().batches_delivered));
  std::printf("end to end (device->central) %.0f records/s (%.2f s)\n", e2e_rate, e2e_s);
  std::printf("bare SQLite bulk insert      %.0f records/s (%.3f s)\n", bare_rate, bare_s);
  std::printf("ratio                        %.2f (target >= 0.3)\n", e2e_rate / bare_rate);
  const double batches = static_cast<double>(engine.counters().batches_delivered);
  std::printf("CPU per batch during drain   device %.1f ms, central %.1f ms (wall %.1f ms)\n",
              device_cpu * 1000 / batches, central_cpu * 1000 / batches, e2e_s * 1000 / batches);
  std::printf("wire: batch envelope         %.1f B/record (target <= 200)\n",
              static_cast<double>(counting.body_bytes) / records);
  std::printf(
      "wire: + HTTP headers, answer %.1f B/record\n",
      static_cast<double>(counting.body_bytes + counting.header_bytes + counting.response_bytes) /
          records);
}

void ResidentMemory(Central& central, const std::string& work, int64_t records) {
  const DeviceConfig config = EnrollDevice(central, work + "/rss-device");
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::LoadPem(config.device_key_file);
  Result<EpochSealer> sealer =
      EpochSealer::Create(config.central_hpke_public_key, SystemClock::Instance());
  CurlTransportOptions o;
  o.base_url = config.central_url;
  o.total_timeout_ms = 120'000;
  Result<std::unique_ptr<CurlTransport>> curl = CurlTransport::Create(o);
  if (!key.ok() || !sealer.ok() || !curl.ok()) Die("rss setup failed");

  std::atomic<bool> done{false};
  int64_t peak_rss_kb = 0;
  std::thread sampler([&] {
    while (!done) {
      peak_rss_kb = std::max(peak_rss_kb, ProcStatusKb(central.pid, "VmRSS"));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const int64_t rss_before = ProcStatusKb(central.pid, "VmRSS");
  UuidGenerator ids;
  std::mt19937 rng(2);
  const auto t0 = Clock::now();
  int64_t sent = 0, seq = 0;
  while (sent < records) {
    std::vector<StoredRecord> batch_records;
    for (int i = 0; i < 1000 && sent < records; ++i, ++sent) {
      FeedbackRecord r = bench::TypicalKioskRecord(ids, rng, config.device_id, config.site_id);
      Result<SealedFields> sealed =
          sealer->Seal(AsBytes(SensitiveJson(r)), RecordAssociatedData(r.id, r.device_id));
      if (!sealed.ok()) Die(sealed.status().ToString());
      StoredRecord s;
      s.record = PublicPart(r);
      s.epoch_id = sealed->epoch_id;
      s.sealed_epoch_key = sealed->sealed_epoch_key;
      s.sealed_fields = sealed->ciphertext;
      batch_records.push_back(std::move(s));
    }
    protocol::Batch batch =
        MakeBatch({config.device_id, config.site_id}, ++seq, SystemClock::Instance().NowMs(),
                  records - sent, batch_records);
    Result<Bytes> envelope = protocol::EncodeBatch(batch, *key);
    if (!envelope.ok()) Die(envelope.status().ToString());
    HttpRequest req{"POST",
                    std::string(protocol::kBatchesPath),
                    {},
                    std::string(protocol::kBatchContentType),
                    std::move(envelope).value()};
    Result<HttpResponse> res = (*curl)->Send(req);
    if (!res.ok() || res->status != 200) {
      Die("batch " + std::to_string(seq) + " failed: " +
          (res.ok() ? std::to_string(res->status) + " " + res->body : res.status().ToString()));
    }
    if (seq % 100 == 0) {
      std::printf("  %lld records ingested, central VmRSS %lld KiB\n", static_cast<long long>(sent),
                  static_cast<long long>(ProcStatusKb(central.pid, "VmRSS")));
      std::fflush(stdout);
    }
  }
  const double secs = Seconds(Clock::now() - t0).count();
  done = true;
  sampler.join();
  std::printf("rss: ingested %lld records in %.1f s (%.0f records/s)\n",
              static_cast<long long>(records), secs, static_cast<double>(records) / secs);
  std::printf("rss: central VmRSS before %lld KiB, peak sampled %lld KiB, VmHWM %lld KiB\n",
              static_cast<long long>(rss_before), static_cast<long long>(peak_rss_kb),
              static_cast<long long>(ProcStatusKb(central.pid, "VmHWM")));
}

}  // namespace
}  // namespace feedback::sync

int main(int argc, char** argv) {
  using namespace feedback::sync;
  int records = 20'000;
  int64_t rss_records = 0;
  bool keep = false, device_only = false;
  std::string central_bin =
      (std::filesystem::canonical("/proc/self/exe").parent_path().parent_path() /
       "sync/central/feedback-central")
          .string();
  std::string assets =
      (std::filesystem::path(__FILE__).parent_path().parent_path() / "assets").string();
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--records")
      records = std::atoi(argv[i + 1]);
    else if (flag == "--rss-records")
      rss_records = std::atoll(argv[i + 1]);
    else if (flag == "--central")
      central_bin = argv[i + 1];
    else if (flag == "--assets")
      assets = argv[i + 1];
    else if (flag == "--device-only")
      device_only = std::string(argv[i + 1]) == "1";
    else if (flag == "--keep")
      keep = std::string(argv[i + 1]) == "1";
    else
      Die("unknown flag " + flag);
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (const char* level = std::getenv("SYNC_BENCH_LOG"))
    spdlog::set_level(spdlog::level::from_str(level));
  ::signal(SIGPIPE, SIG_IGN);
  std::string pattern = (std::filesystem::temp_directory_path() / "sync-bench-XXXXXX").string();
  const std::string work = mkdtemp(pattern.data());
  Central central{central_bin, work + "/central", work + "/central.log"};
  central.Cli({"init", "--data-dir", central.dir, "--site", "store-1"});
  central.Cli({"survey", "publish", assets + "/surveys/retail_kiosk.json", "--all", "--data-dir",
               central.dir});
  central.Start();
  if (records > 0 && !device_only) Throughput(central, work, records);
  if (records > 0 && device_only) DeviceOnly(central, work, records);
  if (rss_records > 0) ResidentMemory(central, work, rss_records);
  central.Stop();
  if (keep) {
    std::printf("work folder kept: %s\n", work.c_str());
  } else {
    std::filesystem::remove_all(work);
  }
  curl_global_cleanup();
  return 0;
}
