// Extreme parameters: every numeric parameter of the run table (agent/config.hpp) at both ends of
// its declared range, one at a time with the others at their defaults, runs short episodes with
// every agent it affects (random, oracle, flat, hjepa) without a crash, a NaN in the headings or
// the agents' beliefs, or a hang; likewise the map generator at the ends of its ranges (sizes,
// 16 regions, 0 and 60 obstacles) and a task of kMaxTaskLength colours.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/config.hpp"
#include "agent/jepa/belief.hpp"
#include "agent/jepa/encoder.hpp"
#include "agent/jepa/model_file.hpp"
#include "agent/jepa/train_model.hpp"
#include "agent/random_agent.hpp"
#include "sim/map_gen.hpp"
#include "sim/map_io.hpp"
#include "sim/oracle.hpp"
#include "tiny_training.hpp"
#include "workload.hpp"

using namespace hjepa;

namespace {

constexpr int kSteps = 4;  // steps per short episode (the step limit too, unless it is under test)

const World& test_world() {
  static const World world = generate_map(5);
  return world;
}

// The colours of the map's first `n` regions in order, skipping repeats: a task the map offers.
Task task_on(const World& world, int n) {
  Task task;
  for (const Region& r : world.regions) {
    if (static_cast<int>(task.colors.size()) == n) break;
    if (task.colors.empty() || task.colors.back() != r.color) task.colors.push_back(r.color);
  }
  return task;
}

// One tiny model per ray count, trained once (model-based agents read the ray count they were
// trained with). Quality does not matter here, only that every code path runs on a real model.
const ModelFile& tiny_model(int num_rays) {
  static std::map<int, ModelFile> models;
  auto it = models.find(num_rays);
  if (it != models.end()) return it->second;
  const Level1TrainParams tp = test::tiny_level1(40, 16);
  const Level2TrainParams tp2 = test::tiny_level2(40, 3);
  EnvParams env;
  env.num_rays = num_rays;
  Level1Report r1;
  Level2Report r2;
  ModelFile mf = train_model(test_world(), env, tp, tp2, 11, "test_extremes", r1, r2);
  REQUIRE(r1.finite);
  REQUIRE(r2.finite);
  return models.emplace(num_rays, std::move(mf)).first->second;
}

bool is_finite(const MatF& m) { return m.size() > 0 && m.allFinite(); }

std::unique_ptr<Agent> make_test_agent(const std::string& name, const Env& env, const Task& task, const RunConfig& c,
                                       const ModelFile* given = nullptr) {
  if (name == "random") return std::make_unique<RandomAgent>(3);
  if (name == "oracle") return std::make_unique<OracleAgent>(env, c.oracle);
  const ModelFile& model = given ? *given : tiny_model(c.env.num_rays);
  auto planner = make_planner(c.planner_type, c.planner, 4);
  planner->set_policy(&model.policy);  // the default low level seeds the optimiser with it
  if (name == "flat") return std::make_unique<FlatJepaAgent>(model.level1, task, c.env, std::move(planner), c.hjepa.belief);
  return std::make_unique<HJepaAgent>(model.level1, model.level2, task, c.env, std::move(planner), c.hjepa);
}

bool observation_ok(const Observation& obs, const EnvParams& p) {
  bool ok = std::isfinite(obs.position.x) && std::isfinite(obs.position.y) && obs.num_rays == p.num_rays;
  for (int k = 0; k < obs.num_rays; ++k) ok = ok && obs.ranges[k] >= 0 && obs.ranges[k] <= p.ray_max;
  return ok;
}

// Runs at most `cap` steps (the env's own limit may end it sooner) and checks every step.
void run_short(const World& world, const Task& task, const RunConfig& c, const std::string& agent_name, int cap = kSteps,
               const ModelFile* model = nullptr) {
  CAPTURE(agent_name);
  Env env(world, task, c.env);
  REQUIRE(env.max_steps() > 0);
  Observation obs = env.reset(7);
  CHECK(observation_ok(obs, c.env));
  const std::unique_ptr<Agent> agent = make_test_agent(agent_name, env, task, c, model);
  agent->reset(obs);
  if (const BeliefState* b = agent->trace().belief) CHECK(is_finite(b->s));
  int steps = 0;
  while (!env.done() && steps < cap) {
    const double heading = agent->act(obs);
    REQUIRE(std::isfinite(heading));
    if (const BeliefState* b = agent->trace().belief) REQUIRE(is_finite(b->s));
    const StepResult r = env.step(heading);
    ++steps;
    CHECK(r.info.step == steps);
    CHECK(world.is_free(r.info.true_position));
    CHECK(observation_ok(r.obs, c.env));
    CHECK_FALSE((r.terminated && r.truncated));
    CHECK(r.truncated == (!r.terminated && steps == env.max_steps()));
    obs = r.obs;
  }
  CHECK((env.done() || steps == cap));
}

// The agents a parameter affects.
std::vector<std::string> agents_for(const std::string& name) {
  if (name.rfind("env.", 0) == 0) return {"random", "oracle", "flat", "hjepa"};
  if (name.rfind("agent.oracle.", 0) == 0) return {"oracle"};
  if (name.rfind("agent.planner.", 0) == 0 || name.rfind("agent.belief.", 0) == 0) return {"flat", "hjepa"};
  return {"hjepa"};  // agent.high.*, agent.watch.*
}

}  // namespace

