// The hjepa CLI through the real executable: help on every command, the run JSON contract,
// determinism, bench results independent of threads and shards, and every user error giving a
// clear message on stderr with exit status 2.
#include <doctest/doctest.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "agent/config.hpp"
#include "sim/map_io.hpp"
#include "cli_runner.hpp"
#include "tiny_cli_training.hpp"
#include "workload.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using hjepa::declared;
using hjepa::ParamSpec;
using hjepa::params;

namespace {

using hjepa::test::has;
using hjepa::test::Result;
using hjepa::test::slurp;

fs::path scratch() {
  static const fs::path dir = hjepa::test::scratch_dir("hjepa_cli_test");
  return dir;
}

// Runs hjepa with `args`, in the directory `cwd` when one is given (else the test's own).
Result run_cli(const std::string& args, const fs::path& cwd = {}) {
  const std::string cd = cwd.empty() ? "" : "cd '" + cwd.string() + "' && ";
  return hjepa::test::shell(cd + std::string(HJEPA_EXE) + " " + args, scratch());
}

void check_refused(const std::string& args, const std::string& mentions) {
  CAPTURE(args);
  const Result r = run_cli(args);
  CAPTURE(r.err);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(has(r.err, mentions));
  CHECK((has(r.err, "expected") || has(r.err, "--help")));
}

}  // namespace

// The desktop app offers every agent `hjepa run` does (both read the one agent table).
TEST_CASE("hjepa gui --agent takes the same agents as hjepa run") {
  auto agent_list = [](const std::string& help) {
    const size_t at = help.find("Agent: ");
    REQUIRE(at != std::string::npos);
    const size_t end = help.find(" (", at);
    REQUIRE(end != std::string::npos);
    return help.substr(at, end - at);
  };
  const Result run = run_cli("run --help"), gui = run_cli("gui --help");
  REQUIRE(run.status == 0);
  REQUIRE(gui.status == 0);
  CHECK(agent_list(gui.out) == agent_list(run.out));
  for (const char* name : {"oracle", "random", "flat", "hjepa", "hjepa-euclid"}) CHECK(has(agent_list(gui.out), name));
}

TEST_CASE("--help works on every command") {
  for (const char* cmd : {"--help", "run --help", "map --help", "train --help", "perf --help", "perf env --help",
                          "perf oracle --help", "perf plan --help", "perf train --help", "gui --help", "bench --help", "bench merge --help"}) {
    CAPTURE(cmd);
    const Result r = run_cli(cmd);
    CHECK(r.status == 0);
    CHECK(has(r.out, "sage"));  // "Usage"
  }
}

// The help CLI11 prints for `flag` in `help` (up to the next option), with runs of white space as one space.
std::string flag_help(const std::string& help, const std::string& flag) {
  const size_t at = help.find("  " + flag + " ");
  if (at == std::string::npos) return "";
  const size_t end = help.find("\n  -", at + 2);
  std::string out;
  for (char c : help.substr(at, end == std::string::npos ? std::string::npos : end - at)) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    if (!space || (!out.empty() && out.back() != ' ')) out += space ? ' ' : c;
  }
  return out;
}

TEST_CASE("every parameter flag's help, default and range are the parameter table's") {
  const std::vector<std::tuple<std::string, std::string, std::string>> flags = {
      {"run", "--noise-motion", "env.noise_motion"},     {"run", "--noise-perception", "env.noise_perception"},
      {"run", "--noise-range", "env.noise_range"},       {"run", "--step-length", "env.step_length"},
      {"run", "--max-steps", "env.max_steps"},           {"run", "--planner", "agent.planner.type"},
      {"train", "--steps", "train.steps"},               {"train", "--sequences", "train.sequences"},
      {"train", "--lr", "train.lr"},                     {"train", "--polish-steps", "train.polish_steps"},
      {"train", "--head-steps", "train.head_steps"},     {"train", "--probe-steps", "train.probe_steps"},
      {"train", "--distance-steps", "train.distance_steps"}, {"train", "--level2-steps", "train.level2_steps"},
      {"train", "--heldout-sequences", "train.heldout_sequences"}, {"train", "--noise-motion", "env.noise_motion"},
      {"map", "--width", "map.width"},                   {"map", "--height", "map.height"},
      {"map", "--regions", "map.regions"},               {"map", "--obstacles", "map.obstacles"},
      {"map", "--style", "map.style"},                   {"bench", "--planner", "agent.planner.type"}};
  std::map<std::string, std::string> help;
  for (const auto& [command, flag, name] : flags) {
    CAPTURE(command);
    CAPTURE(flag);
    if (!help.count(command)) help[command] = run_cli(command + " --help").out;
    const std::string text = flag_help(help[command], flag);
    const ParamSpec& p = declared(name);
    CAPTURE(text);
    CHECK(has(text, p.help_text() + " (default " + p.default_text() + ")"));
    if (p.choices.empty()) CHECK(has(text, p.range_text()));
  }
  // --help-config lists every parameter of the table with its default, range and help.
  const std::string config = run_cli("bench --help-config").out;
  for (const ParamSpec& p : params()) {
    CAPTURE(p.name);
    CHECK(has(config, p.name));
    CHECK(has(config, p.range_text() + "; " + p.help_text() + "\n"));
  }
}

TEST_CASE("run --json prints one object with the documented fields") {
  const Result r = run_cli("run --map-seed 3 --task red,green,blue --agent oracle --seed 5 --json");
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);  // exactly one JSON value (parse fails on trailing text)
  CHECK(j["success"] == true);
  CHECK(j["steps"].get<int>() > 0);
  CHECK(j["oracle_steps"].get<int>() == static_cast<int>(std::ceil(j["oracle_length"].get<double>() - 1e-9)));
  CHECK(j["progress_steps"].size() == 3);
  CHECK(j["trajectory"].size() == j["steps"].get<size_t>() + 1);
  CHECK(j["observations"].size() == j["trajectory"].size());
  CHECK(j["progress_steps"].back().get<int>() == j["steps"].get<int>());
  // Same seed, same run; another seed, another run (timings aside).
  auto untimed = [](std::string text) {
    json v = json::parse(text);
    v.erase("ms_per_step");
    v.erase("oracle_ms");
    return v;
  };
  CHECK(untimed(run_cli("run --map-seed 3 --task red,green,blue --agent oracle --seed 5 --json").out) == untimed(r.out));
  CHECK(untimed(run_cli("run --map-seed 3 --task red,green,blue --agent oracle --seed 6 --json").out) != untimed(r.out));
}

