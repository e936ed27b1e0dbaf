// The JSON reader (see json_reader.hpp): a path-tracking SAX builder for the parse, and the typed reads.
#include "sim/json_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace hjepa {
namespace {

using Json = nlohmann::ordered_json;

// nlohmann "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ...; last
// read: '{x'" becomes "parse error at byte 2, line 1, column 2: syntax error ..., last read: '{x'".
std::string describe_parse_error(size_t byte, const std::string& what) {
  std::string detail = what;
  if (const size_t close = detail.find("] "); detail.rfind("[json.exception", 0) == 0 && close != std::string::npos)
    detail.erase(0, close + 2);
  const std::string prefix = "parse error at ";
  if (detail.rfind(prefix, 0) == 0) detail.erase(0, prefix.size());
  for (size_t at = detail.find("; "); at != std::string::npos; at = detail.find("; ", at)) detail.replace(at, 2, ", ");
  return "not valid JSON (parse error at byte " + std::to_string(byte) + ", " + detail + ")";
}

// Builds the document like nlohmann's DOM parser, but knows the JSON path of the value being read,
// so an out-of-range number or a duplicate key is reported at its exact place.
class PathTrackingBuilder {
 public:
  explicit PathTrackingBuilder(std::string document) : document_(std::move(document)) {}
  Json root;
  std::string error;  // "<path>: <found>; expected <expected>"

  bool null() { return add(nullptr); }
  bool boolean(bool v) { return add(v); }
  bool number_integer(Json::number_integer_t v) { return add(v); }
  bool number_unsigned(Json::number_unsigned_t v) { return add(v); }
  bool number_float(Json::number_float_t v, const Json::string_t&) { return add(v); }
  bool string(Json::string_t& v) { return add(v); }
  bool binary(Json::binary_t& v) { return add(Json::binary(v)); }
  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(Json::string_t& k) {
    const Frame& top = frames_.back();
    if (top.container->contains(k)) {
      error = refusal_text(member_path(top.path, k), "duplicate key", "each key at most once");
      return false;
    }
    pending_key_ = k;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token, const Json::exception& ex) {
    constexpr int kNumberOverflow = 406;
    if (ex.id == kNumberOverflow)
      error = refusal_text(next_path(), last_token + " is not finite", "a finite number");
    else
      error = refusal_text("$", describe_parse_error(position, ex.what()), document_);
    return false;
  }

 private:
  struct Frame {
    Json* container;
    std::string path;
  };
  std::string document_;
  std::vector<Frame> frames_;
  std::string pending_key_;

  std::string next_path() const {
    if (frames_.empty()) return "$";
    const Frame& top = frames_.back();
    if (top.container->is_array()) return index_path(top.path, top.container->size());
    return member_path(top.path, pending_key_);
  }

  Json* insert(Json value) {
    if (frames_.empty()) {
      root = std::move(value);
      return &root;
    }
    Json& container = *frames_.back().container;
    if (container.is_array()) {
      container.push_back(std::move(value));
      return &container.back();
    }
    return &(container[pending_key_] = std::move(value));
  }

  bool add(Json value) {
    insert(std::move(value));
    return true;
  }

