// P2's prediction loss and its backward pass (see level2_loss.hpp).
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
double level2_prediction_loss(nn::MLP<T>& predictor, const nn::Mat<T>& h0, const nn::Mat<T>& macro,
                              const nn::Mat<T>& target, bool backward) {
  nn::MLPCache<T> cache;
  const nn::Mat<T> next = h0 + predictor.forward(level2_predictor_input<T>(h0, macro), cache);
  const auto pred = nn::mse<T>(next, target);
  const double d = static_cast<double>(h0.rows());
  if (backward) predictor.backward(pred.grad * static_cast<T>(d), cache);
  return static_cast<double>(pred.loss) * d;  // per-sample squared distance
}

template nn::Mat<float> level2_predictor_input<float>(const nn::Mat<float>&, const nn::Mat<float>&);
template nn::Mat<double> level2_predictor_input<double>(const nn::Mat<double>&, const nn::Mat<double>&);
template double level2_prediction_loss<float>(nn::MLP<float>&, const nn::Mat<float>&, const nn::Mat<float>&,
                                              const nn::Mat<float>&, bool);
template double level2_prediction_loss<double>(nn::MLP<double>&, const nn::Mat<double>&, const nn::Mat<double>&,
                                               const nn::Mat<double>&, bool);

}  // namespace hjepa
