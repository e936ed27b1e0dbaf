// The desktop app's Bench panel backend: runs a benchmark suite (the same code as `hjepa bench`:
// models through the model cache, episodes on worker threads) in a background std::thread with
// the app's current agent parameters, and hands the summary table to the panel. Stop ends it at
// the next model or episode.
#pragma once
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent/config.hpp"
#include "app/bench/summary.hpp"

namespace hjepa {

class BenchJob {
 public:
  enum class Phase { Idle, Models, Episodes, Done, Stopped, Failed };
  struct Snapshot {
    Phase phase = Phase::Idle;
    int64_t done = 0, total = 0;  // of the current phase
    double seconds = 0;
    std::string suite, error;
    BenchSummary summary;         // once Done
    std::string table;            // the same table as `hjepa bench` prints, once Done
  };

  BenchJob() = default;
  ~BenchJob();  // stops and joins
  BenchJob(const BenchJob&) = delete;
  BenchJob& operator=(const BenchJob&) = delete;

  // Starts a run (no-op while one is busy). suite: a name from assets/suites or a file path.
  void start(const std::string& suite, const std::vector<std::string>& agents, int threads, const RunConfig& config);
  bool busy() const { return busy_; }
  void request_stop() { stop_ = true; }
  Snapshot snapshot() const;

 private:
  void run(std::string suite, std::vector<std::string> agents, int threads, RunConfig config);
  void set_phase(Phase phase, int64_t total);
  mutable std::mutex mutex_;
  Snapshot snap_;
  std::thread thread_;
  std::atomic<bool> busy_{false}, stop_{false};
  std::chrono::steady_clock::time_point started_;
};

const char* bench_phase_name(BenchJob::Phase phase);

}  // namespace hjepa
