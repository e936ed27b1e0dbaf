// Map -> exploration data -> trained levels 1 and 2 (see train_model.hpp).
#include "agent/jepa/train_model.hpp"

#include "agent/jepa/encoder.hpp"
#include "agent/jepa/policy_training.hpp"

namespace hjepa {

ModelFile train_model(const World& world, const EnvParams& env_params, const Level1TrainParams& tp,
                      const Level2TrainParams& tp2, uint64_t seed, const std::string& created_by, Level1Report& report,
                      Level2Report& report2, const ProgressFn& progress, const Level2ProgressFn& progress2) {
  ModelFile mf;
  mf.train = tp;
  mf.train2 = tp2;
  mf.train_seed = seed;
  mf.map_fingerprint = world.fingerprint();
  mf.created_by = created_by;
  Level1Arch arch;
  arch.features = feature_size(env_params.num_rays);
  arch.z_values = tp.z_values;
  mf.level1 = Level1(arch, derive_seed(seed, 1));
  mf.level1.width = world.width;
  mf.level1.height = world.height;
  ExplorationParams held = tp.exploration;
  held.sequences = tp.heldout_sequences;
  const ExplorationData data = collect_exploration(world, env_params, tp.exploration, derive_seed(seed, 2), false);
  const ExplorationData heldout = collect_exploration(world, env_params, held, derive_seed(seed, 3));
  Level2Arch arch2;
  arch2.input = arch.latent;
  mf.level2 = Level2(arch2, derive_seed(seed, 5));
  // Level 2 trains beside level 1's position probe (train_level1 runs it once E1, P1 and the colour
  // head are final); it is skipped if level 1 stopped before.
  report = train_level1(mf.level1, data, heldout, tp, derive_seed(seed, 4), progress, [&] {
    report2 = train_level2(mf.level2, mf.level1, data, heldout, tp2, derive_seed(seed, 6), progress2);
  });
  PolicyArch arch3;
  arch3.latent = arch.latent;
  arch3.hidden = tp.mode1.hidden;
  mf.policy = Policy(arch3, derive_seed(seed, 7));
  if (report.finite && report2.finite) {
    report.mode1 = train_policy(mf.policy, mf.level1, mf.level2, world, env_params, tp.mode1, derive_seed(seed, 8));
    if (!report.mode1.finite) report.finite = false, report.message = report.mode1.message;
  }
  return mf;
}

ModelFile train_model(const World& world, const EnvParams& env_params, const Level1TrainParams& tp, uint64_t seed,
                      const std::string& created_by, Level1Report& report, const ProgressFn& progress) {
  Level2Report report2;
  ModelFile mf = train_model(world, env_params, tp, Level2TrainParams{}, seed, created_by, report, report2, progress);
  if (!report2.finite) report.finite = false, report.message = report2.message;
  return mf;
}

}  // namespace hjepa
