// EpochSealer + EpochOpener: round trip, epoch rotation on a new UTC day (and
// not within one), and bad input giving CryptoError with no plaintext.
#include "capture/epoch_sealer.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "capture/epoch_opener.h"
#include "core/clock.h"
#include "core/uuid.h"
#include "crypto/hpke.h"
#include "crypto/x25519_key_pair.h"

namespace feedback {
namespace {

constexpr TimeMs kDayMs = 86'400'000;
// 2023-11-14T22:13:20Z: under two hours before a UTC midnight.
constexpr TimeMs kStart = 1'700'000'000'000;

class EpochSealerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<X25519KeyPair> key = X25519KeyPair::Generate();
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    public_key_ = key->public_key();
    opener_.emplace(std::move(key).value());
    Result<EpochSealer> sealer = EpochSealer::Create(public_key_, clock_);
    ASSERT_TRUE(sealer.ok()) << sealer.status().ToString();
    sealer_.emplace(std::move(sealer).value());
  }

  SealedFields MustSeal(std::string_view text, std::string_view aad) {
    Result<SealedFields> s = sealer_->Seal(AsBytes(text), AsBytes(aad));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : SealedFields{};
  }

  Result<Bytes> Open(const SealedFields& f, std::string_view aad) {
    return opener_->OpenFields(f.epoch_id, f.sealed_epoch_key, f.ciphertext, AsBytes(aad));
  }

  FakeClock clock_{kStart};
  Bytes public_key_;
  std::optional<EpochOpener> opener_;
  std::optional<EpochSealer> sealer_;
};

TEST_F(EpochSealerTest, RoundTripThroughOpener) {
  const SealedFields f = MustSeal("Jane Doe, jane@example.com, the queue was long", "rec-1");
  EXPECT_EQ(f.sealed_epoch_key.size(), kSealedEpochKeySize);
  EXPECT_EQ(f.sealed_epoch_key.size(), 80u);
  Result<Uuid> id = Uuid::Parse(f.epoch_id);
  ASSERT_TRUE(id.ok()) << f.epoch_id;
  EXPECT_EQ(id->version(), 7);
  EXPECT_EQ(id->timestamp_ms(), kStart);
  // No plaintext in the ciphertext.
  EXPECT_EQ(ToString(f.ciphertext).find("Jane"), std::string::npos);
  Result<Bytes> pt = Open(f, "rec-1");
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  EXPECT_EQ(ToString(*pt), "Jane Doe, jane@example.com, the queue was long");
  // The epoch key is opened once and cached.
  EXPECT_EQ(opener_->cached_epochs(), 1u);
  const SealedFields g = MustSeal("second", "rec-2");
  EXPECT_EQ(g.epoch_id, f.epoch_id);
  EXPECT_EQ(g.sealed_epoch_key, f.sealed_epoch_key);
  Result<Bytes> pt2 = Open(g, "rec-2");
  ASSERT_TRUE(pt2.ok());
  EXPECT_EQ(ToString(*pt2), "second");
  EXPECT_EQ(opener_->cached_epochs(), 1u);
}

TEST_F(EpochSealerTest, OpenEpochKeyMatchesAndFieldsOpenWithIt) {
  const SealedFields f = MustSeal("text", "aad");
  Result<SecretBytes> key = opener_->OpenEpochKey(f.epoch_id, f.sealed_epoch_key);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  ASSERT_EQ(key->size(), kEpochKeySize);
  Result<AesGcm> cipher = AesGcm::Create(key->view());
  ASSERT_TRUE(cipher.ok());
  Result<Bytes> pt = cipher->Open(f.ciphertext, AsBytes("aad"));
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(ToString(*pt), "text");
}

TEST_F(EpochSealerTest, EpochChangesOnNewUtcDayButNotWithinADay) {
  const SealedFields a = MustSeal("a", "x");
  clock_.Advance(60 * 60 * 1000);  // 23:13 the same UTC day
  ASSERT_EQ(DayNumber(clock_.NowMs()), DayNumber(kStart));
  const SealedFields b = MustSeal("b", "x");
  EXPECT_EQ(a.epoch_id, b.epoch_id);
  EXPECT_EQ(a.sealed_epoch_key, b.sealed_epoch_key);

  clock_.Advance(kDayMs / 12);  // past midnight UTC
  ASSERT_EQ(DayNumber(clock_.NowMs()), DayNumber(kStart) + 1);
  const SealedFields c = MustSeal("c", "x");
  EXPECT_NE(c.epoch_id, a.epoch_id);
  EXPECT_NE(c.sealed_epoch_key, a.sealed_epoch_key);
  const SealedFields d = MustSeal("d", "x");
  EXPECT_EQ(c.epoch_id, d.epoch_id);

  // Records of both epochs still open.
  for (const auto& [f, want] : {std::pair{&a, "a"}, {&b, "b"}, {&c, "c"}, {&d, "d"}}) {
    Result<Bytes> pt = Open(*f, "x");
    ASSERT_TRUE(pt.ok()) << pt.status().ToString();
    EXPECT_EQ(ToString(*pt), want);
  }
  EXPECT_EQ(opener_->cached_epochs(), 2u);
  // The new epoch's key really is a different key.
  Result<Bytes> cross =
      opener_->OpenFields(c.epoch_id, c.sealed_epoch_key, a.ciphertext, AsBytes("x"));
  EXPECT_EQ(cross.status().code(), Status::Code::kCryptoError);
}

