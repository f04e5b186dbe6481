// Dashboard accounts against the real feedback-central on 127.0.0.1 (issue 12,
// point 4): weak passwords are refused with the reason at the API and the CLI;
// one length limit, in characters, for creation and login in every encoding of
// a JSON string; user names ignore case for create, login, lockout and lookups;
// users only for sites that exist; a revoked device key cannot enroll again;
// an old store with two names differing only in case is refused until renamed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "central_harness.h"
#include "dashboard_client.h"
#include "sync/central/dashboard/password_hash.h"
#include "sync/central/dashboard/password_policy.h"
#include "sync/central/store/user_rules.h"

namespace feedback::central::testing {
namespace {

// A password of n random letters and digits that the policy accepts (for n
// over the limit: one that breaks no rule but the length).
std::string Strong(size_t n) {
  while (true) {
    std::string p;
    while (p.size() < n) p += GeneratePassword().value();
    p.resize(n);
    const std::string judged = p.substr(0, std::min(n, kMaxPasswordChars));
    if (CheckNewPassword(judged, "someone").ok()) return p;
  }
}

// `text` as a JSON string literal with every character written as \uXXXX
// (ASCII only): what a client may send, never what the JSON library writes.
std::string Escaped(const std::string& text) {
  std::string out = "\"";
  char buf[8];
  for (char c : text) {
    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
    out += buf;
  }
  return out + "\"";
}

// n characters mixing 2-, 3- and 4-byte UTF-8 (emoji: one character, two
// UTF-16 escapes) with ASCII.
std::string Wide(size_t n) {
  const char* pieces[] = {"ж", "🙂", "q", "é", "7", "ю", "🚲", "K", "漢", "Ω"};
  std::string out;
  for (size_t i = 0; PasswordChars(out) < n; ++i) out += pieces[(i * 7 + i / 10) % 10];
  return out;
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CliResult init = InitCentral(data_dir_);
    ASSERT_EQ(init.exit_code, 0) << init.err;
    admin_password_ = AdminPassword(init.out);
    ASSERT_FALSE(MakeToken(data_dir_, "store-2").empty());  // creates site store-2
    ASSERT_TRUE(server_.Start(data_dir_)) << server_.Log();
    api_ = std::make_unique<Api>(server_);
    ASSERT_EQ(api_->Login("admin", admin_password_, &admin_).status, 200);
  }

  Answer Create(const std::string& name, const std::string& password,
                const std::string& site = "store-1") {
    return api_->Post(
        "/api/users", &admin_,
        {{"username", name}, {"password", password}, {"role", "site_manager"}, {"sites", {site}}});
  }
  Answer CreateText(const std::string& name, const std::string& password_literal) {
    return api_->PostText("/api/users", &admin_,
                          "{\"username\":\"" + name + "\",\"password\":" + password_literal +
                              ",\"role\":\"site_manager\",\"sites\":[\"store-1\"]}");
  }
  Answer LoginText(const std::string& name, const std::string& password_literal) {
    return api_->PostText("/api/login", nullptr,
                          "{\"username\":\"" + name + "\",\"password\":" + password_literal + "}");
  }
  CliResult CliAdd(const std::string& name, const std::string& password,
                   const std::string& site = "store-1") {
    return RunCli({"user", "add", "--data-dir", data_dir_, "--username", name, "--role",
                   "site_manager", "--site", site, "--password-stdin"},
                  password + "\n");
  }
  static std::string Error(const Answer& a) {
    json j = a.Json();
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : a.body;
  }

