// Test harness for feedback-central: runs the real executable (CLI commands
// and `serve` on 127.0.0.1 with a free port), enrolls test devices through the
// real endpoint, and builds sealed, signed batches the way a device does.
// Every started server is killed (SIGKILL if SIGTERM does not stop it) when
// its CentralProcess is destroyed, so a failing test never leaves one behind.
// Used from one test thread.
#pragma once

#include <csignal>
#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "capture/epoch_sealer.h"
#include "core/uuid.h"
#include "crypto/ed25519_private_key.h"
#include "model/record.h"
#include "protocol/batch_codec.h"
#include "protocol/enrollment_token.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "protocol/request_signing.h"
#include "store/sqlite.h"

extern char** environ;

namespace feedback::central::testing {

inline std::string CentralBinary() { return FEEDBACK_BINARY_DIR "/sync/central/feedback-central"; }
inline std::string SurveyFile(const std::string& name) {
  return std::string(FEEDBACK_ASSETS_DIR) + "/surveys/" + name;
}

// A fresh folder under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "central-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::vector<char*> Argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

// Runs `BINARY ARGS...` to completion, with `stdin_text` on its stdin.
inline CliResult RunBinary(const std::string& binary, std::vector<std::string> args,
                           const std::string& stdin_text = "") {
  TempDir io;
  args.insert(args.begin(), binary);
  {
    std::ofstream in(io.File("in"), std::ios::binary);
    in << stdin_text;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, io.File("in").c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, io.File("out").c_str(), O_WRONLY | O_CREAT, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, io.File("err").c_str(), O_WRONLY | O_CREAT, 0600);
  std::vector<char*> argv = Argv(args);
  pid_t pid = 0;
  CliResult r;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) return r;
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadAll(io.File("out"));
  r.err = ReadAll(io.File("err"));
  return r;
}

// Runs `feedback-central ARGS...` to completion, with `stdin_text` on its stdin.
inline CliResult RunCli(std::vector<std::string> args, const std::string& stdin_text = "") {
  return RunBinary(CentralBinary(), std::move(args), stdin_text);
}

// Initializes a data directory; returns the CLI output (with the password).
inline CliResult InitCentral(const std::string& data_dir, const std::string& site = "store-1") {
  return RunCli({"init", "--data-dir", data_dir, "--site", site});
}

inline std::string MakeToken(const std::string& data_dir, const std::string& site,
                             const std::string& kind = "kiosk", const std::string& ttl = "1h",
                             const std::string& team = "") {
  std::vector<std::string> args = {"enroll-token", "--data-dir", data_dir, "--site", site,
                                   "--kind",       kind,         "--ttl",  ttl};
  if (!team.empty()) {
    args.push_back("--team");
    args.push_back(team);
  }
  CliResult r = RunCli(args);
  std::string t = r.out;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  return t;
}

// `feedback-central serve` on 127.0.0.1 with a free port.
class CentralProcess {
 public:
  CentralProcess() = default;
  CentralProcess(const CentralProcess&) = delete;
  CentralProcess& operator=(const CentralProcess&) = delete;
  ~CentralProcess() { Kill(); }

  // Starts the server and waits (up to 10 s) for its "listening on URL" line.
  bool Start(const std::string& data_dir, bool https = false, std::vector<std::string> extra = {}) {
    int out[2];
    if (pipe(out) != 0) return false;
    log_ = data_dir + "/../serve-" + std::to_string(++starts_) + ".log";
    std::vector<std::string> args = {CentralBinary(), "serve",    "--data-dir",
                                     data_dir,        "--listen", "127.0.0.1:0"};
    if (!https) args.push_back("--insecure-http-loopback");
    args.insert(args.end(), extra.begin(), extra.end());
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addopen(&fa, 2, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    std::vector<char*> argv = Argv(args);
    const int rc = posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (rc != 0) {
      close(out[0]);
      pid_ = -1;
      return false;
    }
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{out[0], POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char c = 0;
      if (read(out[0], &c, 1) != 1) break;
      if (c == '\n') break;
      line += c;
    }
    close(out[0]);
    const std::string prefix = "listening on ";
    if (line.rfind(prefix, 0) != 0) {
      Kill();
      return false;
    }
    url_ = line.substr(prefix.size());
    port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
    return true;
  }

  // SIGTERM, then the exit status (SIGKILL after 10 s).
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 1000; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    Kill();
    return -1;
  }

  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  // Test clients post bodies the server refuses before reading them; the
  // server then closes the socket, and a write to it must fail with EPIPE, not
  // kill the test with SIGPIPE.
  httplib::Client Client() const {
    ::signal(SIGPIPE, SIG_IGN);
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(20, 0);
    return c;
  }

