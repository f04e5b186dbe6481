// Batch envelope codec: round trip, signatures, and hostile input - truncation
// at every length, every flipped bit, trailing bytes, size bounds, a
// decompression bomb, unknown versions and every field's type checks.
#include "protocol/batch_codec.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <cstring>
#include <string>

#include "crypto/secret_bytes.h"
#include "protocol/limits.h"

namespace feedback::protocol {
namespace {

using nlohmann::json;

Bytes Filled(size_t n, uint8_t v) { return Bytes(n, v); }

Batch SmallBatch() {
  Batch b;
  b.device_id = "dev-1";
  b.site_id = "store-7";
  b.seq = 3;
  b.created = 1'700'000'000'123;
  b.backlog = 5;
  b.epochs.push_back({"epoch-a", Filled(kSealedEpochKeySize, 0xab)});
  BatchRecord r1;
  r1.pub = {{"id", "rec-1"}, {"answers", json::array({{{"q", "nps"}, {"n", 9}}})}};
  r1.epoch_id = "epoch-a";
  r1.sealed = Filled(40, 0x11);
  BatchRecord r2;
  r2.pub = {{"id", "rec-2"}, {"answers", json::array()}};
  b.records = {r1, r2};
  return b;
}

Ed25519PrivateKey Key() {
  Result<Ed25519PrivateKey> k = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(k.ok());
  return std::move(k).value();
}

// Builds an envelope around an arbitrary payload, correctly signed, so tests
// can show the decoder refuses what a legitimate key signed.
Bytes Envelope(ByteView payload, const Ed25519PrivateKey& key, uint8_t version = 1) {
  Bytes out = ToBytes(kBatchMagic);
  out.push_back(version);
  const auto n = static_cast<uint32_t>(payload.size());
  out.push_back(static_cast<uint8_t>(n >> 24));
  out.push_back(static_cast<uint8_t>(n >> 16));
  out.push_back(static_cast<uint8_t>(n >> 8));
  out.push_back(static_cast<uint8_t>(n));
  out.insert(out.end(), payload.begin(), payload.end());
  Bytes msg = ToBytes(kBatchSignatureDomain);
  msg.insert(msg.end(), out.begin(), out.end());
  Result<Bytes> sig = key.Sign(msg);
  EXPECT_TRUE(sig.ok());
  out.insert(out.end(), sig->begin(), sig->end());
  return out;
}

Bytes Compress(ByteView data) {
  Bytes out(ZSTD_compressBound(data.size()));
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

Bytes EnvelopeFromObject(const json& obj, const Ed25519PrivateKey& key) {
  return Envelope(Compress(json::to_msgpack(obj)), key);
}

// The msgpack object of SmallBatch(), for field-level mutations.
json SmallObject() {
  Ed25519PrivateKey key = Key();
  Result<Bytes> env = EncodeBatch(SmallBatch(), key);
  EXPECT_TRUE(env.ok());
  ByteView payload = ByteView(*env).subspan(kBatchHeaderSize,
                                            env->size() - kBatchHeaderSize - kBatchSignatureSize);
  Bytes raw(ZSTD_getFrameContentSize(payload.data(), payload.size()));
  ZSTD_decompress(raw.data(), raw.size(), payload.data(), payload.size());
  return json::from_msgpack(raw);
}

TEST(BatchCodecTest, RoundTripAndVerify) {
  Ed25519PrivateKey key = Key();
  Batch b = SmallBatch();
  Result<Bytes> env = EncodeBatch(b, key);
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(0, std::memcmp(env->data(), "FBB1\x01", 5));
  Result<DecodedBatch> d = DecodeBatch(*env);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->batch, b);
  EXPECT_EQ(d->signature.size(), 64u);
  EXPECT_EQ(d->digest.size(), 32u);
  EXPECT_TRUE(VerifyBatch(*d, key.public_key_bytes()).ok());
  // The signed message is the domain followed by everything before the signature.
  EXPECT_EQ(d->signed_message.size(), kBatchSignatureDomain.size() + env->size() - 64);
  EXPECT_EQ(0, std::memcmp(d->signed_message.data(), "feedback-batch-v1\0", 18));
}

TEST(BatchCodecTest, AnotherKeyDoesNotVerify) {
  Ed25519PrivateKey key = Key();
  Ed25519PrivateKey other = Key();
  Result<Bytes> env = EncodeBatch(SmallBatch(), key);
  ASSERT_TRUE(env.ok());
  Result<DecodedBatch> d = DecodeBatch(*env);
  ASSERT_TRUE(d.ok());
  Status s = VerifyBatch(*d, other.public_key_bytes());
  EXPECT_EQ(s.code(), Status::Code::kUnauthenticated) << s.ToString();
}

TEST(BatchCodecTest, TruncationAtEveryLengthIsRejected) {
  Ed25519PrivateKey key = Key();
  Result<Bytes> env = EncodeBatch(SmallBatch(), key);
  ASSERT_TRUE(env.ok());
  for (size_t len = 0; len < env->size(); ++len) {
    Result<DecodedBatch> d = DecodeBatch(ByteView(*env).first(len));
    EXPECT_FALSE(d.ok()) << "accepted a batch truncated to " << len << " bytes";
  }
}

TEST(BatchCodecTest, EveryFlippedBitIsRejected) {
  Ed25519PrivateKey key = Key();
  Result<Bytes> env = EncodeBatch(SmallBatch(), key);
  ASSERT_TRUE(env.ok());
  size_t decoded_but_bad_signature = 0;
  for (size_t i = 0; i < env->size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes copy = *env;
      copy[i] ^= static_cast<uint8_t>(1u << bit);
      Result<DecodedBatch> d = DecodeBatch(copy);
      if (!d.ok()) continue;
      ++decoded_but_bad_signature;
      EXPECT_FALSE(VerifyBatch(*d, key.public_key_bytes()).ok())
          << "byte " << i << " bit " << bit << " flipped and still verified";
    }
  }
  // The signature bytes themselves decode fine; only verification catches them.
  EXPECT_GE(decoded_but_bad_signature, 64u * 8u);
}

TEST(BatchCodecTest, TrailingBytesAreRejected) {
  Ed25519PrivateKey key = Key();
  Result<Bytes> env = EncodeBatch(SmallBatch(), key);
  ASSERT_TRUE(env.ok());
  Bytes longer = *env;
  longer.push_back(0);
  Result<DecodedBatch> d = DecodeBatch(longer);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("after the signature"), std::string::npos)
      << d.status().ToString();
}

