// Map files: exact round trips through text and disk, and every refusal naming the source, the JSON
// path and what was expected. Saving must never leave a half-written or clobbered file behind.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "sim/map_io.hpp"
#include "fuzz_regressions.hpp"

namespace fs = std::filesystem;
using hjepa::Color;
using hjepa::MapError;
using hjepa::Obstacle;
using hjepa::Vec2;
using hjepa::World;
using nlohmann::json;

namespace {

const std::string kSource = "maps/test.json";

const char* const kExampleMap = R"({"format": "hjepa-map/1", "size": [40, 30],
 "regions":   [{"site": [5, 10], "color": "red"}, {"site": [30, 20], "color": "blue"}],
 "obstacles": [{"type": "circle", "center": [10, 8], "radius": 1.0},
               {"type": "box", "min": [19, 0], "max": [21, 16]}]})";

json valid_map() {
  return json::parse(R"({"format": "hjepa-map/1", "size": [40, 30],
    "regions": [{"site": [5, 10], "color": "red"}, {"site": [30, 20], "color": "blue"},
                {"site": [20, 25], "color": "green"}],
    "obstacles": [{"type": "circle", "center": [10, 8], "radius": 1.0},
                  {"type": "box", "min": [19, 0], "max": [21, 16]}]})");
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string refusal_of(const std::string& text) {
  try {
    hjepa::map_from_json(text, kSource);
  } catch (const MapError& e) {
    return e.what();
  }
  return "";
}

// The map is refused with a one-line "<source>: <path>: <found>; expected ..." message.
void check_refused(const std::string& text, const std::string& path, const std::string& found = "") {
  const std::string message = refusal_of(text);
  CAPTURE(message);
  REQUIRE_FALSE(message.empty());
  CHECK(message.rfind(kSource + ": ", 0) == 0);
  CHECK(has(message, path + ": "));
  CHECK(has(message, "; expected "));
  CHECK_FALSE(has(message, "\n"));
  if (!found.empty()) CHECK(has(message, found));
}

