// Suite expansion: maps, drawn tasks, cases and the episode list (see plan.hpp).
#include "app/bench/plan.hpp"

#include <algorithm>
#include <filesystem>

#include "app/agent_factory.hpp"
#include "app/usage_error.hpp"
#include "sim/map_io.hpp"
#include "sim/oracle.hpp"

namespace hjepa {

namespace {

std::vector<Color> colours_on(const World& world) {
  std::vector<Color> out;
  for (const Region& r : world.regions)
    if (std::find(out.begin(), out.end(), r.color) == out.end()) out.push_back(r.color);
  std::sort(out.begin(), out.end());
  return out;
}

std::string colour_list(const std::vector<Color>& colours) {
  std::string out;
  for (Color c : colours) out += (out.empty() ? "" : ", ") + std::string(color_name(c));
  return out;
}

// The oracle completes the task from a free reference point (the map is connected, so from anywhere).
bool oracle_completes(const World& world, const Task& task) {
  return plan_oracle(world, world.regions.front().site, task).found;
}

BenchMap load_bench_map(const Suite& suite, const SuiteMap& m) {
  if (m.file.empty()) return {std::to_string(m.seed), generate_map(static_cast<uint64_t>(m.seed), suite.map_params)};
  try {
    return {std::filesystem::path(m.file).filename().string(), load_map(m.file)};
  } catch (const MapError& e) {
    throw UsageError(std::string(e.what()) + " (a map of suite " + suite.path + ")");
  }
}

// Checks an explicit task against a map; `where` names it in the suite file.
void check_task(const Task& task, const BenchMap& map, const std::string& where, const std::string& scope) {
  const std::vector<Color> have = colours_on(map.world);
  for (Color c : task.colors)
    if (std::find(have.begin(), have.end(), c) == have.end())
      throw UsageError(where + ": \"" + std::string(color_name(c)) + "\" is not on map " + map.name + "; expected colours present on " +
                       scope + " (map " + map.name + " has " + colour_list(have) + ")");
  if (!oracle_completes(map.world, task))
    throw UsageError(where + ": the oracle cannot complete " + task_to_string(task) + " on map " + map.name +
                     "; expected a task the map allows");
}

// Tasks of one "tasks" entry on one map.
std::vector<Task> tasks_for(const Suite& suite, size_t entry, const BenchMap& map, uint64_t map_key) {
  const SuiteTasks& spec = suite.tasks[entry];
  const std::string where = suite.path + ": $.tasks[" + std::to_string(entry) + "]";
  if (!spec.colors.colors.empty()) {
    check_task(spec.colors, map, where + ".colors", "every map of the suite (or list the task under that map file's \"tasks\")");
    return {spec.colors};
  }
  std::vector<Task> tasks;
  const std::string err =
      generate_tasks(map.world, spec.length, spec.per_map, derive_seed(derive_seed(suite.task_seed, map_key), entry), tasks);
  if (!err.empty()) throw UsageError(where + ": on map " + map.name + ", " + err);
  return tasks;
}

// Every task of map `mi`: its own first, then the suite-wide entries.
std::vector<Task> map_tasks(const Suite& suite, const BenchPlan& plan, size_t mi) {
  const SuiteMap& spec = suite.maps[mi];
  std::vector<Task> tasks;
  for (const Task& t : spec.tasks) {
    check_task(t, plan.maps[mi], suite.path + ": the tasks of map file " + plan.maps[mi].name, "the map");
    tasks.push_back(t);
  }
  const uint64_t map_key = spec.file.empty() ? static_cast<uint64_t>(spec.seed) : plan.maps[mi].world.fingerprint();
  for (size_t entry = 0; entry < suite.tasks.size(); ++entry)
    if (spec.file.empty() || !suite.tasks[entry].seeded_only)
      for (const Task& t : tasks_for(suite, entry, plan.maps[mi], map_key)) tasks.push_back(t);
  return tasks;
}

}  // namespace

std::string generate_tasks(const World& world, int length, int count, uint64_t seed, std::vector<Task>& out) {
  out.clear();
  const std::vector<Color> have = colours_on(world);
  const int k = static_cast<int>(have.size());
  if (length >= 2 && k < 2)
    return "tasks of " + std::to_string(length) + " colours need 2 colours on the map; expected a map with several colours";
  double possible = k;  // distinct tasks without a colour twice in a row
  for (int i = 1; i < length; ++i) possible *= k - 1;
  Rng rng(seed);
  int failures = 0;
  while (static_cast<int>(out.size()) < count) {
    Task t;
    for (int i = 0; i < length; ++i) {
      Color c;
      do c = have[rng.below(k)];
      while (i > 0 && c == t.colors.back());
      t.colors.push_back(c);
    }
    const bool repeat = std::any_of(out.begin(), out.end(), [&](const Task& o) { return o.colors == t.colors; });
    if (repeat && out.size() < possible && failures < 10000) {
      ++failures;
      continue;
    }
    if (!oracle_completes(world, t)) {
      if (++failures > 10000) return "no completable task of " + std::to_string(length) + " colours was found";
      continue;
    }
    out.push_back(t);
  }
  return "";
}

BenchPlan expand_suite(const Suite& suite, const std::vector<std::string>& agents, uint64_t base_seed) {
  BenchPlan plan;
  for (const SuiteMap& m : suite.maps) plan.maps.push_back(load_bench_map(suite, m));
  for (size_t mi = 0; mi < plan.maps.size(); ++mi)
    for (const Task& task : map_tasks(suite, plan, mi))
      for (int start = 0; start < suite.starts; ++start) {
        const uint64_t seed = derive_seed(base_seed, plan.cases.size());
        plan.cases.push_back({static_cast<int>(mi), task, start, seed});
      }
  std::vector<std::string> ordered;  // agent_names() order, so --agents b,a runs the same list as a,b
  for (const std::string& name : agent_names())
    if (std::find(agents.begin(), agents.end(), name) != agents.end()) ordered.push_back(name);
  for (size_t c = 0; c < plan.cases.size(); ++c)
    for (size_t n = 0; n < suite.noise.size(); ++n)
      for (const std::string& agent : ordered) {
        const int seeds = agent_needs_model(agent) ? static_cast<int>(suite.model_seeds.size()) : 1;
        for (int s = 0; s < seeds; ++s)
          plan.episodes.push_back({static_cast<int64_t>(plan.episodes.size()), static_cast<int>(c), static_cast<int>(n), agent,
                                   agent_needs_model(agent) ? s : -1});
      }
  return plan;
}

}  // namespace hjepa
