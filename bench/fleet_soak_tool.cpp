// fleet_soak_tool: the C++ half of the fleet soak (bench/fleet_soak.py drives
// it; docs/reliability.md "Fleet soak").
//
//   fleet_soak_tool fleet --devices FILE --first I --count N --server URL
//       --capture-until-ms T [--disk-full-at-ms D] [--capture-mean-ms 1000]
//       [--interval-ms 2000] [--ready-file F] [--seed S] [--log-level warn] [--enroll-only]
//     Hosts devices I .. I+N-1 of FILE in this process, each with its own
//     capture DB and its own sync daemon: enrolls those without device.json
//     (the daemon library's Enroll), runs the daemon library's RunDaemon for
//     each on its own thread, and captures records into each device's DB
//     (DeviceCapture, sealed as the kiosk and agent desktop seal them) on its
//     own clock, skewed as FILE says, until the wall clock passes T (with
//     --enroll-only it enrolls and exits). A record
//     id goes to DIR/returned.log only after Capture() returned OK (the
//     kiosk's "thank you"); a refused capture goes to DIR/refused.log. The
//     devices FILE marks fill their disk at wall-clock time D (PRAGMA
//     max_page_count on the capture connection, as the capture store's tests
//     do; the daemon's own connection is not capped). Runs until
//     SIGTERM/SIGINT, then stops every daemon (each within its 5 s grace)
//     and exits 0; SIGKILL is the soak's "device killed mid-capture", and a
//     restart on the same folders carries on where the DBs left off.
//
//   fleet_soak_tool verdict --central-db DB --devices FILE --assets DIR [--defect KIND]
//     After the drain: every record whose capture returned is in its device's
//     DB; every record of every device DB is stored centrally exactly once (in
//     records, or with its reason in quarantine) and acknowledged on the
//     device; nothing is stored that no device captured; every rollup_* and
//     summary_* row equals a recomputation from the raw records. Prints one
//     JSON object (figures + failures); exit 0 pass, 1 fail, 2 cannot check.
//     --defect (test only) breaks one thing first, to prove the verdict fails:
//     drop-expected (forget one acknowledged record), duplicate (store one
//     record a second time, in quarantine), lose (delete one stored record),
//     rollup (add one to one rollup count).
//
// Devices FILE: one tab-separated line per device:
//   DIR KIND TOKEN SKEW_MS DISK_FULL STAFF
// KIND kiosk|agent, DISK_FULL 1 or 0, STAFF comma-separated staff ids
// (agent desktops) or "-".
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <curl/curl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <spdlog/spdlog.h>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/uuid.h"
#include "daemon/curl_transport.h"
#include "daemon/daemon.h"
#include "daemon/enroll.h"
#include "daemon/stop_signal.h"
#include "device/device_capture.h"
#include "model/survey.h"
#include "store/sqlite.h"
#include "sync/central/raw_scores.h"
#include "sync/central/store/rollup_delta.h"
#include "typical_record.h"

namespace feedback::soak {
namespace {

struct DeviceLine {
  std::string dir;
  std::string kind;
  std::string token;
  TimeMs skew_ms = 0;
  bool disk_full = false;
  std::vector<std::string> staff;
};

Result<std::vector<DeviceLine>> ReadDevices(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read the devices file " + path);
  std::vector<DeviceLine> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, '\t');) f.push_back(field);
    if (f.size() != 6) {
      return Status::InvalidArgument(path + " line " + std::to_string(out.size() + 1) +
                                     ": expected 6 tab-separated fields");
    }
    DeviceLine d{f[0], f[1], f[2], std::stoll(f[3]), f[4] == "1", {}};
    if (f[5] != "-") {
      std::stringstream staff(f[5]);
      for (std::string id; std::getline(staff, id, ',');) d.staff.push_back(id);
    }
    out.push_back(std::move(d));
  }
  return out;
}

// The device's clock: the system clock moved by a fixed offset (±1 day for
// the skewed devices of the soak).
class SkewedClock final : public Clock {
 public:
  explicit SkewedClock(TimeMs offset_ms) : offset_ms_(offset_ms) {}
  TimeMs NowMs() const override { return SystemClock::Instance().NowMs() + offset_ms_; }

