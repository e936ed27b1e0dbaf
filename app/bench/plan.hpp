// A suite expanded into the ordered list of episodes a `hjepa bench` run covers. A case is one
// (map, task, start); every selected agent, noise setting and model seed runs every case, so
// comparisons are paired. Case k's seed is derive_seed(base seed, k): it fixes the start point, the
// env's noise and the agent's randomness, whatever the thread count or shard.
// Order: for each map, task, start (= case), noise setting, agent (in agent_names() order), model seed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "app/bench/suite.hpp"
#include "sim/world.hpp"

namespace hjepa {

struct BenchMap {
  std::string name;  // the seed ("1001") or the file name ("detour.json")
  World world;
};

struct BenchCase {
  int map = 0;        // index into BenchPlan::maps
  Task task;
  int start = 0;      // 0..Suite::starts-1
  uint64_t seed = 0;  // derive_seed(base seed, case index)
};

struct BenchEpisode {
  int64_t index = 0;    // position in the full list; shard i/n runs index % n == i
  int case_index = 0;
  int noise = 0;        // index into Suite::noise
  std::string agent;
  int model_seed = -1;  // index into Suite::model_seeds; -1 for agents without a model
};

struct BenchPlan {
  std::vector<BenchMap> maps;
  std::vector<BenchCase> cases;
  std::vector<BenchEpisode> episodes;
};

// Loads or generates the maps, draws the tasks and lists the episodes for `agents` (known agent
// names). Throws UsageError for a map file that does not load, a task colour missing from a map,
// or a task the oracle cannot complete.
BenchPlan expand_suite(const Suite& suite, const std::vector<std::string>& agents, uint64_t base_seed);

// `count` tasks of `length` colours present on `world`, never the same colour twice in a row,
// distinct while enough distinct tasks exist, each completable by the oracle; deterministic in `seed`.
// Returns "" or the reason it could not.
std::string generate_tasks(const World& world, int length, int count, uint64_t seed, std::vector<Task>& out);

}  // namespace hjepa
