// Level 2 of the H-JEPA: encoder E2 (s -> h, where distance means steps: see temporal_distance.hpp),
// residual predictor P2 ((h, macro-action) -> h after K steps), the places learned from experience
// and the place graphs the high-level planner searches. Nothing here reads the simulator's map.
//   - temporal places: a cover of the experience in h at `place_radius` steps, so every member of a
//     place is a few steps from the others and the count follows the free area;
//   - the P2 graph over them (the agent's own model): for every place, P2 is asked where each of
//     48 macro-actions leads; the place it lands in is an edge whose cost is the learned distance
//     in steps, if that distance fits in K steps. Built from the model after training or loading;
//   - the experience graph over the same places (pairs seen within K steps), for the ablation
//     `hjepa-no-p2`; the distance graph (every pair of places at most K steps apart by the learned
//     distance, no P2) for `hjepa-distance`; and the format-4 Euclidean places (k-means in s, P2 proposals kept where
//     experience saw them, K x straightness costs) for `hjepa-euclid`.
// Shapes: D = level-1 latent, d = level-2 latent, P = places, C = palette colours, E = edges.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "agent/jepa/level1.hpp"
#include "agent/jepa/places.hpp"

namespace hjepa {

struct Level2Arch {
  int input = 16;          // D: level-1 latent dimension (E2's input, with its Fourier features)
  int latent = 16;         // d: dimension of h
  int hidden = 64;         // hidden width of E2 and P2
  int horizon = 8;         // K: level-1 steps per level-2 step
  int places = 1;          // P: temporal places (set by training; follows the free area)
  int euclid_places = 64;  // k-means places in s (the hjepa-euclid variant)
  int euclid_edges = 0;    // edges of their graph (set by training)
  int experience_edges = 0;  // edges between temporal places seen within K steps (set by training)
  float place_radius = 3;  // steps: every experienced state is within this distance in h of a place
};

struct Level2TrainParams {
  int distance_steps = 4500;    // E2's optimiser steps (temporal distance); 1500 left more edges through thin walls
  int steps = 1500;             // P2's optimiser steps (on the frozen E2)
  int batch = 256;              // pairs (E2) or windows (P2) per step
  double lr = 3e-3;             // Adam learning rate (cosine-decayed to 10%)
  double bound_weight = 10.0;   // E2: squared hinge on distance - steps for pairs seen in one sequence
  double spread_weight = 1.0;   // E2: softplus(margin - distance) on the spread pairs
  double margin = 16.0;         // E2: steps beyond which spread pairs are barely pushed apart
  int bound_steps = 8;          // E2: bound pairs are up to this many steps apart
  double place_radius = 3.0;    // places: cover radius in h, steps
  int max_places = 2048;        // places: at most this many
  int kmeans_iterations = 30;   // Lloyd iterations (both place sets)
  int euclid_places = 64;       // Euclidean places (k-means in s) for hjepa-euclid
  int query_directions = 16;    // macro-action directions asked of P2 per place (x 3 straightness)
  int min_transitions = 1;      // Euclidean graph: P2 edges kept only if experience saw them this often
};

constexpr int kQueryDirections = 16;  // macro-action directions asked of P2 per place for the P2 graph (x 3 straightness)

// Which place graph the high-level planner searches (agent variants).
enum class PlaceGraphKind { P2, Experience, Distance, Euclid };

// The macro-action of a run of headings: the mean of (cos h, sin h). Its direction is the mean
// direction and its length the straightness (1 = all the same heading).
void macro_action(const float* headings, int count, float out[2]);

struct Level2Report {
  std::vector<int> logged_step;
  std::vector<float> loss_pred, loss_var, loss_cov;  // per logged step: P2 prediction, E2 bound, E2 spread
  std::vector<float> latent_std;   // per dimension of h, held-out
  double bound_ratio = 0;          // held-out: mean distance / steps over pairs 1..K steps apart in one sequence
  double p2_place_accuracy = 0;    // held-out K-step windows whose P2 prediction lands in the true next place
  double stay_place_accuracy = 0;  // the same for "predict no change" (the baseline P2 must beat)
  int places = 0;                  // temporal places
  int proposed_edges = 0;          // distinct edges P2 proposed over them (= edges of the P2 graph)
  int edges = 0;                   // edges of the P2 graph
  int experience_edges = 0;        // edges of the experience graph
  double reachable_pairs = 0;      // fraction of ordered place pairs connected in the P2 graph
  double seconds = 0;
  long parameters = 0;
  bool finite = true;
  std::string message;
};

class Level2 {
 public:
  Level2() = default;
  Level2(const Level2Arch& arch, uint64_t seed);

  MatF encode(const MatF& s) const;                     // D x B -> d x B
  MatF predict(const MatF& h, const MatF& macro) const;  // d x B, 2 x B -> d x B
  // The places and graph a variant plans over, and the place of a level-1 latent s (D x 1) there.
  const Places& places_for(PlaceGraphKind kind) const { return kind == PlaceGraphKind::Euclid ? euclid : places; }
  const PlaceGraph& graph(PlaceGraphKind kind = PlaceGraphKind::P2) const;
  int place_of(const MatF& s, PlaceGraphKind kind = PlaceGraphKind::P2) const;
  // Rebuilds the graphs: the P2 and distance graphs from the model, the others from their tables.
  // `proposed` (optional) gets the place pairs P2 landed on before the P2 graph's checks.
  void rebuild_graphs(int* proposed = nullptr);

  long num_parameters() const;  // E2, P2 and the place tables (not the edge lists)
  nn::ParamList<float> params();
  nn::ConstParamList<float> params() const;

  Level2Arch arch;
  nn::MLP<float> encoder, predictor;
  FourierBasis<float> fourier;             // E2's fixed input basis (not trained, not stored)
  Places places;                           // temporal places, assigned in h
  Places euclid;                           // k-means places, assigned in s
  nn::Parameter<float> euclid_edges;       // 3 x E: from, to, predicted steps
  nn::Parameter<float> experience_edges;   // 3 x E

 private:
  PlaceGraph p2_graph_, experience_graph_, distance_graph_, euclid_graph_;
};

// The P2 graph over `level2.places` (see the header comment); `proposed` gets the distinct pairs P2
// landed on before the distance check.
PlaceGraph p2_place_graph(const Level2& level2, int query_directions = kQueryDirections, int* proposed = nullptr);

// Every pair of places whose learned distance is at most K steps (cost: that distance).
PlaceGraph distance_place_graph(const Level2& level2);

using Level2ProgressFn = std::function<void(int step, int steps, const Level2Report&)>;

// Trains E2 (temporal distance) and P2 on the frozen level 1's latents of the exploration data,
// learns both place sets and builds the graphs; measures on held-out data.
Level2Report train_level2(Level2& model, const Level1& level1, const ExplorationData& data, const ExplorationData& heldout,
                          const Level2TrainParams& params, uint64_t seed, const Level2ProgressFn& progress = {});

}  // namespace hjepa
