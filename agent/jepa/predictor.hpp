// P1, level 1's residual predictor (s_t+1 = s_t + P1(input(s_t, h_t))), and its input features:
// s, the heading's cos and sin, their products with s and a fixed basis of random Fourier features
// of s (which E2 reads too: level2.cpp); their backward pass, and the unrolled prediction the joint
// objective (level1_loss.hpp) and the predictor polish (level1_training.cpp) share. Templated so
// tests check every gradient in double against finite differences. D = latent, B = batch, k = unroll.
#pragma once
#include <vector>

#include "agent/nn/mlp.hpp"
#include "sim/rng.hpp"

namespace hjepa {

class SideThread;

using MatF = nn::Mat<float>;

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
  nn::Mat<T> Wt;  // Wᵀ (D x m) for the backward (make_fourier_basis fills it; empty: the backward transposes W itself)
  int size() const { return static_cast<int>(W.rows()); }
};
template <typename T>
FourierBasis<T> make_fourier_basis(int latent, int features = kPredictorFourierFeatures, double scale = kPredictorFourierScale);

// Predictor input for one step: [s; cos h; sin h; s cos h; s sin h], (3D + 2) x B. The products let
// P1's first layer weigh each latent by the heading (how far the wall ahead is, what lies that way)
// instead of building those products from sums through GELUs: on maps 101-102 they lowered the
// 1-step error of blocked moves from 0.35 to 0.25 units after the predictor polish.
// After them come the m Fourier features of s: (3D + 2 + m) x B.
// Last, with a latent variable z (issue 18: what the present does not determine, e.g. whether a
// gate ahead is open), a one-hot of z over its K values: (3D + 2 + m + K) x B. K = 1 adds no rows
// (the model without z).
inline int predictor_z_rows(int z_values) { return z_values > 1 ? z_values : 0; }
inline int predictor_input_size(int latent, int fourier = kPredictorFourierFeatures, int z_values = 1) {
  return 3 * latent + 2 + fourier + predictor_z_rows(z_values);
}
// Which z each column of a batch takes: K values; z[b] in [0, K) per column, or null for z = 0 in
// every column. Discrete, so nothing flows back into it.
struct ZColumns {
  int values = 1;
  const int* z = nullptr;
};
template <typename T>
nn::Mat<T> predictor_input(const nn::Mat<T>& s, const T* headings, const FourierBasis<T>& fourier, ZColumns zc = {});
// Backward of predictor_input: the gradient for s (D x B) from the gradient d_in of the whole
// input; with d_heading non-null also each heading's gradient (B values).
template <typename T>
nn::Mat<T> predictor_input_backward(const nn::Mat<T>& d_in, const nn::Mat<T>& s, const T* headings,
                                    const FourierBasis<T>& fourier, T* d_heading);

// What the forward computes that the backward reads again: z = W s + b (m x B) and each heading's
// cosine and sine (B each).
template <typename T>
struct PredictorInputCache {
  nn::Mat<T> z, cos_z;  // z and cos z
  // Eigen arrays, so always aligned: Eigen vectorises a cos from an aligned start, and into a
  // std::vector's storage its scalar head (computed with std::cos, which differs in the last bit)
  // would follow the heap address, so results would vary from run to run.
  Eigen::Array<T, Eigen::Dynamic, 1> cos_h, sin_h;
};
// predictor_input written into `in` (resized only when its shape differs), keeping the cache.
// cos_h and sin_h, if given, are the headings' cosines and sines already computed (B each; the
// planner takes them for all its steps at once, where they vectorise).
template <typename T>
void predictor_input_into(const nn::Mat<T>& s, const T* headings, const FourierBasis<T>& fourier, nn::Mat<T>& in,
                          PredictorInputCache<T>& cache, const T* cos_h = nullptr, const T* sin_h = nullptr,
                          ZColumns zc = {});
// predictor_input_backward from the forward's cache: the same values, without recomputing them.
template <typename T>
nn::Mat<T> predictor_input_backward(const nn::Mat<T>& d_in, const nn::Mat<T>& s, const FourierBasis<T>& fourier,
                                    const PredictorInputCache<T>& cache, T* d_heading);
// ds += Wᵀ dz for float, D = 16, m a multiple of 8 and B of 4, summed exactly as Eigen's product sums
// it for those shapes (even and odd k in two chains, their sum then added to ds), without its
// packing; returns false (and leaves ds alone) for any other shape or without AVX-512. A test checks
// it against Eigen's product bit for bit.
bool fourier_backward_add(const nn::Mat<float>& Wt, const nn::Mat<float>& dz, nn::Mat<float>& ds);