TEST_CASE("run: noise levels, start and step limit are honoured") {
  const Result r = run_cli("run --map-seed 2 --task blue --agent random --start 20,1.5 --noise-motion 0 "
                         "--noise-perception 0 --max-steps 7 --json");
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j["trajectory"][0][0] == 20.0);
  CHECK(j["trajectory"][0][1] == 1.5);
  CHECK(j["observations"] == j["trajectory"]);  // no perception noise
  CHECK(j["steps"].get<int>() <= 7);
  const Result text = run_cli("run --map-seed 2 --task blue,red --agent oracle");
  CHECK(text.status == 0);
  CHECK(has(text.out, "oracle"));
  // --set takes the parameter table's env.* and agent.* (after the flags): the same step limit.
  const Result set = run_cli("run --map-seed 2 --task blue --agent random --start 20,1.5 --max-steps 50 "
                             "--set env.max_steps=4 --set agent.oracle.replan_distance=2 --json");
  REQUIRE(set.status == 0);
  CHECK(json::parse(set.out)["steps"].get<int>() <= 4);
}

TEST_CASE("map writes a file that loads; perf prints JSON") {
  const fs::path file = scratch() / "m.json";
  const Result r = run_cli("map --map-seed 8 --out " + file.string());
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  const hjepa::World w = hjepa::load_map(file.string());
  CHECK(w.regions.size() == 10);
  const Result run = run_cli("run --map " + file.string() + " --task " +
                           std::string(hjepa::color_name(w.regions[0].color)) + " --agent oracle --json");
  CHECK(run.status == 0);
  const Result perf = run_cli("perf env --json --rounds 1 --steps 1000");
  REQUIRE(perf.status == 0);
  CHECK(json::parse(perf.out)["steps_per_second"].get<double>() > 0);
  // --style maze: walls and doors, the same file for the same seed; open is the default map.
  const fs::path maze = scratch() / "maze.json", maze_again = scratch() / "maze_again.json", open = scratch() / "open.json";
  REQUIRE(run_cli("map --map-seed 8 --style maze --out " + maze.string()).status == 0);
  REQUIRE(run_cli("map --map-seed 8 --style maze --out " + maze_again.string()).status == 0);
  REQUIRE(run_cli("map --map-seed 8 --style open --out " + open.string()).status == 0);
  CHECK(slurp(maze) == slurp(maze_again));
  CHECK(slurp(open) == slurp(file));
  CHECK(slurp(maze) != slurp(file));
  const hjepa::World mw = hjepa::load_map(maze.string());
  CHECK(mw.obstacles.size() > w.obstacles.size());
  // run and train generate the same maze from --map-seed N --style maze.
  const std::string task(hjepa::color_name(mw.regions[0].color));
  const Result in_maze = run_cli("run --map-seed 8 --style maze --task " + task + " --agent oracle --json");
  REQUIRE(in_maze.status == 0);
  const Result from_file = run_cli("run --map " + maze.string() + " --task " + task + " --agent oracle --json");
  REQUIRE(from_file.status == 0);
  CHECK(json::parse(in_maze.out)["oracle_length"] == json::parse(from_file.out)["oracle_length"]);
  CHECK(json::parse(in_maze.out)["trajectory"] == json::parse(from_file.out)["trajectory"]);
  const Result oracle = run_cli("perf oracle --json --plans 1");
  REQUIRE(oracle.status == 0);
  CHECK(json::parse(oracle.out)["ms_per_plan"].get<double>() > 0);
  // perf plan and perf train say what sizes they ran (the PyTorch peer rebuilds them); no timings asserted.
  const Result plan = run_cli("perf plan --json --plans 1");
  REQUIRE(plan.status == 0);
  const json pj = json::parse(plan.out);
  for (const char* key : {"ms_per_step", "horizon", "iterations", "restarts", "p1_layers", "p1_inputs", "flops_per_step",
                          "fraction_of_peak", "peak_gflops", "peak_basis", "measured_peak_gflops", "fraction_of_measured_peak"})
    CHECK(pj.contains(key));
  CHECK(pj["p1_layers"].front() == 82);
  const Result train = run_cli("perf train --json --steps 1");
  REQUIRE(train.status == 0);
  const json tj = json::parse(train.out);
  for (const char* key : {"windows_per_second", "batch", "unroll", "e1_layers", "p1_layers", "p1_inputs", "flops_per_window",
                          "flops_per_step", "fraction_of_peak", "peak_gflops", "peak_basis", "measured_peak_gflops",
                          "fraction_of_measured_peak"})
    CHECK(tj.contains(key));
#if defined(__AVX512F__)
  CHECK(tj["measured_peak_gflops"].get<double>() > 0);  // the FMA loop ran (timing, so no value asserted)
#endif
  // The FLOP count follows the sizes it reports: per window E1 over unroll + 2 frames (targets, frame
  // 0, frame 1 for the inverse dynamics), P1 (its layers, the Fourier map, the heading products) over
  // the unroll, the inverse-dynamics head, and backward passes of E1 on two frames, P1 and the head
  // at twice their forward, less E1's first-layer input gradient (frames are data); 2 flops per multiply-add.
  auto macs = [](const json& widths) {
    double n = 0;
    for (size_t i = 0; i + 1 < widths.size(); ++i) n += widths[i].get<double>() * widths[i + 1].get<double>();
    return n;
  };
  const double k = tj["unroll"].get<double>(), D = tj["p1_layers"].back().get<double>();
  double fourier = 0;
  for (const auto& part : tj["p1_inputs"])
    if (part["name"] == "fourier_cos") fourier = part["size"].get<double>();
  const double e1 = macs(tj["e1_layers"]), p1 = macs(tj["p1_layers"]) + fourier * D + 2 * D, idm = macs(tj["idm_layers"]);
  const double e1_input = tj["e1_layers"][0].get<double>() * tj["e1_layers"][1].get<double>();  // no dx for the frames
  const double per_window = 2 * (e1 * (k + 2) + p1 * k + idm + 2 * (2 * e1 + p1 * k + idm) - 2 * e1_input);
  CHECK(tj["flops_per_window"].get<double>() == doctest::Approx(per_window));
  CHECK(tj["flops_per_step"].get<double>() == doctest::Approx(per_window * tj["batch"].get<double>()));
  int inputs = 0;
  for (const auto& part : tj["p1_inputs"]) inputs += part["size"].get<int>();
  CHECK(inputs == tj["p1_layers"].front().get<int>());
  CHECK(tj["p1_inputs"] == pj["p1_inputs"]);
}

