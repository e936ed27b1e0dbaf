// Map -> exploration data -> trained level 1 (see train_model.hpp).
#include "agent/jepa/train_model.hpp"

#include "agent/jepa/features.hpp"

namespace hjepa {

ModelFile train_model(const World& world, const EnvParams& env_params, const Level1TrainParams& tp, uint64_t seed,
                      const std::string& created_by, Level1Report& report, const ProgressFn& progress) {
  ModelFile mf;
  mf.train = tp;
  mf.train_seed = seed;
  mf.map_fingerprint = world.fingerprint();
  mf.created_by = created_by;
  Level1Arch arch;
  arch.features = feature_size(env_params.num_rays);
  mf.level1 = Level1(arch, derive_seed(seed, 1));
  mf.level1.width = world.width;
  mf.level1.height = world.height;
  ExplorationParams held = tp.exploration;
  held.sequences = tp.heldout_sequences;
  const ExplorationData data = collect_exploration(world, env_params, tp.exploration, derive_seed(seed, 2));
  const ExplorationData heldout = collect_exploration(world, env_params, held, derive_seed(seed, 3));
  report = train_level1(mf.level1, data, heldout, tp, derive_seed(seed, 4), progress);
  return mf;
}

}  // namespace hjepa
