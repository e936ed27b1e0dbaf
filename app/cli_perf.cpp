// `hjepa perf`: speed measurements on one thread, reported as medians over repeated rounds.
//   perf env     env steps per second (map seed 1 or a chosen map, range ring on, default noise)
//   perf oracle  milliseconds per oracle plan for 3-colour tasks on maps 1-10 or a chosen map
//   perf plan    milliseconds per agent step of the level-1 planner, its multiply-adds and the share of
//                the core's peak they reach
//   perf train   windows per second of one level-1 joint training step
//   perf agent   the whole H-JEPA agent: mean ms per step and level-2 replanning ms, on one map
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "agent/jepa/exploration.hpp"
#include "agent/jepa/encoder.hpp"
#include "agent/jepa/hjepa_agent.hpp"
#include "agent/jepa/train_model.hpp"
#include "agent/jepa/low_level_planner.hpp"
#include "agent/nn/gemm.hpp"
#include "app/cli_common.hpp"
#include "sim/free_space.hpp"
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

// The maps a perf command times: the chosen one (--map, or --map-seed with the generator's flags),
// else the first `defaults` maps of seeds 1, 2, ... generated with the generator's flags.
std::vector<World> perf_maps(const MapChoice& map, int defaults) {
  if (!map.file.empty() || map.seed) return {make_world(map)};
  std::vector<World> maps;
  for (int s = 1; s <= defaults; ++s) maps.push_back(generate_map(s, checked_map_params(map.params)));
  return maps;
}

// What the maps were, for the JSON: the source, the size, and regions and obstacles (their mean when
// several maps differ).
nlohmann::json map_json(const MapChoice& map, const std::vector<World>& maps) {
  std::string source = map.file;
  if (map.file.empty()) source = map.seed ? "seed " + std::to_string(*map.seed) : maps.size() == 1 ? "seed 1" : "seeds 1-" + std::to_string(maps.size());
  auto number = [](double x) { return x == std::floor(x) ? nlohmann::json(static_cast<long>(x)) : nlohmann::json(x); };
  auto count = [&](auto size_of) {
    double sum = 0;
    for (const World& w : maps) sum += static_cast<double>(size_of(w));
    return number(sum / static_cast<double>(maps.size()));
  };
  return {{"map", source}, {"maps", maps.size()}, {"width", number(maps.front().width)}, {"height", number(maps.front().height)},
          {"regions", count([](const World& w) { return w.regions.size(); })},
          {"obstacles", count([](const World& w) { return w.obstacles.size(); })}};
}

// "map seed 1: 40x30, 10 regions, 20 obstacles" for the readable lines (of map_json's keys).
std::string map_text(const nlohmann::json& m) {
  const std::string source = (m["maps"] == 1 ? "map " : "maps of ") + m["map"].get<std::string>();
  return source + ": " + m["width"].dump() + "x" + m["height"].dump() + ", " + m["regions"].dump() + " regions, " + m["obstacles"].dump() +
         " obstacles";
}

int perf_env(bool json, int rounds, int steps, const MapChoice& map) {
  const std::vector<World> maps = perf_maps(map, 1);
  const World& world = maps.front();
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
  nlohmann::json out = map_json(map, maps);
  if (json) out.update({{"steps_per_second", med}, {"rounds", rounds}, {"steps_per_round", steps}}), std::printf("%s\n", out.dump().c_str());
  else std::printf("env: %.0f steps/s (median of %d rounds of %d steps, one thread; %s; checksum %.3f)\n", med, rounds, steps,
                   map_text(out).c_str(), checksum);
  return 0;
}

