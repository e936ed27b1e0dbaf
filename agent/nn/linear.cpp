// Linear layer: seeded initialisation, forward (cached and cache-free) and backward.
// B = batch (columns), I = inputs, O = outputs. x: I x B, W: O x I, b: O x 1, y: O x B.
#include "agent/nn/linear.hpp"

#include <cassert>
#include <cmath>
#include <type_traits>

#include "agent/nn/gemm.hpp"

namespace hjepa::nn {

template <typename T>
Linear<T>::Linear(int inputs, int outputs, Init init, Rng& rng, const std::string& name)
    : W(name + ".W", outputs, inputs, true), b(name + ".b", outputs, 1, false) {
  const double bound = init == Init::KaimingUniform ? std::sqrt(6.0 / inputs)
                                                    : std::sqrt(6.0 / (inputs + outputs));
  for (Eigen::Index j = 0; j < W.value.cols(); ++j)
    for (Eigen::Index i = 0; i < W.value.rows(); ++i)
      W.value(i, j) = static_cast<T>(rng.uniform(-bound, bound));
}

template <typename T>
void Linear<T>::forward_into(const Mat<T>& x, Mat<T>& y) const {
  assert(x.rows() == W.value.cols());
  if constexpr (std::is_same_v<T, float>) {
    gemm_into(W.value, x, y, b.value.data());  // the bias added to each finished sum, as below
  } else {
    y.resize(W.value.rows(), x.cols());
    y.noalias() = W.value * x;
    y.colwise() += b.value.col(0);
  }
}

template <typename T>
Mat<T> Linear<T>::forward(const Mat<T>& x) const {
  Mat<T> y;
  forward_into(x, y);
  return y;
}

template <typename T>
Mat<T> Linear<T>::forward(const Mat<T>& x, LinearCache<T>& cache) const {
  cache.x = x;
  return forward(x);
}

template <typename T>
Mat<T> Linear<T>::backward_input(const Mat<T>& dy, const Mat<T>* wt) const {
  Mat<T> dx(W.value.cols(), dy.cols());
  if constexpr (std::is_same_v<T, float>) {
    assert(!wt || (wt->rows() == W.value.cols() && wt->cols() == W.value.rows()));
    const Mat<T> own = wt ? Mat<T>() : Mat<T>(W.value.transpose());  // the kernel reads A's columns in place
    gemm_into(wt ? *wt : own, dy, dx);
  } else {
    dx.noalias() = W.value.transpose() * dy;
  }
  return dx;
}

template <typename T>
void Linear<T>::backward_params(const Mat<T>& dy, const LinearCache<T>& cache) {
  assert(dy.rows() == W.value.rows() && dy.cols() == cache.x.cols());
  b.grad += dy.rowwise().sum();
  if constexpr (std::is_same_v<T, float>) {
    gemm_add_transposed(dy, cache.x, W.grad);
  } else {
    W.grad.noalias() += dy * cache.x.transpose();
  }
}

template <typename T>
Mat<T> Linear<T>::backward(const Mat<T>& dy, const LinearCache<T>& cache, const Mat<T>* wt) {
  backward_params(dy, cache);
  return backward_input(dy, wt);
}

template class Linear<float>;
template class Linear<double>;

}  // namespace hjepa::nn
