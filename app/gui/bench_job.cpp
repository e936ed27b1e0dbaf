// Background benchmark runs for the desktop app (see bench_job.hpp).
#include "app/gui/bench_job.hpp"

#include <exception>

#include "app/bench/plan.hpp"
#include "app/bench/runner.hpp"
#include "app/bench/suite.hpp"
#include "app/usage_error.hpp"

namespace hjepa {

const char* bench_phase_name(BenchJob::Phase phase) {
  switch (phase) {
    case BenchJob::Phase::Idle: return "idle";
    case BenchJob::Phase::Models: return "training or loading models";
    case BenchJob::Phase::Episodes: return "running episodes";
    case BenchJob::Phase::Done: return "done";
    case BenchJob::Phase::Stopped: return "stopped";
    case BenchJob::Phase::Failed: return "failed";
  }
  return "?";
}

BenchJob::~BenchJob() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void BenchJob::start(const std::string& suite, const std::vector<std::string>& agents, int threads, const RunConfig& config) {
  if (busy_) return;
  if (thread_.joinable()) thread_.join();
  stop_ = false;
  busy_ = true;
  started_ = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    snap_ = Snapshot{};
    snap_.suite = suite;
    snap_.phase = Phase::Models;
  }
  thread_ = std::thread(&BenchJob::run, this, suite, agents, threads, config);
}

BenchJob::Snapshot BenchJob::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  Snapshot s = snap_;
  if (busy_) s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return s;
}

void BenchJob::set_phase(Phase phase, int64_t total) {
  std::lock_guard<std::mutex> lock(mutex_);
  snap_.phase = phase;
  snap_.done = 0;
  snap_.total = total;
}

void BenchJob::run(std::string suite_name, std::vector<std::string> agents, int threads, RunConfig config) {
  auto progress = [this](int64_t done, int64_t total) {
    std::lock_guard<std::mutex> lock(mutex_);
    snap_.done = done;
    snap_.total = total;
  };
  try {
    const Suite suite = load_suite(suite_name);
    const BenchPlan plan = expand_suite(suite, agents, suite.seed);
    set_phase(Phase::Models, 0);
    const BenchModels models = prepare_models(suite, plan, plan.episodes, threads, config.env, 0, 1, &stop_, progress);
    set_phase(Phase::Episodes, static_cast<int64_t>(plan.episodes.size()));
    BenchRunOptions options;
    options.threads = threads;
    options.run_config = config;
    options.config = "gui";
    options.suite_episodes = static_cast<int64_t>(plan.episodes.size());
    options.stop = &stop_;
    options.on_progress = progress;
    const std::vector<EpisodeRow> rows = run_episodes(suite, plan, plan.episodes, models, options);
    BenchSummary summary = summarize(rows);
    std::lock_guard<std::mutex> lock(mutex_);
    snap_.table = format_summary(summary, false);
    snap_.summary = std::move(summary);
    snap_.phase = Phase::Done;
  } catch (const BenchStopped&) {
    std::lock_guard<std::mutex> lock(mutex_);
    snap_.phase = Phase::Stopped;
  } catch (const std::exception& e) {  // a bad suite file (UsageError) or an internal error
    std::lock_guard<std::mutex> lock(mutex_);
    snap_.phase = Phase::Failed;
    snap_.error = e.what();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    snap_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }
  busy_ = false;
}

}  // namespace hjepa
