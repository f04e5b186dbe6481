// Devices cannot lie about who served whom (issue 12), through a real
// `feedback-central serve` on 127.0.0.1: a record's staff id must be on its
// device's site roster (an agent desktop's: in its team), its times must lie
// between the device's enrollment and the central clock plus a day - else it
// is quarantined with the reason; a batch seq may jump at most 1000 ahead
// (the real feedback-sync keeps syncing after a forged jump); repeated
// sequence conflicts mark the device "possible clone" on /api/devices and in
// `feedback-central devices`, with one alert in the queue, delivered.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

#include "central_harness.h"
#include "device/device_capture.h"
#include "device/device_config.h"

namespace feedback::central::testing {
namespace {

using nlohmann::json;

std::string SyncBinary() { return FEEDBACK_BINARY_DIR "/sync/daemon/feedback-sync"; }

std::string PasswordFrom(const std::string& out) {
  const std::string key = "password: ";
  const size_t at = out.find(key);
  if (at == std::string::npos) return "";
  size_t end = out.find('\n', at);
  std::string pw = out.substr(at + key.size(), end - at - key.size());
  while (!pw.empty() && pw.front() == ' ') pw.erase(pw.begin());
  return pw;
}

// A dashboard admin session (cookie + CSRF token) on the fixture's server.
struct Admin {
  std::string cookie;
  std::string csrf;
};

Admin LogIn(CentralFixture& f) {
  CliResult added =
      RunCli({"user", "add", "--data-dir", f.data_dir, "--username", "root", "--role", "admin"});
  EXPECT_EQ(added.exit_code, 0) << added.err;
  httplib::Client c = f.server.Client();
  auto res = c.Post("/api/login",
                    json{{"username", "root"}, {"password", PasswordFrom(added.out)}}.dump(),
                    "application/json");
  Admin a;
  EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  if (!res || res->status != 200) return a;
  const std::string cookie = res->get_header_value("Set-Cookie");
  a.cookie = cookie.substr(0, cookie.find(';'));
  a.csrf = json::parse(res->body)["csrf_token"].get<std::string>();
  return a;
}

json GetJson(CentralFixture& f, const Admin& a, const std::string& path) {
  httplib::Client c = f.server.Client();
  auto res = c.Get(path.c_str(), httplib::Headers{{"Cookie", a.cookie}});
  EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : "no answer");
  return res ? json::parse(res->body, nullptr, false) : json();
}

json DeviceJson(CentralFixture& f, const Admin& a, const std::string& device_id) {
  const json page = GetJson(f, a, "/api/devices");
  for (const json& d : page["devices"]) {
    if (d["device_id"] == device_id) return d;
  }
  ADD_FAILURE() << device_id << " is not on /api/devices: " << page;
  return json();
}

// The reasons of a device's quarantined records, as `feedback-central quarantine` shows them.
std::map<std::string, std::string> QuarantineReasons(const std::string& data_dir,
                                                     const std::string& device_id) {
  CliResult r = RunCli({"quarantine", "--data-dir", data_dir, "--device", device_id, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> out;
  for (const json& q : json::parse(r.out, nullptr, false)) {
    out[q["record_id"].get<std::string>()] = q["reason"].get<std::string>();
  }
  return out;
}

protocol::BatchAck Post(CentralFixture& f, const Bytes& batch) {
  httplib::Client c = f.server.Client();
  HttpAnswer a = PostBatch(c, batch);
  EXPECT_EQ(a.status, 200) << a.body;
  return protocol::ParseBatchAck(a.body).value_or(protocol::BatchAck{});
}

FeedbackRecord CallRecord(TestDevice& dev, const std::string& staff_id) {
  FeedbackRecord r = KioskRecord(dev, 0);
  r.survey_id = "call_log";
  r.channel = Channel::kCall;
  r.staff_id = staff_id;
  r.answers = {{"call_ref", std::nullopt, {}, "C-1001"},
               {"greeting", 4, {}, ""},
               {"resolution", std::nullopt, {"resolved"}, ""},
               {"effort", 6, {}, ""}};
  return r;
}

// `feedback-sync enroll` into dir, with a token for store-1.
void EnrollRealDevice(CentralFixture& f, const std::string& dir) {
  const std::string token = MakeToken(f.data_dir, "store-1");
  CliResult enrolled = RunBinary(
      SyncBinary(), {"enroll", "--server", f.server.url(), "--token", token, "--dir", dir});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
}

// Captures n retail-kiosk records (one comment each, sealed) as the kiosk does.
void CaptureRecords(const DeviceConfig& config, int n) {
  Result<DeviceCapture> device = DeviceCapture::Open(config);
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  UuidGenerator ids;
  for (int i = 0; i < n; ++i) {
    FeedbackRecord r;
    r.id = ids.NextV7().ToString();
    r.survey_id = "retail_kiosk";
    r.survey_version = 1;
    r.device_id = config.device_id;
    r.site_id = config.site_id;
    r.channel = Channel::kKiosk;
    r.submitted_at = SystemClock::Instance().NowMs();
    r.started_at = r.submitted_at - 15'000;
    r.locale = "en";
    r.answers = {{"nps", i % 11, {}, {}}, {"comment", std::nullopt, {}, "quick checkout"}};
    ASSERT_TRUE(device->store().Capture(r).ok());
  }
}

// `feedback-sync run --once`: delivers the backlog (exit 0) or stops at the first refusal.
CliResult SyncOnce(const std::string& device_dir) {
  return RunBinary(SyncBinary(), {"run", "--device-config", device_dir + "/device.json", "--once"});
}

class CentralIntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(f_.Setup()) << f_.server.Log();
    ASSERT_EQ(RunCli({"survey", "publish", "--data-dir", f_.data_dir, SurveyFile("call_log.json"),
                      "--all"})
                  .exit_code,
              0);
    const std::string csv = f_.tmp.File("staff.csv");
    std::ofstream(csv) << "staff_id,display_name,team,site\n"
                          "s1-a,Ana,team-a,store-1\n"
                          "s1-b,Ben,team-b,store-1\n"
                          "s1-none,Cy,,store-1\n"
                          "team-02a-rep-1,Dee,team-02a,store-2\n";
    CliResult s = RunCli({"staff", "import", "--data-dir", f_.data_dir, csv});
    ASSERT_EQ(s.exit_code, 0) << s.err;
  }
  void TearDown() override {
    if (HasFailure()) std::fprintf(stderr, "server log:\n%s\n", f_.server.Log().c_str());
  }

  CentralFixture f_;
};

TEST_F(CentralIntegrityTest, StaffIdsMustBeOnTheDevicesRosterAndTeam) {
  std::unique_ptr<TestDevice> kiosk = f_.NewDevice("store-1");
  std::unique_ptr<TestDevice> agent = f_.NewDevice("store-1", "agent", "team-a");
  ASSERT_TRUE(kiosk && agent);

  FeedbackRecord own = KioskRecord(*kiosk, 9);
  own.staff_id = "s1-b";  // a kiosk may name any rep of its own site
  FeedbackRecord nobody = KioskRecord(*kiosk, 8);  // no staff id: unaffected
  FeedbackRecord cross_site = KioskRecord(*kiosk, 10);
  cross_site.staff_id = "team-02a-rep-1";
  FeedbackRecord unknown = KioskRecord(*kiosk, 3);
  unknown.staff_id = "ghost-7";
  EXPECT_EQ(Post(f_, BatchOf(*kiosk, {own, nobody, cross_site, unknown})),
            (protocol::BatchAck{1, 2, 0, 2}));

  FeedbackRecord team_rep = CallRecord(*agent, "s1-a");
  FeedbackRecord other_team = CallRecord(*agent, "s1-b");
  FeedbackRecord no_team = CallRecord(*agent, "s1-none");
  FeedbackRecord other_site = CallRecord(*agent, "team-02a-rep-1");
  EXPECT_EQ(Post(f_, BatchOf(*agent, {team_rep, other_team, no_team, other_site})),
            (protocol::BatchAck{1, 1, 0, 3}));

  CentralDb db(f_.data_dir);
  EXPECT_EQ(db.Rows("SELECT record_id, staff_id, team FROM records ORDER BY staff_id, record_id", 3),
            (std::vector<std::vector<std::string>>{{nobody.id, "", ""},
                                                   {team_rep.id, "s1-a", "team-a"},
                                                   {own.id, "s1-b", "team-b"}}));
  // Nothing of the refused credits reached the rollups: team-02a has no responses.
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM rollup_responses WHERE team = 'team-02a' OR "
                   "staff_id IN ('team-02a-rep-1', 'ghost-7', 's1-none')"),
            0);

  const auto kiosk_q = QuarantineReasons(f_.data_dir, kiosk->device_id);
  ASSERT_EQ(kiosk_q.size(), 2u);
  EXPECT_EQ(kiosk_q.at(cross_site.id),
            "staff_id 'team-02a-rep-1' is on the roster of site 'store-2', not of the device's "
            "site 'store-1'");
  EXPECT_EQ(kiosk_q.at(unknown.id),
            "staff_id 'ghost-7' is on no roster (the device's site is 'store-1'): add it with "
            "`feedback-central staff import`");
  const auto agent_q = QuarantineReasons(f_.data_dir, agent->device_id);
  ASSERT_EQ(agent_q.size(), 3u);
  EXPECT_EQ(agent_q.at(other_team.id),
            "staff_id 's1-b' is in team 'team-b' at site 'store-1', not in the agent desktop's "
            "team 'team-a'");
  EXPECT_EQ(agent_q.at(no_team.id),
            "staff_id 's1-none' is in no team at site 'store-1', not in the agent desktop's team "
            "'team-a'");
  EXPECT_NE(agent_q.at(other_site.id).find("roster of site 'store-2'"), std::string::npos);

  // The Devices page counts them.
  Admin admin = LogIn(f_);
  EXPECT_EQ(DeviceJson(f_, admin, kiosk->device_id)["records_quarantined"], 2);
  EXPECT_EQ(DeviceJson(f_, admin, agent->device_id)["records_quarantined"], 3);
}

