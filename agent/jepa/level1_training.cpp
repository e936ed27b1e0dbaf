// Level-1 training: unrolled latent prediction against the stop-gradient encoder, VICReg on s,
// then the colour head and position probe on the frozen encoder, then held-out diagnostics.
// F = features, D = latent, B = batch (columns), k = unroll.
#include "agent/jepa/level1_training.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <stdexcept>

#include "agent/jepa/belief.hpp"
#include "agent/jepa/level1_diagnostics.hpp"
#include "agent/jepa/level1_loss.hpp"
#include "agent/jepa/side_thread.hpp"
#include "agent/jepa/train_guard.hpp"
#include "agent/jepa/z_assignment.hpp"
#include "agent/nn/least_squares.hpp"
#include "agent/nn/loss.hpp"
#include "agent/nn/optim.hpp"

namespace hjepa {

namespace {

// Wall seconds that job() took.
template <typename Job>
double seconds_of(Job&& job) {
  const auto t0 = std::chrono::steady_clock::now();
  job();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The probe's target for frame c, its true position in [-1, 1] map coordinates, into column j of xy.
// (Element by element: g++ 12 warns of the 16-float packet path Eigen keeps for a 2-vector assigned
// to a dynamic column.)
void probe_target(const Level1& model, const ExplorationData& data, Eigen::Index c, MatF& xy, Eigen::Index j) {
  xy(0, j) = map_coordinate(data.true_xy[2 * c], model.width);
  xy(1, j) = map_coordinate(data.true_xy[2 * c + 1], model.height);
}

// The colour head (cross-entropy; planning uses it) and the position probe (MSE in [-1, 1]; drawing
// and measuring only) on the frozen encodings s_all, each with its own batches, optimiser and random
// stream (so when each one runs does not change it). Returns why training stopped early, or "".
enum class Head { Colour = 0, Probe = 1 };

std::string train_head(Level1& model, Head which, const ExplorationData& data, const MatF& s_all, const Level1TrainParams& tp,
                       uint64_t seed, const std::atomic<bool>& stop) {
  const Eigen::Index n = s_all.cols();
  const int D = model.arch.latent, HB = 256;
  // The probe has a higher rate and more steps than the colour head: at 3e-3 and 6000 steps it read
  // held-out encodings to 0.24 units on map 101, at 1e-2 to 0.19, and with 24000 steps to 0.14
  // (the perceived position itself is off by 0.13). A coarse probe adds its error to every k-step
  // figure without saying anything about the model.
  constexpr double kColourLr = 3e-3, kProbeLr = 1e-2;
  const bool colour = which == Head::Colour;
  const char* name = colour ? "colour-head" : "position-probe";
  nn::MLP<float>& net = colour ? model.colour_head : model.probe;
  const int steps = colour ? tp.head_steps : tp.probe_steps;
  const double lr = colour ? kColourLr : kProbeLr;
  Rng rng(derive_seed(seed, static_cast<uint64_t>(which)));
  nn::ParamList<float> params = net.params();
  nn::Adam<float> adam(nn::AdamParams{lr});
  nn::zero_grad(params);
  MatF s_batch(D, HB), xy_batch(2, HB);
  std::vector<int> labels(HB);
  nn::MLPCache<float> cache;
  Checkpoint good;
  good.save(params, 0);
  for (int step = 0; step < steps; ++step) {
    if (stop) return "";
    adam.hyper.lr = nn::cosine_lr(lr, step, steps);
    for (int b = 0; b < HB; ++b) {
      const Eigen::Index c = static_cast<Eigen::Index>(rng.below(n));
      s_batch.col(b) = s_all.col(c);
      if (colour) {
        labels[b] = data.colors[c];
      } else {
        probe_target(model, data, c, xy_batch, b);
      }
    }
    const MatF out = net.forward(s_batch, cache);
    double loss;
    if (colour) {
      auto ce = nn::softmax_cross_entropy<float>(out, labels);
      net.backward(ce.grad, cache);
      loss = ce.loss;
    } else {
      auto pe = nn::mse<float>(out, xy_batch);
      net.backward(pe.grad, cache);
      loss = pe.loss;
    }
    const std::string fault = guarded_step(params, non_finite_loss({{name, loss}}), good, step, [&] { adam.step(params); },
                                           {.checkpoint_every = 500, .clip_norm = 0});
    if (!fault.empty()) return stop_training(params, good, "level 1 heads", fault, "head step", step);
  }
  return "";
}

// The position probe reads a latent as the position whose noise-free encoding it is: it learns from E1
// of the training frames without perception or range noise (a probe that learns from the noisy
// encodings also learns to shrink their noise, which it then applies to beliefs and predictions that
// have none), and after its gradient steps its output layer is refitted by least squares on the same
// frames (the steps end short of that minimum: on map 2, a probe 256 wide read noise-free held-out
// frames 0.081 units off after 12000 steps, 0.047 after the refit; docs/ARCHITECTURE.md, "The position
// probe").
std::string train_probe(Level1& model, const ExplorationData& data, const Level1TrainParams& tp, uint64_t seed,
                        const std::atomic<bool>& stop) {
  if (data.noise_free_obs.empty()) throw std::logic_error("train_probe: exploration data without its noise-free frames");
  const MatF s_clean = model.encode(all_noise_free_frames(data));
  const std::string fault = train_head(model, Head::Probe, data, s_clean, tp, seed, stop);
  if (!fault.empty() || stop) return fault;
  // Every third frame: the same fit as from all of them (0.0466 against 0.0465 units on map 2, 256
  // wide), in a third of the time.
  constexpr Eigen::Index kStride = 3;
  const Eigen::Index n = (s_clean.cols() + kStride - 1) / kStride;
  MatF xy(2, n), sx(s_clean.rows(), n);
  for (Eigen::Index j = 0; j < n; ++j) {
    const Eigen::Index c = j * kStride;
    sx.col(j) = s_clean.col(c);
    probe_target(model, data, c, xy, j);
  }
  constexpr double kRidge = 1e-6;
  const nn::MLP<float> fitted_by_steps = model.probe;
  if (!std::isfinite(nn::fit_output_layer(model.probe, sx, xy, kRidge)) || !nn::all_finite(model.probe.params()))
    model.probe = fitted_by_steps;  // a degenerate solve keeps the probe of the gradient steps
  return "";
}

// The predictor polish: P1 alone on the frozen encodings, the same unrolled latent loss with a fresh
// Adam. In the joint phase P1 chases a moving encoder; with the encoder fixed it keeps improving
// (8-step probe error on maps 101-103 from 0.72 to 0.60 with 6000 steps here). Each batch is split
// in two halves, one per thread: this thread's half accumulates into P1, the other into a replica,
// whose gradients are then added in a fixed order, so the result does not depend on scheduling.
// With z (K > 1) each window takes its sequence's z, and the sequences' z are assigned afresh
// (hard EM: z_assignment.hpp) every kZReassignEvery steps of the first 80% of the polish.
constexpr int kZReassignEvery = 1000;

// train.z_source gates needs every gate configuration the data holds among the z values.
void check_z_from_gates(const ExplorationData& data, int z_values) {
  if (static_cast<int>(data.open_gates.size()) != data.sequences)
    throw std::logic_error("train.z_source gates: the exploration data records no gates");
  for (uint64_t g : data.open_gates)
    if (g >= static_cast<uint64_t>(z_values))
      throw std::logic_error("train.z_source gates: a gate configuration beyond train.z_values (train_model checks this first)");
}
constexpr double kZUsageFloor = 0.5;  // every z keeps at least this / K of the sequences

void reassign_z(const Level1& model, const ExplorationData& data, const MatF& s_all, int k, std::vector<int>& seq_z,
                Level1Report& report) {
  const std::vector<int> next =
      assign_z(z_sequence_costs(model.predictor, model.fourier, model.z_values(), data, s_all, k), kZUsageFloor / model.z_values());
  report.z_reassigned = 0;
  for (size_t q = 0; q < next.size(); ++q) report.z_reassigned += next[q] != seq_z[q];
  seq_z = next;
}

void polish_predictor(Level1& model, const ExplorationData& data, const MatF& s_all, const Level1TrainParams& tp,
                      uint64_t seed, std::vector<int>& seq_z, Level1Report& report, const ProgressFn& progress) {
  constexpr double kPolishLr = 1e-2;  // 3e-3 needed 10000 steps for what this gives in 4000; 1e-1 diverged
  const int D = model.arch.latent, PB = 256, k = training_unroll(tp, data), steps = tp.polish_steps;
  const int K = model.z_values();
  Rng rng(seed);
  nn::ParamList<float> params = model.predictor.params();
  nn::Adam<float> adam(nn::AdamParams{kPolishLr});  // a fresh optimiser: its moments start at zero
  nn::zero_grad(params);
  nn::MLP<float> replica = model.predictor;
  nn::zero_grad(replica.params());
  SideThread side;
  Checkpoint good;
  good.save(params, 0);
  // The batch in step-major layout (headings t * PB + w, targets' blocks of PB columns), sized for
  // each step's unroll; unrolled_prediction_halves takes its two halves on both cores.
  std::vector<float> headings;
  MatF s0(D, PB), targets(D, 0);
  std::vector<int> z(PB, 0), seq(PB), first(PB);  // each window's z, sequence and first frame
  const size_t latent_bytes = static_cast<size_t>(D) * sizeof(float);
  // train.polish_short_unroll (2 by default): the first half of the steps unrolls fewer predictor steps,
  // the cheaper start (2 of 6 on map 2: 8-step error 1.01-1.02x over ten training seeds, the polish 30%
  // shorter; docs/BENCHMARK.md).
  const int k_short = tp.polish_short_unroll > 0 ? std::min(tp.polish_short_unroll, k) : k;
  // train.polish_from_belief: the batch's first windows (that share of them) learn their sequence as
  // the agents hold it, the belief at the gain fitted after the joint phase (report.polish_gain), from
  // and towards it; the rest learn from the raw encodings (as all do at gain 1, where the two agree).
  const int from_belief =
      report.polish_gain < 1 ? static_cast<int>(std::lround(std::clamp(tp.polish_from_belief, 0.0, 1.0) * PB)) : 0;
  const MatF s_belief = from_belief > 0 ? filtered_encodings(model, data, static_cast<float>(report.polish_gain)) : MatF();
  for (int step = 0; step < steps; ++step) {
    const int ks = step < steps / 2 ? k_short : k;  // this step's unroll
    headings.resize(static_cast<size_t>(PB) * ks);
    targets.resize(D, static_cast<Eigen::Index>(PB) * ks);
    adam.hyper.lr = nn::cosine_lr(kPolishLr, step, steps, 0.05);
    if (K > 1 && !tp.z_from_gates && step % kZReassignEvery == 0 && step < steps * 4 / 5) reassign_z(model, data, s_all, k, seq_z, report);
    for (int w = 0; w < PB; ++w) {
      seq[w] = static_cast<int>(rng.below(data.sequences));
      first[w] = static_cast<int>(rng.below(data.length - ks + 1));
    }
    // A window's ks + 1 latents lie one after another: one read of each, the next window's fetched ahead.
    const auto window_at = [&](int w) { return (w < from_belief ? s_belief : s_all).col(data.frame_index(seq[w], first[w])).data(); };
    for (int w = 0; w < PB; ++w) {
      if (w + 1 < PB) __builtin_prefetch(window_at(w + 1));
      const float* window = window_at(w);
      const int q = seq[w], t0 = first[w];
      std::memcpy(s0.col(w).data(), window, latent_bytes);
      z[w] = seq_z[q];
      for (int t = 0; t < ks; ++t) {
        headings[static_cast<size_t>(t) * PB + w] = data.heading_at(q, t0 + t);
        std::memcpy(targets.col(static_cast<Eigen::Index>(t) * PB + w).data(), window + static_cast<size_t>(t + 1) * D, latent_bytes);
      }
    }
    const double loss = unrolled_prediction_halves<float>(model.predictor, replica, model.fourier, s0, headings.data(), ks, targets, 1.0,
                                                          true, ZColumns{K, z.data()}, &side).loss;
    const std::string fault = guarded_step(params, non_finite_loss({{"polish prediction", loss}}), good, step, [&] { adam.step(params); });
    if (!fault.empty()) {
      report.finite = false;
      report.message = stop_training(params, good, "level 1 predictor polish", fault, "polish step", step);
      return;
    }
    if (step % 50 == 0 || step == steps - 1) {
      report.polish_logged_step.push_back(step);
      report.loss_polish.push_back(static_cast<float>(loss));
      if (progress) progress(tp.steps + step, tp.steps + steps, report);
    }
  }
}

// B windows of k steps: their sequences, first frames and headings (step-major: t * B + b).
void sample_windows(const ExplorationData& data, int k, Rng& rng, std::vector<int>& seq, std::vector<int>& t0,
                    std::vector<float>& headings) {
  const int B = static_cast<int>(seq.size());
  for (int b = 0; b < B; ++b) {
    seq[b] = static_cast<int>(rng.below(data.sequences));
    t0[b] = static_cast<int>(rng.below(data.length - k + 1));
    for (int t = 0; t < k; ++t) headings[static_cast<size_t>(t) * B + b] = data.heading_at(seq[b], t0[b] + t);
  }
}

// target <- momentum target + (1 - momentum) online, parameter by parameter.
void ema_update(nn::MLP<float>& target, nn::MLP<float>& online, double momentum) {
  const auto online_params = online.params();
  const auto target_params = target.params();
  for (size_t i = 0; i < online_params.size(); ++i)
    target_params[i]->value = static_cast<float>(momentum) * target_params[i]->value +
                              static_cast<float>(1 - momentum) * online_params[i]->value;
}

// Keeps every 50th step's loss terms (and the last) and reports progress.
void log_joint_step(const Level1LossTerms& terms, int step, const Level1TrainParams& tp, Level1Report& report,
                    const ProgressFn& progress) {
  if (step % 50 != 0 && step != tp.steps - 1) return;
  report.logged_step.push_back(step);
  report.loss_pred.push_back(static_cast<float>(terms.pred));
  report.loss_var.push_back(static_cast<float>(terms.var));
  report.loss_cov.push_back(static_cast<float>(terms.cov));
  report.loss_idm.push_back(static_cast<float>(terms.idm));
  if (progress) progress(step, tp.steps + tp.polish_steps, report);
}

}  // namespace

int training_unroll(const Level1TrainParams& tp, const ExplorationData& data) {
  if (tp.unroll < 1)
    throw std::invalid_argument("train.unroll " + std::to_string(tp.unroll) + ": expected at least 1");
  return std::min(tp.unroll, data.length);
}

JointTrainer::JointTrainer(Level1& model, const ExplorationData& data, const Level1TrainParams& tp, uint64_t seed,
                           const std::vector<int>* sequence_z, SideThread* side)
    : model_(model), data_(data), tp_(tp), rng_(derive_seed(seed, 77)), k_(training_unroll(tp, data)),
      adam_(nn::AdamParams{tp.lr}), enc_adam_(nn::AdamParams{tp.lr * tp.encoder_lr_scale}),
      seq_(tp.batch), t0_(tp.batch), z_(tp.batch, 0), sequence_z_(sequence_z), headings_(static_cast<size_t>(tp.batch) * k_), frames_(k_ + 1),
      target_encoder_(model.encoder), replica_(model.predictor), side_(side) {
  nn::zero_grad(replica_.params());
  enc_params_ = model.encoder.params();
  other_params_ = model.predictor.params();
  if (tp.idm_weight > 0)
    for (auto* p : model.inverse_dynamics.params()) other_params_.push_back(p);
  trained_ = enc_params_;
  trained_.insert(trained_.end(), other_params_.begin(), other_params_.end());
  nn::zero_grad(trained_);
  last_good_.save(trained_, 0);
}

std::string JointTrainer::step(int step, Level1LossTerms& terms) {
  const int B = tp_.batch, k = k_;
  adam_.hyper.lr = nn::cosine_lr(tp_.lr, step, tp_.steps);
  enc_adam_.hyper.lr = adam_.hyper.lr * tp_.encoder_lr_scale;
  sample_windows(data_, k, rng_, seq_, t0_, headings_);
  if (sequence_z_)
    for (int b = 0; b < B; ++b) z_[b] = (*sequence_z_)[seq_[b]];
  // Targets: the same encoder without gradient (stop-grad), all k steps in one batch.
  MatF targets_in;
  gather_windows(data_, seq_, t0_, frames_, &targets_in);
  const nn::MLP<float>& target_net = tp_.target_ema > 0 ? target_encoder_ : model_.encoder;
  const Eigen::Index n = targets_in.cols(), n0 = n / 2;
  MatF targets;
  if (side_) {  // halves on both cores: column by column what one forward gives
    targets.resize(model_.arch.latent, n);
    side_->run([&] { targets.leftCols(n0) = target_net.forward(targets_in.leftCols(n0)); },
               [&] { targets.rightCols(n - n0) = target_net.forward(targets_in.rightCols(n - n0)); });
  } else {
    targets = target_net.forward(targets_in);
  }
  const Level1Nets<float> nets{&model_.encoder, &model_.predictor, &model_.fourier, &model_.inverse_dynamics};
  const Level1LossWeights weights{tp_.pred_weight, tp_.var_weight, tp_.cov_weight, tp_.idm_weight};
  const PredictionHalves<float> halves{&replica_, side_};
  terms = level1_loss<float>(nets, frames_, headings_, targets, weights, true, ZColumns{model_.z_values(), z_.data()},
                             side_ ? &halves : nullptr);
  return guarded_step(
      trained_,
      non_finite_loss({{"prediction", terms.pred}, {"variance", terms.var}, {"covariance", terms.cov}, {"inverse-dynamics", terms.idm}}),
      last_good_, step, [&] {
        if (tp_.encoder_lr_scale > 0) enc_adam_.step(enc_params_);
        if (tp_.target_ema > 0) ema_update(target_encoder_, model_.encoder, tp_.target_ema);
        adam_.step(other_params_);
      });
}

double JointTrainer::multiply_adds() const {
  const double k = k_, idm = tp_.idm_weight > 0 ? 1 : 0;
  const double e1 = model_.encoder.multiply_adds(), p1 = predictor_step_multiply_adds(model_.predictor, model_.fourier);
  const double head = idm * model_.inverse_dynamics.multiply_adds();
  // E1's first layer takes no input gradient (the frames are data): one product fewer per E1 backward.
  const double e1_input = static_cast<double>(model_.encoder.layers.front().inputs()) * model_.encoder.layers.front().outputs();
  const double forward = e1 * (k + 1 + idm) + p1 * k + head;
  const double backward = 2 * (e1 * (1 + idm) + p1 * k + head) - e1_input * (1 + idm);
  return tp_.batch * (forward + backward);
}

std::string JointTrainer::stop(const std::string& fault, int step) {
  return stop_training(trained_, last_good_, "level 1", fault, "step", step);
}

namespace {

// The joint phase: tp.steps of JointTrainer's steps. A non-finite step stops it with report.message.
void train_joint(Level1& model, const ExplorationData& data, const Level1TrainParams& tp, uint64_t seed,
                 const std::vector<int>& seq_z, Level1Report& report, const ProgressFn& progress) {
  SideThread side;
  JointTrainer trainer(model, data, tp, seed, &seq_z, &side);
  for (int step = 0; step < tp.steps; ++step) {
    Level1LossTerms terms;
    const std::string fault = trainer.step(step, terms);
    if (!fault.empty()) {
      report.finite = false;
      report.message = trainer.stop(fault, step);
      return;
    }
    log_joint_step(terms, step, tp, report, progress);
  }
}

// After the polish: the sequences' final z, each z's share (the belief's prior) and the mean
// squared one-step error per latent dimension under each sequence's z (the belief's likelihood).
void learn_z_statistics(Level1& model, const ExplorationData& data, const MatF& s_all, int k, bool learned,
                        std::vector<int>& seq_z, Level1Report& report) {
  const int K = model.z_values();
  if (K > 1 && learned) reassign_z(model, data, s_all, k, seq_z, report);
  report.z_usage = z_usage(seq_z, K);
  model.z_prior.assign(report.z_usage.begin(), report.z_usage.end());
  const Eigen::MatrixXd one_step = z_sequence_costs(model.predictor, model.fourier, K, data, s_all, 1);
  double sum = 0;
  for (size_t q = 0; q < seq_z.size(); ++q) sum += one_step(static_cast<Eigen::Index>(q), seq_z[q]);
  model.z_noise = static_cast<float>(sum / std::max<size_t>(1, seq_z.size()) / model.arch.latent);
}

// Runs side() (a head) on a second thread while mine() runs here; an exception on either side sets
// `stop`, which ends the head early, and is rethrown; the head's fault message is kept in `report`.
void beside_head(Level1Report& report, std::atomic<bool>& stop, const std::function<void()>& mine,
                 const std::function<std::string()>& side) {
  std::string side_message;
  SideThread thread;
  thread.run(mine, [&] { side_message = side(); }, [&] { stop = true; });
  if (!side_message.empty()) {
    if (report.finite) report.message = side_message;
    report.finite = false;
  }
}

// After the joint phase the encoder is frozen. Independent jobs run on its cached encodings of every
// training frame, one per core: the predictor polish (this thread) beside the colour head, then
// `beside` (the caller's job: level 2, which reads E1, P1 and the colour head) beside the position
// probe and then the held-out diagnostics, which read the probe (the belief's Q scale is fitted in
// the latent: level1_diagnostics.cpp) and write only `report`. Each touches its own network and owns
// its random stream, so the result does not depend on scheduling. Returns the seconds `beside` took.
double train_on_frozen_encoder(Level1& model, const ExplorationData& data, const ExplorationData& heldout,
                               const Level1TrainParams& tp, uint64_t seed, std::vector<int>& seq_z, Level1Report& report,
                               const ProgressFn& progress, const std::function<void()>& beside) {
  MatF s_all;
  const uint64_t head_seed = derive_seed(seed, 78);
  std::atomic<bool> stop{false};
  report.polish_seconds = seconds_of([&] {
    s_all = model.encode(all_frames(data));
    beside_head(
        report, stop,
        [&] {
          if (report.finite) polish_predictor(model, data, s_all, tp, derive_seed(seed, 79), seq_z, report, progress);
        },
        [&] { return train_head(model, Head::Colour, data, s_all, tp, head_seed, stop); });
  });
  report.z_statistics_seconds = seconds_of([&] {
    if (report.finite) learn_z_statistics(model, data, s_all, training_unroll(tp, data), !tp.z_from_gates, seq_z, report);
  });
  double beside_seconds = 0;
  const double both_seconds = seconds_of([&] {
    beside_head(
        report, stop,
        [&] {
          if (report.finite && beside) beside_seconds = seconds_of(beside);
        },
        [&] {
          const std::string fault = report.finite ? train_probe(model, data, tp, head_seed, stop) : std::string();
          if (!stop)
            report.diagnostics_seconds = seconds_of([&] { measure_level1(model, heldout, report, tp.z_from_gates); });
          return fault;
        });
  });
  report.side_extra_seconds = both_seconds - beside_seconds;
  return beside_seconds;
}

}  // namespace

Level1Report train_level1(Level1& model, const ExplorationData& data, const ExplorationData& heldout,
                          const Level1TrainParams& tp, uint64_t seed, const ProgressFn& progress,
                          const std::function<void()>& beside) {
  const auto t_start = std::chrono::steady_clock::now();
  Level1Report report;
  report.parameters = model.num_parameters();
  // Each sequence's z starts at random (P1 first learns what every z shares); the polish assigns it.
  std::vector<int> seq_z(static_cast<size_t>(data.sequences), 0);
  Rng z_rng(derive_seed(seed, 80));
  for (int& z : seq_z) z = static_cast<int>(z_rng.below(static_cast<uint64_t>(model.z_values())));
  if (tp.z_from_gates) {  // privileged: each sequence's z is its episode's gate configuration, and stays
    check_z_from_gates(data, model.z_values());
    for (size_t q = 0; q < seq_z.size(); ++q) seq_z[q] = static_cast<int>(data.open_gates[q]);
  }
  report.joint_seconds = seconds_of([&] { train_joint(model, data, tp, seed, seq_z, report, progress); });
  report.polish_gain = report.finite && tp.polish_from_belief > 0 ? fit_belief_gain(model, heldout) : 1;
  const double beside_seconds = train_on_frozen_encoder(model, data, heldout, tp, seed, seq_z, report, progress, beside);
  model.belief_q = report.kalman_q;  // the Kalman belief's noise (agent.belief.mode kalman)
  model.belief_r = report.kalman_r;
  model.belief_context.assign(report.kalman_context_ratio.begin(), report.kalman_context_ratio.end());
  model.fitted_gain = static_cast<float>(report.fitted_gain);  // agent.belief.mode fitted
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count() - beside_seconds;
  return report;
}

}  // namespace hjepa
