// Fuzz target for the central store's device endpoints in process, with a
// real SQLite store in a temp folder (seeded: sites, surveys, roster,
// enrolled devices), a fixed clock and the real Ingestor:
//   mode 0  POST /api/v1/enroll body                  -> DeviceApi::Enroll
//   mode 1  GET /api/v1/device/state, headers as sent -> DeviceApi::DeviceState
//   mode 2  the same, but signed correctly by an enrolled device over the
//           fuzzed method, path and timestamp (gets past the signature check)
//   mode 3  POST /api/v1/batches body as sent          -> Ingestor::HandleBatch
//   mode 4  a batch whose decoded contents come from the input, re-signed by
//           an enrolled device with its next sequence number (reaches
//           opening, validation, quarantine and the commit)
// The first byte picks the mode; fields are split by 0x1f. Invariants: the
// answer is one of the statuses of docs/protocol.md with a JSON object body;
// a 200 batch answer accounts for every record exactly once
// (stored + duplicates + quarantined = records) and sending it again stores
// nothing new. Must never crash, hang or leak.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "capture/epoch_opener.h"
#include "core/clock.h"
#include "crypto/ed25519_private_key.h"
#include "crypto/x25519_key_pair.h"
#include "fuzz_central_store.h"
#include "fuzz_common.h"
#include "protocol/batch_codec.h"
#include "protocol/enrollment_token.h"
#include "protocol/messages.h"
#include "protocol/request_signing.h"
#include "sync/central/cli/seed.h"
#include "sync/central/ingest/device_api.h"
#include "sync/central/ingest/ingestor.h"
#include "sync/central/store/sqlite/sqlite_central_store.h"

using feedback::fuzz::Check;
using feedback::fuzz::Fields;
namespace fb = feedback;
namespace central = feedback::central;

