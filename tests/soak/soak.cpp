// Soak: many agent steps across map regenerations with every agent, meant to run under the
// sanitizers (leaks, memory errors, undefined behaviour show up only over long runs). Each round
// generates a map with varied size, regions, obstacles, noise and ray count, round-trips it through
// its file format, trains a tiny model on it (saved and loaded back) for the flat and hjepa agents,
// then runs episodes of random, oracle, flat and hjepa in turn until the round's steps are done.
// Prints one line per round on stderr and a JSON summary on stdout; exit 1 on a broken invariant.
// Usage: hjepa_soak [--steps N] [--steps-per-map N] [--seed S]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "agent/jepa/flat_agent.hpp"
#include "agent/jepa/hjepa_agent.hpp"
#include "agent/jepa/train_model.hpp"
#include "agent/oracle_agent.hpp"
#include "agent/random_agent.hpp"
#include "sim/map_gen.hpp"
#include "sim/map_io.hpp"
#include "tiny_training.hpp"

namespace fs = std::filesystem;
using namespace hjepa;

namespace {

struct Options {
  long steps = 100000;      // total agent steps
  long steps_per_map = 2000;  // steps before the map is regenerated
  uint64_t seed = 1;
};

struct Totals {
  long steps = 0, episodes = 0, successes = 0, maps = 0, failures = 0;
};

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr, "hjepa_soak: %s; expected [--steps N] [--steps-per-map N] [--seed S] with N >= 1\n", problem.c_str());
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) usage(flag + " needs a value");
    char* end = nullptr;
    const long long v = std::strtoll(argv[++i], &end, 10);
    if (*end != '\0' || v < 1) usage(flag + " \"" + argv[i] + "\" is not a positive integer");
    if (flag == "--steps") o.steps = v;
    else if (flag == "--steps-per-map") o.steps_per_map = v;
    else if (flag == "--seed") o.seed = static_cast<uint64_t>(v);
    else usage("unknown flag " + flag);
  }
  return o;
}

void check(bool ok, const std::string& what, Totals& totals) {
  if (ok) return;
  ++totals.failures;
  std::fprintf(stderr, "hjepa_soak: broken invariant: %s\n", what.c_str());
}

// A map with parameters varied by the round, read back from its file text.
World round_map(uint64_t seed, Rng& rng) {
  MapParams mp;
  mp.width = rng.uniform(10, 60);
  mp.height = rng.uniform(10, 45);
  mp.num_regions = kMapRegionsMin + static_cast<int>(rng.below(kMapRegionsMax - kMapRegionsMin + 1));
  mp.num_obstacles = static_cast<int>(rng.below(kMapObstaclesMax / 2 + 1));
  return map_from_json(map_to_json(generate_map(seed, mp)), "soak map");
}

EnvParams round_env(Rng& rng) {
  EnvParams e;
  const int rays[] = {0, 8, 16};
  e.num_rays = rays[rng.below(3)];
  e.noise_motion = rng.uniform(0, 0.3);
  e.noise_perception = rng.uniform(0, 0.5);
  e.noise_range = rng.uniform(0, 0.2);
  return e;
}

// A tiny model for the map, through a model file on disk and back.
ModelFile round_model(const World& world, const EnvParams& env, uint64_t seed, const fs::path& file) {
  const Level1TrainParams tp = test::tiny_level1(80, 24);
  const Level2TrainParams tp2 = test::tiny_level2(80, 4);
  Level1Report r1;
  Level2Report r2;
  const ModelFile trained = train_model(world, env, tp, tp2, seed, "hjepa_soak", r1, r2);
  save_model(trained, file.string());
  return load_model(file.string(), world.fingerprint());
}