// predictor_input_backward into `ds` (D x B), with `dz` its scratch for the Fourier features' gradient:
// no allocation once both have their sizes (the planner's hot path).
template <typename T>
void predictor_input_backward_into(const nn::Mat<T>& d_in, const nn::Mat<T>& s, const FourierBasis<T>& fourier,
                                   const PredictorInputCache<T>& cache, T* d_heading, nn::Mat<T>& ds, nn::Mat<T>& dz);

// The parts of P1's input in order, with their sizes (what `hjepa perf` reports and the PyTorch peer
// rebuilds): s, cos h, sin h, s cos h, s sin h, cos(W s + b).
struct InputPart {
  const char* name;
  int size;
};
inline std::vector<InputPart> predictor_input_parts(int latent, int fourier = kPredictorFourierFeatures, int z_values = 1) {
  std::vector<InputPart> parts = {{"s", latent},           {"cos_heading", 1},      {"sin_heading", 1},
                                  {"s_cos_heading", latent}, {"s_sin_heading", latent}, {"fourier_cos", fourier}};
  if (predictor_z_rows(z_values) > 0) parts.push_back({"z_one_hot", z_values});
  return parts;
}

template <typename T>
struct UnrolledPrediction {
  double loss = 0;  // mean over samples of |s_t - target_t|^2, averaged over t = 1..k
  nn::Mat<T> d_s0;  // with backward: d (weight x loss) / d s0, D x B
};

// The prediction term on its own: s_t+1 = s_t + P1(predictor_input(s_t, h_t)) for k steps from s0
// (D x B); headings: k * B, step-major; targets: D x (k * B), step-major blocks for t = 1..k. With
// backward = true, accumulates (+=) weight x the loss's gradients into P1. The joint phase calls it
// from level1_loss; the polish calls it alone on frozen encodings. zc: each window's z (the same at
// every step of a window). sample_loss, if given, receives each window's loss (B values, the same
// scale as `loss`), which the z assignment compares across z values.
template <typename T>
UnrolledPrediction<T> unrolled_prediction(nn::MLP<T>& predictor, const FourierBasis<T>& fourier, const nn::Mat<T>& s0,
                                          const T* headings, int k, const nn::Mat<T>& targets, double weight, bool backward,
                                          ZColumns zc = {}, std::vector<double>* sample_loss = nullptr);

// unrolled_prediction over the batch's two halves of columns, [0, B/2) on `predictor` and [B/2, B) on
// `replica` (P1's shape; its values are set to predictor's here and its gradients are added to
// predictor's and zeroed after), the second half on `side` when given, else after the first. The same
// loss, d_s0 and gradients as one call on the whole batch in exact arithmetic (each half's sums round
// on their own). The joint phase and the polish take their batches this way on both cores.
template <typename T>
UnrolledPrediction<T> unrolled_prediction_halves(nn::MLP<T>& predictor, nn::MLP<T>& replica, const FourierBasis<T>& fourier,
                                                 const nn::Mat<T>& s0, const T* headings, int k, const nn::Mat<T>& targets,
                                                 double weight, bool backward, ZColumns zc, SideThread* side);

// P1: predictor_input_size(D, m, K) -> hidden x 3 -> D (GELU), its weights drawn from rng.
nn::MLP<float> make_predictor(int latent, int hidden, int z_values, Rng& rng);

// Multiply-adds of one P1 step per column, forward: its layers, the Fourier map W s and the heading
// products s cos h and s sin h (D each). Planning (plan_cost_multiply_adds) and training
// (JointTrainer::multiply_adds) count with it.
inline double predictor_step_multiply_adds(const nn::MLP<float>& predictor, const FourierBasis<float>& fourier) {
  const double D = predictor.outputs();
  return predictor.multiply_adds() + static_cast<double>(fourier.size()) * D + 2 * D;
}

// s: D x B, headings: B -> next s: D x B (residual: s + P1(predictor_input(s, h))); counts the
// evaluations in predictor_evaluations (counters.hpp).
MatF predict_next(const nn::MLP<float>& predictor, const FourierBasis<float>& fourier, const MatF& s, const float* headings,
                  ZColumns zc = {});

}  // namespace hjepa