TEST_F(CentralIntegrityTest, RecordTimesMustLieBetweenEnrollmentAndTomorrow) {
  std::unique_ptr<TestDevice> kiosk = f_.NewDevice("store-1");
  ASSERT_TRUE(kiosk);
  CentralDb db(f_.data_dir);
  const TimeMs enrolled_at =
      db.Int("SELECT enrolled_at FROM devices WHERE device_id = '" + kiosk->device_id + "'");
  const TimeMs hour = 3'600'000;

  FeedbackRecord now = KioskRecord(*kiosk, 9);
  FeedbackRecord slightly_early = KioskRecord(*kiosk, 9);  // within the 1 h clock tolerance
  slightly_early.started_at = enrolled_at - hour / 2;
  slightly_early.submitted_at = slightly_early.started_at + 20'000;
  FeedbackRecord year_2100 = KioskRecord(*kiosk, 10);
  year_2100.started_at = 4'102'444'800'000 - 20'000;  // 2100-01-01T00:00:00Z
  year_2100.submitted_at = 4'102'444'800'000;
  FeedbackRecord before_enrollment = KioskRecord(*kiosk, 2);
  before_enrollment.started_at = enrolled_at - 3 * hour;
  before_enrollment.submitted_at = before_enrollment.started_at + 20'000;
  FeedbackRecord submitted_tomorrow = KioskRecord(*kiosk, 7);
  submitted_tomorrow.submitted_at += 25 * hour;
  EXPECT_EQ(Post(f_, BatchOf(*kiosk, {now, slightly_early, year_2100, before_enrollment,
                                      submitted_tomorrow})),
            (protocol::BatchAck{1, 2, 0, 3}));
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records WHERE record_id IN ('" + now.id + "', '" +
                   slightly_early.id + "')"),
            2);

  const auto q = QuarantineReasons(f_.data_dir, kiosk->device_id);
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q.at(year_2100.id).rfind("started_at 2099-12-31T23:59:40.000Z is more than 24h after "
                                     "the central clock (",
                                     0),
            0u)
      << q.at(year_2100.id);
  EXPECT_EQ(q.at(before_enrollment.id),
            "started_at " + FormatIso8601(before_enrollment.started_at) +
                " is before the device was enrolled (" + FormatIso8601(enrolled_at) +
                ", 1h tolerance): check the device's clock");
  EXPECT_NE(q.at(submitted_tomorrow.id).find("submitted_at "), std::string::npos);
  EXPECT_NE(q.at(submitted_tomorrow.id).find("after the central clock"), std::string::npos);
}

