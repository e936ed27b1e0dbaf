// Level-2 training: E2 by the temporal-distance objective on the frozen level-1 latents, then P2 on
// the frozen E2 at the coarse time scale, then the places and the place graphs (place_graph.hpp),
// then held-out diagnostics, kept in a Level2Report.
// Shapes: D = level-1 latent, d = level-2 latent, P = places.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "agent/jepa/exploration.hpp"
#include "agent/jepa/level1.hpp"
#include "agent/jepa/level2.hpp"

namespace hjepa {

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
  // Level 2 learns from the belief the agents hold, not from single encodings: each exploration
  // sequence filtered at this fixed gain (belief.hpp filtered_encodings; 1 = the raw encodings, as
  // before 2026-12-03). In heavy perception noise raw encodings squeeze E2's distances (the bound
  // pairs' noise) and coarsen the places.
  double belief_gain = 0.5;
};

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
  int raw_edges = 0;               // edges of the P2 graph without its reach calibration
  double p2_reach_ratio = 1;       // experienced reach over P2's (place_graph.hpp)
  double p2_reach_scale = 1;       // the stretch the calibration applied to P2's moves (1 = none)
  int experience_edges = 0;        // edges of the experience graph
  double reachable_pairs = 0;      // fraction of ordered place pairs connected in the P2 graph
  double seconds = 0;
  long parameters = 0;
  bool finite = true;
  std::string message;
};

using Level2ProgressFn = std::function<void(int step, int steps, const Level2Report&)>;

// Trains E2 (temporal distance) and P2 on the frozen level 1's latents of the exploration data,
// learns both place sets and builds the graphs; measures on held-out data.
Level2Report train_level2(Level2& model, const Level1& level1, const ExplorationData& data, const ExplorationData& heldout,
                          const Level2TrainParams& params, uint64_t seed, const Level2ProgressFn& progress = {});

}  // namespace hjepa