// Without --map or --map-seed, plan k is on map 1 + k % 10 (default settings unless the generator's
// flags say otherwise); start k is drawn from seed derive_seed(99, k).
int perf_oracle(bool json, int plans, const MapChoice& map) {
  const std::vector<World> maps = perf_maps(map, std::min(plans, 10));
  std::vector<double> ms;
  for (int k = 0; k < plans; ++k) {
    const World& world = maps[k % maps.size()];
    Rng rng(derive_seed(99, k));
    Vec2 start;
    do start = {rng.uniform(0, world.width), rng.uniform(0, world.height)};
    while (!world.is_free(start));
    const Task task = first_colors(world, 3);
    const auto t0 = std::chrono::steady_clock::now();
    const OraclePath path = plan_oracle(world, start, task);
    ms.push_back(1000 * seconds_since(t0));
    if (!path.found)  // maps are checked to be one connected piece, generated or loaded
      throw UsageError("internal: the oracle found no path for " + task_to_string(task) + " on map " + std::to_string(k % maps.size()));
  }
  const double med = median(ms), worst = *std::max_element(ms.begin(), ms.end());
  // The oracle's search space: free cells of its grid (its product graph has one copy per task progress).
  double free_cells = 0;
  for (const World& w : maps) {
    const FreeGrid grid = make_free_grid(w, OracleParams{}.cell);
    free_cells += static_cast<double>(std::count(grid.free.begin(), grid.free.end(), 1)) / static_cast<double>(maps.size());
  }
  nlohmann::json out = map_json(map, maps);
  out.update({{"ms_per_plan", med}, {"max_ms", worst}, {"plans", plans}, {"oracle_cell", OracleParams{}.cell},
              {"free_cells", std::lround(free_cells)}});
  if (json) std::printf("%s\n", out.dump().c_str());
  else std::printf("oracle: %.2f ms per 3-colour plan (median of %d, max %.2f ms; %s, %ld free oracle cells; one thread)\n", med,
                   plans, worst, map_text(out).c_str(), std::lround(free_cells));
  return 0;
}

// Layer widths {inputs, hidden..., outputs} of a network.
std::vector<int> layer_widths(const nn::MLP<float>& net) {
  std::vector<int> w{net.inputs()};
  for (const auto& l : net.layers) w.push_back(l.outputs());
  return w;
}

nlohmann::json predictor_inputs_json(const Level1Arch& arch) {
  nlohmann::json parts = nlohmann::json::array();
  for (const InputPart& p : predictor_input_parts(arch.latent, kPredictorFourierFeatures, arch.z_values)) parts.push_back({{"name", p.name}, {"size", p.size}});
  return parts;
}

// One core's peak in single-precision GFLOP/s from /proc/cpuinfo: floats per FMA instruction
// (avx512f 16, avx2 with fma 8, else 4) x 2 FMA units (assumed: /proc/cpuinfo does not say) x 2
// flops per FMA x the clock (the model name's nominal GHz if it gives one, else "cpu MHz").
struct CorePeak {
  double gflops = 0;
  std::string basis;  // how it was derived, for the JSON
  double measured_gflops = 0;  // nn::measured_fma_peak_gflops (0: not measured, no AVX-512)
  // `j` with the fields for a rate of `rate` GFLOP/s: the nominal peak and the measured one, and its share of each.
  nlohmann::json with_fields(nlohmann::json j, double rate) const {
    j.update({{"peak_gflops", gflops}, {"fraction_of_peak", gflops > 0 ? rate / gflops : 0}, {"peak_basis", basis},
              {"measured_peak_gflops", measured_gflops},
              {"fraction_of_measured_peak", measured_gflops > 0 ? rate / measured_gflops : 0}});
    return j;
  }
  std::string text(double rate) const {
    char buf[320];
    std::snprintf(buf, sizeof buf, "%.1f%% of one core's nominal peak (%.1f GFLOP/s: %s), %.1f%% of its measured FMA peak (%.1f GFLOP/s)",
                  gflops > 0 ? 100 * rate / gflops : 0, gflops, basis.c_str(),
                  measured_gflops > 0 ? 100 * rate / measured_gflops : 0, measured_gflops);
    return buf;
  }
};