TEST_F(EpochSealerTest, EachSealerStartsItsOwnEpoch) {
  Result<EpochSealer> second = EpochSealer::Create(public_key_, clock_);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->epoch_id(), sealer_->epoch_id());
  std::set<std::string> ids{sealer_->epoch_id(), second->epoch_id()};
  ASSERT_TRUE(sealer_->StartNewEpoch().ok());
  ids.insert(sealer_->epoch_id());
  EXPECT_EQ(ids.size(), 3u);
}

TEST_F(EpochSealerTest, WrongAssociatedDataFails) {
  const SealedFields f = MustSeal("text", "record 1");
  Result<Bytes> pt = Open(f, "record 2");
  ASSERT_FALSE(pt.ok());
  EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError);
  EXPECT_NE(pt.status().message().find(f.epoch_id), std::string::npos) << pt.status().ToString();
}

TEST_F(EpochSealerTest, TruncatedOrFlippedFieldsFail) {
  const SealedFields f = MustSeal("short text", "aad");
  for (size_t len = 0; len < f.ciphertext.size(); ++len) {
    Result<Bytes> pt = opener_->OpenFields(f.epoch_id, f.sealed_epoch_key,
                                           ByteView(f.ciphertext.data(), len), AsBytes("aad"));
    ASSERT_FALSE(pt.ok()) << "length " << len;
    EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError);
  }
  for (size_t bit = 0; bit < f.ciphertext.size() * 8; ++bit) {
    Bytes ct = f.ciphertext;
    ct[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Result<Bytes> pt = opener_->OpenFields(f.epoch_id, f.sealed_epoch_key, ct, AsBytes("aad"));
    ASSERT_FALSE(pt.ok()) << "bit " << bit;
    EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError);
  }
}

TEST_F(EpochSealerTest, DamagedSealedEpochKeyFails) {
  const SealedFields f = MustSeal("text", "aad");
  for (size_t len = 0; len < f.sealed_epoch_key.size(); ++len) {
    Result<SecretBytes> key =
        opener_->OpenEpochKey(f.epoch_id, ByteView(f.sealed_epoch_key.data(), len));
    ASSERT_FALSE(key.ok()) << "length " << len;
    EXPECT_EQ(key.status().code(), Status::Code::kCryptoError);
  }
  for (size_t bit = 0; bit < f.sealed_epoch_key.size() * 8; ++bit) {
    Bytes sealed = f.sealed_epoch_key;
    sealed[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Result<Bytes> pt = opener_->OpenFields(f.epoch_id, sealed, f.ciphertext, AsBytes("aad"));
    ASSERT_FALSE(pt.ok()) << "bit " << bit;
    EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError);
  }
  EXPECT_EQ(opener_->cached_epochs(), 0u);
  // The genuine one still works afterwards.
  EXPECT_TRUE(Open(f, "aad").ok());
}

TEST_F(EpochSealerTest, EpochIdIsBoundToTheSealedKey) {
  const SealedFields f = MustSeal("text", "aad");
  Result<SecretBytes> key =
      opener_->OpenEpochKey("01890000-0000-7000-8000-000000000000", f.sealed_epoch_key);
  EXPECT_EQ(key.status().code(), Status::Code::kCryptoError);
  // Cached under its true id, the key is not served for a different sealed key.
  ASSERT_TRUE(Open(f, "aad").ok());
  Bytes other = f.sealed_epoch_key;
  other.back() ^= 1;
  EXPECT_EQ(opener_->OpenFields(f.epoch_id, other, f.ciphertext, AsBytes("aad")).status().code(),
            Status::Code::kCryptoError);
}

TEST_F(EpochSealerTest, WrongCentralKeyFails) {
  const SealedFields f = MustSeal("text", "aad");
  Result<X25519KeyPair> other = X25519KeyPair::Generate();
  ASSERT_TRUE(other.ok());
  EpochOpener wrong(std::move(other).value());
  Result<Bytes> pt = wrong.OpenFields(f.epoch_id, f.sealed_epoch_key, f.ciphertext, AsBytes("aad"));
  EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError);
}

TEST(EpochSealerCreateTest, RejectsMalformedCentralKey) {
  FakeClock clock;
  EXPECT_EQ(EpochSealer::Create(Bytes(31, 1), clock).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_FALSE(EpochSealer::Create(Bytes(32, 0), clock).ok());  // low-order point
}

TEST(EpochOpenerCacheTest, EvictsLeastRecentlyUsed) {
  Result<X25519KeyPair> key = X25519KeyPair::Generate();
  ASSERT_TRUE(key.ok());
  const Bytes public_key = key->public_key();
  EpochOpener opener(std::move(key).value(), 2);
  FakeClock clock;
  std::vector<SealedFields> fields;
  for (int i = 0; i < 3; ++i) {
    Result<EpochSealer> sealer = EpochSealer::Create(public_key, clock);
    ASSERT_TRUE(sealer.ok());
    Result<SealedFields> f = sealer->Seal(AsBytes("x"), {});
    ASSERT_TRUE(f.ok());
    fields.push_back(std::move(f).value());
    clock.Advance(1);
  }
  for (const SealedFields& f : fields) {
    ASSERT_TRUE(opener.OpenFields(f.epoch_id, f.sealed_epoch_key, f.ciphertext, {}).ok());
  }
  EXPECT_EQ(opener.cached_epochs(), 2u);
  // The evicted epoch is opened again on demand.
  EXPECT_TRUE(
      opener.OpenFields(fields[0].epoch_id, fields[0].sealed_epoch_key, fields[0].ciphertext, {})
          .ok());
  EXPECT_EQ(opener.cached_epochs(), 2u);
}

}  // namespace
}  // namespace feedback