TEST_CASE("perf env and perf oracle time a chosen map and say which") {
  // Without map options: map 1 (env) and maps 1-10 (oracle) at the default size, as before.
  const json env_default = json::parse(run_cli("perf env --json --rounds 1 --steps 1000").out);
  for (const char* key : {"steps_per_second", "rounds", "steps_per_round"}) CHECK(env_default.contains(key));
  CHECK(env_default["map"] == "seed 1");
  CHECK(env_default["width"] == 40);
  CHECK(env_default["height"] == 30);
  CHECK(env_default["regions"] == 10);
  CHECK(env_default["obstacles"] == 20);
  const json oracle_default = json::parse(run_cli("perf oracle --json --plans 12").out);
  CHECK(oracle_default["map"] == "seeds 1-10");
  CHECK(oracle_default["maps"] == 10);
  CHECK(oracle_default["free_cells"].get<long>() > 0);
  // --map-seed with the generator's flags, the same map as hjepa map writes.
  const Result env = run_cli("perf env --json --rounds 1 --steps 1000 --map-seed 3001 --width 80 --height 60 --regions 12 --obstacles 40");
  REQUIRE(env.status == 0);
  const json ej = json::parse(env.out);
  CHECK(ej["map"] == "seed 3001");
  CHECK(ej["width"] == 80);
  CHECK(ej["height"] == 60);
  CHECK(ej["regions"] == 12);
  CHECK(ej["obstacles"].get<int>() > 20);
  const fs::path file = scratch() / "big80.json";
  REQUIRE(run_cli("map --map-seed 3001 --width 80 --height 60 --regions 12 --obstacles 40 --out " + file.string()).status == 0);
  const Result oracle = run_cli("perf oracle --json --plans 2 --map " + file.string());
  REQUIRE(oracle.status == 0);
  const json oj = json::parse(oracle.out);
  CHECK(oj["map"] == file.string());
  CHECK(oj["maps"] == 1);
  CHECK(oj["obstacles"] == ej["obstacles"]);
  CHECK(oj["free_cells"].get<long>() > 2 * oracle_default["free_cells"].get<long>());
  // The usual refusals.
  check_refused("perf env --width 500", "--width: 500 is out of range");
  check_refused("perf oracle --regions 3", "--regions: 3 is out of range");
  check_refused("perf env --gates 2", "--gates: map.gates 2 on an open map");
  check_refused("perf oracle --map " + file.string() + " --width 80", "--map excludes --width");
  check_refused("perf env --map-seed 1 --map " + file.string(), "--map");
  check_refused("perf oracle --map " + (scratch() / "missing.json").string(), "missing.json");
}

