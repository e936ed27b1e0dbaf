// Level-1 training for the desktop app in a background std::thread: collects exploration data on a
// copy of the map and runs train_level1 with a progress callback that copies the report under a
// mutex (the Training panel reads snapshots). Stop: the callback throws at the next logged step
// (every 50 optimiser steps); during data collection and the final head fitting it cannot stop,
// so the panel shows "stopping…" and the result is discarded when the thread ends.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "agent/jepa/model_file.hpp"
#include "sim/env.hpp"

namespace hjepa {

enum class TrainPhase { Idle, Collecting, Training, Heads, Done, Stopped, Failed };
const char* train_phase_name(TrainPhase p);

class TrainingJob {
 public:
  struct Snapshot {
    TrainPhase phase = TrainPhase::Idle;
    int step = 0, steps = 0;    // optimiser steps done / planned
    double seconds = 0;         // since start (or the whole run, once finished)
    bool stop_requested = false;
    Level1Report report;        // losses so far; every diagnostic once Done
    uint64_t map_fingerprint = 0;
    std::string error;
  };

  TrainingJob() = default;
  ~TrainingJob();  // requests a stop and joins
  TrainingJob(const TrainingJob&) = delete;
  TrainingJob& operator=(const TrainingJob&) = delete;

  // Starts a run (no-op while one is busy).
  void start(const World& world, const EnvParams& env, const Level1TrainParams& tp, uint64_t seed);
  bool busy() const { return busy_; }
  void request_stop() { stop_ = true; }
  Snapshot snapshot() const;
  // Once the thread has ended: joins it and hands over the trained model (none if stopped or failed).
  std::optional<ModelFile> take_result();

 private:
  void run(World world, EnvParams env, Level1TrainParams tp, uint64_t seed);
  mutable std::mutex mutex_;
  Snapshot snap_;
  std::optional<ModelFile> result_;
  std::thread thread_;
  std::atomic<bool> busy_{false}, stop_{false}, finished_{false};
  double started_ = 0;
};

}  // namespace hjepa
