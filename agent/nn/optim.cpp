// Adam/AdamW steps with bias correction, gradient clipping by global norm, finiteness checks.
// Shapes: each Parameter's value, grad and moments share one shape (rows x cols).
#include "agent/nn/optim.hpp"

#include <cmath>

namespace hjepa::nn {

template <typename T>
void zero_grad(const ParamList<T>& params) {
  for (Parameter<T>* p : params) p->grad.setZero(p->value.rows(), p->value.cols());
}

template <typename T>
double clip_grad_norm(const ParamList<T>& params, double max_norm) {
  double sum = 0;
  for (const Parameter<T>* p : params) sum += p->grad.template cast<double>().squaredNorm();
  const double norm = std::sqrt(sum);
  if (norm > max_norm && norm > 0) {
    const T scale = static_cast<T>(max_norm / norm);
    for (Parameter<T>* p : params) p->grad *= scale;
  }
  return norm;
}

template <typename T>
bool all_finite(const ParamList<T>& params) {
  for (const Parameter<T>* p : params)
    if (!p->value.allFinite() || !p->grad.allFinite()) return false;
  return true;
}

template <typename T>
void Adam<T>::step(const ParamList<T>& params) {
  ++steps_;
  const T lr = T(hyper.lr), b1 = T(hyper.beta1), b2 = T(hyper.beta2), eps = T(hyper.eps);
  const T wd = T(hyper.weight_decay);
  const T correction1 = T(1 - std::pow(hyper.beta1, double(steps_)));
  const T correction2 = T(1 - std::pow(hyper.beta2, double(steps_)));
  for (Parameter<T>* p : params) {
    if (p->adam_m.size() != p->value.size()) {
      p->adam_m.setZero(p->value.rows(), p->value.cols());
      p->adam_v.setZero(p->value.rows(), p->value.cols());
    }
    const bool decay = p->decay && wd != T(0);
    if (decay && decoupled_) p->value *= T(1) - lr * wd;
    Mat<T> grad_with_l2;
    const Mat<T>* g = &p->grad;
    if (decay && !decoupled_) grad_with_l2 = p->grad + wd * p->value, g = &grad_with_l2;
    p->adam_m.array() = b1 * p->adam_m.array() + (T(1) - b1) * g->array();
    p->adam_v.array() = b2 * p->adam_v.array() + (T(1) - b2) * g->array().square();
    p->value.array() -= lr * (p->adam_m.array() / correction1) /
                        ((p->adam_v.array() / correction2).sqrt() + eps);
  }
}

#define HJEPA_NN_INSTANTIATE(T)                                \
  template void zero_grad<T>(const ParamList<T>&);             \
  template double clip_grad_norm<T>(const ParamList<T>&, double); \
  template bool all_finite<T>(const ParamList<T>&);            \
  template class Adam<T>;
HJEPA_NN_INSTANTIATE(float)
HJEPA_NN_INSTANTIATE(double)
#undef HJEPA_NN_INSTANTIATE

}  // namespace hjepa::nn
