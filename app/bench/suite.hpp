// Benchmark suites: which maps, tasks, start points, noise levels, step limits and model seeds a
// `hjepa bench` run covers, read from a versioned JSON file ("format": "hjepa-suite/1"). Unknown keys
// and out-of-range values are refused with the file, the JSON path, the value and what was expected.
// The same struct serves the headless benchmark and (later) the GUI's benchmark panel.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/jepa/level1_training.hpp"
#include "agent/jepa/level2_training.hpp"
#include "sim/map_gen.hpp"
#include "sim/task.hpp"

namespace hjepa {

constexpr const char* kSuiteFormat = "hjepa-suite/1";

struct SuiteMap {
  int64_t seed = -1;        // generated from this seed with Suite::map_params, or
  std::string file;         // loaded from this hjepa-map/1 file (path resolved against the suite file)
  std::vector<Task> tasks;  // tasks of this map only (map files: {"file": ..., "tasks": ["red,blue", ...]}), run before Suite::tasks
};

// One "tasks" entry: explicit colours run on every map, or `per_map` tasks of `length` colours
// drawn per map from the colours it has (no colour twice in a row), each checked by the oracle.
struct SuiteTasks {
  Task colors;      // explicit task (empty when generated)
  int length = 0;   // generated: colours per task, 1..kMaxTaskLength
  int per_map = 0;  // generated: tasks per map, 1..1000
  bool seeded_only = false;  // key "seeded_only": only on the generated (seeded) maps; map files keep to their own tasks
};

struct SuiteNoise {
  double motion = 0.05;      // sigma of motion noise, units, 0..10 (EnvParams::noise_motion)
  double perception = 0.1;   // sigma of position perception noise, units, 0..10
  double range = 0.05;       // sigma of range-ring noise, units, 0..10
};

struct Suite {
  std::string name;         // key "name", else the file name without ".json"
  std::string path;         // the file it was read from
  std::string description;  // free text
  std::vector<SuiteMap> maps;
  MapParams map_params;     // generator parameters for seeded maps
  std::vector<SuiteTasks> tasks;
  uint64_t task_seed = 1;   // generated tasks are drawn from (task_seed, map, entry)
  int starts = 1;           // start points per (map, task), 1..1000, each drawn from the episode seed
  std::vector<SuiteNoise> noise{SuiteNoise{}};  // every case runs at every noise setting
  std::optional<SuiteNoise> train_noise;  // models are trained at this noise; unset: at each episode's noise
  int max_steps = 0;        // step limit, 0 = the env's automatic limit, else 1..1000000
  std::vector<uint64_t> model_seeds{1};  // one model per (map, training noise, seed) for model-based agents
  // Training (suite key "train"): level 1's steps, sequences, polish_steps, head_steps, probe_steps,
  // heldout_sequences; level 2's distance_steps (E2) and level2_steps (P2).
  Level1TrainParams train;
  Level2TrainParams train2;
  uint64_t seed = 1;        // base seed of episode seeds (--seed overrides it)
};

// NAME (a suite shipped in assets/suites) or a path to a suite file (contains '/' or ends in .json).
// Throws UsageError naming the file, the JSON path and what was expected.
Suite load_suite(const std::string& name_or_path);
// Parses suite text; `source` names it in messages and anchors relative map files.
Suite suite_from_json(const std::string& text, const std::string& source);
// The effective suite with every default filled in (map files as absolute paths), as JSON text;
// `run` (a JSON object, optional) is stored under the key "run", which readers accept and ignore:
// hjepa bench records there how the results beside it were made.
std::string suite_to_json(const Suite& suite, const std::string& run = "");
// The effective suite as suite_to_json writes it (without "run"), but with each map file by its
// file name alone: the same wherever the suite and its maps are and whatever the working directory
// (hjepa bench's config hash reads it; a map's content is hashed separately).
std::string suite_to_portable_json(const Suite& suite);
// The directory searched for suite names, and the names found there.
std::string suites_dir();
std::vector<std::string> suite_names();

}  // namespace hjepa
