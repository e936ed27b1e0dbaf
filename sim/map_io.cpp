// Map files in the "hjepa-map/1" JSON format. A path-tracking SAX builder lets every refusal name
// the exact field at fault ("$.regions[2].color"); validate_world holds the semantic checks shared
// with the generator; save_map writes a temporary file and renames it over the target.
#include "sim/map_io.hpp"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "sim/atomic_file.hpp"
#include "sim/free_space.hpp"

namespace hjepa {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormatTag = "hjepa-map/1";
constexpr double kConnectivityCell = 0.1;
constexpr double kMaxMapSide = 200;  // units; larger maps would make the free-space grids too big
constexpr size_t kMaxRegions = 64;
constexpr const char* kExpectedMapObject = "a hjepa-map/1 JSON object";
constexpr const char* kExpectedRegion = R"({"site": [x, y], "color": <colour name>})";
constexpr const char* kExpectedObstacle =
    R"({"type": "circle", "center": [x, y], "radius": r} or {"type": "box", "min": [x, y], "max": [x, y]})";

// "<json path>: <what was found>; expected <what was expected>", without the source prefix.
struct FieldError {
  std::string message;
};

[[noreturn]] void refuse(const std::string& path, const std::string& found, const std::string& expected) {
  throw FieldError{path + ": " + found + "; expected " + expected};
}

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// Shortest JSON text that parses back to exactly v (including the sign of zero).
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  if (v == 0 && std::signbit(v)) return "-0.0";
  return format_number(v);
}

std::string bracket_pair(const std::string& a, const std::string& b) {
  std::string out = "[";
  out.append(a).append(", ").append(b).append("]");
  return out;
}

std::string format_point(Vec2 p) { return bracket_pair(format_number(p.x), format_number(p.y)); }

std::string describe(const Json& j) {
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

std::string index_path(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string join(std::initializer_list<const char*> names) {
  std::string out;
  for (const char* n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

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
  Json root;
  std::string error;

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
      error = member_path(top.path, k) + ": duplicate key; expected each key at most once";
      return false;
    }
    pending_key_ = k;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token, const Json::exception& ex) {
    constexpr int kNumberOverflow = 406;
    if (ex.id == kNumberOverflow)
      error = next_path() + ": " + last_token + " is not finite; expected a finite number";
    else
      error = describe_parse_error(position, ex.what()) + "; expected " + kExpectedMapObject;
    return false;
  }

 private:
  struct Frame {
    Json* container;
    std::string path;
  };
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

void check_keys(const Json& object, const std::string& path, std::initializer_list<const char*> allowed) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || item.key() == name;
    if (!known) refuse(member_path(path, item.key()), "unknown key", join(allowed));
  }
}

const Json& require_object(const Json& j, const std::string& path, const std::string& expected) {
  if (!j.is_object()) refuse(path, describe(j) + " is not an object", expected);
  return j;
}

const Json& require_array(const Json& j, const std::string& path, const std::string& expected) {
  if (!j.is_array()) refuse(path, describe(j) + " is not an array", expected);
  return j;
}

const Json& field(const Json& object, const std::string& path, const char* key, const std::string& expected) {
  const auto it = object.find(key);
  if (it == object.end()) refuse(member_path(path, key), "missing", expected);
  return *it;
}

std::string require_string(const Json& j, const std::string& path, const std::string& expected) {
  if (!j.is_string()) refuse(path, describe(j) + " is not a string", expected);
  return j.get<std::string>();
}

double read_number(const Json& j, const std::string& path) {
  if (!j.is_number()) refuse(path, describe(j) + " is not a number", "a number");
  return j.get<double>();
}

Vec2 read_point(const Json& j, const std::string& path, const std::string& expected) {
  if (!j.is_array() || j.size() != 2) refuse(path, describe(j) + " is not an array of 2 numbers", expected);
  return {read_number(j[0], index_path(path, 0)), read_number(j[1], index_path(path, 1))};
}

Region read_region(const Json& j, const std::string& path) {
  require_object(j, path, kExpectedRegion);
  check_keys(j, path, {"site", "color"});
  const Vec2 site = read_point(field(j, path, "site", "[x, y]"), member_path(path, "site"), "[x, y]");
  const std::string colour_expected = "one of " + palette_list();
  const std::string colour_path = member_path(path, "color");
  const std::string name = require_string(field(j, path, "color", colour_expected), colour_path, colour_expected);
  const auto colour = color_from_name(name);
  if (!colour) refuse(colour_path, Json(name).dump() + " is not a colour", colour_expected);
  return {site, *colour};
}

