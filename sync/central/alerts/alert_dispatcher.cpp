#include "sync/central/alerts/alert_dispatcher.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

namespace feedback::central {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using SlistHandle = std::unique_ptr<curl_slist, SlistDeleter>;

constexpr long kTimeoutS = 15;
constexpr std::string_view kCloneEvent = "device.possible_clone";
constexpr TimeMs kRetryDelaysMs[] = {60'000, 300'000, 1'800'000, 7'200'000,
                                     7'200'000, 7'200'000, 7'200'000};

std::string DashboardLink(const AlertRules& rules, const std::string& fragment) {
  std::string base = rules.dashboard_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/dashboard/#/" + fragment;
}

std::string Link(const FollowUp& f, const AlertRules& rules) {
  return DashboardLink(rules, "followups/" + f.followup_id);
}

// Header values come from our own settings; strip line breaks all the same.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s;
}

struct UploadSource {
  const std::string* text;
  size_t pos = 0;
};

size_t ReadUpload(char* buf, size_t size, size_t n, void* user) {
  auto* src = static_cast<UploadSource*>(user);
  const size_t room = size * n;
  const size_t left = src->text->size() - src->pos;
  const size_t take = left < room ? left : room;
  std::memcpy(buf, src->text->data() + src->pos, take);
  src->pos += take;
  return take;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

AlertMessage BuildEmail(const FollowUp& f, const Site& site, const AlertRules& rules) {
  AlertMessage m;
  m.link = Link(f, rules);
  const std::string site_name = site.name.empty() ? f.site_id : site.name;
  // The subject names the site and the rule, never the customer's words.
  m.subject = OneLine("[Feedback] Follow-up needed at " + site_name + " (" + f.reason + ")");
  m.body = "A customer at " + site_name +
           " asked to be contacted after an unhappy visit (" + f.reason + ").\r\n\r\n" +
           "Open the dashboard to read the feedback and the contact details:\r\n" + m.link +
           "\r\n\r\n" +
           (f.due_at ? "Please get in touch before " + FormatIso8601(*f.due_at) + ".\r\n\r\n"
                     : std::string()) +
           "-- feedback-central\r\n";
  return m;
}

std::string BuildWebhookJson(const FollowUp& f, const AlertRules& rules) {
  nlohmann::json j{{"event", "followup.opened"},
                   {"followup_id", f.followup_id},
                   {"site_id", f.site_id},
                   {"team", f.team},
                   {"reason", f.reason},
                   {"owner", f.owner ? nlohmann::json(*f.owner) : nlohmann::json(nullptr)},
                   {"due_at", f.due_at ? nlohmann::json(FormatIso8601(*f.due_at))
                                       : nlohmann::json(nullptr)},
                   {"url", Link(f, rules)}};
  return j.dump();
}

AlertMessage BuildCloneEmail(const Device& d, const Site& site, const AlertRules& rules) {
  AlertMessage m;
  m.link = DashboardLink(rules, "devices");
  const std::string site_name = site.name.empty() ? d.site_id : site.name;
  m.subject = OneLine("[Feedback] Possible cloned device key: " + d.device_id + " at " + site_name);
  m.body = "The device " + d.device_id + " (" + d.kind + (d.hostname.empty() ? "" : ", " + d.hostname) +
           ") at " + site_name + " was marked \"possible clone\": " + d.possible_clone_reason +
           ".\r\n\r\nSee the Devices page:\r\n" + m.link + "\r\n\r\n-- feedback-central\r\n";
  return m;
}

std::string BuildCloneWebhookJson(const Device& d, const AlertRules& rules) {
  nlohmann::json j{{"event", "device.possible_clone"},
                   {"device_id", d.device_id},
                   {"site_id", d.site_id},
                   {"kind", d.kind},
                   {"team", d.team},
                   {"reason", d.possible_clone_reason},
                   {"since", d.possible_clone_at ? nlohmann::json(FormatIso8601(*d.possible_clone_at))
                                                 : nlohmann::json(nullptr)},
                   {"url", DashboardLink(rules, "devices")}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status SendSmtp(const std::string& relay_url, const std::string& from, const std::string& to,
                const AlertMessage& m) {
  CurlHandle curl(curl_easy_init());
  if (!curl) return Status::Internal("curl_easy_init failed");
  const std::string message = "From: <" + OneLine(from) + ">\r\nTo: <" + OneLine(to) +
                              ">\r\nSubject: " + m.subject +
                              "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                              "charset=utf-8\r\n\r\n" +
                              m.body;
  SlistHandle rcpt(curl_slist_append(nullptr, ("<" + OneLine(to) + ">").c_str()));
  UploadSource src{&message, 0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, relay_url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + OneLine(from) + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &src);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, kTimeoutS);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return Status::Unavailable("e-mail through " + relay_url + " failed: " +
                               curl_easy_strerror(rc) + "; check the site's mail relay");
  }
  return Status::Ok();
}

Status PostWebhook(const std::string& url, const std::string& json_body) {
  CurlHandle curl(curl_easy_init());
  if (!curl) return Status::Internal("curl_easy_init failed");
  SlistHandle headers(curl_slist_append(nullptr, "Content-Type: application/json"));
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, json_body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(json_body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, kTimeoutS);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return Status::Unavailable("webhook " + url + " failed: " + curl_easy_strerror(rc));
  }
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (code < 200 || code >= 300) {
    return Status::Unavailable("webhook " + url + " answered HTTP " + std::to_string(code));
  }
  return Status::Ok();
}