void check_map_refused(const json& map, const std::string& path, const std::string& found = "") {
  check_refused(map.dump(), path, found);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_same_world(const World& a, const World& b) {
  CHECK(same_bits(a.width, b.width));
  CHECK(same_bits(a.height, b.height));
  REQUIRE(a.regions.size() == b.regions.size());
  for (size_t i = 0; i < a.regions.size(); ++i) {
    CAPTURE(i);
    CHECK(same_bits(a.regions[i].site.x, b.regions[i].site.x));
    CHECK(same_bits(a.regions[i].site.y, b.regions[i].site.y));
    CHECK(a.regions[i].color == b.regions[i].color);
  }
  REQUIRE(a.obstacles.size() == b.obstacles.size());
  for (size_t k = 0; k < a.obstacles.size(); ++k) {
    CAPTURE(k);
    const Obstacle &x = a.obstacles[k], &y = b.obstacles[k];
    CHECK(x.kind == y.kind);
    CHECK(x.center == y.center);
    CHECK(same_bits(x.radius, y.radius));
    CHECK(x.min == y.min);
    CHECK(x.max == y.max);
  }
  CHECK(a.fingerprint() == b.fingerprint());
}

World awkward_world() {
  World w;
  w.width = 40.5;
  w.height = 30.25;
  w.regions = {{{0.1, 1.0 / 3.0}, Color::Red},
               {{-0.0, 29.7}, Color::Orange},
               {{39.9, 1e-7}, Color::Yellow},
               {{12.345678901234567, 20}, Color::Green},
               {{30, 25}, Color::Cyan},
               {{35, 5}, Color::Blue},
               {{5, 25}, Color::Purple},
               {{25, 20.000000000000004}, Color::Pink}};
  w.obstacles = {Obstacle::circle({10.123456789, 8.987654321}, 1.0 / 7.0), Obstacle::box({19, 0}, {21, 16.1}),
                 Obstacle::circle({30, 10}, 2.5)};
  return w;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("hjepa-test-map-io-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
};

}  // namespace

TEST_CASE("the format example loads") {
  const World w = hjepa::map_from_json(kExampleMap, kSource);
  CHECK(w.width == 40);
  CHECK(w.height == 30);
  REQUIRE(w.regions.size() == 2);
  CHECK(w.regions[0].site == Vec2{5, 10});
  CHECK(w.regions[0].color == Color::Red);
  CHECK(w.regions[1].color == Color::Blue);
  REQUIRE(w.obstacles.size() == 2);
  CHECK(w.obstacles[0].kind == Obstacle::Kind::Circle);
  CHECK(w.obstacles[0].center == Vec2{10, 8});
  CHECK(w.obstacles[0].radius == 1.0);
  CHECK(w.obstacles[0].min == Vec2{9, 7});
  CHECK(w.obstacles[1].kind == Obstacle::Kind::Box);
  CHECK(w.obstacles[1].min == Vec2{19, 0});
  CHECK(w.obstacles[1].max == Vec2{21, 16});
  CHECK(hjepa::validate_world(w).empty());
}

TEST_CASE("an empty obstacle list is allowed") {
  json m = valid_map();
  m["obstacles"] = json::array();
  const World w = hjepa::map_from_json(m.dump(), kSource);
  CHECK(w.obstacles.empty());
  CHECK(hjepa::map_from_json(hjepa::map_to_json(w), kSource).obstacles.empty());
}

TEST_CASE("world -> json -> world is exact") {
  const World original = awkward_world();
  REQUIRE(hjepa::validate_world(original).empty());
  const std::string text = hjepa::map_to_json(original);
  const World loaded = hjepa::map_from_json(text, kSource);
  check_same_world(original, loaded);
  CHECK(std::signbit(loaded.regions[1].site.x));
  CHECK(hjepa::map_to_json(loaded) == text);

  SUBCASE("one region or obstacle per line, in file order") {
    CHECK(has(text, "\"format\": \"hjepa-map/1\""));
    CHECK(has(text, "\n    {\"site\": [0.1, 0.3333333333333333], \"color\": \"red\"},\n"));
    CHECK(has(text, "\n    {\"type\": \"box\", \"min\": [19, 0], \"max\": [21, 16.1]},\n"));
    CHECK(text.find("\"circle\", \"center\": [10.123456789") < text.find("\"box\""));
  }
}

TEST_CASE("save_map then load_map is exact and leaves no temporary file") {
  TempDir dir;
  const std::string path = (dir.path / "map.json").string();
  const World original = awkward_world();
  hjepa::save_map(original, path);
  check_same_world(original, hjepa::load_map(path));
  CHECK(dir.entries() == std::vector<std::string>{"map.json"});

  World other = hjepa::map_from_json(kExampleMap, kSource);
  hjepa::save_map(other, path);
  check_same_world(other, hjepa::load_map(path));
  CHECK(dir.entries() == std::vector<std::string>{"map.json"});
}

TEST_CASE("save_map into a missing directory throws and writes nothing") {
  TempDir dir;
  const std::string path = (dir.path / "no-such-dir" / "map.json").string();
  std::string message;
  try {
    hjepa::save_map(awkward_world(), path);
  } catch (const MapError& e) {
    message = e.what();
  }
  CAPTURE(message);
  CHECK(message.rfind(path + ": ", 0) == 0);
  CHECK(has(message, "expected"));
  CHECK_FALSE(fs::exists(path));
  CHECK(dir.entries().empty());
}

TEST_CASE("a failed save leaves the existing file untouched") {
  TempDir dir;
  const fs::path path = dir.path / "map.json";
  write_text(path, "original contents");

  SUBCASE("the temporary file cannot be created") {
    fs::create_directory(path.string() + ".tmp." + std::to_string(::getpid()));
    CHECK_THROWS_AS(hjepa::save_map(awkward_world(), path.string()), MapError);
    CHECK(read_text(path) == "original contents");
  }
  SUBCASE("the target cannot be replaced") {
    const fs::path target = dir.path / "occupied";
    fs::create_directory(target);
    write_text(target / "keep.txt", "keep");
    std::string message;
    try {
      hjepa::save_map(awkward_world(), target.string());
    } catch (const MapError& e) {
      message = e.what();
    }
    CAPTURE(message);
    CHECK(message.rfind(target.string() + ": ", 0) == 0);
    CHECK(has(message, "expected"));
    CHECK(read_text(target / "keep.txt") == "keep");
    CHECK(read_text(path) == "original contents");
    CHECK(dir.entries() == std::vector<std::string>{"map.json", "occupied"});
  }
}

TEST_CASE("load_map refuses unreadable files") {
  TempDir dir;
  SUBCASE("missing file") {
    const std::string path = (dir.path / "absent.json").string();
    std::string message;
    try {
      hjepa::load_map(path);
    } catch (const MapError& e) {
      message = e.what();
    }
    CAPTURE(message);
    CHECK(message.rfind(path + ": cannot open file (", 0) == 0);
    CHECK(has(message, "No such file"));
    CHECK(has(message, "; expected a readable hjepa-map/1 JSON file"));
  }
  SUBCASE("a directory") {
    CHECK_THROWS_WITH_AS(hjepa::load_map(dir.path.string()),
                         doctest::Contains("; expected a readable hjepa-map/1 JSON file"), MapError);
  }
  SUBCASE("bad contents are reported with the file name") {
    const fs::path path = dir.path / "bad.json";
    json m = valid_map();
    m["size"][0] = -4;
    write_text(path, m.dump());
    CHECK_THROWS_WITH_AS(hjepa::load_map(path.string()),
                         (path.string() + ": $.size[0]: -4 is not positive; expected a number > 0").c_str(), MapError);
  }
}

TEST_CASE("refused: text that is not a JSON object") {
  SUBCASE("not valid JSON") {
    const std::string message = refusal_of(R"({"format": "hjepa-map/1", x})");
    CAPTURE(message);
    CHECK(message.rfind(kSource + ": $: not valid JSON (parse error at byte ", 0) == 0);
    CHECK(has(message, "; expected a hjepa-map/1 JSON object"));
    CHECK_FALSE(has(message, "\n"));
  }
  SUBCASE("empty text") { CHECK(has(refusal_of(""), "not valid JSON")); }
  SUBCASE("trailing garbage") { CHECK(has(refusal_of(valid_map().dump() + " }"), "not valid JSON")); }
  SUBCASE("top level is an array") { check_refused("[1, 2]", "$", "[1,2] is not an object"); }
}

TEST_CASE("refused: format tag") {
  json m = valid_map();
  SUBCASE("missing") {
    m.erase("format");
    CHECK(refusal_of(m.dump()) == kSource + R"(: $.format: missing; expected "hjepa-map/1")");
  }
  SUBCASE("wrong") {
    m["format"] = "hjepa-map/2";
    check_map_refused(m, "$.format", R"("hjepa-map/2")");
  }
  SUBCASE("not a string") {
    m["format"] = 1;
    check_map_refused(m, "$.format", "1 is not a string");
  }
}

TEST_CASE("refused: missing or mistyped top-level fields") {
  json m = valid_map();
  SUBCASE("size missing") {
    m.erase("size");
    check_map_refused(m, "$.size", "missing");
  }
  SUBCASE("regions missing") {
    m.erase("regions");
    check_map_refused(m, "$.regions", "missing");
  }
  SUBCASE("obstacles missing") {
    m.erase("obstacles");
    check_map_refused(m, "$.obstacles", "missing");
  }
  SUBCASE("size not an array") {
    m["size"] = 40;
    check_map_refused(m, "$.size", "is not an array of 2 numbers");
  }
  SUBCASE("size with 3 numbers") {
    m["size"] = {40, 30, 1};
    check_map_refused(m, "$.size", "is not an array of 2 numbers");
  }
  SUBCASE("size element a string") {
    m["size"][1] = "30";
    check_map_refused(m, "$.size[1]", R"("30" is not a number)");
  }
  SUBCASE("size element a boolean") {
    m["size"][0] = true;
    check_map_refused(m, "$.size[0]", "true is not a number");
  }
  SUBCASE("regions not an array") {
    m["regions"] = json::object();
    check_map_refused(m, "$.regions", "is not an array");
  }
  SUBCASE("obstacles not an array") {
    m["obstacles"] = nullptr;
    check_map_refused(m, "$.obstacles", "null is not an array");
  }
  SUBCASE("region not an object") {
    m["regions"][1] = 5;
    check_map_refused(m, "$.regions[1]", "5 is not an object");
  }
  SUBCASE("obstacle not an object") {
    m["obstacles"][0] = "circle";
    check_map_refused(m, "$.obstacles[0]", R"("circle" is not an object)");
  }
}

TEST_CASE("refused: region fields") {
  json m = valid_map();
  SUBCASE("site missing") {
    m["regions"][2].erase("site");
    check_map_refused(m, "$.regions[2].site", "missing");
  }
  SUBCASE("site of one number") {
    m["regions"][0]["site"] = {5};
    check_map_refused(m, "$.regions[0].site", "is not an array of 2 numbers");
  }
  SUBCASE("site coordinate not a number") {
    m["regions"][2]["site"][1] = nullptr;
    check_map_refused(m, "$.regions[2].site[1]", "null is not a number");
  }
  SUBCASE("colour missing") {
    m["regions"][1].erase("color");
    check_map_refused(m, "$.regions[1].color", "missing");
  }
  SUBCASE("colour not a string") {
    m["regions"][1]["color"] = 3;
    check_map_refused(m, "$.regions[1].color", "3 is not a string");
  }
  SUBCASE("unknown colour") {
    m["regions"][2]["color"] = "magenta";
    CHECK(refusal_of(m.dump()) == kSource + R"(: $.regions[2].color: "magenta" is not a colour; expected one of )" +
                                      "red, orange, yellow, green, cyan, blue, purple, pink");
  }
}

TEST_CASE("refused: obstacle fields") {
  json m = valid_map();
  SUBCASE("type missing") {
    m["obstacles"][1].erase("type");
    check_map_refused(m, "$.obstacles[1].type", "missing");
  }
  SUBCASE("type not a string") {
    m["obstacles"][1]["type"] = json::array();
    check_map_refused(m, "$.obstacles[1].type", "is not a string");
  }
  SUBCASE("unknown type") {
    m["obstacles"][0]["type"] = "triangle";
    check_map_refused(m, "$.obstacles[0].type", R"("triangle" is not an obstacle type)");
  }
  SUBCASE("circle radius missing") {
    m["obstacles"][0].erase("radius");
    check_map_refused(m, "$.obstacles[0].radius", "missing");
  }
  SUBCASE("circle radius not a number") {
    m["obstacles"][0]["radius"] = "1";
    check_map_refused(m, "$.obstacles[0].radius", "is not a number");
  }
  SUBCASE("circle centre mistyped") {
    m["obstacles"][0]["center"] = "10, 8";
    check_map_refused(m, "$.obstacles[0].center", "is not an array of 2 numbers");
  }
  SUBCASE("box max missing") {
    m["obstacles"][1].erase("max");
    check_map_refused(m, "$.obstacles[1].max", "missing");
  }
  SUBCASE("box min coordinate not a number") {
    m["obstacles"][1]["min"][0] = "19";
    check_map_refused(m, "$.obstacles[1].min[0]", "is not a number");
  }
}

TEST_CASE("refused: unknown and duplicate keys") {
  json m = valid_map();
  SUBCASE("top level") {
    m["colour"] = "red";
    check_map_refused(m, "$.colour", "unknown key; expected one of format, size, regions, obstacles");
  }
  SUBCASE("region") {
    m["regions"][0]["colour"] = "red";
    CHECK(refusal_of(m.dump()) == kSource + ": $.regions[0].colour: unknown key; expected one of site, color");
  }
  SUBCASE("region key that is not an identifier") {
    m["regions"][0]["my key"] = 1;
    check_map_refused(m, R"($.regions[0]["my key"])", "unknown key");
  }
  SUBCASE("circle") {
    m["obstacles"][0]["centre"] = {1, 2};
    check_map_refused(m, "$.obstacles[0].centre", "unknown key; expected one of type, center, radius");
  }
  SUBCASE("box") {
    m["obstacles"][1]["radius"] = 1;
    check_map_refused(m, "$.obstacles[1].radius", "unknown key; expected one of type, min, max");
  }
  SUBCASE("duplicate key") {
    check_refused(R"({"format": "hjepa-map/1", "size": [40, 30], "size": [50, 30], "regions": [], "obstacles": []})",
                  "$.size", "duplicate key");
  }
}

TEST_CASE("refused: non-finite numbers") {
  SUBCASE("size") {
    check_refused(R"({"format": "hjepa-map/1", "size": [1e400, 30], "regions": [], "obstacles": []})", "$.size[0]",
                  "1e400 is not finite");
  }
  SUBCASE("obstacle radius") {
    std::string text = valid_map().dump();
    const std::string radius = "\"radius\":1.0";
    REQUIRE(has(text, radius));
    text.replace(text.find(radius), radius.size(), "\"radius\":-2e999");
    check_refused(text, "$.obstacles[0].radius", "-2e999 is not finite");
  }
  SUBCASE("validate_world") {
    World w = hjepa::map_from_json(kExampleMap, kSource);
    w.regions[1].site.y = std::nan("");
    CHECK(hjepa::validate_world(w) == "$.regions[1].site[1]: nan is not finite; expected a finite number");
  }
}

TEST_CASE("refused: map size not positive") {
  json m = valid_map();
  SUBCASE("negative width") {
    m["size"][0] = -4;
    CHECK(refusal_of(m.dump()) == kSource + ": $.size[0]: -4 is not positive; expected a number > 0");
  }
  SUBCASE("zero height") {
    m["size"][1] = 0;
    check_map_refused(m, "$.size[1]", "0 is not positive");
  }
}

TEST_CASE("refused: fewer than 2 regions") {
  json m = valid_map();
  SUBCASE("one") {
    m["regions"] = json::array({m["regions"][0]});
    check_map_refused(m, "$.regions", "only 1 region");
  }
  SUBCASE("none") {
    m["regions"] = json::array();
    check_map_refused(m, "$.regions", "no regions");
  }
}

TEST_CASE("refused: obstacle shapes") {
  json m = valid_map();
  SUBCASE("zero radius") {
    m["obstacles"][0]["radius"] = 0;
    check_map_refused(m, "$.obstacles[0].radius", "0 is not positive");
  }
  SUBCASE("negative radius") {
    m["obstacles"][0]["radius"] = -1.5;
    check_map_refused(m, "$.obstacles[0].radius", "-1.5 is not positive");
  }
  SUBCASE("box min x >= max x") {
    m["obstacles"][1]["min"] = {21, 0};
    m["obstacles"][1]["max"] = {19, 16};
    check_map_refused(m, "$.obstacles[1].min[0]", "21 is not less than $.obstacles[1].max[0] = 19");
  }
  SUBCASE("box min y == max y") {
    m["obstacles"][1]["max"] = {21, 0};
    check_map_refused(m, "$.obstacles[1].min[1]", "0 is not less than $.obstacles[1].max[1] = 0");
  }
}

TEST_CASE("refused: region sites") {
  json m = valid_map();
  SUBCASE("site right of the map") {
    m["regions"][1]["site"] = {50, 3};
    check_map_refused(m, "$.regions[1].site[0]", "50 is outside the map");
  }
  SUBCASE("site below zero") {
    m["regions"][0]["site"] = {5, -0.5};
    check_map_refused(m, "$.regions[0].site[1]", "-0.5 is outside the map");
  }
  SUBCASE("site on the map edge is fine") {
    m["regions"][0]["site"] = {0, 30};
    CHECK(refusal_of(m.dump()).empty());
  }
  SUBCASE("site inside a circle") {
    m["regions"][1]["site"] = {10.5, 8};
    check_map_refused(m, "$.regions[1].site", "is inside $.obstacles[0]");
  }
  SUBCASE("site inside a box") {
    m["regions"][2]["site"] = {20, 3};
    check_map_refused(m, "$.regions[2].site", "[20, 3] is inside $.obstacles[1] (a box)");
  }
}

TEST_CASE("refused: free space split by a wall") {
  const std::string walled = R"({"format": "hjepa-map/1", "size": [40, 30],
    "regions": [{"site": [5, 10], "color": "red"}, {"site": [30, 20], "color": "blue"}],
    "obstacles": [{"type": "box", "min": [19, 0], "max": [21, 30]}]})";
  CHECK(refusal_of(walled) == kSource +
                                    ": $.obstacles: free space is split into 2 unconnected parts; expected every "
                                    "free point reachable from every other");
  const std::string gapped = R"({"format": "hjepa-map/1", "size": [40, 30],
    "regions": [{"site": [5, 10], "color": "red"}, {"site": [30, 20], "color": "blue"}],
    "obstacles": [{"type": "box", "min": [19, 0], "max": [21, 29]}]})";
  CHECK(refusal_of(gapped).empty());
}

