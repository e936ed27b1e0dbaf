// Level 1's held-out diagnostics (see level1_diagnostics.hpp).
#include "agent/jepa/level1_diagnostics.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hjepa {

void measure_level1(const Level1& model, const ExplorationData& held, Level1Report& r) {
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
  // Belief: b_t = P1(b_t-1, h_t-1) + gain (E1(o_t) - P1(b_t-1, h_t-1)), all sequences in one batch.
  {
    std::vector<int> seq_all(held.sequences), t_all(held.sequences, 0);
    for (int i = 0; i < held.sequences; ++i) seq_all[i] = i;
    MatF b = model.encode(gather_frames(held, seq_all, t_all, 0));
    std::vector<float> hh(held.sequences);
    double eb = 0, ee = 0, ep = 0;
    for (int t = 1; t <= held.length; ++t) {
      for (int i = 0; i < held.sequences; ++i) hh[i] = held.heading_at(i, t - 1);
      const MatF x = gather_frames(held, seq_all, t_all, t), e = model.encode(x), expected = model.predict(b, hh.data());
      b = expected + static_cast<float>(r.belief_gain) * (e - expected);
      const MatF pb = model.probe_xy(b), pe = model.probe_xy(e);
      for (int i = 0; i < held.sequences; ++i) {
        const float* tr = held.xy_at(i, t);
        const double px = (x(0, i) + 1) * model.width / 2, py = (x(1, i) + 1) * model.height / 2;  // perceived
        eb += std::hypot(pb(0, i) - tr[0], pb(1, i) - tr[1]);
        ee += std::hypot(pe(0, i) - tr[0], pe(1, i) - tr[1]);
        ep += std::hypot(px - tr[0], py - tr[1]);
      }
    }
    const double n_frames = static_cast<double>(held.sequences) * held.length;
    r.belief_error = eb / n_frames, r.encoding_error = ee / n_frames, r.perception_error = ep / n_frames;
  }
  // k-step prediction: unroll from each held-out sequence start with the true headings.
  const int K = std::min(16, held.length);
  std::vector<int> seq(held.sequences), zero(held.sequences, 0);
  for (int i = 0; i < held.sequences; ++i) seq[i] = i;
  MatF sk = model.encode(gather_frames(held, seq, zero, 0));
  std::vector<float> h(held.sequences);
  r.kstep_probe_error.assign(K, 0);
  for (int k = 1; k <= K; ++k) {
    for (int i = 0; i < held.sequences; ++i) h[i] = held.heading_at(i, k - 1);
    sk = model.predict(sk, h.data());
    const MatF p = model.probe_xy(sk);
    double err = 0;
    for (int i = 0; i < held.sequences; ++i) {
      const float* t = held.xy_at(i, k);
      err += std::hypot(p(0, i) - t[0], p(1, i) - t[1]);
    }
    r.kstep_probe_error[k - 1] = err / held.sequences;
  }
}

}  // namespace hjepa
