// A small level-1 batch in double for the loss tests: E1, P1 (with K z values) and the
// inverse-dynamics head drawn from one seed, random frames and headings, and the stop-gradient
// targets E1 gives the frames 1..k. Shared by the gradient checks of test_level1 and test_latent_z.
#pragma once
#include <vector>

#include "agent/jepa/level1_loss.hpp"
#include "agent/jepa/predictor.hpp"
#include "agent/nn/mlp.hpp"
#include "sim/rng.hpp"

namespace hjepa::test {

struct Level1Batch {
  using M = nn::Mat<double>;
  Rng rng;
  FourierBasis<double> fourier;
  nn::MLP<double> enc, pred, idm;
  std::vector<M> frames;
  std::vector<double> headings;
  M targets;
  Level1LossWeights weights{1.0, 1.0, 0.3, 0.7};

  // F features, D latent, B windows of k steps, K z values, E1's hidden width, m Fourier features.
  Level1Batch(uint64_t seed, int F, int D, int B, int k, int K, int enc_hidden, int m)
      : rng(seed),
        fourier(make_fourier_basis<double>(D, m, 0.8)),
        enc({F, enc_hidden, D}, nn::Activation::GELU, rng, "E"),
        pred({predictor_input_size(D, fourier.size(), K), 7, 6, D}, nn::Activation::GELU, rng, "P"),
        idm({2 * D, 5, 2}, nn::Activation::Tanh, rng, "I"),
        frames(k + 1),
        headings(static_cast<size_t>(k) * B) {
    for (auto& f : frames) f = M::Random(F, B) * 2.0;
    for (auto& h : headings) h = rng.uniform(-3, 3);
    M targets_in(F, k * B);
    for (int t = 1; t <= k; ++t) targets_in.middleCols((t - 1) * B, B) = frames[t];
    targets = enc.forward(targets_in);  // held fixed: the stop-gradient target
  }
  Level1Nets<double> nets() { return {&enc, &pred, &fourier, &idm}; }
  nn::ParamList<double> params() {
    nn::ParamList<double> out = enc.params();
    for (auto* p : pred.params()) out.push_back(p);
    for (auto* p : idm.params()) out.push_back(p);
    return out;
  }
  double loss(bool backward, ZColumns zc = {}, const PredictionHalves<double>* halves = nullptr) {
    return level1_loss<double>(nets(), frames, headings, targets, weights, backward, zc, halves).total;
  }
};

}  // namespace hjepa::test
