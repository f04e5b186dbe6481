// HPKE (RFC 9180): the official test vectors for DHKEM(X25519, HKDF-SHA256) /
// HKDF-SHA256 / AES-128-GCM and AES-256-GCM in base and auth modes, the
// key-schedule intermediates, and bad input (truncation, bit flips, wrong key,
// wrong aad, wrong sequence number, sequence exhaustion).
#include "crypto/hpke.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "crypto/hpke_internal.h"

namespace feedback {
namespace {

struct Encryption {
  uint64_t seq = 0;
  Bytes aad, ct, pt;
};

struct Export {
  Bytes context;
  size_t length = 0;
  Bytes value;
};

struct Vector {
  std::map<std::string, std::string> fields;
  std::vector<Encryption> encryptions;
  std::vector<Export> exports;

  int Int(const std::string& key) const {
    auto it = fields.find(key);
    return it == fields.end() ? -1 : std::atoi(it->second.c_str());
  }
  Bytes Hex(const std::string& key) const {
    auto it = fields.find(key);
    if (it == fields.end()) return {};
    Result<Bytes> b = HexDecode(it->second);
    EXPECT_TRUE(b.ok()) << key << ": " << b.status().ToString();
    return b.value_or({});
  }
};

Bytes MustHex(const std::string& hex) {
  Result<Bytes> b = HexDecode(hex);
  EXPECT_TRUE(b.ok()) << hex;
  return b.value_or({});
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Blank-line separated entries of "key = hex" lines; "# encryptions[i]" starts
// an aad/ct/pt block for sequence number i; exporter_context/L/exported_value
// triples follow.
std::vector<Vector> ParseVectors(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<Vector> out;
  Vector cur;
  auto flush = [&] {
    if (!cur.fields.empty()) out.push_back(std::move(cur));
    cur = Vector();
  };
  uint64_t next_seq = 0;
  std::string line;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == '#') {
      const std::string tag = "# encryptions[";
      if (line.rfind(tag, 0) == 0) next_seq = std::strtoull(line.c_str() + tag.size(), nullptr, 10);
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string::npos) {
      ADD_FAILURE() << "unparsable line: " << line;
      continue;
    }
    const std::string key = Trim(line.substr(0, eq));
    const std::string value = Trim(line.substr(eq + 1));
    if (key == "aad") {
      cur.encryptions.push_back({next_seq, MustHex(value), {}, {}});
    } else if (key == "ct" && !cur.encryptions.empty()) {
      cur.encryptions.back().ct = MustHex(value);
    } else if (key == "pt" && !cur.encryptions.empty()) {
      cur.encryptions.back().pt = MustHex(value);
    } else if (key == "exporter_context") {
      cur.exports.push_back({MustHex(value), 0, {}});
    } else if (key == "L" && !cur.exports.empty()) {
      cur.exports.back().length = static_cast<size_t>(std::strtoul(value.c_str(), nullptr, 10));
    } else if (key == "exported_value" && !cur.exports.empty()) {
      cur.exports.back().value = MustHex(value);
    } else {
      cur.fields[key] = value;
    }
  }
  flush();
  return out;
}

std::string VectorPath() {
  return std::string(FEEDBACK_TEST_DATA_DIR) + "/hpke-rfc9180-vectors.txt";
}

Bytes Secret(const Result<SecretBytes>& s) {
  if (!s.ok()) return {};
  return Bytes(s->view().begin(), s->view().end());
}

TEST(HpkeVectorsTest, AllX25519Sha256AesGcmVectorsPass) {
  const std::vector<Vector> vectors = ParseVectors(VectorPath());
  ASSERT_GT(vectors.size(), 0u);
  int entries = 0;
  int opened = 0;
  int sealed = 0;
  int exported = 0;
  for (const Vector& v : vectors) {
    const int mode = v.Int("mode");
    const int aead_id = v.Int("aead_id");
    if (v.Int("kem_id") != 32 || v.Int("kdf_id") != 1 || (aead_id != 1 && aead_id != 2) ||
        (mode != 0 && mode != 2)) {
      continue;
    }
    SCOPED_TRACE("mode " + std::to_string(mode) + " aead " + std::to_string(aead_id));
    const HpkeAead aead = aead_id == 1 ? HpkeAead::kAes128Gcm : HpkeAead::kAes256Gcm;
    const Bytes info = v.Hex("info");
    const Bytes pkRm = v.Hex("pkRm");
    const Bytes pkEm = v.Hex("pkEm");
    const Bytes pkSm = v.Hex("pkSm");
    ASSERT_FALSE(v.encryptions.empty());
    ASSERT_FALSE(v.exports.empty());

    // DeriveKeyPair (RFC 9180 7.1.3).
    Result<X25519KeyPair> derived_r = HpkeDeriveKeyPair(v.Hex("ikmR"));
    Result<X25519KeyPair> derived_e = HpkeDeriveKeyPair(v.Hex("ikmE"));
    ASSERT_TRUE(derived_r.ok()) << derived_r.status().ToString();
    ASSERT_TRUE(derived_e.ok()) << derived_e.status().ToString();
    EXPECT_EQ(HexEncode(Secret(derived_r->PrivateKeyBytes())), v.fields.at("skRm"));
    EXPECT_EQ(HexEncode(derived_r->public_key()), v.fields.at("pkRm"));
    EXPECT_EQ(HexEncode(Secret(derived_e->PrivateKeyBytes())), v.fields.at("skEm"));
    EXPECT_EQ(HexEncode(derived_e->public_key()), v.fields.at("pkEm"));

    Result<X25519KeyPair> skR = X25519KeyPair::FromPrivateKey(v.Hex("skRm"));
    Result<X25519KeyPair> skE = X25519KeyPair::FromPrivateKey(v.Hex("skEm"));
    ASSERT_TRUE(skR.ok() && skE.ok());
    std::optional<X25519KeyPair> skS;
    if (mode == 2) {
      Result<X25519KeyPair> s = X25519KeyPair::FromPrivateKey(v.Hex("skSm"));
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      EXPECT_EQ(s->public_key(), pkSm);
      skS.emplace(std::move(s).value());
    }

    // Recipient: open every encryption in sequence.
    Result<HpkeContext> recipient = mode == 0 ? HpkeSetupBaseR(aead, pkEm, *skR, info)
                                              : HpkeSetupAuthR(aead, pkEm, *skR, info, pkSm);
    ASSERT_TRUE(recipient.ok()) << recipient.status().ToString();
    // Sender with the vector's ephemeral key: seal every encryption to the exact ct.
    Result<HpkeSenderSetup> sender =
        hpke_internal::SetupSenderWithEphemeral(aead, pkRm, info, *skE, skS ? &*skS : nullptr);
    ASSERT_TRUE(sender.ok()) << sender.status().ToString();
    EXPECT_EQ(sender->enc, pkEm);

    for (const Encryption& e : v.encryptions) {
      ASSERT_EQ(recipient->sequence_number(), e.seq);
      ASSERT_EQ(sender->context.sequence_number(), e.seq);
      Result<Bytes> pt = recipient->Open(e.aad, e.ct);
      ASSERT_TRUE(pt.ok()) << "seq " << e.seq << ": " << pt.status().ToString();
      EXPECT_EQ(*pt, e.pt) << "seq " << e.seq;
      ++opened;
      Result<Bytes> ct = sender->context.Seal(e.aad, e.pt);
      ASSERT_TRUE(ct.ok()) << "seq " << e.seq << ": " << ct.status().ToString();
      EXPECT_EQ(HexEncode(*ct), HexEncode(e.ct)) << "seq " << e.seq;
      ++sealed;
    }
    for (const Export& x : v.exports) {
      EXPECT_EQ(HexEncode(Secret(recipient->Export(x.context, x.length))), HexEncode(x.value));
      EXPECT_EQ(HexEncode(Secret(sender->context.Export(x.context, x.length))), HexEncode(x.value));
      ++exported;
    }
    ++entries;
  }
  std::cout << "RFC 9180 vectors checked: " << entries << " entries, " << opened << " opens, "
            << sealed << " seals, " << exported << " exports\n";
  RecordProperty("hpke_vector_entries", entries);
  // 4 entries: modes 0 and 2 x AES-128-GCM and AES-256-GCM.
  EXPECT_EQ(entries, 4);
  EXPECT_GT(opened, 0);
  EXPECT_GT(exported, 0);
}

TEST(HpkeVectorsTest, KeyScheduleIntermediatesMatchMode0Aes256) {
  const std::vector<Vector> vectors = ParseVectors(VectorPath());
  int checked = 0;
  for (const Vector& v : vectors) {
    if (v.Int("mode") != 0 || v.Int("kem_id") != 32 || v.Int("kdf_id") != 1 ||
        v.Int("aead_id") != 2) {
      continue;
    }
    Result<X25519KeyPair> skE = X25519KeyPair::FromPrivateKey(v.Hex("skEm"));
    Result<X25519KeyPair> skR = X25519KeyPair::FromPrivateKey(v.Hex("skRm"));
    ASSERT_TRUE(skE.ok() && skR.ok());
    Result<hpke_internal::Encapsulation> encap = hpke_internal::Encap(v.Hex("pkRm"), *skE, nullptr);
    ASSERT_TRUE(encap.ok()) << encap.status().ToString();
    EXPECT_EQ(HexEncode(encap->enc), v.fields.at("pkEm"));
    EXPECT_EQ(HexEncode(encap->shared_secret.view()),
              "3101c54c3a4f87439eaac080699ed9bbcc726ffe44e860c0424ccb7e3e2ead7b");
    Result<SecretBytes> decap = hpke_internal::Decap(v.Hex("pkEm"), *skR, {});
    ASSERT_TRUE(decap.ok()) << decap.status().ToString();
    EXPECT_EQ(HexEncode(decap->view()), HexEncode(encap->shared_secret.view()));

    Result<HpkeKeySchedule> ks = hpke_internal::KeySchedule(
        HpkeMode::kBase, HpkeAead::kAes256Gcm, encap->shared_secret.view(), v.Hex("info"));
    ASSERT_TRUE(ks.ok()) << ks.status().ToString();
    EXPECT_EQ(HexEncode(ks->key.view()),
              "f50b0609186798729ed0564b36ef2ef8044f1f9d05636874d1f46c819c7a669f");
    EXPECT_EQ(HexEncode(ks->base_nonce), "151d9929e2449747889bc923");
    EXPECT_EQ(HexEncode(ks->exporter_secret.view()),
              "86017151bbff6a1940e8abae2ac9e0e7032e33df1eaaecc02ca6259b130d62df");
    ++checked;
  }
  EXPECT_EQ(checked, 1);
}

// A fresh recipient key pair and a base-mode sender/recipient pair on it.
class HpkeRoundTripTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<X25519KeyPair> r = X25519KeyPair::Generate();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    recipient_key_.emplace(std::move(r).value());
  }

  Result<HpkeContext> Recipient(ByteView enc) {
    return HpkeSetupBaseR(HpkeAead::kAes256Gcm, enc, *recipient_key_, info_);
  }

  std::optional<X25519KeyPair> recipient_key_;
  const Bytes info_ = ToBytes("test info");
  const Bytes aad_ = ToBytes("aad");
  const Bytes msg_ = ToBytes("hello, hpke");
};

