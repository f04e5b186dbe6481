#include "protocol/batch_encoder.h"

#include <bit>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "protocol/batch_checks.h"

namespace feedback::protocol {
namespace {

using internal::CheckId;
using internal::Index;
using internal::Invalid;
using internal::kZstdLevel;

using nlohmann::json;

// --- MessagePack, written the way nlohmann::json::to_msgpack writes it -------

void PutBigEndian(Bytes& out, uint64_t v, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<uint8_t>(v >> shift));
  }
}

void PutUint(Bytes& out, uint64_t v) {
  if (v < 128) {
    out.push_back(static_cast<uint8_t>(v));
  } else if (v <= std::numeric_limits<uint8_t>::max()) {
    out.push_back(0xcc);
    PutBigEndian(out, v, 1);
  } else if (v <= std::numeric_limits<uint16_t>::max()) {
    out.push_back(0xcd);
    PutBigEndian(out, v, 2);
  } else if (v <= std::numeric_limits<uint32_t>::max()) {
    out.push_back(0xce);
    PutBigEndian(out, v, 4);
  } else {
    out.push_back(0xcf);
    PutBigEndian(out, v, 8);
  }
}

void PutInt(Bytes& out, int64_t v) {
  if (v >= 0) return PutUint(out, static_cast<uint64_t>(v));
  const uint64_t bits = static_cast<uint64_t>(v);
  if (v >= -32) {
    out.push_back(static_cast<uint8_t>(bits));  // negative fixint
  } else if (v >= std::numeric_limits<int8_t>::min()) {
    out.push_back(0xd0);
    PutBigEndian(out, bits, 1);
  } else if (v >= std::numeric_limits<int16_t>::min()) {
    out.push_back(0xd1);
    PutBigEndian(out, bits, 2);
  } else if (v >= std::numeric_limits<int32_t>::min()) {
    out.push_back(0xd2);
    PutBigEndian(out, bits, 4);
  } else {
    out.push_back(0xd3);
    PutBigEndian(out, bits, 8);
  }
}

void PutFloat(Bytes& out, double v) {
  // float 32 when it holds the value exactly, as nlohmann does.
  const bool fits = v >= static_cast<double>(std::numeric_limits<float>::lowest()) &&
                    v <= static_cast<double>(std::numeric_limits<float>::max()) &&
                    std::bit_cast<uint64_t>(static_cast<double>(static_cast<float>(v))) ==
                        std::bit_cast<uint64_t>(v);
  if (fits) {
    out.push_back(0xca);
    PutBigEndian(out, std::bit_cast<uint32_t>(static_cast<float>(v)), 4);
  } else {
    out.push_back(0xcb);
    PutBigEndian(out, std::bit_cast<uint64_t>(v), 8);
  }
}

void PutStr(Bytes& out, std::string_view s) {
  const size_t n = s.size();
  if (n <= 31) {
    out.push_back(static_cast<uint8_t>(0xa0 | n));
  } else if (n <= std::numeric_limits<uint8_t>::max()) {
    out.push_back(0xd9);
    PutBigEndian(out, n, 1);
  } else if (n <= std::numeric_limits<uint16_t>::max()) {
    out.push_back(0xda);
    PutBigEndian(out, n, 2);
  } else {
    out.push_back(0xdb);
    PutBigEndian(out, n, 4);
  }
  out.insert(out.end(), s.begin(), s.end());
}

void PutBin(Bytes& out, ByteView b) {
  const size_t n = b.size();
  if (n <= std::numeric_limits<uint8_t>::max()) {
    out.push_back(0xc4);
    PutBigEndian(out, n, 1);
  } else if (n <= std::numeric_limits<uint16_t>::max()) {
    out.push_back(0xc5);
    PutBigEndian(out, n, 2);
  } else {
    out.push_back(0xc6);
    PutBigEndian(out, n, 4);
  }
  out.insert(out.end(), b.begin(), b.end());
}

void PutNil(Bytes& out) { out.push_back(0xc0); }

