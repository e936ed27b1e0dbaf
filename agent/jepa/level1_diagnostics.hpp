// Level 1's diagnostics on held-out exploration data, kept in its Level1Report (train_level1 runs
// them at the end): the latents' spread, the position probe's R^2, the colour head's accuracy, the
// belief filter's position error and the k-step prediction error read by the probe.
#pragma once
#include "agent/jepa/belief.hpp"
#include "agent/jepa/exploration.hpp"
#include "agent/jepa/level1.hpp"
#include "agent/jepa/level1_training.hpp"

namespace hjepa {

// The diagnostics on held-out data (also run at the end of training). With z_from_gates (a model whose
// z is the gate configuration, train.z_source gates) also the k-step error under each held-out
// sequence's own configuration (kstep_probe_error_true_z).
void measure_level1(const Level1& model, const ExplorationData& heldout, Level1Report& report, bool z_from_gates = false);

// The belief's fitted gain (agent.belief.mode fitted): of the fixed gains 1/20, 2/20 .. 1, the one whose
// belief over the held-out sequences (belief.hpp's filter from each first frame) a linear read-out of
// the position (least squares from E1 of the noise-free held-out frames to their true positions) places
// nearest the true position, on average. Needs held-out data with its noise-free frames.
constexpr int kFittedGainSteps = 20;
double fit_belief_gain(const Level1& model, const ExplorationData& heldout);

// The ideal position filter over held-out sequences `seqs` (their frames 1..L, mean error in units): a
// Kalman filter on the true 2-D position that reads only the perceived positions, but knows the world
// exactly (each move's landing before the motion noise, from the true position before it) and the
// env's noise (motion noise as its process noise, perception noise as its observation noise, per axis).
// With Gaussian noise no filter of the same readings does better on average (motion noise an obstacle
// stops is the one departure), so it bounds the belief's position error from below. NaN for data
// without landing points (collect_exploration's training sets).
double ideal_filter_error(const ExplorationData& held, const std::vector<int>& seqs, double width, double height);

// The clearance bin (belief.hpp clearance_bin) of move t of sequence s: its heading and the range
// readings of the frame it sets out from, as perceived.
int clearance_bin(const ExplorationData& d, int seq, int t);

}  // namespace hjepa