namespace {

std::string Subject(const Alert& a) {
  return a.event == kCloneEvent ? "device " + a.device_id : "follow-up " + a.followup_id;
}

const Site* FindSite(const std::vector<Site>& sites, const std::string& site_id) {
  for (const Site& s : sites) {
    if (s.site_id == site_id) return &s;
  }
  return nullptr;
}

// Sends one alert: its message built from the follow-up or the device it names.
Status Deliver(CentralStore& store, const Alert& a, const Result<AlertRules>& rules,
               const Result<std::vector<Site>>& sites) {
  if (!rules.ok()) return rules.status();
  if (!sites.ok()) return sites.status();
  std::string site_id;
  AlertMessage email;
  std::string webhook;
  if (a.event == kCloneEvent) {
    Result<Device> d = store.GetDevice(a.device_id);
    if (!d.ok()) return d.status();
    site_id = d->site_id;
    Site site;
    site.site_id = site_id;
    if (const Site* s = FindSite(*sites, site_id)) site = *s;
    email = BuildCloneEmail(*d, site, *rules);
    webhook = BuildCloneWebhookJson(*d, *rules);
  } else {
    Result<FollowUp> f = store.GetFollowUp(a.followup_id);
    if (!f.ok()) return f.status();
    site_id = f->site_id;
    Site site;
    site.site_id = site_id;
    if (const Site* s = FindSite(*sites, site_id)) site = *s;
    email = BuildEmail(*f, site, *rules);
    webhook = BuildWebhookJson(*f, *rules);
  }
  if (a.kind != "email") return PostWebhook(a.target, webhook);
  const Site* site = FindSite(*sites, site_id);
  const std::string relay =
      site == nullptr || site->mail_relay_url.empty() ? rules->smtp_url : site->mail_relay_url;
  if (relay.empty()) {
    return Status::InvalidArgument("no mail relay configured for site " + site_id);
  }
  return SendSmtp(relay, rules->mail_from, a.target, email);
}

}  // namespace

void AlertDispatcher::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void AlertDispatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertDispatcher::Loop() {
  while (true) {
    RunOnce();
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] { return stop_; })) {
      return;
    }
  }
}

int AlertDispatcher::RunOnce() {
  Result<CentralStorePool::Lease> store = pool_.Acquire();
  if (!store.ok()) return 0;
  const TimeMs now = clock_.NowMs();
  Result<std::vector<Alert>> due = (*store)->ClaimDueAlerts(now, 120'000, 20);
  if (!due.ok()) {
    spdlog::warn("alerts: cannot read the queue: {}", due.status().message());
    return 0;
  }
  if (due->empty()) return 0;
  Result<AlertRules> rules = (*store)->GetAlertRules();
  Result<std::vector<Site>> sites = (*store)->ListSites();
  for (const Alert& a : *due) {
    const Status sent = Deliver(**store, a, rules, sites);
    std::optional<TimeMs> retry;
    if (!sent.ok() && a.attempts + 1 < kMaxAlertAttempts) {
      retry = clock_.NowMs() + kRetryDelaysMs[static_cast<size_t>(std::min(a.attempts, 6))];
    }
    if (sent.ok()) {
      spdlog::info("alerts: {} {} for {} sent", a.event, a.kind, Subject(a));
    } else {
      spdlog::warn("alerts: {} {} for {} failed (attempt {}): {}", a.event, a.kind, Subject(a),
                   a.attempts + 1, sent.message());
    }
    Status fin = (*store)->FinishAlert(a.alert_id, sent.ok(), sent.ok() ? "" : sent.message(),
                                       retry, clock_.NowMs());
    if (!fin.ok()) spdlog::warn("alerts: cannot record the outcome: {}", fin.message());
  }
  return static_cast<int>(due->size());
}

}  // namespace feedback::central