 private:
  TimeMs offset_ms_;
};

// Appends a line with one write(2): once it returns, a SIGKILL of this
// process cannot lose it.
class LineLog {
 public:
  explicit LineLog(const std::string& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) {}
  ~LineLog() {
    if (fd_ >= 0) ::close(fd_);
  }
  LineLog(const LineLog&) = delete;
  LineLog& operator=(const LineLog&) = delete;
  bool ok() const { return fd_ >= 0; }
  void Append(const std::string& text) {
    const std::string line = text + "\n";
    if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      std::fprintf(stderr, "fleet_soak_tool: cannot append to a log: %s\n", std::strerror(errno));
      std::abort();  // the verdict would be wrong without it
    }
  }

 private:
  int fd_;
};

// One simulated device of this process: its capture side (the kiosk or agent
// desktop) - the daemon side is RunDaemon on its own thread.
struct CapturingDevice {
  DeviceLine line;
  std::unique_ptr<SkewedClock> clock;
  std::unique_ptr<UuidGenerator> ids;
  std::optional<DeviceCapture> capture;
  std::unique_ptr<LineLog> returned, refused;
  std::mt19937 rng;
  TimeMs next_capture_ms = 0;
  bool disk_full = false;
};

Status EnrollIfNeeded(const DeviceLine& d, const std::string& server) {
  if (std::filesystem::exists(d.dir + "/device.json")) return Status::Ok();
  sync::EnrollOptions options;
  options.server_url = server;
  options.token = d.token;
  options.dir = d.dir;
  options.kind = d.kind == "agent" ? DeviceKind::kAgent : DeviceKind::kKiosk;
  options.hostname = "soak";
  auto make_transport = [](const std::string& url, const std::string& pin)
      -> Result<std::unique_ptr<sync::Transport>> {
    sync::CurlTransportOptions o;
    o.base_url = url;
    o.pinned_cert_sha256 = pin;
    FEEDBACK_ASSIGN_OR_RETURN(std::unique_ptr<sync::CurlTransport> t,
                              sync::CurlTransport::Create(o));
    return std::unique_ptr<sync::Transport>(std::move(t));
  };
  Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    Result<DeviceConfig> config = sync::Enroll(options, make_transport);
    if (config.ok()) return Status::Ok();
    last = config.status();
    if (last.code() != Status::Code::kUnavailable) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return last.WithContext("enrolling " + d.dir);
}

// The disk fills: the capture connection's file may not grow any more (what
// is free inside its pages still takes a record or two).
void FillDisk(CapturingDevice& d) {
  Database& db = d.capture->store().database();
  Result<int64_t> pages = db.QueryInt("PRAGMA page_count");
  if (pages.ok()) (void)db.Exec("PRAGMA max_page_count=" + std::to_string(*pages));
  d.disk_full = true;
}

FeedbackRecord NextRecord(CapturingDevice& d) {
  const TimeMs now = d.clock->NowMs();
  const DeviceConfig& c = d.capture->config();
  if (!d.line.staff.empty()) {
    return bench::TypicalCallRecord(*d.ids, d.rng, c.device_id, c.site_id,
                                    d.line.staff[d.rng() % d.line.staff.size()], now);
  }
  FeedbackRecord r = bench::TypicalKioskRecord(*d.ids, d.rng, c.device_id, c.site_id, now);
  // One in twenty customers walks away after three questions: an abandoned
  // record, which key-driver rows drop (listwise deletion).
  if (d.rng() % 20 == 0) {
    r.status = RecordStatus::kAbandoned;
    r.answers.resize(3);
  }
  return r;
}

