// `hjepa perf`: speed measurements on one thread, reported as medians over repeated rounds.
//   perf env     env steps per second (default map, range ring on, default noise)
//   perf oracle  milliseconds per oracle plan for 3-colour tasks on default maps
//   perf plan    milliseconds per agent step of the level-1 planner
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "agent/jepa/features.hpp"
#include "agent/jepa/planner.hpp"
#include "app/cli_common.hpp"
#include "sim/oracle.hpp"

namespace hjepa {
namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A task of the first n distinct colours of the map, in region order.
Task first_colors(const World& w, int n) {
  Task t;
  for (const auto& r : w.regions)
    if (t.size() < n && std::find(t.colors.begin(), t.colors.end(), r.color) == t.colors.end()) t.colors.push_back(r.color);
  return t;
}

int perf_env(bool json, int rounds, int steps) {
  const World world = generate_map(1);
  Env env(world, first_colors(world, 6));
  std::vector<double> headings(4096);
  Rng rng(7);
  for (double& h : headings) h = rng.uniform(-3.14159, 3.14159);
  std::vector<double> rates;
  double checksum = 0;
  uint64_t episode = 0;
  for (int r = 0; r < rounds; ++r) {
    env.reset(episode++);
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < steps; ++k) {
      const StepResult s = env.step(headings[k & 4095]);
      checksum += s.obs.ranges[0];
      if (s.terminated || s.truncated) env.reset(episode++);
    }
    rates.push_back(steps / seconds_since(t0));
  }
  const double med = median(rates);
  if (json) std::printf("%s\n", nlohmann::json{{"steps_per_second", med}, {"rounds", rounds}, {"steps_per_round", steps}}.dump().c_str());
  else std::printf("env: %.0f steps/s (median of %d rounds of %d steps, one thread; checksum %.3f)\n", med, rounds, steps, checksum);
  return 0;
}

int perf_oracle(bool json, int plans) {
  std::vector<double> ms;
  for (int k = 0; k < plans; ++k) {
    const World world = generate_map(1 + k % 10);
    Rng rng(derive_seed(99, k));
    Vec2 start;
    do start = {rng.uniform(0, world.width), rng.uniform(0, world.height)};
    while (!world.is_free(start));
    const Task task = first_colors(world, 3);
    const auto t0 = std::chrono::steady_clock::now();
    const OraclePath path = plan_oracle(world, start, task);
    ms.push_back(1000 * seconds_since(t0));
    if (!path.found) throw UsageError("internal: oracle found no path on generated map " + std::to_string(1 + k % 10));
  }
  const double med = median(ms), worst = *std::max_element(ms.begin(), ms.end());
  if (json) std::printf("%s\n", nlohmann::json{{"ms_per_plan", med}, {"max_ms", worst}, {"plans", plans}}.dump().c_str());
  else std::printf("oracle: %.2f ms per 3-colour plan (median of %d, max %.2f ms; default maps, one thread)\n", med, plans, worst);
  return 0;
}

int perf_plan(bool json, int plans, const std::string& planner_name) {
  // Planning cost depends on the architecture and settings, not on the weights: a freshly
  // initialised default model times the same as a trained one.
  Level1Arch arch;
  arch.features = feature_size(EnvParams{}.num_rays);
  const Level1 model(arch, 3);
  auto planner = make_planner(planner_name, PlannerParams{}, 5);
  Rng rng(11);
  MatF s0(arch.latent, 1);
  std::vector<double> ms;
  for (int k = 0; k < plans + 10; ++k) {
    for (int i = 0; i < arch.latent; ++i) s0(i, 0) = static_cast<float>(rng.normal());
    const auto t0 = std::chrono::steady_clock::now();
    const PlanResult r = planner->plan(model, s0, nullptr, k % kNumColors);
    if (k >= 10) ms.push_back(1000 * seconds_since(t0));  // after a short warm-up
    if (r.headings.empty()) throw UsageError("internal: empty plan");
  }
  const double med = median(ms);
  const PlannerParams p;
  if (json) std::printf("%s\n", nlohmann::json{{"ms_per_step", med}, {"plans", plans}, {"planner", planner_name}, {"horizon", p.horizon},
                                               {"iterations", p.iterations}, {"restarts", p.restarts}}.dump().c_str());
  else std::printf("plan: %.3f ms per agent step (%s planner, horizon %d, %d iterations, %d restarts; median of %d, one thread)\n",
                   med, planner_name.c_str(), p.horizon, p.iterations, p.restarts, plans);
  return 0;
}

}  // namespace

int cmd_perf(int argc, char** argv) {
  CLI::App app{"Measure speed on one thread (Release builds give the figures that count).", "hjepa perf"};
  app.require_subcommand(1);
  bool json = false;
  int rounds = 7, steps = 1000000, plans = 30;
  auto* env = app.add_subcommand("env", "Env steps per second: default map, range ring on, default noise");
  env->add_flag("--json", json, "Print {\"steps_per_second\": ...}");
  env->add_option("--rounds", rounds, "Timed rounds; the median is reported (default 7)")->check(CLI::Range(1, 1000));
  env->add_option("--steps", steps, "Steps per round (default 1000000)")->check(CLI::Range(1, 100000000));
  auto* oracle = app.add_subcommand("oracle", "Milliseconds per oracle plan, 3-colour tasks on default maps");
  oracle->add_flag("--json", json, "Print {\"ms_per_plan\": ...}");
  oracle->add_option("--plans", plans, "Plans timed; the median is reported (default 30)")->check(CLI::Range(1, 100000));
  std::string planner_name = "gradient";
  auto* plan = app.add_subcommand("plan", "Milliseconds per agent step of the low-level planner (default settings)");
  plan->add_flag("--json", json, "Print {\"ms_per_step\": ...}");
  plan->add_option("--plans", plans, "Plans timed; the median is reported (default 30)")->check(CLI::Range(1, 100000));
  plan->add_option("--planner", planner_name, "gradient or cem (default gradient)")->check(CLI::IsMember({"gradient", "cem"}));
  return run_command(app, argc, argv, [&] {
    if (env->parsed()) return perf_env(json, rounds, steps);
    if (plan->parsed()) return perf_plan(json, plans, planner_name);
    return perf_oracle(json, plans);
  });
}

}  // namespace hjepa