  const std::string& url() const { return url_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string Log() const { return ReadAll(log_); }

 private:
  pid_t pid_ = -1;
  std::string url_;
  int port_ = 0;
  std::string log_;
  int starts_ = 0;
};

// An enrolled device: its key, ids, the central HPKE key and a sealer, and the
// next batch sequence number.
struct TestDevice {
  std::string device_id;
  std::string site_id;
  std::string team;
  std::unique_ptr<Ed25519PrivateKey> key;
  Bytes central_public_key;
  std::string cert_sha256;
  std::unique_ptr<EpochSealer> sealer;
  int64_t next_seq = 1;
  UuidGenerator ids{SystemClock::Instance()};
};

// Enrolls through POST /api/v1/enroll; the HTTP status goes to *status.
inline std::unique_ptr<TestDevice> Enroll(httplib::Client& client, const std::string& token_text,
                                          const std::string& kind, int* status,
                                          std::string* body = nullptr) {
  auto dev = std::make_unique<TestDevice>();
  dev->key = std::make_unique<Ed25519PrivateKey>(Ed25519PrivateKey::Generate().value());
  Result<protocol::EnrollmentToken> token = protocol::ParseEnrollmentToken(token_text);
  protocol::EnrollRequest req{token.ok() ? token->SecretText() : token_text,
                              dev->key->public_key_bytes(), kind, "test-host"};
  auto res =
      client.Post(std::string(protocol::kEnrollPath), protocol::ToJson(req), "application/json");
  *status = res ? res->status : -1;
  if (body != nullptr && res) *body = res->body;
  if (!res || res->status != 200) return nullptr;
  Result<protocol::EnrollResponse> r = protocol::ParseEnrollResponse(res->body);
  if (!r.ok()) return nullptr;
  dev->device_id = r->device_id;
  dev->site_id = r->site_id;
  dev->team = r->team;
  dev->central_public_key = r->central_hpke_public_key;
  dev->cert_sha256 = r->cert_sha256;
  dev->sealer = std::make_unique<EpochSealer>(
      EpochSealer::Create(dev->central_public_key, SystemClock::Instance()).value());
  return dev;
}

// A complete retail_kiosk v1 record from this device.
inline FeedbackRecord KioskRecord(TestDevice& dev, int nps, int greeting = 4) {
  FeedbackRecord r;
  r.id = dev.ids.NextV7().ToString();
  r.survey_id = "retail_kiosk";
  r.survey_version = 1;
  r.device_id = dev.device_id;
  r.site_id = dev.site_id;
  r.channel = Channel::kKiosk;
  r.started_at = SystemClock::Instance().NowMs() - 20'000;
  r.submitted_at = SystemClock::Instance().NowMs();
  r.status = RecordStatus::kComplete;
  r.locale = "en";
  r.answers.push_back({"nps", nps, {}, ""});
  r.answers.push_back({"greeting", greeting, {}, ""});
  return r;
}

// The record as a device sends it: public part + sealed sensitive fields.
inline protocol::BatchRecord Seal(TestDevice& dev, const FeedbackRecord& r,
                                  protocol::Batch* batch) {
  protocol::BatchRecord out;
  out.pub = RecordToJson(PublicPart(r));
  const std::string sensitive = SensitiveJson(r);
  if (sensitive != "{}") {
    Result<SealedFields> sealed =
        dev.sealer->Seal(AsBytes(sensitive), RecordAssociatedData(r.id, r.device_id));
    out.epoch_id = sealed->epoch_id;
    out.sealed = sealed->ciphertext;
    bool listed = false;
    for (const protocol::BatchEpoch& e : batch->epochs) listed = listed || e.id == out.epoch_id;
    if (!listed) batch->epochs.push_back({sealed->epoch_id, sealed->sealed_epoch_key});
  }
  return out;
}

inline protocol::Batch NewBatch(TestDevice& dev, int64_t backlog = 0) {
  protocol::Batch b;
  b.device_id = dev.device_id;
  b.site_id = dev.site_id;
  b.seq = dev.next_seq++;
  b.created = SystemClock::Instance().NowMs();
  b.backlog = backlog;
  return b;
}

inline Bytes BatchOf(TestDevice& dev, const std::vector<FeedbackRecord>& records,
                     int64_t backlog = 0) {
  protocol::Batch b = NewBatch(dev, backlog);
  for (const FeedbackRecord& r : records) b.records.push_back(Seal(dev, r, &b));
  return protocol::EncodeBatch(b, *dev.key).value();
}

struct HttpAnswer {
  int status = -1;
  std::string body;
};

inline HttpAnswer PostBatch(httplib::Client& client, ByteView envelope) {
  auto res =
      client.Post(std::string(protocol::kBatchesPath),
                  std::string(reinterpret_cast<const char*>(envelope.data()), envelope.size()),
                  std::string(protocol::kBatchContentType));
  if (!res) return {};
  return {res->status, res->body};
}

inline HttpAnswer GetDeviceState(httplib::Client& client, TestDevice& dev) {
  auto h = protocol::SignRequest(*dev.key, dev.device_id, "GET", protocol::kDeviceStatePath,
                                 SystemClock::Instance().NowMs())
               .value();
  httplib::Headers headers = {{std::string(protocol::kDeviceHeader), h.device_id},
                              {std::string(protocol::kTimestampHeader), h.timestamp},
                              {std::string(protocol::kSignatureHeader), h.signature}};
  auto res = client.Get(std::string(protocol::kDeviceStatePath), headers);
  if (!res) return {};
  return {res->status, res->body};
}

// Read-only view of the central database, independent of the server's code.
class CentralDb {
 public:
  explicit CentralDb(const std::string& data_dir) {
    Database::Options o;
    o.create_if_missing = false;
    o.read_only = true;
    db_ = std::make_unique<Database>(Database::Open(data_dir + "/central.db", o).value());
  }
  int64_t Int(const std::string& sql) { return db_->QueryInt(sql).value_or(-1); }
  std::vector<std::vector<std::string>> Rows(const std::string& sql, int columns) {
    std::vector<std::vector<std::string>> out;
    Statement s = db_->Prepare(sql).value();
    while (s.Step().value_or(false)) {
      std::vector<std::string> row;
      for (int i = 0; i < columns; ++i) row.push_back(s.ColumnText(i));
      out.push_back(std::move(row));
    }
    return out;
  }
  // A fingerprint of every table that ingest writes.
  std::string Snapshot() {
    std::string s;
    for (const char* t : {"records", "quarantine", "batches", "rollup_responses",
                          "rollup_scores", "rollup_choices", "rollup_driver_rows",
                          "rollup_driver_sums", "hero_stories", "follow_ups"}) {
      s += std::string(t) + "=" + std::to_string(Int(std::string("SELECT COUNT(*) FROM ") + t));
      s += ";";
    }
    s += "scores=" + std::to_string(Int("SELECT COALESCE(SUM(count), 0) FROM rollup_scores"));
    s += ";last_seq=" + std::to_string(Int("SELECT COALESCE(SUM(last_seq), 0) FROM devices"));
    return s;
  }

 private:
  std::unique_ptr<Database> db_;
};

// init + serve + a token: what most tests start from.
struct CentralFixture {
  TempDir tmp;
  std::string data_dir = tmp.path() + "/central";
  CentralProcess server;

  bool Setup(bool https = false) {
    if (InitCentral(data_dir).exit_code != 0) return false;
    if (RunCli(
            {"survey", "publish", "--data-dir", data_dir, SurveyFile("retail_kiosk.json"), "--all"})
            .exit_code != 0) {
      return false;
    }
    return server.Start(data_dir, https);
  }

  std::unique_ptr<TestDevice> NewDevice(const std::string& site = "store-1",
                                        const std::string& kind = "kiosk",
                                        const std::string& team = "") {
    httplib::Client c = server.Client();
    int status = 0;
    return Enroll(c, MakeToken(data_dir, site, kind, "1h", team), kind, &status);
  }
};

}  // namespace feedback::central::testing
