// The level-1 training objective on one batch, as a forward/backward pair over the encoder E1,
// the residual predictor P1 (its input features and unrolled prediction: predictor.hpp) and the
// inverse-dynamics head; templated so tests check every gradient in double against finite
// differences. F = features, D = latent, B = batch, k = unroll.
#pragma once
#include <vector>

#include "agent/jepa/predictor.hpp"
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

template <typename T>
struct Level1Nets {
  nn::MLP<T>* encoder;
  nn::MLP<T>* predictor;
  const FourierBasis<T>* fourier;  // P1's fixed input basis
  nn::MLP<T>* inverse_dynamics;
};

// frames: k + 1 matrices F x B (observations t = 0..k); headings: k * B, step-major;
// targets: D x (k * B), the stop-gradient encodings of frames 1..k (step-major blocks).
// With backward = true, accumulates (+=) the gradients of `total` into all three networks.
// zc: each window's z for P1 (predictor.hpp).
// halves, if given, takes the prediction term in two halves of the batch (unrolled_prediction_halves:
// P1's replica and the side thread, or null to run them one after the other).
template <typename T>
struct PredictionHalves {
  nn::MLP<T>* replica = nullptr;
  SideThread* side = nullptr;
};
template <typename T>
Level1LossTerms level1_loss(const Level1Nets<T>& nets, const std::vector<nn::Mat<T>>& frames,
                            const std::vector<T>& headings, const nn::Mat<T>& targets,
                            const Level1LossWeights& w, bool backward, ZColumns zc = {},
                            const PredictionHalves<T>* halves = nullptr);

}  // namespace hjepa
