// The admin PIN file: salted PBKDF2 hash, 0600, refused when others can read it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <set>

#include "common/temp_dir.h"
#include "logic/admin_pin.h"

namespace feedback::kiosk {
namespace {

using feedback::testing::TempDir;

constexpr int kFast = 1'000;  // the minimum; the real default is slow on purpose

TEST(AdminPinTest, VerifiesOnlyTheRightPin) {
  Result<PinHash> h = HashPin("2468", kFast);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_TRUE(VerifyPin(*h, "2468"));
  EXPECT_FALSE(VerifyPin(*h, "2469"));
  EXPECT_FALSE(VerifyPin(*h, "24680"));
  EXPECT_FALSE(VerifyPin(*h, ""));
}

TEST(AdminPinTest, SaltMakesEveryHashDifferent) {
  std::set<std::string> lines;
  for (int i = 0; i < 5; ++i) lines.insert(HashPin("1234", kFast)->Serialize());
  EXPECT_EQ(lines.size(), 5u);
}

TEST(AdminPinTest, IsStandardPbkdf2HmacSha256) {
  // Expected value from Python: hashlib.pbkdf2_hmac("sha256", b"1234", b"kiosk-salt-16byt", 1000)
  Result<PinHash> h =
      PinHash::Parse("pbkdf2-sha256$1000$" + HexEncode(AsBytes("kiosk-salt-16byt")) +
                     "$d0d437489912f13e54781be760a008cca2cc503291e9766c577e6ac52ba7da8f");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_TRUE(VerifyPin(*h, "1234"));
  EXPECT_FALSE(VerifyPin(*h, "1235"));
  Result<PinHash> fresh = HashPin("1234", kFast);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->hash.size(), 32u);
  EXPECT_EQ(fresh->salt.size(), 16u);
  EXPECT_EQ(kDefaultPinIterations, 600'000);
}

TEST(AdminPinTest, RejectsMalformedPins) {
  for (const char* bad : {"", "123", "1234567890123", "12a4", "12 34", "١٢٣٤"}) {
    EXPECT_EQ(HashPin(bad, kFast).status().code(), Status::Code::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(CheckPinFormat("0000").ok());
  EXPECT_TRUE(CheckPinFormat("123456789012").ok());
}

TEST(AdminPinTest, FileRoundTripWithMode0600) {
  TempDir dir;
  const std::string path = dir.File("kiosk_admin.pin");
  Result<PinHash> h = HashPin("97531", kFast);
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(SavePinFile(path, *h).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<PinHash> loaded = LoadPinFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(VerifyPin(*loaded, "97531"));
  EXPECT_FALSE(VerifyPin(*loaded, "97532"));
  // The PIN itself is nowhere in the file.
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("97531"), std::string::npos);
  EXPECT_EQ(text.rfind("pbkdf2-sha256$1000$", 0), 0u) << text;
}

TEST(AdminPinTest, RefusesAFileOthersCanRead) {
  TempDir dir;
  const std::string path = dir.File("pin");
  ASSERT_TRUE(SavePinFile(path, *HashPin("1234", kFast)).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  Result<PinHash> loaded = LoadPinFile(path);
  EXPECT_EQ(loaded.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(loaded.status().message().find("chmod 600"), std::string::npos)
      << loaded.status().message();
}

TEST(AdminPinTest, MissingAndMalformedFilesSayWhatToDo) {
  TempDir dir;
  Result<PinHash> missing = LoadPinFile(dir.File("none"));
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("set-pin"), std::string::npos);

  const std::string path = dir.File("bad");
  for (const char* content : {"1234\n", "pbkdf2-sha256$10$00112233445566778899aabbccddeeff$00",
                              "pbkdf2-sha256$99999999999$0011223344556677$"
                              "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc",
                              "sha1$1000$0011223344556677$00"}) {
    {
      std::ofstream out(path, std::ios::trunc);
      out << content;
    }
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    Result<PinHash> loaded = LoadPinFile(path);
    EXPECT_EQ(loaded.status().code(), Status::Code::kInvalidArgument) << content;
    EXPECT_NE(loaded.status().message().find(path), std::string::npos);
  }
}

}  // namespace
}  // namespace feedback::kiosk