TEST_CASE("every numeric parameter at both ends of its declared range: short episodes, no NaN, no hang") {
  const World& world = test_world();
  const Task task = task_on(world, 3);
  REQUIRE(task.size() == 3);
  for (const ParamSpec& p : run_params()) {
    if (!p.choices.empty()) continue;
    for (const double value : {p.lo, p.hi}) {
      CAPTURE(p.name);
      CAPTURE(value);
      RunConfig c;
      c.env.max_steps = kSteps;
      p.set(c, value);
      CHECK(p.get(c) == value);
      // The planner's largest iteration and restart counts cost seconds per step under the sanitizers:
      // 2 steps (1 there, where the workload is small).
      const int cap = p.name.rfind("agent.planner.", 0) == 0 ? test::workload(2, 1) : kSteps;
      for (const std::string& agent : agents_for(p.name)) run_short(world, task, c, agent, cap);
    }
  }
}

TEST_CASE("the learned agents' trace gives the gain of their last belief update") {
  const World& world = test_world();
  const Task task = task_on(world, 3);
  for (const char* name : {"flat", "hjepa"}) {
    CAPTURE(name);
    for (const BeliefMode mode : {BeliefMode::Kalman, BeliefMode::Fixed}) {
      RunConfig c;
      c.hjepa.belief.mode = mode;
      c.hjepa.belief.gain = 0.3;
      Env env(world, task, c.env);
      Observation obs = env.reset(7);
      const std::unique_ptr<Agent> agent = make_test_agent(name, env, task, c);
      agent->reset(obs);
      CHECK(agent->trace().belief->gain == -1.f);  // no update yet
      obs = env.step(agent->act(obs)).obs;
      CHECK(agent->trace().belief->gain == -1.f);  // the first step plans from the first encoding
      const Level1& level1 = tiny_model(c.env.num_rays).level1;
      const KalmanNoise n = kalman_noise(level1, c.hjepa.belief);
      double p = n.r;
      for (int t = 0; t < 3; ++t) {
        REQUIRE_FALSE(env.done());
        obs = env.step(agent->act(obs)).obs;
        // The Kalman step's process noise follows the clearance of the move it took (belief.hpp).
        const BeliefState& b = *agent->trace().belief;
        REQUIRE(b.context_bin >= 0);
        REQUIRE(b.context_bin < kClearanceBins);
        const float k = kalman_gain_step(KalmanNoise{n.q * context_ratio(level1, b.context_bin), n.r}, p);
        CHECK(b.gain == doctest::Approx(mode == BeliefMode::Kalman ? k : 0.3f));
      }
    }
  }
}

TEST_CASE("both planners at extreme horizons, restarts and sample counts") {
  const World& world = test_world();
  const Task task = task_on(world, 2);
  for (const std::string type : {"gradient", "cem"})
    for (const char* setting : {"agent.planner.horizon=1", "agent.planner.horizon=64", "agent.planner.restarts=1",
                                "agent.planner.cem_samples=2", "agent.planner.cem_elites=4096", "agent.planner.iterations=1"}) {
      CAPTURE(type);
      CAPTURE(setting);
      RunConfig c;
      c.env.max_steps = 3;
      apply_setting(c, "agent.planner.type=" + type, "test");
      apply_setting(c, setting, "test");
      for (const char* agent : {"flat", "hjepa"}) run_short(world, task, c, agent, 3);
    }
}

