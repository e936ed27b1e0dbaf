// Places: the level-2 "where am I" vocabulary. A place is a prototype in the space it is assigned
// in (h for the temporal places, s for the Euclidean ones kept for comparison), with the colour
// distribution the colour head predicts over its members and one member's level-1 latent as the
// subgoal handed down to level 1. A PlaceGraph says which places lead to which, at what cost in
// predicted steps. Also the clustering used to learn places from experience.
// Shapes: S = the assignment space's dimension, D = level-1 latent, P = places, C = colours, N = frames.
#pragma once
#include <string>
#include <vector>

#include "agent/nn/mlp.hpp"
#include "sim/rng.hpp"

namespace hjepa {

using MatF = nn::Mat<float>;

struct PlaceEdge {
  int to = 0;
  float cost = 0;  // predicted steps
};
using PlaceGraph = std::vector<std::vector<PlaceEdge>>;

struct Places {
  Places() = default;
  Places(const std::string& prefix, int space, int latent, int places);

  nn::Parameter<float> centres;   // S x P: prototypes (a state belongs to the nearest)
  nn::Parameter<float> subgoals;  // D x P: the member level-1 latent nearest each prototype
  nn::Parameter<float> colours;   // C x P: mean colour-head distribution over each place's members

  int size() const { return static_cast<int>(centres.value.cols()); }
  float colour_probability(int place, int colour) const { return colours.value(colour, place); }
  int dominant_colour(int place) const;
  int nearest(const MatF& x) const;  // x: S x 1
  // Fills colours and subgoals from every frame's point in the assignment space (S x N), its
  // level-1 latent (D x N) and colour probabilities (C x N). Returns each place's member count;
  // `assignment` (optional) gets every frame's place.
  std::vector<int> fill(const MatF& points, const MatF& latents, const MatF& colour_probs,
                        std::vector<int>* assignment = nullptr);
};

// Index of the column of `centres` nearest to each column of x (squared Euclidean).
std::vector<int> nearest_columns(const MatF& centres, const MatF& x);

// k-means++ initialisation then `iterations` Lloyd iterations (empty clusters re-seeded on the
// worst-fit point): k prototypes of the columns of x.
MatF kmeans(const MatF& x, int k, int iterations, Rng& rng);

// Farthest-point cover: prototypes added until every column of x is within `radius` of one (or
// `max_places` are made), then `iterations` Lloyd iterations. The count follows the spread of x,
// so in a space where distance means steps it follows the free area of the map.
MatF cover(const MatF& x, float radius, int max_places, int iterations, Rng& rng);

// Graph <-> the 3 x E table (from, to, cost) stored in model files.
PlaceGraph graph_from_table(const MatF& table, int places);
MatF table_from_graph(const PlaceGraph& graph);
int edge_count(const PlaceGraph& graph);

// Fraction of ordered pairs of populated places (members > 0) joined by a path.
double reachable_pairs(const PlaceGraph& graph, const std::vector<int>& members);


}  // namespace hjepa