// The header of a map or array of n entries (fix / 16 / 32) into buf (room
// for 5 bytes); returns its length.
size_t ContainerHeader(uint8_t* buf, bool map, size_t n) {
  if (n <= 15) {
    buf[0] = static_cast<uint8_t>((map ? 0x80 : 0x90) | n);
    return 1;
  }
  const bool wide = n > std::numeric_limits<uint16_t>::max();
  buf[0] = map ? (wide ? 0xdf : 0xde) : (wide ? 0xdd : 0xdc);
  const int bytes = wide ? 4 : 2;
  for (int i = 0; i < bytes; ++i) {
    buf[1 + i] = static_cast<uint8_t>(n >> (8 * (bytes - 1 - i)));
  }
  return 1 + static_cast<size_t>(bytes);
}

void PutContainerHeader(Bytes& out, bool map, size_t n) {
  uint8_t buf[5];
  out.insert(out.end(), buf, buf + ContainerHeader(buf, map, n));
}

bool IsMsgpackMap(uint8_t first) {
  return (first & 0xf0) == 0x80 || first == 0xde || first == 0xdf;
}

// JSON text -> MessagePack as nlohmann's SAX events arrive. A container's
// size is known only at its end, so its header is written then, into room
// left for the largest header; the contents move back when it is smaller.
// nlohmann keeps object keys sorted (std::map) and the last of duplicates;
// when the text's keys are not strictly ascending, Convert() reports it and
// the caller converts through a JSON tree instead, to stay byte-identical.
class JsonToMsgpack {
 public:
  explicit JsonToMsgpack(Bytes& out) : out_(out) {}

  enum class Outcome { kOk, kInvalid, kKeysUnordered };

  Outcome Convert(std::string_view text) {
    depth_ = 0;
    keys_unordered_ = false;
    error_.clear();
    bool ok = false;
    try {
      ok = json::sax_parse(text.begin(), text.end(), this, json::input_format_t::json,
                           /*strict=*/true);
    } catch (const std::exception& e) {
      error_ = e.what();
      ok = false;
    }
    if (ok) return Outcome::kOk;
    return keys_unordered_ ? Outcome::kKeysUnordered : Outcome::kInvalid;
  }
  const std::string& error() const { return error_; }

  // nlohmann's SAX interface.
  bool null() {
    Value();
    PutNil(out_);
    return true;
  }
  bool boolean(bool v) {
    Value();
    out_.push_back(v ? 0xc3 : 0xc2);
    return true;
  }
  bool number_integer(json::number_integer_t v) {
    Value();
    PutInt(out_, v);
    return true;
  }
  bool number_unsigned(json::number_unsigned_t v) {
    Value();
    PutUint(out_, v);
    return true;
  }
  bool number_float(json::number_float_t v, const json::string_t&) {
    Value();
    PutFloat(out_, v);
    return true;
  }
  bool string(json::string_t& v) {
    Value();
    PutStr(out_, v);
    return true;
  }
  bool binary(json::binary_t&) { return false; }  // JSON text has none
  bool start_object(std::size_t) { return Open(/*map=*/true); }
  bool key(json::string_t& k) {
    Frame& f = stack_[depth_ - 1];
    if (f.count > 0 && !(f.last_key < k)) {
      keys_unordered_ = true;
      return false;
    }
    f.last_key = k;
    ++f.count;
    PutStr(out_, k);
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(/*map=*/false); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_ = e.what();
    return false;
  }

 private:
  static constexpr size_t kLargestHeader = 5;

  struct Frame {
    size_t header_pos = 0;
    size_t count = 0;
    bool map = false;
    std::string last_key;
  };

  // A value inside an array counts as an entry (in a map, the key did).
  void Value() {
    if (depth_ > 0 && !stack_[depth_ - 1].map) ++stack_[depth_ - 1].count;
  }
  bool Open(bool map) {
    Value();
    if (depth_ == stack_.size()) stack_.emplace_back();
    Frame& f = stack_[depth_++];
    f.header_pos = out_.size();
    f.count = 0;
    f.map = map;
    out_.resize(out_.size() + kLargestHeader);
    return true;
  }
  bool Close() {
    const Frame& f = stack_[--depth_];
    uint8_t header[kLargestHeader];
    const size_t header_size = ContainerHeader(header, f.map, f.count);
    const size_t content = f.header_pos + kLargestHeader;
    if (header_size < kLargestHeader) {
      std::memmove(out_.data() + f.header_pos + header_size, out_.data() + content,
                   out_.size() - content);
      out_.resize(out_.size() - (kLargestHeader - header_size));
    }
    std::memcpy(out_.data() + f.header_pos, header, header_size);
    return true;
  }