CorePeak core_peak() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, flags, model;
  double mhz = 0;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1), value = line.substr(colon + 1);
    if (key == "flags" && flags.empty()) flags = value + " ";
    if (key == "model name" && model.empty()) model = value;
    if (key == "cpu MHz" && mhz == 0) mhz = std::atof(value.c_str());
  }
  auto has = [&](const char* f) { return flags.find(std::string(" ") + f + " ") != std::string::npos; };
  const int width = has("avx512f") ? 16 : has("avx2") && has("fma") ? 8 : 4;
  std::smatch m;
  double ghz = 0;
  std::string clock;
  if (std::regex_search(model, m, std::regex("([0-9.]+)\\s*GHz"))) {
    ghz = std::atof(m[1].str().c_str());
    clock = "nominal " + m[1].str() + " GHz from the model name";
  } else {
    ghz = mhz / 1000;
    char text[64];
    std::snprintf(text, sizeof text, "%.0f MHz from /proc/cpuinfo's cpu MHz", mhz);
    clock = text;
  }
  CorePeak p;
  p.gflops = width * 2.0 * 2.0 * ghz;
  p.basis = std::to_string(width) + " floats per FMA (" + (width == 16 ? "avx512f" : width == 8 ? "avx2+fma" : "sse") +
            ") x 2 FMA units (assumed) x 2 flops x " + clock;
  p.measured_gflops = nn::measured_fma_peak_gflops();
  return p;
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
  const double flops = 2 * planner->multiply_adds(model, true);  // perf plan aims at a colour, no subgoal
  const double gflops = flops / (med * 1e6);
  const CorePeak peak = core_peak();
  if (json)
    std::printf("%s\n", peak.with_fields(nlohmann::json{{"ms_per_step", med}, {"plans", plans}, {"planner", planner_name}, {"horizon", p.horizon},
                                       {"iterations", p.iterations}, {"restarts", p.restarts}, {"p1_layers", layer_widths(model.predictor)},
                                       {"p1_inputs", predictor_inputs_json(arch)}, {"colour_head_layers", layer_widths(model.colour_head)},
                                       {"flops_per_step", flops}, {"gflops", gflops}}, gflops)
                                .dump()
                                .c_str());
  else
    std::printf("plan: %.3f ms per agent step (%s planner, horizon %d, %d iterations, %d restarts; median of %d, one thread); "
                "%.1f MFLOP per step, %.1f GFLOP/s, %s\n",
                med, planner_name.c_str(), p.horizon, p.iterations, p.restarts, plans, flops / 1e6, gflops, peak.text(gflops).c_str());
  return 0;
}

// One level-1 joint training step (train_level1's first phase) at the default batch and unroll, on
// this thread: exploration data of map 1 at the default settings, a freshly initialised model.
int perf_train(bool json, int steps) {
  const World world = generate_map(1);
  const EnvParams env;
  Level1TrainParams tp;
  const int warmup = 10;
  tp.steps = warmup + steps;  // the learning-rate schedule spans the timed steps
  const ExplorationData data = collect_exploration(world, env, tp.exploration, 21, false);
  Level1Arch arch;
  arch.features = feature_size(env.num_rays);
  Level1 model(arch, 3);
  model.width = world.width, model.height = world.height;
  JointTrainer trainer(model, data, tp, 4);
  std::vector<double> seconds;
  for (int step = 0; step < warmup + steps; ++step) {
    Level1LossTerms terms;
    const auto t0 = std::chrono::steady_clock::now();
    const std::string fault = trainer.step(step, terms);
    if (step >= warmup) seconds.push_back(seconds_since(t0));
    if (!fault.empty()) throw UsageError("internal: perf train: non-finite " + fault);
  }
  const double med = median(seconds), windows = tp.batch / med;
  const double flops = 2 * trainer.multiply_adds(), gflops = flops / (med * 1e9);
  const CorePeak peak = core_peak();
  if (json)
    std::printf("%s\n", peak.with_fields(nlohmann::json{{"windows_per_second", windows}, {"ms_per_step", 1000 * med}, {"steps", steps}, {"batch", tp.batch},
                                       {"unroll", trainer.unroll()}, {"e1_layers", layer_widths(model.encoder)},
                                       {"p1_layers", layer_widths(model.predictor)}, {"p1_inputs", predictor_inputs_json(arch)},
                                       {"idm_layers", layer_widths(model.inverse_dynamics)}, {"threads", 1},
                                       {"flops_per_step", flops}, {"flops_per_window", flops / tp.batch}, {"gflops", gflops}}, gflops)
                                .dump()
                                .c_str());
  else
    std::printf("train: %.0f windows/s (%.3f ms per joint step of %d windows, unroll %d; median of %d steps, one thread); "
                "%.1f kFLOP per window, %.1f GFLOP/s, %s\n",
                windows, 1000 * med, tp.batch, trainer.unroll(), steps, flops / tp.batch / 1e3, gflops, peak.text(gflops).c_str());
  return 0;
}

