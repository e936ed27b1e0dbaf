// The temporal-distance objective and its backward pass (see temporal_distance.hpp).
#include "agent/jepa/temporal_distance.hpp"

#include <cmath>

namespace hjepa {

template <typename T>
nn::Mat<T> level2_encoder_input(const nn::Mat<T>& s, const FourierBasis<T>& fourier) {
  nn::Mat<T> in(s.rows() + fourier.size(), s.cols());
  in.topRows(s.rows()) = s;
  in.bottomRows(fourier.size()) = ((fourier.W * s).colwise() + fourier.b.col(0)).array().cos().matrix();
  return in;
}

template <typename T>
DistanceLossTerms temporal_distance_loss(nn::MLP<T>& encoder, const nn::Mat<T>& xa, const nn::Mat<T>& xb,
                                         const std::vector<T>& steps, const DistanceLossWeights& w, bool backward) {
  using M = nn::Mat<T>;
  const Eigen::Index B = xa.cols();
  M x(xa.rows(), 2 * B);
  x.leftCols(B) = xa;
  x.rightCols(B) = xb;
  nn::MLPCache<T> cache;
  const M h = encoder.forward(x, cache);
  const M diff = h.leftCols(B) - h.rightCols(B);  // d x B
  // d = sqrt(|diff|^2 + eps^2): smooth at 0, so the gradient is defined for identical ends.
  constexpr double kEps = 1e-3;
  Eigen::Matrix<T, 1, Eigen::Dynamic> dist = (diff.colwise().squaredNorm().array() + static_cast<T>(kEps * kEps)).sqrt();
  Eigen::Matrix<T, 1, Eigen::Dynamic> d_dist = Eigen::Matrix<T, 1, Eigen::Dynamic>::Zero(B);
  long n_bound = 0, n_spread = 0;
  for (Eigen::Index b = 0; b < B; ++b) (steps[b] > 0 ? n_bound : n_spread)++;
  DistanceLossTerms t;
  for (Eigen::Index b = 0; b < B; ++b) {
    const double d = static_cast<double>(dist(b));
    if (steps[b] > 0) {
      const double k = static_cast<double>(steps[b]), over = std::max(0.0, d - k);
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

template nn::Mat<float> level2_encoder_input<float>(const nn::Mat<float>&, const FourierBasis<float>&);
template nn::Mat<double> level2_encoder_input<double>(const nn::Mat<double>&, const FourierBasis<double>&);
template DistanceLossTerms temporal_distance_loss<float>(nn::MLP<float>&, const nn::Mat<float>&, const nn::Mat<float>&,
                                                         const std::vector<float>&, const DistanceLossWeights&, bool);
template DistanceLossTerms temporal_distance_loss<double>(nn::MLP<double>&, const nn::Mat<double>&, const nn::Mat<double>&,
                                                          const std::vector<double>&, const DistanceLossWeights&, bool);

}  // namespace hjepa
