// Level 2 of the H-JEPA, the model: encoder E2 (s -> h, where distance means steps: see
// temporal_distance.hpp), residual predictor P2 ((h, macro-action) -> h after K steps: its loss is
// level2_loss.hpp), the places learned from experience (places.hpp) and the place graphs the
// high-level planner searches (how they are built: place_graph.hpp). Nothing here reads the
// simulator's map. Its training is level2_training.hpp.
// Shapes: D = level-1 latent, d = level-2 latent, P = places, C = palette colours, E = edges.
#pragma once
#include <cstdint>

#include "agent/jepa/places.hpp"
#include "agent/jepa/predictor.hpp"
#include "agent/nn/mlp.hpp"

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

// Which place graph the high-level planner searches (agent variants). P2Raw: the P2 graph without
// the reach calibration (place_graph.hpp), as before 2026-12-06.
enum class PlaceGraphKind { P2, Experience, Distance, Euclid, P2Raw };

// The macro-action of a run of headings: the mean of (cos h, sin h). Its direction is the mean
// direction and its length the straightness (1 = all the same heading).
void macro_action(const float* headings, int count, float out[2]);

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
  // The stretch the P2 graph's reach calibration applied to P2's moves (1 = none), and the reach
  // ratio it was decided on (place_graph.hpp).
  float p2_reach_scale() const { return p2_reach_scale_; }
  float p2_reach_ratio() const { return p2_reach_ratio_; }

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
  PlaceGraph p2_raw_graph_;  // the P2 graph without the reach calibration, kept only when it stretched
  float p2_reach_scale_ = 1, p2_reach_ratio_ = 1;
};

}  // namespace hjepa
