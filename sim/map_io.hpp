// Map files: JSON in the "hjepa-map/1" format, loaded with full validation and saved atomically.
//   {"format": "hjepa-map/1", "size": [40, 30],
//    "regions":   [{"site": [5, 10], "color": "red"}, ...],
//    "obstacles": [{"type": "circle", "center": [10, 8], "radius": 1.0},
//                  {"type": "box", "min": [19, 0], "max": [21, 16]},
//                  {"type": "box", "min": [19, 16], "max": [21, 19], "p_closed": 0.5}]}
// A box with "p_closed" is a gate: present in an episode with that probability (drawn by Env at reset).
#pragma once
#include <stdexcept>
#include <string>

#include "sim/world.hpp"

namespace hjepa {

// A user error in a map file. what() names the file, the JSON path, the value and what was expected.
struct MapError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses `text` (read from `source`, used in messages) and validates it; throws MapError.
World map_from_json(const std::string& text, const std::string& source);
World load_map(const std::string& path);
std::string map_to_json(const World& world);
// Writes to a temporary file beside `path` and renames it, so a failure leaves nothing half-written.
void save_map(const World& world, const std::string& path);

// Semantic checks shared by the loader and the generator: size > 0, >= 2 regions, sites inside the
// map and outside obstacles, radius > 0, box min < max, gates boxes with 0 < p_closed < 1 (at most
// kMaxGates), free space connected with every gate closed. Returns "" if valid,
// else "<json path>: <value> ...; expected ...".
std::string validate_world(const World& world);

}  // namespace hjepa
