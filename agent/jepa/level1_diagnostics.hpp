// Level 1's diagnostics on held-out exploration data, kept in its Level1Report (train_level1 runs
// them at the end): the latents' spread, the position probe's R^2, the colour head's accuracy, the
// belief filter's position error and the k-step prediction error read by the probe.
#pragma once
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

}  // namespace hjepa