TEST_CASE("validate_world reports without a source prefix") {
  World w = hjepa::map_from_json(kExampleMap, kSource);
  CHECK(hjepa::validate_world(w).empty());
  w.regions.pop_back();
  CHECK(hjepa::validate_world(w) == "$.regions: only 1 region; expected at least 2 regions");
}

TEST_CASE("refuses maps too large to check and repeated sites") {
  json big = valid_map();
  big["size"] = {4000, 30};
  check_map_refused(big, "$.size[0]", "too large");
  json twin = valid_map();
  twin["regions"][2]["site"] = {30, 20};
  check_map_refused(twin, "$.regions[2].site", "$.regions[1].site");
}

TEST_CASE("inputs found by fuzzing (tests/data/fuzz/map) load or are refused with MapError") {
  for (const auto& [name, text] : hjepa::test::fuzz_regressions("map")) {
    CAPTURE(name);
    try {
      const hjepa::World w = hjepa::map_from_json(text, name);
      CHECK(hjepa::validate_world(w).empty());
      CHECK(hjepa::map_from_json(hjepa::map_to_json(w), "round trip").fingerprint() == w.fingerprint());
    } catch (const hjepa::MapError& e) {
      CHECK(std::string(e.what()).rfind(name + ": ", 0) == 0);
    }
  }
}