namespace {

constexpr char kPin[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

struct Central {
  std::string dir;
  fb::FakeClock clock{1'767'225'600'000};  // 2026-01-01T00:00:00Z
  std::unique_ptr<central::SqliteCentralStore> store;
  std::optional<fb::EpochOpener> opener;
  std::unique_ptr<central::Ingestor> ingestor;
  std::unique_ptr<central::DeviceApi> api;
  // A device enrolled through the real endpoint, and its next batch seq.
  std::optional<fb::Ed25519PrivateKey> device_key;
  std::string device_id;
  std::string site_id;
  int64_t next_seq = 1;
};

Central& TheCentral() {
  static Central* c = [] {
    auto* central = new Central;
    feedback::fuzz::SeededStore& seeded =
        feedback::fuzz::OpenSeededStore("fuzz_device_api", 200, 7, central->clock.NowMs());
    central->dir = seeded.dir;
    central->store = std::move(seeded.store);
    auto hpke = fb::X25519KeyPair::FromPrivateKey(fb::Bytes(32, 0x11));
    Check(hpke.ok());
    const fb::Bytes hpke_public = hpke->public_key();
    central->opener.emplace(std::move(hpke).value());
    central->ingestor = std::make_unique<central::Ingestor>(*central->opener, central->clock);
    central->api =
        std::make_unique<central::DeviceApi>(*central->ingestor, central->clock, hpke_public, kPin);
    // Enroll the device that mode 2 and mode 4 sign with.
    auto key = fb::Ed25519PrivateKey::FromSeed(fb::Bytes(32, 0x22));
    Check(key.ok());
    central->device_key.emplace(std::move(key).value());
    auto token = fb::protocol::GenerateEnrollmentToken(kPin);
    Check(token.ok());
    central::EnrollmentTokenRow row{fb::protocol::TokenSecretHash(token->secret),
                                    "site-01",
                                    "kiosk",
                                    "",
                                    central->clock.NowMs(),
                                    central->clock.NowMs() + 3'600'000};
    Check(central->store->InsertEnrollmentToken(row).ok());
    fb::protocol::EnrollRequest req{token->SecretText(), central->device_key->public_key_bytes(),
                                    "kiosk", "fuzz"};
    central::ApiResponse enrolled =
        central->api->Enroll(*central->store, fb::protocol::ToJson(req));
    Check(enrolled.status == 200);
    auto answer = fb::protocol::ParseEnrollResponse(enrolled.body);
    Check(answer.ok());
    central->device_id = answer->device_id;
    central->site_id = answer->site_id;
    return central;
  }();
  return *c;
}

void CheckAnswer(const central::ApiResponse& r) {
  static const std::set<int> kStatuses = {200, 400, 401, 403, 404, 405, 409, 413, 429, 503};
  Check(kStatuses.contains(r.status));
  const nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  Check(body.is_object());
  if (r.status != 200) Check(body.contains("error"));
}

void Batch(Central& c, fb::ByteView body, size_t records) {
  central::ApiResponse r = c.api->Batch(*c.store, body);
  CheckAnswer(r);
  if (r.status != 200) return;
  auto ack = fb::protocol::ParseBatchAck(r.body);
  Check(ack.ok());
  if (records > 0)
    Check(ack->stored + ack->duplicates + ack->quarantined == static_cast<int64_t>(records));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Central& c = TheCentral();
  Fields in(data, size);
  const uint8_t mode = in.NextByte() % 5;
  switch (mode) {
    case 0:
      CheckAnswer(c.api->Enroll(*c.store, in.Rest()));
      break;
    case 1: {
      const std::string_view method = in.Next();
      const std::string_view path = in.Next();
      central::SignedHeaders h;
      h.device_id = std::string(in.Next());
      h.timestamp = std::string(in.Next());
      h.signature = std::string(in.Rest());
      CheckAnswer(c.api->DeviceState(*c.store, method, path, h));
      break;
    }
    case 2: {
      const std::string method(in.Next());
      const std::string path(in.Next());
      const std::string_view skew = in.Rest();
      // The timestamp: now, or now shifted by the input's bytes (skew checks).
      int64_t shift = 0;
      for (char ch : skew.substr(0, 4)) shift = shift * 256 + static_cast<uint8_t>(ch);
      auto signed_headers = fb::protocol::SignRequest(*c.device_key, c.device_id, method, path,
                                                      c.clock.NowMs() + shift - (1LL << 31));
      if (!signed_headers.ok()) break;
      central::SignedHeaders h{signed_headers->device_id, signed_headers->timestamp,
                               signed_headers->signature};
      central::ApiResponse r = c.api->DeviceState(*c.store, method, path, h);
      CheckAnswer(r);
      if (r.status == 200) Check(fb::protocol::ParseDeviceState(r.body).ok());
      break;
    }
    case 3: {
      const std::string_view body = in.Rest();
      Batch(c, fb::ByteView(reinterpret_cast<const uint8_t*>(body.data()), body.size()), 0);
      break;
    }
    default: {
      const std::string_view body = in.Rest();
      auto decoded = fb::protocol::DecodeBatch(
          fb::ByteView(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
      if (!decoded.ok()) break;
      fb::protocol::Batch b = decoded->batch;
      b.device_id = c.device_id;
      b.site_id = c.site_id;
      b.seq = c.next_seq;
      b.created = c.clock.NowMs();
      auto envelope = fb::protocol::EncodeBatch(b, *c.device_key);
      if (!envelope.ok()) break;
      central::ApiResponse r = c.api->Batch(*c.store, *envelope);
      CheckAnswer(r);
      if (r.status != 200) break;
      ++c.next_seq;
      auto ack = fb::protocol::ParseBatchAck(r.body);
      Check(ack.ok() && ack->seq == b.seq);
      Check(ack->stored + ack->duplicates + ack->quarantined ==
            static_cast<int64_t>(b.records.size()));
      // The same batch again is a replay: the same answer, nothing stored twice.
      central::ApiResponse again = c.api->Batch(*c.store, *envelope);
      CheckAnswer(again);
      Check(again.status == 200);
      auto ack2 = fb::protocol::ParseBatchAck(again.body);
      Check(ack2.ok() && *ack2 == *ack);
      break;
    }
  }
  return 0;
}
