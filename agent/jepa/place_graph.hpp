// The place graphs level 2 plans over, built from the model and from experience (their types and
// stored tables: places.hpp; Level2 holds them):
//   - temporal places: a cover of the experience in h at `place_radius` steps, so every member of a
//     place is a few steps from the others and the count follows the free area;
//   - the P2 graph over them (the agent's own model): for every place, P2 is asked where each of
//     48 macro-actions leads; the place it lands in is an edge whose cost is the learned distance
//     in steps, if that distance fits in K steps. Built from the model after training or loading;
//   - the experience graph over the same places (pairs seen within K steps), for the ablation
//     `hjepa-no-p2`; the distance graph (every pair of places at most K steps apart by the learned
//     distance, no P2) for `hjepa-distance`; and the format-4 Euclidean places (k-means in s, P2 proposals kept where
//     experience saw them, K x straightness costs) for `hjepa-euclid`.
// learn_places learns both place sets and the stored graphs after training.
// Shapes: D = level-1 latent, d = level-2 latent, P = places, N = frames.
#pragma once
#include <vector>

#include "agent/jepa/exploration.hpp"
#include "agent/jepa/level1.hpp"
#include "agent/jepa/level2.hpp"
#include "agent/jepa/places.hpp"
#include "sim/rng.hpp"

namespace hjepa {

struct Level2TrainParams;  // level2_training.hpp

constexpr int kQueryDirections = 16;  // macro-action directions asked of P2 per place for the P2 graph (x 3 straightness)

// The P2 graph over `level2.places` (see the header comment); `proposed` gets the distinct pairs P2
// landed on before the distance check.
PlaceGraph p2_place_graph(const Level2& level2, int query_directions = kQueryDirections, int* proposed = nullptr);

// Every pair of places whose learned distance is at most K steps (cost: that distance).
PlaceGraph distance_place_graph(const Level2& level2);

// Both place sets and the stored graphs (the experience graph and the Euclidean one) from the frozen
// level 1's latents S (D x N) and E2's H (d x N) of the exploration data; returns each temporal
// place's member count.
std::vector<int> learn_places(Level2& model, const Level1& level1, const ExplorationData& data, const MatF& S, const MatF& H,
                              const Level2TrainParams& tp, Rng& rng);

}  // namespace hjepa
