// The model cache (see model_cache.hpp). The key hashes a canonical text of the inputs; training
// config is taken from the CONF section model files write, so every recorded training field is in
// the key without listing the fields twice. All cache-filling calls to train_model live here.
#include "app/model_cache.hpp"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "agent/jepa/encoder.hpp"
#include "agent/jepa/train_model.hpp"
#include "app/usage_error.hpp"
#include "sim/fnv1a.hpp"

namespace hjepa {

namespace {

// Bump when training code changes in a way the recorded config does not show, so old cache
// entries are no longer used. That includes a default of the agents: the Mode-1 phase's DAgger runs
// them with their defaults (e.g. the stuck watch), so π depends on those too.
// 2: the AVX-512 product kernel and vectorised cos/exp (2026-12-02) change trained weights in their last bits.
// 3: the belief's Q scale is fitted in the latent, not by the position probe (2026-12-03): belief_q, which
//    the Kalman belief and the stuck watch read, changes for some models.
// 4: the overdue watch (agent.watch.overdue_factor 4, 2026-12-04) drives the hjepa agent of the
//    Mode-1 phase's DAgger episodes: π's labels, so its weights, change.
// 5: the joint phase takes its batch in two halves on both cores, and the polish's first half unrolls
//    2 steps by default (train.polish_short_unroll 2, 2026-12-04): every model changes.
// 6: the agents' belief defaults to the model's fitted gain (agent.belief.mode fitted, 2026-12-05), so the
//    Mode-1 phase's DAgger episodes change (with model format 8 and train.polish_from_belief 1).
// 7: the polish takes half of each batch from the belief, half from the raw encodings
//    (train.polish_from_belief 0.5, a share since 2026-12-05; it was 1): every model changes.
// 8: the agents' belief defaults to the Kalman belief (agent.belief.mode kalman, 2026-12-05), so the
//    Mode-1 phase's DAgger episodes change where the fitted gain is below 1.
// 9: the Kalman belief settles at no less than agent.belief.min_gain 0.5 (2026-12-05), so the Mode-1
//    phase's DAgger episodes change where the fitted gain is below 0.5.
// 10: the position probe learns from the noise-free training frames, its output layer refitted by least
//    squares (2026-12-05); its default width 384 and steps 8000 are in the key already. No agent reads
//    the probe, so every agent's episodes are as before; the probe's figures and drawings change.
// 11: level 2's E2 takes each batch in two halves on both cores (2026-12-06), so its sums round
//    differently and every level 2 (and from it π) changes; train.probe_steps 8000 -> 1000.
// 12: the P2 graph's reach calibration by experience (place_graph.hpp, 2026-12-06): where P2's straight
//    moves fall more than 1.2x short of the experienced ones (heavy perception or motion noise), the
//    graph and so the Mode-1 phase's DAgger episodes change. Elsewhere the models are as code 11's.
// Not bumped for train.sequences_motion_ref (2026-12-06): the key holds the resolved training params
// (resolved_train_params), so a model whose data budget grows is keyed by the sequences it collects,
// and every other model keeps its key and bytes.
constexpr int kTrainingCodeVersion = 12;
// Models with P1's z (train.z_values > 1) only: since 2026-12-04 the Mode-1 phase labels under the
// belief's most probable z alone (low_level_planner.hpp), so their π changes. Models without z train
// as before and keep their keys (and cache entries).
constexpr const char* kZModelTrainingCode = " z_labels=top";

std::string hex(uint64_t v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*" PRIx64, digits, v);
  return buf;
}

// The training config exactly as a model file records it (the CONF section).
std::string training_config_text(const Level1TrainParams& tp, const Level2TrainParams& tp2, uint64_t seed) {
  ModelFile probe;
  probe.train = tp;
  probe.train2 = tp2;
  probe.train_seed = seed;
  for (const ModelSection& s : model_sections(probe))
    if (s.tag == "CONF") return s.payload;
  return "";
}

std::string key_text(const World& world, const EnvParams& e, const Level1TrainParams& tp, const Level2TrainParams& tp2,
                     uint64_t seed) {
  const Level1Arch arch;
  char env[512];
  std::snprintf(env, sizeof env,
                "env step_length=%.17g noise_motion=%.17g noise_perception=%.17g noise_range=%.17g num_rays=%d ray_max=%.17g\n"
                "arch features=%d latent=%d hidden=%d head_hidden=%d probe_hidden=%d\n",
                e.step_length, e.noise_motion, e.noise_perception, e.noise_range, e.num_rays, e.ray_max,
                feature_size(e.num_rays), arch.latent, arch.hidden, arch.head_hidden, arch.probe_hidden);
  return "model_format=" + std::to_string(kModelFormatVersion) + " training_code=" + std::to_string(kTrainingCodeVersion) +
         (tp.z_values > 1 ? kZModelTrainingCode : "") + "\nmap=" + hex(world.fingerprint(), 16) + "\n" + env + "seed=" + std::to_string(seed) + "\n" +
         training_config_text(resolved_train_params(tp, e), tp2, seed);  // as the model file records it
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::string model_cache_dir() {
  if (const std::string dir = env_or_empty("HJEPA_CACHE_DIR"); !dir.empty()) return dir;
  if (const std::string xdg = env_or_empty("XDG_CACHE_HOME"); !xdg.empty()) return xdg + "/hjepa/models";
  if (const std::string home = env_or_empty("HOME"); !home.empty()) return home + "/.cache/hjepa/models";
  return "";
}

std::string model_cache_name(const World& world, const EnvParams& env_params, const Level1TrainParams& tp,
                             const Level2TrainParams& tp2, uint64_t seed) {
  return "hjepa-map" + hex(world.fingerprint(), 16) + "-seed" + std::to_string(seed) + "-" +
         hex(fnv1a64(key_text(world, env_params, tp, tp2, seed)), 16) + ".bin";
}

ModelFile cached_model(const World& world, const EnvParams& env_params, const Level1TrainParams& tp, const Level2TrainParams& tp2,
                       uint64_t seed, const std::string& created_by, ModelCacheResult* result, const ProgressFn& progress) {
  ModelCacheResult local;
  ModelCacheResult& r = result ? *result : local;
  r = ModelCacheResult{};
  const std::string dir = model_cache_dir();
  if (!dir.empty()) r.path = dir + "/" + model_cache_name(world, env_params, tp, tp2, seed);

  std::error_code ec;
  if (!r.path.empty() && std::filesystem::exists(r.path, ec)) {
    try {
      ModelFile mf = load_model(r.path, world.fingerprint());
      if (mf.train_seed != seed || mf.level1.arch.features != feature_size(env_params.num_rays))
        throw ModelError(r.path + ": trained with seed " + std::to_string(mf.train_seed) + " and " +
                         std::to_string(mf.level1.arch.features) + " features; expected seed " + std::to_string(seed) +
                         " and " + std::to_string(feature_size(env_params.num_rays)));
      r.from_cache = true;
      return mf;
    } catch (const ModelError& e) {
      std::fprintf(stderr, "note: cached model unusable (%s); retraining and overwriting it\n", e.what());
    }
  }

  const auto t0 = std::chrono::steady_clock::now();
  Level2Report report2;
  ModelFile mf = train_model(world, env_params, tp, tp2, seed, created_by, r.report, report2, progress);
  r.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r.report.finite)
    throw UsageError("training on map " + hex(world.fingerprint(), 16) + " with seed " + std::to_string(seed) +
                     " stopped: " + r.report.message);
  if (r.path.empty()) {
    std::fprintf(stderr, "note: no cache directory (set HJEPA_CACHE_DIR, XDG_CACHE_HOME or HOME); the model is not cached\n");
    return mf;
  }
  std::filesystem::create_directories(dir, ec);
  try {
    save_model(mf, r.path);
  } catch (const ModelError& e) {
    std::fprintf(stderr, "note: could not cache the model (%s)\n", e.what());
    r.path.clear();
  }
  return mf;
}

}  // namespace hjepa
