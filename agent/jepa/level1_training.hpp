// Level-1 training: multi-step latent prediction against the stop-gradient encoder plus VICReg
// variance/covariance on s (the joint objective: level1_loss.hpp; no decoder, no reconstruction),
// then the predictor polish, the colour head and the position probe on the frozen encoder, then the
// held-out diagnostics (level1_diagnostics.hpp), kept in a Level1Report.
// Shapes: F = observation features, D = latent dim, B = batch (columns), k = unroll.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "agent/jepa/exploration.hpp"
#include "agent/jepa/level1.hpp"
#include "agent/jepa/level1_loss.hpp"
#include "agent/jepa/policy.hpp"
#include "agent/jepa/train_guard.hpp"
#include "agent/nn/mlp.hpp"
#include "agent/nn/optim.hpp"

namespace hjepa {

constexpr int kMaxZValues = 16;  // train.z_values' upper bound (model files refuse more)

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
  int polish_short_unroll = 2;  // > 0: the polish's first half unrolls this many steps (at most unroll); 0 = unroll throughout
  // The share of each polish batch's windows that P1 learns from their sequence's belief
  // (belief.hpp filtered_encodings) at the gain fit_belief_gain finds after the joint phase, as the
  // agents hold it; the rest from the raw encodings, as an episode's first frame gives it. 0 = raw
  // encodings only (models before format 8), 1 = the belief only (format 8 before 2026-12-05's
  // training code 7). Half and half keeps the belief-only polish's gain at sigma_perception 1.6 and
  // brings P1's k-step error from a raw encoding back within noise of the raw-only polish's
  // (docs/ARCHITECTURE.md, "The belief's fitted gain").
  double polish_from_belief = 0.5;
  int head_steps = 6000;        // steps for the colour head (encoder frozen)
  int probe_steps = 1000;       // steps for the position probe (encoder frozen; drawing and measuring only)
  // P1's latent variable z (issue 18): K values, one per exploration sequence, assigned by hard EM
  // in the polish (each sequence takes the z that predicts it best, every z kept on at least
  // 1 / (2K) of the sequences); 1 = no z.
  int z_values = 1;
  // Where each sequence's z comes from: false = learned (the hard EM above); true = the episode's
  // gate configuration (privileged: bit g of z = gate g open; needs 2^gates <= z_values on a map with
  // gates), the ceiling of what a z of the gates can predict (train.z_source gates).
  bool z_from_gates = false;
  ExplorationParams exploration;  // training data
  int heldout_sequences = 100;  // held-out exploration sequences for diagnostics
  PolicyTrainParams mode1;      // the Mode-1 policy, trained last (after level 2) by train_model
};

// Diagnostics kept as data (the GUI plots them; train --json prints them).
struct Level1Report {
  std::vector<float> loss_pred, loss_var, loss_cov, loss_idm;  // per logged step
  std::vector<int> logged_step;
  std::vector<float> loss_polish;       // the predictor polish's prediction loss, per logged polish step
  std::vector<int> polish_logged_step;
  std::vector<float> latent_std;        // per dimension, held-out
  double probe_r2 = 0;                  // position probe R^2 on held-out observations
  double probe_error = 0;  // the probe's own mean position error (units) on E1 of noise-free held-out frames
  double colour_accuracy = 0;           // colour head accuracy on held-out observations
  std::vector<double> kstep_probe_error;  // k = 1..16: mean probe error (units) of k-step predicted latents
  // The same unrolled from each held-out sequence's first frame instead of its middle, as models before
  // format 6 measured kstep_probe_error (with z: the mean over z under the prior), for comparing with them.
  std::vector<double> kstep_probe_error_from_start;
  // Belief filtering on held-out sequences (gain below): mean position error (units) of the probe
  // on the belief, of the probe on the raw encoding, and of the raw perceived position.
  double belief_gain = 0.5;
  double belief_error = 0, encoding_error = 0, perception_error = 0;
  // The model's fitted gain (Level1::fitted_gain, fit_belief_gain) after training, and the gain the
  // polish filtered its sequences at (fitted after the joint phase; 1 = the raw encodings).
  double fitted_gain = 0.5, polish_gain = 1;
  // The Kalman belief (belief.hpp) against fixed gains, on the odd held-out sequences, each at its best
  // parameter there (level1_diagnostics.cpp measure_kalman): the least error over fixed gains 0.05..1
  // and that gain; the least error over the gains the Kalman belief settles to, 0.05..1, that gain, the
  // raw perception's error on the same frames, and the Kalman belief's mean gain per frame 1..L
  // (kalman_gain); the Kalman belief settling at the model's fitted gain, as the agents run it; and the
  // ablation, a full gain matrix from per-dimension noise (kalman_full_gain: its steady gain per
  // dimension, kalman_q_scale: its fitted Q scale). The Kalman belief's process noise follows the
  // clearance of each move (kalman_context_ratio).
  double kalman_error = 0, fixed_error = 0, best_fixed_gain = 0, kalman_perception_error = 0;
  double best_kalman_steady_gain = 0, kalman_fitted_error = 0, kalman_full_error = 0, kalman_q_scale = 1;
  // The same filters in the latent space, on the same frames: RMS distance of the Kalman belief, of
  // the belief at best_fixed_gain and of the raw encoding to E1 of the frame with its true position
  // (the encoding the filters try to recover). The position figures above weigh only the directions
  // the probe reads; these weigh every latent dimension alike.
  double kalman_latent_error = 0, fixed_latent_error = 0, encoding_latent_error = 0;
  // What any filter of the perceived positions could reach on the same frames (units): a Kalman filter
  // on the true 2-D position that knows the world's physics and noise (level1_diagnostics.hpp
  // ideal_filter_error). The belief's errors above are read by the probe, whose own error on noise-free
  // frames (probe_error) adds to it.
  double ideal_filter_error = 0;
  // P1's one-step error ratio per clearance bin (belief.hpp kClearanceBins, from the even sequences):
  // the Kalman belief's process noise by context (train_level1 stores it in the model,
  // Level1::belief_context). The ablation: the Kalman belief with one process noise for every move, its
  // least error over steady gains within 0.15 of the Kalman belief's best, and that gain.
  std::vector<double> kalman_context_ratio;
  double kalman_scalar_error = 0, best_kalman_scalar_gain = 0;
  std::vector<float> kalman_gain, kalman_full_gain;
  Eigen::MatrixXf kalman_q, kalman_r;   // the noise estimates behind it (Q already scaled): train_level1 stores them in the model
  // With z (K > 1), the k-step figures again: each window rolled out with the z that fits it best
  // afterwards (an oracle's choice) and with the z the belief over z holds from the window's past;
  // kstep_probe_error itself is then the mean over z under the prior. z_usage: each z's share of the
  // training sequences after the last assignment; z_reassigned: sequences that changed z there.
  std::vector<double> kstep_probe_error_best_z, kstep_probe_error_believed_z;
  // z_from_gates: each window rolled out under its sequence's true gate configuration (empty otherwise).
  std::vector<double> kstep_probe_error_true_z;
  std::vector<double> z_usage;
  int z_reassigned = 0;
  double z_believed_is_best = 1;  // share of held-out windows whose believed z is their best z
  double seconds = 0;
  // Wall seconds of level 1's phases (train --json's level1_phase_seconds): the joint phase, the polish
  // beside the colour head, the z statistics, the time the probe and the diagnostics (which follow it on
  // the second thread) took beyond `beside`, and the diagnostics alone.
  double joint_seconds = 0, polish_seconds = 0, z_statistics_seconds = 0, side_extra_seconds = 0, diagnostics_seconds = 0;
  long parameters = 0;
  bool finite = true;                   // false if training stopped on a non-finite loss
  std::string message;                  // why it stopped early, if it did
  PolicyReport mode1;                   // the Mode-1 phase (train_model), after level 2
};


