// hjepa_flat_bar: measures issue 3's flat-agent bar. On each map (generated from its seed, default
// map parameters) it draws starts and keeps those from which a region of another colour begins
// within 8 units along a straight, unblocked line (64 directions, 0.05-unit march, the path from
// the start to 0.3 units inside the region free of obstacles); the task is that colour. It runs the
// flat agent (default planner and belief) on the map's model file and prints, per map and overall,
// the success rate and the median of steps / oracle_steps over successful episodes, with the
// episodes as JSON lines on request. A measurement, not a test: run it on Release models.
//   hjepa_flat_bar --episodes-per-map 12 MAP_SEED=MODEL_FILE ...
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "agent/jepa/flat_agent.hpp"
#include "agent/jepa/model_file.hpp"
#include "sim/env.hpp"
#include "sim/map_gen.hpp"
#include "sim/oracle.hpp"
#include "sim/rng.hpp"

using namespace hjepa;

namespace {

// The nearest other colour along a straight, unblocked line within `reach`, or -1.
int straight_target(const World& w, Vec2 p, double reach, Rng& rng) {
  const Color here = w.color_at(p);
  std::vector<int> found;
  for (int k = 0; k < 64; ++k) {
    const double a = 2 * 3.141592653589793 * k / 64;
    const Vec2 d{std::cos(a), std::sin(a)};
    const double free = w.raycast(p, d, reach + 0.3);
    for (double t = 0.05; t <= std::min(reach, free - 0.3); t += 0.05) {
      const Color c = w.color_at(p + d * t);
      if (c != here) {
        if (w.color_at(p + d * (t + 0.3)) == c) found.push_back(static_cast<int>(c));
        break;
      }
    }
  }
  if (found.empty()) return -1;
  return found[rng.below(found.size())];
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  int per_map = 12;
  bool lines = false;
  std::vector<std::pair<uint64_t, std::string>> maps;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--episodes-per-map" && i + 1 < argc) {
      per_map = std::atoi(argv[++i]);
    } else if (a == "--episodes") {
      lines = true;
    } else if (const auto eq = a.find('='); eq != std::string::npos) {
      maps.push_back({std::strtoull(a.substr(0, eq).c_str(), nullptr, 10), a.substr(eq + 1)});
    } else {
      std::fprintf(stderr, "hjepa_flat_bar: unexpected argument \"%s\"; expected [--episodes-per-map N] [--episodes] MAP_SEED=MODEL_FILE ...\n", a.c_str());
      return 2;
    }
  }
  if (maps.empty() || per_map < 1) {
    std::fprintf(stderr, "usage: hjepa_flat_bar [--episodes-per-map N] [--episodes] MAP_SEED=MODEL_FILE ...\n");
    return 2;
  }
  std::vector<double> all_ratios;
  int all_ok = 0, all_n = 0;
  for (const auto& [map_seed, path] : maps) {
    const World world = generate_map(map_seed, MapParams{});
    ModelFile model;
    try {
      model = load_model(path, world.fingerprint());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "hjepa_flat_bar: %s\n", e.what());
      return 2;
    }
    const EnvParams ep;
    Rng rng(derive_seed(map_seed, 31));
    std::vector<double> ratios;
    int ok = 0, n = 0;
    for (int attempt = 0; n < per_map && attempt < 100000; ++attempt) {
      const Vec2 start{rng.uniform() * world.width, rng.uniform() * world.height};
      if (!world.is_free(start)) continue;
      const int target = straight_target(world, start, 8.0, rng);
      if (target < 0) continue;
      Task task;
      task.colors.push_back(static_cast<Color>(target));
      const OraclePath oracle = plan_oracle(world, start, task, 0);
      if (!oracle.found) continue;
      const uint64_t seed = derive_seed(map_seed, 1000 + static_cast<uint64_t>(n));
      Env env(world, task, ep);
      Observation obs = env.reset(seed, start);
      FlatJepaAgent agent(model.level1, task, ep, make_planner("gradient", PlannerParams{}, seed));
      agent.reset(obs);
      bool done = env.state().progress >= task.size(), truncated = false;
      while (!done && !truncated) {
        const StepResult r = env.step(agent.act(obs));
        obs = r.obs;
        done = r.terminated;
        truncated = r.truncated;
      }
      const int steps = env.state().step, o = std::max(1, oracle_steps(oracle.length, ep.step_length));
      const bool success = env.state().progress >= task.size();
      ++n;
      if (success) ++ok, ratios.push_back(static_cast<double>(steps) / o);
      if (lines)
        std::printf("{\"map\": %llu, \"start\": [%.3f, %.3f], \"colour\": \"%s\", \"success\": %s, \"steps\": %d, \"oracle_steps\": %d}\n",
                    static_cast<unsigned long long>(map_seed), start.x, start.y, std::string(color_name(task.colors[0])).c_str(),
                    success ? "true" : "false", steps, o);
    }
    std::printf("map %llu: %d/%d succeeded, median steps/oracle %.2f\n", static_cast<unsigned long long>(map_seed), ok, n, median(ratios));
    all_ok += ok, all_n += n;
    all_ratios.insert(all_ratios.end(), ratios.begin(), ratios.end());
  }
  std::printf("overall: %d/%d succeeded (%.1f%%), median steps/oracle %.2f over %d maps\n", all_ok, all_n,
              100.0 * all_ok / std::max(1, all_n), median(all_ratios), static_cast<int>(maps.size()));
  return 0;
}