// Two senders with one device key: the test client replays signed batches
// under seqs the central store already holds, as a cloned key does.
TEST_F(CentralIntegrityTest, RepeatedSequenceConflictsMarkAPossibleCloneWithOneAlert) {
  Admin admin = LogIn(f_);
  {
    httplib::Client c = f_.server.Client();
    auto res = c.Post("/api/alert-rules",
                      httplib::Headers{{"Cookie", admin.cookie}, {"X-CSRF-Token", admin.csrf}},
                      json{{"webhook_url", "http://127.0.0.1:9/unreachable"}}.dump(),
                      "application/json");
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  }
  std::unique_ptr<TestDevice> dev = f_.NewDevice("store-1");
  std::unique_ptr<TestDevice> bystander = f_.NewDevice("store-1");
  ASSERT_TRUE(dev && bystander);
  ASSERT_EQ(Post(f_, BatchOf(*dev, {KioskRecord(*dev, 9)})).stored, 1);
  ASSERT_EQ(Post(f_, BatchOf(*bystander, {KioskRecord(*bystander, 9)})).stored, 1);

  httplib::Client c = f_.server.Client();
  auto clone_batch = [&](int64_t seq) {
    dev->next_seq = seq;
    return PostBatch(c, BatchOf(*dev, {KioskRecord(*dev, 5)}));
  };
  // Two conflicts: not yet a clone (one can be a restored backup).
  for (int i = 0; i < 2; ++i) {
    HttpAnswer a = clone_batch(1);
    ASSERT_EQ(a.status, 409) << a.body;
    EXPECT_EQ(json::parse(a.body)["last_seq"], 1);
  }
  EXPECT_EQ(DeviceJson(f_, admin, dev->device_id)["possible_clone"], false);
  // The third within 10 minutes marks it; more conflicts raise no second alert.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(clone_batch(1).status, 409);

  json d = DeviceJson(f_, admin, dev->device_id);
  EXPECT_EQ(d["possible_clone"], true);
  EXPECT_NE(d["possible_clone_at"], nullptr);
  EXPECT_EQ(d["possible_clone_reason"].get<std::string>().rfind(
                "3 sequence conflicts (409) within 10 min: two devices may be using one device "
                "key",
                0),
            0u)
      << d;
  EXPECT_EQ(GetJson(f_, admin, "/api/devices")["devices"][0]["device_id"], dev->device_id)
      << "possible clones come first";
  EXPECT_EQ(DeviceJson(f_, admin, bystander->device_id)["possible_clone"], false);

  json clone_alerts = json::array();
  const json queue = GetJson(f_, admin, "/api/alerts");
  for (const json& a : queue["alerts"]) {
    if (a["event"] == "device.possible_clone") clone_alerts.push_back(a);
  }
  ASSERT_EQ(clone_alerts.size(), 1u) << clone_alerts;
  EXPECT_EQ(clone_alerts[0]["device_id"], dev->device_id);
  EXPECT_EQ(clone_alerts[0]["kind"], "webhook");

  CliResult listed = RunCli({"devices", "--data-dir", f_.data_dir});
  EXPECT_NE(listed.out.find(dev->device_id + ": possible clone since "), std::string::npos)
      << listed.out;
  CliResult listed_json = RunCli({"devices", "--data-dir", f_.data_dir, "--json"});
  for (const json& j : json::parse(listed_json.out)) {
    EXPECT_EQ(j["possible_clone"], j["device_id"] == dev->device_id) << j;
  }

  // Cleared explicitly; conflicts are counted afresh, so the next two do not re-mark it.
  CliResult cleared = RunCli({"clear-clone", "--data-dir", f_.data_dir, dev->device_id});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_EQ(DeviceJson(f_, admin, dev->device_id)["possible_clone"], false);
  for (int i = 0; i < 2; ++i) ASSERT_EQ(clone_batch(1).status, 409);
  EXPECT_EQ(DeviceJson(f_, admin, dev->device_id)["possible_clone"], false);
  ASSERT_EQ(clone_batch(1).status, 409);
  EXPECT_EQ(DeviceJson(f_, admin, dev->device_id)["possible_clone"], true);
  // Revoking clears it too (the key is dead).
  ASSERT_EQ(RunCli({"revoke", "--data-dir", f_.data_dir, dev->device_id}).exit_code, 0);
  d = DeviceJson(f_, admin, dev->device_id);
  EXPECT_EQ(d["possible_clone"], false);
  EXPECT_EQ(d["revoked"], true);
  EXPECT_EQ(RunCli({"clear-clone", "--data-dir", f_.data_dir, "kiosk-nope"}).exit_code, 1);
}