TEST_CASE("train writes a model that run --agent flat uses; wrong or damaged models are refused") {
  const fs::path model = scratch() / "model.bin";
  // Under the sanitizers (tests/workload.hpp) a smaller training: the same code paths.
  const std::string steps = hjepa::test::workload<std::string>(
      " --steps 150 --sequences 60 --polish-steps 200 --head-steps 400 --probe-steps 400 --distance-steps 300 --level2-steps 200"
      " --heldout-sequences 10",
      " --steps 60 --sequences 30 --polish-steps 60 --head-steps 150 --probe-steps 150 --distance-steps 100 --level2-steps 60"
      " --heldout-sequences 10");
  // --set takes train.* and env.* after the flags (here: P1 with a latent z of 2 values).
  const Result t =
      run_cli("train --map-seed 2 --out " + model.string() + steps + " --set train.z_values=2" + hjepa::test::kTinyMode1Settings + " --json");
  REQUIRE(t.status == 0);
  const json j = json::parse(t.out);
  for (const char* key : {"parameters", "seconds", "probe_r2", "min_latent_std", "kstep_probe_error"}) CHECK(j.contains(key));
  CHECK(j["kstep_probe_error"].size() == 16);
  CHECK(j["kstep_probe_error_from_start"].size() == 16);
  // Level 1's phases, each timed, the joint phase and the polish doing work.
  for (const char* phase : {"joint", "polish", "z_statistics", "probe_and_diagnostics_beyond_level2", "diagnostics"})
    CHECK(j["level1_phase_seconds"][phase].get<double>() >= 0);
  CHECK(j["level1_phase_seconds"]["joint"].get<double>() > 0);
  CHECK(j["level1_phase_seconds"]["polish"].get<double>() > 0);
  CHECK(j["parameters"].get<int>() < 100000);
  CHECK(j["z"]["values"].get<int>() == 2);
  CHECK(j["unroll"] == 6);  // train.unroll's default
  // The Mode-1 phase: round 0 (the planner acting) and one DAgger round, then the held-out states.
  REQUIRE(j["mode1"]["rounds"].size() == 2);
  CHECK(j["mode1"]["rounds"][0]["acting"] == "planner");
  CHECK(j["mode1"]["rounds"][1]["acting"] == "policy");
  CHECK(j["mode1"]["rounds"][1]["states"].get<int>() > 0);
  CHECK(j["mode1"]["heldout_states"].get<int>() > 0);
  CHECK(j["mode1"]["parameters"].get<int>() > 1000);
  CHECK(has(t.err, "train: step"));  // progress goes to stderr
  const Result r = run_cli("run --map-seed 2 --task red --agent flat --model " + model.string() + " --max-steps 5 --json");
  REQUIRE(r.status == 0);
  CHECK(json::parse(r.out)["steps"].get<int>() <= 5);
  check_refused("run --map-seed 3 --task red --agent flat --model " + model.string(), "map");
  {
    std::string bytes = slurp(model);
    std::ofstream(scratch() / "cut.bin", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  check_refused("run --map-seed 2 --task red --agent flat --model " + (scratch() / "cut.bin").string(), "truncated");
  check_refused("train --map-seed 2 --out " + (scratch() / "nodir" / "m.bin").string() + " --steps 1", "nodir");
  CHECK_FALSE(fs::exists(scratch() / "nodir" / "m.bin"));
}

TEST_CASE("train: a diverging run names the term and the step, exits 1 and writes no model") {
  const fs::path model = scratch() / "diverged.bin";
  fs::remove(model);
  const Result r = run_cli("train --map-seed 2 --out " + model.string() + " --steps 40 --sequences 20 --polish-steps 50 --head-steps 50 --probe-steps 50 --lr 1e6");
  CAPTURE(r.err);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(has(r.err, "hjepa train: level 1: non-finite "));
  CHECK(has(r.err, " loss ("));
  CHECK(has(r.err, ") at step "));
  CHECK(has(r.err, "; training stopped, keeping the model of step "));
  CHECK(has(r.err, "no model written to " + model.string()));
  CHECK_FALSE(fs::exists(model));
  check_refused("train --map-seed 2 --out " + model.string() + " --lr 0", "--lr");
}

TEST_CASE("user errors: clear message, exit status 2, nothing written") {
  check_refused("frobnicate", "unknown command");
  check_refused("run --map-seed 1 --task red,magenta --agent oracle", "magenta");
  check_refused("run --map-seed 1 --task red,red,red,red,red,red,red --agent oracle", "1 to 6");
  check_refused("run --map-seed 1 --task red --agent dog", "--agent");
  check_refused("run --map-seed 1 --task red --agent oracle --start 100,3", "--start");
  check_refused("run --map-seed 1 --task red --agent oracle --start abc", "--start");
  check_refused("run --map-seed 1 --task red --agent oracle --bogus", "--bogus");
  check_refused("run --task red --agent oracle", "--map");
  check_refused("run --map-seed 1 --map x.json --task red --agent oracle", "--map");
  check_refused("run --map-seed -4 --task red --agent oracle", "--map-seed");
  check_refused("run --map-seed 1 --task red --agent oracle --noise-motion -1", "--noise-motion");
  check_refused("run --map-seed 1 --task red --agent oracle --max-steps x", "--max-steps: \"x\" is not a number; expected an integer in [0, 1e+06]");
  check_refused("run --map-seed 1 --task red --agent oracle --max-steps 1.5", "--max-steps: 1.5 is not an integer");
  check_refused("run --map-seed 1 --task red --agent oracle --seed -3", "--seed: -3 is out of range; expected a non-negative integer");
  check_refused("run --map-seed 1 --task red --agent oracle --seed 18446744073709551616", "--seed");
  {  // bench draws episode seeds over all 64 bits: run takes every one of them
    const Result big = run_cli("run --map-seed 1 --task red --agent oracle --seed 12081375760165610222 --json");
    REQUIRE(big.status == 0);
    CHECK(json::parse(big.out)["seed"].get<uint64_t>() == 12081375760165610222ull);
    // and a map seed above 2^63 is a map of its own, not a wrapped-around one
    const Result big_map = run_cli("run --map-seed 12081375760165610222 --task red --agent oracle --json");
    REQUIRE(big_map.status == 0);
    CHECK(json::parse(big_map.out)["map_fingerprint"] != json::parse(big.out)["map_fingerprint"]);
    check_refused("run --map-seed 18446744073709551616 --task red --agent oracle", "--map-seed");
  }
  check_refused("run --map-seed 1 --task red --agent oracle --noise-perception 11", "--noise-perception: 11 is out of range; expected a number in [0, 10]");
  check_refused("run --map " + (scratch() / "missing.json").string() + " --task red --agent oracle", "missing.json");
  {
    const fs::path bad = scratch() / "bad.json";
    std::ofstream(bad) << R"({"format": "hjepa-map/1", "size": [40, -30], "regions": [], "obstacles": []})";
    check_refused("run --map " + bad.string() + " --task red --agent oracle", "$.size[1]");
  }
  const fs::path target = scratch() / "no_such_dir" / "m.json";
  check_refused("map --map-seed 1 --out " + target.string(), "no_such_dir");
  CHECK_FALSE(fs::exists(target));
  check_refused("map --out x.json", "--map-seed");
  check_refused("map --map-seed 1 --out x.json --regions 40", "--regions");
  check_refused("map --map-seed 1 --out x.json --width 500", "--width");  // map files refuse sides > 200
  check_refused("map --map-seed 1 --out x.json --style labyrinth",
                "--style: \"labyrinth\" is not a map style; expected one of open, maze");
  check_refused("run --map x.json --style maze --task red --agent oracle", "--map excludes --style");
  check_refused("run --map-seed 1 --task red --agent oracle --set train.lr=0.1", "training parameters are not set here");
  check_refused("run --map-seed 1 --task red --agent oracle --set agent.nope=1", "agent.nope");
  check_refused("run --map-seed 1 --task red --agent oracle --set agent.watch.passage_radius=500", "agent.watch.passage_radius");
  check_refused("train --map-seed 1 --out m.bin --set agent.planner.horizon=4", "agent parameters are not part of a model");
  check_refused("train --map-seed 1 --out m.bin --set env.ray_max=0", "env.ray_max");
  check_refused("train --map-seed 1 --out m.bin --set train.z_values=0", "train.z_values");
  check_refused("train --map-seed 1 --out m.bin --set train.z_source=gates --set train.z_values=4", "the map has no gates");
  check_refused("train --map-seed 3007 --style maze --gates 4 --out m.bin --set train.z_source=gates",
                "train.z_values 1 is fewer than the map's 4 gate configurations");
  check_refused("bench --suite smoke --agents hjepa --set train.z_source=gates --set train.z_values=16", "map 1001: train.z_source gates: the map has no gates");
  check_refused("perf", "subcommand");
  check_refused("perf warp", "unknown subcommand \"warp\"; expected one of env, oracle, plan, train, agent");
  check_refused("gui --screenshot x.png", "--frames");
}

namespace {

// Splits CSV text into records of fields (quoted fields may hold commas).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row(1);
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"') row.back() += '"', ++i;
    else if (c == '"') quoted = !quoted;
    else if (!quoted && c == ',') row.emplace_back();
    else if (!quoted && c == '\n') rows.push_back(row), row.assign(1, "");
    else row.back() += c;
  }
  return rows;
}

// The rows of a bench CSV without the timing columns, as text lines (header first).
std::vector<std::string> untimed_rows(const fs::path& file) {
  const auto rows = parse_csv(slurp(file));
  REQUIRE(!rows.empty());
  std::set<size_t> timing;
  for (size_t c = 0; c < rows[0].size(); ++c)
    if (rows[0][c] == "ms_per_step" || rows[0][c] == "train_seconds") timing.insert(c);
  CHECK(timing.size() == 2);
  std::vector<std::string> out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c)
      if (!timing.count(c)) line += row[c] + "|";
    out.push_back(line);
  }
  return out;
}