TEST_CASE("the automatic step limit at the extremes of step length and map size stays a positive int") {
  MapParams mp;
  mp.width = kMapSideMax, mp.height = kMapSideMax;
  const World big = generate_map(2, mp);
  Task six;
  six.colors.assign(kMaxTaskLength, big.regions[0].color);
  EnvParams e;
  e.step_length = find_run_param("env.step_length")->lo;
  const Env env(big, six, e);
  CHECK(env.max_steps() == 2 * static_cast<int>(std::ceil((big.width + big.height) / e.step_length)) * kMaxTaskLength);
  CHECK(env.max_steps() > 0);
}

TEST_CASE("map generator at the ends of its ranges: valid maps, and agents run on them") {
  const std::vector<std::pair<double, double>> sizes = {
      {kMapSideMin, kMapSideMin}, {kMapSideMax, kMapSideMax}, {kMapSideMin, kMapSideMax}, {kMapSideMax, kMapSideMin}};
  for (const auto& [w, h] : sizes)
    for (const int regions : {kMapRegionsMin, kMapRegionsMax})
      for (const int obstacles : {0, kMapObstaclesMax}) {
        CAPTURE(w);
        CAPTURE(h);
        CAPTURE(regions);
        CAPTURE(obstacles);
        MapParams mp;
        mp.width = w, mp.height = h, mp.num_regions = regions, mp.num_obstacles = obstacles;
        const World world = generate_map(9, mp);
        CHECK(validate_world(world) == "");
        CHECK(static_cast<int>(world.regions.size()) == regions);
        CHECK(static_cast<int>(world.obstacles.size()) <= obstacles);
        CHECK(map_from_json(map_to_json(world), "round trip").fingerprint() == world.fingerprint());
        RunConfig c;
        c.env.max_steps = kSteps;
        const Task task = task_on(world, 2);
        run_short(world, task, c, "random");
        // The oracle plans over a grid of the whole map: on the largest maps once is enough.
        if (w * h < 1000 || (regions == kMapRegionsMax && obstacles == kMapObstaclesMax)) run_short(world, task, c, "oracle");
      }
}

TEST_CASE("a task of kMaxTaskLength colours: the oracle plans it, every agent runs it") {
  const World& world = test_world();
  Task task;
  for (int k = 0; static_cast<int>(task.colors.size()) < kMaxTaskLength; ++k) {
    const Color c = world.regions[k % world.regions.size()].color;
    if (task.colors.empty() || task.colors.back() != c) task.colors.push_back(c);
  }
  REQUIRE(task.size() == kMaxTaskLength);
  RunConfig full;
  Env env(world, task, full.env);
  Observation obs = env.reset(3);
  const OraclePath path = plan_oracle(world, env.state().position, task);
  CHECK(path.found);
  CHECK(std::isfinite(path.length));
  CHECK(path.stage_point.size() == static_cast<size_t>(kMaxTaskLength));
  RunConfig c;
  c.env.max_steps = kSteps;
  for (const char* agent : {"random", "oracle", "flat", "hjepa"}) run_short(world, task, c, agent);
  // A full episode of the oracle agent completes the six colours within the automatic limit.
  OracleAgent oracle(env);
  oracle.reset(obs);
  while (!env.done()) obs = env.step(oracle.act(obs)).obs;
  CHECK(env.state().progress == kMaxTaskLength);
}

// Blocked in place: the hierarchical agent on the test world, fed the same observation every step
// while P1 predicts motion.
struct BlockedInPlace {
  const World& world = test_world();
  const Task task = task_on(world, 2);
  const ModelFile& model = tiny_model(8);
  Observation obs;
  BlockedInPlace() {
    Env env(world, task, EnvParams{});
    obs = env.reset(7);
  }
  // The first step at which the agent counts itself stuck; -1 when it does not within 3 x kMaxStuckWindow.
  int first_stuck_step(const Level1& level1, const HJepaParams& hp) const {
    HJepaAgent agent(level1, model.level2, task, EnvParams{}, make_planner("gradient", PlannerParams{}, 1), hp);
    agent.reset(obs);
    for (int step = 0; step < 3 * kMaxStuckWindow; ++step) {
      agent.act(obs);
      if (agent.hjepa_trace().stuck) return step;
    }
    return -1;
  }
};

TEST_CASE("the stuck watch fires at both ends of its window range") {
  // At the longest window the agent used to keep one reading too few, so the watch never fired.
  const BlockedInPlace blocked;
  for (const int window : {2, kMaxStuckWindow}) {
    CAPTURE(window);
    HJepaParams hp;
    hp.stuck_window = window;
    hp.stuck_noise = 0;  // the fixed window
    const int first_stuck = blocked.first_stuck_step(blocked.model.level1, hp);
    CHECK(first_stuck >= window);  // it needs `window` moves to compare
    CHECK(first_stuck <= window + 1);
  }
}