using ProgressFn = std::function<void(int step, int steps, const Level1Report&)>;

// k of a training on `data`: tp.unroll capped at the sequences' length (an unroll below 1 throws).
int training_unroll(const Level1TrainParams& tp, const ExplorationData& data);

// Trains the encoder and predictor, then the heads with the encoder frozen, then measures.
// `beside`, if given, runs on this thread once the encoder, predictor and colour head are final,
// while the position probe and then the held-out diagnostics (which read it) run on a second thread;
// it must not touch the probe or the report (train_model trains level 2 there). Its seconds are not
// counted in the report's.
Level1Report train_level1(Level1& model, const ExplorationData& data, const ExplorationData& heldout,
                          const Level1TrainParams& params, uint64_t seed, const ProgressFn& progress = {},
                          const std::function<void()>& beside = {});

// The joint phase one optimiser step at a time (train_level1 takes tp.steps of them; `hjepa perf
// train` times them): a batch of tp.batch windows of k = training_unroll(tp, data) steps, the
// stop-gradient targets, level1_loss forward and backward, and the guarded Adam steps.
class JointTrainer {
 public:
  // sequence_z: each exploration sequence's z (z_assignment.hpp), read at every step; null = z 0.
  // With `side` (training), the targets' encodings and the prediction term are taken in two halves
  // of the batch, the second half on that thread; without it (`perf train`: one thread) the whole
  // batch at once, the same in exact arithmetic (the halves' sums round on their own).
  JointTrainer(Level1& model, const ExplorationData& data, const Level1TrainParams& tp, uint64_t seed,
               const std::vector<int>* sequence_z = nullptr, SideThread* side = nullptr);
  // Step `step` of tp.steps; terms receives its losses. Returns the fault ("" when the step was taken).
  std::string step(int step, Level1LossTerms& terms);
  // After a fault: restores the last good parameters and returns the message that says so.
  std::string stop(const std::string& fault, int step);
  int unroll() const { return k_; }
  // Multiply-adds of one step, counted from the layer sizes: E1 over the k target frames and the
  // online frame 0 (and frame 1 with the inverse-dynamics term), P1 over k unrolled steps (its layers,
  // the Fourier map and the heading products), the inverse-dynamics head; each backward twice its
  // forward (dW and the input gradient), but for E1's first layer, whose input (the frames) takes no
  // gradient. Activations, the VICReg terms, Adam and the batch gathering are not counted.
  double multiply_adds() const;

 private:
  Level1& model_;
  const ExplorationData& data_;
  Level1TrainParams tp_;
  Rng rng_;
  int k_;
  nn::ParamList<float> trained_, enc_params_, other_params_;
  nn::Adam<float> adam_, enc_adam_;
  Checkpoint last_good_;  // parameters whose losses and gradients were finite
  std::vector<int> seq_, t0_, z_;
  const std::vector<int>* sequence_z_;
  std::vector<float> headings_;
  std::vector<MatF> frames_;
  nn::MLP<float> target_encoder_;  // used when target_ema > 0
  nn::MLP<float> replica_;         // P1's second half of the batch (unrolled_prediction_halves)
  SideThread* side_;
};

}  // namespace hjepa
