// Mode 1 of LeCun's design: an amortised actor. A small network pi(s, target) -> heading that
// reproduces the Mode-2 planner's first heading without optimising: input [s; g - s (0 without a
// subgoal); has-subgoal; one-hot of the target colour (zeros without one)], output a 2-vector whose
// angle is the heading. Trained by imitation of the planner with DAgger relabelling
// (policy_training.hpp); the low-level planners run it in agent.low.mode policy and policy+planner
// (low_level_planner.hpp). Shapes: D = latent dim, I = policy_inputs(D), B = batch (columns).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "agent/jepa/level1.hpp"

namespace hjepa {

class SideThread;

struct PolicyArch {
  int latent = 16;  // D: level 1's latent dimension
  int hidden = 64;  // width of the two hidden layers
};

// How the Mode-1 phase of `hjepa train` runs (train.mode1.*; policy_training.hpp): round 0 imitates the
// planner on its own episodes, each further round runs the policy and lets the planner label the
// states it visits (DAgger); after each round the policy is trained on everything labelled so far.
struct PolicyTrainParams {
  int rounds = 6;             // DAgger rounds after round 0, >= 0
  int episodes = 24;          // episodes per round (alternately the hjepa and the flat agent), >= 1
  int heldout_episodes = 8;   // episodes of held-out states (the final policy acting, the planner labelling), >= 1
  int episode_steps = 60;     // step limit of those episodes, >= 1
  int steps = 600;            // optimiser steps after each round, >= 1
  int batch = 256;            // states per optimiser step
  double lr = 3e-3;           // Adam learning rate (cosine-decayed to 10% within each round)
  int hidden = 64;            // width of pi's two hidden layers
};

// What the Mode-1 phase measured (train --json's "mode1" object). Angles in degrees.
struct PolicyReport {
  std::vector<int> round_samples;      // states labelled in each round
  // Each DAgger round's mean angle error of the policy before it trains on that round's states (the
  // states its own acting led to, not yet seen: held out at that point); round 0 has none (NaN).
  std::vector<double> round_error;
  double heldout_error = 0;   // mean angle error of the final policy on held-out states it visited itself
  double heldout_within_30 = 0;  // share of those states within 30 degrees of the planner's heading
  int heldout_samples = 0;
  double final_loss = 0;      // the imitation loss at the last optimiser step
  double seconds = 0;
  long parameters = 0;
  bool finite = true;          // false if training stopped on a non-finite loss
  std::string message;         // why it stopped early, if it did
};

// I = 2 D + 1 + kNumColors.
int policy_inputs(int latent);

// pi's input for one state into column `col` of x (I x B): s and goal are D x 1 (goal may be null),
// colour a palette index or -1.
void write_policy_input(const MatF& s, const MatF* goal, int colour, MatF& x, Eigen::Index col);

class Policy {
 public:
  Policy() = default;  // no network: empty() (a model whose Mode-1 phase did not run)
  Policy(const PolicyArch& arch, uint64_t seed);
  bool empty() const { return net.layers.empty(); }
  // x: I x B -> 2 x B, the heading's (cos, sin) up to scale.
  MatF forward(const MatF& x) const { return net.forward(x); }
  // The heading pi chooses (radians, in (-pi, pi]).
  float heading(const MatF& s, const MatF* goal, int colour) const;
  long num_parameters() const { return empty() ? 0 : static_cast<long>(net.num_parameters()); }

  PolicyArch arch;
  nn::MLP<float> net;  // "pi": I -> hidden -> hidden -> 2, GELU
};

// The imitation loss: mean over columns of 0.5 |pi(x) - (cos h, sin h)|^2 for the planner's headings
// h (B). With backward = true, accumulates (+=) its gradient into net. Templated so a test checks the
// gradient in double against finite differences.
template <typename T>
double policy_loss(nn::MLP<T>& net, const nn::Mat<T>& x, const std::vector<float>& headings, bool backward);
// The same over the batch's two halves of columns, the second on `replica` on `side` (batch_halves.hpp):
// the Mode-1 phase's optimiser steps take both cores.
template <typename T>
double policy_loss_halves(nn::MLP<T>& net, nn::MLP<T>& replica, const nn::Mat<T>& x, const std::vector<float>& headings,
                          bool backward, SideThread* side);

// Per column, the absolute angle (radians) between pi's heading on x and `headings`.
std::vector<double> policy_angle_errors(const Policy& policy, const MatF& x, const std::vector<float>& headings);
// Their mean (0 without columns).
double policy_angle_error(const Policy& policy, const MatF& x, const std::vector<float>& headings);

}  // namespace hjepa