// The clone alert goes out through the real dispatcher to a webhook.
TEST_F(CentralIntegrityTest, ThePossibleCloneAlertIsDelivered) {
  // A one-shot webhook receiver on a free loopback port.
  httplib::Server hook;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> bodies;
  hook.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mu);
      bodies.push_back(req.body);
    }
    cv.notify_all();
    res.set_content("ok", "text/plain");
  });
  const int port = hook.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread hook_thread([&] { hook.listen_after_bind(); });
  struct Stopper {
    httplib::Server& s;
    std::thread& t;
    ~Stopper() {
      s.stop();
      t.join();
    }
  } stopper{hook, hook_thread};

  Admin admin = LogIn(f_);
  {
    httplib::Client c = f_.server.Client();
    auto res = c.Post(
        "/api/alert-rules",
        httplib::Headers{{"Cookie", admin.cookie}, {"X-CSRF-Token", admin.csrf}},
        json{{"webhook_url", "http://127.0.0.1:" + std::to_string(port) + "/hook"},
             {"dashboard_url", "https://central.example:8443"}}
            .dump(),
        "application/json");
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  }
  std::unique_ptr<TestDevice> dev = f_.NewDevice("store-1");
  ASSERT_TRUE(dev);
  ASSERT_EQ(Post(f_, BatchOf(*dev, {KioskRecord(*dev, 9)})).stored, 1);
  httplib::Client c = f_.server.Client();
  for (int i = 0; i < 3; ++i) {
    dev->next_seq = 1;
    ASSERT_EQ(PostBatch(c, BatchOf(*dev, {KioskRecord(*dev, 5)})).status, 409);
  }
  std::unique_lock<std::mutex> lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(15), [&] { return !bodies.empty(); }))
      << "no webhook within 15 s";
  const json w = json::parse(bodies[0]);
  EXPECT_EQ(w["event"], "device.possible_clone");
  EXPECT_EQ(w["device_id"], dev->device_id);
  EXPECT_EQ(w["site_id"], "store-1");
  EXPECT_EQ(w["url"], "https://central.example:8443/dashboard/#/devices");
  EXPECT_NE(w["reason"].get<std::string>().find("3 sequence conflicts"), std::string::npos);
  lock.unlock();
  // Its delivery is recorded in the queue.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  json state;
  while (std::chrono::steady_clock::now() < deadline) {
    state = GetJson(f_, admin, "/api/alerts")["alerts"];
    if (state.size() == 1 && state[0]["state"] == "sent") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(state.size(), 1u) << state;
  EXPECT_EQ(state[0]["state"], "sent") << state;
}

