// The hjepa CLI through the real executable: help on every command, the run JSON contract,
// determinism, and every user error giving a clear message on stderr with exit status 2.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "sim/map_io.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Result {
  int status = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("hjepa_cli_test_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

Result run_cli(const std::string& args) {
  const fs::path out = scratch() / "stdout", err = scratch() / "stderr";
  const std::string cmd = std::string(HJEPA_EXE) + " " + args + " >" + out.string() + " 2>" + err.string();
  const int raw = std::system(cmd.c_str());
  Result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

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

TEST_CASE("--help works on every command") {
  for (const char* cmd : {"--help", "run --help", "map --help", "train --help", "perf --help", "perf env --help",
                          "perf oracle --help", "perf plan --help", "gui --help"}) {
    CAPTURE(cmd);
    const Result r = run_cli(cmd);
    CHECK(r.status == 0);
    CHECK(has(r.out, "sage"));  // "Usage"
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
  const Result oracle = run_cli("perf oracle --json --plans 1");
  REQUIRE(oracle.status == 0);
  CHECK(json::parse(oracle.out)["ms_per_plan"].get<double>() > 0);
}

TEST_CASE("train writes a model that run --agent flat uses; wrong or damaged models are refused") {
  const fs::path model = scratch() / "model.bin";
  const Result t = run_cli("train --map-seed 2 --out " + model.string() + " --steps 150 --sequences 60 --json");
  REQUIRE(t.status == 0);
  const json j = json::parse(t.out);
  for (const char* key : {"parameters", "seconds", "probe_r2", "min_latent_std", "kstep_probe_error"}) CHECK(j.contains(key));
  CHECK(j["kstep_probe_error"].size() == 16);
  CHECK(j["parameters"].get<int>() < 100000);
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
  check_refused("run --map-seed 1 --task red --agent oracle --max-steps x", "--max-steps");
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
  check_refused("perf", "subcommand");
  check_refused("gui --screenshot x.png", "--frames");
}