Obstacle read_obstacle(const Json& j, const std::string& path) {
  require_object(j, path, kExpectedObstacle);
  const std::string type_expected = R"("circle" or "box")";
  const std::string type_path = member_path(path, "type");
  const std::string type = require_string(field(j, path, "type", type_expected), type_path, type_expected);
  if (type == "circle") {
    check_keys(j, path, {"type", "center", "radius"});
    const Vec2 center = read_point(field(j, path, "center", "[x, y]"), member_path(path, "center"), "[x, y]");
    const double radius = read_number(field(j, path, "radius", "a number > 0"), member_path(path, "radius"));
    return Obstacle::circle(center, radius);
  }
  if (type == "box") {
    check_keys(j, path, {"type", "min", "max"});
    const Vec2 lo = read_point(field(j, path, "min", "[x, y]"), member_path(path, "min"), "[x, y]");
    const Vec2 hi = read_point(field(j, path, "max", "[x, y]"), member_path(path, "max"), "[x, y]");
    return Obstacle::box(lo, hi);
  }
  refuse(type_path, Json(type).dump() + " is not an obstacle type", type_expected);
}

World read_world(const Json& doc) {
  require_object(doc, "$", kExpectedMapObject);
  const std::string format_expected = Json(kFormatTag).dump();
  if (const auto it = doc.find("format"); it != doc.end()) {
    const std::string tag = require_string(*it, "$.format", format_expected);
    if (tag != kFormatTag) refuse("$.format", Json(tag).dump() + " is not the map format tag", format_expected);
  }
  check_keys(doc, "$", {"format", "size", "regions", "obstacles"});
  field(doc, "$", "format", format_expected);

  World world;
  const Vec2 size = read_point(field(doc, "$", "size", "[width, height]"), "$.size", "[width, height]");
  world.width = size.x;
  world.height = size.y;

  const std::string regions_expected = std::string("an array of ") + kExpectedRegion + " objects";
  const Json& regions = require_array(field(doc, "$", "regions", regions_expected), "$.regions", regions_expected);
  for (size_t i = 0; i < regions.size(); ++i) world.regions.push_back(read_region(regions[i], index_path("$.regions", i)));

  const std::string obstacles_expected = "an array of obstacle objects (may be empty)";
  const Json& obstacles =
      require_array(field(doc, "$", "obstacles", obstacles_expected), "$.obstacles", obstacles_expected);
  for (size_t i = 0; i < obstacles.size(); ++i)
    world.obstacles.push_back(read_obstacle(obstacles[i], index_path("$.obstacles", i)));
  return world;
}

void check_finite(double v, const std::string& path) {
  if (!std::isfinite(v)) refuse(path, format_number(v) + " is not finite", "a finite number");
}

void check_finite(Vec2 p, const std::string& path) {
  check_finite(p.x, index_path(path, 0));
  check_finite(p.y, index_path(path, 1));
}

void check_positive(double v, const std::string& path) {
  check_finite(v, path);
  if (!(v > 0)) refuse(path, format_number(v) + " is not positive", "a number > 0");
}

std::string_view obstacle_kind_name(const Obstacle& ob) { return ob.kind == Obstacle::Kind::Circle ? "circle" : "box"; }