std::string column(const fs::path& file, size_t row, const std::string& name) {
  const auto rows = parse_csv(slurp(file));
  for (size_t c = 0; c < rows[0].size(); ++c)
    if (rows[0][c] == name) return rows.at(row).at(c);
  FAIL("no column " << name);
  return "";
}

// A suite small enough for a test: one map, three tasks, two starts, two tiny models, short episodes.
fs::path write_tiny_suite() {
  const fs::path file = scratch() / "tiny.json";
  std::ofstream(file) << R"({"format": "hjepa-suite/1", "maps": {"seeds": [3]},
    "tasks": [{"length": 1, "per_map": 2}, {"length": 2, "per_map": 1}], "starts": 2, "max_steps": )"
                      << hjepa::test::workload(30, 10) << R"(,
    "model_seeds": [1, 2], "train": {"steps": 60, "sequences": 20, "polish_steps": 50, "head_steps": 100, "probe_steps": 100, "heldout_sequences": 10,
              "distance_steps": 100, "level2_steps": 50, )" + std::string(hjepa::test::kTinyMode1SuiteKeys) + R"(}})";
  return file;
}

}  // namespace

TEST_CASE("bench: the same rows whatever the threads or shards; merge prints the run's table") {
  fs::remove_all(scratch() / "model_cache");
  const std::string suite = write_tiny_suite().string();
  const std::string common = "bench --suite " + suite + " --agents oracle,flat,random";
  const fs::path one = scratch() / "one.csv", two = scratch() / "two.csv", s0 = scratch() / "s0.csv", s1 = scratch() / "s1.csv",
                 merged = scratch() / "merged.csv", as_json = scratch() / "two.json";
  const Result r1 = run_cli(common + " --threads 1 --out " + one.string());
  REQUIRE(r1.status == 0);
  CAPTURE(r1.err);
  const Result r2 = run_cli(common + " --threads 2 --out " + two.string());
  REQUIRE(r2.status == 0);
  REQUIRE(run_cli(common + " --shard 0/2 --out " + s0.string()).status == 0);
  REQUIRE(run_cli(common + " --shard 1/2 --threads 2 --out " + s1.string()).status == 0);
  const Result m = run_cli("bench merge " + s1.string() + " " + s0.string() + " --out " + merged.string());
  REQUIRE(m.status == 0);

  const auto rows = untimed_rows(one);
  CHECK(rows.size() == 1 + 6 * 4);  // header + 6 cases x (random, oracle, flat x 2 model seeds)
  CHECK(untimed_rows(two) == rows);
  CHECK(untimed_rows(merged) == rows);
  const size_t shard0 = untimed_rows(s0).size() - 1, shard1 = untimed_rows(s1).size() - 1;
  CHECK(shard0 == 12);
  CHECK(shard1 == 12);

  // The first run trained the two models; later runs loaded them (training seconds 0).
  CHECK(column(one, 3, "agent") == "flat");
  CHECK(column(one, 3, "model_seed") == "1");
  CHECK(column(one, 4, "model_seed") == "2");
  CHECK(column(one, 3, "model") != column(one, 4, "model"));  // one model per seed
  CHECK(column(one, 1, "model").empty());                       // random needs none
  CHECK(std::stod(column(one, 3, "train_seconds")) > 0);
  CHECK(std::stod(column(two, 3, "train_seconds")) == 0);
  CHECK(has(r1.err, "model: trained in"));
  CHECK(has(r2.err, "model: from cache"));

  // The table: one line per agent and task length, spread over model seeds for flat; merge of a
  // run's own file prints exactly what the run printed.
  for (const char* part : {"suite tiny, 24 episodes", "random ", "oracle ", "flat ", "2 model seeds", "steps/oracle",
                           "success  ± s.e.  success ≤2× oracle  ≤2× ± s.e.  s.e. over"}) {
    CAPTURE(part);
    CHECK(has(r2.out, part));
  }
  CHECK(run_cli("bench merge " + two.string()).out == r2.out);
  CHECK(has(run_cli("bench merge " + s0.string()).out, "12 of 24 episodes"));
  const Result md = run_cli("bench merge " + merged.string() + " --markdown");
  CHECK(has(md.out, "| agent |"));
  CHECK(has(md.out, "| success | ± s.e. | success ≤2× oracle | ≤2× ± s.e. | s.e. over |"));

  // The effective suite is saved beside the results and reads back as a suite.
  const json record = json::parse(slurp(scratch() / "two.suite.json"));
  CHECK(record["run"]["threads"] == 2);
  CHECK(record["model_seeds"].size() == 2);
  CHECK(record["train"]["distance_steps"] == 100);  // level 2's training is the suite's too (and in the cache key)
  CHECK(record["train"]["level2_steps"] == 50);
  const fs::path again = scratch() / "again.csv";
  REQUIRE(run_cli("bench --suite " + (scratch() / "two.suite.json").string() + " --agents random,flat,oracle --out " + again.string())
              .status == 0);
  CHECK(untimed_rows(again) == rows);

  // JSON output: the same episodes plus the summary.
  REQUIRE(run_cli(common + " --out " + as_json.string()).status == 0);
  const json j = json::parse(slurp(as_json));
  CHECK(j["format"] == "hjepa-bench/1");
  CHECK(j["episodes"].size() == 24);
  CHECK(j["episodes"][0]["task"].get<std::string>() == column(one, 1, "task"));
  CHECK(j["summary"]["groups"].size() == 9);  // 3 agents x 2 lengths, and each agent's lengths pooled (length 0)
  for (const json& g : j["summary"]["groups"]) {
    if (g["length"] != 0) continue;
    int64_t of_lengths = 0;
    for (const json& h : j["summary"]["groups"])
      if (h["agent"] == g["agent"] && h["length"] != 0) of_lengths += h["episodes"].get<int64_t>();
    CHECK(g["episodes"].get<int64_t>() == of_lengths);
  }
  // Success within 2x the oracle's steps, counted from the rows: the oracle agent's episodes all
  // qualify; any agent's count is at most its successes and equals the rows that qualify.
  for (const json& g : j["summary"]["groups"]) {
    CAPTURE(g.dump());
    int64_t quick = 0;
    for (const json& e : j["episodes"])
      if (e["agent"] == g["agent"] && (g["length"] == 0 || e["length"] == g["length"]))
        quick += e["success"].get<bool>() && e["steps"].get<int>() <= 2 * e["oracle_steps"].get<int>();
    CHECK(g["successes_within_2x_oracle"].get<int64_t>() == quick);
    CHECK(g["successes_within_2x_oracle"].get<int64_t>() <= g["successes"].get<int64_t>());
    if (g["agent"] == "oracle") CHECK(g["successes_within_2x_oracle"] == g["successes"]);
    if (g["se_over"] == "episodes") {
      const double p = g["success_within_2x_oracle_rate"].get<double>(), n = g["episodes"].get<double>();
      CHECK(g["success_within_2x_oracle_se"].get<double>() == doctest::Approx(std::sqrt(p * (1 - p) / n)));
    }
  }

  // Another seed, other episodes.
  const fs::path other = scratch() / "other.csv";
  REQUIRE(run_cli(common + " --seed 2 --out " + other.string()).status == 0);
  CHECK(untimed_rows(other) != rows);
}

