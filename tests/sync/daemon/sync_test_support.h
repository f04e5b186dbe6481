// Helpers for the sync daemon's tests: a self-signed TLS certificate made with
// OpenSSL inside the test (so pinning is tested against a real handshake),
// valid retail-kiosk records (as the kiosk would capture them), and a small
// in-process fake of the central store's sync endpoints on cpp-httplib, bound
// to 127.0.0.1 on a free port, that verifies signatures, remembers batch
// digests per seq (replays answered as the protocol says) and stores records
// by id. The real feedback-central is exercised in tests/sync/e2e.
//
// Threading: FakeCentral's handlers run on httplib's threads; its state is
// behind a mutex. Everything else is plain test code.
#pragma once

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "core/bytes.h"
#include "core/uuid.h"
#include "daemon/curl_transport.h"
#include "model/record.h"
#include "protocol/batch_codec.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "protocol/request_signing.h"
#include "protocol/sha256.h"

namespace feedback::sync::testing {

struct TestCert {
  std::string cert_path;
  std::string key_path;
  std::string fingerprint;  // hex SHA-256 of the DER
};

struct EvpPkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

// A self-signed P-256 certificate for CN=127.0.0.1, written as PEM files in dir.
inline TestCert MakeSelfSignedCert(const std::string& dir, const std::string& name) {
  TestCert out{dir + "/" + name + ".crt", dir + "/" + name + ".key", ""};
  std::unique_ptr<EVP_PKEY, EvpPkeyFree> key(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (!key || !cert) return out;
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()),
                   static_cast<long>(std::random_device{}() & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  X509_sign(cert.get(), key.get(), EVP_sha256());
  if (FILE* f = std::fopen(out.cert_path.c_str(), "w")) {
    PEM_write_X509(f, cert.get());
    std::fclose(f);
  }
  if (FILE* f = std::fopen(out.key_path.c_str(), "w")) {
    PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
  }
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert.get(), &der);
  if (len > 0) {
    out.fingerprint = CertificateFingerprint(ByteView(der, static_cast<size_t>(len)));
    OPENSSL_free(der);
  }
  return out;
}

// A complete record of assets/surveys/retail_kiosk.json v1 with scores, a
// comment and sometimes a hero story (sensitive fields, so it gets sealed).
inline FeedbackRecord MakeKioskRecord(UuidGenerator& ids, std::mt19937& rng,
                                      const std::string& device_id, const std::string& site_id,
                                      const std::string& comment = "") {
  FeedbackRecord r;
  r.id = ids.NextV7().ToString();
  r.survey_id = "retail_kiosk";
  r.survey_version = 1;
  r.device_id = device_id;
  r.site_id = site_id;
  r.channel = Channel::kKiosk;
  r.started_at = 1'700'000'000'000 + static_cast<TimeMs>(rng() % 100'000'000);
  r.submitted_at = r.started_at + 12'000 + static_cast<TimeMs>(rng() % 20'000);
  r.locale = rng() % 4 == 0 ? "es" : "en";
  const int nps = static_cast<int>(rng() % 11);
  r.answers.push_back({"nps", nps, {}, {}});
  for (const char* q : {"greeting", "speed", "cleanliness"}) {
    r.answers.push_back({q, 1 + static_cast<int>(rng() % 5), {}, {}});
  }
  if (!comment.empty()) {
    r.answers.push_back({"comment", std::nullopt, {}, comment});
  } else if (rng() % 2 == 0) {
    r.answers.push_back({"comment",
                         std::nullopt,
                         {},
                         "Quick checkout, friendly staff #" + std::to_string(rng() % 1000)});
  }
  if (rng() % 5 == 0) r.hero = Hero{"", "Maria", "She found my lost keys"};
  return r;
}

