#include "sync/central/ingest/device_api.h"

#include "crypto/ed25519_public_key.h"
#include "crypto/secret_bytes.h"
#include "protocol/enrollment_token.h"
#include "protocol/messages.h"
#include "protocol/request_signing.h"

namespace feedback::central {
namespace {

ApiResponse StoreDown(const Status& s) {
  return ApiResponse::Error(503, "central store unavailable: " + s.message(), 5);
}

}  // namespace

ApiResponse DeviceApi::Enroll(CentralStore& store, std::string_view body) {
  try {
    Result<protocol::EnrollRequest> req = protocol::ParseEnrollRequest(body);
    if (!req.ok()) {
      return ApiResponse::Error(req.status().code() == Status::Code::kResourceExhausted ? 413 : 400,
                                req.status().message());
    }
    Result<Bytes> secret = protocol::ParseTokenSecret(req->token);
    if (!secret.ok()) return ApiResponse::Error(400, secret.status().message());
    if (Result<Ed25519PublicKey> key = Ed25519PublicKey::FromBytes(req->public_key); !key.ok()) {
      return ApiResponse::Error(400, "enroll request field 'public_key' is not an Ed25519 key");
    }
    Result<SecretBytes> id_bytes = SecretBytes::Random(8);
    if (!id_bytes.ok()) return ApiResponse::Error(500, id_bytes.status().message());
    const std::string device_id = req->kind + "-" + HexEncode(id_bytes->view());
    const TimeMs now = clock_.NowMs();
    Result<Device> device = store.EnrollDevice(protocol::TokenSecretHash(*secret), req->kind,
                                               req->public_key, req->hostname, device_id, now);
    if (!device.ok()) {
      const Status& s = device.status();
      if (s.code() == Status::Code::kUnauthenticated ||
          s.code() == Status::Code::kInvalidArgument) {
        return ApiResponse::Error(401, s.message());
      }
      return StoreDown(s);
    }
    protocol::EnrollResponse resp{device->device_id, device->site_id, device->team,
                                  hpke_public_key_, cert_sha256_};
    return ApiResponse::Ok(
        protocol::ToJson(resp),
        "enrolled " + device->kind + " " + device->device_id + " at site " + device->site_id);
  } catch (const std::exception& e) {
    return ApiResponse::Error(500, std::string("internal error while enrolling: ") + e.what());
  }
}

ApiResponse DeviceApi::DeviceState(CentralStore& store, std::string_view method,
                                   std::string_view path, const SignedHeaders& h) {
  try {
    if (h.device_id.empty() || h.timestamp.empty() || h.signature.empty()) {
      return ApiResponse::Error(401,
                                "missing X-Feedback-Device / X-Feedback-Timestamp / "
                                "X-Feedback-Signature headers: the request must be signed");
    }
    Result<Device> device = store.GetDevice(h.device_id);
    if (!device.ok()) {
      if (device.status().code() == Status::Code::kNotFound) {
        return ApiResponse::Error(
            401, "unknown device '" + h.device_id.substr(0, 64) + "': enroll it with a new token");
      }
      return StoreDown(device.status());
    }
    Result<Ed25519PublicKey> key = Ed25519PublicKey::FromBytes(device->public_key);
    if (!key.ok()) return StoreDown(key.status());
    const TimeMs now = clock_.NowMs();
    if (Status s = protocol::VerifyRequest(*key, method, path, h.timestamp, h.signature, now);
        !s.ok()) {
      return ApiResponse::Error(401, s.message());
    }
    if (device->revoked_at) {
      (void)store.NoteDeviceError(h.device_id, "403 device state refused: device revoked", now);
      return ApiResponse::Error(
          403, "device '" + h.device_id + "' was revoked at " + FormatIso8601(*device->revoked_at));
    }
    Result<protocol::DeviceState> state = store.DeviceState(*device);
    if (!state.ok()) return StoreDown(state.status());
    (void)store.NoteDeviceSeen(h.device_id, now);
    return ApiResponse::Ok(protocol::ToJson(*state), "device state for " + h.device_id);
  } catch (const std::exception& e) {
    return ApiResponse::Error(500, std::string("internal error: ") + e.what());
  }
}

}  // namespace feedback::central
