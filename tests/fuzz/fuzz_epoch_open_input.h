// The input format of the fuzz_epoch_open target, shared by the target and by
// the program that writes its seed corpus (make_fuzz_epoch_open_seeds.cpp):
//
//   selector(1) id_len(1) epoch_id sealed_len(1) sealed_epoch_key aad_len(1) aad ciphertext...
//
// selector 0 feeds EpochOpener::OpenFields under the fixed central key below;
// selector 1 feeds AesGcm::Open under the fixed field key (the record path
// alone, without an HPKE layer in front of it). The keys are test keys only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/bytes.h"

namespace feedback::fuzz {

// ikm for HpkeDeriveKeyPair -> the fixed central X25519 key.
inline constexpr std::string_view kCentralKeyIkm = "fuzz_epoch_open central key ikm!";
// A fixed AES-256-GCM key for the selector-1 path.
inline constexpr std::string_view kFieldKey = "fuzz_epoch_open fixed field key!";

struct EpochOpenInput {
  uint8_t selector = 0;
  ByteView epoch_id;
  ByteView sealed_epoch_key;
  ByteView aad;
  ByteView ciphertext;
};

// Splits data; nullopt if a length prefix runs past the end.
inline std::optional<EpochOpenInput> ParseEpochOpenInput(ByteView data) {
  EpochOpenInput in;
  if (data.empty()) return std::nullopt;
  in.selector = data[0];
  data = data.subspan(1);
  auto take = [&data](ByteView& out) {
    if (data.empty() || data.size() - 1 < data[0]) return false;
    out = data.subspan(1, data[0]);
    data = data.subspan(1 + size_t{data[0]});
    return true;
  };
  if (!take(in.epoch_id) || !take(in.sealed_epoch_key) || !take(in.aad)) return std::nullopt;
  in.ciphertext = data;
  return in;
}

// The inverse of ParseEpochOpenInput (each field at most 255 bytes).
inline Bytes SerializeEpochOpenInput(uint8_t selector, ByteView epoch_id, ByteView sealed_epoch_key,
                                     ByteView aad, ByteView ciphertext) {
  Bytes out{selector};
  for (ByteView field : {epoch_id, sealed_epoch_key, aad}) {
    out.push_back(static_cast<uint8_t>(field.size()));
    out.insert(out.end(), field.begin(), field.end());
  }
  out.insert(out.end(), ciphertext.begin(), ciphertext.end());
  return out;
}

}  // namespace feedback::fuzz
