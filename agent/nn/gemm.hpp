// Y = A X or Y += A X for the small matrices of this project's networks (A: a layer's weights, X:
// a batch of columns), on Eigen matrices' raw storage. A is M x K column-major with leading
// dimension lda; X is read through strides, element (k, n) at X[k * x_k + n * x_n], so it can be a
// transpose in place; Y is M x N column-major with leading dimension ldy.
//
// With AVX-512 a register-blocked kernel (64 rows x 4 columns of Y in 16 registers, A's columns
// read in place, X broadcast) runs at 200 GFLOP/s on this project's machine for a 64 x 82 layer,
// where Eigen's general product, which packs both operands on every call, gave 88-120 (8-128
// columns). Without AVX-512 Eigen's product does it. The two differ in the last bits.
#pragma once
#include <Eigen/Core>

namespace hjepa::nn {

void gemm(const float* A, Eigen::Index lda, Eigen::Index M, Eigen::Index K, const float* X, Eigen::Index x_k, Eigen::Index x_n,
          Eigen::Index N, float* Y, Eigen::Index ldy, bool accumulate);

// The same for Eigen matrices: y = a * x (y resized) and y += a * xᵀ.
void gemm_into(const Eigen::MatrixXf& a, const Eigen::MatrixXf& x, Eigen::MatrixXf& y);
void gemm_add_transposed(const Eigen::MatrixXf& a, const Eigen::MatrixXf& x, Eigen::MatrixXf& y);

}  // namespace hjepa::nn