// Captures into its share of the devices until the wall clock passes `until`.
void CaptureLoop(std::vector<CapturingDevice*> devices, TimeMs until, TimeMs disk_full_at,
                 TimeMs mean_ms, sync::StopSignal& stop) {
  while (!stop.stop_requested()) {
    CapturingDevice* next = nullptr;
    for (CapturingDevice* d : devices) {
      if (next == nullptr || d->next_capture_ms < next->next_capture_ms) next = d;
    }
    if (next == nullptr) return;
    const TimeMs now = SystemClock::Instance().NowMs();
    if (std::min(now, next->next_capture_ms) >= until) return;
    if (next->next_capture_ms > now) {
      if (stop.WaitFor(next->next_capture_ms - now)) return;
      continue;
    }
    CapturingDevice& d = *next;
    d.next_capture_ms += mean_ms / 2 + static_cast<TimeMs>(d.rng() % static_cast<uint32_t>(mean_ms));
    if (!d.disk_full && d.line.disk_full && disk_full_at > 0 && now >= disk_full_at) FillDisk(d);
    FeedbackRecord r = NextRecord(d);
    Status s = d.capture->store().Capture(r);
    if (s.ok()) {
      d.returned->Append(r.id);
    } else {
      // The kiosk shows "out of service"; the refusal is counted by its code.
      d.refused->Append(std::string(s.code() == Status::Code::kDiskFull ? "disk_full" : "error") +
                        " " + s.ToString());
    }
  }
}

int Fleet(const std::string& devices_file, size_t first, size_t count, const std::string& server,
          TimeMs capture_until, TimeMs disk_full_at, TimeMs capture_mean_ms, TimeMs interval_ms,
          const std::string& ready_file, uint32_t seed, bool enroll_only) {
  Result<std::vector<DeviceLine>> all = ReadDevices(devices_file);
  if (!all.ok()) {
    std::fprintf(stderr, "fleet_soak_tool: %s\n", all.status().ToString().c_str());
    return 2;
  }
  if (first + count > all->size() || count == 0 || capture_mean_ms < 2) {
    std::fprintf(stderr, "fleet_soak_tool: bad --first/--count/--capture-mean-ms\n");
    return 2;
  }
  // Signals are taken by sigwait below; every thread started from here on
  // inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  // 1. Enroll, open each capture DB on the device's clock.
  std::vector<std::unique_ptr<CapturingDevice>> devices;
  for (size_t i = first; i < first + count; ++i) {
    const DeviceLine& line = (*all)[i];
    if (Status s = EnrollIfNeeded(line, server); !s.ok()) {
      std::fprintf(stderr, "fleet_soak_tool: %s\n", s.ToString().c_str());
      return 2;
    }
    if (enroll_only) continue;
    auto d = std::make_unique<CapturingDevice>();
    d->line = line;
    d->clock = std::make_unique<SkewedClock>(line.skew_ms);
    d->ids = std::make_unique<UuidGenerator>(*d->clock);
    Result<DeviceConfig> config = LoadDeviceConfig(line.dir + "/device.json");
    Result<DeviceCapture> capture =
        config.ok() ? DeviceCapture::Open(*config, *d->clock) : Result<DeviceCapture>(config.status());
    if (!capture.ok()) {
      std::fprintf(stderr, "fleet_soak_tool: %s: %s\n", line.dir.c_str(),
                   capture.status().ToString().c_str());
      return 2;
    }
    d->capture.emplace(std::move(capture).value());
    d->returned = std::make_unique<LineLog>(line.dir + "/returned.log");
    d->refused = std::make_unique<LineLog>(line.dir + "/refused.log");
    if (!d->returned->ok() || !d->refused->ok()) {
      std::fprintf(stderr, "fleet_soak_tool: cannot open the logs in %s\n", line.dir.c_str());
      return 2;
    }
    d->rng.seed(seed + static_cast<uint32_t>(i) * 7919u + static_cast<uint32_t>(::getpid()));
    d->next_capture_ms =
        SystemClock::Instance().NowMs() + static_cast<TimeMs>(d->rng() % static_cast<uint32_t>(capture_mean_ms));
    devices.push_back(std::move(d));
  }

  if (enroll_only) return 0;

  // 2. One sync daemon per device, the daemon's own wiring (RunDaemon).
  sync::StopSignal stop;
  std::atomic<int> daemon_failures{0};
  std::vector<std::thread> threads;
  for (const auto& d : devices) {
    sync::DaemonOptions o;
    o.device_config = d->line.dir + "/device.json";
    o.interval_ms = interval_ms;
    o.connect_timeout_ms = 2'000;
    o.request_timeout_ms = 10'000;
    o.max_backoff_ms = 2'000;
    threads.emplace_back([o, &stop, &daemon_failures] {
      if (sync::RunDaemon(o, stop) != 0) ++daemon_failures;
    });
  }

  // 3. Capture on a few threads, each serving its share of the devices.
  const size_t capture_threads = std::min<size_t>(4, devices.size());
  for (size_t t = 0; t < capture_threads; ++t) {
    std::vector<CapturingDevice*> mine;
    for (size_t i = t; i < devices.size(); i += capture_threads) mine.push_back(devices[i].get());
    threads.emplace_back(CaptureLoop, mine, capture_until, disk_full_at, capture_mean_ms,
                         std::ref(stop));
  }
  if (!ready_file.empty()) std::ofstream(ready_file) << "ready\n";

  // 4. Until asked to stop.
  int sig = 0;
  sigwait(&stop_signals, &sig);
  stop.RequestStop();
  for (std::thread& t : threads) t.join();
  if (daemon_failures > 0) {
    std::fprintf(stderr, "fleet_soak_tool: %d daemons could not run (see the log above)\n",
                 daemon_failures.load());
    return 2;
  }
  return 0;
}

