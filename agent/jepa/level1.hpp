// Level 1 of the H-JEPA: encoder E1 (observation features -> s), residual predictor P1
// ((s, cos h, sin h) -> next s), a colour head on s (part of the cost module) and a position probe
// on s (drawing and measuring only). Training: multi-step latent prediction against the
// stop-gradient encoder plus VICReg variance/covariance on s; no decoder, no reconstruction.
// Shapes: F = observation features, D = latent dim, B = batch (columns).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "agent/jepa/exploration.hpp"
#include "agent/jepa/level1_loss.hpp"
#include "agent/jepa/train_guard.hpp"
#include "agent/nn/mlp.hpp"
#include "agent/nn/optim.hpp"

namespace hjepa {

using MatF = nn::Mat<float>;

// Every frame of the data set as columns (F x S*(L+1)), in ExplorationData::frame_index order.
MatF all_frames(const ExplorationData& d);

struct Level1Arch {
  int features = 18;       // F: observation features (feature_size(num_rays))
  int latent = 16;         // D: dimension of s
  int hidden = 64;         // hidden width of E1 and P1
  int head_hidden = 32;    // hidden width of the colour head and the inverse-dynamics head (the colour head runs in planning)
  int probe_hidden = 128;  // hidden width of the position probe (drawing and measuring only)
};

struct Level1TrainParams {
  int steps = 2500;             // optimiser steps on the encoder and predictor
  int batch = 128;              // windows per step
  int unroll = 6;               // k: predictor steps unrolled per window
  double lr = 2e-3;             // Adam learning rate (cosine-decayed to 10%)
  double target_ema = 0.0;      // 0: targets from the current encoder (stop-gradient); else an EMA copy with this momentum
  double encoder_lr_scale = 1.0;  // encoder learning rate relative to lr (0 = frozen encoder)
  double var_weight = 1.0;      // VICReg variance hinge weight
  double cov_weight = 0.0;      // VICReg covariance weight (off by default: it raised the 8-step error here)
  double pred_weight = 1.0;     // latent prediction weight
  double idm_weight = 1.0;      // inverse dynamics: (s_t, s_t+1) -> (cos h, sin h), 0 = off
  int polish_steps = 10000;     // predictor-only steps on the frozen encoder after the joint phase
  int head_steps = 6000;        // steps for the colour head (encoder frozen)
  int probe_steps = 24000;      // steps for the position probe (encoder frozen; drawing and measuring only)
  ExplorationParams exploration;  // training data
  int heldout_sequences = 100;  // held-out exploration sequences for diagnostics
};

// Diagnostics kept as data (the GUI plots them; train --json prints them).
struct Level1Report {
  std::vector<float> loss_pred, loss_var, loss_cov, loss_idm;  // per logged step
  std::vector<int> logged_step;
  std::vector<float> loss_polish;       // the predictor polish's prediction loss, per logged polish step
  std::vector<int> polish_logged_step;
  std::vector<float> latent_std;        // per dimension, held-out
  double probe_r2 = 0;                  // position probe R^2 on held-out observations
  double colour_accuracy = 0;           // colour head accuracy on held-out observations
  std::vector<double> kstep_probe_error;  // k = 1..16: mean probe error (units) of k-step predicted latents
  // Belief filtering on held-out sequences (gain below): mean position error (units) of the probe
  // on the belief, of the probe on the raw encoding, and of the raw perceived position.
  double belief_gain = 0.5;
  double belief_error = 0, encoding_error = 0, perception_error = 0;
  double seconds = 0;
  long parameters = 0;
  bool finite = true;                   // false if training stopped on a non-finite loss
  std::string message;                  // why it stopped early, if it did
};

class Level1 {
 public:
  Level1() = default;
  Level1(const Level1Arch& arch, uint64_t seed);

  // features: F x B -> s: D x B.
  MatF encode(const MatF& features) const { return encoder.forward(features); }
  // One observation -> s: D x 1 (ray_max scales the range readings, as in training).
  MatF encode_observation(const Observation& obs, double ray_max) const;
  // s: D x B, headings: B -> next s: D x B (residual: s + P1([s; cos; sin])).
  MatF predict(const MatF& s, const float* headings) const;
  // Position probe (world units) and colour logits.
  MatF probe_xy(const MatF& s) const;
  MatF colour_logits(const MatF& s) const { return colour_head.forward(s); }

  long num_parameters() const;  // every trained parameter, the inverse-dynamics head included
  nn::ParamList<float> params();
  nn::ConstParamList<float> params() const;

  Level1Arch arch;
  nn::MLP<float> encoder, predictor, colour_head, probe;
  FourierBasis<float> fourier;      // P1's fixed input basis (make_fourier_basis(latent)), not trained
  nn::MLP<float> inverse_dynamics;  // training-time regulariser only: (s_t, s_t+1) -> (cos h, sin h)
  double width = 40, height = 30;  // probe outputs are scaled to the map
};

using ProgressFn = std::function<void(int step, int steps, const Level1Report&)>;

// Trains the encoder and predictor, then the heads with the encoder frozen, then measures.
Level1Report train_level1(Level1& model, const ExplorationData& data, const ExplorationData& heldout,
                          const Level1TrainParams& params, uint64_t seed, const ProgressFn& progress = {});

// The joint phase one optimiser step at a time (train_level1 takes tp.steps of them; `hjepa perf
// train` times them): a batch of tp.batch windows of k = min(tp.unroll, data.length) steps, the
// stop-gradient targets, level1_loss forward and backward, and the guarded Adam steps.
class JointTrainer {
 public:
  JointTrainer(Level1& model, const ExplorationData& data, const Level1TrainParams& tp, uint64_t seed);
  // Step `step` of tp.steps; terms receives its losses. Returns the fault ("" when the step was taken).
  std::string step(int step, Level1LossTerms& terms);
  // After a fault: restores the last good parameters and returns the message that says so.
  std::string stop(const std::string& fault, int step);
  int unroll() const { return k_; }

 private:
  Level1& model_;
  const ExplorationData& data_;
  Level1TrainParams tp_;
  Rng rng_;
  int k_;
  nn::ParamList<float> trained_, enc_params_, other_params_;
  nn::Adam<float> adam_, enc_adam_;
  Checkpoint last_good_;  // parameters whose losses and gradients were finite
  std::vector<int> seq_, t0_;
  std::vector<float> headings_;
  std::vector<MatF> frames_;
  nn::MLP<float> target_encoder_;  // used when target_ema > 0
};

// The diagnostics on held-out data (also run at the end of training).
void measure_level1(const Level1& model, const ExplorationData& heldout, Level1Report& report);

}  // namespace hjepa
