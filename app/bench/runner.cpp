// Model preparation, one episode, and the worker pool (see runner.hpp).
#include "app/bench/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "agent/jepa/counters.hpp"
#include "app/agent_factory.hpp"
#include "app/bench/progress.hpp"
#include "app/model_cache.hpp"
#include "sim/oracle.hpp"

namespace hjepa {

namespace {

// Calls body(i) for i in [0, n) on `threads` threads; the first exception stops the rest and is rethrown.
void parallel_for(int64_t n, int threads, const std::function<void(int64_t)>& body) {
  std::atomic<int64_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (int64_t i; !failed && (i = next++) < n;) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads && t < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

EnvParams training_env_params(const Suite& suite, const BenchModelKey& key, const EnvParams& base) {
  EnvParams ep = bench_env_params(suite, std::max(std::get<1>(key), 0), base);
  if (std::get<1>(key) < 0) {
    ep.noise_motion = suite.train_noise->motion;
    ep.noise_perception = suite.train_noise->perception;
    ep.noise_range = suite.train_noise->range;
  }
  return ep;
}

// A start point from which the task is not already complete, drawn from the case seed.
Vec2 case_start(Env& env, const BenchCase& c) {
  for (uint64_t attempt = 0; attempt < 10000; ++attempt) {
    env.reset(derive_seed(c.seed, attempt));
    if (env.state().progress < c.task.size()) return env.state().position;
  }
  throw std::runtime_error("no start point outside the task's first colour was found");
}

EpisodeRow run_episode(const Suite& suite, const BenchPlan& plan, const BenchEpisode& e, const BenchModel* model,
                       const BenchRunOptions& options) {
  const BenchCase& c = plan.cases[e.case_index];
  const BenchMap& map = plan.maps[c.map];
  const EnvParams ep = bench_env_params(suite, e.noise, options.run_config.env);
  Env env(map.world, c.task, ep);
  const Vec2 start = case_start(env, c);
  Observation obs = env.reset(c.seed, start);
  const OraclePath oracle = plan_oracle(map.world.with_gates(env.state().open_gates), start, c.task);  // this episode's gates
  if (!oracle.found)
    throw std::runtime_error("the oracle found no path for " + task_to_string(c.task) + " on map " + map.name);

  EpisodeRow row;
  row.config = options.config;
  row.suite = suite.name;
  row.suite_episodes = options.suite_episodes;
  row.episode = e.index;
  row.case_index = e.case_index;
  row.map = map.name;
  row.task = task_to_string(c.task);
  row.length = c.task.size();
  row.start = c.start;
  row.noise_motion = ep.noise_motion, row.noise_perception = ep.noise_perception, row.noise_range = ep.noise_range;
  row.agent = e.agent;
  row.seed = c.seed;
  row.start_x = start.x, row.start_y = start.y;
  row.max_steps = env.max_steps();
  row.oracle_length = oracle.length;
  row.oracle_steps = oracle_steps(oracle.length, ep.step_length);
  if (model) {
    row.model_seed = suite.model_seeds[e.model_seed];
    row.model = model->name;
    row.parameters =
        model->model.level1.num_parameters() + model->model.level2.num_parameters() + model->model.policy.num_parameters();
    row.train_seconds = model->train_seconds;
  }

  AgentSetup setup(env, c.task, ep, c.seed, model ? &model->model : nullptr);
  setup.take(options.run_config);
  const auto agent = make_agent(e.agent, setup);
  const auto t0 = std::chrono::steady_clock::now();
  const uint64_t calls_before = predictor_evaluations;
  agent->reset(obs);
  bool terminated = false, truncated = false;
  while (!terminated && !truncated) {
    const StepResult r = env.step(agent->act(obs));
    obs = r.obs;
    terminated = r.terminated;
    truncated = r.truncated;
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  row.predictor_calls = static_cast<int64_t>(predictor_evaluations - calls_before);
  row.success = terminated;
  row.steps = env.state().step;
  row.ms_per_step = row.steps > 0 ? ms / row.steps : 0;
  round_for_output(row);
  return row;
}

}  // namespace

EnvParams bench_env_params(const Suite& suite, int noise, const EnvParams& base) {
  EnvParams ep = base;
  ep.noise_motion = suite.noise[noise].motion;
  ep.noise_perception = suite.noise[noise].perception;
  ep.noise_range = suite.noise[noise].range;
  if (suite.max_steps > 0) ep.max_steps = suite.max_steps;
  return ep;
}

BenchModelKey model_key(const Suite& suite, const BenchPlan& plan, const BenchEpisode& e) {
  return {plan.cases[e.case_index].map, suite.train_noise ? -1 : e.noise, e.model_seed};
}

BenchModels prepare_models(const Suite& suite, const BenchPlan& plan, const std::vector<BenchEpisode>& episodes, int threads,
                           const EnvParams& base_env, int64_t shard_index, int64_t shard_count, const std::atomic<bool>* stop,
                           const std::function<void(int64_t, int64_t)>& on_progress) {
  BenchModels models;
  for (const BenchEpisode& e : episodes)
    if (agent_needs_model(e.agent)) models[model_key(suite, plan, e)];
  if (models.empty()) return models;
  std::vector<std::pair<const BenchModelKey, BenchModel>*> todo;
  for (auto& item : models) todo.push_back(&item);
  std::rotate(todo.begin(), todo.begin() + static_cast<int64_t>(todo.size()) * shard_index / shard_count, todo.end());
  Progress progress("models", static_cast<int64_t>(todo.size()));
  std::atomic<int64_t> done{0};
  parallel_for(static_cast<int64_t>(todo.size()), threads, [&](int64_t i) {
    if (stop && *stop) throw BenchStopped();
    const BenchModelKey& key = todo[i]->first;
    BenchModel& m = todo[i]->second;
    const World& world = plan.maps[std::get<0>(key)].world;
    const EnvParams ep = training_env_params(suite, key, base_env);
    const uint64_t seed = suite.model_seeds[std::get<2>(key)];
    ModelCacheResult cache;
    m.model = cached_model(world, ep, suite.train, suite.train2, seed, "hjepa bench", &cache);
    m.name = model_cache_name(world, ep, suite.train, suite.train2, seed);
    m.from_cache = cache.from_cache;
    m.train_seconds = cache.train_seconds;
    char note[512];
    if (cache.from_cache)
      std::snprintf(note, sizeof note, "bench: map %s, model seed %llu: model: from cache %s",
                    plan.maps[std::get<0>(key)].name.c_str(), static_cast<unsigned long long>(seed), m.name.c_str());
    else
      std::snprintf(note, sizeof note, "bench: map %s, model seed %llu: model: trained in %.1f s, cached as %s",
                    plan.maps[std::get<0>(key)].name.c_str(), static_cast<unsigned long long>(seed), cache.train_seconds,
                    m.name.c_str());
    progress.advance(note);
    if (on_progress) on_progress(++done, static_cast<int64_t>(todo.size()));
  });
  progress.finish();
  return models;
}

std::vector<EpisodeRow> run_episodes(const Suite& suite, const BenchPlan& plan, const std::vector<BenchEpisode>& episodes,
                                     const BenchModels& models, const BenchRunOptions& options) {
  std::vector<EpisodeRow> rows(episodes.size());
  Progress progress("episodes", static_cast<int64_t>(episodes.size()));
  std::atomic<int64_t> done{0};
  parallel_for(static_cast<int64_t>(episodes.size()), options.threads, [&](int64_t i) {
    const BenchEpisode& e = episodes[i];
    const BenchModel* model = agent_needs_model(e.agent) ? &models.at(model_key(suite, plan, e)) : nullptr;
    if (options.stop && *options.stop) throw BenchStopped();
    rows[i] = run_episode(suite, plan, e, model, options);
    progress.advance();
    if (options.on_progress) options.on_progress(++done, static_cast<int64_t>(episodes.size()));
  });
  progress.finish();
  return rows;
}

}  // namespace hjepa
