// The oracle: the shortest path of a point agent that stands in the task's colours in order while
// avoiding obstacles, computed with the true map. Every agent is scored against its length.
//
// Method: A* with lazy Theta* (line-of-sight parent shortcuts) over the product graph (grid cell,
// task progress); a cell whose centre lies in the next required colour moves to the next progress
// layer at zero cost and becomes a fixed vertex of the path. Segments are checked against the exact
// geometry, so the path is feasible and L >= L*. String pulling removes unneeded vertices, then a
// continuous tightening slides colour points along their region borders and other vertices along
// obstacles. See docs/ARCHITECTURE.md for the accuracy figures and tests/test_oracle.cpp.
#pragma once
#include <cmath>
#include <vector>

#include "sim/task.hpp"
#include "sim/world.hpp"

namespace hjepa {

struct OracleParams {
  double cell = 0.15;  // grid cell side, world units; smaller is more exact and slower
};

struct OraclePath {
  bool found = false;           // false if some required colour cannot be reached
  double length = 0;            // path length, world units
  std::vector<Vec2> points;     // polyline from the start; points[0] = start
  std::vector<int> stage_point; // stage_point[k] = index into points where task colour (progress0 + k) is achieved
};

// Plans from `start` with `progress` colours already achieved (advance_progress is applied at the
// start point first, as the env does at reset).
OraclePath plan_oracle(const World& world, Vec2 start, const Task& task, int progress = 0,
                       const OracleParams& params = {});

inline int oracle_steps(double length, double step_length) {
  return static_cast<int>(std::ceil(length / step_length - 1e-9));
}

}  // namespace hjepa
