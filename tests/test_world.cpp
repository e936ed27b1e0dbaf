// Region lookup, free points, ray casts over a whole World, adjacency and the fingerprint.
#include <doctest/doctest.h>

#include "sim/voronoi.hpp"
#include "sim/world.hpp"

using namespace hjepa;

static World three_strips() {
  World w;
  w.width = 30, w.height = 10;
  w.regions = {{{5, 5}, Color::Red}, {{15, 5}, Color::Green}, {{25, 5}, Color::Blue}};
  w.obstacles = {Obstacle::circle({15, 8}, 1), Obstacle::box({22, 1}, {24, 3})};
  return w;
}

TEST_CASE("region_at is the nearest site, ties to the lower index") {
  const World w = three_strips();
  CHECK(w.region_at({1, 1}) == 0);
  CHECK(w.region_at({10.01, 9}) == 1);
  CHECK(w.region_at({10, 2}) == 0);   // exactly on the red/green bisector
  CHECK(w.color_at({29, 9}) == Color::Blue);
  CHECK(w.color_at({19.99, 0}) == Color::Green);
}

TEST_CASE("free points, ray casts and segments over the world") {
  const World w = three_strips();
  CHECK(w.is_free({1, 1}));
  CHECK_FALSE(w.is_free({15, 8}));
  CHECK_FALSE(w.is_free({23, 2}));
  CHECK_FALSE(w.is_free({-0.1, 2}));
  CHECK(w.is_free({0, 0}));  // the walls themselves are reachable
  CHECK(w.raycast({10, 8}, {1, 0}, 100) == doctest::Approx(4.0));    // circle at x = 14
  CHECK(w.raycast({10, 8}, {1, 0}, 2.5) == doctest::Approx(2.5));    // capped
  CHECK(w.raycast({20, 2}, {1, 0}, 100) == doctest::Approx(2.0));    // box face at x = 22
  CHECK(w.raycast({20, 5}, {1, 0}, 100) == doctest::Approx(10.0));   // wall
  CHECK(w.segment_free({1, 1}, {29, 5}));
  CHECK_FALSE(w.segment_free({20, 2}, {26, 2}));
  CHECK_FALSE(w.segment_free({1, 1}, {31, 1}));
}

TEST_CASE("adjacency and fingerprint") {
  World w = three_strips();
  const auto adj = region_adjacency(w);
  CHECK(adj[0][1]);
  CHECK(adj[1][2]);
  CHECK_FALSE(adj[0][2]);
  const uint64_t f = w.fingerprint();
  CHECK(f == three_strips().fingerprint());
  w.obstacles[0].radius = 1.0000001;
  CHECK(f != w.fingerprint());
}
