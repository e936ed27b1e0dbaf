// Exploration data for self-supervised training: trajectories of a persistent random-heading
// policy, stored as observation-feature / heading sequences (plus true positions, used only to
// fit and score the position probe, never by the encoder or predictor losses), and the frames as
// the columns the training loops read (all_frames, gather_frames).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "agent/nn/mlp.hpp"
#include "sim/env.hpp"

namespace hjepa {

using MatF = nn::Mat<float>;

struct ExplorationParams {
  int sequences = 3000;         // number of sequences collected, >= 1
  int sequence_length = 40;     // steps per sequence (observations = steps + 1), >= 2
  double turn_sigma = 0.35;     // std of the per-step heading change, radians (persistence)
  double switch_prob = 0.08;    // chance per step of a fresh uniform heading, 0..1
  double blocked_fraction = 0.5;  // a perceived move shorter than this x step_length counts as blocked
  // The data budget grows with the motion noise: above sigma_motion = motion_ref, resolve_exploration
  // multiplies `sequences` by (sigma_motion / motion_ref)^2, at most kMaxDataGrowth. The learned parts
  // learn means (a move's landing, a K-step move) from targets whose spread grows with sigma_motion;
  // what a fit memorises of that spread shrinks as data / sigma^2, so the data grows as sigma^2 to hold
  // it (4x the data at sigma_motion 0.8: docs/ARCHITECTURE.md "More data where the motion is
  // noisier"). 0 = always `sequences`. collect_exploration reads `sequences` only; resolved params
  // have motion_ref 0.
  double motion_ref = 0.4;
};

// The most resolve_exploration multiplies the data by (memory and training time grow with it).
constexpr double kMaxDataGrowth = 4.0;

// `p` with the data budget of the env's motion noise: sequences x min((noise_motion / motion_ref)^2,
// kMaxDataGrowth) where noise_motion is above motion_ref (rounded, at most 1,000,000), and motion_ref
// 0, so resolving again changes nothing and the resolved params describe what was collected.
ExplorationParams resolve_exploration(const ExplorationParams& p, double noise_motion);

struct ExplorationData {
  int features = 0;                 // F: floats per observation
  int sequences = 0, length = 0;    // S sequences of `length` steps
  std::vector<float> obs;           // S x (length + 1) x F, observation features
  std::vector<float> headings;      // S x length, radians
  std::vector<float> true_xy;       // S x (length + 1) x 2, true positions (probe labels only)
  std::vector<float> noise_free_obs;  // S x (length + 1) x F, the same frames without perception or range noise
                                      // (the position probe learns from them; on held-out data, its own error,
                                      // Level1Report::probe_error; drawing and measuring only)
  std::vector<float> landing_xy;    // S x length x 2, where each move ended before the motion noise (held-out data;
                                    // measuring only: the ideal filter, Level1Report::ideal_filter_error)
  double noise_motion = 0, noise_perception = 0;  // the env's noise the data was collected with
  std::vector<uint8_t> colors;      // S x (length + 1), observed colour (head labels)
  std::vector<uint64_t> open_gates;  // S: the gates open in each sequence's episode (train.z_source gates
                                     // and its measure only; never read by the learned parts)
  const float* obs_at(int s, int t) const { return &obs[(static_cast<size_t>(s) * (length + 1) + t) * features]; }
  float heading_at(int s, int t) const { return headings[static_cast<size_t>(s) * length + t]; }
  const float* xy_at(int s, int t) const { return &true_xy[(static_cast<size_t>(s) * (length + 1) + t) * 2]; }
  const float* landing_at(int s, int t) const { return &landing_xy[(static_cast<size_t>(s) * length + t) * 2]; }
  int color_at(int s, int t) const { return colors[static_cast<size_t>(s) * (length + 1) + t]; }
  // The position of frame t of sequence s among all frames (the column in all_frames()).
  std::ptrdiff_t frame_index(int s, int t) const { return static_cast<std::ptrdiff_t>(s) * (length + 1) + t; }
};

// Collects data on `world` with the env's noise settings; deterministic in `seed` (keep_noise_free
// changes no other field). With keep_noise_free = false, noise_free_obs and landing_xy stay empty,
// which spares the second observation of every frame (data that nothing measures or probes on).
ExplorationData collect_exploration(const World& world, const EnvParams& env_params, const ExplorationParams& params,
                                    uint64_t seed, bool keep_noise_free = true);

// Every frame of the data set as columns (F x S*(L+1)), in ExplorationData::frame_index order.
MatF all_frames(const ExplorationData& d);
// The same frames as the world would look without perception and range noise.
MatF all_noise_free_frames(const ExplorationData& d);

// Columns of observation features for frames (seq[b], t0[b] + dt) of the data set: F x seq.size().
MatF gather_frames(const ExplorationData& d, const std::vector<int>& seq, const std::vector<int>& t0, int dt);
// Every frame of B windows at once: frames[t] (resized to F x B) <- gather_frames(d, seq, t0, t) for
// t = 0..frames.size()-1, and, if targets is given, its columns t - 1 (F x (T - 1) B, step-major)
// <- frames t >= 1. Window by window, so each window's consecutive frames are read in one sweep.
void gather_windows(const ExplorationData& d, const std::vector<int>& seq, const std::vector<int>& t0, std::vector<MatF>& frames,
                    MatF* targets = nullptr);

}  // namespace hjepa
