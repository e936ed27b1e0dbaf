// The level-2 batch objective and its backward pass (see level2_loss.hpp).
#include "agent/jepa/level2_loss.hpp"

#include "agent/nn/loss.hpp"

namespace hjepa {

template <typename T>
nn::Mat<T> level2_predictor_input(const nn::Mat<T>& h, const nn::Mat<T>& macro) {
  nn::Mat<T> in(h.rows() + 2, h.cols());
  in.topRows(h.rows()) = h;
  in.bottomRows(2) = macro;
  return in;
}

template <typename T>
Level2LossTerms level2_loss(nn::MLP<T>& encoder, nn::MLP<T>& predictor, const nn::Mat<T>& s0, const nn::Mat<T>& macro,
                            const nn::Mat<T>& target, const Level2LossWeights& w, bool backward) {
  using M = nn::Mat<T>;
  nn::MLPCache<T> enc_cache, pred_cache;
  const M h = encoder.forward(s0, enc_cache);
  const Eigen::Index d = h.rows();
  const M h_next = h + predictor.forward(level2_predictor_input<T>(h, macro), pred_cache);
  Level2LossTerms terms;
  auto pred = nn::mse<T>(h_next, target);
  auto var = nn::vicreg_variance<T>(h);
  auto cov = nn::vicreg_covariance<T>(h);
  terms.pred = static_cast<double>(pred.loss) * static_cast<double>(d);  // per-sample squared distance
  terms.var = var.loss;
  terms.cov = cov.loss;
  terms.total = w.pred * terms.pred + w.var * terms.var + w.cov * terms.cov;
  if (!backward) return terms;
  const M d_next = pred.grad * static_cast<T>(w.pred * static_cast<double>(d));
  const M d_in = predictor.backward(d_next, pred_cache);
  M d_h = d_next + d_in.topRows(d) + var.grad * static_cast<T>(w.var) + cov.grad * static_cast<T>(w.cov);
  encoder.backward(d_h, enc_cache);
  return terms;
}

template nn::Mat<float> level2_predictor_input<float>(const nn::Mat<float>&, const nn::Mat<float>&);
template nn::Mat<double> level2_predictor_input<double>(const nn::Mat<double>&, const nn::Mat<double>&);
template Level2LossTerms level2_loss<float>(nn::MLP<float>&, nn::MLP<float>&, const nn::Mat<float>&, const nn::Mat<float>&,
                                            const nn::Mat<float>&, const Level2LossWeights&, bool);
template Level2LossTerms level2_loss<double>(nn::MLP<double>&, nn::MLP<double>&, const nn::Mat<double>&,
                                             const nn::Mat<double>&, const nn::Mat<double>&, const Level2LossWeights&, bool);

}  // namespace hjepa