TEST(BatchCodecTest, UnknownFormatVersionIsRefused) {
  Ed25519PrivateKey key = Key();
  Bytes env = Envelope(Compress(json::to_msgpack(SmallObject())), key, /*version=*/2);
  Result<DecodedBatch> d = DecodeBatch(env);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kVersionMismatch);
  EXPECT_NE(d.status().message().find("unsupported protocol version"), std::string::npos);
}

TEST(BatchCodecTest, UnknownObjectVersionIsRefused) {
  Ed25519PrivateKey key = Key();
  json obj = SmallObject();
  obj["v"] = 2;
  obj["new_field_of_v2"] = true;
  Result<DecodedBatch> d = DecodeBatch(EnvelopeFromObject(obj, key));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kVersionMismatch) << d.status().ToString();
  EXPECT_NE(d.status().message().find("unsupported protocol version 2"), std::string::npos);
}

TEST(BatchCodecTest, OversizeCompressedPayloadIsRefusedFromTheHeader) {
  // A header that claims 1 MiB + 1 byte: refused before any payload is read.
  Bytes env = ToBytes(kBatchMagic);
  env.push_back(1);
  const uint32_t n = kMaxCompressedPayload + 1;
  env.push_back(static_cast<uint8_t>(n >> 24));
  env.push_back(static_cast<uint8_t>(n >> 16));
  env.push_back(static_cast<uint8_t>(n >> 8));
  env.push_back(static_cast<uint8_t>(n));
  env.resize(env.size() + 64 + 10, 0);
  Result<DecodedBatch> d = DecodeBatch(env);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kResourceExhausted) << d.status().ToString();
}

TEST(BatchCodecTest, EncoderRefusesABatchThatCompressesOverTheLimit) {
  Ed25519PrivateKey key = Key();
  Batch b = SmallBatch();
  b.records.clear();
  for (int i = 0; i < 600; ++i) {
    BatchRecord r;
    r.pub = {{"id", "rec-" + std::to_string(i)}};
    r.epoch_id = "epoch-a";
    Result<SecretBytes> random = SecretBytes::Random(2000);  // incompressible
    ASSERT_TRUE(random.ok());
    r.sealed.assign(random->view().begin(), random->view().end());
    b.records.push_back(std::move(r));
  }
  Result<Bytes> env = EncodeBatch(b, key);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.status().code(), Status::Code::kResourceExhausted) << env.status().ToString();
}