TEST_F(HpkeRoundTripTest, SingleShotRoundTrip) {
  Result<HpkeSealed> sealed =
      HpkeSealBase(HpkeAead::kAes256Gcm, recipient_key_->public_key(), info_, aad_, msg_);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(sealed->enc.size(), 32u);
  EXPECT_EQ(sealed->ciphertext.size(), msg_.size() + 16);
  Result<Bytes> pt = HpkeOpenBase(HpkeAead::kAes256Gcm, sealed->enc, *recipient_key_, info_, aad_,
                                  sealed->ciphertext);
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  EXPECT_EQ(*pt, msg_);
}

TEST_F(HpkeRoundTripTest, AuthModeRoundTripAndWrongSender) {
  Result<X25519KeyPair> sender_key = X25519KeyPair::Generate();
  Result<X25519KeyPair> other_key = X25519KeyPair::Generate();
  ASSERT_TRUE(sender_key.ok() && other_key.ok());
  Result<HpkeSenderSetup> s =
      HpkeSetupAuthS(HpkeAead::kAes128Gcm, recipient_key_->public_key(), info_, *sender_key);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<Bytes> ct = s->context.Seal(aad_, msg_);
  ASSERT_TRUE(ct.ok());
  Result<HpkeContext> r = HpkeSetupAuthR(HpkeAead::kAes128Gcm, s->enc, *recipient_key_, info_,
                                         sender_key->public_key());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Result<Bytes> pt = r->Open(aad_, *ct);
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  EXPECT_EQ(*pt, msg_);
  // A recipient that expects another sender derives other keys.
  Result<HpkeContext> wrong =
      HpkeSetupAuthR(HpkeAead::kAes128Gcm, s->enc, *recipient_key_, info_, other_key->public_key());
  ASSERT_TRUE(wrong.ok());
  Result<Bytes> bad = wrong->Open(aad_, *ct);
  EXPECT_EQ(bad.status().code(), Status::Code::kCryptoError);
}

