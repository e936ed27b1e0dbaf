#include "agent/nn/least_squares.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <stdexcept>
#include <string>

namespace hjepa::nn {

double fit_output_layer(MLP<float>& net, const Mat<float>& x, const Mat<float>& y, double ridge) {
  Linear<float>& out = net.layers.back();
  const Eigen::Index N = x.cols(), O = out.outputs(), H = out.inputs();
  if (y.cols() != N || y.rows() != O)
    throw std::invalid_argument("fit_output_layer: targets " + std::to_string(y.rows()) + " x " + std::to_string(y.cols()) +
                                ", expected " + std::to_string(O) + " x " + std::to_string(N));
  if (N == 0) return 0;
  // Normal equations of [W b] over the hidden activations with a row of ones appended: A = Σ h hᵀ,
  // C = Σ h yᵀ, accumulated a block of columns at a time.
  constexpr Eigen::Index kBlock = 4096;
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(H + 1, H + 1), C = Eigen::MatrixXd::Zero(H + 1, O);
  Eigen::MatrixXd h(H + 1, kBlock);
  MLPCache<float> cache;
  for (Eigen::Index c0 = 0; c0 < N; c0 += kBlock) {
    const Eigen::Index n = std::min(kBlock, N - c0);
    net.forward(x.middleCols(c0, n), cache);
    h.topLeftCorner(H, n) = cache.linear.back().x.cast<double>();
    h.block(H, 0, 1, n).setOnes();
    A.selfadjointView<Eigen::Lower>().rankUpdate(h.leftCols(n));
    C.noalias() += h.leftCols(n) * y.middleCols(c0, n).transpose().cast<double>();
  }
  A.triangularView<Eigen::StrictlyUpper>() = A.transpose();
  A.diagonal().array() += ridge * A.diagonal().mean();
  const Eigen::MatrixXd wb = A.ldlt().solve(C);  // (H + 1) x O
  out.W.value = wb.topRows(H).transpose().cast<float>();
  out.b.value = wb.row(H).transpose().cast<float>();
  double sse = 0;
  for (Eigen::Index c0 = 0; c0 < N; c0 += kBlock) {
    const Eigen::Index n = std::min(kBlock, N - c0);
    sse += (net.forward(x.middleCols(c0, n)) - y.middleCols(c0, n)).cast<double>().squaredNorm();
  }
  return sse / static_cast<double>(N * O);
}

}  // namespace hjepa::nn
