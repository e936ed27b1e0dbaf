// The kernel behind nn::gemm (see gemm.hpp).
#include "agent/nn/gemm.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace hjepa::nn {

#if defined(__AVX512F__)
namespace {

// RB registers of rows (16 rows each; the last one masked by `last`) by NB columns of Y.
template <int RB, int NB>
void block(const float* A, Eigen::Index lda, Eigen::Index K, const float* X, Eigen::Index x_k, Eigen::Index x_n, float* Y,
           Eigen::Index ldy, __mmask16 last, bool accumulate, const float* bias) {
  __m512 c[NB][RB];
#pragma GCC unroll 8
  for (int j = 0; j < NB; ++j)
#pragma GCC unroll 4
    for (int r = 0; r < RB; ++r)
      c[j][r] = accumulate ? _mm512_maskz_loadu_ps(r == RB - 1 ? last : __mmask16(0xFFFF), Y + j * ldy + 16 * r)
                           : _mm512_setzero_ps();
  for (Eigen::Index k = 0; k < K; ++k) {
    const float* a = A + k * lda;
    __m512 av[RB];
#pragma GCC unroll 4
    for (int r = 0; r < RB; ++r) av[r] = r == RB - 1 ? _mm512_maskz_loadu_ps(last, a + 16 * r) : _mm512_loadu_ps(a + 16 * r);
#pragma GCC unroll 8
    for (int j = 0; j < NB; ++j) {
      const __m512 x = _mm512_set1_ps(X[k * x_k + j * x_n]);
#pragma GCC unroll 4
      for (int r = 0; r < RB; ++r) c[j][r] = _mm512_fmadd_ps(av[r], x, c[j][r]);
    }
  }
  if (bias) {
    __m512 bv[RB];
#pragma GCC unroll 4
    for (int r = 0; r < RB; ++r) bv[r] = _mm512_maskz_loadu_ps(r == RB - 1 ? last : __mmask16(0xFFFF), bias + 16 * r);
#pragma GCC unroll 8
    for (int j = 0; j < NB; ++j)
#pragma GCC unroll 4
      for (int r = 0; r < RB; ++r) c[j][r] = _mm512_add_ps(c[j][r], bv[r]);
  }
#pragma GCC unroll 8
  for (int j = 0; j < NB; ++j)
#pragma GCC unroll 4
    for (int r = 0; r < RB; ++r) _mm512_mask_storeu_ps(Y + j * ldy + 16 * r, r == RB - 1 ? last : __mmask16(0xFFFF), c[j][r]);
}

// The remaining N < NB columns of a row block, one block of exactly that many.
template <int RB, int NB>
void tail_block(const float* A, Eigen::Index lda, Eigen::Index K, const float* X, Eigen::Index x_k, Eigen::Index x_n, Eigen::Index N,
                float* Y, Eigen::Index ldy, __mmask16 last, bool accumulate, const float* bias) {
  if constexpr (NB > 0) {
    if (N == NB) block<RB, NB>(A, lda, K, X, x_k, x_n, Y, ldy, last, accumulate, bias);
    else tail_block<RB, NB - 1>(A, lda, K, X, x_k, x_n, N, Y, ldy, last, accumulate, bias);
  }
}

// Columns per block: as many accumulators as the 32 registers hold beside the RB loads of A and the
// broadcast (4 x 6, 3 x 8, 2 x 8, 1 x 8), so even a 16-row layer keeps 8 FMAs in flight. Every
// element still sums its K products in order, so the blocking never changes a result.
template <int RB>
constexpr int kColumns = RB == 4 ? 6 : 8;

template <int RB>
void row_block(const float* A, Eigen::Index lda, Eigen::Index K, const float* X, Eigen::Index x_k, Eigen::Index x_n, Eigen::Index N,
               float* Y, Eigen::Index ldy, __mmask16 last, bool accumulate, const float* bias) {
  constexpr int NB = kColumns<RB>;
  Eigen::Index n = 0;
  for (; n + NB <= N; n += NB) block<RB, NB>(A, lda, K, X + n * x_n, x_k, x_n, Y + n * ldy, ldy, last, accumulate, bias);
  tail_block<RB, NB - 1>(A, lda, K, X + n * x_n, x_k, x_n, N - n, Y + n * ldy, ldy, last, accumulate, bias);
}

}  // namespace