TEST(BatchCodecTest, DecompressionBombIsRefusedBeforeInflating) {
  Ed25519PrivateKey key = Key();
  // 9 MiB of zeros compresses to a few hundred bytes; its frame header says 9 MiB.
  Bytes zeros(9 * 1024 * 1024, 0);
  Bytes bomb = Compress(zeros);
  ASSERT_LT(bomb.size(), 4096u);
  Result<DecodedBatch> d = DecodeBatch(Envelope(bomb, key));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kResourceExhausted) << d.status().ToString();
  EXPECT_NE(d.status().message().find("decompresses to 9437184 bytes"), std::string::npos);
}

TEST(BatchCodecTest, FrameWithoutContentSizeIsRefused) {
  Ed25519PrivateKey key = Key();
  // A streaming frame does not declare its size, so the bound cannot be checked up front.
  Bytes packed = json::to_msgpack(SmallObject());
  std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 0);
  Bytes out(ZSTD_compressBound(packed.size()));
  size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), packed.data(), packed.size());
  ASSERT_FALSE(ZSTD_isError(n));
  out.resize(n);
  Result<DecodedBatch> d = DecodeBatch(Envelope(out, key));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("content size"), std::string::npos) << d.status().ToString();
}

TEST(BatchCodecTest, TwoZstdFramesAreRefused) {
  Ed25519PrivateKey key = Key();
  Bytes packed = json::to_msgpack(SmallObject());
  Bytes two = Compress(packed);
  Bytes second = Compress(ToBytes("x"));
  two.insert(two.end(), second.begin(), second.end());
  Result<DecodedBatch> d = DecodeBatch(Envelope(two, key));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("one complete zstd frame"), std::string::npos)
      << d.status().ToString();
}

TEST(BatchCodecTest, TrailingMsgpackBytesAreRefused) {
  Ed25519PrivateKey key = Key();
  Bytes packed = json::to_msgpack(SmallObject());
  packed.push_back(0xc0);  // a second msgpack value (nil)
  Result<DecodedBatch> d = DecodeBatch(Envelope(Compress(packed), key));
  EXPECT_FALSE(d.ok());
}

TEST(BatchCodecTest, MoreThanAThousandRecordsAreRefused) {
  Ed25519PrivateKey key = Key();
  json obj = SmallObject();
  json rec = obj["records"][1];
  obj["records"] = json::array();
  for (int i = 0; i < 1001; ++i) obj["records"].push_back(rec);
  Result<DecodedBatch> d = DecodeBatch(EnvelopeFromObject(obj, key));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kResourceExhausted) << d.status().ToString();
  // Exactly 1000 is fine.
  obj["records"].erase(obj["records"].size() - 1);
  EXPECT_TRUE(DecodeBatch(EnvelopeFromObject(obj, key)).ok());
}

TEST(BatchCodecTest, DeepNestingIsRefusedWithoutRecursingAway) {
  Ed25519PrivateKey key = Key();
  // 100000 nested one-element arrays: 0x91 repeated, then nil.
  Bytes packed(100'000, 0x91);
  packed.push_back(0xc0);
  Result<DecodedBatch> d = DecodeBatch(Envelope(Compress(packed), key));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kResourceExhausted) << d.status().ToString();
}

TEST(BatchCodecTest, TooManyTinyValuesAreRefused) {
  Ed25519PrivateKey key = Key();
  // array32 of 4M nils: 4 MiB of msgpack, a 64 MiB DOM if it were built.
  Bytes packed = {0xdd, 0x00, 0x40, 0x00, 0x00};
  packed.resize(packed.size() + 0x400000, 0xc0);
  Result<DecodedBatch> d = DecodeBatch(Envelope(Compress(packed), key));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kResourceExhausted) << d.status().ToString();
}

struct FieldCase {
  const char* name;
  void (*mutate)(json&);
  const char* expected;  // a substring of the error message
};