// ---- the verdict -----------------------------------------------------------------------------

using Values = std::vector<double>;
using Table = std::map<std::string, Values>;  // key columns joined by '|' -> values

std::string Key(const std::vector<std::string>& parts) {
  std::string k;
  for (const std::string& p : parts) k += p + "|";
  return k;
}

void AddTo(Table& t, const std::string& key, const Values& v) {
  Values& slot = t[key];
  if (slot.empty()) slot.assign(v.size(), 0.0);
  for (size_t i = 0; i < v.size(); ++i) slot[i] += v[i];
}

struct RollupDimsText {
  std::string site, channel, staff, team, survey;
  int64_t day = 0;
};

// The rollups recomputed from raw records, at the rep-day grain (rollup_*)
// and, without the rep, per day, ISO week and month (summary_*).
class RawRollups {
 public:
  void Add(const std::string& table, const RollupDimsText& d, std::vector<std::string> extra,
           const Values& v) {
    std::vector<std::string> rep = {d.site, d.channel, d.staff, d.team, std::to_string(d.day),
                                    d.survey};
    rep.insert(rep.end(), extra.begin(), extra.end());
    AddTo(tables_["rollup_" + table], Key(rep), v);
    for (central::RollupGrain g :
         {central::RollupGrain::kDay, central::RollupGrain::kWeek, central::RollupGrain::kMonth}) {
      std::vector<std::string> s = {std::string(1, central::GrainCode(g)), d.site,
                                    std::to_string(central::PeriodStart(g, d.day)), d.channel,
                                    d.team, d.survey};
      s.insert(s.end(), extra.begin(), extra.end());
      AddTo(tables_["summary_" + table], Key(s), v);
    }
  }
  Table& table(const std::string& name) { return tables_[name]; }

 private:
  std::map<std::string, Table> tables_;
};

Result<Table> ReadTable(Database& db, const std::string& sql, int key_columns, int value_columns) {
  FEEDBACK_ASSIGN_OR_RETURN(Statement q, db.Prepare(sql));
  Table t;
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    std::vector<std::string> key;
    for (int c = 0; c < key_columns; ++c) key.push_back(q.ColumnText(c));
    Values v;
    for (int c = 0; c < value_columns; ++c) v.push_back(q.ColumnDouble(key_columns + c));
    AddTo(t, Key(key), v);
  }
  return t;
}

bool AllZero(const Values& v) {
  for (double x : v) {
    if (x != 0) return false;
  }
  return true;
}

