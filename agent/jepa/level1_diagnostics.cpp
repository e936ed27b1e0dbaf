// Level 1's held-out diagnostics (see level1_diagnostics.hpp).
#include "agent/jepa/level1_diagnostics.hpp"

#include "agent/jepa/belief.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace hjepa {

double ideal_filter_error(const ExplorationData& held, const std::vector<int>& seqs, double width, double height) {
  if (held.landing_xy.empty() || seqs.empty() || held.length < 1) return std::numeric_limits<double>::quiet_NaN();
  const double q = held.noise_motion * held.noise_motion, r = held.noise_perception * held.noise_perception;
  auto perceived = [&](int s, int t) {
    const Vec2 p = perceived_position(held.obs_at(s, t), width, height);
    return Eigen::Vector2d(p.x, p.y);
  };
  auto truth = [&](int s, int t) { return Eigen::Vector2d(held.xy_at(s, t)[0], held.xy_at(s, t)[1]); };
  double error = 0;
  for (int s : seqs) {
    Eigen::Vector2d b = perceived(s, 0);
    double p = r;  // the first reading's variance per axis
    for (int t = 1; t <= held.length; ++t) {
      const Eigen::Vector2d landing(held.landing_at(s, t - 1)[0], held.landing_at(s, t - 1)[1]);
      const Eigen::Vector2d predicted = b + (landing - truth(s, t - 1));
      const double prior = p + q, k = r > 0 ? prior / (prior + r) : 1.0;
      b = predicted + k * (perceived(s, t) - predicted);
      p = (1 - k) * prior;
      error += (b - truth(s, t)).norm();
    }
  }
  return error / (static_cast<double>(seqs.size()) * held.length);
}

int clearance_bin(const ExplorationData& d, int seq, int t) {
  return clearance_bin(d.obs_at(seq, t) + 2 + kNumColors, d.features - 2 - kNumColors, d.heading_at(seq, t));
}