TEST_F(HpkeRoundTripTest, TruncatedCiphertextFailsAtEveryLength) {
  Result<HpkeSealed> sealed =
      HpkeSealBase(HpkeAead::kAes256Gcm, recipient_key_->public_key(), info_, aad_, msg_);
  ASSERT_TRUE(sealed.ok());
  for (size_t len = 0; len < sealed->ciphertext.size(); ++len) {
    const ByteView cut(sealed->ciphertext.data(), len);
    Result<Bytes> pt =
        HpkeOpenBase(HpkeAead::kAes256Gcm, sealed->enc, *recipient_key_, info_, aad_, cut);
    ASSERT_FALSE(pt.ok()) << "length " << len;
    EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError) << pt.status().ToString();
    EXPECT_FALSE(pt.status().message().empty());
  }
  // The enc, too.
  for (size_t len = 0; len < sealed->enc.size(); ++len) {
    const ByteView cut(sealed->enc.data(), len);
    Result<Bytes> pt =
        HpkeOpenBase(HpkeAead::kAes256Gcm, cut, *recipient_key_, info_, aad_, sealed->ciphertext);
    ASSERT_FALSE(pt.ok()) << "enc length " << len;
    EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError) << pt.status().ToString();
  }
}

TEST_F(HpkeRoundTripTest, EveryBitFlipFails) {
  Result<HpkeSealed> sealed =
      HpkeSealBase(HpkeAead::kAes256Gcm, recipient_key_->public_key(), info_, aad_, msg_);
  ASSERT_TRUE(sealed.ok());
  for (size_t bit = 0; bit < sealed->ciphertext.size() * 8; ++bit) {
    Bytes ct = sealed->ciphertext;
    ct[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Result<Bytes> pt =
        HpkeOpenBase(HpkeAead::kAes256Gcm, sealed->enc, *recipient_key_, info_, aad_, ct);
    ASSERT_FALSE(pt.ok()) << "bit " << bit;
    EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError);
  }
  for (size_t bit = 0; bit < sealed->enc.size() * 8; ++bit) {
    Bytes enc = sealed->enc;
    enc[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Result<Bytes> pt =
        HpkeOpenBase(HpkeAead::kAes256Gcm, enc, *recipient_key_, info_, aad_, sealed->ciphertext);
    // Even the top bit, which X25519 itself ignores (RFC 7748 masks it), changes
    // kem_context = enc || pkR and so the derived keys.
    ASSERT_FALSE(pt.ok()) << "enc bit " << bit;
    EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError) << "enc bit " << bit;
  }
}