// Keys whose values differ (a key with only zeros counts as absent).
std::vector<std::string> Differences(const Table& stored, const Table& raw) {
  std::vector<std::string> out;
  for (const auto& [k, v] : stored) {
    auto it = raw.find(k);
    if (it == raw.end() ? !AllZero(v) : it->second != v) out.push_back(k);
  }
  for (const auto& [k, v] : raw) {
    if (!stored.contains(k) && !AllZero(v)) out.push_back(k);
  }
  return out;
}

struct Verdict {
  nlohmann::json figures = nlohmann::json::object();
  std::vector<std::string> failures;
  void Check(bool ok, const std::string& what) {
    if (!ok) failures.push_back(what);
  }
};

std::string Example(const std::vector<std::string>& ids) {
  return ids.empty() ? "" : " (e.g. " + ids.front() + ")";
}

Status CheckRollups(Database& central, const std::map<std::pair<std::string, int>,
                                                      SurveyDefinition>& surveys,
                    Verdict& v) {
  RawRollups raw;
  // Responses, choices and driver moments from each raw record's public JSON.
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement q, central.Prepare("SELECT site_id, channel, staff_id, team, day, survey_id, "
                                   "survey_version, status, public_json FROM records"));
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    RollupDimsText d{q.ColumnText(0), q.ColumnText(1), q.ColumnText(2), q.ColumnText(3),
                     q.ColumnText(5), q.ColumnInt(4)};
    const int version = static_cast<int>(q.ColumnInt(6));
    raw.Add("responses", d, {q.ColumnText(7)}, {1});
    auto def = surveys.find({d.survey, version});
    if (def == surveys.end()) {
      v.failures.push_back("a stored record names survey " + d.survey + " v" +
                           std::to_string(version) + ", which the soak never published");
      continue;
    }
    Result<FeedbackRecord> r = RecordFromJson(nlohmann::json::parse(q.ColumnText(8), nullptr, false));
    if (!r.ok()) return r.status().WithContext("stored record public_json");
    for (const Answer& a : r->answers) {
      const Question* question = def->second.Find(a.question_id);
      if (question != nullptr &&
          (question->type == QuestionType::kChoice || question->type == QuestionType::kMulti)) {
        for (const std::string& c : a.choices) raw.Add("choices", d, {a.question_id, c}, {1});
      }
    }
    // Key-driver moments: the drivers in survey order, then the outcome; a
    // record missing any of them is a dropped row.
    const Question* outcome = def->second.Outcome();
    std::vector<std::string> vars;
    for (const Question& question : def->second.questions) {
      if (question.driver && &question != outcome) vars.push_back(question.id);
    }
    if (outcome == nullptr || vars.empty()) continue;
    vars.push_back(outcome->id);
    std::vector<double> values;
    for (const std::string& id : vars) {
      const Answer* a = r->FindAnswer(id);
      if (a == nullptr || !a->number) break;
      values.push_back(*a->number);
    }
    const std::string ver = std::to_string(version);
    if (values.size() != vars.size()) {
      raw.Add("driver_rows", d, {ver}, {0, 1});
      continue;
    }
    raw.Add("driver_rows", d, {ver}, {1, 0});
    for (size_t a = 0; a < vars.size(); ++a) {
      raw.Add("driver_sums", d, {ver, vars[a], ""}, {values[a]});
      for (size_t b = a; b < vars.size(); ++b)
        raw.Add("driver_sums", d, {ver, vars[a], vars[b]}, {values[a] * values[b]});
    }
  }
  // Scores through the shared raw-scores expression (tests/sync/central/raw_scores.h).
  FEEDBACK_ASSIGN_OR_RETURN(
      Statement s,
      central.Prepare(std::string("SELECT r.site_id, r.channel, r.staff_id, r.team, r.day, "
                                  "r.survey_id, s.question_id, s.question_type, s.score, COUNT(*) "
                                  "FROM ") +
                      central::kRawScores +
                      " s JOIN records r ON r.record_id = s.record_id GROUP BY 1, 2, 3, 4, 5, 6, "
                      "7, 8, 9"));
  while (true) {
    FEEDBACK_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    RollupDimsText d{s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3),
                     s.ColumnText(5), s.ColumnInt(4)};
    raw.Add("scores", d, {s.ColumnText(6), s.ColumnText(7), s.ColumnText(8)},
            {static_cast<double>(s.ColumnInt(9))});
  }
  // Each table against its recomputation: (extra key columns, value columns).
  const std::vector<std::tuple<std::string, std::string, std::string, int>> tables = {
      {"responses", "status", "count", 1},
      {"scores", "question_id, question_type, score", "count", 3},
      {"choices", "question_id, option_id", "count", 2},
      {"driver_rows", "survey_version", "n, rows_dropped", 1},
      {"driver_sums", "survey_version, var_a, var_b", "total", 3},
  };
  nlohmann::json checked = nlohmann::json::object();
  for (const auto& [name, extra, values, extra_n] : tables) {
    const int value_n = name == "driver_rows" ? 2 : 1;
    FEEDBACK_ASSIGN_OR_RETURN(
        Table rep, ReadTable(central,
                             "SELECT site_id, channel, staff_id, team, day, survey_id, " + extra +
                                 ", " + values + " FROM rollup_" + name,
                             6 + extra_n, value_n));
    FEEDBACK_ASSIGN_OR_RETURN(
        Table summary, ReadTable(central,
                                 "SELECT grain, site_id, period, channel, team, survey_id, " +
                                     extra + ", " + values + " FROM summary_" + name,
                                 6 + extra_n, value_n));
    for (const auto& [table, stored] :
         {std::pair<std::string, Table*>{"rollup_" + name, &rep}, {"summary_" + name, &summary}}) {
      const std::vector<std::string> diff = Differences(*stored, raw.table(table));
      checked[table] = stored->size();
      v.Check(diff.empty(), table + ": " + std::to_string(diff.size()) +
                                " rows differ from the recomputation from raw records" +
                                Example(diff));
    }
  }
  v.figures["rollup_rows_checked"] = checked;
  return Status::Ok();
}

