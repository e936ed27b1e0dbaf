// Y = A X or Y += A X for the small matrices of this project's networks (A: a layer's weights, X:
// a batch of columns), on Eigen matrices' raw storage. A is M x K column-major with leading
// dimension lda; X is read through strides, element (k, n) at X[k * x_k + n * x_n], so it can be a
// transpose in place; Y is M x N column-major with leading dimension ldy.
//
// With AVX-512 a register-blocked kernel (64 rows x 6 columns of Y in 24 registers, fewer rows x 8
// columns; A's columns read in place, X broadcast) runs at about 265 GFLOP/s on this project's
// machine for 64 x 64 and 64 x 82 layers over 128 columns, where Eigen's general product, which
// packs both operands on every call, gave 88-120 (8-128 columns). Without AVX-512 Eigen's product
// does it. The two differ in the last bits.
// bias (M values), if given, is added to each finished sum before it is stored: y = (A X) + b,
// rounded as Eigen's y.colwise() += b after the product (only without accumulate).
#pragma once
#include <Eigen/Core>

namespace hjepa::nn {

void gemm(const float* A, Eigen::Index lda, Eigen::Index M, Eigen::Index K, const float* X, Eigen::Index x_k, Eigen::Index x_n,
          Eigen::Index N, float* Y, Eigen::Index ldy, bool accumulate, const float* bias = nullptr);

// The same for Eigen matrices: y = a * x (+ bias) (y resized) and y += a * xᵀ.
void gemm_into(const Eigen::MatrixXf& a, const Eigen::MatrixXf& x, Eigen::MatrixXf& y, const float* bias = nullptr);
void gemm_add_transposed(const Eigen::MatrixXf& a, const Eigen::MatrixXf& x, Eigen::MatrixXf& y);

// This core's measured single-precision peak, GFLOP/s: 24 independent chains of 512-bit FMAs (no
// memory traffic) for about `seconds`, the best of five rounds. What `hjepa perf` compares its
// FLOP rates with besides the nominal figure from /proc/cpuinfo, whose clock a VM may not report
// (on this project's machine it says 2596 MHz where the FMA loop runs at ~4.2 GHz). 0 without AVX-512.
double measured_fma_peak_gflops(double seconds = 0.05);

}  // namespace hjepa::nn
