// The feedback-central operator commands, run as real processes: init,
// enroll-token, devices, revoke, survey publish, staff import, --help.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "central_harness.h"
#include "protocol/sha256.h"
#include "sync/central/dashboard/password_hash.h"
#include "sync/central/cli/tls_certificate.h"

namespace feedback::central::testing {
namespace {

unsigned Mode(const std::string& path) {
  struct stat st {};
  stat(path.c_str(), &st);
  return st.st_mode & 0777;
}

std::string PasswordFrom(const std::string& init_out) {
  const std::string key = "admin password:";
  size_t pos = init_out.find(key);
  if (pos == std::string::npos) return "";
  pos = init_out.find_first_not_of(' ', pos + key.size());
  return init_out.substr(pos, init_out.find('\n', pos) - pos);
}

TEST(CentralCliTest, InitCreatesPrivateKeysCertificateAndAdmin) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/c";
  CliResult r = InitCentral(dir, "store-9");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Mode(dir), 0700u);
  EXPECT_EQ(Mode(dir + "/central.db"), 0600u);
  EXPECT_EQ(Mode(dir + "/hpke.key"), 0600u);
  EXPECT_EQ(Mode(dir + "/tls.key"), 0600u);
  EXPECT_EQ(Mode(dir + "/tls.crt"), 0644u);
  const std::string password = PasswordFrom(r.out);
  ASSERT_EQ(password.size(), 20u) << r.out;
  // Printed once, stored only as a scrypt hash that verifies.
  CentralDb db(dir);
  auto users = db.Rows("SELECT username, password_hash, role FROM users", 3);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0][0], "admin");
  EXPECT_EQ(users[0][2], "admin");
  EXPECT_EQ(users[0][1].rfind("scrypt$15$8$1$", 0), 0u);
  EXPECT_EQ(ReadAll(dir + "/central.db").find(password), std::string::npos);
  EXPECT_TRUE(VerifyPassword(password, users[0][1]).value_or(false));
  EXPECT_FALSE(VerifyPassword(password + "x", users[0][1]).value_or(true));
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM sites WHERE site_id = 'store-9'"), 1);
  // The printed pin is the certificate's.
  const std::string pin = CertificateSha256(ReadAll(dir + "/tls.crt")).value();
  EXPECT_NE(r.out.find(pin), std::string::npos);
  // A second init refuses and changes nothing.
  const std::string key_before = ReadAll(dir + "/hpke.key");
  CliResult again = InitCentral(dir);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(ReadAll(dir + "/hpke.key"), key_before);
}

TEST(CentralCliTest, EnrollTokenIsOneTimeHashedAndPinned) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/c";
  ASSERT_EQ(InitCentral(dir).exit_code, 0);
  CliResult r = RunCli({"enroll-token", "--data-dir", dir, "--site", "store-4", "--kind", "agent",
                        "--team", "team-a", "--ttl", "2h"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<protocol::EnrollmentToken> token = protocol::ParseEnrollmentToken(r.out);
  ASSERT_TRUE(token.ok()) << r.out;
  EXPECT_EQ(token->cert_sha256, CertificateSha256(ReadAll(dir + "/tls.crt")).value());
  EXPECT_NE(r.err.find("created it"), std::string::npos);  // store-4 was new
  CentralDb db(dir);
  auto rows = db.Rows(
      "SELECT token_hash, site_id, kind, team, expires_at - created_at, "
      "used_at IS NULL FROM enrollment_tokens",
      6);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{protocol::TokenSecretHash(token->secret), "store-4",
                                               "agent", "team-a", "7200000", "1"}));
  EXPECT_EQ(ReadAll(dir + "/central.db").find(token->SecretText()), std::string::npos);

  EXPECT_NE(
      RunCli({"enroll-token", "--data-dir", dir, "--site", "s", "--kind", "toaster"}).exit_code, 0);
  CliResult bad_ttl =
      RunCli({"enroll-token", "--data-dir", dir, "--site", "s", "--kind", "kiosk", "--ttl", "1y"});
  EXPECT_EQ(bad_ttl.exit_code, 1);
  EXPECT_NE(bad_ttl.err.find("--ttl"), std::string::npos) << bad_ttl.err;
  CliResult bad_site =
      RunCli({"enroll-token", "--data-dir", dir, "--site", "a b", "--kind", "kiosk"});
  EXPECT_EQ(bad_site.exit_code, 1);
}