TEST_CASE("in noise the stuck watch waits for a window that can tell a block from the noise") {
  // Blocked in place as above, with the model's noise estimates (R, Q) set by hand: without noise the
  // noise-aware watch fires when the fixed window does; the noisier the readings, the later it fires
  // (never steps earlier), and when no window of kMaxStuckWindow steps can tell, it never fires.
  const BlockedInPlace blocked;
  const ModelFile& model = blocked.model;
  HJepaParams hp;
  hp.stuck_noise = 5;
  HJepaParams fixed = hp;
  fixed.stuck_noise = 0;
  const int fixed_first = blocked.first_stuck_step(model.level1, fixed);
  REQUIRE(fixed_first >= 0);
  const int D = model.level1.arch.latent;
  int last = -1;
  std::vector<int> firsts;
  for (const float r : {0.f, 1e-4f, 1e-3f, 1e-2f, 1e-1f, 1.f, 100.f}) {
    CAPTURE(r);
    Level1 level1 = model.level1;
    level1.belief_r = Eigen::MatrixXf::Identity(D, D) * r;
    level1.belief_q = Eigen::MatrixXf::Identity(D, D) * (r / 4);
    int first = blocked.first_stuck_step(level1, hp);
    if (r == 0) CHECK(first == fixed_first);
    if (first < 0) first = 1000;  // never
    CHECK(first >= last);
    last = first;
    firsts.push_back(first);
  }
  CHECK(firsts.back() == 1000);  // too noisy for any window: never stuck
  CHECK(std::any_of(firsts.begin(), firsts.end(), [&](int f) { return f > fixed_first + 1 && f < 1000; }));
}

TEST_CASE("training at the low ends of train.* and at both ends of train.lr: finite models the agents run") {
  // The high ends of the step and sequence counts only cost time (a million steps), so they are not
  // run here; the learning rate's high end diverges at once and must stop with the guard's message.
  const World& world = test_world();
  const std::vector<std::pair<const char*, bool>> ends = {{"train.steps", false},     {"train.sequences", false},
                                                          {"train.head_steps", false}, {"train.level2_steps", false},
                                                          {"train.heldout_sequences", false}, {"train.polish_steps", false},
                                                          {"train.probe_steps", false},        {"train.distance_steps", false},
                                                          {"train.lr", false},         {"train.lr", true}};
  for (const auto& [name, high] : ends) {
    const ParamSpec& d = declared(name);
    const double value = high ? d.hi : d.lo;
    CAPTURE(name);
    CAPTURE(value);
    Level1TrainParams tp = test::tiny_level1(40, 16);  // as tiny_model's, then one value at its end
    Level2TrainParams tp2 = test::tiny_level2(40, 3);
    const std::string n = name;
    if (n == "train.steps") tp.steps = static_cast<int>(value);
    if (n == "train.sequences") tp.exploration.sequences = static_cast<int>(value);
    if (n == "train.head_steps") tp.head_steps = static_cast<int>(value);
    if (n == "train.level2_steps") tp2.steps = static_cast<int>(value);
    if (n == "train.distance_steps") tp2.distance_steps = static_cast<int>(value);
    if (n == "train.heldout_sequences") tp.heldout_sequences = static_cast<int>(value);
    if (n == "train.polish_steps") tp.polish_steps = static_cast<int>(value);
    if (n == "train.probe_steps") tp.probe_steps = static_cast<int>(value);
    if (n == "train.lr") tp.lr = value;
    Level1Report r1;
    Level2Report r2;
    const ModelFile mf = train_model(world, EnvParams{}, tp, tp2, 13, "test_extremes", r1, r2);
    if (high) {
      CHECK_FALSE(r1.finite);
      CHECK(r1.message.find(" at step ") != std::string::npos);
    } else {
      CHECK(r1.finite);
      CHECK(r2.finite);
    }
    // Whatever happened, the model in hand has finite parameters (model files refuse any other)...
    CHECK_NOTHROW(unpack_model_file(pack_model_file(model_sections(mf)), "round trip"));
    // ...and both learned agents run on it.
    RunConfig c;
    const Task task = task_on(world, 2);
    for (const char* agent : {"flat", "hjepa"}) run_short(world, task, c, agent, kSteps, &mf);
  }
}
