// The latent belief: what an agent thinks its state s is, and (with P1's latent variable z, K > 1)
// which z it thinks this episode has. s starts as E1's encoding of the first observation; each step
// P1 predicts the next s under every z, the belief over z weighs each z by how well its prediction
// matches what E1 reads now (a Gaussian likelihood with the per-dimension variance measured after
// training, Level1::z_noise), and s blends the prediction expected under that belief with the reading:
// at a fixed gain (agent.belief.mode fixed or fitted), or as a Kalman filter would (kalman), with a
// variance carried from step to step (kalman_gain_step) and P1's noise scaled by the clearance ahead of
// each move (clearance_bin, Level1::belief_context). Shared by the flat and the hierarchical agent and
// by the held-out diagnostics (batched over columns).
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>

#include "agent/jepa/exploration.hpp"
#include "agent/jepa/level1.hpp"
#include "sim/env.hpp"

namespace hjepa {

// agent.belief.mode, in the order of its choices: a fixed gain (BeliefParams::gain), the gain the model
// fitted on held-out data (Level1::fitted_gain), or the Kalman belief's gain, which starts at one
// reading's uncertainty and settles at the fitted gain (kalman_gain_step; the default since 2026-12-05:
// it reads position at least as well as any fixed gain, train --json belief.kalman_error).
enum class BeliefMode { Fixed = 0, Fitted = 1, Kalman = 2 };
const char* belief_mode_name(BeliefMode m);  // "fixed", "fitted", "kalman"

struct BeliefParams {
  BeliefMode mode = BeliefMode::Kalman;
  double gain = 0.5;      // fixed: weight of the encoder's reading against the predictor's expectation, 0..1
  double min_gain = 0.5;  // kalman: the steady gain is the model's fitted gain, but at least this (0 = the fitted gain)
  double context = 1;     // kalman: P1's noise is q x ratio^context for a move's clearance bin (0 = the same for every move)
  // The gain the Kalman belief settles at: the model's fitted gain, raised to min_gain. The fitted gain
  // reads position best on exploration data (random headings); on an agent's straight runs towards a
  // goal P1's errors add up along the run and a belief that trusts it more than half lags behind
  // (ARCHITECTURE.md, "The Kalman belief").
  double steady_gain(const Level1& model) const { return std::max(static_cast<double>(model.fitted_gain), min_gain); }
  // The gain of a fixed-gain step: `gain` in mode fixed, the model's fitted gain in mode fitted, and in
  // mode kalman with a model without noise estimates the gain it would settle to.
  float fixed_gain(const Level1& model) const {
    return mode == BeliefMode::Fixed    ? static_cast<float>(gain)
           : mode == BeliefMode::Fitted ? model.fitted_gain
                                        : static_cast<float>(steady_gain(model));
  }
};

inline const char* belief_mode_name(BeliefMode m) {
  return m == BeliefMode::Fixed ? "fixed" : m == BeliefMode::Fitted ? "fitted" : "kalman";
}

// Each step the belief over z is mixed with the prior by this much, so it can follow a world that
// changes (a gate toggled in the app) and never rules a z out for good.
constexpr double kZForget = 0.02;

// Every column's prediction under every z: D x (K B), block z (columns z B .. z B + B - 1) holds
// P1(s, h, z) for the B columns of s.
inline MatF predict_all_z(const Level1& model, const MatF& s, const float* headings) {
  const int K = model.z_values();
  const Eigen::Index B = s.cols();
  if (K == 1) return model.predict(s, headings);
  std::vector<float> h(static_cast<size_t>(K * B));
  std::vector<int> z(static_cast<size_t>(K * B));
  for (int v = 0; v < K; ++v)
    for (Eigen::Index b = 0; b < B; ++b) h[v * B + b] = headings[b], z[v * B + b] = v;
  return model.predict(s.replicate(1, K), h.data(), z.data());
}

// p (K x B, each column a distribution over z) after a reading (D x B): p_z <- p_z exp(-|reading -
// expected_z|^2 / (2 z_noise)), normalised, then mixed with the prior by kZForget.
inline void update_z_belief(const Level1& model, const MatF& expected_all, const MatF& reading, Eigen::MatrixXf& p) {
  const int K = model.z_values();
  const Eigen::Index B = reading.cols();
  if (K == 1) {
    p = Eigen::MatrixXf::Ones(1, B);
    return;
  }
  const double inv = 1.0 / (2.0 * std::max(1e-6f, model.z_noise));
  std::vector<double> log_w(static_cast<size_t>(K));
  for (Eigen::Index b = 0; b < B; ++b) {
    for (int v = 0; v < K; ++v)
      log_w[v] = std::log(std::max(1e-30, static_cast<double>(p(v, b)))) -
                 inv * static_cast<double>((reading.col(b) - expected_all.col(v * B + b)).squaredNorm());
    const double top = *std::max_element(log_w.begin(), log_w.end());
    double sum = 0;
    for (double& w : log_w) sum += (w = std::exp(w - top));
    for (int v = 0; v < K; ++v)
      p(v, b) = static_cast<float>((1 - kZForget) * log_w[v] / sum + kZForget * model.z_prior[v]);
  }
}

// The prior as a belief over z for B columns (K x B).
inline Eigen::MatrixXf z_prior_belief(const Level1& model, Eigen::Index B) {
  const Eigen::Map<const Eigen::VectorXf> prior(model.z_prior.data(), static_cast<Eigen::Index>(model.z_prior.size()));
  return prior.replicate(1, B);
}

// The prediction expected under the belief: sum_z p_z P1(s, h, z), D x B.
inline MatF expected_under_z(const MatF& expected_all, const Eigen::MatrixXf& p) {
  const Eigen::Index K = p.rows(), B = p.cols();
  MatF out = MatF::Zero(expected_all.rows(), B);
  for (Eigen::Index v = 0; v < K; ++v) out += expected_all.middleCols(v * B, B) * p.row(v).asDiagonal();
  return out;
}

// One belief update's parts, for the agents' watches and traces.
struct BeliefUpdate {
  MatF expected;  // P1(belief, heading), expected under the updated belief over z
  MatF reading;   // E1(observation)
  MatF belief;    // expected + gain (reading - expected)
  float gain = 1;  // the gain of this update
};

// The Kalman belief (agent.belief.mode kalman) is one filter for every latent dimension alike. The
// encoder's noise r is the mean variance per dimension of Level1::belief_r (E1 of the perceived frame
// against E1 of the true one, on held-out data); the predictor's is q = rho r; the belief's variance p
// starts at r (the first encoding's noise) and each step p- = p + q, gain k = p- / (p- + r),
// p = (1 - k) p-. So the gain starts above its steady value, where the belief is as unsure as one
// reading, and settles as the belief gathers readings. At steady state q = k^2 r / (1 - k): rho is set
// so the filter settles at the model's fitted gain (the fixed gain that reads position best on held-out
// data), as Q measured from clean encodings misstates a prediction's error from the belief. Filters with
// a gain per latent dimension or a full gain matrix were measured against this one and lost
// (ARCHITECTURE.md, "The Kalman belief"; train --json belief.kalman_full_error).
struct KalmanNoise {
  double q = 0, r = 0;  // the predictor's and the encoder's variance per latent dimension
};

// The clearance ahead of a move, binned: the least range reading (in env.ray_max units, as perceived)
// of the three rays nearest the heading, bin b holding readings below kClearanceEdges[b] (the last bin:
// the rest, and observations without rays). P1's one-step error grows near walls, where moves are cut
// short (2.1-2.6x its mean within half a unit of one on map 2, 0.44x in the open): the Kalman belief's
// process noise follows it (Level1::belief_context). ranges: `rays` readings / ray_max.
constexpr int kClearanceBins = 6;
constexpr float kClearanceEdges[kClearanceBins - 1] = {0.1f, 0.2f, 0.3f, 0.5f, 0.8f};
inline int clearance_bin(const float* ranges, int rays, double heading) {
  if (rays <= 0) return kClearanceBins - 1;
  const int ahead = static_cast<int>(std::lround(heading / (2 * kPi / rays)));
  float least = 1;
  for (int j = -1; j <= 1; ++j) least = std::min(least, ranges[(((ahead + j) % rays) + rays) % rays]);
  int bin = 0;
  while (bin < kClearanceBins - 1 && least >= kClearanceEdges[bin]) ++bin;
  return bin;
}

// P1's error ratio in the clearance bin of a move (1 for a model without ratios, or bin -1: none).
inline double context_ratio(const Level1& model, int bin) {
  return static_cast<size_t>(bin) < model.belief_context.size() ? static_cast<double>(model.belief_context[static_cast<size_t>(bin)]) : 1.0;
}

// q / r for a filter that settles at `steady_gain` (in (0, 1]; 1: infinite, every reading trusted).
inline double kalman_noise_ratio(double steady_gain) {
  return steady_gain >= 1 ? HUGE_VAL : steady_gain * steady_gain / (1 - steady_gain);
}

// The Kalman belief's noise for a model with noise estimates, settling at `steady_gain`.
inline KalmanNoise kalman_noise(const Eigen::MatrixXf& belief_r, double steady_gain) {
  KalmanNoise n;
  n.r = belief_r.rows() > 0 ? static_cast<double>(belief_r.trace()) / static_cast<double>(belief_r.rows()) : 0;
  n.q = kalman_noise_ratio(steady_gain) * n.r;
  return n;
}
inline KalmanNoise kalman_noise(const Level1& model, const BeliefParams& params) {
  return kalman_noise(model.belief_r, params.steady_gain(model));
}

// One Kalman step on the belief's variance p (updated in place): p- = p + q, k = p- / (p- + r),
// p = (1 - k) p-. Returns k; a reading without noise (r = 0) or a prediction with infinite noise is
// taken whole (k = 1).
inline float kalman_gain_step(const KalmanNoise& n, double& p) {
  if (!(n.r > 0) || !std::isfinite(n.q)) {
    p = std::isfinite(n.q) ? 0 : n.r;
    return 1;
  }
  const double prior = p + n.q, k = prior / (prior + n.r);
  p = (1 - k) * prior;
  return static_cast<float>(k);
}

// One batched prediction step of the belief filter: P1 from the beliefs b (D x B) under every z, the
// belief over z (K x B) updated in place by the readings (D x B), and the prediction under it.
inline MatF predict_under_z_belief(const Level1& model, const MatF& b, const float* headings, const MatF& readings,
                                   Eigen::MatrixXf& z_belief) {
  const MatF all = predict_all_z(model, b, headings);
  update_z_belief(model, all, readings, z_belief);
  return expected_under_z(all, z_belief);
}

// z_belief: K values, updated in place (left alone at K = 1). variance: the Kalman belief's variance
// per latent dimension (params.mode kalman, updated in place; start an episode at kalman_noise(model, params).r,
// the first encoding's noise); a model without noise estimates (belief_r empty) steps at its fitted
// gain. context_bin: the clearance bin of the move (clearance_bin); the Kalman step's process noise is
// q x context_ratio^params.context (-1: no bin, q as it is).
inline BeliefUpdate update_belief(const Level1& model, const MatF& belief, float heading, const Observation& obs, double ray_max,
                                  const BeliefParams& params, std::vector<float>& z_belief, double* variance = nullptr,
                                  int context_bin = -1) {
  BeliefUpdate u;
  u.reading = model.encode_observation(obs, ray_max);
  Eigen::MatrixXf p = Eigen::Map<const Eigen::MatrixXf>(z_belief.data(), static_cast<Eigen::Index>(z_belief.size()), 1);
  u.expected = predict_under_z_belief(model, belief, &heading, u.reading, p);
  std::copy(p.data(), p.data() + p.size(), z_belief.begin());
  if (params.mode == BeliefMode::Kalman && variance && model.has_belief_noise()) {
    KalmanNoise n = kalman_noise(model, params);
    n.q *= std::pow(context_ratio(model, context_bin), params.context);
    u.gain = kalman_gain_step(n, *variance);
  } else {
    u.gain = params.fixed_gain(model);
  }
  u.belief = u.expected + u.gain * (u.reading - u.expected);
  return u;
}

// What a learned agent believes during an episode (both agents keep one): the latent s, the belief
// over z, the Kalman belief's variance and the gain of its last update.
struct BeliefState {
  MatF s;                // D x 1
  std::vector<float> z;  // the belief over P1's latent z (K values)
  double variance = 0;   // the Kalman belief's variance per latent dimension (agent.belief.mode kalman)
  float gain = -1;       // the gain of the last update (-1: none yet this episode)
  int context_bin = -1;  // the clearance bin of the last update's move (-1: none yet)
  std::vector<float> ranges;  // the last observation's range readings / ray_max (the next move's clearance)

