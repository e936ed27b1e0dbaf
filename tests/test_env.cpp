// The env: exact zero-noise motion, blocking, noise never inside obstacles, observations, the
// progress rule, reward, termination vs truncation, seeds and cloning.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "sim/env.hpp"
#include "sim/map_gen.hpp"

using namespace hjepa;

namespace {

World strips() {  // red | green | blue, bisectors at x = 10 and x = 20
  World w;
  w.width = 30, w.height = 10;
  w.regions = {{{5, 5}, Color::Red}, {{15, 5}, Color::Green}, {{25, 5}, Color::Blue}};
  w.obstacles = {Obstacle::box({12, 6}, {13, 10})};
  return w;
}
EnvParams exact() {
  EnvParams p;
  p.noise_motion = p.noise_perception = p.noise_range = 0;
  return p;
}
Task task_of(std::initializer_list<Color> c) { return Task{std::vector<Color>(c)}; }

}  // namespace

TEST_CASE("zero noise: steps are exact and observations are the truth") {
  const World w = strips();
  Env env(w, task_of({Color::Blue}), exact());
  Observation o = env.reset(1, Vec2{2, 2});
  CHECK(o.position == Vec2{2, 2});
  CHECK(o.color == Color::Red);
  auto r = env.step(0);
  CHECK(r.info.true_position == Vec2{3, 2});
  CHECK(r.info.landing == Vec2{3, 2});  // no motion noise: the landing point is where it stands
  CHECK(r.obs.position == Vec2{3, 2});
  r = env.step(kPi / 2);
  CHECK(r.info.true_position.x == doctest::Approx(3.0).epsilon(1e-15));
  CHECK(r.info.true_position.y == doctest::Approx(3.0).epsilon(1e-15));
  CHECK(r.obs.num_rays == 8);
  CHECK(r.obs.ranges[0] == doctest::Approx(5.0f));   // nothing within ray_max: capped
  CHECK(r.obs.ranges[4] == doctest::Approx(3.0f));   // wall at x = 0
  CHECK(r.obs.ranges[6] == doctest::Approx(3.0f));   // wall at y = 0
  env.reset(1, Vec2{11, 8});
  CHECK(env.step(3 * kPi / 2).obs.ranges[0] == doctest::Approx(1.0f));  // box face at x = 12
}

TEST_CASE("a step stops at the first wall or obstacle") {
  const World w = strips();
  Env env(w, task_of({Color::Blue}), exact());
  env.reset(1, Vec2{11.5, 8});
  auto r = env.step(0);  // box face at x = 12
  CHECK(r.info.true_position.x == doctest::Approx(12.0).epsilon(1e-6));
  CHECK(r.info.true_position.x <= 12.0);
  CHECK(w.is_free(r.info.true_position));
  r = env.step(0);       // pressed against the face: no motion into it
  CHECK(w.is_free(r.info.true_position));
  CHECK(r.info.true_position.x <= 12.0);
  env.reset(1, Vec2{0.5, 5});
  r = env.step(kPi);     // the wall at x = 0
  CHECK(r.info.true_position.x == doctest::Approx(0.0));
  CHECK(w.in_bounds(r.info.true_position));
}

TEST_CASE("motion noise never lands inside an obstacle or outside the map") {
  const World w = generate_map(5);
  EnvParams p;
  p.noise_motion = 0.8;  // large, to push hard against everything
  p.max_steps = 100000;
  Env env(w, task_of({Color::Red, Color::Blue, Color::Red, Color::Blue, Color::Red, Color::Blue}), p);
  env.reset(3);
  Rng headings(4);
  for (int k = 0; k < 20000 && !env.done(); ++k) {
    const auto r = env.step(headings.uniform(-kPi, kPi));
    REQUIRE(w.is_free(r.info.true_position));
    if (r.terminated) env.reset(k);
  }
}

TEST_CASE("progress: order, colours in between, repeats and the start all count") {
  const World w = strips();
  SUBCASE("the start counts") {
    Env env(w, task_of({Color::Red, Color::Blue}), exact());
    env.reset(1, Vec2{2, 2});
    CHECK(env.state().progress == 1);
  }
  SUBCASE("order matters: blue before red is not credited for red-first tasks") {
    Env env(w, task_of({Color::Blue, Color::Red}), exact());
    env.reset(1, Vec2{2, 2});  // in red, but blue comes first
    CHECK(env.state().progress == 0);
    StepResult r;
    for (int k = 0; k < 19; ++k) r = env.step(0);  // walk to x = 21 through green (in between: free)
    CHECK(r.info.progress == 1);
    CHECK(r.info.step == 19);
    for (int k = 0; k < 5 && !r.terminated; ++k) r = env.step(kPi);
    CHECK_FALSE(r.terminated);  // x = 16: green
    for (int k = 0; k < 10 && !r.terminated; ++k) r = env.step(kPi);
    CHECK(r.terminated);
    CHECK(r.info.true_position.x <= 10);
  }
  SUBCASE("consecutive repeats are achieved together; separated repeats need a return") {
    Env env(w, task_of({Color::Red, Color::Red, Color::Green, Color::Red}), exact());
    env.reset(1, Vec2{8.5, 2});
    CHECK(env.state().progress == 2);
    auto r = env.step(0);  // 9.5: red
    CHECK(r.info.progress == 2);
    r = env.step(0);       // 10.5: green
    CHECK(r.info.progress == 3);
    CHECK(r.reward == 0.0);  // -1 per step, +1 per colour
    r = env.step(kPi);     // 9.5: red again
    CHECK(r.terminated);
  }
}