Status ApplyDefect(const std::string& defect, Database& central,
                   std::map<std::string, std::set<std::string>>& device_ids,
                   std::map<std::string, std::set<std::string>>& returned,
                   const std::map<std::string, std::set<std::string>>& acknowledged) {
  if (defect == "drop-expected") {
    for (auto& [dir, acked] : acknowledged) {
      if (acked.empty()) continue;
      device_ids[dir].erase(*acked.begin());
      returned[dir].erase(*acked.begin());
      return Status::Ok();
    }
    return Status::NotFound("no acknowledged record to drop");
  }
  if (defect == "duplicate") {
    return central.Exec(
        "INSERT INTO quarantine (device_id, site_id, batch_seq, record_index, record_id, reason, "
        "public_json, received_at) SELECT device_id, site_id, batch_seq, 0, record_id, "
        "'soak defect: stored twice', public_json, received_at FROM records "
        "ORDER BY record_id LIMIT 1");
  }
  if (defect == "lose") {
    return central.Exec(
        "DELETE FROM records WHERE record_id = (SELECT MIN(record_id) FROM records)");
  }
  if (defect == "rollup") {
    return central.Exec(
        "UPDATE rollup_scores SET count = count + 1 WHERE (site_id, day, channel, staff_id, team, "
        "survey_id, question_id, score) = (SELECT site_id, day, channel, staff_id, team, survey_id, "
        "question_id, score FROM rollup_scores LIMIT 1)");
  }
  return Status::InvalidArgument("unknown --defect " + defect);
}