// The probe's case: a kiosk's disk copied to a second box, both running the
// real feedback-sync with the one key. Every record still arrives (the
// conflicts are renumbered), and the third conflict marks the device.
TEST_F(CentralIntegrityTest, TwoRealDaemonsWithOneKeyAreMarkedPossibleClone) {
  const std::string real_dir = f_.tmp.path() + "/kiosk";
  const std::string clone_dir = f_.tmp.path() + "/clone";
  EnrollRealDevice(f_, real_dir);
  Result<DeviceConfig> real = LoadDeviceConfig(real_dir + "/device.json");
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  // The clone: the same device.json and device.key, a copy of the capture DB.
  std::filesystem::create_directories(clone_dir);
  DeviceConfig clone = *real;
  clone.capture_db = clone_dir + "/capture.db";
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (std::filesystem::exists(real->capture_db + suffix)) {
      std::filesystem::copy_file(real->capture_db + suffix, clone.capture_db + suffix);
    }
  }
  ASSERT_TRUE(SaveDeviceConfig(clone_dir + "/device.json", clone).ok());

  CentralDb db(f_.data_dir);
  const std::string where = " WHERE device_id = '" + real->device_id + "'";
  auto marked = [&] {
    return db.Int("SELECT COUNT(*) FROM devices" + where + " AND possible_clone_at IS NOT NULL");
  };
  int conflicts = 0;
  for (int round = 0; round < 3; ++round) {
    CaptureRecords(*real, 5);
    CliResult a = SyncOnce(real_dir);
    ASSERT_EQ(a.exit_code, 0) << a.err;
    CaptureRecords(clone, 5);
    CliResult b = SyncOnce(clone_dir);  // its seq was just used by the real device
    ASSERT_EQ(b.exit_code, 1) << b.err;
    EXPECT_NE(b.err.find("409"), std::string::npos) << b.err;
    ++conflicts;
    EXPECT_EQ(marked(), conflicts < 3 ? 0 : 1) << "after conflict " << conflicts;
  }
  EXPECT_EQ(conflicts, 3);
  EXPECT_EQ(marked(), 1);
  // The clone renumbered and delivers its backlog: nothing is lost, the
  // device is marked all the same.
  CliResult b = SyncOnce(clone_dir);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records" + where), 30);

  Admin admin = LogIn(f_);
  const json d = DeviceJson(f_, admin, real->device_id);
  EXPECT_EQ(d["possible_clone"], true) << d;
  EXPECT_NE(d["possible_clone_reason"].get<std::string>().find("3 sequence conflicts"),
            std::string::npos);
  // No alert channel is configured here: the mark is on the page, the queue holds nothing.
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM alerts"), 0);
  CliResult listed = RunCli({"devices", "--data-dir", f_.data_dir});
  EXPECT_NE(listed.out.find("possible clone"), std::string::npos) << listed.out;
}