// The whole hierarchical agent on one map: `episodes` 3-colour tasks (colours drawn from the map,
// start points from the episode seed); every act() and every level-2 plan is timed.
int perf_agent(bool json, int episodes, const MapChoice& map, const std::string& model_path) {
  const World world = make_world(map);
  ModelFile model;
  if (!model_path.empty()) {
    try {
      model = load_model(model_path, world.fingerprint());
    } catch (const ModelError& e) {
      throw UsageError(std::string("--model: ") + e.what());
    }
  } else {
    std::fprintf(stderr, "perf agent: no --model given: training on this map first\n");
    Level1Report report;
    model = train_model(world, EnvParams{}, Level1TrainParams{}, 1, "hjepa perf", report);
  }
  std::vector<Color> colours;
  for (const auto& r : world.regions)
    if (std::find(colours.begin(), colours.end(), r.color) == colours.end()) colours.push_back(r.color);
  std::vector<double> high_ms;
  double act_seconds = 0;
  long steps = 0, successes = 0;
  for (int e = 0; e < episodes; ++e) {
    Rng rng(derive_seed(123, e));
    Task task;
    while (task.size() < 3) {
      const Color c = colours[rng.below(colours.size())];
      if (task.colors.empty() || task.colors.back() != c) task.colors.push_back(c);
    }
    Env env(world, task);
    Observation obs = env.reset(derive_seed(456, e));
    auto planner = make_planner("gradient", RunConfig{}.planner, derive_seed(789, e));  // the default low level
    planner->set_policy(&model.policy);
    HJepaAgent agent(model.level1, model.level2, task, EnvParams{}, std::move(planner));
    agent.reset(obs);
    while (!env.done()) {
      const auto t0 = std::chrono::steady_clock::now();
      const double heading = agent.act(obs);
      act_seconds += seconds_since(t0);
      ++steps;
      if (!agent.hjepa_trace().replan_reason.empty()) high_ms.push_back(agent.hjepa_trace().high_ms);
      obs = env.step(heading).obs;
    }
    successes += env.state().progress >= task.size();
  }
  const double ms_per_step = 1000 * act_seconds / std::max(1L, steps);
  const double high_median = high_ms.empty() ? 0 : median(high_ms);
  const double high_max = high_ms.empty() ? 0 : *std::max_element(high_ms.begin(), high_ms.end());
  nlohmann::json out = map_json(map, {world});
  out.update({{"ms_per_step", ms_per_step}, {"high_level_ms_median", high_median}, {"high_level_ms_max", high_max},
              {"high_level_plans", high_ms.size()}, {"steps", steps}, {"episodes", episodes}, {"successes", successes},
              {"places", model.level2.arch.places}});
  if (json)
    std::printf("%s\n", out.dump().c_str());
  else
    std::printf("agent: %.3f ms per step on average (%ld steps, %d episodes of 3-colour tasks, %ld successes, one thread); "
                "level-2 replanning %.3f ms median, %.3f ms max over %zu plans\n",
                ms_per_step, steps, episodes, successes, high_median, high_max, high_ms.size());
  return 0;
}

}  // namespace

