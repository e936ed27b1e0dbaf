// E1, level 1's encoder (observation features -> s), and the fixed numeric layout an Observation
// is fed to it in:
//   [x, y scaled to [-1, 1] by the map size | colour one-hot (8) | range readings / ray_max]
// The Level1 model (level1.hpp) holds E1. F = observation features, D = latent dim.
#pragma once
#include <vector>

#include "agent/nn/mlp.hpp"
#include "sim/env.hpp"
#include "sim/rng.hpp"

namespace hjepa {

using MatF = nn::Mat<float>;

inline int feature_size(int num_rays) { return 2 + kNumColors + num_rays; }

// A position in [-1, 1] map coordinates, as the encoder reads it (the position probe's targets too).
inline float map_coordinate(double v, double extent) { return static_cast<float>(2 * v / extent - 1); }

// A range reading as the encoder reads it, in env.ray_max units (the belief's clearance bins too).
inline float range_feature(float range, double ray_max) { return static_cast<float>(range / ray_max); }

// Writes feature_size(obs.num_rays) floats to out.
inline void observation_features(const Observation& obs, double width, double height, double ray_max, float* out) {
  out[0] = map_coordinate(obs.position.x, width);
  out[1] = map_coordinate(obs.position.y, height);
  for (int c = 0; c < kNumColors; ++c) out[2 + c] = static_cast<int>(obs.color) == c ? 1.f : 0.f;
  for (int k = 0; k < obs.num_rays; ++k) out[2 + kNumColors + k] = range_feature(obs.ranges[k], ray_max);
}

// The perceived position an observation's features hold (the inverse of observation_features' first two).
inline Vec2 perceived_position(const float* features, double width, double height) {
  return Vec2{(features[0] + 1) * width / 2, (features[1] + 1) * height / 2};
}

// One observation as an encoder input column (F x 1): width and height are the map's, ray_max scales
// the range readings (as in training).
MatF observation_column(const Observation& obs, double width, double height, double ray_max);

// E1: F -> hidden -> hidden -> D (GELU), its weights drawn from rng.
nn::MLP<float> make_encoder(int features, int hidden, int latent, Rng& rng);

}  // namespace hjepa