TEST(CentralCliTest, CommandsOnAMissingDataDirSayHowToInit) {
  TempDir tmp;
  CliResult r = RunCli({"devices", "--data-dir", tmp.path() + "/nothing"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("feedback-central init --data-dir"), std::string::npos) << r.err;
}

TEST(CentralCliTest, DevicesAndRevoke) {
  CentralFixture f;
  ASSERT_TRUE(f.Setup());
  CliResult empty = RunCli({"devices", "--data-dir", f.data_dir});
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_NE(empty.out.find("No devices enrolled"), std::string::npos);
  std::unique_ptr<TestDevice> dev = f.NewDevice("store-1", "agent", "team-a");
  ASSERT_TRUE(dev);
  CliResult list = RunCli({"devices", "--data-dir", f.data_dir});
  EXPECT_NE(list.out.find(dev->device_id), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("team-a"), std::string::npos);
  CliResult unknown = RunCli({"revoke", "--data-dir", f.data_dir, "kiosk-nope"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown device 'kiosk-nope'"), std::string::npos) << unknown.err;
  CliResult ok = RunCli({"revoke", "--data-dir", f.data_dir, dev->device_id});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  CliResult after = RunCli({"devices", "--data-dir", f.data_dir, "--json"});
  EXPECT_FALSE(nlohmann::json::parse(after.out)[0]["revoked_at"].is_null());
}

TEST(CentralCliTest, SurveyPublishValidatesAndKeepsVersions) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/c";
  ASSERT_EQ(InitCentral(dir).exit_code, 0);
  // Invalid definition: the error names the file and the problem.
  const std::string bad = tmp.File("bad.json");
  std::ofstream(bad) << R"({"id": "x", "version": 1, "channel": "kiosk", "questions": []})";
  CliResult r = RunCli({"survey", "publish", "--data-dir", dir, bad, "--all"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
  // Neither --site nor --all.
  CliResult none = RunCli({"survey", "publish", "--data-dir", dir, SurveyFile("call_log.json")});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("--site"), std::string::npos) << none.err;
  // Publish to two sites, again (idempotent), then a changed file with the same version.
  CliResult ok = RunCli({"survey", "publish", "--data-dir", dir, SurveyFile("call_log.json"),
                         "--site", "store-1", "--site", "store-2"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(RunCli({"survey", "publish", "--data-dir", dir, SurveyFile("call_log.json"), "--site",
                    "store-1"})
                .exit_code,
            0);
  nlohmann::json changed = nlohmann::json::parse(ReadAll(SurveyFile("call_log.json")));
  changed["title"]["en"] = "Changed";
  const std::string changed_file = tmp.File("changed.json");
  std::ofstream(changed_file) << changed.dump();
  CliResult conflict = RunCli({"survey", "publish", "--data-dir", dir, changed_file, "--all"});
  EXPECT_EQ(conflict.exit_code, 1);
  EXPECT_NE(conflict.err.find("already published with a different definition"), std::string::npos)
      << conflict.err;
  changed["version"] = 2;
  std::ofstream(changed_file, std::ios::trunc) << changed.dump();
  EXPECT_EQ(
      RunCli({"survey", "publish", "--data-dir", dir, changed_file, "--site", "store-2"}).exit_code,
      0);
  CentralDb db(dir);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM surveys WHERE survey_id = 'call_log'"), 2);
  auto current = db.Rows("SELECT site_id, version FROM site_surveys ORDER BY site_id", 2);
  EXPECT_EQ(current, (std::vector<std::vector<std::string>>{{"store-1", "1"}, {"store-2", "2"}}));
}

TEST(CentralCliTest, StaffImportReplacesEachSitesRoster) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/c";
  ASSERT_EQ(InitCentral(dir).exit_code, 0);
  const std::string csv = tmp.File("staff.csv");
  std::ofstream(csv) << "\xEF\xBB\xBFstaff_id,display_name,team\r\ns-1,\"Lima, Ana\",team-a\r\n"
                        "s-2,\"Bo \"\"Bobby\"\" Ng\",\r\n";
  CliResult r = RunCli({"staff", "import", "--data-dir", dir, csv, "--site", "store-1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CentralDb db(dir);
  EXPECT_EQ(db.Rows("SELECT staff_id, display_name, team, site_id FROM staff ORDER BY staff_id", 4),
            (std::vector<std::vector<std::string>>{{"s-1", "Lima, Ana", "team-a", "store-1"},
                                                   {"s-2", "Bo \"Bobby\" Ng", "", "store-1"}}));
  // A second import for the site replaces its roster.
  std::ofstream(csv, std::ios::trunc) << "staff_id,display_name,site\ns-3,Cy,store-1\n";
  ASSERT_EQ(RunCli({"staff", "import", "--data-dir", dir, csv}).exit_code, 0);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM staff"), 1);
  // Errors name the line; nothing changes.
  std::ofstream(csv, std::ios::trunc) << "staff_id,display_name,site\ns-4,Di,store-1\ns 5,Ed,x\n";
  CliResult bad = RunCli({"staff", "import", "--data-dir", dir, csv});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("line 3"), std::string::npos) << bad.err;
  std::ofstream(csv, std::ios::trunc) << "staff_id,display_name,site\ns-4,Di,store-2\n";
  CliResult wrong_site = RunCli({"staff", "import", "--data-dir", dir, csv, "--site", "store-1"});
  EXPECT_EQ(wrong_site.exit_code, 1);
  EXPECT_NE(wrong_site.err.find("differs from --site"), std::string::npos) << wrong_site.err;
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM staff"), 1);
}

TEST(CentralCliTest, HelpEverywhere) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"init", "--help"},
                                        {"enroll-token", "--help"},
                                        {"devices", "--help"},
                                        {"revoke", "--help"},
                                        {"survey", "publish", "--help"},
                                        {"staff", "import", "--help"},
                                        {"serve", "--help"}}) {
    CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args[0];
  }
  EXPECT_NE(RunCli({}).exit_code, 0);
}

}  // namespace
}  // namespace feedback::central::testing