int cmd_perf(int argc, char** argv) {
  CLI::App app{"Measure speed on one thread (Release builds give the figures that count).", "hjepa perf"};
  app.require_subcommand(1);
  bool json = false;
  int rounds = 7, steps = 1000000, plans = 30;
  MapChoice map;  // the one parsed subcommand's --map / --map-seed and generator flags
  auto* env = app.add_subcommand("env", "Env steps per second: map seed 1 unless --map or --map-seed, range ring on, default noise");
  env->add_flag("--json", json, "Print {\"steps_per_second\": ..., \"width\": ..., \"regions\": ...}");
  add_map_options(*env, map, false);
  env->add_option("--rounds", rounds, "Timed rounds; the median is reported (default 7)")->check(number_check(true, 1, 1000));
  env->add_option("--steps", steps, "Steps per round (default 1000000)")->check(number_check(true, 1, 100000000));
  auto* oracle = app.add_subcommand("oracle", "Milliseconds per oracle plan, 3-colour tasks on maps 1-10 unless --map or --map-seed");
  oracle->add_flag("--json", json, "Print {\"ms_per_plan\": ..., \"width\": ..., \"free_cells\": ...}");
  add_map_options(*oracle, map, false);
  oracle->add_option("--plans", plans, "Plans timed; the median is reported (default 30)")->check(number_check(true, 1, 100000));
  std::string planner_name = "gradient";
  auto* plan = app.add_subcommand("plan", "Milliseconds per agent step of the low-level planner (default settings)");
  plan->add_flag("--json", json, "Print {\"ms_per_step\": ...}");
  plan->add_option("--plans", plans, "Plans timed; the median is reported (default 30)")->check(number_check(true, 1, 100000));
  plan->add_option("--planner", planner_name, "gradient or cem (default gradient)")->check(CLI::IsMember({"gradient", "cem"}));
  int train_steps = 100;
  auto* train = app.add_subcommand("train", "Windows per second of one level-1 joint training step (default batch and unroll)");
  train->add_flag("--json", json, "Print {\"windows_per_second\": ..., \"batch\": ..., ...}");
  train->add_option("--steps", train_steps, "Steps timed; the median is reported (default 100)")->check(number_check(true, 1, 100000));
  auto* agent = app.add_subcommand("agent", "The whole H-JEPA agent: mean ms per step and level-2 replanning ms on one map");
  agent->add_flag("--json", json, "Print {\"ms_per_step\": ..., \"high_level_ms_median\": ...}");
  int episodes = 20;
  std::string model_path;
  add_map_options(*agent, map, false);
  agent->add_option("--model", model_path, "Model file for this map (without it, trains one first)");
  agent->add_option("--episodes", episodes, "3-colour episodes run (default 20)")->check(number_check(true, 1, 100000));
  // CLI11 reads an unknown word as a stray argument and says only "A subcommand is required".
  const std::vector<CLI::App*> subcommands = app.get_subcommands({});
  if (argc >= 2 && argv[1][0] != '-' &&
      std::none_of(subcommands.begin(), subcommands.end(), [&](const CLI::App* sub) { return sub->get_name() == argv[1]; })) {
    std::string names;
    for (const CLI::App* sub : subcommands) names += (names.empty() ? "" : ", ") + sub->get_name();
    std::fprintf(stderr, "hjepa perf: unknown subcommand \"%s\"; expected one of %s\n", argv[1], names.c_str());
    return 2;
  }
  return run_command(app, argc, argv, [&] {
    if (env->parsed()) return perf_env(json, rounds, steps, map);
    if (agent->parsed()) {
      if (map.file.empty() && map.seed < 0) map.seed = 1;
      return perf_agent(json, episodes, map, model_path);
    }
    if (plan->parsed()) return perf_plan(json, plans, planner_name);
    if (train->parsed()) return perf_train(json, train_steps);
    return perf_oracle(json, plans, map);
  });
}

}  // namespace hjepa
