// Per-episode benchmark results: one row per episode, written as CSV (RFC 4180 quoting) or JSON and
// read back by `hjepa bench merge`. Every column except the timing ones (train_seconds, ms_per_step)
// is deterministic: the same suite, seed and agents give byte-identical rows whatever the threads
// or shards. Numbers are written so they read back exactly.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hjepa {

struct EpisodeRow {
  std::string config;          // hash of the effective suite, seed, agents, planner and maps (shards must agree)
  std::string suite;           // suite name
  int64_t suite_episodes = 0;  // episodes in the whole run, every shard together
  int64_t episode = 0;         // index in the run's episode list
  int64_t case_index = 0;      // (map, task, start) index; its seed fixes start, noise and agent randomness
  std::string map;             // map seed or file name
  std::string task;            // "red,green"
  int length = 0;              // task colours
  int start = 0;               // start index within the case's (map, task)
  double noise_motion = 0, noise_perception = 0, noise_range = 0;
  std::string agent;
  std::optional<uint64_t> model_seed;  // model-based agents only
  std::string model;           // the model's cache file name (names the model exactly; "" without a model)
  uint64_t seed = 0;           // the case seed
  double start_x = 0, start_y = 0;
  bool success = false;        // task completed before the step limit
  int steps = 0, max_steps = 0;
  int oracle_steps = 0;        // ceil(oracle length / step length)
  double oracle_length = 0;
  int64_t parameters = 0;      // trained parameters of the agent's model (0 without a model)
  int64_t predictor_calls = 0; // single-state evaluations of the level-1 predictor this episode (0 without one)
  double train_seconds = 0;    // timing: training wall time of the agent's model, 0 when loaded from the cache
  double ms_per_step = 0;      // timing: wall milliseconds per step (agent decision + env step)
};

// Column names in file order.
const std::vector<std::string>& result_columns();
// Rounds the values rows carry to what files keep (oracle length to 1e-6, timings to 1e-3 s and 1e-4 ms;
// the start stays exact, so a row replays with `hjepa run --start X,Y --seed S`).
void round_for_output(EpisodeRow& row);

std::string rows_to_csv(const std::vector<EpisodeRow>& rows);
// Throws UsageError naming `source`, the line and the column for anything malformed.
std::vector<EpisodeRow> rows_from_csv(const std::string& text, const std::string& source);

// {"format": "hjepa-bench/1", "episodes": [...], "summary": <summary_json>} (2-space indented).
std::string rows_to_json(const std::vector<EpisodeRow>& rows, const std::string& summary_json);

}  // namespace hjepa