TEST_CASE("bench: maze maps from map_params.style; seeded_only task entries skip map files") {
  std::ofstream(scratch() / "pair.json") << R"({"format": "hjepa-map/1", "size": [20, 10],
    "regions": [{"site": [5, 5], "color": "red"}, {"site": [15, 5], "color": "blue"}], "obstacles": []})";
  const fs::path suite = scratch() / "maze_mix.json", rows = scratch() / "maze_mix.csv";
  std::ofstream(suite) << R"({"format": "hjepa-suite/1", "maps": {"seeds": [2001], "files": [{"file": "pair.json", "tasks": ["red,blue"]}]},
    "map_params": {"style": "maze"}, "tasks": [{"length": 2, "per_map": 2, "seeded_only": true}], "max_steps": 300})";
  const Result r = run_cli("bench --suite " + suite.string() + " --agents random,oracle --out " + rows.string());
  CAPTURE(r.err);
  REQUIRE(r.status == 0);
  const auto csv = parse_csv(slurp(rows));
  REQUIRE(csv.size() == 1 + 3 * 2);  // (2 drawn tasks on the maze + pair.json's own) x 2 agents
  CHECK(column(rows, 1, "map") == "2001");
  CHECK(column(rows, 5, "map") == "pair.json");
  CHECK(column(rows, 5, "task") == "red,blue");
  // The maze is the one `hjepa map --style maze` writes: the oracle's length from the same start agrees.
  const fs::path maze = scratch() / "maze2001.json";
  REQUIRE(run_cli("map --map-seed 2001 --style maze --out " + maze.string()).status == 0);
  const Result one = run_cli("run --map " + maze.string() + " --task " + column(rows, 2, "task") + " --agent oracle --json --start " +
                             column(rows, 2, "start_x") + "," + column(rows, 2, "start_y"));
  REQUIRE(one.status == 0);
  CHECK(json::parse(one.out)["oracle_steps"].get<int>() == std::stoi(column(rows, 2, "oracle_steps")));
  // Each row replays with `run` from its start and seed (both written exactly), step for step.
  for (const int row : {1, 2, 3, 4}) {
    CAPTURE(row);
    const Result again = run_cli("run --map " + maze.string() + " --task " + column(rows, row, "task") + " --agent " +
                                 column(rows, row, "agent") + " --max-steps 300 --json --start " + column(rows, row, "start_x") +
                                 "," + column(rows, row, "start_y") + " --seed " + column(rows, row, "seed"));
    REQUIRE(again.status == 0);
    const json j = json::parse(again.out);
    CHECK(j["steps"].get<int>() == std::stoi(column(rows, row, "steps")));
    CHECK(j["success"].get<bool>() == (column(rows, row, "success") == "1"));
  }
  const json record = json::parse(slurp(scratch() / "maze_mix.suite.json"));
  CHECK(record["map_params"]["style"] == "maze");
  CHECK(record["tasks"][0]["seeded_only"] == true);
}

