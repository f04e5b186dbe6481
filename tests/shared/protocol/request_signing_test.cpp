// Signed device requests: the signed message, the headers, clock skew and tampering.
#include "protocol/request_signing.h"

#include <gtest/gtest.h>

#include "protocol/limits.h"

namespace feedback::protocol {
namespace {

TEST(RequestSigningTest, MessageFormat) {
  EXPECT_EQ(RequestSigningMessage("GET", "/api/v1/device/state", "1700000000000"),
            "feedback-request-v1\nGET\n/api/v1/device/state\n1700000000000");
}

TEST(RequestSigningTest, SignAndVerify) {
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  Result<Ed25519PublicKey> pub = key->PublicKey();
  ASSERT_TRUE(pub.ok());
  const TimeMs now = 1'700'000'000'000;
  Result<SignedRequestHeaders> h = SignRequest(*key, "dev-1", "GET", kDeviceStatePath, now);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->device_id, "dev-1");
  EXPECT_EQ(h->timestamp, "1700000000000");
  EXPECT_TRUE(VerifyRequest(*pub, "GET", kDeviceStatePath, h->timestamp, h->signature, now).ok());
  // Within the skew window on both sides.
  EXPECT_TRUE(VerifyRequest(*pub, "GET", kDeviceStatePath, h->timestamp, h->signature,
                            now + kMaxRequestSkewMs)
                  .ok());
  EXPECT_TRUE(VerifyRequest(*pub, "GET", kDeviceStatePath, h->timestamp, h->signature,
                            now - kMaxRequestSkewMs)
                  .ok());
}

TEST(RequestSigningTest, RefusesSkewTamperingAndJunk) {
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  Result<Ed25519PrivateKey> other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok() && other.ok());
  Result<Ed25519PublicKey> pub = key->PublicKey();
  const TimeMs now = 1'700'000'000'000;
  Result<SignedRequestHeaders> h = SignRequest(*key, "dev-1", "GET", kDeviceStatePath, now);
  ASSERT_TRUE(h.ok());
  auto verify = [&](std::string_view method, std::string_view path, std::string_view ts,
                    std::string_view sig,
                    TimeMs at) { return VerifyRequest(*pub, method, path, ts, sig, at); };
  EXPECT_EQ(verify("GET", kDeviceStatePath, h->timestamp, h->signature, now + kMaxRequestSkewMs + 1)
                .code(),
            Status::Code::kUnauthenticated);
  EXPECT_EQ(verify("GET", kDeviceStatePath, h->timestamp, h->signature, now - kMaxRequestSkewMs - 1)
                .code(),
            Status::Code::kUnauthenticated);
  EXPECT_EQ(verify("POST", kDeviceStatePath, h->timestamp, h->signature, now).code(),
            Status::Code::kUnauthenticated);
  EXPECT_EQ(verify("GET", "/api/v1/other", h->timestamp, h->signature, now).code(),
            Status::Code::kUnauthenticated);
  EXPECT_EQ(verify("GET", kDeviceStatePath, "1700000000001", h->signature, now).code(),
            Status::Code::kUnauthenticated);
  EXPECT_EQ(verify("GET", kDeviceStatePath, "17e11", h->signature, now).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(verify("GET", kDeviceStatePath, "", h->signature, now).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(verify("GET", kDeviceStatePath, h->timestamp, "not base64!", now).code(),
            Status::Code::kInvalidArgument);
  Result<SignedRequestHeaders> forged = SignRequest(*other, "dev-1", "GET", kDeviceStatePath, now);
  EXPECT_EQ(verify("GET", kDeviceStatePath, forged->timestamp, forged->signature, now).code(),
            Status::Code::kUnauthenticated);
}

}  // namespace
}  // namespace feedback::protocol