  Bytes& out_;
  std::vector<Frame> stack_;  // frames [0, depth_) are open; the rest are kept for reuse
  size_t depth_ = 0;
  bool keys_unordered_ = false;
  std::string error_;
};

// The common case, without nlohmann: JSON whose strings are printable ASCII
// without escapes, whose numbers are integers within 64 bits and whose keys
// ascend - what the capture store holds for a record's public part. Anything
// else returns false (with *out in an unspecified state past its old size)
// and goes through JsonToMsgpack, so this path only has to be exact for the
// input it accepts.
class FastJsonToMsgpack {
 public:
  explicit FastJsonToMsgpack(Bytes& out) : out_(out) {}

  bool Convert(std::string_view text) {
    p_ = text.data();
    end_ = text.data() + text.size();
    depth_ = 0;
    SkipSpace();
    if (!Value()) return false;
    SkipSpace();
    return p_ == end_;
  }

 private:
  static constexpr size_t kMaxDepth = 32;
  static constexpr size_t kLargestHeader = 5;

  struct Frame {
    size_t header_pos;
    size_t count;
    bool map;
    std::string_view last_key;
  };

  void SkipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // A string's contents (after the opening quote), up to the closing one.
  bool String(std::string_view* s) {
    const char* start = p_;
    while (p_ != end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *s = std::string_view(start, static_cast<size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c < 0x20 || c >= 0x7f || c == '\\') return false;  // escapes, UTF-8: slow path
      ++p_;
    }
    return false;
  }

  bool Number() {
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0' && p_ + 1 != end_ && p_[1] >= '0' && p_[1] <= '9') return false;  // "01"
    uint64_t v = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      const auto digit = static_cast<uint64_t>(*p_ - '0');
      if (v > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;  // > 64 bits
      v = v * 10 + digit;
      ++p_;
    }
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;  // a float
    if (!negative) {
      PutUint(out_, v);
      return true;
    }
    constexpr uint64_t kMinMagnitude = uint64_t{1} << 63;
    if (v > kMinMagnitude) return false;
    PutInt(out_,
           v == kMinMagnitude ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(v));
    return true;
  }

  bool Value() {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{':
      case '[':
        return Container(*p_ == '{');
      case '"': {
        ++p_;
        std::string_view s;
        if (!String(&s)) return false;
        PutStr(out_, s);
        return true;
      }
      case 't':
        if (!Literal("true")) return false;
        out_.push_back(0xc3);
        return true;
      case 'f':
        if (!Literal("false")) return false;
        out_.push_back(0xc2);
        return true;
      case 'n':
        if (!Literal("null")) return false;
        PutNil(out_);
        return true;
      default:
        return Number();
    }
  }

  bool Container(bool map) {
    if (depth_ == kMaxDepth) return false;
    Frame& f = stack_[depth_++];
    f = Frame{out_.size(), 0, map, {}};
    out_.resize(out_.size() + kLargestHeader);
    ++p_;
    SkipSpace();
    const char close = map ? '}' : ']';
    if (p_ != end_ && *p_ == close) {
      ++p_;
    } else {
      while (true) {
        if (map) {
          std::string_view key;
          if (p_ == end_ || *p_ != '"') return false;
          ++p_;
          if (!String(&key)) return false;
          if (f.count > 0 && !(f.last_key < key)) return false;  // unordered or repeated
          f.last_key = key;
          PutStr(out_, key);
          SkipSpace();
          if (p_ == end_ || *p_ != ':') return false;
          ++p_;
          SkipSpace();
        }
        if (!Value()) return false;
        ++f.count;
        SkipSpace();
        if (p_ == end_) return false;
        if (*p_ == ',') {
          ++p_;
          SkipSpace();
          continue;
        }
        if (*p_ != close) return false;
        ++p_;
        break;
      }
    }
    uint8_t header[kLargestHeader];
    const size_t header_size = ContainerHeader(header, f.map, f.count);
    const size_t content = f.header_pos + kLargestHeader;
    std::memmove(out_.data() + f.header_pos + header_size, out_.data() + content,
                 out_.size() - content);
    out_.resize(out_.size() - (kLargestHeader - header_size));
    std::memcpy(out_.data() + f.header_pos, header, header_size);
    --depth_;
    return true;
  }