  bool open(Json value) {
    std::string path = next_path();
    Json* slot = insert(std::move(value));
    frames_.push_back({slot, std::move(path)});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }
};

std::string integer_range(int64_t lo, int64_t hi) {
  return "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

}  // namespace

std::string refusal_text(const std::string& path, const std::string& found, const std::string& expected) {
  return path + ": " + found + "; expected " + expected;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string describe_json(const Json& j) {
  if (j.is_number_float()) return format_number(j.get<double>());
  const std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() <= 48) return text;
  if (j.is_array()) return "an array of " + std::to_string(j.size()) + " items";
  if (j.is_object()) return "an object with " + std::to_string(j.size()) + " keys";
  return text.substr(0, 44) + (j.is_string() ? "...\"" : "...");
}

std::string member_path(const std::string& parent, const std::string& key) {
  bool identifier = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
  for (unsigned char c : key) identifier = identifier && (std::isalnum(c) || c == '_');
  if (identifier) return parent + "." + key;
  return parent + "[" + Json(key).dump(-1, ' ', false, Json::error_handler_t::replace) + "]";
}

std::string index_path(const std::string& parent, size_t index) { return parent + "[" + std::to_string(index) + "]"; }

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

Json JsonReader::parse(const std::string& text, const std::string& document) const {
  PathTrackingBuilder builder(document);
  if (!Json::sax_parse(text, &builder)) throw JsonError(source_, builder.error);
  return std::move(builder.root);
}

void JsonReader::refuse(const std::string& path, const std::string& found, const std::string& expected) const {
  throw JsonError(source_, refusal_text(path, found, expected));
}

const Json& JsonReader::object(const Json& j, const std::string& path, const std::vector<std::string>& allowed,
                               const std::string& expected) const {
  if (!j.is_object())
    refuse(path, describe_json(j) + " is not an object",
           expected.empty() ? "an object with keys among " + join_names(allowed) : expected);
  if (!allowed.empty()) check_keys(j, path, allowed);
  return j;
}

void JsonReader::check_keys(const Json& object, const std::string& path, const std::vector<std::string>& allowed) const {
  for (const auto& item : object.items())
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
      refuse(member_path(path, item.key()), "unknown key", "one of " + join_names(allowed));
}

const Json& JsonReader::field(const Json& object, const std::string& path, const std::string& key,
                              const std::string& expected) const {
  const auto it = object.find(key);
  if (it == object.end()) refuse(member_path(path, key), "missing", expected);
  return *it;
}

const Json& JsonReader::array(const Json& j, const std::string& path, const std::string& expected, size_t min_items,
                              size_t max_items) const {
  if (!j.is_array()) refuse(path, describe_json(j) + " is not an array", expected);
  if (j.size() < min_items || j.size() > max_items) refuse(path, "an array of " + std::to_string(j.size()) + " items", expected);
  return j;
}

int64_t JsonReader::integer(const Json& j, const std::string& path, int64_t lo, int64_t hi, const std::string& expected) const {
  const std::string want = expected.empty() ? integer_range(lo, hi) : expected;
  if (!j.is_number_integer()) refuse(path, describe_json(j) + " is not an integer", want);
  if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(hi)) refuse(path, describe_json(j) + " is out of range", want);
  const int64_t v = j.get<int64_t>();
  if (v < lo || v > hi) refuse(path, describe_json(j) + " is out of range", want);
  return v;
}

uint64_t JsonReader::unsigned_integer(const Json& j, const std::string& path, uint64_t hi, const std::string& expected) const {
  const std::string want = expected.empty() ? "an integer in [0, " + std::to_string(hi) + "]" : expected;
  if (!j.is_number_integer()) refuse(path, describe_json(j) + " is not an integer", want);
  if (!j.is_number_unsigned() && j.get<int64_t>() < 0) refuse(path, describe_json(j) + " is negative", want);
  if (j.get<uint64_t>() > hi) refuse(path, describe_json(j) + " is out of range", want);
  return j.get<uint64_t>();
}

double JsonReader::number(const Json& j, const std::string& path, double lo, double hi, const std::string& expected) const {
  std::string want = expected;
  if (want.empty() && std::isinf(lo) && std::isinf(hi)) want = "a number";
  else if (want.empty() && std::isinf(hi)) want = "a number >= " + format_number(lo);
  else if (want.empty() && std::isinf(lo)) want = "a number <= " + format_number(hi);
  else if (want.empty()) want = "a number in [" + format_number(lo) + ", " + format_number(hi) + "]";
  if (!j.is_number()) refuse(path, describe_json(j) + " is not a number", want);
  const double v = j.get<double>();
  if (!(v >= lo && v <= hi)) refuse(path, describe_json(j) + " is out of range", want);
  return v;
}

bool JsonReader::boolean(const Json& j, const std::string& path) const {
  if (!j.is_boolean()) refuse(path, describe_json(j) + " is not a boolean", "true or false");
  return j.get<bool>();
}

std::string JsonReader::string(const Json& j, const std::string& path, const std::string& expected) const {
  if (!j.is_string()) refuse(path, describe_json(j) + " is not a string", expected);
  return j.get<std::string>();
}

}  // namespace hjepa
