// P2's objective as a forward/backward pair: the residual predictor ((h, macro-action) -> h after K
// steps) on the frozen E2's latents, mean squared distance per sample (in steps^2, since distance
// in h means steps). Templated so a test checks the gradient in double against finite differences.
// d = level-2 latent, B = batch.
#pragma once
#include "agent/nn/mlp.hpp"

namespace hjepa {

// Predictor input [h; macro]: (d + 2) x B.
template <typename T>
nn::Mat<T> level2_predictor_input(const nn::Mat<T>& h, const nn::Mat<T>& macro);

// h0: d x B latents at time t; macro: 2 x B macro-actions of the K headings that follow; target:
// d x B, the latents at t + K. With backward = true, accumulates (+=) the gradient into P2.
// Returns the mean squared distance between prediction and target.
template <typename T>
double level2_prediction_loss(nn::MLP<T>& predictor, const nn::Mat<T>& h0, const nn::Mat<T>& macro,
                              const nn::Mat<T>& target, bool backward);

}  // namespace hjepa