// The fake central store. Behaviour can be scripted per request with
// `next_statuses` (each POST /api/v1/batches pops one; 0 = behave normally)
// and `ingest_then_fail` (store the batch, then answer 503: a lost answer).
class FakeCentral {
 public:
  explicit FakeCentral(Bytes device_public_key, std::string device_id, std::string site_id,
                       const TestCert* tls = nullptr)
      : device_public_key_(std::move(device_public_key)),
        device_id_(std::move(device_id)),
        site_id_(std::move(site_id)) {
    if (tls != nullptr) {
      server_ = std::make_unique<httplib::SSLServer>(tls->cert_path.c_str(), tls->key_path.c_str());
    } else {
      server_ = std::make_unique<httplib::Server>();
    }
    server_->Post(
        std::string(protocol::kBatchesPath),
        [this](const httplib::Request& req, httplib::Response& res) { OnBatch(req, res); });
    server_->Get(
        std::string(protocol::kDeviceStatePath),
        [this](const httplib::Request& req, httplib::Response& res) { OnState(req, res); });
    server_->Post(
        std::string(protocol::kEnrollPath),
        [this](const httplib::Request& req, httplib::Response& res) { OnEnroll(req, res); });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~FakeCentral() {
    server_->stop();
    thread_.join();
  }
  FakeCentral(const FakeCentral&) = delete;
  FakeCentral& operator=(const FakeCentral&) = delete;

  std::string url(bool https = false) const {
    return std::string(https ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }

  // Scripting, all under mu.
  std::mutex mu;
  std::vector<int> next_statuses;  // popped front-first for batch POSTs
  std::string retry_after = "1";   // for scripted 429s
  bool ingest_then_fail = false;   // one-shot
  int64_t conflict_last_seq = -1;  // >= 0: answer 409 with this last_seq once
  protocol::DeviceState state;
  Bytes enroll_hpke_key = Bytes(32, 7);
  // Called (under mu) for each correctly signed batch as it arrives, before
  // it is ingested: lets a test look at the device's DB at that moment.
  std::function<void(const protocol::Batch& batch, const std::string& body)> on_batch;

  // Observations, under mu.
  std::map<std::string, nlohmann::json> records;  // by id: pub
  std::map<std::string, Bytes> sealed;            // by id
  std::map<int64_t, Bytes> digests;               // by seq
  int64_t last_seq = 0;
  int batch_posts = 0;
  int duplicates = 0;
  int state_gets = 0;
  int bad_signatures = 0;
  std::vector<size_t> batch_sizes;  // bytes of each POST body
  std::vector<size_t> batch_record_counts;
  std::string enrolled_public_key;

 private:
  void OnBatch(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    ++batch_posts;
    batch_sizes.push_back(req.body.size());
    if (!next_statuses.empty()) {
      const int status = next_statuses.front();
      next_statuses.erase(next_statuses.begin());
      if (status != 0) {
        res.status = status;
        if (status == 429) res.set_header("Retry-After", retry_after);
        res.set_content(protocol::ErrorJson("scripted " + std::to_string(status)),
                        "application/json");
        return;
      }
    }
    Result<protocol::DecodedBatch> decoded = protocol::DecodeBatch(AsBytes(req.body));
    if (!decoded.ok()) {
      res.status = 400;
      res.set_content(protocol::ErrorJson(decoded.status().message()), "application/json");
      return;
    }
    if (!protocol::VerifyBatch(*decoded, device_public_key_).ok() ||
        decoded->batch.device_id != device_id_) {
      ++bad_signatures;
      res.status = 401;
      res.set_content(protocol::ErrorJson("bad signature"), "application/json");
      return;
    }
    if (on_batch) on_batch(decoded->batch, req.body);
    if (conflict_last_seq >= 0) {
      res.status = 409;
      res.set_content("{\"error\":\"sequence conflict\",\"last_seq\":" +
                          std::to_string(conflict_last_seq) + "}",
                      "application/json");
      last_seq = std::max(last_seq, conflict_last_seq);
      conflict_last_seq = -1;
      return;
    }
    const protocol::Batch& batch = decoded->batch;
    if (batch.seq <= last_seq) {
      auto it = digests.find(batch.seq);
      if (it != digests.end() && it->second == decoded->digest) {
        res.set_content(protocol::ToJson(protocol::BatchAck{
                            batch.seq, 0, static_cast<int64_t>(batch.records.size()), 0}),
                        "application/json");
      } else {
        res.status = 409;
        res.set_content(
            "{\"error\":\"sequence conflict\",\"last_seq\":" + std::to_string(last_seq) + "}",
            "application/json");
      }
      return;
    }
    protocol::BatchAck ack{batch.seq, 0, 0, 0};
    for (const protocol::BatchRecord& r : batch.records) {
      const std::string id = r.pub.value("id", "");
      if (records.count(id) != 0) {
        ++ack.duplicates;
        ++duplicates;
        continue;
      }
      records[id] = r.pub;
      sealed[id] = r.sealed;
      ++ack.stored;
    }
    batch_record_counts.push_back(batch.records.size());
    digests[batch.seq] = decoded->digest;
    last_seq = batch.seq;
    if (ingest_then_fail) {
      ingest_then_fail = false;
      res.status = 503;
      res.set_content(protocol::ErrorJson("answer lost"), "application/json");
      return;
    }
    res.set_content(protocol::ToJson(ack), "application/json");
  }

  void OnState(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    Result<Ed25519PublicKey> key = Ed25519PublicKey::FromBytes(device_public_key_);
    Status verified = key.ok()
                          ? protocol::VerifyRequest(*key, "GET", req.path,
                                                    req.get_header_value("X-Feedback-Timestamp"),
                                                    req.get_header_value("X-Feedback-Signature"),
                                                    SystemClock::Instance().NowMs())
                          : key.status();
    if (!verified.ok() || req.get_header_value("X-Feedback-Device") != device_id_) {
      ++bad_signatures;
      res.status = 401;
      res.set_content(protocol::ErrorJson("bad request signature"), "application/json");
      return;
    }
    ++state_gets;
    res.set_content(protocol::ToJson(state), "application/json");
  }

  void OnEnroll(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    Result<protocol::EnrollRequest> er = protocol::ParseEnrollRequest(req.body);
    if (!er.ok() || er->token != expected_token_secret) {
      res.status = 401;
      res.set_content(protocol::ErrorJson("unknown or already used enrollment token"),
                      "application/json");
      return;
    }
    expected_token_secret.clear();  // one-time
    enrolled_public_key = Base64Encode(er->public_key);
    protocol::EnrollResponse answer{device_id_, site_id_, "", enroll_hpke_key, enroll_cert_sha256};
    res.set_content(protocol::ToJson(answer), "application/json");
  }

 public:
  std::string expected_token_secret;
  std::string enroll_cert_sha256;

 private:
  Bytes device_public_key_;
  std::string device_id_;
  std::string site_id_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace feedback::sync::testing
