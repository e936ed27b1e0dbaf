// Procedural map generation: spaced Voronoi sites, a colouring with distinct neighbours and at
// least one non-adjacent colour pair, and obstacles separated by a clearance (so free space is
// connected by construction; it is still verified, and obstacles are dropped until it is). Maze
// maps draw their walls first (a spanning tree of doors keeps every room reachable), then the same
// regions, colours and obstacles, kept clear of the walls; gates last, in doors off the spanning tree
// of the rooms with every gate closed (drawn after everything else: map.gates = 0 draws nothing).
#include "sim/map_gen.hpp"
#include "sim/voronoi.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "sim/free_space.hpp"
#include "sim/rng.hpp"

namespace hjepa {
namespace {

double point_box_distance(Vec2 p, Vec2 lo, Vec2 hi) {
  const double dx = std::max({0.0, lo.x - p.x, p.x - hi.x}), dy = std::max({0.0, lo.y - p.y, p.y - hi.y});
  return std::sqrt(dx * dx + dy * dy);
}

// Euclidean gap between two obstacles (0 when they touch or overlap).
double gap(const Obstacle& a, const Obstacle& b) {
  using K = Obstacle::Kind;
  if (a.kind == K::Circle && b.kind == K::Circle) return std::max(0.0, dist(a.center, b.center) - a.radius - b.radius);
  if (a.kind == K::Circle) return std::max(0.0, point_box_distance(a.center, b.min, b.max) - a.radius);
  if (b.kind == K::Circle) return gap(b, a);
  const double dx = std::max({0.0, a.min.x - b.max.x, b.min.x - a.max.x});
  const double dy = std::max({0.0, a.min.y - b.max.y, b.min.y - a.max.y});
  return std::sqrt(dx * dx + dy * dy);
}

double distance_to(const Obstacle& o, Vec2 p) {
  return o.kind == Obstacle::Kind::Circle ? std::max(0.0, dist(p, o.center) - o.radius)
                                          : point_box_distance(p, o.min, o.max);
}

// Keeps every site (and a little room around it) free of obstacles, units.
constexpr double kSiteClearance = 0.8;

// Sites at least `spacing` apart (relaxed while they do not fit) and kSiteClearance from every wall.
std::vector<Vec2> place_sites(Rng& rng, const MapParams& mp, const std::vector<Obstacle>& walls) {
  std::vector<Vec2> sites;
  double spacing = 0.6 * std::sqrt(mp.width * mp.height / mp.num_regions);
  const double margin = std::min({1.0, mp.width / 4, mp.height / 4});
  while (static_cast<int>(sites.size()) < mp.num_regions) {
    bool placed = false;
    for (int attempt = 0; attempt < 500 && !placed; ++attempt) {
      const Vec2 p{rng.uniform(margin, mp.width - margin), rng.uniform(margin, mp.height - margin)};
      placed = std::all_of(sites.begin(), sites.end(), [&](Vec2 s) { return dist(s, p) >= spacing; }) &&
               std::all_of(walls.begin(), walls.end(), [&](const Obstacle& o) { return distance_to(o, p) >= kSiteClearance; });
      if (placed) sites.push_back(p);
    }
    if (!placed) spacing *= 0.9;
  }
  return sites;
}

// Colours regions, most-connected first, so neighbours differ and, when possible, every palette
// colour appears; retries palette shuffles until some pair of present colours shares no border.
void assign_colors(Rng& rng, World& w) {
  const int n = static_cast<int>(w.regions.size());
  const auto adj = region_adjacency(w);
  std::vector<int> degree(n, 0), order_regions(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) degree[i] += adj[i][j];
  for (int i = 0; i < n; ++i) order_regions[i] = i;
  std::stable_sort(order_regions.begin(), order_regions.end(), [&](int a, int b) { return degree[a] > degree[b]; });
  std::vector<Color> fallback;
  for (int attempt = 0; attempt < 64; ++attempt) {
    std::array<int, kNumColors> palette;
    for (int c = 0; c < kNumColors; ++c) palette[c] = c;
    for (int c = kNumColors - 1; c > 0; --c) std::swap(palette[c], palette[rng.below(c + 1)]);
    std::vector<int> color(n, -1);
    std::array<int, kNumColors> used{};
    bool proper = true;
    for (int i : order_regions) {
      int best = -1;
      for (int c : palette) {
        bool clash = false;
        for (int j = 0; j < n; ++j) clash |= adj[i][j] && color[j] == c;
        if (!clash && (best < 0 || used[c] < used[best])) best = c;
      }
      if (best < 0) proper = false, best = palette[0];
      color[i] = best;
      ++used[best];
    }
    for (int i = 0; i < n; ++i) w.regions[i].color = static_cast<Color>(color[i]);
    if (!proper) continue;
    if (fallback.empty())
      for (const auto& r : w.regions) fallback.push_back(r.color);
    std::array<std::array<bool, kNumColors>, kNumColors> touch{};
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (adj[i][j]) touch[color[i]][color[j]] = true;
    for (int a = 0; a < kNumColors; ++a)
      for (int b = a + 1; b < kNumColors; ++b)
        if (used[a] && used[b] && !touch[a][b]) return;
  }
  for (int i = 0; i < n && !fallback.empty(); ++i) w.regions[i].color = fallback[i];
}

Obstacle random_obstacle(Rng& rng, const MapParams& mp) {
  const double m = mp.clearance;
  if (rng.uniform() < mp.circle_fraction) {
    const double r = rng.uniform(mp.min_radius, mp.max_radius);
    return Obstacle::circle({rng.uniform(m + r, mp.width - m - r), rng.uniform(m + r, mp.height - m - r)}, r);
  }
  const double sx = rng.uniform(mp.min_box_side, mp.max_box_side), sy = rng.uniform(mp.min_box_side, mp.max_box_side);
  const Vec2 lo{rng.uniform(m, mp.width - m - sx), rng.uniform(m, mp.height - m - sy)};
  return Obstacle::box(lo, {lo.x + sx, lo.y + sy});
}

// A maze's rooms and openings, for the gates: every door (the box that would fill it) and every
// removed wall joins two rooms.
struct MazeRooms {
  int count = 0;
  struct Link {
    int a, b;        // rooms joined
    bool door;       // a door (false: a removed wall)
    Obstacle fill;   // the box filling the opening
  };
  std::vector<Link> links;
};

// Which walls of an nx x ny grid of rooms are closed, have a door or are removed: vertical ones east of
// room (i, j), index j * (nx - 1) + i; horizontal ones north of it, j * nx + i.
enum MazeWall : uint8_t { Closed, Door, Removed };
struct MazeWallStates {
  std::vector<MazeWall> east, north;
};

// The randomised depth-first search's spanning tree gets doors; every other wall a door with
// probability extra_doors or removal with probability removed_walls.
MazeWallStates maze_wall_states(Rng& rng, const MapParams& mp, int nx, int ny) {
  MazeWallStates w{std::vector<MazeWall>(static_cast<size_t>(std::max(0, nx - 1)) * ny, Closed),
                   std::vector<MazeWall>(static_cast<size_t>(nx) * std::max(0, ny - 1), Closed)};
  auto wall_between = [&](int a, int b) -> MazeWall& {  // rooms a < b, neighbours
    const int ai = a % nx, aj = a / nx;
    return b == a + 1 ? w.east[aj * (nx - 1) + ai] : w.north[aj * nx + ai];
  };
  std::vector<uint8_t> visited(static_cast<size_t>(nx) * ny, 0);
  std::vector<int> stack = {static_cast<int>(rng.below(visited.size()))};
  visited[stack.back()] = 1;
  while (!stack.empty()) {
    const int c = stack.back(), i = c % nx, j = c / nx;
    int next[4], count = 0;
    if (i > 0 && !visited[c - 1]) next[count++] = c - 1;
    if (i + 1 < nx && !visited[c + 1]) next[count++] = c + 1;
    if (j > 0 && !visited[c - nx]) next[count++] = c - nx;
    if (j + 1 < ny && !visited[c + nx]) next[count++] = c + nx;
    if (count == 0) {
      stack.pop_back();
      continue;
    }
    const int n = next[rng.below(count)];
    wall_between(std::min(c, n), std::max(c, n)) = Door;
    visited[n] = 1;
    stack.push_back(n);
  }
  for (auto* walls : {&w.east, &w.north})
    for (MazeWall& x : *walls)
      if (x == Closed) {
        const double u = rng.uniform();
        x = u < mp.extra_doors ? Door : u < mp.extra_doors + mp.removed_walls ? Removed : Closed;
      }
  return w;
}

// Maze walls: a grid of nx x ny rooms whose shared sides are walls. A randomised depth-first
// search opens a door in the walls of a spanning tree (every room reachable, long dead-end
// branches); each other wall gets a door with probability extra_doors (loops) or is removed with
// probability removed_walls. Each interior cell line becomes the boxes between its openings, and
// each opening (wall w between rooms a and b along [lo, hi]) is recorded in `rooms` for the gates.
std::vector<Obstacle> maze_walls(Rng& rng, const MapParams& mp, MazeRooms& rooms) {
  const double side = rng.uniform(mp.maze_cell_min, mp.maze_cell_max);
  const int nx = std::max(1, static_cast<int>(std::lround(mp.width / side)));
  const int ny = std::max(1, static_cast<int>(std::lround(mp.height / side)));
  const double cw = mp.width / nx, ch = mp.height / ny;
  const MazeWallStates walls = maze_wall_states(rng, mp, nx, ny);
  const std::vector<MazeWall>& east = walls.east;
  const std::vector<MazeWall>& north = walls.north;

  // A door keeps `margin` from the room corners so the crossing walls never narrow it.
  const double margin = mp.wall_thickness / 2 + 0.5;
  auto opening = [&](MazeWall w, double lo, double hi) -> std::pair<double, double> {
    if (w == Removed) return {lo, hi};
    const double room = hi - lo - 2 * margin;
    const double width = std::min(rng.uniform(mp.door_min, mp.door_max), room);
    const double at = lo + margin + rng.uniform(0, room - width);
    return {at, at + width};
  };
  auto open = [&](std::vector<std::pair<double, double>>& openings, MazeWall w, int a, int b, double lo, double hi, auto&& make_box) {
    openings.push_back(opening(w, lo, hi));
    rooms.links.push_back({a, b, w == Door, make_box(openings.back().first, openings.back().second)});
  };
  std::vector<Obstacle> boxes;
  rooms.count = nx * ny;
  const double half = mp.wall_thickness / 2;
  // One interior cell line: the boxes between its openings, along [0, length].
  auto line = [&](const std::vector<std::pair<double, double>>& openings, double length, auto&& make_box) {
    double from = 0;
    for (const auto& [a, b] : openings) {
      if (a > from) boxes.push_back(make_box(from, a));
      from = b;
    }
    if (from < length) boxes.push_back(make_box(from, length));
  };
  for (int i = 0; i + 1 < nx; ++i) {
    const double x = (i + 1) * cw;
    std::vector<std::pair<double, double>> openings;
    const auto wall_box = [&](double a, double b) { return Obstacle::box({x - half, a}, {x + half, b}); };
    for (int j = 0; j < ny; ++j)
      if (const MazeWall w = east[j * (nx - 1) + i]; w != Closed) open(openings, w, j * nx + i, j * nx + i + 1, j * ch, (j + 1) * ch, wall_box);
    line(openings, mp.height, wall_box);
  }
  for (int j = 0; j + 1 < ny; ++j) {
    const double y = (j + 1) * ch;
    std::vector<std::pair<double, double>> openings;
    const auto wall_box = [&](double a, double b) { return Obstacle::box({a, y - half}, {b, y + half}); };
    for (int i = 0; i < nx; ++i)
      if (const MazeWall w = north[j * nx + i]; w != Closed) open(openings, w, j * nx + i, (j + 1) * nx + i, i * cw, (i + 1) * cw, wall_box);
    line(openings, mp.width, wall_box);
  }
  return boxes;
}

// True if the rooms stay one piece through the links not marked closed (union-find).
bool rooms_joined(const MazeRooms& rooms, const std::vector<uint8_t>& closed) {
  std::vector<int> parent(rooms.count);
  std::iota(parent.begin(), parent.end(), 0);
  auto root = [&](int r) {
    while (parent[r] != r) r = parent[r] = parent[parent[r]];
    return r;
  };
  int pieces = rooms.count;
  for (size_t k = 0; k < rooms.links.size(); ++k)
    if (!closed[k]) {
      const int a = root(rooms.links[k].a), b = root(rooms.links[k].b);
      if (a != b) parent[a] = b, --pieces;
    }
  return pieces == 1;
}

// Closes up to num_gates doors, in a random order, with gates: a door qualifies when the rooms stay
// joined with it and every gate before it closed, and its box keeps clear of sites and obstacles.
// The free-space check then drops gates from the last until the map is connected with all closed.
void add_gates(Rng& rng, World& w, const MazeRooms& rooms, const MapParams& mp) {
  std::vector<int> order(rooms.links.size());
  std::iota(order.begin(), order.end(), 0);
  for (int k = static_cast<int>(order.size()) - 1; k > 0; --k) std::swap(order[k], order[rng.below(k + 1)]);
  std::vector<uint8_t> closed(rooms.links.size(), 0);
  const size_t before = w.obstacles.size();
  for (const int k : order) {
    if (static_cast<int>(w.obstacles.size() - before) == mp.num_gates) break;
    const MazeRooms::Link& link = rooms.links[k];
    if (!link.door) continue;
    Obstacle gate = link.fill;
    gate.p_closed = mp.gate_p_closed;
    const bool clear =
        std::all_of(w.regions.begin(), w.regions.end(), [&](const Region& r) { return distance_to(gate, r.site) >= kSiteClearance; }) &&
        std::all_of(w.obstacles.begin(), w.obstacles.end(), [&](const Obstacle& o) { return o.kind == Obstacle::Kind::Box || gap(gate, o) > 0; });
    closed[k] = 1;
    if (!clear || !rooms_joined(rooms, closed)) {
      closed[k] = 0;
      continue;
    }
    w.obstacles.push_back(gate);
  }
  while (w.obstacles.size() > before && !free_space_connected(w, 0.1)) w.obstacles.pop_back();
}

}  // namespace

std::string map_params_problem(const MapParams& mp) {
  if (mp.num_gates < 0 || mp.num_gates > kMapGatesMax)
    return "map.gates " + std::to_string(mp.num_gates) + "; expected an integer in [0, " + std::to_string(kMapGatesMax) + "]";
  if (mp.num_gates > 0 && mp.style != MapStyle::Maze)
    return "map.gates " + std::to_string(mp.num_gates) + " on an " + map_style_name(mp.style) +
           " map; expected map.style maze (gates are doors in a maze's walls) or map.gates 0";
  if (mp.num_gates > 0 && !(mp.gate_p_closed > 0 && mp.gate_p_closed < 1))
    return "gate p_closed " + std::to_string(mp.gate_p_closed) + "; expected a probability strictly between 0 and 1";
  return "";
}

const char* map_style_name(MapStyle style) { return kMapStyleNames[static_cast<int>(style)]; }

std::optional<MapStyle> parse_map_style(const std::string& name) {
  for (int k = 0; k < static_cast<int>(std::size(kMapStyleNames)); ++k)
    if (name == kMapStyleNames[k]) return static_cast<MapStyle>(k);
  return std::nullopt;
}

World generate_map(uint64_t seed, const MapParams& mp) {
  if (const std::string problem = map_params_problem(mp); !problem.empty()) throw std::invalid_argument(problem);
  Rng rng(seed);
  World w;
  w.width = mp.width;
  w.height = mp.height;
  MazeRooms rooms;
  if (mp.style == MapStyle::Maze) w.obstacles = maze_walls(rng, mp, rooms);
  const size_t walls = w.obstacles.size();
  for (Vec2 s : place_sites(rng, mp, w.obstacles)) w.regions.push_back({s, Color::Red});
  assign_colors(rng, w);

  for (int k = 0; k < mp.num_obstacles; ++k) {
    for (int attempt = 0; attempt < 300; ++attempt) {
      const Obstacle o = random_obstacle(rng, mp);
      if (o.min.x < mp.clearance || o.min.y < mp.clearance || o.max.x > mp.width - mp.clearance ||
          o.max.y > mp.height - mp.clearance)
        continue;
      bool ok = std::all_of(w.regions.begin(), w.regions.end(),
                            [&](const Region& r) { return distance_to(o, r.site) >= kSiteClearance; });
      ok = ok && std::all_of(w.obstacles.begin(), w.obstacles.end(),
                             [&](const Obstacle& other) { return gap(o, other) >= mp.clearance; });
      if (ok) {
        w.obstacles.push_back(o);
        break;
      }
    }
  }
  while (w.obstacles.size() > walls && !free_space_connected(w, 0.1)) w.obstacles.pop_back();
  // (Maze walls alone are connected by construction: the spanning tree's doors join every room.)
  if (mp.num_gates > 0) add_gates(rng, w, rooms, mp);
  return w;
}

}  // namespace hjepa
