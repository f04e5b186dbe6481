#include "protocol/bounded_msgpack.h"

#include <string>

namespace feedback::protocol {
namespace {

using nlohmann::json;

// Forwards every event to nlohmann's DOM builder after counting it.
class BoundedSax {
 public:
  BoundedSax(json& root, size_t max_depth, size_t max_values)
      : dom_(root, /*allow_exceptions=*/false), max_depth_(max_depth), max_values_(max_values) {}

  bool null() { return Count() && dom_.null(); }
  bool boolean(bool v) { return Count() && dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return Count() && dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Count() && dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return Count() && dom_.number_float(v, s);
  }
  bool string(json::string_t& v) { return Count() && dom_.string(v); }
  bool binary(json::binary_t& v) { return Count() && dom_.binary(v); }
  bool key(json::string_t& v) { return Count() && dom_.key(v); }
  bool start_object(std::size_t n) { return Enter() && dom_.start_object(n); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return Enter() && dom_.start_array(n); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& e) {
    syntax_error_ = "malformed MessagePack at byte " + std::to_string(position) + ": " + e.what();
    (void)token;
    return false;
  }

  bool limit_hit() const { return limit_hit_; }
  const std::string& syntax_error() const { return syntax_error_; }

 private:
  bool Count() {
    if (++values_ > max_values_) {
      limit_hit_ = true;
      return false;
    }
    return true;
  }
  bool Enter() {
    if (!Count()) return false;
    if (++depth_ > max_depth_) {
      limit_hit_ = true;
      return false;
    }
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  size_t max_depth_;
  size_t max_values_;
  size_t depth_ = 0;
  size_t values_ = 0;
  bool limit_hit_ = false;
  std::string syntax_error_;
};

}  // namespace

Result<json> ParseBoundedMsgpack(ByteView data, size_t max_depth, size_t max_values) {
  json root;
  BoundedSax sax(root, max_depth, max_values);
  bool ok = false;
  try {
    ok = json::sax_parse(data.begin(), data.end(), &sax, nlohmann::detail::input_format_t::msgpack,
                         /*strict=*/true);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("malformed MessagePack: ") + e.what());
  }
  if (sax.limit_hit()) {
    return Status::ResourceExhausted("MessagePack nesting deeper than " +
                                     std::to_string(max_depth) + " or more than " +
                                     std::to_string(max_values) + " values");
  }
  if (!ok) {
    return Status::InvalidArgument(sax.syntax_error().empty() ? "malformed MessagePack"
                                                              : sax.syntax_error());
  }
  return root;
}

}  // namespace feedback::protocol
