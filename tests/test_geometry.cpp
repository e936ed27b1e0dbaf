// Ray casting against circles, boxes and walls: exact hits, grazing rays, starting on a boundary.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/geometry.hpp"

using namespace hjepa;

TEST_CASE("circle: exact hit distance, miss, graze and boundary starts") {
  CHECK(raycast_circle({0, 0}, {1, 0}, {5, 0}, 1) == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(raycast_circle({0, 0}, {-1, 0}, {5, 0}, 1) == kNoHit);          // behind
  CHECK(raycast_circle({0, 0}, {1, 0}, {5, 2}, 1) == kNoHit);           // misses
  CHECK(raycast_circle({0, 1}, {1, 0}, {5, 0}, 1) == kNoHit);           // tangent: grazes, no entry
  CHECK(raycast_circle({0, 0.999}, {1, 0}, {5, 0}, 1) < kNoHit);        // just inside the tangent: enters
  CHECK(raycast_circle({4, 0}, {1, 0}, {5, 0}, 1) == 0.0);              // on the boundary heading in
  CHECK(raycast_circle({4, 0}, {-1, 0}, {5, 0}, 1) == kNoHit);          // on the boundary heading out
  CHECK(raycast_circle({5, 1}, {1, 0}, {5, 0}, 1) == kNoHit);           // on the boundary, tangent direction
  const Vec2 d{std::sqrt(0.5), std::sqrt(0.5)};
  CHECK(raycast_circle({0, 0}, d, {5, 5}, 1) == doctest::Approx(std::sqrt(50.0) - 1).epsilon(1e-12));
}

TEST_CASE("box: slab hits, faces, corners and boundary starts") {
  const Vec2 lo{2, -1}, hi{3, 1};
  CHECK(raycast_box({0, 0}, {1, 0}, lo, hi) == doctest::Approx(2.0));
  CHECK(raycast_box({5, 0}, {-1, 0}, lo, hi) == doctest::Approx(2.0));
  CHECK(raycast_box({0, 0}, {-1, 0}, lo, hi) == kNoHit);
  CHECK(raycast_box({0, 1}, {1, 0}, lo, hi) == kNoHit);     // slides along the top face
  CHECK(raycast_box({0, -1}, {1, 0}, lo, hi) == kNoHit);    // slides along the bottom face
  CHECK(raycast_box({0, 0.99}, {1, 0}, lo, hi) == doctest::Approx(2.0));
  const Vec2 diag{std::sqrt(0.5), std::sqrt(0.5)};
  CHECK(raycast_box({0, -1}, diag, lo, hi) == kNoHit);      // touches the corner (2,1) only
  CHECK(raycast_box({0, -2}, diag, lo, hi) == doctest::Approx(2 * std::sqrt(2.0)));  // enters at (2,0)
  CHECK(raycast_box({2, 0}, {1, 0}, lo, hi) == 0.0);        // on a face heading in
  CHECK(raycast_box({2, 0}, {-1, 0}, lo, hi) == kNoHit);    // on a face heading out
  CHECK(raycast_box({2.5, 0}, {1, 0}, lo, hi) == 0.0);      // inside
}

TEST_CASE("walls: distance to the map boundary from inside") {
  CHECK(raycast_walls({1, 1}, {1, 0}, 10, 10) == doctest::Approx(9.0));
  CHECK(raycast_walls({1, 1}, {0, -1}, 10, 10) == doctest::Approx(1.0));
  CHECK(raycast_walls({0, 5}, {-1, 0}, 10, 10) == 0.0);     // on the wall heading out
  const Vec2 d{std::sqrt(0.5), std::sqrt(0.5)};
  CHECK(raycast_walls({5, 8}, d, 10, 10) == doctest::Approx(2 * std::sqrt(2.0)));
}

TEST_CASE("segments and containment treat obstacles as open sets") {
  const Obstacle c = Obstacle::circle({5, 5}, 1), b = Obstacle::box({0, 0}, {1, 1});
  CHECK(contains(c, {5, 5}));
  CHECK_FALSE(contains(c, {6, 5}));
  CHECK_FALSE(contains(b, {1, 0.5}));
  CHECK(segment_hits(c, {0, 5}, {10, 5}));
  CHECK_FALSE(segment_hits(c, {0, 6}, {10, 6}));  // tangent
  CHECK_FALSE(segment_hits(c, {0, 5}, {4, 5}));   // ends on the boundary
  CHECK(segment_hits(b, {-1, 0.5}, {2, 0.5}));
  CHECK_FALSE(segment_hits(b, {-1, 1}, {2, 1}));  // along a face
}
