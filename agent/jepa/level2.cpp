// Level 2's model: E2, P2, the macro-action P2 reads, the place of a latent and the place graphs
// rebuilt from the model and the stored tables (see level2.hpp).
#include "agent/jepa/level2.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "agent/jepa/level2_loss.hpp"
#include "agent/jepa/place_graph.hpp"
#include "agent/jepa/temporal_distance.hpp"

namespace hjepa {

namespace {
constexpr int kEncoderFourierFeatures = 32;
constexpr double kEncoderFourierScale = 0.5;
}  // namespace

void macro_action(const float* headings, int count, float out[2]) {
  double c = 0, s = 0;
  for (int i = 0; i < count; ++i) c += std::cos(headings[i]), s += std::sin(headings[i]);
  out[0] = static_cast<float>(c / std::max(1, count));
  out[1] = static_cast<float>(s / std::max(1, count));
}

Level2::Level2(const Level2Arch& a, uint64_t seed) : arch(a) {
  Rng rng(seed);
  fourier = make_fourier_basis<float>(a.input, kEncoderFourierFeatures, kEncoderFourierScale);
  encoder = nn::MLP<float>({a.input + kEncoderFourierFeatures, a.hidden, a.hidden, a.latent}, nn::Activation::GELU, rng, "E2");
  predictor = nn::MLP<float>({a.latent + 2, a.hidden, a.hidden, a.latent}, nn::Activation::GELU, rng, "P2");
  places = Places("places", a.latent, a.input, a.places);
  euclid = Places("euclid", a.input, a.input, a.euclid_places);
  euclid_edges = nn::Parameter<float>("euclid.edges", 3, a.euclid_edges, false);
  experience_edges = nn::Parameter<float>("places.experience_edges", 3, a.experience_edges, false);
  // No edges until trained or loaded: an untrained level 2 plans nothing.
  p2_graph_.assign(a.places, {}), experience_graph_.assign(a.places, {}), euclid_graph_.assign(a.euclid_places, {});
}

MatF Level2::encode(const MatF& s) const { return encoder.forward(level2_encoder_input<float>(s, fourier)); }

MatF Level2::predict(const MatF& h, const MatF& macro) const {
  return h + predictor.forward(level2_predictor_input<float>(h, macro));
}

const PlaceGraph& Level2::graph(PlaceGraphKind kind) const {
  switch (kind) {
    case PlaceGraphKind::Experience: return experience_graph_;
    case PlaceGraphKind::Distance: return distance_graph_;
    case PlaceGraphKind::Euclid: return euclid_graph_;
    case PlaceGraphKind::P2Raw: return p2_reach_scale_ == 1 ? p2_graph_ : p2_raw_graph_;  // unstretched: the same
    default: return p2_graph_;
  }
}

int Level2::place_of(const MatF& s, PlaceGraphKind kind) const {
  return kind == PlaceGraphKind::Euclid ? euclid.nearest(s) : places.nearest(encode(s.col(0)));
}

void Level2::rebuild_graphs(int* proposed) {
  P2Graphs p2 = p2_place_graphs(*this);
  p2_graph_ = std::move(p2.calibrated), p2_raw_graph_ = std::move(p2.raw);
  p2_reach_ratio_ = p2.ratio, p2_reach_scale_ = p2.scale;
  if (proposed) *proposed = p2.proposed;
  distance_graph_ = distance_place_graph(*this);
  experience_graph_ = graph_from_table(experience_edges.value, places.size());
  euclid_graph_ = graph_from_table(euclid_edges.value, euclid.size());
}

long Level2::num_parameters() const {
  long n = static_cast<long>(encoder.num_parameters() + predictor.num_parameters());
  for (const Places* p : {&places, &euclid}) n += p->centres.size() + p->subgoals.size() + p->colours.size();
  return n;
}

nn::ParamList<float> Level2::params() {
  nn::ParamList<float> all = encoder.params();
  for (auto* p : predictor.params()) all.push_back(p);
  for (Places* pl : {&places, &euclid})
    for (auto* p : {&pl->centres, &pl->subgoals, &pl->colours}) all.push_back(p);
  all.push_back(&euclid_edges), all.push_back(&experience_edges);
  return all;
}

nn::ConstParamList<float> Level2::params() const {
  nn::ConstParamList<float> all = encoder.params();
  for (const auto* p : predictor.params()) all.push_back(p);
  for (const Places* pl : {&places, &euclid})
    for (const auto* p : {&pl->centres, &pl->subgoals, &pl->colours}) all.push_back(p);
  all.push_back(&euclid_edges), all.push_back(&experience_edges);
  return all;
}

}  // namespace hjepa
