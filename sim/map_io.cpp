// Map files in the "hjepa-map/1" JSON format, read through sim/json_reader (every refusal names the
// exact field at fault: "$.regions[2].color"); validate_world holds the semantic checks shared
// with the generator; save_map writes a temporary file and renames it over the target.
#include "sim/map_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "sim/atomic_file.hpp"
#include "sim/free_space.hpp"
#include "sim/json_reader.hpp"

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
    R"({"type": "circle", "center": [x, y], "radius": r} or {"type": "box", "min": [x, y], "max": [x, y]} (a gate adds "p_closed": p))";
constexpr const char* kExpectedPClosed = "a probability 0 < p_closed < 1 (leave the field out for a box that is always there)";

[[noreturn]] void refuse(const std::string& path, const std::string& found, const std::string& expected) {
  JsonReader("").refuse(path, found, expected);
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

Vec2 read_point(const JsonReader& rd, const Json& j, const std::string& path, const std::string& expected) {
  if (!j.is_array() || j.size() != 2) rd.refuse(path, describe_json(j) + " is not an array of 2 numbers", expected);
  return {rd.number(j[0], index_path(path, 0)), rd.number(j[1], index_path(path, 1))};
}

Vec2 read_point_field(const JsonReader& rd, const Json& object, const std::string& path, const char* key,
                      const std::string& expected) {
  return read_point(rd, rd.field(object, path, key, expected), member_path(path, key), expected);
}

Region read_region(const JsonReader& rd, const Json& j, const std::string& path) {
  rd.object(j, path, {"site", "color"}, kExpectedRegion);
  const Vec2 site = read_point_field(rd, j, path, "site", "[x, y]");
  const std::string colour_expected = "one of " + palette_list();
  const std::string colour_path = member_path(path, "color");
  const std::string name = rd.string(rd.field(j, path, "color", colour_expected), colour_path, colour_expected);
  const auto colour = color_from_name(name);
  if (!colour) rd.refuse(colour_path, Json(name).dump() + " is not a colour", colour_expected);
  return {site, *colour};
}

Obstacle read_obstacle(const JsonReader& rd, const Json& j, const std::string& path) {
  rd.object(j, path, {}, kExpectedObstacle);
  const std::string type_expected = R"("circle" or "box")";
  const std::string type_path = member_path(path, "type");
  const std::string type = rd.string(rd.field(j, path, "type", type_expected), type_path, type_expected);
  if (type == "circle") {
    rd.check_keys(j, path, {"type", "center", "radius", "p_closed"});
    if (j.contains("p_closed"))
      rd.refuse(member_path(path, "p_closed"), "a gate on a circle", "gates to be boxes (a door in a wall); leave p_closed out of a circle");
    const Vec2 center = read_point_field(rd, j, path, "center", "[x, y]");
    const double radius = rd.number(rd.field(j, path, "radius", "a number > 0"), member_path(path, "radius"));
    return Obstacle::circle(center, radius);
  }
  if (type == "box") {
    rd.check_keys(j, path, {"type", "min", "max", "p_closed"});
    const Vec2 lo = read_point_field(rd, j, path, "min", "[x, y]");
    const Vec2 hi = read_point_field(rd, j, path, "max", "[x, y]");
    Obstacle box = Obstacle::box(lo, hi);
    if (const auto it = j.find("p_closed"); it != j.end()) {
      const std::string p_path = member_path(path, "p_closed");
      box.p_closed = rd.number(*it, p_path, 0, 1, kExpectedPClosed);
      if (!(box.p_closed > 0 && box.p_closed < 1)) rd.refuse(p_path, format_number(box.p_closed) + " is not strictly between 0 and 1", kExpectedPClosed);
    }
    return box;
  }
  rd.refuse(type_path, Json(type).dump() + " is not an obstacle type", type_expected);
}

World read_world(const JsonReader& rd, const Json& doc) {
  rd.object(doc, "$", {}, kExpectedMapObject);
  const std::string format_expected = Json(kFormatTag).dump();
  if (const auto it = doc.find("format"); it != doc.end()) {
    const std::string tag = rd.string(*it, "$.format", format_expected);
    if (tag != kFormatTag) rd.refuse("$.format", Json(tag).dump() + " is not the map format tag", format_expected);
  }
  rd.check_keys(doc, "$", {"format", "size", "regions", "obstacles", "gates_shared"});
  rd.field(doc, "$", "format", format_expected);

  World world;
  const Vec2 size = read_point_field(rd, doc, "$", "size", "[width, height]");
  world.width = size.x;
  world.height = size.y;

  const std::string regions_expected = std::string("an array of ") + kExpectedRegion + " objects";
  const Json& regions = rd.array(rd.field(doc, "$", "regions", regions_expected), "$.regions", regions_expected);
  for (size_t i = 0; i < regions.size(); ++i) world.regions.push_back(read_region(rd, regions[i], index_path("$.regions", i)));

  const std::string obstacles_expected = "an array of obstacle objects (may be empty)";
  const Json& obstacles = rd.array(rd.field(doc, "$", "obstacles", obstacles_expected), "$.obstacles", obstacles_expected);
  for (size_t i = 0; i < obstacles.size(); ++i)
    world.obstacles.push_back(read_obstacle(rd, obstacles[i], index_path("$.obstacles", i)));
  if (const auto it = doc.find("gates_shared"); it != doc.end()) world.gates_shared = rd.boolean(*it, "$.gates_shared");
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

// Gates (the generator's too): boxes only, 0 < p_closed < 1 (0 = no gate), at most kMaxGates.
void check_gates(const World& world) {
  int gates = 0;
  for (size_t k = 0; k < world.obstacles.size(); ++k) {
    const Obstacle& ob = world.obstacles[k];
    const std::string path = index_path("$.obstacles", k) + ".p_closed";
    if (ob.p_closed == 0) continue;
    if (!(ob.p_closed > 0 && ob.p_closed < 1))
      refuse(path, format_number(ob.p_closed) + " is not strictly between 0 and 1", kExpectedPClosed);
    if (ob.kind != Obstacle::Kind::Box) refuse(path, "a gate on a circle", "gates to be boxes (a door in a wall)");
    if (++gates > kMaxGates)
      refuse(path, "gate number " + std::to_string(gates), "at most " + std::to_string(kMaxGates) + " gates in a map");
  }
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

  check_gates(world);
  if (world.gates_shared && world.gate_count() == 0)
    refuse("$.gates_shared", "true on a map without gates", "gates (obstacles with p_closed) to draw together, or leave gates_shared out");
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
    const std::string gates = world.gate_count() > 0 ? " with every gate closed" : "";
    refuse("$.obstacles",
           parts > 1 ? "free space is split into " + std::to_string(parts) + " unconnected parts" + gates
                     : "free space is not connected" + gates,
           "every free point reachable from every other" +
               std::string(gates.empty() ? "" : " with every gate closed (a gate is a door with another way round)"));
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
  const std::string gate = ob.is_gate() ? R"(, "p_closed": )" + json_number(ob.p_closed) : "";
  return R"({"type": "box", "min": )" + json_point(ob.min) + R"(, "max": )" + json_point(ob.max) + gate + "}";
}

}  // namespace

std::string validate_world(const World& world) {
  try {
    check_world(world);
  } catch (const JsonError& e) {
    return e.detail();
  }
  return "";
}

World map_from_json(const std::string& text, const std::string& source) {
  const JsonReader rd(source);
  World world;
  try {
    world = read_world(rd, rd.parse(text, kExpectedMapObject));
  } catch (const JsonError& e) {
    throw MapError(e.what());
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
  out += world.obstacles.empty() ? "]" : "\n  ]";
  out += world.gates_shared ? ",\n  \"gates_shared\": true\n" : "\n";
  out += "}\n";
  return out;
}

void save_map(const World& world, const std::string& path) {
  const std::string error = write_file_atomically(path, map_to_json(world));
  if (!error.empty()) throw MapError(path + ": " + error + "; expected a writable location for the map file");
}

}  // namespace hjepa