void check_world(const World& world) {
  check_positive(world.width, "$.size[0]");
  check_positive(world.height, "$.size[1]");
  // The connectivity check and the oracle rasterise the map: keep it to a size they handle quickly.
  if (world.width > kMaxMapSide) refuse("$.size[0]", format_number(world.width) + " is too large", "at most " + format_number(kMaxMapSide));
  if (world.height > kMaxMapSide) refuse("$.size[1]", format_number(world.height) + " is too large", "at most " + format_number(kMaxMapSide));
  if (world.regions.size() > kMaxRegions)
    refuse("$.regions", std::to_string(world.regions.size()) + " regions", "at most " + std::to_string(kMaxRegions));
  for (size_t i = 0; i < world.regions.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (world.regions[i].site == world.regions[j].site)
        refuse(index_path("$.regions", i) + ".site", "the same point as " + index_path("$.regions", j) + ".site",
               "distinct sites (a repeated site owns no points)");

  const size_t region_count = world.regions.size();
  if (region_count < 2)
    refuse("$.regions", region_count == 0 ? "no regions" : "only 1 region", "at least 2 regions");
  for (size_t i = 0; i < region_count; ++i) {
    const Region& region = world.regions[i];
    const std::string path = index_path("$.regions", i);
    const int colour_index = static_cast<int>(region.color);
    if (colour_index < 0 || colour_index >= kNumColors)
      refuse(path + ".color", std::to_string(colour_index) + " is not a colour", "one of " + palette_list());
    const std::string site_path = path + ".site";
    check_finite(region.site, site_path);
    if (region.site.x < 0 || region.site.x > world.width)
      refuse(site_path + "[0]", format_number(region.site.x) + " is outside the map",
             "0 <= x <= " + format_number(world.width));
    if (region.site.y < 0 || region.site.y > world.height)
      refuse(site_path + "[1]", format_number(region.site.y) + " is outside the map",
             "0 <= y <= " + format_number(world.height));
  }

  for (size_t k = 0; k < world.obstacles.size(); ++k) {
    const Obstacle& ob = world.obstacles[k];
    const std::string path = index_path("$.obstacles", k);
    if (ob.kind == Obstacle::Kind::Circle) {
      check_finite(ob.center, path + ".center");
      check_positive(ob.radius, path + ".radius");
      continue;
    }
    check_finite(ob.min, path + ".min");
    check_finite(ob.max, path + ".max");
    const double lo[2] = {ob.min.x, ob.min.y}, hi[2] = {ob.max.x, ob.max.y};
    for (int axis = 0; axis < 2; ++axis)
      if (!(lo[axis] < hi[axis]))
        refuse(index_path(path + ".min", axis),
               format_number(lo[axis]) + " is not less than " + index_path(path + ".max", axis) + " = " +
                   format_number(hi[axis]),
               "min < max on both axes");
  }

  for (size_t i = 0; i < region_count; ++i)
    for (size_t k = 0; k < world.obstacles.size(); ++k)
      if (contains(world.obstacles[k], world.regions[i].site))
        refuse(index_path("$.regions", i) + ".site",
               format_point(world.regions[i].site) + " is inside " + index_path("$.obstacles", k) + " (a " +
                   std::string(obstacle_kind_name(world.obstacles[k])) + ")",
               "a site outside every obstacle");

  if (!free_space_connected(world, kConnectivityCell)) {
    const FreeGrid grid = make_free_grid(world, kConnectivityCell);
    std::vector<int> label;
    const int parts = label_free_components(world, grid, label);
    refuse("$.obstacles",
           parts > 1 ? "free space is split into " + std::to_string(parts) + " unconnected parts"
                     : std::string("free space is not connected"),
           "every free point reachable from every other");
  }
}

std::string colour_label(Color c) {
  const int index = static_cast<int>(c);
  return index >= 0 && index < kNumColors ? std::string(kColorNames[index]) : std::to_string(index);
}

std::string json_point(Vec2 p) { return bracket_pair(json_number(p.x), json_number(p.y)); }

std::string json_obstacle(const Obstacle& ob) {
  if (ob.kind == Obstacle::Kind::Circle)
    return R"({"type": "circle", "center": )" + json_point(ob.center) + R"(, "radius": )" + json_number(ob.radius) + "}";
  return R"({"type": "box", "min": )" + json_point(ob.min) + R"(, "max": )" + json_point(ob.max) + "}";
}

}  // namespace

std::string validate_world(const World& world) {
  try {
    check_world(world);
  } catch (const FieldError& e) {
    return e.message;
  }
  return "";
}

World map_from_json(const std::string& text, const std::string& source) {
  PathTrackingBuilder builder;
  if (!Json::sax_parse(text, &builder)) throw MapError(source + ": " + builder.error);
  World world;
  try {
    world = read_world(builder.root);
  } catch (const FieldError& e) {
    throw MapError(source + ": " + e.message);
  }
  if (const std::string problem = validate_world(world); !problem.empty()) throw MapError(source + ": " + problem);
  return world;
}

World load_map(const std::string& path) {
  std::string text;
  if (const std::string error = read_whole_file(path, text); !error.empty())
    throw MapError(path + ": " + error + "; expected a readable hjepa-map/1 JSON file");
  return map_from_json(text, path);
}

std::string map_to_json(const World& world) {
  std::string out = "{\n  \"format\": " + Json(kFormatTag).dump() + ",\n";
  out += "  \"size\": " + json_point({world.width, world.height}) + ",\n";
  out += "  \"regions\": [";
  for (size_t i = 0; i < world.regions.size(); ++i) {
    const Region& r = world.regions[i];
    out += (i ? ",\n    " : "\n    ") + std::string(R"({"site": )") + json_point(r.site) + R"(, "color": ")" +
           colour_label(r.color) + "\"}";
  }
  out += world.regions.empty() ? "],\n" : "\n  ],\n";
  out += "  \"obstacles\": [";
  for (size_t k = 0; k < world.obstacles.size(); ++k)
    out += (k ? ",\n    " : "\n    ") + json_obstacle(world.obstacles[k]);
  out += world.obstacles.empty() ? "]\n" : "\n  ]\n";
  out += "}\n";
  return out;
}

void save_map(const World& world, const std::string& path) {
  const std::string error = write_file_atomically(path, map_to_json(world));
  if (!error.empty()) throw MapError(path + ": " + error + "; expected a writable location for the map file");
}

}  // namespace hjepa
