// BatchEncoder: the envelope it makes from records' stored JSON is byte for
// byte the one EncodeBatch() makes from the same records as JSON trees (so the
// wire format is unchanged), for every kind of JSON value and container size;
// the JSON-to-MessagePack step on its own; and its checks and bounds.
#include "protocol/batch_encoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "protocol/batch_codec.h"
#include "protocol/limits.h"

namespace feedback::protocol {
namespace {

using nlohmann::json;

Ed25519PrivateKey Key() {
  Result<Ed25519PrivateKey> k = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(k.ok());
  return std::move(k).value();
}

// The same batch twice: as EncodeBatch() takes it, and as BatchEncoder does.
struct TwoForms {
  Batch tree;
  std::vector<std::string> texts;
  std::vector<RawBatchRecord> raw_records;
  RawBatch raw;
};

std::unique_ptr<TwoForms> Forms(const std::vector<json>& pubs, size_t sealed_every = 2) {
  auto f = std::make_unique<TwoForms>();
  f->tree.device_id = "kiosk-1";
  f->tree.site_id = "store-1";
  f->tree.seq = 42;
  f->tree.created = 1'700'000'000'123;
  f->tree.backlog = 70'000;
  f->tree.epochs = {{"epoch-a", Bytes(kSealedEpochKeySize, 0xab)},
                    {"epoch-b", Bytes(kSealedEpochKeySize, 0xcd)}};
  for (size_t i = 0; i < pubs.size(); ++i) {
    BatchRecord r;
    r.pub = pubs[i];
    if (i % sealed_every == 0) {
      r.epoch_id = i % 4 == 0 ? "epoch-a" : "epoch-b";
      r.sealed = Bytes(28 + i % 300, static_cast<uint8_t>(i));
    }
    f->tree.records.push_back(std::move(r));
    f->texts.push_back(pubs[i].dump());
  }
  for (size_t i = 0; i < pubs.size(); ++i) {
    const BatchRecord& r = f->tree.records[i];
    f->raw_records.push_back({f->texts[i], r.epoch_id, r.sealed});
  }
  f->raw.device_id = f->tree.device_id;
  f->raw.site_id = f->tree.site_id;
  f->raw.seq = f->tree.seq;
  f->raw.created = f->tree.created;
  f->raw.backlog = f->tree.backlog;
  f->raw.epochs = f->tree.epochs;
  f->raw.records = f->raw_records;
  return f;
}

json KioskPub(int i) {
  return {{"id", "01a208b8-fb29-7fca-8388-" + std::to_string(100000000000 + i)},
          {"survey_id", "retail_kiosk"},
          {"survey_version", 1},
          {"device_id", "kiosk-1"},
          {"site_id", "store-1"},
          {"channel", "kiosk"},
          {"started_at", 1'795'442'652'377 + i},
          {"submitted_at", 1'795'442'670'377 + i},
          {"status", i % 7 == 0 ? "abandoned" : "complete"},
          {"locale", "en"},
          {"answers", json::array({{{"q", "nps"}, {"n", i % 11}},
                                   {{"q", "greeting"}, {"n", 1 + i % 5}},
                                   {{"q", "visit"}, {"c", json::array({"shop", "return"})}}})}};
}

TEST(BatchEncoderTest, SameBytesAsEncodeBatchForTypicalRecords) {
  const Ed25519PrivateKey key = Key();
  std::vector<json> pubs;
  for (int i = 0; i < 1000; ++i) pubs.push_back(KioskPub(i));
  auto f = Forms(pubs);
  Result<Bytes> tree = EncodeBatch(f->tree, key);
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  BatchEncoder encoder;
  Result<Bytes> raw = encoder.Encode(f->raw, key);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_EQ(*raw, *tree);
  // Reused for the next batch: still the same bytes.
  Result<Bytes> again = encoder.Encode(f->raw, key);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *tree);

