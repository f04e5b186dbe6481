// AesGcm: round trips for both key sizes, the record format, NIST-style known
// answer, and bad input (every truncation, every bit flip, wrong key, wrong
// associated data) giving CryptoError and no plaintext.
#include "crypto/aes_gcm.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "core/bytes.h"

namespace feedback {
namespace {

Bytes Hex(std::string_view hex) {
  Result<Bytes> b = HexDecode(hex);
  EXPECT_TRUE(b.ok());
  return b.value_or({});
}

AesGcm MakeCipher(const Bytes& key) {
  Result<AesGcm> c = AesGcm::Create(key);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

TEST(AesGcmTest, RejectsBadKeyAndNonceSizes) {
  EXPECT_EQ(AesGcm::Create(Bytes(24, 1)).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(AesGcm::Create(Bytes()).status().code(), Status::Code::kInvalidArgument);
  AesGcm c = MakeCipher(Bytes(32, 1));
  EXPECT_EQ(c.SealWithNonce(Bytes(11, 0), ToBytes("x"), {}).status().code(),
            Status::Code::kInvalidArgument);
}

TEST(AesGcmTest, KnownAnswerAes128) {
  // GCM spec (McGrew & Viega) test case 3's key, nonce and plaintext, with no aad.
  AesGcm c = MakeCipher(Hex("feffe9928665731c6d6a8f9467308308"));
  const Bytes nonce = Hex("cafebabefacedbaddecaf888");
  const Bytes pt =
      Hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
          "49a6b525b16aedf5aa0de657ba637b391aafd255");
  Result<Bytes> ct = c.SealWithNonce(nonce, pt, {});
  ASSERT_TRUE(ct.ok());
  EXPECT_EQ(HexEncode(*ct),
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a"
            "5aac84aa051ba30b396a0aac973d58e091473f5985"
            "4d5c2af327cd64a62cf35abd2ba6fab4");
  Result<Bytes> back = c.OpenWithNonce(nonce, *ct, {});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, pt);
}

class AesGcm256Test : public ::testing::Test {
 protected:
  AesGcm cipher_ = MakeCipher(Bytes(32, 0x11));
  const Bytes aad_ = ToBytes("record 42");
  const Bytes msg_ = ToBytes("the coffee was cold");
};

TEST_F(AesGcm256Test, RoundTripWithRandomNoncePrepended) {
  Result<Bytes> a = cipher_.Seal(msg_, aad_);
  Result<Bytes> b = cipher_.Seal(msg_, aad_);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), msg_.size() + AesGcm::kOverhead);
  EXPECT_NE(*a, *b);  // fresh nonce each time
  Result<Bytes> pt = cipher_.Open(*a, aad_);
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  EXPECT_EQ(*pt, msg_);
  // The nonce is the first 12 bytes: OpenWithNonce agrees.
  Result<Bytes> pt2 = cipher_.OpenWithNonce(ByteView(*a).first(12), ByteView(*a).subspan(12), aad_);
  ASSERT_TRUE(pt2.ok());
  EXPECT_EQ(*pt2, msg_);
}

TEST_F(AesGcm256Test, EmptyPlaintextAndAad) {
  Result<Bytes> sealed = cipher_.Seal({}, {});
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), AesGcm::kOverhead);
  Result<Bytes> pt = cipher_.Open(*sealed, {});
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  EXPECT_TRUE(pt->empty());
  EXPECT_EQ(cipher_.Open(*sealed, ToBytes("x")).status().code(), Status::Code::kCryptoError);
}

TEST_F(AesGcm256Test, EveryTruncationFails) {
  Result<Bytes> sealed = cipher_.Seal(msg_, aad_);
  ASSERT_TRUE(sealed.ok());
  for (size_t len = 0; len < sealed->size(); ++len) {
    Result<Bytes> pt = cipher_.Open(ByteView(sealed->data(), len), aad_);
    ASSERT_FALSE(pt.ok()) << "length " << len;
    EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError) << pt.status().ToString();
  }
  // The cipher still works after all those failures.
  EXPECT_TRUE(cipher_.Open(*sealed, aad_).ok());
}

TEST_F(AesGcm256Test, EveryBitFlipFails) {
  Result<Bytes> sealed = cipher_.Seal(msg_, aad_);
  ASSERT_TRUE(sealed.ok());
  for (size_t bit = 0; bit < sealed->size() * 8; ++bit) {
    Bytes damaged = *sealed;
    damaged[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Result<Bytes> pt = cipher_.Open(damaged, aad_);
    ASSERT_FALSE(pt.ok()) << "bit " << bit;
    EXPECT_EQ(pt.status().code(), Status::Code::kCryptoError);
    EXPECT_NE(pt.status().message().find("AES-GCM"), std::string::npos);
  }
}

TEST_F(AesGcm256Test, WrongKeyOrAadFails) {
  Result<Bytes> sealed = cipher_.Seal(msg_, aad_);
  ASSERT_TRUE(sealed.ok());
  AesGcm other = MakeCipher(Bytes(32, 0x12));
  Result<Bytes> wrong_key = other.Open(*sealed, aad_);
  EXPECT_EQ(wrong_key.status().code(), Status::Code::kCryptoError);
  EXPECT_NE(wrong_key.status().message().find("authentication failed"), std::string::npos)
      << wrong_key.status().ToString();
  EXPECT_EQ(cipher_.Open(*sealed, ToBytes("record 43")).status().code(),
            Status::Code::kCryptoError);
  EXPECT_EQ(cipher_.Open(*sealed, {}).status().code(), Status::Code::kCryptoError);
}

TEST_F(AesGcm256Test, NoncesAreUniqueAndNotSharedWithAForkedChild) {
  std::set<Bytes> nonces;
  for (int i = 0; i < 1000; ++i) {  // spans many batches of drawn nonces
    Result<Bytes> sealed = cipher_.Seal(msg_, aad_);
    ASSERT_TRUE(sealed.ok());
    nonces.insert(Bytes(sealed->begin(), sealed->begin() + AesGcm::kNonceSize));
  }
  EXPECT_EQ(nonces.size(), 1000u);

  // Parent and child continue from the same batch position after fork();
  // without the fork hook they would both use the same next nonce.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    Result<Bytes> sealed = cipher_.Seal(msg_, aad_);
    const bool ok = sealed.ok() && ::write(fds[1], sealed->data(), AesGcm::kNonceSize) ==
                                       static_cast<ssize_t>(AesGcm::kNonceSize);
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  Result<Bytes> parent = cipher_.Seal(msg_, aad_);
  ASSERT_TRUE(parent.ok());
  Bytes child_nonce(AesGcm::kNonceSize);
  EXPECT_EQ(::read(fds[0], child_nonce.data(), child_nonce.size()),
            static_cast<ssize_t>(child_nonce.size()));
  ::close(fds[0]);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  EXPECT_NE(child_nonce, Bytes(parent->begin(), parent->begin() + AesGcm::kNonceSize));
}

TEST_F(AesGcm256Test, LargeRecordRoundTrip) {
  Bytes big(1 << 20);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 31);
  Result<Bytes> sealed = cipher_.Seal(big, aad_);
  ASSERT_TRUE(sealed.ok());
  Result<Bytes> pt = cipher_.Open(*sealed, aad_);
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(*pt, big);
}

}  // namespace
}  // namespace feedback