  Bytes& out_;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  Frame stack_[kMaxDepth];
  size_t depth_ = 0;
};

Status Validate(const RawBatch& b) {
  if (b.version != kProtocolVersion) {
    return Status::VersionMismatch("unsupported protocol version " + std::to_string(b.version));
  }
  FEEDBACK_RETURN_IF_ERROR(CheckId(b.device_id, "device"));
  FEEDBACK_RETURN_IF_ERROR(CheckId(b.site_id, "site"));
  if (b.seq < 1) return Invalid("seq", "must be at least 1");
  if (b.created < 0) return Invalid("created", "must be at least 0");
  if (b.backlog < 0) return Invalid("backlog", "must be at least 0");
  if (b.records.empty()) return Invalid("records", "is empty (a batch carries 1 to 1000 records)");
  if (b.records.size() > kMaxRecordsPerBatch) {
    return Status::ResourceExhausted("batch records: " + std::to_string(b.records.size()) +
                                     " records, more than the limit of " +
                                     std::to_string(kMaxRecordsPerBatch));
  }
  if (b.epochs.size() > kMaxEpochsPerBatch) {
    return Status::ResourceExhausted("batch epochs: " + std::to_string(b.epochs.size()) +
                                     " epochs, more than the limit of " +
                                     std::to_string(kMaxEpochsPerBatch));
  }
  std::set<std::string_view> ids;
  for (size_t i = 0; i < b.epochs.size(); ++i) {
    const BatchEpoch& e = b.epochs[i];
    FEEDBACK_RETURN_IF_ERROR(CheckId(e.id, Index("epochs", i) + ".id"));
    if (e.sealed_key.size() != kSealedEpochKeySize) {
      return Invalid(Index("epochs", i) + ".key", "is " + std::to_string(e.sealed_key.size()) +
                                                      " bytes, not " +
                                                      std::to_string(kSealedEpochKeySize));
    }
    if (!ids.insert(e.id).second) return Invalid(Index("epochs", i) + ".id", "is listed twice");
  }
  for (size_t i = 0; i < b.records.size(); ++i) {
    const RawBatchRecord& r = b.records[i];
    if (r.epoch_id.empty() != r.sealed.empty()) {
      return Invalid(Index("records", i), "'epoch' and 'sealed' must both be empty or both be set");
    }
    if (r.epoch_id.empty()) continue;
    if (!ids.contains(r.epoch_id)) {
      return Invalid(Index("records", i) + ".epoch", "names an epoch not listed in 'epochs'");
    }
    if (r.sealed.size() < kMinSealedFieldsSize) {
      return Invalid(Index("records", i) + ".sealed", "is " + std::to_string(r.sealed.size()) +
                                                          " bytes, shorter than nonce and tag (" +
                                                          std::to_string(kMinSealedFieldsSize) +
                                                          ")");
    }
    if (r.sealed.size() > kMaxSealedFieldsSize) {
      return Status::ResourceExhausted("batch " + Index("records", i) + ".sealed: is larger than " +
                                       std::to_string(kMaxSealedFieldsSize) + " bytes");
    }
  }
  return Status::Ok();
}

// field is called only on failure, for the error message.
template <typename FieldName>
Status AppendJson(JsonToMsgpack& converter, std::string_view text, FieldName field, Bytes* out) {
  const size_t start = out->size();
  if (FastJsonToMsgpack(*out).Convert(text)) return Status::Ok();
  out->resize(start);
  const JsonToMsgpack::Outcome outcome = converter.Convert(text);
  if (outcome == JsonToMsgpack::Outcome::kOk) return Status::Ok();
  out->resize(start);
  if (outcome == JsonToMsgpack::Outcome::kKeysUnordered) {
    // Rare (our writer sorts keys): let nlohmann order them and drop duplicates.
    json tree = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!tree.is_discarded()) {
      json::to_msgpack(tree, *out);
      return Status::Ok();
    }
  }
  return Invalid(field(), "is not valid JSON (" + converter.error() + ")");
}

}  // namespace

Status AppendJsonAsMsgpack(std::string_view text, std::string_view field, Bytes* out) {
  JsonToMsgpack converter(*out);
  return AppendJson(
      converter, text, [field] { return field; }, out);
}

BatchEncoder::BatchEncoder() : cctx_(ZSTD_createCCtx()) {}