int VerdictCommand(const std::string& central_db, const std::string& devices_file,
                   const std::string& assets, const std::string& defect) {
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "fleet_soak_tool verdict: %s\n", s.ToString().c_str());
    return 2;
  };
  Result<std::vector<DeviceLine>> devices = ReadDevices(devices_file);
  if (!devices.ok()) return fail(devices.status());
  std::map<std::pair<std::string, int>, SurveyDefinition> surveys;
  for (const char* file : {"retail_kiosk.json", "call_log.json"}) {
    Result<SurveyDefinition> def = LoadSurveyDefinition(assets + "/surveys/" + file);
    if (!def.ok()) return fail(def.status());
    surveys.emplace(std::make_pair(def->id, def->version), *def);
  }
  Verdict v;

  // What the devices captured: their DBs (ground truth), what returned, what was refused.
  std::map<std::string, std::set<std::string>> device_ids, returned, acknowledged;
  int64_t refused_disk_full = 0, refused_other = 0, unacknowledged = 0;
  for (const DeviceLine& d : *devices) {
    Database::Options o;
    o.create_if_missing = false;
    o.read_only = true;
    o.wal = false;
    Result<Database> db = Database::Open(d.dir + "/capture.db", o);
    if (!db.ok()) return fail(db.status());
    Result<Statement> q = db->Prepare("SELECT id, outbox_state FROM records");
    if (!q.ok()) return fail(q.status());
    while (true) {
      Result<bool> row = q->Step();
      if (!row.ok()) return fail(row.status());
      if (!*row) break;
      device_ids[d.dir].insert(q->ColumnText(0));
      if (q->ColumnInt(1) == 2)
        acknowledged[d.dir].insert(q->ColumnText(0));
      else
        ++unacknowledged;
    }
    std::ifstream log(d.dir + "/returned.log");
    for (std::string id; std::getline(log, id);) {
      if (!returned[d.dir].insert(id).second) v.failures.push_back("capture returned twice: " + id);
    }
    std::ifstream refused(d.dir + "/refused.log");
    for (std::string line; std::getline(refused, line);)
      (line.rfind("disk_full ", 0) == 0 ? refused_disk_full : refused_other) += 1;
  }

  Result<Database> central = Database::Open(central_db);
  if (!central.ok()) return fail(central.status());
  if (!defect.empty()) {
    if (Status s = ApplyDefect(defect, *central, device_ids, returned, acknowledged); !s.ok())
      return fail(s);
    v.figures["defect_injected"] = defect;
  }

  // What the central store holds: each id in records or quarantine, how often.
  std::map<std::string, int> stored;
  std::map<std::string, int64_t> quarantine_reasons;
  int64_t in_records = 0, in_quarantine = 0;
  {
    Result<Statement> q = central->Prepare("SELECT record_id FROM records");
    if (!q.ok()) return fail(q.status());
    for (Result<bool> row = q->Step(); !row.ok() || *row; row = q->Step()) {
      if (!row.ok()) return fail(row.status());
      ++stored[q->ColumnText(0)];
      ++in_records;
    }
    Result<Statement> qq = central->Prepare("SELECT record_id, reason FROM quarantine");
    if (!qq.ok()) return fail(qq.status());
    for (Result<bool> row = qq->Step(); !row.ok() || *row; row = qq->Step()) {
      if (!row.ok()) return fail(row.status());
      ++stored[qq->ColumnText(0)];
      ++in_quarantine;
      // Reasons name the record first ("record <id>: ..."): count by what follows.
      std::string reason = qq->ColumnText(1);
      const size_t colon = reason.find(": ");
      if (reason.rfind("record ", 0) == 0 && colon != std::string::npos)
        reason = reason.substr(colon + 2);
      ++quarantine_reasons[reason.substr(0, 80)];
    }
  }

  std::vector<std::string> lost, duplicated, unexpected, not_durable;
  std::set<std::string> captured;
  int64_t returned_total = 0, unconfirmed = 0;
  for (const auto& [dir, ids] : device_ids) {
    captured.insert(ids.begin(), ids.end());
    for (const std::string& id : ids) {
      auto it = stored.find(id);
      if (it == stored.end()) lost.push_back(id);
      if (it != stored.end() && it->second > 1) duplicated.push_back(id);
      if (!returned[dir].contains(id)) ++unconfirmed;
    }
  }
  for (const auto& [dir, ids] : returned) {
    returned_total += static_cast<int64_t>(ids.size());
    for (const std::string& id : ids) {
      if (!device_ids[dir].contains(id)) not_durable.push_back(id);
    }
  }
  for (const auto& [id, n] : stored) {
    if (!captured.contains(id)) unexpected.push_back(id);
  }
  v.Check(not_durable.empty(), std::to_string(not_durable.size()) +
                                   " records whose capture returned are not in their device's DB" +
                                   Example(not_durable));
  v.Check(lost.empty(), std::to_string(lost.size()) +
                            " captured records never reached the central store" + Example(lost));
  v.Check(duplicated.empty(), std::to_string(duplicated.size()) +
                                  " records stored more than once" + Example(duplicated));
  v.Check(unexpected.empty(), std::to_string(unexpected.size()) +
                                  " stored records were never captured" + Example(unexpected));
  v.Check(unacknowledged == 0, std::to_string(unacknowledged) +
                                   " captured records not acknowledged on their device");
  Result<Statement> integrity = central->Prepare("PRAGMA integrity_check");
  if (!integrity.ok() || !*integrity->Step()) return fail(Status::IoError("integrity_check"));
  const std::string integrity_text = integrity->ColumnText(0);
  v.Check(integrity_text == "ok", "central integrity_check: " + integrity_text);

  if (Status s = CheckRollups(*central, surveys, v); !s.ok()) return fail(s);

  v.figures["devices"] = devices->size();
  v.figures["captures_returned"] = returned_total;
  v.figures["captured_in_device_dbs"] = captured.size();
  v.figures["captured_unconfirmed"] = unconfirmed;  // committed, process killed before it returned
  v.figures["refused_disk_full"] = refused_disk_full;
  v.figures["refused_other"] = refused_other;
  v.figures["stored_records"] = in_records;
  v.figures["stored_quarantine"] = in_quarantine;
  v.figures["quarantine_reasons"] = quarantine_reasons;
  v.figures["lost"] = lost.size();
  v.figures["duplicated"] = duplicated.size();
  v.figures["unexpected"] = unexpected.size();
  v.figures["unacknowledged"] = unacknowledged;
  v.figures["failures"] = v.failures;
  v.figures["pass"] = v.failures.empty();
  std::printf("%s\n", v.figures.dump().c_str());
  return v.failures.empty() ? 0 : 1;
}

}  // namespace
}  // namespace feedback::soak