  TempDir tmp_;
  std::string data_dir_ = tmp_.path() + "/central";
  CentralProcess server_;
  std::unique_ptr<Api> api_;
  Session admin_;
  std::string admin_password_;
};

TEST_F(AccountsTest, WeakPasswordsAreRefusedWithTheReasonAtApiAndCli) {
  const std::vector<std::pair<std::string, std::string>> weak = {
      {"aaaaaaaaaaaa", "uses only 1 character"},  {"sunflowers12", "dictionary word"},
      {"Xk4#mP", "a password needs at least 12"}, {"store1.manager", "user name"},
      {"password1234", "too easy to guess"},
  };
  for (const auto& [password, reason] : weak) {
    SCOPED_TRACE(password);
    Answer a = Create("store1.manager", password);
    EXPECT_EQ(a.status, 400) << a.body;
    EXPECT_NE(Error(a).find(reason), std::string::npos) << Error(a);
    EXPECT_NE(Error(a).find("password refused"), std::string::npos) << Error(a);
    CliResult c = CliAdd("store1.manager", password);
    EXPECT_EQ(c.exit_code, 1);
    EXPECT_NE(c.err.find(reason), std::string::npos) << c.err;
  }
  // None of them made a user.
  EXPECT_EQ(api_->Login("store1.manager", "sunflowers12").status, 401);
  const std::string users = api_->Get("/api/users", &admin_).body;
  EXPECT_EQ(users.find("store1.manager"), std::string::npos) << users;
}

TEST_F(AccountsTest, OneLengthLimitForCreateAndLoginInEveryEncoding) {
  const std::string limit = "at most " + std::to_string(kMaxPasswordChars) + " characters";
  // Plain text: exactly the limit works for create and login; one more is
  // refused by both with the same words.
  const std::string max = Strong(kMaxPasswordChars);
  ASSERT_EQ(Create("plain", max).status, 200);
  EXPECT_EQ(api_->Login("plain", max).status, 200);
  for (const std::string& over : {Strong(kMaxPasswordChars + 1), std::string(60000, 'a')}) {
    SCOPED_TRACE(over.size());
    Answer c = Create("plain2", over);
    EXPECT_EQ(c.status, 400);
    EXPECT_NE(Error(c).find(limit), std::string::npos) << Error(c);
    Answer l = api_->Login("plain", over);
    EXPECT_EQ(l.status, 400);
    EXPECT_NE(Error(l).find(limit), std::string::npos) << Error(l);
  }
  // \u escapes: the limit counts the decoded characters, not the bytes sent.
  const std::string emax = Strong(kMaxPasswordChars);
  ASSERT_EQ(CreateText("escaped", Escaped(emax)).status, 200);
  EXPECT_EQ(LoginText("escaped", Escaped(emax)).status, 200);
  EXPECT_EQ(api_->Login("escaped", emax).status, 200);  // the same password
  const std::string eover = Strong(kMaxPasswordChars + 1);
  Answer ec = CreateText("escaped2", Escaped(eover));
  EXPECT_EQ(ec.status, 400);
  EXPECT_NE(Error(ec).find(limit), std::string::npos) << Error(ec);
  Answer el = LoginText("escaped", Escaped(eover));
  EXPECT_EQ(el.status, 400);
  EXPECT_NE(Error(el).find(limit), std::string::npos) << Error(el);
  // 60 000 \u0061: 360 000 bytes on the wire, refused before it is read.
  EXPECT_EQ(CreateText("escaped3", Escaped(std::string(60000, 'a'))).status, 413);
  EXPECT_EQ(LoginText("escaped", Escaped(std::string(60000, 'a'))).status, 413);
  // Multi-byte UTF-8, and emoji as \ud83d\ude42 surrogate pairs: characters, not bytes.
  const std::string wide = Wide(kMaxPasswordChars);
  ASSERT_GT(wide.size(), 2 * kMaxPasswordChars);
  Answer w = Create("wide", wide);
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(api_->Login("wide", wide).status, 200);
  EXPECT_EQ(LoginText("wide", json(wide).dump(-1, ' ', true)).status, 200);  // \u escaped
  Answer wo = Create("wide2", Wide(kMaxPasswordChars + 1));
  EXPECT_EQ(wo.status, 400);
  EXPECT_NE(Error(wo).find(limit), std::string::npos) << Error(wo);
  EXPECT_EQ(api_->Login("wide", Wide(kMaxPasswordChars + 1)).status, 400);
  // The CLI has the same limit.
  CliResult cli_max = CliAdd("cli.max", max);
  EXPECT_EQ(cli_max.exit_code, 0) << cli_max.err;
  EXPECT_EQ(api_->Login("cli.max", max).status, 200);
  CliResult cli_over = CliAdd("cli.over", Strong(kMaxPasswordChars + 1));
  EXPECT_EQ(cli_over.exit_code, 1);
  EXPECT_NE(cli_over.err.find(limit), std::string::npos) << cli_over.err;
}

TEST_F(AccountsTest, UserNamesIgnoreCase) {
  const std::string pw = Strong(16);
  ASSERT_EQ(Create("SM1", pw).status, 200);
  Answer again = Create("sm1", Strong(16), "store-2");
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(Error(again).find("already exists"), std::string::npos) << Error(again);
  CliResult cli = CliAdd("sM1", Strong(16));
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_NE(cli.err.find("already exists"), std::string::npos) << cli.err;
  // Login in any case is that user, spelled as created.
  Session s;
  Answer login = api_->Login("sm1", pw, &s);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.Json()["user"]["username"], "SM1");
  EXPECT_EQ(api_->Get("/api/me", &s).Json()["user"]["sites"], json::array({"store-1"}));
  EXPECT_EQ(api_->Login("Sm1", pw).status, 200);
  // One user in the list.
  const Answer users = api_->Get("/api/users", &admin_);
  int listed = 0;
  const json list = users.Json();
  for (const json& u : list["users"]) {
    listed += SameUsername(u["username"].get<std::string>(), "sm1") ? 1 : 0;
  }
  EXPECT_EQ(listed, 1) << users.body;
  // Lookups: disabling "sm1" disables SM1 and ends its session at once.
  Answer dis = api_->Post("/api/users/sm1/disable", &admin_, json::object());
  ASSERT_EQ(dis.status, 200) << dis.body;
  EXPECT_EQ(dis.Json()["username"], "SM1");
  EXPECT_TRUE(dis.Json()["disabled"].get<bool>());
  EXPECT_EQ(api_->Get("/api/me", &s).status, 401);
  EXPECT_EQ(api_->Login("SM1", pw).status, 401);
  EXPECT_EQ(api_->Post("/api/users/Sm1/enable", &admin_, json::object()).status, 200);
  EXPECT_EQ(api_->Post("/api/users/ADMIN/disable", &admin_, json::object()).status, 400);
  // The failed-login lock counts every spelling as one user: the login while
  // disabled above was the first failure, these are the other four of five.
  for (const char* name : {"sm1", "Sm1", "sM1", "sm1"}) {
    EXPECT_EQ(api_->Login(name, "wrong-password-x").status, 401) << name;
  }
  EXPECT_EQ(api_->Login("SM1", pw).status, 429);
}

