// MSE, softmax (and its cross-entropy) and the VICReg variance/covariance terms with their gradients.
// B = batch (columns), D = embedding dim, K = classes. Z: D x B, Zc = Z - row means.
#include "agent/nn/loss.hpp"

#include <cassert>
#include <cmath>

namespace hjepa::nn {

template <typename T>
LossGrad<T> mse(const Mat<T>& pred, const Mat<T>& target) {
  assert(pred.rows() == target.rows() && pred.cols() == target.cols() && pred.size() > 0);
  LossGrad<T> out;
  out.grad = pred - target;
  const T n = T(pred.size());
  out.loss = out.grad.squaredNorm() / n;
  out.grad *= T(2) / n;
  return out;
}

template <typename T>
void softmax_columns(const Mat<T>& logits, Mat<T>& probs, std::vector<T>* top, std::vector<T>* sum) {
  probs.resize(logits.rows(), logits.cols());
  if (top) top->resize(logits.cols());
  if (sum) sum->resize(logits.cols());
  for (Eigen::Index j = 0; j < logits.cols(); ++j) {  // each column's max, once
    const T column_top = logits.col(j).maxCoeff();
    probs.col(j) = logits.col(j).array() - column_top;
    if (top) (*top)[j] = column_top;
  }
  // exp over the whole matrix at once: Eigen vectorises it even when a column (8 colours) is shorter
  // than a vector register.
  probs = probs.array().exp().matrix();
  for (Eigen::Index j = 0; j < logits.cols(); ++j) {
    const T column_sum = probs.col(j).sum();
    probs.col(j) /= column_sum;
    if (sum) (*sum)[j] = column_sum;
  }
}

template <typename T>
Mat<T> softmax_columns(const Mat<T>& logits) {
  Mat<T> probs;
  softmax_columns(logits, probs);
  return probs;
}

template <typename T>
LossGrad<T> softmax_cross_entropy(const Mat<T>& logits, const std::vector<int>& labels) {
  const Eigen::Index b = logits.cols();
  assert(static_cast<Eigen::Index>(labels.size()) == b && b > 0);
  LossGrad<T> out;
  std::vector<T> top, sum;
  softmax_columns(logits, out.grad, &top, &sum);
  double total = 0;
  for (Eigen::Index j = 0; j < b; ++j) {
    assert(labels[j] >= 0 && labels[j] < logits.rows());
    total += std::log(double(sum[j])) + double(top[j]) - double(logits(labels[j], j));
    out.grad(labels[j], j) -= T(1);
  }
  out.grad /= T(b);
  out.loss = T(total / double(b));
  return out;
}

// dL/dZ_jb = -(Z_jb - mu_j) / (D (B-1) std_j) on rows whose hinge is active. The centring term
// of the chain rule vanishes because each row of Zc sums to zero.
template <typename T>
LossGrad<T> vicreg_variance(const Mat<T>& z, double gamma, double eps) {
  const Eigen::Index d = z.rows(), b = z.cols();
  assert(b >= 2 && d > 0);
  LossGrad<T> out;
  out.grad = z.colwise() - z.rowwise().mean();
  double total = 0;
  for (Eigen::Index j = 0; j < d; ++j) {
    const double var = double(out.grad.row(j).squaredNorm()) / double(b - 1);
    const double sd = std::sqrt(var + eps);
    if (sd < gamma) {
      total += gamma - sd;
      out.grad.row(j) *= T(-1.0 / (double(d) * double(b - 1) * sd));
    } else {
      out.grad.row(j).setZero();
    }
  }
  out.loss = T(total / double(d));
  return out;
}

// C = Zc Zc^T / (B-1); L = sum_{i != j} C_ij^2 / D; with G = dL/dC = 2 offdiag(C) / D (symmetric),
// dL/dZ = 2 G Zc / (B-1). The centring term vanishes again since G Zc has zero row sums.
template <typename T>
LossGrad<T> vicreg_covariance(const Mat<T>& z) {
  const Eigen::Index d = z.rows(), b = z.cols();
  assert(b >= 2 && d > 0);
  const Mat<T> zc = z.colwise() - z.rowwise().mean();
  Mat<T> c(d, d);
  c.noalias() = zc * zc.transpose() / T(b - 1);
  c.diagonal().setZero();
  LossGrad<T> out;
  out.loss = c.squaredNorm() / T(d);
  out.grad.resize(d, b);
  out.grad.noalias() = (T(4) / (T(d) * T(b - 1))) * c * zc;
  return out;
}

#define HJEPA_NN_INSTANTIATE(T)                                                         \
  template LossGrad<T> mse<T>(const Mat<T>&, const Mat<T>&);                            \
  template void softmax_columns<T>(const Mat<T>&, Mat<T>&, std::vector<T>*, std::vector<T>*); \
  template Mat<T> softmax_columns<T>(const Mat<T>&);                                    \
  template LossGrad<T> softmax_cross_entropy<T>(const Mat<T>&, const std::vector<int>&); \
  template LossGrad<T> vicreg_variance<T>(const Mat<T>&, double, double);               \
  template LossGrad<T> vicreg_covariance<T>(const Mat<T>&);
HJEPA_NN_INSTANTIATE(float)
HJEPA_NN_INSTANTIATE(double)
#undef HJEPA_NN_INSTANTIATE

}  // namespace hjepa::nn
