// `hjepa bench`: run a suite of maps x tasks x starts x noise settings for several agents on worker
// threads (optionally one shard of it), print the summary table on stdout, write one row per
// episode (--out, CSV or JSON) with the effective suite beside it. `hjepa bench merge` combines
// shard CSVs into the table one run would have printed.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "agent/jepa/train_model.hpp"
#include "app/agent_factory.hpp"
#include "app/bench/plan.hpp"
#include "app/bench/results.hpp"
#include "app/bench/runner.hpp"
#include "app/bench/suite.hpp"
#include "app/bench/summary.hpp"
#include "app/cli_common.hpp"
#include "sim/atomic_file.hpp"
#include "sim/fnv1a.hpp"

namespace hjepa {

namespace {

namespace fs = std::filesystem;

struct Shard {
  int64_t index = 0, count = 1;
};

bool parse_count(const std::string& text, int64_t& out) {
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return false;
  out = std::stoll(text);
  return true;
}

Shard parse_shard(const std::string& text, const std::string& what) {
  const std::string expected = "; expected i/n with 0 <= i < n (e.g. 0/4 ... 3/4)";
  const size_t slash = text.find('/');
  Shard s;
  if (slash == std::string::npos || !parse_count(text.substr(0, slash), s.index) || !parse_count(text.substr(slash + 1), s.count))
    throw UsageError(what + ": \"" + text + "\" is not a shard" + expected);
  if (s.count < 1 || s.index >= s.count) throw UsageError(what + ": \"" + text + "\" is out of range" + expected);
  return s;
}

// --shard, else a Slurm job array (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), else 0/1.
Shard choose_shard(const std::string& flag) {
  if (!flag.empty()) return parse_shard(flag, "--shard");
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  if (!id) return {};
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  const std::string where = "SLURM_ARRAY_TASK_ID=" + std::string(id) + (count ? ", SLURM_ARRAY_TASK_COUNT=" + std::string(count) : "") +
                            (min ? ", SLURM_ARRAY_TASK_MIN=" + std::string(min) : "");
  int64_t i = 0, n = 0, lo = 0;
  if (!count || !parse_count(id, i) || !parse_count(count, n) || (min && !parse_count(min, lo)) || i < lo)
    throw UsageError("shard from the environment (" + where +
                     "): expected a Slurm job array with contiguous task ids, e.g. sbatch --array=0-3 (or pass --shard i/n)");
  const Shard s = parse_shard(std::to_string(i - lo) + "/" + std::to_string(n), "shard from the environment (" + where + ")");
  std::fprintf(stderr, "bench: shard %lld/%lld from the Slurm job array (%s)\n", static_cast<long long>(s.index),
               static_cast<long long>(s.count), where.c_str());
  return s;
}

std::vector<std::string> parse_agents(const std::string& text) {
  const std::string expected = "; expected a comma-separated list of " + agent_name_list();
  std::vector<std::string> agents;
  std::stringstream ss(text);
  for (std::string name; std::getline(ss, name, ',');) {
    if (!is_agent_name(name)) throw UsageError("--agents: \"" + name + "\" is not an agent" + expected);
    if (std::find(agents.begin(), agents.end(), name) != agents.end())
      throw UsageError("--agents: \"" + name + "\" is listed twice" + expected + ", each once");
    agents.push_back(name);
  }
  if (agents.empty() || text.back() == ',') throw UsageError("--agents: \"" + text + "\" has an empty name" + expected);
  return agents;
}

std::string extension_of(const std::string& path) { return fs::path(path).extension().string(); }

// --out must be .csv or .json in an existing directory: checked before hours of work, not after.
void check_out_path(const std::string& out) {
  if (out.empty()) return;
  const std::string ext = extension_of(out);
  if (ext != ".csv" && ext != ".json")
    throw UsageError("--out: \"" + out + "\" ends in \"" + ext + "\"; expected a file name ending in .csv or .json");
  const fs::path dir = fs::absolute(fs::path(out)).parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UsageError("--out: the directory " + dir.string() + " does not exist; expected a file in an existing directory");
}

void write_file(const std::string& path, const std::string& bytes, const std::string& flag) {
  const std::string error = write_file_atomically(path, bytes);
  if (!error.empty()) throw UsageError(flag + ": " + path + ": " + error + "; expected a writable location");
}

void write_results(const std::string& out, const std::vector<EpisodeRow>& rows, const BenchSummary& summary) {
  if (out.empty()) return;
  write_file(out, extension_of(out) == ".json" ? rows_to_json(rows, summary_to_json(summary)) : rows_to_csv(rows), "--out");
}

// What makes two runs' rows comparable: the suite (map files by name and content, not by path, so
// neither where they are nor the working directory counts), the seed, the agents and the run config.
std::string config_hash(const Suite& suite, const BenchPlan& plan, const std::vector<std::string>& agents, const RunConfig& config) {
  std::string text = "hjepa-bench/1\n" + suite_to_portable_json(suite) + "\nagents";
  for (const std::string& name : agent_names())
    if (std::find(agents.begin(), agents.end(), name) != agents.end()) text += " " + name;
  text += "\nconfig " + config_to_json(config).dump() + "\nmaps";
  for (const BenchMap& m : plan.maps) text += " " + std::to_string(m.world.fingerprint());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(text)));
  return buf;
}