TEST_F(HpkeRoundTripTest, WrongKeyInfoOrAadFails) {
  Result<HpkeSealed> sealed =
      HpkeSealBase(HpkeAead::kAes256Gcm, recipient_key_->public_key(), info_, aad_, msg_);
  ASSERT_TRUE(sealed.ok());
  Result<X25519KeyPair> other = X25519KeyPair::Generate();
  ASSERT_TRUE(other.ok());
  Result<Bytes> wrong_key =
      HpkeOpenBase(HpkeAead::kAes256Gcm, sealed->enc, *other, info_, aad_, sealed->ciphertext);
  EXPECT_EQ(wrong_key.status().code(), Status::Code::kCryptoError);
  Result<Bytes> wrong_info = HpkeOpenBase(HpkeAead::kAes256Gcm, sealed->enc, *recipient_key_,
                                          ToBytes("other info"), aad_, sealed->ciphertext);
  EXPECT_EQ(wrong_info.status().code(), Status::Code::kCryptoError);
  Result<Bytes> wrong_aad = HpkeOpenBase(HpkeAead::kAes256Gcm, sealed->enc, *recipient_key_, info_,
                                         ToBytes("aae"), sealed->ciphertext);
  EXPECT_EQ(wrong_aad.status().code(), Status::Code::kCryptoError);
  Result<Bytes> wrong_suite = HpkeOpenBase(HpkeAead::kAes128Gcm, sealed->enc, *recipient_key_,
                                           info_, aad_, sealed->ciphertext);
  EXPECT_EQ(wrong_suite.status().code(), Status::Code::kCryptoError);
}

