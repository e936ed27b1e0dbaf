// The one reader of user JSON (map, suite, config, settings and model-config text): a parse that
// refuses duplicate keys and knows the path of the value it is reading, and typed reads with ranges.
// Every refusal reads "<source>: <json path>: <what was found>; expected <what was expected>", e.g.
//   maps.json: $.maps.files[2]: 7 is not a string; expected a path to a hjepa-map/1 file
// Readers throw JsonError; callers rethrow it as their own error type (MapError, UsageError, ...).
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace hjepa {

// what() is the whole message; detail() the part after "<source>: " (the path, the value, the expectation).
class JsonError : public std::runtime_error {
 public:
  JsonError(const std::string& source, const std::string& detail)
      : std::runtime_error(source.empty() ? detail : source + ": " + detail), detail_(detail) {}
  const std::string& detail() const { return detail_; }

 private:
  std::string detail_;
};

// "<path>: <found>; expected <expected>": the one form of every refusal (without the source).
std::string refusal_text(const std::string& path, const std::string& found, const std::string& expected);
// A value as a refusal quotes it: JSON text, shortest round-trip numbers, long values summarised
// ("an array of 40 items", "an object with 12 keys", a string cut at 44 characters).
std::string describe_json(const nlohmann::ordered_json& j);
// Shortest text that reads back as v ("0.1", "1e+20", "nan", "inf").
std::string format_number(double v);
// JSON paths: "$.maps" + "files" -> "$.maps.files"; keys that are not identifiers are quoted:
// "$" + "map.width" -> "$[\"map.width\"]"; "$.maps.files" + 2 -> "$.maps.files[2]".
std::string member_path(const std::string& parent, const std::string& key);
std::string index_path(const std::string& parent, size_t index);
// "a, b, c".
std::string join_names(const std::vector<std::string>& names);

// Typed reads of one document, every refusal naming `source` (the file; "" leaves it out).
class JsonReader {
 public:
  using Json = nlohmann::ordered_json;
  explicit JsonReader(std::string source) : source_(std::move(source)) {}
  const std::string& source() const { return source_; }

  // Parses `text` as one JSON value. Refuses a syntax error ("$: not valid JSON (parse error at byte
  // 46, line 2, column 1: ...); expected <document>"), a number too large for a double and a key that
  // appears twice in one object (nlohmann would keep the last silently), both at their exact path.
  Json parse(const std::string& text, const std::string& document) const;

  [[noreturn]] void refuse(const std::string& path, const std::string& found, const std::string& expected) const;

  // An object whose keys are all in `allowed` (empty: any keys); `expected` describes it ("" gives
  // "an object with keys among <allowed>"). An unknown key: "<path>.<key>: unknown key; expected one of <allowed>".
  const Json& object(const Json& j, const std::string& path, const std::vector<std::string>& allowed,
                     const std::string& expected = "") const;
  void check_keys(const Json& object, const std::string& path, const std::vector<std::string>& allowed) const;
  // A key that must be present: "<path>.<key>: missing; expected <expected>".
  const Json& field(const Json& object, const std::string& path, const std::string& key, const std::string& expected) const;
  // An array of min_items to max_items items ("an array of 0 items; expected <expected>").
  const Json& array(const Json& j, const std::string& path, const std::string& expected, size_t min_items = 0,
                    size_t max_items = std::numeric_limits<size_t>::max()) const;
  // Integers in [lo, hi] ("expected an integer in [lo, hi]" unless `expected` says otherwise).
  int64_t integer(const Json& j, const std::string& path, int64_t lo, int64_t hi, const std::string& expected = "") const;
  uint64_t unsigned_integer(const Json& j, const std::string& path, uint64_t hi = std::numeric_limits<uint64_t>::max(),
                            const std::string& expected = "") const;
  // Numbers in [lo, hi] (integers or not); the defaults take any number ("expected a number").
  double number(const Json& j, const std::string& path, double lo = -std::numeric_limits<double>::infinity(),
                double hi = std::numeric_limits<double>::infinity(), const std::string& expected = "") const;
  bool boolean(const Json& j, const std::string& path) const;
  std::string string(const Json& j, const std::string& path, const std::string& expected) const;

 private:
  std::string source_;
};

}  // namespace hjepa