TEST(BatchCodecTest, EveryFieldIsTypeChecked) {
  const FieldCase cases[] = {
      {"not a map", [](json& o) { o = json::array({1}); }, "object: is not a map"},
      {"missing device", [](json& o) { o.erase("device"); }, "missing key 'device'"},
      {"unknown key", [](json& o) { o["extra"] = 1; }, "unknown key 'extra'"},
      {"device not str", [](json& o) { o["device"] = 5; }, "batch device: is not a string"},
      {"device empty", [](json& o) { o["device"] = ""; }, "batch device: is empty"},
      {"device too long", [](json& o) { o["device"] = std::string(200, 'd'); },
       "device: is longer"},
      {"site control char", [](json& o) { o["site"] = "a\nb"; }, "site: contains a control"},
      {"seq string", [](json& o) { o["seq"] = "3"; }, "seq: is not an integer"},
      {"seq zero", [](json& o) { o["seq"] = 0; }, "seq: must be at least 1"},
      {"seq float", [](json& o) { o["seq"] = 3.5; }, "seq: is not an integer"},
      {"seq huge", [](json& o) { o["seq"] = UINT64_MAX; }, "seq: is out of range"},
      {"created negative", [](json& o) { o["created"] = -1; }, "created: must be at least 0"},
      {"backlog bool", [](json& o) { o["backlog"] = true; }, "backlog: is not an integer"},
      {"v string", [](json& o) { o["v"] = "1"; }, "v: is not an integer"},
      {"epochs map", [](json& o) { o["epochs"] = json::object(); }, "epochs: is not an array"},
      {"records empty", [](json& o) { o["records"] = json::array(); }, "records: is empty"},
      {"epoch key short", [](json& o) { o["epochs"][0]["key"] = json::binary(Bytes(79, 1)); },
       "epochs[0].key: is 79 bytes, not 80"},
      {"epoch key str", [](json& o) { o["epochs"][0]["key"] = "abc"; },
       "epochs[0].key: is not binary"},
      {"epoch key ext", [](json& o) { o["epochs"][0]["key"] = json::binary(Bytes(80, 1), 5); },
       "ext value"},
      {"epoch extra key", [](json& o) { o["epochs"][0]["x"] = 1; }, "epochs[0]: has unknown key"},
      {"epoch listed twice", [](json& o) { o["epochs"].push_back(o["epochs"][0]); },
       "epochs[1].id: is listed twice"},
      {"pub not map", [](json& o) { o["records"][0]["pub"] = "x"; },
       "records[0].pub: is not a map"},
      {"epoch without sealed", [](json& o) { o["records"][0]["sealed"] = nullptr; },
       "records[0]: 'epoch' and 'sealed' must both"},
      {"unknown epoch", [](json& o) { o["records"][0]["epoch"] = "epoch-z"; },
       "records[0].epoch: names an epoch not listed"},
      {"sealed short", [](json& o) { o["records"][0]["sealed"] = json::binary(Bytes(27, 0)); },
       "records[0].sealed: is 27 bytes"},
      {"sealed str", [](json& o) { o["records"][0]["sealed"] = "abc"; },
       "records[0].sealed: is not binary"},
      {"record missing pub", [](json& o) { o["records"][1].erase("pub"); },
       "records[1]: is missing key 'pub'"},
  };
  Ed25519PrivateKey key = Key();
  const json base = SmallObject();
  ASSERT_TRUE(DecodeBatch(EnvelopeFromObject(base, key)).ok());
  for (const FieldCase& c : cases) {
    json obj = base;
    c.mutate(obj);
    Result<DecodedBatch> d = DecodeBatch(EnvelopeFromObject(obj, key));
    ASSERT_FALSE(d.ok()) << c.name;
    EXPECT_NE(d.status().message().find(c.expected), std::string::npos)
        << c.name << ": " << d.status().ToString();
  }
}

TEST(BatchCodecTest, EncoderRefusesWhatTheDecoderWould) {
  Ed25519PrivateKey key = Key();
  Batch b = SmallBatch();
  b.records[0].epoch_id = "nope";
  EXPECT_FALSE(EncodeBatch(b, key).ok());
  b = SmallBatch();
  b.records.clear();
  EXPECT_FALSE(EncodeBatch(b, key).ok());
  b = SmallBatch();
  b.seq = 0;
  EXPECT_FALSE(EncodeBatch(b, key).ok());
  b = SmallBatch();
  b.epochs[0].sealed_key.pop_back();
  EXPECT_FALSE(EncodeBatch(b, key).ok());
}

TEST(BatchCodecTest, DigestDiffersForDifferentBatchesOfTheSameSeq) {
  Ed25519PrivateKey key = Key();
  Batch a = SmallBatch();
  Batch b = SmallBatch();
  b.backlog = 6;
  Result<Bytes> ea = EncodeBatch(a, key);
  Result<Bytes> eb = EncodeBatch(b, key);
  ASSERT_TRUE(ea.ok() && eb.ok());
  EXPECT_NE(DecodeBatch(*ea)->digest, DecodeBatch(*eb)->digest);
  EXPECT_EQ(DecodeBatch(*ea)->digest, DecodeBatch(*ea)->digest);
}

}  // namespace
}  // namespace feedback::protocol