  // An episode's first belief: E1's reading of the first observation, the prior over z, and the
  // variance of one reading.
  void reset(const Level1& model, const Observation& obs, double ray_max, const BeliefParams& params) {
    s = model.encode_observation(obs, ray_max);
    z = model.z_prior;
    variance = kalman_noise(model, params).r;
    gain = -1, context_bin = -1;
    keep_ranges(obs, ray_max);
  }
  // One step (update_belief) after acting at `heading`, its process noise by the clearance the move set
  // out into; returns its parts (the stuck watch reads the prediction and the reading).
  BeliefUpdate update(const Level1& model, float heading, const Observation& obs, double ray_max, const BeliefParams& params) {
    context_bin = clearance_bin(ranges.data(), static_cast<int>(ranges.size()), heading);
    BeliefUpdate u = update_belief(model, s, heading, obs, ray_max, params, z, &variance, context_bin);
    s = u.belief, gain = u.gain;
    keep_ranges(obs, ray_max);
    return u;
  }

 private:
  // As the encoder reads them (the bins were measured on its features).
  void keep_ranges(const Observation& obs, double ray_max) {
    ranges.resize(static_cast<size_t>(obs.num_rays));
    for (int k = 0; k < obs.num_rays; ++k) ranges[static_cast<size_t>(k)] = range_feature(obs.ranges[k], ray_max);
  }
};

// Every frame of `d` as the agents' belief holds it at a fixed gain: per sequence b_0 = E1(o_0), then
// b_t = P1(b_t-1, h_t-1) + gain (E1(o_t) - P1(b_t-1, h_t-1)) (under the belief over z), all sequences
// in one batch. D x S*(L+1), in ExplorationData::frame_index order.
inline MatF filtered_encodings(const Level1& model, const ExplorationData& d, float gain) {
  const MatF e = model.encode(all_frames(d));
  MatF out(e.rows(), e.cols());
  const int S = d.sequences;
  MatF b(e.rows(), S), r(e.rows(), S);
  for (int s = 0; s < S; ++s) b.col(s) = e.col(d.frame_index(s, 0)), out.col(d.frame_index(s, 0)) = b.col(s);
  Eigen::MatrixXf z = z_prior_belief(model, S);
  std::vector<float> hh(S);
  for (int t = 1; t <= d.length; ++t) {
    for (int s = 0; s < S; ++s) hh[s] = d.heading_at(s, t - 1), r.col(s) = e.col(d.frame_index(s, t));
    const MatF expected = predict_under_z_belief(model, b, hh.data(), r, z);
    b = expected + gain * (r - expected);
    for (int s = 0; s < S; ++s) out.col(d.frame_index(s, t)) = b.col(s);
  }
  return out;
}

}  // namespace hjepa