void gemm(const float* A, Eigen::Index lda, Eigen::Index M, Eigen::Index K, const float* X, Eigen::Index x_k, Eigen::Index x_n,
          Eigen::Index N, float* Y, Eigen::Index ldy, bool accumulate, const float* bias) {
  assert(!(bias && accumulate));
  for (Eigen::Index m = 0; m < M; m += 64) {
    const float* b = bias ? bias + m : nullptr;
    const Eigen::Index rows = M - m < 64 ? M - m : 64, regs = (rows + 15) / 16, tail = rows - 16 * (regs - 1);
    const auto last = static_cast<__mmask16>(tail == 16 ? 0xFFFFu : (1u << tail) - 1u);
    switch (regs) {
      case 1: row_block<1>(A + m, lda, K, X, x_k, x_n, N, Y + m, ldy, last, accumulate, b); break;
      case 2: row_block<2>(A + m, lda, K, X, x_k, x_n, N, Y + m, ldy, last, accumulate, b); break;
      case 3: row_block<3>(A + m, lda, K, X, x_k, x_n, N, Y + m, ldy, last, accumulate, b); break;
      default: row_block<4>(A + m, lda, K, X, x_k, x_n, N, Y + m, ldy, last, accumulate, b); break;
    }
  }
}

double measured_fma_peak_gflops(double seconds) {
  constexpr int kChains = 24, kInner = 256;
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    __m512 acc[kChains];
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(1.0f + 1e-3f * static_cast<float>(i));
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    const auto t0 = std::chrono::steady_clock::now();
    double elapsed = 0;
    long iterations = 0;
    while (elapsed < seconds / 5) {
      for (int n = 0; n < kInner; ++n)
#pragma GCC unroll 24
        for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
      iterations += kInner;
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    float sink = 0;
    for (int i = 0; i < kChains; ++i) sink += _mm512_reduce_add_ps(acc[i]);
    volatile float keep = sink;  // the chains' results are used, so the loop stays
    (void)keep;
    best = std::max(best, static_cast<double>(iterations) * kChains * 16 * 2 / elapsed / 1e9);
  }
  return best;
}
#else
void gemm(const float* A, Eigen::Index lda, Eigen::Index M, Eigen::Index K, const float* X, Eigen::Index x_k, Eigen::Index x_n,
          Eigen::Index N, float* Y, Eigen::Index ldy, bool accumulate, const float* bias) {
  assert(!(bias && accumulate));
  using Stride = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::Map<const Eigen::MatrixXf, 0, Eigen::OuterStride<>> a(A, M, K, Eigen::OuterStride<>(lda));
  const Eigen::Map<const Eigen::MatrixXf, 0, Stride> x(X, K, N, Stride(x_n, x_k));
  Eigen::Map<Eigen::MatrixXf, 0, Eigen::OuterStride<>> y(Y, M, N, Eigen::OuterStride<>(ldy));
  if (accumulate) y.noalias() += a * x;
  else y.noalias() = a * x;
  if (bias) y.colwise() += Eigen::Map<const Eigen::VectorXf>(bias, M);
}

double measured_fma_peak_gflops(double) { return 0; }
#endif

void gemm_into(const Eigen::MatrixXf& a, const Eigen::MatrixXf& x, Eigen::MatrixXf& y, const float* bias) {
  assert(a.cols() == x.rows());
  y.resize(a.rows(), x.cols());
  gemm(a.data(), a.rows(), a.rows(), a.cols(), x.data(), 1, x.rows(), x.cols(), y.data(), y.rows(), false, bias);
}

void gemm_add_transposed(const Eigen::MatrixXf& a, const Eigen::MatrixXf& x, Eigen::MatrixXf& y) {
  assert(a.cols() == x.cols() && y.rows() == a.rows() && y.cols() == x.rows());
  gemm(a.data(), a.rows(), a.rows(), a.cols(), x.data(), x.rows(), 1, x.rows(), y.data(), y.rows(), true);
}

}  // namespace hjepa::nn
