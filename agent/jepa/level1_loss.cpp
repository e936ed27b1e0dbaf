// The level-1 batch objective and its backward pass (see level1_loss.hpp).
#include "agent/jepa/level1_loss.hpp"

#include <cmath>

#include "agent/nn/loss.hpp"

namespace hjepa {

template <typename T>
Level1LossTerms level1_loss(const Level1Nets<T>& nets, const std::vector<nn::Mat<T>>& frames,
                            const std::vector<T>& headings, const nn::Mat<T>& targets,
                            const Level1LossWeights& w, bool backward, ZColumns zc, const PredictionHalves<T>* halves) {
  using M = nn::Mat<T>;
  const int k = static_cast<int>(frames.size()) - 1;
  const Eigen::Index B = frames[0].cols();
  Level1LossTerms terms;

  nn::MLPCache<T> enc_cache, enc1_cache, idm_cache;
  const M s0 = nets.encoder->forward(frames[0], enc_cache);
  const Eigen::Index D = s0.rows();
  UnrolledPrediction<T> pred =
      halves ? unrolled_prediction_halves<T>(*nets.predictor, *halves->replica, *nets.fourier, s0, headings.data(), k, targets,
                                             w.pred, backward, zc, halves->side)
             : unrolled_prediction<T>(*nets.predictor, *nets.fourier, s0, headings.data(), k, targets, w.pred, backward, zc);
  terms.pred = pred.loss;
  M& d_s0 = pred.d_s0;  // empty without backward
  auto var = nn::vicreg_variance<T>(s0);
  auto cov = nn::vicreg_covariance<T>(s0);
  terms.var = var.loss;
  terms.cov = cov.loss;

  M s1, d_s1;
  if (w.idm > 0) {
    s1 = nets.encoder->forward(frames[1], enc1_cache);
    M pair(2 * D, B), dir(2, B);
    pair.topRows(D) = s0;
    pair.bottomRows(D) = s1;
    for (Eigen::Index b = 0; b < B; ++b) dir(0, b) = std::cos(headings[b]), dir(1, b) = std::sin(headings[b]);
    auto l = nn::mse<T>(nets.inverse_dynamics->forward(pair, idm_cache), dir);
    terms.idm = l.loss;
    if (backward) {
      const M d_pair = nets.inverse_dynamics->backward(l.grad * static_cast<T>(w.idm), idm_cache);
      d_s1 = d_pair.bottomRows(D);
      d_s0 += d_pair.topRows(D);
    }
  }
  terms.total = w.pred * terms.pred + w.var * terms.var + w.cov * terms.cov + w.idm * terms.idm;
  if (!backward) return terms;

  d_s0 += var.grad * static_cast<T>(w.var) + cov.grad * static_cast<T>(w.cov);
  nets.encoder->backward_params(d_s0, enc_cache);  // the frames are data: no gradient for them
  if (w.idm > 0) nets.encoder->backward_params(d_s1, enc1_cache);
  return terms;
}

template Level1LossTerms level1_loss<float>(const Level1Nets<float>&, const std::vector<nn::Mat<float>>&,
                                            const std::vector<float>&, const nn::Mat<float>&, const Level1LossWeights&, bool, ZColumns,
                                            const PredictionHalves<float>*);
template Level1LossTerms level1_loss<double>(const Level1Nets<double>&, const std::vector<nn::Mat<double>>&,
                                             const std::vector<double>&, const nn::Mat<double>&, const Level1LossWeights&, bool, ZColumns,
                                             const PredictionHalves<double>*);

}  // namespace hjepa
