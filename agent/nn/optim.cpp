// Adam/AdamW steps with bias correction, gradient clipping by global norm, finiteness checks.
// Shapes: each Parameter's value and grad, and its moments, share one shape (rows x cols).
#include "agent/nn/optim.hpp"

#include <cassert>
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

double cosine_lr(double lr, int step, int steps, double final_fraction) {
  constexpr double kPi = 3.141592653589793;
  return lr * (final_fraction + (1 - final_fraction) * 0.5 * (1 + std::cos(kPi * step / steps)));
}

template <typename T>
void adam_update(Mat<T>& value, Mat<T>& m, Mat<T>& v, const Mat<T>& g, T lr, T b1, T b2, T c1, T c2, T eps) {
  m.array() = b1 * m.array() + (T(1) - b1) * g.array();
  v.array() = b2 * v.array() + (T(1) - b2) * g.array().square();
  value.array() -= lr * (m.array() / c1) / ((v.array() / c2).sqrt() + eps);
}

template <typename T>
void Adam<T>::step(const ParamList<T>& params) {
  ++steps_;
  const T lr = T(hyper.lr), b1 = T(hyper.beta1), b2 = T(hyper.beta2), eps = T(hyper.eps);
  const T wd = T(hyper.weight_decay);
  const T correction1 = T(1 - std::pow(hyper.beta1, double(steps_)));
  const T correction2 = T(1 - std::pow(hyper.beta2, double(steps_)));
  m_.resize(params.size()), v_.resize(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    Parameter<T>* p = params[i];
    if (m_[i].size() != p->value.size()) {
      m_[i].setZero(p->value.rows(), p->value.cols());
      v_[i].setZero(p->value.rows(), p->value.cols());
    }
    const bool decay = p->decay && wd != T(0);
    if (decay && decoupled_) p->value *= T(1) - lr * wd;
    Mat<T> grad_with_l2;
    const Mat<T>* g = &p->grad;
    if (decay && !decoupled_) grad_with_l2 = p->grad + wd * p->value, g = &grad_with_l2;
    adam_update(p->value, m_[i], v_[i], *g, lr, b1, b2, correction1, correction2, eps);
  }
}

template <typename T>
void set_values(const ParamList<T>& to, const ParamList<T>& from) {
  assert(to.size() == from.size());
  for (size_t i = 0; i < to.size(); ++i) to[i]->value = from[i]->value;
}

template <typename T>
void merge_grads(const ParamList<T>& into, const ParamList<T>& from) {
  assert(into.size() == from.size());
  for (size_t i = 0; i < into.size(); ++i) {
    into[i]->grad += from[i]->grad;
    from[i]->grad.setZero();
  }
}

#define HJEPA_NN_INSTANTIATE(T)                                \
  template void zero_grad<T>(const ParamList<T>&);             \
  template void set_values<T>(const ParamList<T>&, const ParamList<T>&); \
  template void merge_grads<T>(const ParamList<T>&, const ParamList<T>&); \
  template double clip_grad_norm<T>(const ParamList<T>&, double); \
  template bool all_finite<T>(const ParamList<T>&);            \
  template void adam_update<T>(Mat<T>&, Mat<T>&, Mat<T>&, const Mat<T>&, T, T, T, T, T, T); \
  template class Adam<T>;
HJEPA_NN_INSTANTIATE(float)
HJEPA_NN_INSTANTIATE(double)
#undef HJEPA_NN_INSTANTIATE

}  // namespace hjepa::nn