Result<Bytes> BatchEncoder::Encode(const RawBatch& b, const Ed25519PrivateKey& device_key) {
  FEEDBACK_RETURN_IF_ERROR(Validate(b));

  // The batch object, its keys in nlohmann's (sorted) order.
  Bytes& p = packed_;
  p.clear();
  PutContainerHeader(p, /*map=*/true, 8);
  PutStr(p, "backlog");
  PutInt(p, b.backlog);
  PutStr(p, "created");
  PutInt(p, b.created);
  PutStr(p, "device");
  PutStr(p, b.device_id);
  PutStr(p, "epochs");
  PutContainerHeader(p, /*map=*/false, b.epochs.size());
  for (const BatchEpoch& e : b.epochs) {
    PutContainerHeader(p, /*map=*/true, 2);
    PutStr(p, "id");
    PutStr(p, e.id);
    PutStr(p, "key");
    PutBin(p, e.sealed_key);
  }
  PutStr(p, "records");
  PutContainerHeader(p, /*map=*/false, b.records.size());
  JsonToMsgpack converter(p);
  for (size_t i = 0; i < b.records.size(); ++i) {
    const RawBatchRecord& r = b.records[i];
    PutContainerHeader(p, /*map=*/true, 3);
    PutStr(p, "epoch");
    if (r.epoch_id.empty()) {
      PutNil(p);
    } else {
      PutStr(p, r.epoch_id);
    }
    PutStr(p, "pub");
    const size_t pub_at = p.size();
    FEEDBACK_RETURN_IF_ERROR(AppendJson(
        converter, r.pub_json, [i] { return Index("records", i) + ".pub"; }, &p));
    if (!IsMsgpackMap(p[pub_at])) return Invalid(Index("records", i) + ".pub", "is not a map");
    PutStr(p, "sealed");
    if (r.sealed.empty()) {
      PutNil(p);
    } else {
      PutBin(p, r.sealed);
    }
  }
  PutStr(p, "seq");
  PutInt(p, b.seq);
  PutStr(p, "site");
  PutStr(p, b.site_id);
  PutStr(p, "v");
  PutInt(p, b.version);
  if (p.size() > kMaxDecompressedPayload) {
    return Status::ResourceExhausted(
        "batch: MessagePack is " + std::to_string(p.size()) + " bytes, more than the limit of " +
        std::to_string(kMaxDecompressedPayload) + "; send fewer records per batch");
  }

  // The envelope: header, zstd frame (content size declared), signature.
  if (!cctx_) return Status::ResourceExhausted("batch: cannot allocate a zstd context");
  const size_t bound = ZSTD_compressBound(p.size());
  Bytes out(kBatchHeaderSize + bound);
  std::memcpy(out.data(), kBatchMagic.data(), kBatchMagic.size());
  out[4] = kBatchFormatVersion;
  const size_t n = ZSTD_compressCCtx(cctx_.get(), out.data() + kBatchHeaderSize, bound, p.data(),
                                     p.size(), kZstdLevel);
  if (ZSTD_isError(n)) {
    return Status::Internal(std::string("batch: zstd compression failed: ") + ZSTD_getErrorName(n));
  }
  if (n > kMaxCompressedPayload) {
    return Status::ResourceExhausted(
        "batch: compressed payload is " + std::to_string(n) + " bytes, more than the limit of " +
        std::to_string(kMaxCompressedPayload) + "; send fewer records per batch");
  }
  out.resize(kBatchHeaderSize + n);
  for (int i = 0; i < 4; ++i)
    out[5 + static_cast<size_t>(i)] = static_cast<uint8_t>(n >> (24 - 8 * i));
  Bytes signed_message(kBatchSignatureDomain.size() + out.size());
  std::memcpy(signed_message.data(), kBatchSignatureDomain.data(), kBatchSignatureDomain.size());
  std::memcpy(signed_message.data() + kBatchSignatureDomain.size(), out.data(), out.size());
  FEEDBACK_ASSIGN_OR_RETURN(Bytes signature, device_key.Sign(signed_message));
  if (signature.size() != kBatchSignatureSize) {
    return Status::Internal("batch: Ed25519 signature has an unexpected size");
  }
  out.insert(out.end(), signature.begin(), signature.end());
  return out;
}

}  // namespace feedback::protocol
