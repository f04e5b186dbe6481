// Ed25519 device keys: RFC 8032 known answer, sign/verify, tampering, raw
// public key import/export, and the 0600 PEM key-file rules.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "core/bytes.h"
#include "crypto/ed25519_private_key.h"
#include "crypto/ed25519_public_key.h"
#include "crypto/key_file.h"
#include "common/temp_dir.h"

namespace feedback {
namespace {

Bytes Hex(std::string_view hex) {
  Result<Bytes> b = HexDecode(hex);
  EXPECT_TRUE(b.ok());
  return b.value_or({});
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(Ed25519Test, Rfc8032TestVector1) {
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::FromSeed(
      Hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(HexEncode(key->public_key_bytes()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  Result<Bytes> sig = key->Sign({});
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(HexEncode(*sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
            "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
}

class Ed25519KeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Ed25519PrivateKey> k = Ed25519PrivateKey::Generate();
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    key_.emplace(std::move(k).value());
    Result<Ed25519PublicKey> p = Ed25519PublicKey::FromBytes(key_->public_key_bytes());
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    public_key_.emplace(std::move(p).value());
  }

  std::optional<Ed25519PrivateKey> key_;
  std::optional<Ed25519PublicKey> public_key_;
  const Bytes msg_ = ToBytes("batch header and body");
};

TEST_F(Ed25519KeyTest, SignVerifyRoundTrip) {
  Result<Bytes> sig = key_->Sign(msg_);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), Ed25519PublicKey::kSignatureSize);
  EXPECT_TRUE(public_key_->Verify(msg_, *sig).ok());
  EXPECT_EQ(public_key_->bytes(), key_->public_key_bytes());
  EXPECT_EQ(public_key_->bytes().size(), 32u);
}

TEST_F(Ed25519KeyTest, EveryFlippedBitInMessageOrSignatureFails) {
  Result<Bytes> sig = key_->Sign(msg_);
  ASSERT_TRUE(sig.ok());
  for (size_t bit = 0; bit < msg_.size() * 8; ++bit) {
    Bytes m = msg_;
    m[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Status s = public_key_->Verify(m, *sig);
    ASSERT_FALSE(s.ok()) << "message bit " << bit;
    EXPECT_EQ(s.code(), Status::Code::kUnauthenticated);
  }
  for (size_t bit = 0; bit < sig->size() * 8; ++bit) {
    Bytes sg = *sig;
    sg[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Status s = public_key_->Verify(msg_, sg);
    ASSERT_FALSE(s.ok()) << "signature bit " << bit;
    EXPECT_EQ(s.code(), Status::Code::kUnauthenticated);
  }
  EXPECT_EQ(public_key_->Verify(msg_, ByteView(*sig).first(63)).code(),
            Status::Code::kUnauthenticated);
}

TEST_F(Ed25519KeyTest, OtherKeyFails) {
  Result<Ed25519PrivateKey> other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  Result<Bytes> sig = other->Sign(msg_);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(public_key_->Verify(msg_, *sig).code(), Status::Code::kUnauthenticated);
}

TEST(Ed25519PublicKeyTest, RejectsBadRawKeys) {
  EXPECT_EQ(Ed25519PublicKey::FromBytes(Bytes(31, 1)).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(Ed25519PublicKey::FromBytes(Bytes(33, 1)).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_F(Ed25519KeyTest, SavedKeyFileIsMode0600AndLoadsBack) {
  testing::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.File("device.key");
  ASSERT_TRUE(key_->SavePem(path).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  Result<Ed25519PrivateKey> loaded = Ed25519PrivateKey::LoadPem(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->public_key_bytes(), key_->public_key_bytes());
  Result<Bytes> sig = loaded->Sign(msg_);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(public_key_->Verify(msg_, *sig).ok());
  // No temporary files are left next to it.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.File(""))) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(Ed25519KeyTest, SaveNeverOverwrites) {
  testing::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.File("device.key");
  ASSERT_TRUE(key_->SavePem(path).ok());
  Status again = key_->SavePem(path);
  EXPECT_EQ(again.code(), Status::Code::kAlreadyExists) << again.ToString();
}

TEST_F(Ed25519KeyTest, Loading0644KeyFileFailsNamingModeAndFix) {
  testing::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.File("device.key");
  ASSERT_TRUE(key_->SavePem(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  Result<Ed25519PrivateKey> loaded = Ed25519PrivateKey::LoadPem(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kPermissionDenied);
  const std::string msg = loaded.status().message();
  EXPECT_NE(msg.find("0644"), std::string::npos) << msg;
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("chmod 600 " + path), std::string::npos) << msg;
  // Group-writable only is refused too.
  ASSERT_EQ(::chmod(path.c_str(), 0620), 0);
  EXPECT_EQ(Ed25519PrivateKey::LoadPem(path).status().code(), Status::Code::kPermissionDenied);
}

TEST_F(Ed25519KeyTest, CorruptedPemFailsClearly) {
  testing::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.File("device.key");
  ASSERT_TRUE(key_->SavePem(path).ok());
  Result<SecretBytes> contents = ReadSecretFile(path);
  ASSERT_TRUE(contents.ok());
  std::string pem = ToString(contents->view());
  // Damage the base64 body.
  const size_t body = pem.find('\n') + 5;
  ASSERT_LT(body, pem.size());
  pem[body] = pem[body] == 'A' ? '!' : 'A';
  pem[body + 1] = '*';
  {
    std::ofstream out(path, std::ios::trunc);
    out << pem;
  }
  Result<Ed25519PrivateKey> loaded = Ed25519PrivateKey::LoadPem(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption) << loaded.status().ToString();
  EXPECT_NE(loaded.status().message().find(path), std::string::npos);
  EXPECT_NE(loaded.status().message().find("PEM"), std::string::npos);

  // Not PEM at all.
  const std::string junk_path = dir.File("junk.key");
  ASSERT_TRUE(WriteSecretFile(junk_path, AsBytes("not a key\n")).ok());
  EXPECT_EQ(Ed25519PrivateKey::LoadPem(junk_path).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(Ed25519PrivateKey::LoadPem(dir.File("missing.key")).status().code(),
            Status::Code::kNotFound);
}

}  // namespace
}  // namespace feedback