// --set train.NAME=VALUE overrides the suite's "train": recorded in the effective suite, part of the
// run's config hash and of the model cache key; bad names and values are refused.
TEST_CASE("bench: --set train.* trains the suite's models with those parameters") {
  const fs::path suite = scratch() / "train_set.json";
  std::ofstream(suite) << R"({"format": "hjepa-suite/1", "maps": {"seeds": [1001]}, "tasks": [{"length": 1, "per_map": 1}],
    "map_params": {"width": 16, "height": 12, "regions": 6, "obstacles": 2}, "max_steps": 40})";
  const std::string tiny = " --set train.steps=20 --set train.sequences=30 --set train.polish_steps=0 --set train.head_steps=10"
                           " --set train.probe_steps=10 --set train.distance_steps=10 --set train.level2_steps=10"
                           " --set train.heldout_sequences=10" +
                           std::string(hjepa::test::kTinyMode1Settings);
  auto bench_on = [&](const fs::path& suite_file, const std::string& extra, const std::string& out) {
    return run_cli("bench --suite " + suite_file.string() + " --agents flat --out " + (scratch() / out).string() + tiny + extra);
  };
  auto bench = [&](const std::string& extra, const std::string& out) { return bench_on(suite, extra, out); };
  const Result a = bench(" --set train.lr=0.003", "ts_a.csv");
  CAPTURE(a.err);
  REQUIRE(a.status == 0);
  CHECK(has(a.err, "model: trained"));
  const json record = json::parse(slurp(scratch() / "ts_a.suite.json"));
  CHECK(record["train"]["steps"] == 20);
  CHECK(record["train"]["level2_steps"] == 10);
  CHECK(record["train"]["lr"] == 0.003);
  const Result again = bench(" --set train.lr=0.003", "ts_b.csv");  // the same parameters: the cached model
  REQUIRE(again.status == 0);
  CHECK(has(again.err, "model: from cache"));
  CHECK(column(scratch() / "ts_a.csv", 1, "config") == column(scratch() / "ts_b.csv", 1, "config"));
  const Result other = bench(" --set train.lr=0.004", "ts_c.csv");  // another learning rate: another model and run
  REQUIRE(other.status == 0);
  CHECK(has(other.err, "model: trained"));
  CHECK(column(scratch() / "ts_a.csv", 1, "config") != column(scratch() / "ts_c.csv", 1, "config"));
  // At sigma_motion 0.8 the data budget is 4x (train.sequences_motion_ref 0.4): the model is the one
  // trained on 4x the sequences with the rule off, under the same cache key.
  const fs::path noisy_suite = scratch() / "train_set_noisy.json";
  std::ofstream(noisy_suite) << R"({"format": "hjepa-suite/1", "maps": {"seeds": [1001]}, "tasks": [{"length": 1, "per_map": 1}],
    "map_params": {"width": 16, "height": 12, "regions": 6, "obstacles": 2}, "max_steps": 40, "noise": [{"motion": 0.8}]})";
  const Result noisy = bench_on(noisy_suite, " --set train.sequences=10", "ts_f.csv");
  REQUIRE(noisy.status == 0);
  CHECK(has(noisy.err, "model: trained"));
  const Result by_hand = bench_on(noisy_suite, " --set train.sequences=40 --set train.sequences_motion_ref=0", "ts_g.csv");
  REQUIRE(by_hand.status == 0);
  CHECK(has(by_hand.err, "model: from cache"));
  CHECK(column(scratch() / "ts_f.csv", 1, "steps") == column(scratch() / "ts_g.csv", 1, "steps"));
  const Result unknown = bench(" --set train.bogus=1", "ts_d.csv"), range = bench(" --set train.steps=0", "ts_e.csv");
  CHECK(unknown.status == 2);
  CHECK(has(unknown.err, "--set train.bogus: unknown parameter"));
  CHECK(range.status == 2);
  CHECK(has(range.err, "--set train.steps: 0 is out of range; expected an integer in [1, 1e+06]"));
  CHECK_FALSE(fs::exists(scratch() / "ts_e.csv"));
}

// The config column hashes map files by name and content: not the working directory bench runs in,
// nor where the suite and its maps are. Shards run from different directories merge.
TEST_CASE("bench: the config hash does not depend on the working directory or where the map files are") {
  const std::string pair = R"({"format": "hjepa-map/1", "size": [20, 10],
    "regions": [{"site": [5, 5], "color": "red"}, {"site": [15, 5], "color": "blue"}], "obstacles": []})";
  const std::string suite = R"({"format": "hjepa-suite/1", "name": "cwd", "maps": {"seeds": [3], "files": [{"file": "maps/pair.json", "tasks": ["red,blue"]}]},
    "tasks": [{"length": 1, "per_map": 1, "seeded_only": true}], "starts": 2, "max_steps": 30})";
  const fs::path root = scratch() / "cwd", here = root / "here", there = root / "there" / "deeper", moved = root / "moved";
  for (const fs::path& d : {here, there, here / "maps", moved / "maps"}) fs::create_directories(d);
  std::ofstream(here / "maps" / "pair.json") << pair;
  std::ofstream(here / "cwd.json") << suite;
  std::ofstream(moved / "maps" / "pair.json") << pair;  // the same suite and map somewhere else
  std::ofstream(moved / "cwd.json") << suite;
  const std::string common = " --agents random,oracle --threads 1";

  const fs::path whole = root / "whole.csv";
  REQUIRE(run_cli("bench --suite " + (here / "cwd.json").string() + common + " --out " + whole.string(), root).status == 0);
  const std::string config = column(whole, 1, "config");
  REQUIRE(parse_csv(slurp(whole)).size() == 1 + 2 * 2 * 2);  // (a task on map 3 + pair.json's) x 2 starts x 2 agents

  // Relative and absolute suite and out paths, other working directories, the copy elsewhere.
  const fs::path s0 = there / "s0.csv", s1 = root / "s1.csv", elsewhere = root / "elsewhere.csv";
  REQUIRE(run_cli("bench --suite cwd.json" + common + " --shard 0/2 --out ../there/deeper/s0.csv", here).status == 0);
  REQUIRE(run_cli("bench --suite " + (here / "cwd.json").string() + common + " --shard 1/2 --out " + s1.string(), there).status == 0);
  REQUIRE(run_cli("bench --suite moved/cwd.json" + common + " --out elsewhere.csv", root).status == 0);
  CHECK(column(s0, 1, "config") == config);
  CHECK(column(s1, 1, "config") == config);
  CHECK(column(elsewhere, 1, "config") == config);
  CHECK(untimed_rows(elsewhere) == untimed_rows(whole));
  const fs::path merged = root / "merged.csv";
  const Result m = run_cli("bench merge " + s0.string() + " " + s1.string() + " --out " + merged.string());
  CAPTURE(m.err);
  REQUIRE(m.status == 0);
  CHECK(untimed_rows(merged) == untimed_rows(whole));

  // A map of the same name with other contents is another run.
  std::ofstream(moved / "maps" / "pair.json") << R"({"format": "hjepa-map/1", "size": [20, 10],
    "regions": [{"site": [4, 5], "color": "red"}, {"site": [15, 5], "color": "blue"}], "obstacles": []})";
  const fs::path changed = root / "changed.csv";
  REQUIRE(run_cli("bench --suite moved/cwd.json" + common + " --out changed.csv", root).status == 0);
  CHECK(column(changed, 1, "config") != config);
}

