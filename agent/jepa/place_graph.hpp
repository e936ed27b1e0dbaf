// The place graphs level 2 plans over, built from the model and from experience (their types and
// stored tables: places.hpp; Level2 holds them):
//   - temporal places: a cover of the experience in h at `place_radius` steps, so every member of a
//     place is a few steps from the others and the count follows the free area;
//   - the P2 graph over them (the agent's own model): for every place, P2 is asked where each of
//     48 macro-actions leads; the place it lands in is an edge whose cost is the learned distance
//     in steps, if that distance fits in K steps. Built from the model after training or loading.
//     P2's reach is calibrated by experience: where the median distance its straight macro-actions
//     move falls short of the median experienced K-step transition's by more than
//     kReachCalibration, each predicted move is stretched by that ratio (at most kMaxReachStretch)
//     before the landing place is read (at heavy noise P2, learning from uncertain latents, predicts
//     the mean move of every state a latent may be, shortened by the walls among them; see
//     ARCHITECTURE.md);
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
// P2's moves are stretched when the experienced reach exceeds P2's by more than this ratio (mazes'
// walls shorten straight moves by 5-10%: 1.03-1.10 there; 0.99-1.01 on open maps at low noise).
constexpr float kReachCalibration = 1.2f;
// The most the calibration stretches: a P2 that falls short by more is not a model of the moves
// (an untrained one), and stretching it further would only spread its guesses.
constexpr float kMaxReachStretch = 2.f;

// The P2 graph over `level2.places` (see the header comment), with and without the reach calibration,
// from one set of P2's answers. `calibrate_above`: stretch P2's moves by the reach ratio when it
// exceeds this, at most by kMaxReachStretch (0 = never: the P2 graph before 2026-12-06).
struct P2Graphs {
  PlaceGraph calibrated;  // the agent's P2 graph
  PlaceGraph raw;         // without the stretch; empty when `scale` is 1 (then the same as `calibrated`)
  float ratio = 1;        // reach ratio: the median learned distance of the experienced K-step place pairs
                          // (level2.experience_edges) over the median distance P2 moves a place centre by
                          // a straight macro-action (1 when either is empty)
  float scale = 1;        // the stretch applied (1 = none)
  int proposed = 0;       // distinct place pairs P2 landed on (calibrated) before the graph's checks
};
P2Graphs p2_place_graphs(const Level2& level2, int query_directions = kQueryDirections,
                         float calibrate_above = kReachCalibration);

// Every pair of places whose learned distance is at most K steps (cost: that distance).
PlaceGraph distance_place_graph(const Level2& level2);

// Both place sets and the stored graphs (the experience graph and the Euclidean one) from the frozen
// level 1's latents S (D x N) and E2's H (d x N) of the exploration data; returns each temporal
// place's member count.
std::vector<int> learn_places(Level2& model, const Level1& level1, const ExplorationData& data, const MatF& S, const MatF& H,
                              const Level2TrainParams& tp, Rng& rng);

}  // namespace hjepa
