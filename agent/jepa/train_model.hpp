// One call from a map to a trained level-1 model file: collect exploration and held-out data, build
// the model for the map, train it. Shared by `hjepa train`, `hjepa run --agent flat` and the GUI.
#pragma once
#include <string>

#include "agent/jepa/model_file.hpp"

namespace hjepa {

// Seeds are derived from `seed` (initialisation, data, held-out data, batches), so the same
// arguments give the same model wherever it is trained. `progress` may throw to stop training.
ModelFile train_model(const World& world, const EnvParams& env_params, const Level1TrainParams& tp, uint64_t seed,
                      const std::string& created_by, Level1Report& report, const ProgressFn& progress = {});

}  // namespace hjepa
