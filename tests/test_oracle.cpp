// Oracle lengths on hand-made maps with known optimal answers (within 1%), feasibility of its
// paths, task order, repeated colours, agreement with a 4x finer grid, and the OracleAgent.
#include <doctest/doctest.h>

#include <cmath>

#include "agent/oracle_agent.hpp"
#include "sim/map_gen.hpp"
#include "sim/oracle.hpp"

using namespace hjepa;

namespace {

World two_halves() {  // red | blue at x = 20, 40 x 30
  World w;
  w.regions = {{{10, 15}, Color::Red}, {{30, 15}, Color::Blue}};
  return w;
}
World strips() {  // red | green | blue, bisectors at x = 12.5 and 27.5
  World w;
  w.regions = {{{5, 15}, Color::Red}, {{20, 15}, Color::Green}, {{35, 15}, Color::Blue}};
  return w;
}
Task task_of(std::initializer_list<Color> c) { return Task{std::vector<Color>(c)}; }

void check_feasible(const World& w, const OraclePath& p) {
  for (size_t k = 1; k < p.points.size(); ++k) CHECK(w.segment_free(p.points[k - 1], p.points[k]));
}

}  // namespace

TEST_CASE("straight to the next region") {
  const World w = two_halves();
  const OraclePath p = plan_oracle(w, {5, 15}, task_of({Color::Blue}));
  REQUIRE(p.found);
  CHECK(p.length >= 15.0);
  CHECK(p.length <= 15.0 * 1.01);
  CHECK(w.color_at(p.points[p.stage_point[0]]) == Color::Blue);
  check_feasible(w, p);
}

TEST_CASE("around the end of a wall: tangent through the corner") {
  World w = two_halves();
  w.obstacles = {Obstacle::box({19, 0}, {21, 20})};
  const OraclePath p = plan_oracle(w, {10, 5}, task_of({Color::Blue}));
  REQUIRE(p.found);
  const double best = std::sqrt(9.0 * 9 + 15 * 15) + 1.0;  // to the corner (19,20), then along the top to x = 20
  CHECK(p.length >= best - 1e-9);
  CHECK(p.length <= best * 1.01);
  check_feasible(w, p);
}

TEST_CASE("around a circle: tangent segment plus arc") {
  World w = two_halves();
  w.obstacles = {Obstacle::circle({20, 15}, 3)};
  const OraclePath p = plan_oracle(w, {10, 15}, task_of({Color::Blue}));
  REQUIRE(p.found);
  // Tangent from distance 10 to radius 3, then the arc to the top of the circle on x = 20.
  const double tangent = std::sqrt(100.0 - 9.0);
  const double arc_angle = 3.141592653589793 / 2 - std::acos(0.3);  // tangent point at 180 - 72.5 deg, top at 90 deg
  const double best = tangent + 3 * std::fabs(arc_angle);
  CHECK(best == doctest::Approx(10.453).epsilon(1e-3));
  CHECK(p.length >= best - 1e-9);
  CHECK(p.length <= best * 1.01);
  check_feasible(w, p);
}

TEST_CASE("colours in order, repeats, and a start that already counts") {
  const World w = strips();
  CHECK(plan_oracle(w, {15, 15}, task_of({Color::Red, Color::Blue})).length == doctest::Approx(17.5).epsilon(0.01));
  CHECK(plan_oracle(w, {15, 15}, task_of({Color::Blue, Color::Red})).length == doctest::Approx(27.5).epsilon(0.01));
  CHECK(plan_oracle(w, {15, 15}, task_of({Color::Red, Color::Blue, Color::Red})).length == doctest::Approx(32.5).epsilon(0.01));
  CHECK(plan_oracle(w, {15, 15}, task_of({Color::Red, Color::Red})).length == doctest::Approx(2.5).epsilon(0.01));
  const OraclePath done = plan_oracle(w, {15, 15}, task_of({Color::Green}));
  CHECK(done.found);
  CHECK(done.length == 0.0);
  const OraclePath p = plan_oracle(w, {15, 15}, task_of({Color::Red, Color::Blue, Color::Red}));
  REQUIRE(p.stage_point.size() == 3);
  CHECK(w.color_at(p.points[p.stage_point[0]]) == Color::Red);
  CHECK(w.color_at(p.points[p.stage_point[1]]) == Color::Blue);
  CHECK(w.color_at(p.points[p.stage_point[2]]) == Color::Red);
  CHECK_FALSE(plan_oracle(w, {15, 15}, task_of({Color::Pink})).found);
}

TEST_CASE("on generated maps the default grid agrees with a 3x finer one within 1%") {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    const World w = generate_map(seed);
    const Task t{{w.regions[0].color, w.regions[5].color, w.regions[9].color}};
    const Vec2 start = w.regions[2].site;
    const OraclePath coarse = plan_oracle(w, start, t);
    const OraclePath fine = plan_oracle(w, start, t, 0, OracleParams{0.05});
    REQUIRE(coarse.found);
    REQUIRE(fine.found);
    check_feasible(w, coarse);
    CHECK(coarse.length <= fine.length * 1.01);
    CHECK(fine.length <= coarse.length * 1.01);
  }
}

TEST_CASE("the oracle agent completes tasks close to the oracle's step count") {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    const World w = generate_map(seed);
    const Task t{{w.regions[1].color, w.regions[7].color, w.regions[4].color}};
    Env env(w, t);
    Observation obs = env.reset(seed);
    const OraclePath plan = plan_oracle(w, env.state().position, t);
    OracleAgent agent(env);
    agent.reset(obs);
    StepResult r;
    do r = env.step(agent.act(obs)), obs = r.obs;
    while (!r.terminated && !r.truncated);
    CHECK(r.terminated);
    // A step ends in one region, so each colour can cost up to one step beyond the continuous bound
    // (three colours meeting at one corner take three steps to stand in).
    CHECK(r.info.step <= oracle_steps(plan.length, 1.0) * 1.1 + t.size() + 1);
  }
}
