// SecretBytes: a byte buffer for key material that is wiped (OPENSSL_cleanse)
// when it is destroyed, cleared or assigned over. Move-only so that a secret is
// never copied by accident; Clone() makes the one deliberate copy. The buffer
// never reallocates after construction (its size is fixed), so no stale copy
// is left behind on the heap. A plain value: no thread affinity.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/bytes.h"
#include "core/result.h"

namespace feedback {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size) : bytes_(size, 0) {}
  explicit SecretBytes(ByteView bytes) : bytes_(bytes.begin(), bytes.end()) {}
  ~SecretBytes() { Clear(); }

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  // size bytes from OpenSSL's CSPRNG; fails only if the RNG cannot be seeded.
  static Result<SecretBytes> Random(size_t size);

  SecretBytes Clone() const { return SecretBytes(view()); }

  // Wipes the contents and leaves an empty buffer.
  void Clear();

  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  ByteView view() const { return bytes_; }

 private:
  Bytes bytes_;
};

// Wipes a plain buffer in place (for plaintext that must not outlive a failure).
void Cleanse(Bytes& bytes);

}  // namespace feedback
