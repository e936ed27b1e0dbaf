// Level 2's temporal-distance objective: E2 maps a level-1 latent s to h so that |h_a - h_b| is the
// number of steps between the two states (a quasimetric-RL-style objective, Wang et al. 2023, made
// symmetric). Two kinds of pairs: "bound" pairs seen k steps apart in one exploration sequence,
// whose distance may be at most k (a squared hinge), and "spread" pairs (random frames, and frames
// near each other in s from other sequences), whose distance is pushed up by softplus(margin - d).
// Maximising distances under the one-sequence bounds makes |h_a - h_b| approach the shortest number
// of steps that experience shows, so two points on either side of a thin wall end up far apart
// even though they are close in space (nothing holds them together but the way round).
// F = encoder inputs, d = latent h, B = pairs.
#pragma once
#include <vector>

#include "agent/jepa/predictor.hpp"
#include "agent/nn/mlp.hpp"

namespace hjepa {

struct DistanceLossWeights {
  double bound = 10.0;   // squared hinge on d - k for pairs seen k steps apart
  double spread = 1.0;   // softplus(margin - d) on the spread pairs
  double margin = 16.0;  // steps: spread pairs farther apart than this are barely pushed
};

struct DistanceLossTerms {
  double bound = 0, spread = 0, total = 0;
  double bound_ratio = 0;  // mean d / k over bound pairs (about 1 when distances mean steps)
};

// E2's input: [s; cos(W s + b)] with the level-2 Fourier basis (fixed, like P1's): (D + m) x B.
template <typename T>
nn::Mat<T> level2_encoder_input(const nn::Mat<T>& s, const FourierBasis<T>& fourier);

// xa, xb: F x B encoder inputs of the two ends of each pair; steps[b] > 0 marks a bound pair seen
// steps[b] apart, steps[b] == 0 a spread pair. With backward = true accumulates (+=) the gradients
// of `total` into the encoder.
template <typename T>
DistanceLossTerms temporal_distance_loss(nn::MLP<T>& encoder, const nn::Mat<T>& xa, const nn::Mat<T>& xb,
                                         const std::vector<T>& steps, const DistanceLossWeights& w, bool backward);

// The same over the batch's two halves of pairs, [0, B/2) on `encoder` and [B/2, B) on `replica`
// (E2's shape; its values are set to encoder's here and its gradients are added to encoder's and
// zeroed after), the second half on `side` when given, else after the first. The same terms and
// gradients as one call on the whole batch in exact arithmetic (each half's sums round on their own).
// Level 2's training takes E2's batches this way on both cores.
template <typename T>
DistanceLossTerms temporal_distance_loss_halves(nn::MLP<T>& encoder, nn::MLP<T>& replica, const nn::Mat<T>& xa,
                                                const nn::Mat<T>& xb, const std::vector<T>& steps,
                                                const DistanceLossWeights& w, bool backward, SideThread* side);

}  // namespace hjepa
