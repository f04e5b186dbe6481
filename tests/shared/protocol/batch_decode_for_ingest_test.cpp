// DecodeBatchForIngest: public parts in the form a device sends are read
// straight into records, anything else is left to DecodeBatch - so for every
// input the answer is DecodeBatch's (same errors, same batch, with
// pub == RecordToJson(*parsed) where it read a record).
#include <gtest/gtest.h>
#include <zstd.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "protocol/batch_codec.h"
#include "protocol/limits.h"

namespace feedback::protocol {
namespace {

using nlohmann::json;

const Ed25519PrivateKey& Key() {
  static const Ed25519PrivateKey key = Ed25519PrivateKey::FromSeed(Bytes(32, 7)).value();
  return key;
}

Bytes Compress(ByteView data) {
  Bytes out(ZSTD_compressBound(data.size()));
  const size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

// A signed envelope around any MessagePack.
Bytes EnvelopeOfMsgpack(ByteView packed) {
  const Bytes payload = Compress(packed);
  Bytes out = ToBytes(kBatchMagic);
  out.push_back(kBatchFormatVersion);
  const auto n = static_cast<uint32_t>(payload.size());
  for (int shift : {24, 16, 8, 0}) out.push_back(static_cast<uint8_t>(n >> shift));
  out.insert(out.end(), payload.begin(), payload.end());
  Bytes msg = ToBytes(kBatchSignatureDomain);
  msg.insert(msg.end(), out.begin(), out.end());
  const Bytes sig = Key().Sign(msg).value();
  out.insert(out.end(), sig.begin(), sig.end());
  return out;
}

Bytes EnvelopeOf(const json& obj) { return EnvelopeOfMsgpack(json::to_msgpack(obj)); }

FeedbackRecord KioskRecord(int i) {
  FeedbackRecord r;
  r.id = "0190a6f2-3c4d-7e5f-8a9b-0c1d2e3f4a5" + std::to_string(i);
  r.survey_id = "retail_kiosk";
  r.survey_version = 2;
  r.device_id = "kiosk-1";
  r.site_id = "store-1";
  r.started_at = 1'700'000'000'000 + i;
  r.submitted_at = 1'700'000'020'000 + i;
  r.locale = "es";
  r.answers = {{"nps", i % 11, {}, {}},
               {"visit", std::nullopt, {"browse", "caf\xc3\xa9"}, {}},
               {"comment", std::nullopt, {}, "sealed, not public"}};
  if (i == 1) {
    r.channel = Channel::kCall;
    r.status = RecordStatus::kAbandoned;
    r.staff_id = "rep-9";
    r.flagged_burst = true;
    r.answers.push_back({"neg", -3, {}, {}});
  }
  return r;
}

// Three records as a device sends them: public parts, the first two sealed.
json CanonicalObject() {
  json records = json::array();
  for (int i = 0; i < 3; ++i) {
    json rec = {
        {"pub", RecordToJson(PublicPart(KioskRecord(i)))}, {"epoch", nullptr}, {"sealed", nullptr}};
    if (i < 2) {
      rec["epoch"] = "epoch-a";
      rec["sealed"] = json::binary(Bytes(40, static_cast<uint8_t>(i)));
    }
    records.push_back(rec);
  }
  return {{"v", 1},
          {"device", "kiosk-1"},
          {"site", "store-1"},
          {"seq", 4},
          {"created", 1'700'000'030'000},
          {"backlog", 0},
          {"epochs", json::array({{{"id", "epoch-a"}, {"key", json::binary(Bytes(80, 9))}}})},
          {"records", records}};
}

// DecodeBatchForIngest(envelope) must be DecodeBatch(envelope); returns how
// many records it read into `parsed`.
size_t ExpectSameAsDecodeBatch(ByteView envelope, const std::string& what) {
  Result<DecodedBatch> fast = DecodeBatchForIngest(envelope);
  Result<DecodedBatch> general = DecodeBatch(envelope);
  EXPECT_EQ(fast.ok(), general.ok()) << what;
  if (!fast.ok() || !general.ok()) {
    EXPECT_EQ(fast.status().code(), general.status().code()) << what;
    EXPECT_EQ(fast.status().message(), general.status().message()) << what;
    return 0;
  }
  size_t parsed = 0;
  Batch normalized = fast->batch;
  for (size_t i = 0; i < normalized.records.size(); ++i) {
    BatchRecord& r = normalized.records[i];
    if (!r.parsed) continue;
    ++parsed;
    EXPECT_EQ(r.pub, json::object()) << what;
    const json& pub = general->batch.records[i].pub;
    Result<FeedbackRecord> from_json = RecordFromJson(pub);
    EXPECT_TRUE(from_json.ok()) << what;
    if (from_json.ok()) {
      EXPECT_EQ(*from_json, *r.parsed) << what << ": record " << i;
    }
    r.pub = RecordToJson(*r.parsed);
    r.parsed.reset();
  }
  EXPECT_EQ(normalized, general->batch) << what;
  EXPECT_EQ(fast->signed_message, general->signed_message) << what;
  EXPECT_EQ(fast->signature, general->signature) << what;
  EXPECT_EQ(fast->digest, general->digest) << what;
  return parsed;
}

TEST(BatchDecodeForIngestTest, ReadsPublicPartsAsDevicesSendThem) {
  const Bytes envelope = EnvelopeOf(CanonicalObject());
  EXPECT_EQ(ExpectSameAsDecodeBatch(envelope, "canonical"), 3u);
  Result<DecodedBatch> d = DecodeBatchForIngest(envelope);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(d->batch.records[i].parsed);
    EXPECT_EQ(*d->batch.records[i].parsed, PublicPart(KioskRecord(static_cast<int>(i))));
  }
  EXPECT_EQ(d->batch.records[0].epoch_id, "epoch-a");
  EXPECT_EQ(d->batch.records[1].sealed, Bytes(40, 1));
  EXPECT_TRUE(d->batch.records[2].epoch_id.empty() && d->batch.records[2].sealed.empty());
  // And what EncodeBatch makes of a device's batch is read that way too.
  Batch b = DecodeBatch(envelope)->batch;
  Result<Bytes> encoded = EncodeBatch(b, Key());
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(ExpectSameAsDecodeBatch(*encoded, "EncodeBatch"), 3u);
}

struct PubCase {
  const char* name;
  void (*mutate)(json& pub);
};

TEST(BatchDecodeForIngestTest, AnyOtherPublicPartIsLeftAsJson) {
  const PubCase cases[] = {
      {"unknown key", [](json& p) { p["extra"] = 1; }},
      {"received_at", [](json& p) { p["received_at"] = 5; }},
      {"hero",
       [](json& p) {
         p["hero"] = {{"name", "Ana"}};
       }},
      {"contact nil", [](json& p) { p["contact"] = nullptr; }},
      {"locale nil", [](json& p) { p["locale"] = nullptr; }},
      {"locale missing", [](json& p) { p.erase("locale"); }},
      {"id missing", [](json& p) { p.erase("id"); }},
      {"answers missing", [](json& p) { p.erase("answers"); }},
      {"answers map", [](json& p) { p["answers"] = json::object(); }},
      {"answer not map", [](json& p) { p["answers"][0] = 3; }},
      {"answer without q", [](json& p) { p["answers"][0].erase("q"); }},
      {"answer text", [](json& p) { p["answers"][0]["t"] = "x"; }},
      {"answer empty text", [](json& p) { p["answers"][0]["t"] = ""; }},
      {"answer n nil", [](json& p) { p["answers"][0]["n"] = nullptr; }},
      {"answer n float", [](json& p) { p["answers"][0]["n"] = 3.0; }},
      {"answer n bool", [](json& p) { p["answers"][0]["n"] = true; }},
      {"answer n over int", [](json& p) { p["answers"][0]["n"] = 1LL << 31; }},
      {"answer n under int", [](json& p) { p["answers"][0]["n"] = -(1LL << 31) - 1; }},
      {"answer c empty", [](json& p) { p["answers"][1]["c"] = json::array(); }},
      {"answer c number", [](json& p) { p["answers"][1]["c"][0] = 4; }},
      {"answer c string", [](json& p) { p["answers"][1]["c"] = "browse"; }},
      {"staff_id empty", [](json& p) { p["staff_id"] = ""; }},
      {"staff_id number", [](json& p) { p["staff_id"] = 7; }},
      {"flagged_burst false", [](json& p) { p["flagged_burst"] = false; }},
      {"flagged_burst int", [](json& p) { p["flagged_burst"] = 1; }},
      {"channel unknown", [](json& p) { p["channel"] = "web"; }},
      {"status unknown", [](json& p) { p["status"] = "done"; }},
      {"channel number", [](json& p) { p["channel"] = 1; }},
      {"version string", [](json& p) { p["survey_version"] = "2"; }},
      {"version float", [](json& p) { p["survey_version"] = 2.5; }},
      {"version over int", [](json& p) { p["survey_version"] = 1LL << 32; }},
      {"started_at huge", [](json& p) { p["started_at"] = UINT64_MAX; }},
      {"started_at float", [](json& p) { p["started_at"] = 1e12; }},
      {"id binary", [](json& p) { p["id"] = json::binary(Bytes(3, 1)); }},
      {"nested deep", [](json& p) { p["answers"][0]["c"] = json::array({json::array()}); }},
  };
  for (const PubCase& c : cases) {
    json obj = CanonicalObject();
    c.mutate(obj["records"][1]["pub"]);
    // The other records are still canonical, but the batch is decoded the general way.
    EXPECT_EQ(ExpectSameAsDecodeBatch(EnvelopeOf(obj), c.name), 0u) << c.name;
  }
}

// JSON keeps the last of duplicate keys; the reader leaves such maps to it.
TEST(BatchDecodeForIngestTest, DuplicateKeysAreLeftToTheGeneralDecoder) {
  struct Case {
    const char* name;
    void (*add)(json& obj);  // adds a key named `from`, renamed to `to` in the MessagePack
    const char* from;
    const char* to;
  };
  const Case cases[] = {
      {"batch", [](json& o) { o["xacklog"] = 3; }, "xacklog", "backlog"},
      {"epoch", [](json& o) { o["epochs"][0]["xd"] = "epoch-b"; }, "xd", "id"},
      {"record", [](json& o) { o["records"][2]["xpoch"] = nullptr; }, "xpoch", "epoch"},
      {"pub", [](json& o) { o["records"][0]["pub"]["xocale"] = "en"; }, "xocale", "locale"},
      {"answer", [](json& o) { o["records"][0]["pub"]["answers"][0]["x"] = "a"; }, "x", "q"},
  };
  for (const Case& c : cases) {
    json obj = CanonicalObject();
    c.add(obj);
    const Bytes packed = json::to_msgpack(obj);
    // A fixstr header with the key: only a key can match, not a value.
    const std::string from = std::string(1, static_cast<char>(0xa0 | std::strlen(c.from))) + c.from;
    const std::string to = std::string(1, static_cast<char>(0xa0 | std::strlen(c.to))) + c.to;
    ASSERT_EQ(from.size(), to.size());
    std::string text(packed.begin(), packed.end());
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << c.name;
    text.replace(at, from.size(), to);
    const Bytes patched(text.begin(), text.end());
    EXPECT_EQ(ExpectSameAsDecodeBatch(EnvelopeOfMsgpack(patched), c.name), 0u) << c.name;
  }
}

struct ObjectCase {
  const char* name;
  void (*mutate)(json& obj);
};

TEST(BatchDecodeForIngestTest, ErrorsAreDecodeBatchErrors) {
  const ObjectCase cases[] = {
      {"not a map", [](json& o) { o = json::array({1}); }},
      {"missing device", [](json& o) { o.erase("device"); }},
      {"unknown key", [](json& o) { o["extra"] = 1; }},
      {"v 2", [](json& o) { o["v"] = 2; }},
      {"v 2 and a new key",
       [](json& o) {
         o["v"] = 2;
         o["new"] = 1;
       }},
      {"v negative", [](json& o) { o["v"] = -1; }},
      {"device empty", [](json& o) { o["device"] = ""; }},
      {"device long", [](json& o) { o["device"] = std::string(129, 'd'); }},
      {"site space", [](json& o) { o["site"] = "a b"; }},
      {"seq zero", [](json& o) { o["seq"] = 0; }},
      {"seq huge", [](json& o) { o["seq"] = UINT64_MAX; }},
      {"seq float", [](json& o) { o["seq"] = 1.0; }},
      {"created negative", [](json& o) { o["created"] = -1; }},
      {"backlog bool", [](json& o) { o["backlog"] = false; }},
      {"epochs map", [](json& o) { o["epochs"] = json::object(); }},
      {"records empty", [](json& o) { o["records"] = json::array(); }},
      {"records 1001",
       [](json& o) {
         const json r = o["records"][2];
         while (o["records"].size() < 1001) o["records"].push_back(r);
       }},
      {"epoch key short", [](json& o) { o["epochs"][0]["key"] = json::binary(Bytes(79, 1)); }},
      {"epoch key ext", [](json& o) { o["epochs"][0]["key"] = json::binary(Bytes(80, 1), 5); }},
      {"epoch listed twice", [](json& o) { o["epochs"].push_back(o["epochs"][0]); }},
      {"epoch id nil", [](json& o) { o["epochs"][0]["id"] = nullptr; }},
      {"pub not map", [](json& o) { o["records"][0]["pub"] = "x"; }},
      {"pub nil", [](json& o) { o["records"][0]["pub"] = nullptr; }},
      {"epoch without sealed", [](json& o) { o["records"][0]["sealed"] = nullptr; }},
      {"sealed without epoch", [](json& o) { o["records"][0]["epoch"] = nullptr; }},
      {"epoch empty", [](json& o) { o["records"][0]["epoch"] = ""; }},
      {"epoch empty, sealed empty",
       [](json& o) {
         o["records"][0]["epoch"] = "";
         o["records"][0]["sealed"] = json::binary(Bytes());
       }},
      {"sealed empty", [](json& o) { o["records"][0]["sealed"] = json::binary(Bytes()); }},
      {"unknown epoch", [](json& o) { o["records"][0]["epoch"] = "epoch-z"; }},
      {"sealed short", [](json& o) { o["records"][0]["sealed"] = json::binary(Bytes(27, 0)); }},
      {"sealed huge",
       [](json& o) { o["records"][0]["sealed"] = json::binary(Bytes(256 * 1024 + 1, 0)); }},
      {"sealed ext", [](json& o) { o["records"][0]["sealed"] = json::binary(Bytes(40, 0), 1); }},
      {"sealed str", [](json& o) { o["records"][0]["sealed"] = "abc"; }},
      {"record missing pub", [](json& o) { o["records"][1].erase("pub"); }},
      {"record extra key", [](json& o) { o["records"][1]["x"] = 1; }},
      {"deep pub",
       [](json& o) {
         json deep = nullptr;
         for (int i = 0; i < 40; ++i) deep = json::array({deep});
         o["records"][1]["pub"]["extra"] = deep;
       }},
  };
  for (const ObjectCase& c : cases) {
    json obj = CanonicalObject();
    c.mutate(obj);
    ExpectSameAsDecodeBatch(EnvelopeOf(obj), c.name);
  }
}

TEST(BatchDecodeForIngestTest, MalformedMessagePackGivesDecodeBatchErrors) {
  const Bytes good = json::to_msgpack(CanonicalObject());
  // Truncated at every length, and with a trailing byte.
  for (size_t len = 0; len <= good.size(); ++len) {
    Bytes packed(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(len));
    if (len == good.size()) packed.push_back(0xc0);
    ExpectSameAsDecodeBatch(EnvelopeOfMsgpack(packed), "truncated to " + std::to_string(len));
  }
  // Every byte replaced by a few interesting values.
  for (size_t i = 0; i < good.size(); ++i) {
    for (int v : {0x00, 0x7f, 0x80, 0x90, 0xa0, 0xc0, 0xc1, 0xc3, 0xc4, 0xca, 0xcf, 0xd3, 0xdc,
                  0xde, 0xe0, 0xff}) {
      Bytes packed = good;
      packed[i] = static_cast<uint8_t>(v);
      ExpectSameAsDecodeBatch(EnvelopeOfMsgpack(packed), "byte " + std::to_string(i));
    }
  }
}

TEST(BatchDecodeForIngestTest, TheValueBoundIsDecodeBatchs) {
  // Records whose choices add up to more than 500 000 values.
  json obj = CanonicalObject();
  json many = json::array();
  for (int i = 0; i < 170'000; ++i) many.push_back("a");
  for (size_t r = 0; r < 3; ++r) obj["records"][r]["pub"]["answers"][1]["c"] = many;
  Result<DecodedBatch> d = DecodeBatchForIngest(EnvelopeOf(obj));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kResourceExhausted) << d.status().ToString();
  ExpectSameAsDecodeBatch(EnvelopeOf(obj), "over the value bound");
  // Just under the bound: read as usual.
  for (size_t r = 0; r < 3; ++r) obj["records"][r]["pub"]["answers"][1]["c"] = json::array({"a"});
  obj["records"][0]["pub"]["answers"][1]["c"] = json::array();
  for (int i = 0; i < 400'000; ++i) obj["records"][0]["pub"]["answers"][1]["c"].push_back("a");
  EXPECT_EQ(ExpectSameAsDecodeBatch(EnvelopeOf(obj), "under the value bound"), 3u);
}

}  // namespace
}  // namespace feedback::protocol
