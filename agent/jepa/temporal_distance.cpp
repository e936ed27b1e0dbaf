// The temporal-distance objective and its backward pass (see temporal_distance.hpp).
#include "agent/jepa/temporal_distance.hpp"

#include <cmath>
#include <utility>

#include "agent/jepa/batch_halves.hpp"

namespace hjepa {

template <typename T>
nn::Mat<T> level2_encoder_input(const nn::Mat<T>& s, const FourierBasis<T>& fourier) {
  nn::Mat<T> in(s.rows() + fourier.size(), s.cols());
  in.topRows(s.rows()) = s;
  in.bottomRows(fourier.size()) = ((fourier.W * s).colwise() + fourier.b.col(0)).array().cos().matrix();
  return in;
}

namespace {

// The batch's bound and spread pairs: how many of each.
template <typename T>
std::pair<long, long> count_pairs(const std::vector<T>& steps) {
  long n_bound = 0;
  for (T k : steps) n_bound += k > 0;
  return {n_bound, static_cast<long>(steps.size()) - n_bound};
}

// The loss of pairs [first, first + B) of the batch, each term's mean taken over the whole batch's
// pairs of its kind (n_bound, n_spread).
template <typename T>
DistanceLossTerms distance_loss_part(nn::MLP<T>& encoder, const nn::Mat<T>& xa, const nn::Mat<T>& xb, const std::vector<T>& steps,
                                     Eigen::Index first, Eigen::Index B, std::pair<long, long> counts,
                                     const DistanceLossWeights& w, bool backward) {
  const auto [n_bound, n_spread] = counts;
  using M = nn::Mat<T>;
  M x(xa.rows(), 2 * B);
  x.leftCols(B) = xa.middleCols(first, B);
  x.rightCols(B) = xb.middleCols(first, B);
  nn::MLPCache<T> cache;
  const M h = encoder.forward(x, cache);
  const M diff = h.leftCols(B) - h.rightCols(B);  // d x B
  // d = sqrt(|diff|^2 + eps^2): smooth at 0, so the gradient is defined for identical ends.
  constexpr double kEps = 1e-3;
  Eigen::Matrix<T, 1, Eigen::Dynamic> dist = (diff.colwise().squaredNorm().array() + static_cast<T>(kEps * kEps)).sqrt();
  Eigen::Matrix<T, 1, Eigen::Dynamic> d_dist = Eigen::Matrix<T, 1, Eigen::Dynamic>::Zero(B);
  DistanceLossTerms t;
  for (Eigen::Index b = 0; b < B; ++b) {
    const double d = static_cast<double>(dist(b));
    if (steps[first + b] > 0) {
      const double k = static_cast<double>(steps[first + b]), over = std::max(0.0, d - k);
      t.bound += over * over / n_bound;
      t.bound_ratio += d / k / n_bound;
      d_dist(b) = static_cast<T>(w.bound * 2 * over / n_bound);
    } else {
      const double z = w.margin - d;  // softplus(z), stable for large |z|
      t.spread += (z > 30 ? z : std::log1p(std::exp(z))) / n_spread;
      d_dist(b) = static_cast<T>(-w.spread / (1 + std::exp(-z)) / n_spread);
    }
  }
  t.total = w.bound * t.bound + w.spread * t.spread;
  if (!backward) return t;
  M dh(h.rows(), 2 * B);
  const M ddiff = diff.array().rowwise() * (d_dist.array() / dist.array());
  dh.leftCols(B) = ddiff;
  dh.rightCols(B) = -ddiff;
  encoder.backward_params(dh, cache);  // its input (the frozen E1's latents) takes no gradient
  return t;
}

}  // namespace

template <typename T>
DistanceLossTerms temporal_distance_loss(nn::MLP<T>& encoder, const nn::Mat<T>& xa, const nn::Mat<T>& xb,
                                         const std::vector<T>& steps, const DistanceLossWeights& w, bool backward) {
  const Eigen::Index B = xa.cols();
  return distance_loss_part(encoder, xa, xb, steps, 0, B, count_pairs(steps), w, backward);
}

template <typename T>
DistanceLossTerms temporal_distance_loss_halves(nn::MLP<T>& encoder, nn::MLP<T>& replica, const nn::Mat<T>& xa,
                                                const nn::Mat<T>& xb, const std::vector<T>& steps,
                                                const DistanceLossWeights& w, bool backward, SideThread* side) {
  const Eigen::Index B = xa.cols();
  const std::pair<long, long> counts = count_pairs(steps);
  const auto half = on_batch_halves(encoder, replica, B, backward, side, [&](nn::MLP<T>& net, Eigen::Index f, Eigen::Index cols) {
    return distance_loss_part(net, xa, xb, steps, f, cols, counts, w, backward);
  });
  DistanceLossTerms t;
  t.bound = half[0].bound + half[1].bound;
  t.spread = half[0].spread + half[1].spread;
  t.bound_ratio = half[0].bound_ratio + half[1].bound_ratio;
  t.total = w.bound * t.bound + w.spread * t.spread;
  return t;
}

template nn::Mat<float> level2_encoder_input<float>(const nn::Mat<float>&, const FourierBasis<float>&);
template nn::Mat<double> level2_encoder_input<double>(const nn::Mat<double>&, const FourierBasis<double>&);
template DistanceLossTerms temporal_distance_loss<float>(nn::MLP<float>&, const nn::Mat<float>&, const nn::Mat<float>&,
                                                         const std::vector<float>&, const DistanceLossWeights&, bool);
template DistanceLossTerms temporal_distance_loss<double>(nn::MLP<double>&, const nn::Mat<double>&, const nn::Mat<double>&,
                                                          const std::vector<double>&, const DistanceLossWeights&, bool);
template DistanceLossTerms temporal_distance_loss_halves<float>(nn::MLP<float>&, nn::MLP<float>&, const nn::Mat<float>&,
                                                                const nn::Mat<float>&, const std::vector<float>&,
                                                                const DistanceLossWeights&, bool, SideThread*);
template DistanceLossTerms temporal_distance_loss_halves<double>(nn::MLP<double>&, nn::MLP<double>&, const nn::Mat<double>&,
                                                                 const nn::Mat<double>&, const std::vector<double>&,
                                                                 const DistanceLossWeights&, bool, SideThread*);

}  // namespace hjepa
