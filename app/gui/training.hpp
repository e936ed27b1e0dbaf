// Model training for the desktop app in a background std::thread: train_model on a copy of the map
// (exploration data, level 1, then level 2 and its place graph) with progress callbacks that copy
// the reports under a mutex (the Training panel reads snapshots). Stop: a callback throws at the
// next logged step (every 50 optimiser steps of either level); during data collection, head fitting
// and place finding it cannot stop, so the panel shows "stopping…" and the result is discarded.
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

enum class TrainPhase { Idle, Collecting, Training, Polish, Heads, Level2, Places, Done, Stopped, Failed };
const char* train_phase_name(TrainPhase p);

class TrainingJob {
 public:
  struct Snapshot {
    TrainPhase phase = TrainPhase::Idle;
    int step = 0, steps = 0;    // level-1 optimiser steps done / planned
    int step2 = 0, steps2 = 0;  // level-2 optimiser steps done / planned
    double seconds = 0;         // since start (or the whole run, once finished)
    bool stop_requested = false;
    Level1Report report;        // losses so far; every diagnostic once Done
    Level2Report report2;       // level 2: losses so far; places, graph and P2 accuracy once Done
    uint64_t map_fingerprint = 0;
    std::string error;
  };

  TrainingJob() = default;
  ~TrainingJob();  // requests a stop and joins
  TrainingJob(const TrainingJob&) = delete;
  TrainingJob& operator=(const TrainingJob&) = delete;

  // Starts a run (no-op while one is busy).
  void start(const World& world, const EnvParams& env, const Level1TrainParams& tp, const Level2TrainParams& tp2,
             uint64_t seed);
  bool busy() const { return busy_; }
  void request_stop() { stop_ = true; }
  Snapshot snapshot() const;
  // Once the thread has ended: joins it and hands over the trained model (none if stopped or failed).
  std::optional<ModelFile> take_result();

 private:
  void run(World world, EnvParams env, Level1TrainParams tp, Level2TrainParams tp2, uint64_t seed);
  mutable std::mutex mutex_;
  Snapshot snap_;
  std::optional<ModelFile> result_;
  std::thread thread_;
  std::atomic<bool> busy_{false}, stop_{false}, finished_{false};
  double started_ = 0;
};

}  // namespace hjepa
