// Level 1's held-out diagnostics (see level1_diagnostics.hpp).
#include "agent/jepa/level1_diagnostics.hpp"

#include "agent/jepa/belief.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hjepa {

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
  const MatF logits = model.colour_logits(s);
  int correct = 0;
  for (Eigen::Index b = 0; b < n; ++b) {
    Eigen::Index best;
    logits.col(b).maxCoeff(&best);
    correct += best == held.colors[b];
  }
  r.colour_accuracy = static_cast<double>(correct) / n;
}

// Belief: b_t = P1(b_t-1, h_t-1) + gain (E1(o_t) - P1(b_t-1, h_t-1)), all sequences in one batch, with
// the belief over z alongside (belief.hpp). Returns the belief over z at frame `mid`.
Eigen::MatrixXf measure_belief(const Level1& model, const ExplorationData& held, int mid, Level1Report& r) {
  const int S = held.sequences;
  std::vector<int> seq_all(S), t_all(S, 0);
  for (int i = 0; i < S; ++i) seq_all[i] = i;
  Eigen::MatrixXf z_belief = z_prior_belief(model, S), z_at_mid = z_belief;
  {
    MatF b = model.encode(gather_frames(held, seq_all, t_all, 0));
    std::vector<float> hh(S);
    double eb = 0, ee = 0, ep = 0;
    for (int t = 1; t <= held.length; ++t) {
      for (int i = 0; i < S; ++i) hh[i] = held.heading_at(i, t - 1);
      const MatF x = gather_frames(held, seq_all, t_all, t), e = model.encode(x), all = predict_all_z(model, b, hh.data());
      update_z_belief(model, all, e, z_belief);
      if (t == mid) z_at_mid = z_belief;
      const MatF expected = expected_under_z(all, z_belief);
      b = expected + static_cast<float>(r.belief_gain) * (e - expected);
      const MatF pb = model.probe_xy(b), pe = model.probe_xy(e);
      for (int i = 0; i < S; ++i) {
        const float* tr = held.xy_at(i, t);
        const double px = (x(0, i) + 1) * model.width / 2, py = (x(1, i) + 1) * model.height / 2;  // perceived
        eb += std::hypot(pb(0, i) - tr[0], pb(1, i) - tr[1]);
        ee += std::hypot(pe(0, i) - tr[0], pe(1, i) - tr[1]);
        ep += std::hypot(px - tr[0], py - tr[1]);
      }
    }
    const double n_frames = static_cast<double>(S) * held.length;
    r.belief_error = eb / n_frames, r.encoding_error = ee / n_frames, r.perception_error = ep / n_frames;
  }
  return z_at_mid;
}

// k-step prediction: unroll from each held-out sequence's middle frame (so the belief over z has
// the first half to go on) with the true headings, under every z at once (block z of the columns);
// per window the z that fits it best afterwards and the one the belief held at its start.
void measure_kstep(const Level1& model, const ExplorationData& held, int mid, const Eigen::MatrixXf& z_at_mid, Level1Report& r) {
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
}

}  // namespace

void measure_level1(const Level1& model, const ExplorationData& held, Level1Report& r) {
  measure_heads(model, held, r);
  // The k-step windows start at the middle, or earlier where 16 steps would not fit after it.
  const int mid = std::clamp(held.length - 16, 0, held.length / 2);
  const Eigen::MatrixXf z_at_mid = measure_belief(model, held, mid, r);
  measure_kstep(model, held, mid, z_at_mid, r);
}

}  // namespace hjepa
