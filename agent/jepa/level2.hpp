// Level 2 of the H-JEPA: encoder E2 (s -> h), residual predictor P2 ((h, macro-action) -> h after
// K steps), "places" (prototypes in s-space learned by k-means from experience, each with the
// colour distribution the colour head predicts there and a member latent to hand down to level 1
// as a subgoal) and the place graph built by querying P2 (edges kept only where the agent's own
// experience saw the transition). Nothing here reads the simulator's map.
// Shapes: D = level-1 latent, d = level-2 latent, P = places, C = palette colours, E = edges.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "agent/jepa/level1.hpp"

namespace hjepa {

struct Level2Arch {
  int input = 16;    // D: level-1 latent dimension (E2's input)
  int latent = 8;    // d: dimension of h
  int hidden = 48;   // hidden width of E2 and P2
  int horizon = 8;   // K: level-1 steps per level-2 step
  int places = 64;   // P: number of place prototypes
  int edges = 0;     // E: edges in the place graph (set by training)
};

struct Level2TrainParams {
  int steps = 1500;           // optimiser steps on E2 and P2
  int batch = 256;            // windows per step
  double lr = 3e-3;           // Adam learning rate (cosine-decayed to 10%)
  double var_weight = 1.0;    // VICReg variance hinge weight on h
  double cov_weight = 0.04;   // VICReg covariance weight on h
  int kmeans_iterations = 30; // Lloyd iterations for the places
  int query_directions = 16;  // macro-action directions asked of P2 per place
  int min_transitions = 1;    // an edge P2 proposes is kept only if experience saw it at least this often (0 = keep all)
};

// The macro-action of a run of headings: the mean of (cos h, sin h). Its direction is the mean
// direction and its length the straightness (1 = all the same heading).
void macro_action(const float* headings, int count, float out[2]);

struct PlaceEdge {
  int to = 0;
  float cost = 0;  // predicted steps
};

struct Level2Report {
  std::vector<int> logged_step;
  std::vector<float> loss_pred, loss_var, loss_cov;  // per logged step
  std::vector<float> latent_std;   // per dimension of h, held-out
  double p2_place_accuracy = 0;    // held-out K-step windows whose P2 prediction lands in the true next place
  double stay_place_accuracy = 0;  // the same for "predict no change" (the baseline P2 must beat)
  int places = 0;                  // places with members
  int proposed_edges = 0;          // distinct edges P2 proposed
  int edges = 0;                   // edges kept after the experience check
  double reachable_pairs = 0;      // fraction of ordered place pairs connected in the graph
  double seconds = 0;
  long parameters = 0;
  bool finite = true;
  std::string message;
};

class Level2 {
 public:
  Level2() = default;
  Level2(const Level2Arch& arch, uint64_t seed);

  MatF encode(const MatF& s) const { return encoder.forward(s); }  // D x B -> d x B
  MatF predict(const MatF& h, const MatF& macro) const;           // d x B, 2 x B -> d x B
  // The place whose centre is nearest to s (D x 1).
  int place_of(const MatF& s) const;
  // Places' colour probabilities and the graph.
  float colour_probability(int place, int colour) const { return colours.value(colour, place); }
  int dominant_colour(int place) const;
  const std::vector<std::vector<PlaceEdge>>& graph() const { return graph_; }
  // Rebuilds graph() from edge_table (after training or loading).
  void rebuild_graph();

  long num_parameters() const;  // E2, P2 and the learned place tables (not the edge list)
  nn::ParamList<float> params();
  nn::ConstParamList<float> params() const;

  Level2Arch arch;
  nn::MLP<float> encoder, predictor;
  nn::Parameter<float> centroids;   // D x P: k-means centres in s-space (place assignment)
  nn::Parameter<float> subgoals;    // D x P: the member latent nearest each centre (level-1 subgoal)
  nn::Parameter<float> colours;     // C x P: mean colour-head distribution over each place's members
  nn::Parameter<float> edge_table;  // 3 x E: from, to, predicted step cost

 private:
  std::vector<std::vector<PlaceEdge>> graph_;
};

using Level2ProgressFn = std::function<void(int step, int steps, const Level2Report&)>;

// Trains E2/P2 on the frozen level 1's latents of the exploration data, learns the places and
// builds the place graph; measures on held-out data.
Level2Report train_level2(Level2& model, const Level1& level1, const ExplorationData& data, const ExplorationData& heldout,
                          const Level2TrainParams& params, uint64_t seed, const Level2ProgressFn& progress = {});

}  // namespace hjepa