  Result<DecodedBatch> decoded = DecodeBatch(*raw);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(VerifyBatch(*decoded, key.public_key_bytes()).ok());
  EXPECT_EQ(decoded->batch, f->tree);
}

TEST(BatchEncoderTest, SameBytesForEveryKindOfJsonValue) {
  const Ed25519PrivateKey key = Key();
  json big_array = json::array();
  for (int i = 0; i < 70'000; ++i) big_array.push_back(i % 3 == 0 ? json(i) : json(-i));
  json wide_map = json::object();
  for (int i = 0; i < 300; ++i) wide_map["k" + std::to_string(i)] = i;
  const std::vector<json> pubs = {
      json::object(),
      {{"empty_array", json::array()}, {"empty_map", json::object()}, {"null", nullptr}},
      {{"t", true}, {"f", false}},
      {{"ints",
        {0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295LL, 4294967296LL,
         std::numeric_limits<int64_t>::max()}},
       {"negative",
        {-1, -32, -33, -128, -129, -32768, -32769, -2147483648LL, -2147483649LL,
         std::numeric_limits<int64_t>::min()}},
       {"unsigned", std::numeric_limits<uint64_t>::max()}},
      {{"floats", {0.5, -0.25, 1e300, 3.14159, 1.0e-10, 16777216.0, 0.1}}},
      {{"strings",
        {"", std::string(31, 'a'), std::string(32, 'b'), std::string(255, 'c'),
         std::string(256, 'd'), std::string(70'000, 'e')}},
       {"escapes", "quote \" backslash \\ slash / tab \t newline \n nul \x01 bell \x07"},
       {"unicode", "Grüße, 日本語, emoji \xF0\x9F\x98\x80"}},
      {{"nested", {{"a", {{"b", {{"c", {1, {2, {3}}}}}}}}}}},
      {{"wide", wide_map},
       {"short", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}},
       {"sixteen", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}},
      {{"big", big_array}},
  };
  auto f = Forms(pubs, 3);
  Result<Bytes> tree = EncodeBatch(f->tree, key);
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  BatchEncoder encoder;
  Result<Bytes> raw = encoder.Encode(f->raw, key);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_EQ(*raw, *tree);
}

TEST(BatchEncoderTest, JsonTextBecomesTheMessagePackOfItsTree) {
  const char* texts[] = {
      R"({"b":1,"a":2})",  // keys out of order: sorted, as a tree is
      R"({"a":1,"a":2})",  // duplicate key: the last one, as a tree keeps
      R"( { "x" : [ 1 , 2.5e3 , -0 , -0.0 , 1E2 ] } )",   // whitespace, number forms
      "\"\\u00e9\\ud83d\\ude00\\/\"",                     // escapes, a surrogate pair
      R"([18446744073709551616, -9223372036854775809])",  // beyond 64 bits: floats
      "[]",
      "null",
      R"([0, -0, 127, -32, -33, 18446744073709551615, -9223372036854775808, 9223372036854775808])",
      " {\"a\" :\t[ true,false , null ],\n\"b\":{}} \r\n",
      "{\"k\":\"printable ASCII ~ and DEL \\u007f\",\"l\":\"\\u0000\"}",
      R"({"a":1,"b":[{"c":"x","d":[[],[[]]]}]})",
  };
  for (const char* text : texts) {
    Bytes out = {0x99};  // appends after what is there
    ASSERT_TRUE(AppendJsonAsMsgpack(text, "t", &out).ok()) << text;
    Bytes want = {0x99};
    json::to_msgpack(json::parse(text), want);
    EXPECT_EQ(out, want) << text;
  }
}

TEST(BatchEncoderTest, InvalidJsonIsRefusedNamingTheField) {
  for (const char* text :
       {"", "{", R"({"a":})", R"({"a":1} x)", "{\"a\":\"\xff\"}", "[1,]", "01", "-", "[1 2]",
        R"({"a" 1})", "tru", R"({"a":1,})", R"({"a":1 "b":2})", "\"tab\tinside\"", R"({1:2})"}) {
    Bytes out = {1, 2, 3};
    Status s = AppendJsonAsMsgpack(text, "records[3].pub", &out);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << text;
    EXPECT_NE(s.message().find("records[3].pub"), std::string::npos) << s.message();
    EXPECT_EQ(out, (Bytes{1, 2, 3})) << "left untouched: " << text;
  }
}

TEST(BatchEncoderTest, RefusesWhatEncodeBatchRefuses) {
  const Ed25519PrivateKey key = Key();
  BatchEncoder encoder;
  std::vector<json> pubs = {KioskPub(1), KioskPub(2)};
  {
    auto f = Forms(pubs);
    f->raw_records[1].pub_json = "[1,2]";
    Status s = encoder.Encode(f->raw, key).status();
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(s.message().find("records[1].pub: is not a map"), std::string::npos) << s.message();
  }
  {
    auto f = Forms(pubs);
    f->raw_records[1].pub_json = "{\"id\":";
    Status s = encoder.Encode(f->raw, key).status();
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(s.message().find("records[1].pub"), std::string::npos) << s.message();
  }
  {
    auto f = Forms(pubs);
    f->raw_records[0].epoch_id = "epoch-z";
    EXPECT_EQ(encoder.Encode(f->raw, key).status().code(), EncodeBatch(
                                                               [&] {
                                                                 Batch b = f->tree;
                                                                 b.records[0].epoch_id = "epoch-z";
                                                                 return b;
                                                               }(),
                                                               key)
                                                               .status()
                                                               .code());
  }
  {
    auto f = Forms(pubs);
    const Bytes short_sealed(27, 0);
    f->raw_records[0].sealed = short_sealed;
    Status s = encoder.Encode(f->raw, key).status();
    EXPECT_NE(s.message().find("records[0].sealed"), std::string::npos) << s.message();
  }
  {
    auto f = Forms(pubs);
    f->raw_records[0].sealed = {};
    EXPECT_EQ(encoder.Encode(f->raw, key).status().code(), Status::Code::kInvalidArgument);
  }
  {
    auto f = Forms(pubs);
    f->raw.device_id = "has space";
    EXPECT_EQ(encoder.Encode(f->raw, key).status().code(), Status::Code::kInvalidArgument);
    f->raw.device_id = "kiosk-1";
    f->raw.version = 2;
    EXPECT_EQ(encoder.Encode(f->raw, key).status().code(), Status::Code::kVersionMismatch);
    f->raw.version = kProtocolVersion;
    f->raw.epochs.push_back(f->raw.epochs[0]);
    EXPECT_EQ(encoder.Encode(f->raw, key).status().code(), Status::Code::kInvalidArgument);
  }
  {
    auto f = Forms({});
    EXPECT_EQ(encoder.Encode(f->raw, key).status().code(), Status::Code::kInvalidArgument);
  }
  {
    std::vector<json> many(kMaxRecordsPerBatch + 1, json::object());
    auto f = Forms(many);
    EXPECT_EQ(encoder.Encode(f->raw, key).status().code(), Status::Code::kResourceExhausted);
  }
}

TEST(BatchEncoderTest, IncompressiblePayloadOverOneMiBIsResourceExhausted) {
  // 5 records of 256 KiB random sealed bytes: about 1.25 MiB that zstd cannot shrink.
  const Ed25519PrivateKey key = Key();
  std::mt19937 rng(7);
  std::vector<Bytes> sealed(5, Bytes(kMaxSealedFieldsSize));
  for (Bytes& b : sealed) {
    for (uint8_t& x : b) x = static_cast<uint8_t>(rng());
  }
  std::vector<json> pubs(5, json::object());
  auto f = Forms(pubs, 1);
  for (size_t i = 0; i < 5; ++i) f->raw_records[i].sealed = sealed[i];
  BatchEncoder encoder;
  EXPECT_EQ(encoder.Encode(f->raw, key).status().code(), Status::Code::kResourceExhausted);
  // The same encoder then encodes a small batch as usual.
  auto small = Forms({KioskPub(1)});
  Result<Bytes> ok = encoder.Encode(small->raw, key);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, *EncodeBatch(small->tree, key));
}

}  // namespace
}  // namespace feedback::protocol