namespace {

// Latent spread per dimension, position probe R^2 over both coordinates, colour head accuracy.
void measure_heads(const Level1& model, const ExplorationData& held, Level1Report& r) {
  const MatF s = model.encode(all_frames(held));
  const Eigen::Index n = s.cols();
  r.latent_std.assign(s.rows(), 0);
  for (Eigen::Index i = 0; i < s.rows(); ++i) {
    const double mean = s.row(i).mean();
    r.latent_std[i] = static_cast<float>(std::sqrt((s.row(i).array() - mean).square().sum() / std::max<Eigen::Index>(1, n - 1)));
  }
  // Probe R^2 over both coordinates, and colour accuracy.
  const MatF xy = model.probe_xy(s);
  const Eigen::Map<const MatF> truth(held.true_xy.data(), 2, n);
  const Eigen::Vector2f mean = truth.rowwise().mean();
  const double sse = (xy - truth).squaredNorm(), sst = (truth.colwise() - mean).squaredNorm();
  r.probe_r2 = 1 - sse / std::max(sst, 1e-12);
  const MatF clean_xy = model.probe_xy(model.encode(all_noise_free_frames(held)));
  r.probe_error = (clean_xy - truth).colwise().norm().mean();
  const MatF logits = model.colour_logits(s);
  int correct = 0;
  for (Eigen::Index b = 0; b < n; ++b) {
    Eigen::Index best;
    logits.col(b).maxCoeff(&best);
    correct += best == held.colors[b];
  }
  r.colour_accuracy = static_cast<double>(correct) / n;
}

// One run of the belief filter over held-out sequences `seqs`, all in one batch: b_0 = E1(o_0), then
// b_t = P1(b_t-1, h_t-1) + correction(t, E1(o_t) - P1(b_t-1, h_t-1)) (a fixed gain times the innovation,
// or a gain matrix's product), with the belief over z alongside (belief.hpp). Mean probe errors over
// frames 1..L (units).
struct FilterRun {
  double belief_error = 0, encoding_error = 0, perception_error = 0;
  // RMS latent distance of the belief and of the raw encoding to E1 of the same frame with its true
  // position (the encoding without perception noise), over the same frames.
  double belief_latent_error = 0, encoding_latent_error = 0;
  // With `readout` given: the mean position error (units) of the belief read out linearly by it.
  double belief_readout_error = 0;
  Eigen::MatrixXf z_at_mid;  // the belief over z at frame `mid`
};

// Frame t of sequences `seqs` with the perceived position replaced by the true one (the range readings
// keep their noise: the belief's R and Q, which the agents' stuck watch also reads, are measured
// against these; ExplorationData::noise_free_obs, which the probe reads, has neither noise).
MatF clean_frames(const Level1& model, const ExplorationData& held, const std::vector<int>& seqs, int t) {
  MatF x = gather_frames(held, seqs, std::vector<int>(seqs.size(), 0), t);
  for (size_t i = 0; i < seqs.size(); ++i) {
    const float* tr = held.xy_at(seqs[i], t);
    x(0, static_cast<Eigen::Index>(i)) = map_coordinate(tr[0], model.width);
    x(1, static_cast<Eigen::Index>(i)) = map_coordinate(tr[1], model.height);
  }
  return x;
}

// readout: 2 x (D + 1), a linear read-out of the position from the latent ([W b]: W s + b), or null;
// given, the run measures belief_readout_error alone (the other figures stay 0).
template <class Correction>
FilterRun run_filter(const Level1& model, const ExplorationData& held, const std::vector<int>& seqs, int mid,
                     Correction&& correction, const MatF* readout = nullptr) {
  const int S = static_cast<int>(seqs.size());
  const std::vector<int> t0(S, 0);
  FilterRun out;
  Eigen::MatrixXf z_belief = z_prior_belief(model, S);
  out.z_at_mid = z_belief;
  MatF b = model.encode(gather_frames(held, seqs, t0, 0));
  std::vector<float> hh(S);
  double eb = 0, ee = 0, ep = 0, lb = 0, le = 0, lt = 0;
  for (int t = 1; t <= held.length; ++t) {
    for (int i = 0; i < S; ++i) hh[i] = held.heading_at(seqs[i], t - 1);
    const MatF x = gather_frames(held, seqs, t0, t), e = model.encode(x);
    const MatF expected = predict_under_z_belief(model, b, hh.data(), e, z_belief);
    if (t == mid) out.z_at_mid = z_belief;
    b = expected + correction(t, MatF(e - expected));
    if (readout) {  // the gain's fit reads this alone: no clean encodings, no probe (untrained before the polish)
      for (int i = 0; i < S; ++i) {
        const Eigen::Vector2f p = readout->leftCols(readout->cols() - 1) * b.col(i) + readout->rightCols(1);
        const float* tr = held.xy_at(seqs[i], t);
        lt += std::hypot(p(0) - tr[0], p(1) - tr[1]);
      }
      continue;
    }
    const MatF c = model.encode(clean_frames(model, held, seqs, t));
    lb += static_cast<double>((b - c).squaredNorm());
    le += static_cast<double>((e - c).squaredNorm());
    const MatF pb = model.probe_xy(b), pe = model.probe_xy(e);
    for (int i = 0; i < S; ++i) {
      const float* tr = held.xy_at(seqs[i], t);
      const Vec2 perceived = perceived_position(&x(0, i), model.width, model.height);
      eb += std::hypot(pb(0, i) - tr[0], pb(1, i) - tr[1]);
      ee += std::hypot(pe(0, i) - tr[0], pe(1, i) - tr[1]);
      ep += std::hypot(perceived.x - tr[0], perceived.y - tr[1]);
    }
  }
  const double n_frames = static_cast<double>(S) * held.length;
  out.belief_error = eb / n_frames, out.encoding_error = ee / n_frames, out.perception_error = ep / n_frames;
  out.belief_latent_error = std::sqrt(lb / n_frames), out.encoding_latent_error = std::sqrt(le / n_frames);
  out.belief_readout_error = lt / n_frames;
  return out;
}

// The belief at the model's fixed gain over every held-out sequence. Returns the belief over z at `mid`.
Eigen::MatrixXf measure_belief(const Level1& model, const ExplorationData& held, int mid, Level1Report& r) {
  std::vector<int> all(held.sequences);
  for (int i = 0; i < held.sequences; ++i) all[i] = i;
  const float g = static_cast<float>(r.belief_gain);
  const FilterRun run = run_filter(model, held, all, mid, [&](int, const MatF& d) -> MatF { return g * d; });
  r.belief_error = run.belief_error, r.encoding_error = run.encoding_error, r.perception_error = run.perception_error;
  return run.z_at_mid;
}

// From sequences `seqs`: the encoder's observation noise R (E1 of the perceived observation against E1
// of the same frame with the true position, i.e. without perception noise) and the predictor's process
// noise Q (P1 from one such clean encoding against the next), as D x D second moments: perception noise
// moves the latent along the few directions position takes, so its dimensions are correlated.
// Also P1's mean squared one-step error in each clearance bin (clearance_bin of the frame it predicts
// from) against its mean over all frames: `context` (kClearanceBins ratios; 1 for an empty bin).
void estimate_noise(const Level1& model, const ExplorationData& held, const std::vector<int>& seqs, Eigen::MatrixXf& Q,
                    Eigen::MatrixXf& R, std::vector<double>& context) {
  const int S = static_cast<int>(seqs.size());
  const std::vector<int> t0(S, 0);
  const Eigen::Index D = model.arch.latent;
  Eigen::MatrixXd sq = Eigen::MatrixXd::Zero(D, D), sr = Eigen::MatrixXd::Zero(D, D);
  std::vector<double> bin_sum(kClearanceBins, 0), bin_count(kClearanceBins, 0);
  std::vector<float> hh(S);
  MatF c = model.encode(clean_frames(model, held, seqs, 0));
  const Eigen::MatrixXf prior = z_prior_belief(model, S);
  for (int t = 1; t <= held.length; ++t) {
    for (int i = 0; i < S; ++i) hh[i] = held.heading_at(seqs[i], t - 1);
    const MatF next = model.encode(clean_frames(model, held, seqs, t)), noisy = model.encode(gather_frames(held, seqs, t0, t));
    const MatF dq = expected_under_z(predict_all_z(model, c, hh.data()), prior) - next, dr = noisy - next;
    sq += (dq * dq.transpose()).cast<double>();
    sr += (dr * dr.transpose()).cast<double>();
    for (int i = 0; i < S; ++i) {
      const int bin = clearance_bin(held, seqs[i], t - 1);
      bin_sum[bin] += static_cast<double>(dq.col(i).squaredNorm()), bin_count[bin] += 1;
    }
    c = next;
  }
  const double n = static_cast<double>(S) * held.length;
  Q = (sq / n).cast<float>();
  R = (sr / n).cast<float>();
  const double mean = sq.trace() / n;
  context.assign(kClearanceBins, 1.0);
  for (int b = 0; b < kClearanceBins; ++b)
    if (bin_count[b] > 0 && mean > 0) context[b] = bin_sum[b] / bin_count[b] / mean;
}

// One run of the Kalman belief (belief.hpp) over sequences `seqs`, settling at `steady` for a move of
// ratio 1: each step's process noise is the steady q times `context`'s ratio for the clearance bin of
// the move (all 1: one process noise for every move), each sequence with its own variance. gains, if
// given: the mean gain per frame 1..L over the sequences.
FilterRun kalman_run(const Level1& model, const ExplorationData& held, const std::vector<int>& seqs, int mid,
                     const Eigen::MatrixXf& R, double steady, const std::vector<double>& context, std::vector<float>* gains = nullptr) {
  const KalmanNoise n = kalman_noise(R, steady);
  std::vector<double> p(seqs.size(), n.r);
  if (gains) gains->assign(static_cast<size_t>(held.length), 0.f);
  return run_filter(model, held, seqs, mid, [&](int t, const MatF& d) -> MatF {
    MatF out = d;
    for (size_t i = 0; i < seqs.size(); ++i) {
      const KalmanNoise ni{n.q * context[static_cast<size_t>(clearance_bin(held, seqs[i], t - 1))], n.r};
      const float k = kalman_gain_step(ni, p[i]);
      out.col(static_cast<Eigen::Index>(i)) *= k;
      if (gains) (*gains)[static_cast<size_t>(t - 1)] += k / static_cast<float>(seqs.size());
    }
    return out;
  });
}

// The Kalman belief (belief.hpp) against fixed gains, every filter measured on the odd held-out
// sequences. Each filter at its best parameter there, in steps of 0.05: the fixed gain, and the gain
// the Kalman belief settles to (its ratio q / r); the Kalman belief also at the model's fitted gain, as
// the agents run it. The ablation: a full gain matrix from per-dimension noise (Q and R estimated on the
// even sequences, P_0 = R, P- = P + s Q, K = P- (P- + R)^-1, P = (I - K) P-), with its Q scale s fitted
// on the even sequences; the model keeps that R and s Q (the agents' stuck watch reads them, and the
// Kalman belief R's mean variance).
void measure_kalman(const Level1& model, const ExplorationData& held, int mid, Level1Report& rep) {
  std::vector<int> fit, test;
  for (int i = 0; i < held.sequences; ++i) (i % 2 ? test : fit).push_back(i);
  if (fit.empty() || test.empty()) return;
  Eigen::MatrixXf Q, R;
  estimate_noise(model, held, fit, Q, R, rep.kalman_context_ratio);
  const Eigen::Index D = Q.rows();
  auto gain_schedule = [&](float q_scale) {
    std::vector<Eigen::MatrixXf> gains(held.length + 1);
    Eigen::MatrixXf P = R;
    for (int t = 1; t <= held.length; ++t) {
      const Eigen::MatrixXf prior = P + q_scale * Q;
      const Eigen::MatrixXf S = prior + R + 1e-9f * Eigen::MatrixXf::Identity(D, D);
      gains[t] = S.ldlt().solve(prior).transpose();  // prior S^-1 (both symmetric)
      P = (Eigen::MatrixXf::Identity(D, D) - gains[t]) * prior;
    }
    return gains;
  };
  // Q measured from clean encodings is not the error of a prediction from the belief: its scale is
  // fitted on the even sequences too, by the least RMS latent error of the belief (against E1 of each
  // frame without perception noise) over 1/8 .. 8: in the latent, where the filter and the stuck watch
  // work, so the position probe (a measuring instrument) decides nothing the agents do.
  double best = 1e30;
  for (float scale = 0.125f; scale <= 8.f; scale *= 2) {
    const std::vector<Eigen::MatrixXf> g = gain_schedule(scale);
    const double e = run_filter(model, held, fit, mid, [&](int t, const MatF& d) -> MatF { return g[t] * d; }).belief_latent_error;
    if (e < best) best = e, rep.kalman_q_scale = scale;
  }
  const std::vector<Eigen::MatrixXf> gains = gain_schedule(static_cast<float>(rep.kalman_q_scale));
  rep.kalman_q = static_cast<float>(rep.kalman_q_scale) * Q;
  rep.kalman_r = R;
  rep.kalman_full_error = run_filter(model, held, test, mid, [&](int t, const MatF& d) -> MatF { return gains[t] * d; }).belief_error;
  rep.kalman_full_gain.assign(D, 0);
  for (Eigen::Index i = 0; i < D; ++i) rep.kalman_full_gain[i] = gains.back()(i, i);
  // The Kalman belief, its process noise by the move's clearance (the ratios from the even sequences),
  // at its best steady gain; at the model's fitted gain, as the agents run it; and the ablation, one
  // process noise for every move, swept within 0.15 of the Kalman belief's best steady gain (on map 2
  // at sigma_perception 0.1-0.8 a full sweep chose within 0.05 of it).
  const std::vector<double>& context = rep.kalman_context_ratio;
  rep.kalman_fitted_error = kalman_run(model, held, test, mid, R, rep.fitted_gain, context).belief_error;
  rep.ideal_filter_error = ideal_filter_error(held, test, model.width, model.height);
  rep.kalman_error = rep.fixed_error = rep.kalman_scalar_error = 1e30;
  for (int k = 1; k <= 20; ++k) {
    const float g = 0.05f * k;
    const FilterRun fixed = run_filter(model, held, test, mid, [&](int, const MatF& d) -> MatF { return g * d; });
    if (fixed.belief_error < rep.fixed_error)
      rep.fixed_error = fixed.belief_error, rep.best_fixed_gain = 0.05 * k, rep.fixed_latent_error = fixed.belief_latent_error;
    std::vector<float> mean_gains;
    const FilterRun kalman = kalman_run(model, held, test, mid, R, 0.05 * k, context, &mean_gains);
    if (kalman.belief_error < rep.kalman_error) {
      rep.kalman_error = kalman.belief_error, rep.best_kalman_steady_gain = 0.05 * k;
      rep.kalman_perception_error = kalman.perception_error;
      rep.kalman_latent_error = kalman.belief_latent_error;
      rep.encoding_latent_error = kalman.encoding_latent_error;
      rep.kalman_gain = mean_gains;
    }
  }
  const std::vector<double> flat(context.size(), 1.0);
  const int centre = static_cast<int>(std::lround(rep.best_kalman_steady_gain / 0.05));
  for (int k = std::max(1, centre - 3); k <= std::min(20, centre + 3); ++k) {
    const double e = kalman_run(model, held, test, mid, R, 0.05 * k, flat).belief_error;
    if (e < rep.kalman_scalar_error) rep.kalman_scalar_error = e, rep.best_kalman_scalar_gain = 0.05 * k;
  }
}

// k-step prediction: unroll from each held-out sequence's middle frame (so the belief over z has
// the first half to go on) with the true headings, under every z at once (block z of the columns);
// per window the z that fits it best afterwards and the one the belief held at its start.
void measure_kstep(const Level1& model, const ExplorationData& held, int mid, const Eigen::MatrixXf& z_at_mid, bool z_from_gates,
                   Level1Report& r) {
  const int S = held.sequences, K = std::min(16, held.length - mid), Z = model.z_values();
  std::vector<int> seq_all(S), t_all(S, 0);
  for (int i = 0; i < S; ++i) seq_all[i] = i;
  std::vector<int> z_cols(static_cast<size_t>(Z) * S);
  for (int v = 0; v < Z; ++v)
    for (int i = 0; i < S; ++i) z_cols[static_cast<size_t>(v) * S + i] = v;
  MatF sk = model.encode(gather_frames(held, seq_all, t_all, mid)).replicate(1, Z);
  std::vector<float> h(static_cast<size_t>(Z) * S);
  Eigen::MatrixXd err(static_cast<Eigen::Index>(Z) * S, K);  // (z, sequence) x k
  for (int k = 1; k <= K; ++k) {
    for (int v = 0; v < Z; ++v)
      for (int i = 0; i < S; ++i) h[static_cast<size_t>(v) * S + i] = held.heading_at(i, mid + k - 1);
    sk = model.predict(sk, h.data(), z_cols.data());
    const MatF p = model.probe_xy(sk);
    for (int c = 0; c < Z * S; ++c) {
      const float* t = held.xy_at(c % S, mid + k);
      err(c, k - 1) = std::hypot(p(0, c) - t[0], p(1, c) - t[1]);
    }
  }
  r.kstep_probe_error.assign(K, 0);
  r.kstep_probe_error_best_z.assign(K, 0);
  r.kstep_probe_error_believed_z.assign(K, 0);
  int agree = 0;
  for (int i = 0; i < S; ++i) {
    int best = 0, believed = 0;
    for (int v = 1; v < Z; ++v) {
      if (err.row(v * S + i).sum() < err.row(best * S + i).sum()) best = v;
      if (z_at_mid(v, i) > z_at_mid(believed, i)) believed = v;
    }
    agree += best == believed;
    for (int k = 0; k < K; ++k) {
      for (int v = 0; v < Z; ++v) r.kstep_probe_error[k] += model.z_prior[v] * err(v * S + i, k) / S;
      r.kstep_probe_error_best_z[k] += err(best * S + i, k) / S;
      r.kstep_probe_error_believed_z[k] += err(believed * S + i, k) / S;
    }
  }
  r.z_believed_is_best = static_cast<double>(agree) / std::max(1, S);
  r.kstep_probe_error_true_z.clear();
  if (!z_from_gates || static_cast<int>(held.open_gates.size()) != S) return;
  r.kstep_probe_error_true_z.assign(K, 0);
  for (int i = 0; i < S; ++i) {
    const uint64_t v = held.open_gates[i];
    if (v >= static_cast<uint64_t>(Z)) throw std::logic_error("measure_kstep: a gate configuration beyond the model's z values");
    for (int k = 0; k < K; ++k) r.kstep_probe_error_true_z[k] += err(static_cast<Eigen::Index>(v) * S + i, k) / S;
  }
}

}  // namespace

