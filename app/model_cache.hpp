// Trained level-1 models cached on disk, keyed by everything that determines them (model format,
// map, training config, the env parameters exploration sees, seed), so `hjepa run` and `hjepa bench`
// train a model once per machine. A damaged cache file is retrained and overwritten, never an error.
// Cache directory: $HJEPA_CACHE_DIR, else $XDG_CACHE_HOME/hjepa/models, else ~/.cache/hjepa/models.
#pragma once
#include <cstdint>
#include <string>

#include "agent/jepa/model_file.hpp"
#include "agent/jepa/train_model.hpp"

namespace hjepa {

struct ModelCacheResult {
  bool from_cache = false;   // true: loaded from the cache; false: trained by this call
  double train_seconds = 0;  // wall time of training (data collection included); 0 when loaded
  std::string path;          // the cache file ("" when no cache directory could be found)
  Level1Report report;       // training diagnostics (left default when loaded)
};

// The model for (world, env_params, tp, tp2, seed): loaded from the cache, or trained with train_model
// and saved there atomically. Notes (a damaged cache file, an unwritable cache) go to stderr.
// Throws UsageError if training stops on a non-finite loss.
ModelFile cached_model(const World& world, const EnvParams& env_params, const Level1TrainParams& tp, const Level2TrainParams& tp2,
                       uint64_t seed, const std::string& created_by, ModelCacheResult* result = nullptr,
                       const ProgressFn& progress = {});

// The cache directory by the rule above ("" if none of the variables is set).
std::string model_cache_dir();
// The cache file name (no directory) for these arguments: "hjepa-map<fingerprint>-seed<seed>-<key hash>.bin".
std::string model_cache_name(const World& world, const EnvParams& env_params, const Level1TrainParams& tp,
                             const Level2TrainParams& tp2, uint64_t seed);

}  // namespace hjepa
