// The level-2 batch objective as a forward/backward pair over the encoder E2 (s -> h) and the
// residual predictor P2 ((h, macro-action) -> h after K steps); templated so a test checks every
// gradient in double against finite differences. D = level-1 latent, d = level-2 latent, B = batch.
#pragma once
#include "agent/nn/mlp.hpp"

namespace hjepa {

struct Level2LossWeights {
  double pred = 1.0;  // coarse-step latent prediction (mean squared distance per sample)
  double var = 1.0;   // VICReg variance hinge on h
  double cov = 0.04;  // VICReg covariance on h
};

struct Level2LossTerms {
  double pred = 0, var = 0, cov = 0, total = 0;
};

// Predictor input [h; macro]: (d + 2) x B.
template <typename T>
nn::Mat<T> level2_predictor_input(const nn::Mat<T>& h, const nn::Mat<T>& macro);

// s0: D x B level-1 latents at time t; macro: 2 x B macro-actions of the K headings that follow;
// target: d x B, the stop-gradient E2 of the level-1 latents at t + K. With backward = true,
// accumulates (+=) the gradients of `total` into E2 and P2.
template <typename T>
Level2LossTerms level2_loss(nn::MLP<T>& encoder, nn::MLP<T>& predictor, const nn::Mat<T>& s0, const nn::Mat<T>& macro,
                            const nn::Mat<T>& target, const Level2LossWeights& w, bool backward);

}  // namespace hjepa
