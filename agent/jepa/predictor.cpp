// P1's input features, their backward pass, the unrolled prediction, P1's construction and one
// prediction step (see predictor.hpp).
#include "agent/jepa/predictor.hpp"

#include <cmath>
#include <type_traits>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "agent/jepa/batch_halves.hpp"
#include "agent/jepa/counters.hpp"
#include "agent/nn/gemm.hpp"
#include "agent/nn/loss.hpp"

namespace hjepa {

bool fourier_backward_add(const nn::Mat<float>& Wt, const nn::Mat<float>& dz, nn::Mat<float>& ds) {
#if defined(__AVX512F__)
  const Eigen::Index K = Wt.cols(), B = dz.cols();
  if (Wt.rows() != 16 || K % 8 != 0 || K == 0 || B % 4 != 0 || dz.rows() != K || ds.rows() != 16 || ds.cols() != B) return false;
  const float* w = Wt.data();
  for (Eigen::Index j = 0; j < B; j += 4) {  // four columns at a time: eight independent chains
    __m512 even[4], odd[4];
    for (int c = 0; c < 4; ++c) even[c] = odd[c] = _mm512_setzero_ps();
    for (Eigen::Index k = 0; k < K; k += 2) {
      const __m512 a0 = _mm512_loadu_ps(w + k * 16), a1 = _mm512_loadu_ps(w + (k + 1) * 16);
      for (int c = 0; c < 4; ++c) {
        const float* z = dz.data() + (j + c) * K;
        even[c] = _mm512_fmadd_ps(a0, _mm512_set1_ps(z[k]), even[c]);
        odd[c] = _mm512_fmadd_ps(a1, _mm512_set1_ps(z[k + 1]), odd[c]);
      }
    }
    for (int c = 0; c < 4; ++c) {
      float* d = ds.data() + (j + c) * 16;
      _mm512_storeu_ps(d, _mm512_add_ps(_mm512_loadu_ps(d), _mm512_add_ps(even[c], odd[c])));
    }
  }
  return true;
#else
  (void)Wt, (void)dz, (void)ds;
  return false;
#endif
}

template <typename T>
FourierBasis<T> make_fourier_basis(int latent, int features, double scale) {
  Rng rng(0x46'4f55'5249'4552ULL);  // fixed: the basis belongs to the architecture, not to a training run
  FourierBasis<T> f{nn::Mat<T>(features, latent), nn::Mat<T>(features, 1), nn::Mat<T>()};
  for (Eigen::Index j = 0; j < f.W.cols(); ++j)
    for (Eigen::Index i = 0; i < f.W.rows(); ++i) f.W(i, j) = static_cast<T>(scale * rng.normal());
  for (Eigen::Index i = 0; i < f.b.rows(); ++i) f.b(i) = static_cast<T>(rng.uniform(0, 6.283185307179586));
  f.Wt = f.W.transpose();
  return f;
}

template <typename T>
void predictor_input_into(const nn::Mat<T>& s, const T* headings, const FourierBasis<T>& fourier, nn::Mat<T>& in,
                          PredictorInputCache<T>& cache, const T* cos_h, const T* sin_h, ZColumns zc) {
  using A = Eigen::Array<T, Eigen::Dynamic, 1>;
  const Eigen::Index D = s.rows(), B = s.cols(), m = fourier.size(), zr = predictor_z_rows(zc.values);
  in.resize(3 * D + 2 + m + zr, B);
  if constexpr (std::is_same_v<T, float>) {
    nn::gemm_into(fourier.W, s, cache.z, fourier.b.data());  // the same sums as Eigen's product and bias, bit for bit
  } else {
    cache.z = (fourier.W * s).colwise() + fourier.b.col(0);
  }
  // Eigen's vectorised cos into a matrix of its own, then copied: written straight into the rows of
  // `in` (columns that start unaligned), Eigen computes most of it with scalar cosf. It differs from
  // std::cos in the last bit.
  cache.cos_z = cache.z.array().cos().matrix();
  in.middleRows(3 * D + 2, m) = cache.cos_z;
  in.topRows(D) = s;
  if (zr > 0) {
    in.bottomRows(zr).setZero();
    for (Eigen::Index b = 0; b < B; ++b) in(3 * D + 2 + m + (zc.z ? zc.z[b] : 0), b) = T(1);
  }
  if (cos_h) {
    cache.cos_h = Eigen::Map<const A>(cos_h, B);
    cache.sin_h = Eigen::Map<const A>(sin_h, B);
  } else {
    const Eigen::Map<const A> h(headings, B);
    cache.cos_h = h.cos();
    cache.sin_h = h.sin();
  }
  in.row(D) = cache.cos_h.transpose();
  in.row(D + 1) = cache.sin_h.transpose();
  in.middleRows(D + 2, D) = s * cache.cos_h.matrix().asDiagonal();
  in.middleRows(2 * D + 2, D) = s * cache.sin_h.matrix().asDiagonal();
}

template <typename T>
nn::Mat<T> predictor_input(const nn::Mat<T>& s, const T* headings, const FourierBasis<T>& fourier, ZColumns zc) {
  nn::Mat<T> in;
  PredictorInputCache<T> cache;
  predictor_input_into<T>(s, headings, fourier, in, cache, nullptr, nullptr, zc);
  return in;
}

template <typename T>
nn::Mat<T> predictor_input_backward(const nn::Mat<T>& d_in, const nn::Mat<T>& s, const FourierBasis<T>& fourier,
                                    const PredictorInputCache<T>& cache, T* d_heading) {
  nn::Mat<T> ds, dz;
  predictor_input_backward_into(d_in, s, fourier, cache, d_heading, ds, dz);
  return ds;
}

template <typename T>
void predictor_input_backward_into(const nn::Mat<T>& d_in, const nn::Mat<T>& s, const FourierBasis<T>& fourier,
                                   const PredictorInputCache<T>& cache, T* d_heading, nn::Mat<T>& ds, nn::Mat<T>& dz) {
  const Eigen::Index D = s.rows(), B = s.cols();
  ds = d_in.topRows(D);
  if (fourier.size() > 0) {  // d cos(z) = -sin(z) dz, z = W s + b
    dz = (d_in.middleRows(3 * D + 2, fourier.size()).array() * -cache.z.array().sin()).matrix();
    bool done = false;
    if constexpr (std::is_same_v<T, float>) done = fourier.Wt.size() > 0 && fourier_backward_add(fourier.Wt, dz, ds);
    if (!done) ds.noalias() += fourier.W.transpose() * dz;
  }
  for (Eigen::Index b = 0; b < B; ++b) {
    const T c = cache.cos_h[b], sn = cache.sin_h[b];
    const auto d_sc = d_in.col(b).segment(D + 2, D), d_ss = d_in.col(b).segment(2 * D + 2, D);
    ds.col(b) += d_sc * c + d_ss * sn;
    if (d_heading) d_heading[b] = -sn * (d_in(D, b) + s.col(b).dot(d_sc)) + c * (d_in(D + 1, b) + s.col(b).dot(d_ss));
  }
}

template <typename T>
nn::Mat<T> predictor_input_backward(const nn::Mat<T>& d_in, const nn::Mat<T>& s, const T* headings,
                                    const FourierBasis<T>& fourier, T* d_heading) {
  nn::Mat<T> in;
  PredictorInputCache<T> cache;
  predictor_input_into(s, headings, fourier, in, cache);  // recomputes what the forward computed
  return predictor_input_backward(d_in, s, fourier, cache, d_heading);
}

template <typename T>
UnrolledPrediction<T> unrolled_prediction(nn::MLP<T>& predictor, const FourierBasis<T>& fourier, const nn::Mat<T>& s0,
                                          const T* headings, int k, const nn::Mat<T>& targets, double weight, bool backward,
                                          ZColumns zc, std::vector<double>* sample_loss) {
  using M = nn::Mat<T>;
  const Eigen::Index D = s0.rows(), B = s0.cols();
  std::vector<nn::MLPCache<T>> cache(k);
  std::vector<PredictorInputCache<T>> in_cache(k);
  std::vector<M> s_hat(k + 1);
  s_hat[0] = s0;
  for (int t = 0; t < k; ++t) {
    cache[t].linear.resize(predictor.layers.size());
    predictor_input_into<T>(s_hat[t], &headings[t * B], fourier, cache[t].linear[0].x, in_cache[t], nullptr, nullptr, zc);
    s_hat[t + 1] = s_hat[t] + predictor.forward_cached_input(cache[t]);
  }

  UnrolledPrediction<T> out;
  std::vector<M> d_hat(k + 1, M::Zero(D, B));
  const T scale = static_cast<T>(weight * static_cast<double>(D) / k);
  if (sample_loss) {  // mse's loss is the mean over D x B, so window b's share is its squared error / (B k)
    sample_loss->assign(static_cast<size_t>(B), 0.0);
    for (int t = 1; t <= k; ++t) {
      const auto diff = s_hat[t] - targets.middleCols((t - 1) * B, B);
      for (Eigen::Index b = 0; b < B; ++b) (*sample_loss)[b] += static_cast<double>(diff.col(b).squaredNorm()) / k;
    }
  }
  for (int t = 1; t <= k; ++t) {
    auto l = nn::mse<T>(s_hat[t], targets.middleCols((t - 1) * B, B));
    out.loss += static_cast<double>(l.loss) * static_cast<double>(D) / k;
    d_hat[t] = l.grad * scale;
  }
  if (!backward) return out;
  // Backward through the unrolled residual predictor: ds_t = ds_t+1 + dP/ds_t. Every step reads
  // the same weights, so their transposes are made once.
  std::vector<M> transposed;
  predictor.transposed_weights(transposed);
  for (int t = k - 1; t >= 0; --t) {
    const M d_in = predictor.backward(d_hat[t + 1], cache[t], &transposed);
    d_hat[t] += d_hat[t + 1] + predictor_input_backward<T>(d_in, s_hat[t], fourier, in_cache[t], nullptr);
  }
  out.d_s0 = std::move(d_hat[0]);
  return out;
}

template <typename T>
UnrolledPrediction<T> unrolled_prediction_halves(nn::MLP<T>& predictor, nn::MLP<T>& replica, const FourierBasis<T>& fourier,
                                                 const nn::Mat<T>& s0, const T* headings, int k, const nn::Mat<T>& targets,
                                                 double weight, bool backward, ZColumns zc, SideThread* side) {
  using M = nn::Mat<T>;
  const Eigen::Index D = s0.rows(), B = s0.cols();
  // Each half in its own step-major layout (headings t * n + b, targets' blocks of n columns),
  // copied by the thread that takes it.
  const auto half = on_batch_halves(predictor, replica, B, backward, side, [&](nn::MLP<T>& net, Eigen::Index f, Eigen::Index n) {
    M targets_h(D, n * k);
    std::vector<T> headings_h(static_cast<size_t>(n * k));
    for (int t = 0; t < k; ++t) {
      targets_h.middleCols(t * n, n) = targets.middleCols(t * B + f, n);
      std::copy(headings + t * B + f, headings + t * B + f + n, headings_h.begin() + t * n);
    }
    std::vector<int> z_h;
    if (zc.z) z_h.assign(zc.z + f, zc.z + f + n);
    const ZColumns hz{zc.values, zc.z ? z_h.data() : nullptr};
    return unrolled_prediction<T>(net, fourier, M(s0.middleCols(f, n)), headings_h.data(), k, targets_h,
                                  weight * static_cast<double>(n) / static_cast<double>(B), backward, hz);
  });
  const Eigen::Index n0 = B / 2, n1 = B - B / 2;
  UnrolledPrediction<T> out;
  out.loss = (half[0].loss * static_cast<double>(n0) + half[1].loss * static_cast<double>(n1)) / static_cast<double>(B);
  if (!backward) return out;
  out.d_s0.resize(D, B);
  out.d_s0.leftCols(n0) = half[0].d_s0;
  out.d_s0.rightCols(n1) = half[1].d_s0;
  return out;
}

template UnrolledPrediction<float> unrolled_prediction_halves<float>(nn::MLP<float>&, nn::MLP<float>&, const FourierBasis<float>&,
                                                                     const nn::Mat<float>&, const float*, int, const nn::Mat<float>&,
                                                                     double, bool, ZColumns, SideThread*);
template UnrolledPrediction<double> unrolled_prediction_halves<double>(nn::MLP<double>&, nn::MLP<double>&, const FourierBasis<double>&,
                                                                       const nn::Mat<double>&, const double*, int,
                                                                       const nn::Mat<double>&, double, bool, ZColumns, SideThread*);
template FourierBasis<float> make_fourier_basis<float>(int, int, double);
template FourierBasis<double> make_fourier_basis<double>(int, int, double);
template nn::Mat<float> predictor_input<float>(const nn::Mat<float>&, const float*, const FourierBasis<float>&, ZColumns);
template nn::Mat<double> predictor_input<double>(const nn::Mat<double>&, const double*, const FourierBasis<double>&, ZColumns);
template nn::Mat<float> predictor_input_backward<float>(const nn::Mat<float>&, const nn::Mat<float>&, const float*,
                                                        const FourierBasis<float>&, float*);
template nn::Mat<double> predictor_input_backward<double>(const nn::Mat<double>&, const nn::Mat<double>&, const double*,
                                                          const FourierBasis<double>&, double*);
template void predictor_input_into<float>(const nn::Mat<float>&, const float*, const FourierBasis<float>&, nn::Mat<float>&,
                                          PredictorInputCache<float>&, const float*, const float*, ZColumns);
template void predictor_input_into<double>(const nn::Mat<double>&, const double*, const FourierBasis<double>&, nn::Mat<double>&,
                                           PredictorInputCache<double>&, const double*, const double*, ZColumns);
template nn::Mat<float> predictor_input_backward<float>(const nn::Mat<float>&, const nn::Mat<float>&, const FourierBasis<float>&,
                                                        const PredictorInputCache<float>&, float*);
template void predictor_input_backward_into<float>(const nn::Mat<float>&, const nn::Mat<float>&, const FourierBasis<float>&,
                                                   const PredictorInputCache<float>&, float*, nn::Mat<float>&, nn::Mat<float>&);
template void predictor_input_backward_into<double>(const nn::Mat<double>&, const nn::Mat<double>&, const FourierBasis<double>&,
                                                    const PredictorInputCache<double>&, double*, nn::Mat<double>&, nn::Mat<double>&);
template nn::Mat<double> predictor_input_backward<double>(const nn::Mat<double>&, const nn::Mat<double>&, const FourierBasis<double>&,
                                                          const PredictorInputCache<double>&, double*);
template UnrolledPrediction<float> unrolled_prediction<float>(nn::MLP<float>&, const FourierBasis<float>&, const nn::Mat<float>&,
                                                             const float*, int, const nn::Mat<float>&, double, bool, ZColumns,
                                                             std::vector<double>*);
template UnrolledPrediction<double> unrolled_prediction<double>(nn::MLP<double>&, const FourierBasis<double>&,
                                                               const nn::Mat<double>&, const double*, int,
                                                               const nn::Mat<double>&, double, bool, ZColumns,
                                                               std::vector<double>*);

nn::MLP<float> make_predictor(int latent, int hidden, int z_values, Rng& rng) {
  // P1 has three hidden layers where E1 has two: the third took the 8-step error on maps 101 / 102
  // from 0.543 / 0.569 to 0.508 / 0.553; with the Fourier inputs and 3000 sequences, 0.452 / 0.501.
  return nn::MLP<float>({predictor_input_size(latent, kPredictorFourierFeatures, z_values), hidden, hidden, hidden, latent},
                        nn::Activation::GELU, rng, "P1");
}

MatF predict_next(const nn::MLP<float>& predictor, const FourierBasis<float>& fourier, const MatF& s, const float* headings,
                  ZColumns zc) {
  predictor_evaluations += static_cast<uint64_t>(s.cols());
  return s + predictor.forward(predictor_input<float>(s, headings, fourier, zc));
}

}  // namespace hjepa