TEST_CASE("bench: bad suites, shards, agents and merges are refused with a clear message") {
  const std::string tiny = write_tiny_suite().string();
  auto suite_file = [](const std::string& name, const std::string& text) {
    const fs::path file = scratch() / name;
    std::ofstream(file) << text;
    return file.string();
  };
  const std::string head = R"({"format": "hjepa-suite/1", "maps": {"seeds": [3]}, )";
  check_refused("bench --suite " + suite_file("unknown_key.json", head + R"("tasks": [{"length": 1, "per_map": 1}], "colour": 1})"),
                "unknown_key.json: $.colour: unknown key");
  check_refused("bench --suite " + suite_file("long.json", head + R"("tasks": [{"length": 9, "per_map": 1}]})"),
                "$.tasks[0].length: 9 is out of range; expected an integer in [1, 6]");
  check_refused("bench --suite " + suite_file("noise.json", head + R"("tasks": [{"length": 1, "per_map": 1}], "noise": [{"motion": -0.1}]})"),
                "$.noise[0].motion");
  check_refused("bench --suite " + suite_file("seeds.json", head + R"("tasks": [{"length": 1, "per_map": 1}], "model_seeds": ["a"]})"),
                "$.model_seeds[0]");
  check_refused("bench --suite " + suite_file("twice.json", head + R"("tasks": [], "tasks": []})"),
                "twice.json: $.tasks: duplicate key; expected each key at most once");
  check_refused("bench --suite " + suite_file("overflow.json", head + R"("tasks": [{"length": 1, "per_map": 1}], "seed": 1e999})"),
                "overflow.json: $.seed: 1e999 is not finite; expected a finite number");  // used to abort: nlohmann's out_of_range escaped the reader
  check_refused("bench --suite " + suite_file("style.json", head + R"("tasks": [{"length": 1, "per_map": 1}], "map_params": {"style": "rooms"}})"),
                "style.json: $.map_params.style: \"rooms\" is not a map style; expected one of open, maze");
  check_refused("bench --suite " + suite_file("format.json", R"({"format": "hjepa-suite/9", "maps": {"seeds": [3]}})"), "$.format");
  check_refused("bench --suite " + suite_file("nomap.json", R"({"format": "hjepa-suite/1", "maps": {"files": ["gone.json"]},
                "tasks": [{"length": 1, "per_map": 1}]})"), "gone.json");
  {
    std::ofstream(scratch() / "two_colours.json") << R"({"format": "hjepa-map/1", "size": [20, 10],
      "regions": [{"site": [5, 5], "color": "red"}, {"site": [15, 5], "color": "blue"}], "obstacles": []})";
    check_refused("bench --suite " + suite_file("absent.json", R"({"format": "hjepa-suite/1", "maps": {"files": ["two_colours.json"]},
                  "tasks": [{"colors": "red,green"}]})"), "\"green\" is not on map two_colours.json");
  }
  check_refused("bench --suite no_such_suite", "no suite named");
  check_refused("bench --suite " + tiny + " --shard 2/2", "--shard");
  check_refused("bench --suite " + tiny + " --shard two/3", "--shard");
  check_refused("bench --suite " + tiny + " --agents random,dog", "\"dog\" is not an agent");
  check_refused("bench --suite " + tiny + " --agents random,random", "twice");
  check_refused("bench --suite " + tiny + " --out " + (scratch() / "rows.txt").string(), ".csv or .json");
  check_refused("bench --suite " + tiny + " --out " + (scratch() / "no_dir" / "rows.csv").string(), "no_dir");
  check_refused("bench --suite " + tiny + " --agents random --set agent.planner.horizon=0",
                "--set agent.planner.horizon: 0 is out of range; expected an integer in [1, 64]");
  check_refused("bench --suite " + tiny + " --agents random --set agent.planner.horizons=3", "unknown parameter");
  check_refused("bench --suite " + tiny + " --agents random --config " + suite_file("cfg.json", R"({"agent": {"belief": {"gain": 2}}})"),
                "--config: " + (scratch() / "cfg.json").string() + ": $.agent.belief.gain: 2 is out of range; expected a number in [0, 1]");
  check_refused("bench --suite " + tiny + " --agents random --config " + (scratch() / "absent_cfg.json").string(), "cannot open file");
  {  // a valid config and --set run, are recorded beside the rows, and change the run's identity
    const fs::path plain = scratch() / "cfg_plain.csv", tuned = scratch() / "cfg_tuned.csv";
    REQUIRE(run_cli("bench --suite " + tiny + " --agents random --out " + plain.string()).status == 0);
    REQUIRE(run_cli("bench --suite " + tiny + " --agents random --config " +
                    suite_file("cfg_ok.json", R"({"agent": {"planner": {"horizon": 4}}})") +
                    " --set agent.high.replan_period=3 --out " + tuned.string())
                .status == 0);
    const auto record = nlohmann::json::parse(slurp(scratch() / "cfg_tuned.suite.json"));
    CHECK(record["run"]["run_config"]["agent"]["planner"]["horizon"] == 4);
    CHECK(record["run"]["run_config"]["agent"]["high"]["replan_period"] == 3);
    check_refused("bench merge " + plain.string() + " " + tuned.string(), "do not match");
  }
  CHECK(has(run_cli("bench --help-config").out, "agent.planner.horizon"));
  ::setenv("SLURM_ARRAY_TASK_ID", "1", 1);  // an array task id without the array size
  check_refused("bench --suite " + tiny + " --agents random", "SLURM_ARRAY_TASK_ID");
  ::unsetenv("SLURM_ARRAY_TASK_ID");

  const fs::path a = scratch() / "m_a.csv", b = scratch() / "m_b.csv";
  REQUIRE(run_cli("bench --suite " + tiny + " --agents random,oracle --out " + a.string()).status == 0);
  REQUIRE(run_cli("bench --suite " + tiny + " --agents random --out " + b.string()).status == 0);
  check_refused("bench merge " + a.string() + " " + a.string(), "do not overlap");
  check_refused("bench merge " + a.string() + " " + b.string(), "do not match");
  check_refused("bench merge " + tiny, "not a .csv file");
  {
    std::ofstream(scratch() / "bad_rows.csv") << slurp(a).substr(0, slurp(a).find('\n') + 1) << "x,y\n";
    check_refused("bench merge " + (scratch() / "bad_rows.csv").string(), "bad_rows.csv: line 2");
  }
}
