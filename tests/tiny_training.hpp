// Training parameters for a tiny model, trained in a second or two: every training, planning and
// model-file code path runs on a real model; its quality does not matter. Shared by the tests that
// need such a model (test_extremes, test_train_guard) and the soak.
#pragma once
#include "agent/jepa/level1_training.hpp"
#include "agent/jepa/level2_training.hpp"

namespace hjepa::test {

// `steps` for the encoder and predictor (batches of 32 windows), the predictor polish and the heads,
// `sequences` of exploration, 10 held out.
// A Mode-1 phase of two short episodes and one DAgger round.
inline PolicyTrainParams tiny_mode1() {
  PolicyTrainParams p;
  p.rounds = 1;
  p.episodes = 2;
  p.heldout_episodes = 1;
  p.episode_steps = 8;
  p.steps = 20;
  p.batch = 32;
  return p;
}

inline Level1TrainParams tiny_level1(int steps, int sequences) {
  Level1TrainParams tp;
  tp.mode1 = tiny_mode1();
  tp.steps = steps;
  tp.batch = 32;
  tp.polish_steps = steps;
  tp.head_steps = steps;
  tp.probe_steps = steps;
  tp.exploration.sequences = sequences;
  tp.heldout_sequences = 10;
  return tp;
}

inline Level2TrainParams tiny_level2(int steps, int kmeans_iterations) {
  Level2TrainParams tp;
  tp.steps = steps;
  tp.distance_steps = steps;
  tp.kmeans_iterations = kmeans_iterations;
  return tp;
}

}  // namespace hjepa::test