TEST_F(AccountsTest, UsersOnlyForExistingSites) {
  Answer one = Create("ghost.manager", Strong(16), "store-9");
  EXPECT_EQ(one.status, 400);
  EXPECT_NE(Error(one).find("site 'store-9' does not exist"), std::string::npos) << Error(one);
  Answer some = api_->Post("/api/users", &admin_,
                           {{"username", "ghost.regional"},
                            {"password", Strong(16)},
                            {"role", "regional_manager"},
                            {"sites", {"store-1", "nowhere"}}});
  EXPECT_EQ(some.status, 400);
  EXPECT_NE(Error(some).find("site 'nowhere' does not exist"), std::string::npos) << Error(some);
  CliResult cli = CliAdd("ghost.cli", Strong(16), "store-9");
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_NE(cli.err.find("site 'store-9' does not exist"), std::string::npos) << cli.err;
  const std::string users = api_->Get("/api/users", &admin_).body;
  EXPECT_EQ(users.find("ghost"), std::string::npos) << users;
  // Existing sites are fine.
  EXPECT_EQ(Create("real.manager", Strong(16), "store-2").status, 200);
}

TEST_F(AccountsTest, InitAndGeneratedPasswordsPassThePolicy) {
  EXPECT_TRUE(CheckNewPassword(admin_password_, "admin").ok());
  CliResult r = RunCli({"user", "add", "--data-dir", data_dir_, "--username", "gen.user", "--role",
                        "site_manager", "--site", "store-1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string pw = PasswordFrom(r.out);
  EXPECT_TRUE(CheckNewPassword(pw, "gen.user").ok()) << pw;
  EXPECT_EQ(api_->Login("gen.user", pw).status, 200);
}

TEST_F(AccountsTest, UsersChangeTheirOwnPasswordUnderTheSameRules) {
  const std::string old_pw = Strong(16);
  ASSERT_EQ(Create("ana.lopez", old_pw).status, 200);
  Session mine, other;
  ASSERT_EQ(api_->Login("ana.lopez", old_pw, &mine).status, 200);
  ASSERT_EQ(api_->Login("ANA.LOPEZ", old_pw, &other).status, 200);
  auto change = [&](const std::string& current, const std::string& next) {
    return api_->Post("/api/me/password", &mine,
                      {{"current_password", current}, {"new_password", next}});
  };
  Answer wrong = change("not-the-password", Strong(16));
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(Error(wrong).find("current password is wrong"), std::string::npos) << wrong.body;
  Answer weak = change(old_pw, "sunflowers12");
  EXPECT_EQ(weak.status, 400);
  EXPECT_NE(Error(weak).find("dictionary word"), std::string::npos) << weak.body;
  Answer same = change(old_pw, old_pw);
  EXPECT_EQ(same.status, 400);
  EXPECT_NE(Error(same).find("password refused"), std::string::npos) << same.body;
  Answer longer = change(old_pw, Strong(kMaxPasswordChars + 1));
  EXPECT_EQ(longer.status, 400);
  EXPECT_NE(Error(longer).find("at most " + std::to_string(kMaxPasswordChars)), std::string::npos);
  EXPECT_EQ(api_->Post("/api/me/password", &mine, {{"new_password", Strong(16)}}).status, 400);
  // Without the CSRF token nothing changes.
  EXPECT_EQ(api_->Post("/api/me/password", &mine,
                       {{"current_password", old_pw}, {"new_password", Strong(16)}}, false)
                .status,
            403);

  const std::string new_pw = Strong(kMaxPasswordChars);
  Answer ok = change(old_pw, new_pw);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(api_->Get("/api/me", &mine).status, 200);   // this session goes on
  EXPECT_EQ(api_->Get("/api/me", &other).status, 401);  // every other one ended
  EXPECT_EQ(api_->Login("ana.lopez", old_pw).status, 401);
  EXPECT_EQ(api_->Login("ana.lopez", new_pw).status, 200);

  // The operator's way back in: the CLI, same rules, every session ends.
  CliResult cli_weak = RunCli({"user", "set-password", "--data-dir", data_dir_, "--username",
                               "Ana.Lopez", "--password-stdin"},
                              "aaaaaaaaaaaa\n");
  EXPECT_EQ(cli_weak.exit_code, 1);
  EXPECT_NE(cli_weak.err.find("uses only 1 character"), std::string::npos) << cli_weak.err;
  CliResult cli =
      RunCli({"user", "set-password", "--data-dir", data_dir_, "--username", "ANA.lopez"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const std::string generated = PasswordFrom(cli.out);
  EXPECT_TRUE(CheckNewPassword(generated, "ana.lopez").ok()) << generated;
  EXPECT_EQ(api_->Get("/api/me", &mine).status, 401);
  EXPECT_EQ(api_->Login("ana.lopez", new_pw).status, 401);
  EXPECT_EQ(api_->Login("ana.lopez", generated).status, 200);
}

// Enrolls with the given key (the harness's Enroll makes a new one each time).
HttpAnswer EnrollWithKey(httplib::Client& client, const std::string& token_text,
                         const Ed25519PrivateKey& key) {
  protocol::EnrollRequest req{protocol::ParseEnrollmentToken(token_text).value().SecretText(),
                              key.public_key_bytes(), "kiosk", "test-host"};
  auto res =
      client.Post(std::string(protocol::kEnrollPath), protocol::ToJson(req), "application/json");
  if (!res) return {};
  return {res->status, res->body};
}

TEST_F(AccountsTest, RevokedDeviceKeyCannotEnrollAgain) {
  httplib::Client client = server_.Client();
  const Ed25519PrivateKey key = Ed25519PrivateKey::Generate().value();
  HttpAnswer first = EnrollWithKey(client, MakeToken(data_dir_, "store-1"), key);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string device_id = json::parse(first.body)["device_id"].get<std::string>();
  ASSERT_EQ(RunCli({"revoke", "--data-dir", data_dir_, device_id}).exit_code, 0);

  const std::string fresh = MakeToken(data_dir_, "store-1");
  HttpAnswer again = EnrollWithKey(client, fresh, key);
  EXPECT_EQ(again.status, 403) << again.body;
  EXPECT_NE(again.body.find("revoked"), std::string::npos) << again.body;
  EXPECT_NE(again.body.find(device_id), std::string::npos) << again.body;
  CentralDb db(data_dir_);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM devices"), 1);
  // The refused attempt did not spend the token: a new key enrolls with it.
  HttpAnswer other = EnrollWithKey(client, fresh, Ed25519PrivateKey::Generate().value());
  EXPECT_EQ(other.status, 200) << other.body;
}

// A store of the previous release (schema v2) holding "SM1" and "sm1": every
// command refuses it, naming both and the fix; `user rename` is that fix, and
// afterwards the store upgrades and both people log in.
TEST(AccountsMigrationTest, CaseDuplicatesAreRefusedUntilRenamed) {
  TempDir tmp;
  const std::string data_dir = tmp.path() + "/central";
  ASSERT_EQ(InitCentral(data_dir).exit_code, 0);
  const std::string db_path = data_dir + "/central.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
  const std::string cmd = "gzip -dc '" + std::string(FEEDBACK_TEST_DATA_DIR) +
                          "/central-store-v2.db.gz' > '" + db_path + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::filesystem::permissions(
      db_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const std::string pw_upper = Strong(16), pw_lower = Strong(16);
  {
    Database db = Database::Open(db_path).value();
    for (const auto& [name, pw, site] :
         {std::tuple{"SM1", pw_upper, "site-01"}, std::tuple{"sm1", pw_lower, "site-02"}}) {
      ASSERT_TRUE(db.Prepare("INSERT INTO users(username, password_hash, role, created_at) "
                             "VALUES (?, ?, 'site_manager', 1)")
                      ->Bind(1, name)
                      .Bind(2, HashPassword(pw).value())
                      .Run()
                      .ok());
      ASSERT_TRUE(db.Prepare("INSERT INTO user_sites(username, site_id) VALUES (?, ?)")
                      ->Bind(1, name)
                      .Bind(2, site)
                      .Run()
                      .ok());
    }
    ASSERT_TRUE(db.Exec("UPDATE sites SET followup_owner = 'SM1' WHERE site_id = 'site-01'").ok());
  }
  CliResult refused = RunCli({"user", "list", "--data-dir", data_dir});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("'SM1' and 'sm1'"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("feedback-central user rename --data-dir " + data_dir +
                             " --username SM1 --to SM1-2"),
            std::string::npos)
      << refused.err;
  CentralProcess server;
  EXPECT_FALSE(server.Start(data_dir));
  {
    CentralDb db(data_dir);  // nothing was migrated
    EXPECT_EQ(db.Int("SELECT MAX(version) FROM schema_migrations"), 2);
  }
  CliResult clash =
      RunCli({"user", "rename", "--data-dir", data_dir, "--username", "SM1", "--to", "SM1"});
  EXPECT_EQ(clash.exit_code, 1);
  EXPECT_NE(clash.err.find("'sm1' already exists"), std::string::npos) << clash.err;
  CliResult renamed =
      RunCli({"user", "rename", "--data-dir", data_dir, "--username", "SM1", "--to", "SM1-2"});
  ASSERT_EQ(renamed.exit_code, 0) << renamed.err;
  CliResult list = RunCli({"user", "list", "--data-dir", data_dir, "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("\"SM1-2\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"sm1\""), std::string::npos) << list.out;
  {
    CentralDb db(data_dir);
    EXPECT_EQ(db.Int("SELECT MAX(version) FROM schema_migrations"), 6);
    EXPECT_EQ(db.Int("SELECT COUNT(*) FROM sites WHERE followup_owner = 'SM1-2'"), 1);
    EXPECT_EQ(db.Int("SELECT COUNT(*) FROM user_sites WHERE username = 'SM1-2' AND site_id = "
                     "'site-01'"),
              1);
  }
  ASSERT_TRUE(server.Start(data_dir)) << server.Log();
  Api api(server);
  Answer upper = api.Login("sm1-2", pw_upper);
  ASSERT_EQ(upper.status, 200) << upper.body;
  EXPECT_EQ(upper.Json()["user"]["sites"], json::array({"site-01"}));
  Answer lower = api.Login("SM1", pw_lower);
  ASSERT_EQ(lower.status, 200) << lower.body;
  EXPECT_EQ(lower.Json()["user"]["username"], "sm1");
  EXPECT_EQ(lower.Json()["user"]["sites"], json::array({"site-02"}));
}

}  // namespace
}  // namespace feedback::central::testing
