// The one JSON reader behind the map, suite, config, settings and model readers: every refusal reads
// "<source>: <json path>: <found>; expected <expected>", duplicate keys and overflowing numbers are
// refused at their path, and typed reads check types and ranges.
#include <doctest/doctest.h>

#include <string>

#include "sim/json_reader.hpp"

using hjepa::JsonError;
using hjepa::JsonReader;
using Json = JsonReader::Json;

namespace {

const JsonReader rd("dir/cfg.json");

// The message of the JsonError that `read` throws ("" when it throws none).
template <class F>
std::string refusal(F read) {
  try {
    read();
  } catch (const JsonError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("parse: duplicate keys, overflow and syntax errors are refused at their path") {
  CHECK(refusal([] { rd.parse(R"({"maps": {"files": ["a", "b"], "files": []}})", "a suite"); }) ==
        "dir/cfg.json: $.maps.files: duplicate key; expected each key at most once");
  CHECK(refusal([] { rd.parse(R"({"a": [1, {"x": 1, "x": 2}]})", "a suite"); }) ==
        "dir/cfg.json: $.a[1].x: duplicate key; expected each key at most once");
  CHECK(refusal([] { rd.parse(R"({"a": {"b": 1}, "c": {"b": 1}})", "a suite"); }).empty());  // same key, other objects
  CHECK(refusal([] { rd.parse(R"({"seeds": [1, 1e999]})", "a suite"); }) ==
        "dir/cfg.json: $.seeds[1]: 1e999 is not finite; expected a finite number");
  const std::string broken = refusal([] { rd.parse(R"({"a": )", "a hjepa-suite/1 JSON object"); });
  CHECK(broken.rfind("dir/cfg.json: $: not valid JSON (parse error at byte ", 0) == 0);
  CHECK(broken.find("; expected a hjepa-suite/1 JSON object") != std::string::npos);
  CHECK(refusal([] { rd.parse("{} x", "a suite"); }).find("$: not valid JSON") != std::string::npos);  // trailing text
  CHECK(rd.parse(R"({"b": 1, "a": [true, null, "x", 2.5]})", "a suite").dump() == R"({"b":1,"a":[true,null,"x",2.5]})");
}

TEST_CASE("typed reads: wrong types and values out of range name the value and what was expected") {
  const Json doc = rd.parse(R"({"n": 7, "x": 2.5, "s": "red", "b": true, "big": 18446744073709551615, "neg": -1,
                               "list": [1, 2, 3], "obj": {"k": 1}})",
                            "a test document");
  CHECK(rd.integer(doc["n"], "$.n", 1, 10) == 7);
  CHECK(refusal([&] { rd.integer(doc["n"], "$.n", 1, 6); }) == "dir/cfg.json: $.n: 7 is out of range; expected an integer in [1, 6]");
  CHECK(refusal([&] { rd.integer(doc["x"], "$.x", 1, 6); }) == "dir/cfg.json: $.x: 2.5 is not an integer; expected an integer in [1, 6]");
  CHECK(refusal([&] { rd.integer(doc["big"], "$.big", 0, 100); }) ==
        "dir/cfg.json: $.big: 18446744073709551615 is out of range; expected an integer in [0, 100]");
  CHECK(rd.unsigned_integer(doc["big"], "$.big") == 18446744073709551615ull);
  CHECK(refusal([&] { rd.unsigned_integer(doc["neg"], "$.neg", 100, "a seed"); }) == "dir/cfg.json: $.neg: -1 is negative; expected a seed");
  CHECK(rd.number(doc["n"], "$.n", 0, 10) == 7.0);
  CHECK(refusal([&] { rd.number(doc["x"], "$.x", 0, 1); }) == "dir/cfg.json: $.x: 2.5 is out of range; expected a number in [0, 1]");
  CHECK(refusal([&] { rd.number(doc["s"], "$.s"); }) == "dir/cfg.json: $.s: \"red\" is not a number; expected a number");
  CHECK(refusal([&] { rd.string(doc["n"], "$.n", "a colour"); }) == "dir/cfg.json: $.n: 7 is not a string; expected a colour");
  CHECK(rd.string(doc["s"], "$.s", "a colour") == "red");
  CHECK(rd.boolean(doc["b"], "$.b"));
  CHECK(refusal([&] { rd.boolean(doc["s"], "$.s"); }) == "dir/cfg.json: $.s: \"red\" is not a boolean; expected true or false");
  CHECK(refusal([&] { rd.array(doc["list"], "$.list", "1 or 2 numbers", 1, 2); }) ==
        "dir/cfg.json: $.list: an array of 3 items; expected 1 or 2 numbers");
  CHECK(refusal([&] { rd.array(doc["obj"], "$.obj", "numbers"); }) == "dir/cfg.json: $.obj: {\"k\":1} is not an array; expected numbers");
  CHECK(refusal([&] { rd.field(doc, "$", "missing", "a number"); }) == "dir/cfg.json: $.missing: missing; expected a number");
}

TEST_CASE("objects: unknown keys are refused with the keys allowed") {
  const Json doc = rd.parse(R"({"obj": {"k": 1, "colour": 2, "map.width": 3}, "n": 1})", "a test document");
  CHECK(refusal([&] { rd.object(doc["obj"], "$.obj", {"k", "colour"}); }) ==
        "dir/cfg.json: $.obj[\"map.width\"]: unknown key; expected one of k, colour");
  CHECK(refusal([&] { rd.object(doc["obj"], "$.obj", {"k"}); }) == "dir/cfg.json: $.obj.colour: unknown key; expected one of k");
  CHECK(refusal([&] { rd.object(doc["n"], "$.n", {"a", "b"}); }) ==
        "dir/cfg.json: $.n: 1 is not an object; expected an object with keys among a, b");
  CHECK(rd.object(doc["obj"], "$.obj", {}).size() == 3);  // no list: any keys
}

TEST_CASE("paths and values read as a user would write them") {
  CHECK(hjepa::member_path("$.maps", "files") == "$.maps.files");
  CHECK(hjepa::index_path("$.maps.files", 2) == "$.maps.files[2]");
  CHECK(hjepa::member_path("$", "map.width") == "$[\"map.width\"]");
  CHECK(hjepa::member_path("$", "2d") == "$[\"2d\"]");
  CHECK(hjepa::member_path("$", "") == "$[\"\"]");
  CHECK(hjepa::describe_json(Json(0.1)) == "0.1");
  CHECK(hjepa::describe_json(Json(std::string(60, 'a'))) == "\"" + std::string(43, 'a') + "...\"");
  CHECK(hjepa::describe_json(Json::array({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})) ==
        "an array of 20 items");
  const JsonError unnamed("", "$.a: 1 is out of range; expected 0");
  CHECK(std::string(unnamed.what()) == unnamed.detail());
}
