// A dashboard API client for tests against a real feedback-central: log in
// (keeps the session cookie and CSRF token), GET and POST with them, and the
// CLI helpers that read the passwords `init` and `user add` print. One test
// thread per client.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "central_harness.h"

namespace feedback::central::testing {

using nlohmann::json;

inline std::string PasswordFrom(const std::string& out) {
  const std::string key = "password: ";
  const size_t p = out.find(key);
  if (p == std::string::npos) return "";
  std::string pw = out.substr(p + key.size());
  return pw.substr(0, pw.find('\n'));
}

inline std::string AdminPassword(const std::string& init_out) {
  const std::string key = "admin password:";
  size_t p = init_out.find(key);
  if (p == std::string::npos) return "";
  p = init_out.find_first_not_of(' ', p + key.size());
  return init_out.substr(p, init_out.find('\n', p) - p);
}

inline std::string AddUser(const std::string& data_dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"user", "add", "--data-dir", data_dir});
  CliResult r = RunCli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return PasswordFrom(r.out);
}

struct Session {
  std::string cookie;
  std::string csrf;
};

struct Answer {
  int status = -1;
  std::string body;
  httplib::Headers headers;
  json Json() const { return json::parse(body, nullptr, false); }
};

class Api {
 public:
  explicit Api(const CentralProcess& p) : client_(p.Client()) {}

  Answer Login(const std::string& user, const std::string& pw, Session* s = nullptr) {
    auto res = client_.Post("/api/login", json{{"username", user}, {"password", pw}}.dump(),
                            "application/json");
    if (!res) return {};
    Answer a{res->status, res->body, res->headers};
    if (s != nullptr && res->status == 200) {
      const std::string c = res->get_header_value("Set-Cookie");
      s->cookie = c.substr(0, c.find(';'));
      s->csrf = a.Json()["csrf_token"].get<std::string>();
    }
    return a;
  }
  Answer Get(const std::string& path, const Session* s) {
    httplib::Headers h;
    if (s != nullptr) h.emplace("Cookie", s->cookie);
    auto res = client_.Get(path.c_str(), h);
    if (!res) return {};
    return {res->status, res->body, res->headers};
  }
  Answer Post(const std::string& path, const Session* s, const json& body, bool csrf = true,
              const std::string& csrf_value = "") {
    return PostText(path, s, body.dump(), csrf, csrf_value);
  }
  // The body exactly as given (e.g. JSON with \u escapes the library would not write).
  Answer PostText(const std::string& path, const Session* s, const std::string& body,
                  bool csrf = true, const std::string& csrf_value = "") {
    httplib::Headers h;
    if (s != nullptr) h.emplace("Cookie", s->cookie);
    if (s != nullptr && csrf) h.emplace("X-CSRF-Token", csrf_value.empty() ? s->csrf : csrf_value);
    auto res = client_.Post(path.c_str(), h, body, "application/json");
    if (!res) return {};
    return {res->status, res->body, res->headers};
  }

 private:
  httplib::Client client_;
};

}  // namespace feedback::central::testing
