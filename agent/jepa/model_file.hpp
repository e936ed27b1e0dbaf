// Trained-model files: a binary container of tagged sections written atomically and refused, with a
// one-line message naming the file, on every defect. Layout (little-endian):
//   "HJEPAMDL", u32 version = 1, u64 file length, u64 FNV-1a of the 20 bytes before it,
//   sections [4-byte ASCII tag, u64 payload length, payload] in any order, u64 FNV-1a of all bytes before it.
// Sections: ARCH (Level1Arch as 6 x i32 (z_values last), map width and height as 2 x f64, z_noise as f32,
// z_prior as z_values x f32), CONF (JSON training config),
// MAP  (u64 map fingerprint), PARM (HJNN blob of Level1::params()), IDYN (HJNN blob of inverse_dynamics),
// L2AR (Level2Arch as 9 x 4 bytes), L2PM (HJNN blob of Level2::params(): E2, P2, places, edges),
// PIAR (PolicyArch as 2 x i32: latent, hidden), PIPM (HJNN blob of the Mode-1 policy), KALM (the Kalman
// belief's noise: i32 D, then Q and R as D x D f32; D = 0: none; then the belief's fitted gain as f32,
// then i32 C (0 or kClearanceBins) and the C ratios of Level1::belief_context as f32).
// Version 2 added level 2; version 6 P1's latent z; version 7 the Mode-1 policy and KALM; version 8 the
// fitted gain in KALM; version 9 the context ratios in KALM; older files are refused with a request to
// retrain.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "agent/jepa/level1.hpp"
#include "agent/jepa/level1_training.hpp"
#include "agent/jepa/level2.hpp"
#include "agent/jepa/level2_training.hpp"
#include "agent/jepa/policy.hpp"

namespace hjepa {

constexpr uint32_t kModelFormatVersion = 9;

struct ModelFile {
  Level1 level1;             // architecture, map size and every trained parameter
  Level1TrainParams train;   // how level 1 was trained
  Level2 level2;             // E2, P2, places and the place graph
  Level2TrainParams train2;  // how level 2 was trained
  Policy policy;             // the Mode-1 actor (how it was trained: train.mode1)
  uint64_t map_fingerprint = 0;  // World::fingerprint() of the training map
  uint64_t train_seed = 0;   // seed given to train_level1
  std::string created_by;    // free text, e.g. "hjepa train"
};

// A user error in a model file. what() names the file, what was wrong and what was expected.
struct ModelError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes a temporary file beside `path`, fsyncs it and renames it over `path`; throws ModelError and
// leaves `path` untouched on failure.
void save_model(const ModelFile& model, const std::string& path);
// Reads and checks every section; with expected_fingerprint, also refuses a model trained on another map.
ModelFile load_model(const std::string& path, std::optional<uint64_t> expected_fingerprint = std::nullopt);

// "Level1 F=18 D=16 H=64 head=32 | 12345 parameters (+ 1234 inverse dynamics) | map 0x..."
std::string describe_model(const ModelFile& model);

// The container itself, for tools and tests that build or inspect files section by section.
struct ModelSection {
  std::string tag;      // exactly 4 ASCII characters
  std::string payload;
};
std::vector<ModelSection> model_sections(const ModelFile& model);
std::string pack_model_file(const std::vector<ModelSection>& sections, uint32_t version = kModelFormatVersion);
// `source` names the bytes in messages (the file path).
ModelFile unpack_model_file(const std::string& bytes, const std::string& source,
                            std::optional<uint64_t> expected_fingerprint = std::nullopt);

}  // namespace hjepa