// A task of 1-3 colours drawn from the map's regions (no colour twice in a row).
Task round_task(const World& world, Rng& rng) {
  Task task;
  const int length = 1 + static_cast<int>(rng.below(3));
  while (task.size() < length) {
    const Color c = world.regions[rng.below(world.regions.size())].color;
    if (task.colors.empty() || task.colors.back() != c) task.colors.push_back(c);
  }
  return task;
}

std::unique_ptr<Agent> make_soak_agent(int which, const Env& env, const Task& task, const EnvParams& e, const ModelFile& model,
                                       uint64_t seed) {
  PlannerParams pp;
  pp.mode = static_cast<LowMode>((seed / 3) % 3);  // every low-level mode, with both planners
  const char* planner = seed % 3 == 0 ? "cem" : "gradient";
  auto low = [&] {
    auto p = make_planner(planner, pp, seed);
    p->set_policy(&model.policy);
    return p;
  };
  switch (which) {
    case 0: return std::make_unique<RandomAgent>(seed);
    case 1: return std::make_unique<OracleAgent>(env);
    case 2: return std::make_unique<FlatJepaAgent>(model.level1, task, e, low());
    default: return std::make_unique<HJepaAgent>(model.level1, model.level2, task, e, low());
  }
}

// One episode (at most `budget` steps); returns the steps taken.
long run_episode(const World& world, const Task& task, const EnvParams& e, const ModelFile& model, int which, uint64_t seed,
                 long budget, Totals& totals) {
  EnvParams limited = e;
  limited.max_steps = static_cast<int>(std::min<long>(budget, 150));
  Env env(world, task, limited);
  Observation obs = env.reset(seed);
  const std::unique_ptr<Agent> agent = make_soak_agent(which, env, task, e, model, seed);
  agent->reset(obs);
  long steps = 0;
  StepResult r;
  while (!env.done()) {
    const double heading = agent->act(obs);
    check(std::isfinite(heading), agent->name() + " returned a non-finite heading", totals);
    r = env.step(std::isfinite(heading) ? heading : 0.0);
    check(world.is_free(r.info.true_position, env.state().open_gates), "the agent stands inside an obstacle", totals);
    obs = r.obs;
    ++steps;
  }
  ++totals.episodes;
  totals.successes += r.terminated || env.state().progress >= task.size();
  return steps;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path dir = fs::temp_directory_path() / ("hjepa_soak_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  Totals totals;
  Rng rng(opt.seed);
  while (totals.steps < opt.steps) {
    const uint64_t map_seed = derive_seed(opt.seed, static_cast<uint64_t>(totals.maps));
    const World world = round_map(map_seed, rng);
    const EnvParams env = round_env(rng);
    const ModelFile model = round_model(world, env, map_seed, dir / "model.hjepa");
    ++totals.maps;
    const long round_end = std::min(opt.steps, totals.steps + opt.steps_per_map);
    long per_agent[4] = {0, 0, 0, 0};
    for (int episode = 0; totals.steps < round_end; ++episode) {
      const int which = episode % 4;
      const long taken = run_episode(world, round_task(world, rng), env, model, which, derive_seed(map_seed, episode),
                                     round_end - totals.steps, totals);
      per_agent[which] += taken;
      totals.steps += taken;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr,
                 "soak: map %ld (%.0f x %.0f, %zu regions, %zu obstacles, %d rays): steps random %ld oracle %ld flat %ld hjepa %ld; "
                 "total %ld/%ld steps, %.0f s\n",
                 totals.maps, world.width, world.height, world.regions.size(), world.obstacles.size(), env.num_rays,
                 per_agent[0], per_agent[1], per_agent[2], per_agent[3], totals.steps, opt.steps, seconds);
  }
  fs::remove_all(dir);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"steps\": %ld, \"maps\": %ld, \"episodes\": %ld, \"successes\": %ld, \"broken_invariants\": %ld, \"seconds\": %.1f}\n",
              totals.steps, totals.maps, totals.episodes, totals.successes, totals.failures, seconds);
  return totals.failures == 0 ? 0 : 1;
}