TEST_F(HpkeRoundTripTest, WrongSequenceNumberFailsAndDoesNotAdvance) {
  Result<HpkeSenderSetup> s =
      HpkeSetupBaseS(HpkeAead::kAes256Gcm, recipient_key_->public_key(), info_);
  ASSERT_TRUE(s.ok());
  Result<Bytes> ct0 = s->context.Seal(aad_, msg_);
  Result<Bytes> ct1 = s->context.Seal(aad_, msg_);
  ASSERT_TRUE(ct0.ok() && ct1.ok());
  EXPECT_NE(*ct0, *ct1);
  Result<HpkeContext> r = Recipient(s->enc);
  ASSERT_TRUE(r.ok());
  // Message 1 opened at sequence 0: fails, and the sequence stays at 0.
  Result<Bytes> out_of_order = r->Open(aad_, *ct1);
  EXPECT_EQ(out_of_order.status().code(), Status::Code::kCryptoError);
  EXPECT_EQ(r->sequence_number(), 0u);
  ASSERT_TRUE(r->Open(aad_, *ct0).ok());
  ASSERT_TRUE(r->Open(aad_, *ct1).ok());
  EXPECT_EQ(r->sequence_number(), 2u);
  // Replaying message 0 at sequence 2 fails.
  EXPECT_EQ(r->Open(aad_, *ct0).status().code(), Status::Code::kCryptoError);
}

TEST_F(HpkeRoundTripTest, SequenceNumberExhaustionIsAnError) {
  Result<HpkeSenderSetup> s =
      HpkeSetupBaseS(HpkeAead::kAes256Gcm, recipient_key_->public_key(), info_);
  ASSERT_TRUE(s.ok());
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  s->context.SetSequenceNumberForTesting(kMax - 1);
  Result<Bytes> last = s->context.Seal(aad_, msg_);
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(s->context.sequence_number(), kMax);
  Result<Bytes> over = s->context.Seal(aad_, msg_);
  EXPECT_EQ(over.status().code(), Status::Code::kCryptoError);
  EXPECT_NE(over.status().message().find("message limit"), std::string::npos);

  Result<HpkeContext> r = Recipient(s->enc);
  ASSERT_TRUE(r.ok());
  r->SetSequenceNumberForTesting(kMax - 1);
  Result<Bytes> pt = r->Open(aad_, *last);
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  EXPECT_EQ(*pt, msg_);
  EXPECT_EQ(r->Open(aad_, *last).status().code(), Status::Code::kCryptoError);
}

TEST_F(HpkeRoundTripTest, RolesAreEnforced) {
  Result<HpkeSenderSetup> s =
      HpkeSetupBaseS(HpkeAead::kAes256Gcm, recipient_key_->public_key(), info_);
  ASSERT_TRUE(s.ok());
  Result<Bytes> ct = s->context.Seal(aad_, msg_);
  ASSERT_TRUE(ct.ok());
  EXPECT_EQ(s->context.Open(aad_, *ct).status().code(), Status::Code::kInvalidArgument);
  Result<HpkeContext> r = Recipient(s->enc);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Seal(aad_, msg_).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(HpkeRoundTripTest, ExportAgreesAndRejectsTooLong) {
  Result<HpkeSenderSetup> s =
      HpkeSetupBaseS(HpkeAead::kAes256Gcm, recipient_key_->public_key(), info_);
  ASSERT_TRUE(s.ok());
  Result<HpkeContext> r = Recipient(s->enc);
  ASSERT_TRUE(r.ok());
  // A long exporter context (longer than OpenSSL 3.0's HKDF info cap).
  const Bytes context(3000, 0x42);
  Result<SecretBytes> a = s->context.Export(context, 64);
  Result<SecretBytes> b = r->Export(context, 64);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString();
  EXPECT_EQ(HexEncode(a->view()), HexEncode(b->view()));
  EXPECT_EQ(s->context.Export(context, 255 * 32 + 1).status().code(),
            Status::Code::kInvalidArgument);
}

TEST(HpkeDeriveKeyPairTest, RejectsShortIkm) {
  EXPECT_EQ(HpkeDeriveKeyPair(Bytes(31, 1)).status().code(), Status::Code::kInvalidArgument);
}

TEST(HpkeSetupTest, RejectsLowOrderRecipientKey) {
  // The all-zero u-coordinate is a low-order point: X25519 gives the zero secret.
  Result<HpkeSenderSetup> s = HpkeSetupBaseS(HpkeAead::kAes256Gcm, Bytes(32, 0), {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCryptoError) << s.status().ToString();
  EXPECT_EQ(HpkeSetupBaseS(HpkeAead::kAes256Gcm, Bytes(31, 9), {}).status().code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace feedback
