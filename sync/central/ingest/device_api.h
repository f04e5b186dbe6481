// DeviceApi: the endpoints devices call, without the HTTP library:
//   POST /api/v1/enroll        - one-time token -> device id, site, central keys
//   POST /api/v1/batches       - delegated to Ingestor
//   GET  /api/v1/device/state  - signed request -> surveys, roster, hero stories
// Each returns an ApiResponse with the status codes of docs/protocol.md and
// never throws.
//
// Threading: safe to call from many threads, each passing its own store.
// Borrows the Ingestor and the clock; copies the central public facts.
#pragma once

#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/clock.h"
#include "sync/central/ingest/api_response.h"
#include "sync/central/store/central_store.h"
#include "sync/central/ingest/ingestor.h"

namespace feedback::central {

struct SignedHeaders {
  std::string device_id;
  std::string timestamp;
  std::string signature;
};

class DeviceApi {
 public:
  DeviceApi(Ingestor& ingestor, const Clock& clock, Bytes central_hpke_public_key,
            std::string cert_sha256)
      : ingestor_(ingestor),
        clock_(clock),
        hpke_public_key_(std::move(central_hpke_public_key)),
        cert_sha256_(std::move(cert_sha256)) {}

  ApiResponse Enroll(CentralStore& store, std::string_view body);
  ApiResponse Batch(CentralStore& store, ByteView body) {
    return ingestor_.HandleBatch(store, body);
  }
  ApiResponse DeviceState(CentralStore& store, std::string_view method, std::string_view path,
                          const SignedHeaders& headers);

 private:
  Ingestor& ingestor_;
  const Clock& clock_;
  Bytes hpke_public_key_;
  std::string cert_sha256_;
};

}  // namespace feedback::central