double fit_belief_gain(const Level1& model, const ExplorationData& held) {
  if (held.noise_free_obs.empty()) throw std::logic_error("fit_belief_gain: held-out data without its noise-free frames");
  std::vector<int> all(held.sequences);
  for (int i = 0; i < held.sequences; ++i) all[i] = i;
  // The read-out: least squares from E1 of the noise-free frames to their true positions.
  const MatF e = model.encode(all_noise_free_frames(held));
  const Eigen::Index D = e.rows(), n = e.cols();
  Eigen::MatrixXd X(n, D + 1), Y(n, 2);
  X.leftCols(D) = e.transpose().cast<double>();
  X.col(D).setOnes();
  for (Eigen::Index c = 0; c < n; ++c) Y(c, 0) = held.true_xy[2 * c], Y(c, 1) = held.true_xy[2 * c + 1];
  const Eigen::MatrixXd W = (X.transpose() * X + 1e-6 * Eigen::MatrixXd::Identity(D + 1, D + 1)).ldlt().solve(X.transpose() * Y);
  const MatF readout = W.transpose().cast<float>();
  double best = 1e30, best_gain = 1;
  for (int k = 1; k <= kFittedGainSteps; ++k) {
    const float g = static_cast<float>(k) / kFittedGainSteps;
    const double e =
        run_filter(model, held, all, 0, [&](int, const MatF& d) -> MatF { return g * d; }, &readout).belief_readout_error;
    if (e < best) best = e, best_gain = g;
  }
  return best_gain;
}

void measure_level1(const Level1& model, const ExplorationData& held, Level1Report& r, bool z_from_gates) {
  measure_heads(model, held, r);
  // The k-step windows start at the middle, or earlier where 16 steps would not fit after it.
  const int mid = std::clamp(held.length - 16, 0, held.length / 2);
  const Eigen::MatrixXf z_at_mid = measure_belief(model, held, mid, r);
  r.fitted_gain = fit_belief_gain(model, held);  // first: measure_kalman runs the Kalman belief settling at it
  measure_kalman(model, held, mid, r);
  measure_kstep(model, held, mid, z_at_mid, z_from_gates, r);
  // The same from each sequence's first frame, where models before format 6 measured it (z under its
  // prior): the figure to set beside an older binary's kstep_probe_error.
  Level1Report from_start;
  const Eigen::Map<const Eigen::VectorXf> prior(model.z_prior.data(), model.z_values());
  measure_kstep(model, held, 0, prior.replicate(1, held.sequences), false, from_start);
  r.kstep_probe_error_from_start = from_start.kstep_probe_error;
}

}  // namespace hjepa
