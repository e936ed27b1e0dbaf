// The level-1 training objective on one batch, as a forward/backward pair over the encoder E1,
// the residual predictor P1 and the inverse-dynamics head; templated so tests check every
// gradient in double against finite differences. F = features, D = latent, B = batch, k = unroll.
#pragma once
#include <vector>

#include "agent/nn/mlp.hpp"

namespace hjepa {

struct Level1LossWeights {
  double pred = 1.0;  // unrolled latent prediction (mean squared distance per sample, averaged over k)
  double var = 1.0;   // VICReg variance hinge on s0
  double cov = 0.0;   // VICReg covariance on s0
  double idm = 1.0;   // inverse dynamics (s0, s1) -> (cos h0, sin h0); 0 = off
};

struct Level1LossTerms {
  double pred = 0, var = 0, cov = 0, idm = 0, total = 0;
};

// A fixed (never trained) basis of random Fourier features of s that P1 also reads:
// cos(W s + b), W: m x D with N(0, scale^2) entries, b uniform in [0, 2 pi). An MLP on smooth inputs
// draws walls as smooth ramps (spectral bias); these give it sharper basis functions of position.
// The basis is a function of (D, m, scale) alone, from a fixed seed, so model files need not store it.
// On maps 101-102 (with the third hidden layer and 3000 sequences) they lowered the 8-step error of
// sequences that hit something from about 0.71 to 0.62 units; a scale of 3 made rollouts diverge.
constexpr int kPredictorFourierFeatures = 32;
constexpr double kPredictorFourierScale = 0.5;
template <typename T>
struct FourierBasis {
  nn::Mat<T> W;  // m x D
  nn::Mat<T> b;  // m x 1
  int size() const { return static_cast<int>(W.rows()); }
};
template <typename T>
FourierBasis<T> make_fourier_basis(int latent, int features = kPredictorFourierFeatures, double scale = kPredictorFourierScale);

template <typename T>
struct Level1Nets {
  nn::MLP<T>* encoder;
  nn::MLP<T>* predictor;
  const FourierBasis<T>* fourier;  // P1's fixed input basis
  nn::MLP<T>* inverse_dynamics;
};

// Predictor input for one step: [s; cos h; sin h; s cos h; s sin h], (3D + 2) x B. The products let
// P1's first layer weigh each latent by the heading (how far the wall ahead is, what lies that way)
// instead of building those products from sums through GELUs: on maps 101-102 they lowered the
// 1-step error of blocked moves from 0.35 to 0.25 units after the predictor polish.
// After them come the m Fourier features of s: (3D + 2 + m) x B.
inline int predictor_input_size(int latent, int fourier = kPredictorFourierFeatures) { return 3 * latent + 2 + fourier; }
template <typename T>
nn::Mat<T> predictor_input(const nn::Mat<T>& s, const T* headings, const FourierBasis<T>& fourier);
// Backward of predictor_input: the gradient for s (D x B) from the gradient d_in of the whole
// input; with d_heading non-null also each heading's gradient (B values).
template <typename T>
nn::Mat<T> predictor_input_backward(const nn::Mat<T>& d_in, const nn::Mat<T>& s, const T* headings,
                                    const FourierBasis<T>& fourier, T* d_heading);

// What the forward computes that the backward reads again: z = W s + b (m x B) and each heading's
// cosine and sine (B each).
template <typename T>
struct PredictorInputCache {
  nn::Mat<T> z;
  std::vector<T> cos_h, sin_h;
};
// predictor_input written into `in` (resized only when its shape differs), keeping the cache.
template <typename T>
void predictor_input_into(const nn::Mat<T>& s, const T* headings, const FourierBasis<T>& fourier, nn::Mat<T>& in,
                          PredictorInputCache<T>& cache);
// predictor_input_backward from the forward's cache: the same values, without recomputing them.
template <typename T>
nn::Mat<T> predictor_input_backward(const nn::Mat<T>& d_in, const nn::Mat<T>& s, const FourierBasis<T>& fourier,
                                    const PredictorInputCache<T>& cache, T* d_heading);

// The parts of P1's input in order, with their sizes (what `hjepa perf` reports and the PyTorch peer
// rebuilds): s, cos h, sin h, s cos h, s sin h, cos(W s + b).
struct InputPart {
  const char* name;
  int size;
};
inline std::vector<InputPart> predictor_input_parts(int latent, int fourier = kPredictorFourierFeatures) {
  return {{"s", latent}, {"cos_heading", 1}, {"sin_heading", 1}, {"s_cos_heading", latent}, {"s_sin_heading", latent},
          {"fourier_cos", fourier}};
}

template <typename T>
struct UnrolledPrediction {
  double loss = 0;  // mean over samples of |s_t - target_t|^2, averaged over t = 1..k
  nn::Mat<T> d_s0;  // with backward: d (weight x loss) / d s0, D x B
};

// The prediction term on its own: s_t+1 = s_t + P1(predictor_input(s_t, h_t)) for k steps from s0
// (D x B); headings: k * B, step-major; targets: D x (k * B), step-major blocks for t = 1..k. With
// backward = true, accumulates (+=) weight x the loss's gradients into P1. The joint phase calls it
// from level1_loss; the polish calls it alone on frozen encodings.
template <typename T>
UnrolledPrediction<T> unrolled_prediction(nn::MLP<T>& predictor, const FourierBasis<T>& fourier, const nn::Mat<T>& s0,
                                          const T* headings, int k, const nn::Mat<T>& targets, double weight, bool backward);

// frames: k + 1 matrices F x B (observations t = 0..k); headings: k * B, step-major;
// targets: D x (k * B), the stop-gradient encodings of frames 1..k (step-major blocks).
// With backward = true, accumulates (+=) the gradients of `total` into all three networks.
template <typename T>
Level1LossTerms level1_loss(const Level1Nets<T>& nets, const std::vector<nn::Mat<T>>& frames,
                            const std::vector<T>& headings, const nn::Mat<T>& targets,
                            const Level1LossWeights& w, bool backward);

}  // namespace hjepa