// A forged batch with a far-ahead seq is refused without burning the
// sequence: the real feedback-sync of the device keeps syncing.
TEST_F(CentralIntegrityTest, ASeqJumpIsRefusedAndTheRealDaemonKeepsSyncing) {
  const std::string device_dir = f_.tmp.path() + "/kiosk";
  EnrollRealDevice(f_, device_dir);
  Result<DeviceConfig> config = LoadDeviceConfig(device_dir + "/device.json");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto capture = [&](int n) { CaptureRecords(*config, n); };
  auto sync_once = [&] { return SyncOnce(device_dir); };
  capture(5);
  CliResult first = sync_once();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  CentralDb db(f_.data_dir);
  const std::string where = " WHERE device_id = '" + config->device_id + "'";
  ASSERT_EQ(db.Int("SELECT COUNT(*) FROM records" + where), 5);
  const int64_t last_seq = db.Int("SELECT last_seq FROM devices" + where);
  ASSERT_GE(last_seq, 1);

  // The forger holds the device key (a copy of device.key).
  TestDevice forger;
  forger.device_id = config->device_id;
  forger.site_id = config->site_id;
  forger.key = std::make_unique<Ed25519PrivateKey>(
      Ed25519PrivateKey::LoadPem(config->device_key_file).value());
  httplib::Client c = f_.server.Client();
  for (const int64_t seq : {std::numeric_limits<int64_t>::max(), last_seq + 1001}) {
    forger.next_seq = seq;
    FeedbackRecord forged = KioskRecord(forger, 10);
    HttpAnswer a = PostBatch(c, BatchOf(forger, {forged}));
    ASSERT_EQ(a.status, 409) << a.body;
    const json body = json::parse(a.body);
    EXPECT_EQ(body["last_seq"], last_seq);
    EXPECT_NE(body["error"].get<std::string>().find(
                  "sequence number " + std::to_string(seq) + " jumps more than 1000 above the "
                  "last accepted " + std::to_string(last_seq) + "; nothing was stored"),
              std::string::npos)
        << a.body;
    EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records WHERE record_id = '" + forged.id + "'"), 0);
  }
  EXPECT_EQ(db.Int("SELECT last_seq FROM devices" + where), last_seq);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM batches" + where + " AND seq > " +
                   std::to_string(last_seq)),
            0);

  // The real daemon goes on from its own next seq, as if nothing happened.
  capture(5);
  CliResult second = sync_once();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM records" + where), 10);
  EXPECT_GT(db.Int("SELECT last_seq FROM devices" + where), last_seq);
  // A forged jump is no sign of a second device: no clone mark.
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM devices" + where + " AND possible_clone_at IS NULL"), 1);
}

}  // namespace
}  // namespace feedback::central::testing
