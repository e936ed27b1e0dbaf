// Running a benchmark plan: the models its model-based episodes need (through the model cache,
// each distinct model once), then the episodes, both spread over worker threads. Results land in
// episode order, so they do not depend on the thread count.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "agent/config.hpp"
#include "agent/jepa/model_file.hpp"
#include "app/bench/plan.hpp"
#include "app/bench/results.hpp"

namespace hjepa {

struct BenchModel {
  ModelFile model;
  std::string name;          // cache file name (identifies the model)
  double train_seconds = 0;  // 0 when loaded from the cache
  bool from_cache = false;
};

// (map, training noise index or -1 for Suite::train_noise, model seed index)
using BenchModelKey = std::tuple<int, int, int>;
using BenchModels = std::map<BenchModelKey, BenchModel>;

struct BenchRunOptions {
  int threads = 1;                   // worker threads, >= 1
  RunConfig run_config;              // env base values and every agent parameter (--config, --set, --planner)
  std::string config;                // EpisodeRow::config
  int64_t suite_episodes = 0;        // EpisodeRow::suite_episodes
  const std::atomic<bool>* stop = nullptr;  // when set to true, the run ends early with BenchStopped
  std::function<void(int64_t done, int64_t total)> on_progress;  // after each episode (any thread)
};

// Thrown by prepare_models / run_episodes when their stop flag is raised.
struct BenchStopped : std::runtime_error {
  BenchStopped() : std::runtime_error("benchmark stopped") {}
};

// The env parameters of a noise setting: `base` (the run config's env) with the setting's noise
// levels and, when the suite sets one, its step limit.
EnvParams bench_env_params(const Suite& suite, int noise, const EnvParams& base);
// The key of the model an episode uses (only for agents that need one).
BenchModelKey model_key(const Suite& suite, const BenchPlan& plan, const BenchEpisode& episode);

// Trains or loads every model `episodes` need; progress on stderr. Shard i of n starts at the
// model i/n of the way through the list, so shards sharing a cache directory mostly train
// different models and load the others' (the cache is checked just before each model).
BenchModels prepare_models(const Suite& suite, const BenchPlan& plan, const std::vector<BenchEpisode>& episodes, int threads,
                           const EnvParams& base_env, int64_t shard_index = 0, int64_t shard_count = 1,
                           const std::atomic<bool>* stop = nullptr,
                           const std::function<void(int64_t done, int64_t total)>& on_progress = {});
// Runs `episodes`; progress on stderr. Rows are rounded as files keep them (round_for_output).
std::vector<EpisodeRow> run_episodes(const Suite& suite, const BenchPlan& plan, const std::vector<BenchEpisode>& episodes,
                                     const BenchModels& models, const BenchRunOptions& options);

}  // namespace hjepa
