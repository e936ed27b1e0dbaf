// Map -> exploration data -> trained levels 1 and 2 (see train_model.hpp).
#include "agent/jepa/train_model.hpp"

#include <stdexcept>
#include <string>

#include "agent/jepa/encoder.hpp"
#include "agent/jepa/policy_training.hpp"

namespace hjepa {

std::string z_source_problem(const World& world, const Level1TrainParams& tp) {
  if (!tp.z_from_gates) return "";
  const int gates = world.gate_count();
  if (gates == 0) return "train.z_source gates: the map has no gates; expected a map with gates (a box with p_closed) or train.z_source learned";
  if (gates > 4)
    return "train.z_source gates: the map's " + std::to_string(gates) + " gates make more gate configurations than z can have (" +
           std::to_string(kMaxZValues) + "); expected a map with at most 4 gates, or train.z_source learned";
  if ((1 << gates) > tp.z_values)
    return "train.z_source gates: train.z_values " + std::to_string(tp.z_values) + " is fewer than the map's " +
           std::to_string(1 << gates) + " gate configurations (" + std::to_string(gates) + " gates); expected train.z_values >= " +
           std::to_string(1 << gates) + ", or train.z_source learned";
  return "";
}

Level1TrainParams resolved_train_params(const Level1TrainParams& tp, const EnvParams& env_params) {
  Level1TrainParams r = tp;
  r.exploration = resolve_exploration(tp.exploration, env_params.noise_motion);
  return r;
}

ModelFile train_model(const World& world, const EnvParams& env_params, const Level1TrainParams& requested,
                      const Level2TrainParams& tp2, uint64_t seed, const std::string& created_by, Level1Report& report,
                      Level2Report& report2, const ProgressFn& progress, const Level2ProgressFn& progress2) {
  const Level1TrainParams tp = resolved_train_params(requested, env_params);
  if (const std::string problem = z_source_problem(world, tp); !problem.empty()) throw std::invalid_argument(problem);
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
  const ExplorationData data = collect_exploration(world, env_params, tp.exploration, derive_seed(seed, 2));
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