TEST_CASE("truncation at max_steps is not termination; the auto limit follows its rule") {
  const World w = strips();
  EnvParams p = exact();
  p.max_steps = 3;
  Env env(w, task_of({Color::Blue}), p);
  env.reset(1, Vec2{2, 2});
  StepResult r;
  for (int k = 0; k < 3; ++k) r = env.step(kPi / 2);
  CHECK(r.truncated);
  CHECK_FALSE(r.terminated);
  CHECK(r.info.step == 3);
  CHECK(r.reward == -1.0);
  CHECK_THROWS_AS(env.step(0), std::logic_error);
  Env auto_env(w, task_of({Color::Blue, Color::Red}), exact());
  CHECK(auto_env.max_steps() == 2 * 40 * 2);  // 2 * ceil((30 + 10) / 1) * 2 colours
}

TEST_CASE("reset honours its seed, refuses a blocked start, and states clone") {
  const World w = generate_map(2);
  Env env(w, Task{{w.regions[3].color}});
  const Observation a = env.reset(42);
  const Vec2 pa = env.state().position;
  const Observation b = env.reset(42);
  CHECK(env.state().position == pa);
  CHECK(std::memcmp(&a, &b, sizeof a) == 0);
  env.reset(43);
  CHECK_FALSE(env.state().position == pa);
  CHECK_THROWS_AS(env.reset(1, Vec2{-1, 5}), std::invalid_argument);
  if (!w.obstacles.empty()) CHECK_THROWS_AS(env.reset(1, w.obstacles[0].center), std::invalid_argument);

  env.reset(7);
  const EnvState saved = env.state();
  const auto r1 = env.step(0.3);
  env.step(1.0);
  env.set_state(saved);
  const auto r2 = env.step(0.3);
  CHECK(r1.info.true_position == r2.info.true_position);
  CHECK(r1.obs.position == r2.obs.position);
}

TEST_CASE("the env as a function of state: step(state, heading) rolls out copies, the env's own state untouched") {
  const World w = generate_map(2);
  const Env env(w, Task{{w.regions[3].color, w.regions[1].color}});  // const: only states change
  EnvState s;
  const Observation first = env.start_state(s, 7);
  EnvState branch = s;  // a rollout copies the state, not the env
  std::vector<Vec2> a, b;
  for (int k = 0; k < 20 && !env.done(s); ++k) a.push_back(env.step(s, 0.1 * k).info.true_position);
  for (int k = 0; k < 20 && !env.done(branch); ++k) b.push_back(env.step(branch, 0.1 * k).info.true_position);
  CHECK(a == b);
  CHECK(s.step == branch.step);
  CHECK(env.state().step == 0);  // the env's own episode was never started or moved

  // The same episode through the Env's own state: reset and step(heading) agree bit for bit.
  Env own(w, Task{{w.regions[3].color, w.regions[1].color}});
  const Observation o = own.reset(7);
  CHECK(std::memcmp(&o, &first, sizeof o) == 0);
  for (size_t k = 0; k < a.size(); ++k) CHECK(own.step(0.1 * static_cast<double>(k)).info.true_position == a[k]);
  // A refused start leaves the caller's state as it was.
  EnvState kept = s;
  CHECK_THROWS_AS(own.start_state(kept, 1, Vec2{-1, 5}), std::invalid_argument);
  CHECK(kept.position == s.position);
  CHECK(kept.step == s.step);
  const Vec2 before = own.state().position;
  CHECK_THROWS_AS(own.reset(1, Vec2{-1, 5}), std::invalid_argument);
  CHECK(own.state().position == before);
}

TEST_CASE("bad parameters are refused with the field named") {
  const World w = strips();
  EnvParams p;
  p.step_length = 0;
  CHECK_THROWS_WITH_AS(Env(w, task_of({Color::Red}), p), doctest::Contains("step_length"), std::invalid_argument);
  p = {};
  p.noise_motion = -1;
  CHECK_THROWS_WITH_AS(Env(w, task_of({Color::Red}), p), doctest::Contains("noise_motion"), std::invalid_argument);
  CHECK_THROWS_AS(Env(w, Task{}, EnvParams{}), std::invalid_argument);
}