int main(int argc, char** argv) {
  CLI::App app{"The fleet soak's devices and verdict (bench/fleet_soak.py drives it)"};
  app.require_subcommand(1);
  std::string devices, server, ready, central_db, assets, defect, log_level = "warn";
  size_t first = 0, count = 0;
  feedback::TimeMs until = 0, disk_full_at = 0, mean_ms = 1000, interval_ms = 2000;
  bool enroll_only = false;
  uint32_t seed = 1;
  CLI::App* fleet = app.add_subcommand("fleet", "Host devices: capture DBs + sync daemons");
  fleet->add_option("--devices", devices)->required();
  fleet->add_option("--first", first)->required();
  fleet->add_option("--count", count)->required();
  fleet->add_option("--server", server)->required();
  fleet->add_option("--capture-until-ms", until)->required();
  fleet->add_option("--disk-full-at-ms", disk_full_at);
  fleet->add_option("--capture-mean-ms", mean_ms);
  fleet->add_flag("--enroll-only", enroll_only);
  fleet->add_option("--interval-ms", interval_ms);
  fleet->add_option("--ready-file", ready);
  fleet->add_option("--seed", seed);
  fleet->add_option("--log-level", log_level);
  CLI::App* verdict = app.add_subcommand("verdict", "Check the central store against the devices");
  verdict->add_option("--central-db", central_db)->required();
  verdict->add_option("--devices", devices)->required();
  verdict->add_option("--assets", assets)->required();
  verdict->add_option("--defect", defect)
      ->check(CLI::IsMember({"drop-expected", "duplicate", "lose", "rollup"}));
  CLI11_PARSE(app, argc, argv);
  if (*verdict) return feedback::soak::VerdictCommand(central_db, devices, assets, defect);
  spdlog::set_level(spdlog::level::from_str(log_level));
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int rc = feedback::soak::Fleet(devices, first, count, server, until, disk_full_at, mean_ms,
                                       interval_ms, ready, seed, enroll_only);
  curl_global_cleanup();
  return rc;
}
