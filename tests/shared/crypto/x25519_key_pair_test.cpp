// X25519KeyPair: RFC 7748 known answer, agreement symmetry, the 0600 PEM file
// rules, and the secret-file helpers underneath them.
#include "crypto/x25519_key_pair.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/bytes.h"
#include "crypto/ed25519_private_key.h"
#include "crypto/key_file.h"
#include "common/temp_dir.h"

namespace feedback {
namespace {

Bytes Hex(std::string_view hex) {
  Result<Bytes> b = HexDecode(hex);
  EXPECT_TRUE(b.ok());
  return b.value_or({});
}

TEST(X25519KeyPairTest, Rfc7748Section6_1) {
  Result<X25519KeyPair> alice = X25519KeyPair::FromPrivateKey(
      Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  Result<X25519KeyPair> bob = X25519KeyPair::FromPrivateKey(
      Hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  ASSERT_TRUE(alice.ok() && bob.ok());
  EXPECT_EQ(HexEncode(alice->public_key()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(HexEncode(bob->public_key()),
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  Result<SecretBytes> ab = alice->Agree(bob->public_key());
  Result<SecretBytes> ba = bob->Agree(alice->public_key());
  ASSERT_TRUE(ab.ok() && ba.ok());
  EXPECT_EQ(HexEncode(ab->view()),
            "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  EXPECT_EQ(HexEncode(ba->view()), HexEncode(ab->view()));
}

TEST(X25519KeyPairTest, RejectsBadKeys) {
  EXPECT_EQ(X25519KeyPair::FromPrivateKey(Bytes(31, 1)).status().code(),
            Status::Code::kInvalidArgument);
  Result<X25519KeyPair> k = X25519KeyPair::Generate();
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->Agree(Bytes(33, 1)).status().code(), Status::Code::kInvalidArgument);
  Result<SecretBytes> zero = k->Agree(Bytes(32, 0));  // low-order point
  EXPECT_EQ(zero.status().code(), Status::Code::kCryptoError) << zero.status().ToString();
}

TEST(X25519KeyPairTest, PemFileRoundTripWithMode0600) {
  testing::TempDir dir;
  ASSERT_TRUE(dir.ok());
  Result<X25519KeyPair> k = X25519KeyPair::Generate();
  ASSERT_TRUE(k.ok());
  const std::string path = dir.File("central-hpke.key");
  ASSERT_TRUE(k->SavePem(path).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  Result<X25519KeyPair> loaded = X25519KeyPair::LoadPem(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->public_key(), k->public_key());
  Result<SecretBytes> a = k->PrivateKeyBytes();
  Result<SecretBytes> b = loaded->PrivateKeyBytes();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(HexEncode(a->view()), HexEncode(b->view()));

  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  Result<X25519KeyPair> refused = X25519KeyPair::LoadPem(path);
  EXPECT_EQ(refused.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("0640"), std::string::npos)
      << refused.status().ToString();
}

TEST(X25519KeyPairTest, LoadingAnEd25519KeyFails) {
  testing::TempDir dir;
  ASSERT_TRUE(dir.ok());
  Result<Ed25519PrivateKey> ed = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(ed.ok());
  const std::string path = dir.File("device.key");
  ASSERT_TRUE(ed->SavePem(path).ok());
  Result<X25519KeyPair> wrong = X25519KeyPair::LoadPem(path);
  EXPECT_EQ(wrong.status().code(), Status::Code::kCorruption) << wrong.status().ToString();
}

TEST(KeyFileTest, WriteReadRoundTripAndRules) {
  testing::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.File("secret");
  ASSERT_TRUE(WriteSecretFile(path, AsBytes("s3cret")).ok());
  Result<SecretBytes> back = ReadSecretFile(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToString(back->view()), "s3cret");
  EXPECT_EQ(WriteSecretFile(path, AsBytes("other")).code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(ReadSecretFile(dir.File("nope")).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(ReadSecretFile(dir.File("")).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(WriteSecretFile(dir.File("no/such/dir/key"), AsBytes("x")).code(),
            Status::Code::kIoError);
}

TEST(SecretBytesTest, MoveLeavesSourceEmptyAndClearWipes) {
  SecretBytes a(ToBytes("key material"));
  SecretBytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(ToString(b.view()), "key material");
  b.Clear();
  EXPECT_TRUE(b.empty());
  Result<SecretBytes> r = SecretBytes::Random(32);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 32u);
}

}  // namespace
}  // namespace feedback