// The parameter table (agent/config.hpp): what --config and --set accept, then the map generator's
// and training's parameters (suite files, hjepa map and hjepa train): name, default, range, meaning.
std::string config_help() {
  auto line = [](const ParamSpec& p) {
    char head[96];
    std::snprintf(head, sizeof head, "  %-32s default %-10s ", p.name.c_str(), p.default_text().c_str());
    return head + p.range_text() + "; " + p.help_text() + "\n";
  };
  std::string out = "Parameters for --config FILE (nested JSON objects, e.g. {\"agent\": {\"planner\": {\"horizon\": 12}}}) "
                    "and --set NAME=VALUE (a suite's noise levels and step limit override env.*):\n";
  for (const ParamSpec& p : params())
    if (p.is_run_param()) out += line(p);
  out += "Parameters of the map generator and of training (suite files' \"map_params\" and \"train\", the flags of "
         "hjepa map and hjepa train; not for --config; --set takes train.*, which override the suite's \"train\"):\n";
  for (const ParamSpec& p : params())
    if (!p.is_run_param()) out += line(p);
  return out;
}

// results.csv -> results.suite.json
std::string suite_record_path(const std::string& out) {
  fs::path p(out);
  return p.replace_extension(".suite.json").string();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(path + ": cannot open the file; expected a CSV file written by hjepa bench --out");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int cmd_bench_merge(int argc, char** argv) {
  CLI::App app{"Combine the per-episode CSV files of the shards of one bench run into the table one run would print.",
               "hjepa bench merge"};
  std::vector<std::string> files;
  std::string out;
  bool markdown = false;
  app.add_option("files", files, "Shard CSV files (from hjepa bench --out FILE.csv)")->required();
  app.add_option("--out", out, "Also write the merged rows to FILE.csv or FILE.json");
  app.add_flag("--markdown", markdown, "Print the table as Markdown");
  return run_command(app, argc, argv, [&] {
    check_out_path(out);
    std::vector<EpisodeRow> rows;
    std::map<int64_t, std::pair<std::string, size_t>> seen;  // episode -> (file, row)
    std::string first_file;
    for (const std::string& file : files) {
      if (extension_of(file) != ".csv") throw UsageError(file + ": not a .csv file; expected the CSV files of hjepa bench --out FILE.csv");
      std::vector<EpisodeRow> part = rows_from_csv(read_file(file), file);
      for (size_t k = 0; k < part.size(); ++k) {
        const EpisodeRow& r = part[k];
        if (!rows.empty() && (r.config != rows.front().config || r.suite != rows.front().suite || r.suite_episodes != rows.front().suite_episodes))
          throw UsageError(file + ": rows of suite " + r.suite + " (config " + r.config + ", " + std::to_string(r.suite_episodes) +
                           " episodes) do not match " + first_file + " (suite " + rows.front().suite + ", config " + rows.front().config +
                           ", " + std::to_string(rows.front().suite_episodes) +
                           " episodes); expected shards of one bench run (same suite, --seed, --agents and --planner)");
        if (r.episode < 0 || r.episode >= r.suite_episodes)
          throw UsageError(file + ": line " + std::to_string(k + 2) + ": episode " + std::to_string(r.episode) + " is out of range; expected 0 to " +
                           std::to_string(r.suite_episodes - 1));
        const auto [it, fresh] = seen.emplace(r.episode, std::make_pair(file, k + 2));
        if (!fresh)
          throw UsageError("episode " + std::to_string(r.episode) + " is in " + it->second.first + " (line " + std::to_string(it->second.second) +
                           ") and in " + file + " (line " + std::to_string(k + 2) +
                           "); expected shards that do not overlap (each shard and each file once)");
        if (rows.empty()) first_file = file;
        rows.push_back(r);
      }
    }
    if (rows.empty()) throw UsageError("the files hold no episodes; expected CSV files with rows from hjepa bench --out");
    std::sort(rows.begin(), rows.end(), [](const EpisodeRow& a, const EpisodeRow& b) { return a.episode < b.episode; });
    if (static_cast<int64_t>(rows.size()) < rows.front().suite_episodes)
      std::fprintf(stderr, "hjepa bench merge: note: %zu of %lld episodes (some shards are missing)\n", rows.size(),
                   static_cast<long long>(rows.front().suite_episodes));
    const BenchSummary summary = summarize(rows);
    write_results(out, rows, summary);
    std::fputs(format_summary(summary, markdown).c_str(), stdout);
    return 0;
  });
}

}  // namespace

