// Background training of both levels; see training.hpp. Calls the same train_model as
// `hjepa train`, so a GUI run with the same parameters matches `hjepa train --seed N` bit for bit.
#include "app/gui/training.hpp"

#include <chrono>

#include "agent/jepa/train_model.hpp"
#include "sim/rng.hpp"

namespace hjepa {
namespace {

struct StopTraining {};

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

const char* train_phase_name(TrainPhase p) {
  switch (p) {
    case TrainPhase::Idle: return "not trained";
    case TrainPhase::Collecting: return "collecting exploration data";
    case TrainPhase::Training: return "level 1: training encoder and predictor";
    case TrainPhase::Polish: return "level 1: polishing the predictor; colour head and probe alongside";
    case TrainPhase::Heads: return "level 1: finishing the colour head and probe, measuring";
    case TrainPhase::Level2: return "level 2: training E2 and P2";
    case TrainPhase::Places: return "level 2: finding places, building the place graph";
    case TrainPhase::Done: return "done";
    case TrainPhase::Stopped: return "stopped (result discarded)";
    case TrainPhase::Failed: return "failed";
  }
  return "?";
}

TrainingJob::~TrainingJob() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void TrainingJob::start(const World& world, const EnvParams& env, const Level1TrainParams& tp, const Level2TrainParams& tp2,
                        uint64_t seed) {
  if (busy_) return;
  if (thread_.joinable()) thread_.join();
  stop_ = false;
  finished_ = false;
  busy_ = true;
  result_.reset();
  started_ = now_seconds();
  {
    std::lock_guard lock(mutex_);
    snap_ = Snapshot{};
    snap_.phase = TrainPhase::Collecting;
    snap_.steps = tp.steps;
    snap_.steps2 = tp2.steps;
    snap_.map_fingerprint = world.fingerprint();
  }
  thread_ = std::thread(&TrainingJob::run, this, world, env, tp, tp2, seed);
}

TrainingJob::Snapshot TrainingJob::snapshot() const {
  std::lock_guard lock(mutex_);
  Snapshot s = snap_;
  s.stop_requested = stop_ && busy_;
  if (busy_) s.seconds = now_seconds() - started_;
  return s;
}

std::optional<ModelFile> TrainingJob::take_result() {
  if (!finished_) return std::nullopt;
  if (thread_.joinable()) thread_.join();
  busy_ = false;
  std::optional<ModelFile> out = std::move(result_);
  result_.reset();
  return out;
}

void TrainingJob::run(World world, EnvParams env, Level1TrainParams tp, Level2TrainParams tp2, uint64_t seed) {
  try {
    Level1Report report;
    Level2Report report2;
    auto level1_progress = [&](int step, int steps, const Level1Report& r) {
      {
        std::lock_guard lock(mutex_);
        snap_.phase = step + 1 >= steps      ? TrainPhase::Heads  // data collection is done
                      : r.loss_polish.empty() ? TrainPhase::Training
                                              : TrainPhase::Polish;
        snap_.step = step + 1;
        snap_.steps = steps;
        snap_.report = r;
      }
      if (stop_) throw StopTraining{};
    };
    auto level2_progress = [&](int step, int steps, const Level2Report& r) {
      {
        std::lock_guard lock(mutex_);
        snap_.phase = step + 1 >= steps ? TrainPhase::Places : TrainPhase::Level2;
        snap_.step2 = step + 1;
        snap_.steps2 = steps;
        snap_.report2 = r;
      }
      if (stop_) throw StopTraining{};
    };
    ModelFile mf = train_model(world, env, tp, tp2, seed, "hjepa gui", report, report2, level1_progress, level2_progress);
    std::lock_guard lock(mutex_);
    snap_.report = report;
    snap_.report2 = report2;
    snap_.seconds = now_seconds() - started_;
    if (stop_) {
      snap_.phase = TrainPhase::Stopped;
    } else if (!report.finite || !report2.finite) {
      snap_.phase = TrainPhase::Failed;
      snap_.error = report.finite ? report2.message : report.message;
    } else {
      snap_.phase = TrainPhase::Done;
      result_ = std::move(mf);
    }
  } catch (const StopTraining&) {
    std::lock_guard lock(mutex_);
    snap_.phase = TrainPhase::Stopped;
    snap_.seconds = now_seconds() - started_;
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    snap_.phase = TrainPhase::Failed;
    snap_.error = e.what();
    snap_.seconds = now_seconds() - started_;
  }
  finished_ = true;
}

}  // namespace hjepa