int cmd_bench(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "merge") return cmd_bench_merge(argc - 1, argv + 1);
  CLI::App app{"Run a benchmark suite for several agents and print a table per agent and task length.\n"
               "'hjepa bench merge A.csv B.csv ...' combines the --out files of shards (see 'hjepa bench merge --help').",
               "hjepa bench"};
  std::string suite_name, agents_text = "random,oracle,flat,hjepa", shard_text, out, planner = "gradient";
  int threads = std::max(1u, std::thread::hardware_concurrency());
  bool markdown = false;
  std::optional<uint64_t> seed;
  app.add_option("--suite", suite_name, "Suite name (" + [] {
    std::string names;
    for (const std::string& n : suite_names()) names += (names.empty() ? "" : ", ") + n;
    return names;
  }() + ") or a suite file (hjepa-suite/1 JSON)")->required();
  app.add_option("--agents", agents_text, "Comma-separated agents among " + agent_name_list() + " (default: all)");
  app.add_option("--threads", threads, "Worker threads (default: the number of cores)")->check(number_check(true, 1, 256));
  app.add_option("--shard", shard_text,
                 "Run only episodes with index % n == i (default: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, else 0/1)");
  app.add_option("--out", out, "Write one row per episode to FILE.csv or FILE.json (and the effective suite to FILE.suite.json)");
  app.add_flag("--markdown", markdown, "Print the table as Markdown");
  app.add_option("--seed", seed, "Base seed of the episode seeds (default: the suite's \"seed\")")->check(seed_check());
  auto* planner_opt = app.add_option("--planner", planner, param_flag_help("agent.planner.type") + "; same as --set agent.planner.type=...")
      ->check(CLI::IsMember(declared("agent.planner.type").choices));
  std::string config_path;
  std::vector<std::string> settings;
  bool help_config = false;
  app.add_option("--config", config_path, "JSON config of env and agent parameters (names as --help-config lists them)");
  app.add_option("--set", settings,
                 "Override one parameter, e.g. --set agent.planner.horizon=12 (repeatable; after --config), or a training "
                 "parameter of the suite's models, e.g. --set train.polish_steps=5000");
  app.add_flag("--help-config", help_config, "List every parameter (env, agent, map generator, training) with its default and valid range, then exit");
  if (argc >= 2 && std::string(argv[1]) == "--help-config") {
    std::fputs(config_help().c_str(), stdout);
    return 0;
  }
  return run_command(app, argc, argv, [&] {
    if (help_config) {
      std::fputs(config_help().c_str(), stdout);
      return 0;
    }
    RunConfig run_config;
    try {
      if (!config_path.empty()) apply_config_file(run_config, config_path);
    } catch (const ConfigError& e) {
      throw UsageError(std::string("--config: ") + e.what());
    }
    try {
      for (const std::string& s : settings)
        if (!is_train_setting(s)) apply_setting(run_config, s, "--set");
    } catch (const ConfigError& e) {
      throw UsageError(e.what());
    }
    if (planner_opt->count() > 0) run_config.planner_type = planner;
    const std::vector<std::string> agents = parse_agents(agents_text);
    const Shard shard = choose_shard(shard_text);
    check_out_path(out);
    Suite suite = load_suite(suite_name);
    if (seed) suite.seed = *seed;
    try {  // train.* override the suite's "train": so they are in the effective suite, the run's hash and the model cache key
      for (const std::string& s : settings)
        if (is_train_setting(s)) apply_train_setting(suite.train, suite.train2, s, "--set");
    } catch (const ConfigError& e) {
      throw UsageError(e.what());
    }

    const BenchPlan plan = expand_suite(suite, agents, suite.seed);
    if (std::any_of(agents.begin(), agents.end(), agent_needs_model))  // checked before minutes of training
      for (const BenchMap& m : plan.maps)
        if (const std::string problem = z_source_problem(m.world, suite.train); !problem.empty())
          throw UsageError("map " + m.name + ": " + problem);
    std::vector<BenchEpisode> mine;
    for (const BenchEpisode& e : plan.episodes)
      if (e.index % shard.count == shard.index) mine.push_back(e);
    BenchRunOptions options;
    options.threads = threads;
    options.run_config = run_config;
    options.config = config_hash(suite, plan, agents, run_config);
    options.suite_episodes = static_cast<int64_t>(plan.episodes.size());
    auto count = [](size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
    std::fprintf(stderr, "bench: suite %s (%s): %s, %s, %s; running %zu (shard %lld/%lld) on %s, seed %llu\n", suite.name.c_str(),
                 suite.path.c_str(), count(plan.maps.size(), "map").c_str(), count(plan.cases.size(), "case").c_str(),
                 count(plan.episodes.size(), "episode").c_str(), mine.size(), static_cast<long long>(shard.index),
                 static_cast<long long>(shard.count), count(threads, "thread").c_str(), static_cast<unsigned long long>(suite.seed));
    if (mine.empty()) throw UsageError("--shard: shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) +
                                       " has no episodes (the run has " + std::to_string(plan.episodes.size()) +
                                       "); expected fewer shards than episodes");

    BenchModels models;
    std::vector<EpisodeRow> rows;
    try {
      models = prepare_models(suite, plan, mine, threads, run_config.env, shard.index, shard.count);
      rows = run_episodes(suite, plan, mine, models, options);
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {  // a bug, not a user error: say so rather than abort
      std::fprintf(stderr, "\nhjepa bench: internal error: %s\n", e.what());
      return 1;
    }
    const BenchSummary summary = summarize(rows);
    if (!out.empty()) {
      write_results(out, rows, summary);
      nlohmann::ordered_json run = {{"agents", agents},       {"planner", run_config.planner_type}, {"seed", suite.seed},
                                    {"run_config", config_to_json(run_config)},
                                    {"shard", std::to_string(shard.index) + "/" + std::to_string(shard.count)},
                                    {"threads", threads},     {"episodes", plan.episodes.size()},
                                    {"episodes_in_shard", mine.size()}, {"config", options.config},
                                    {"results", fs::path(out).filename().string()}, {"suite_file", suite.path}};
      write_file(suite_record_path(out), suite_to_json(suite, run.dump()) + "\n", "--out");
      std::fprintf(stderr, "bench: wrote %s and %s\n", out.c_str(), suite_record_path(out).c_str());
    }
    std::fputs(format_summary(summary, markdown).c_str(), stdout);
    return 0;
  });
}

}  // namespace hjepa
