// `hjepa train`: collect exploration data on a map, train both levels of the H-JEPA and the Mode-1 policy, write a model
// file; progress on stderr, a summary (or one JSON object with --json) on stdout. Training that
// goes non-finite stops with the guard's message (term and step), exit status 1 and no file.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agent/jepa/train_model.hpp"
#include "app/cli_common.hpp"
#include "app/cli_train.hpp"

namespace hjepa {

ProgressFn progress_lines() {
  return [](int step, int steps, const Level1Report& r) {
    if (step % 500 != 0 && step != steps - 1) return;
    if (!r.loss_polish.empty())  // the predictor polish, after the joint phase
      std::fprintf(stderr, "train: step %d/%d  predictor polish %d  prediction %.4f\n", step + 1, steps,
                   r.polish_logged_step.back() + 1, r.loss_polish.back());
    else
      std::fprintf(stderr, "train: step %d/%d  prediction %.4f  variance %.4f  covariance %.4f  inverse-dynamics %.4f\n", step + 1,
                   steps, r.loss_pred.back(), r.loss_var.back(), r.loss_cov.back(), r.loss_idm.back());
  };
}

// train --json's "mode1" object: the policy's imitation error (degrees) and its DAgger rounds.
nlohmann::json mode1_json(const PolicyReport& r, const PolicyTrainParams& p) {
  nlohmann::json rounds = nlohmann::json::array();
  for (size_t i = 0; i < r.round_samples.size(); ++i)
    rounds.push_back({{"round", i},
                      {"acting", i == 0 ? "planner" : "policy"},
                      {"states", r.round_samples[i]},
                      {"error_before_training", std::isfinite(r.round_error[i]) ? nlohmann::json(r.round_error[i]) : nlohmann::json()}});
  return {{"parameters", r.parameters},         {"seconds", r.seconds},
          {"heldout_error", r.heldout_error},   {"heldout_within_30", r.heldout_within_30},
          {"heldout_states", r.heldout_samples}, {"final_loss", r.final_loss},
          {"dagger_rounds", p.rounds},          {"rounds", rounds}};
}

void add_train_options(CLI::App& app, Level1TrainParams& tp, Level2TrainParams& tp2) {
  add_param_option(app, "train.steps", "--steps", tp.steps);
  add_param_option(app, "train.sequences", "--sequences", tp.exploration.sequences);
  add_param_option(app, "train.lr", "--lr", tp.lr);
  add_param_option(app, "train.polish_steps", "--polish-steps", tp.polish_steps);
  add_param_option(app, "train.head_steps", "--head-steps", tp.head_steps);
  add_param_option(app, "train.probe_steps", "--probe-steps", tp.probe_steps);
  add_param_option(app, "train.distance_steps", "--distance-steps", tp2.distance_steps);
  add_param_option(app, "train.level2_steps", "--level2-steps", tp2.steps);
  add_param_option(app, "train.z_values", "--z-values", tp.z_values);
  add_param_option(app, "train.heldout_sequences", "--heldout-sequences", tp.heldout_sequences);
}

// train --json's object.
nlohmann::json train_json(const ModelFile& mf, const Level1Report& r, const Level2Report& r2, const Level1TrainParams& tp,
                          long parameters, double seconds, const std::string& out) {
  const float min_std = *std::min_element(r.latent_std.begin(), r.latent_std.end());
  const float min_std2 = *std::min_element(r2.latent_std.begin(), r2.latent_std.end());
  nlohmann::json j = {{"parameters", parameters},
                      {"seconds", seconds},
                      {"unroll", mf.train.unroll},
                      {"exploration_sequences", mf.train.exploration.sequences},
                      {"level1_parameters", r.parameters},
                      {"level1_seconds", r.seconds},
                      {"level1_phase_seconds",
                       {{"joint", r.joint_seconds},
                        {"polish", r.polish_seconds},
                        {"z_statistics", r.z_statistics_seconds},
                        {"probe_and_diagnostics_beyond_level2", r.side_extra_seconds},
                        {"diagnostics", r.diagnostics_seconds}}},
                      {"probe_r2", r.probe_r2},
                      {"probe_error", r.probe_error},
                      {"colour_accuracy", r.colour_accuracy},
                      {"min_latent_std", min_std},
                      {"latent_std", r.latent_std},
                      {"kstep_probe_error", r.kstep_probe_error},
                      {"kstep_probe_error_from_start", r.kstep_probe_error_from_start},
                      {"kstep_probe_error_best_z", r.kstep_probe_error_best_z},
                      {"kstep_probe_error_believed_z", r.kstep_probe_error_believed_z},
                      {"kstep_probe_error_true_z", r.kstep_probe_error_true_z},
                      {"z", {{"values", mf.level1.z_values()}, {"usage", r.z_usage}, {"reassigned_last", r.z_reassigned}, {"believed_is_best", r.z_believed_is_best},
                             {"noise", mf.level1.z_noise}}},
                      {"belief", {{"gain", r.belief_gain}, {"fitted_gain", r.fitted_gain}, {"polish_gain", r.polish_gain}, {"belief_error", r.belief_error}, {"encoding_error", r.encoding_error},
                                  {"perception_error", r.perception_error},
                                  // The Kalman belief against fixed gains, all on the odd held-out sequences
                                  // (each at its best parameter there; level1_training.hpp):
                                  {"kalman_error", r.kalman_error}, {"fixed_error", r.fixed_error},
                                  {"best_fixed_gain", r.best_fixed_gain}, {"best_kalman_steady_gain", r.best_kalman_steady_gain},
                                  {"kalman_gain", r.kalman_gain}, {"kalman_fitted_error", r.kalman_fitted_error},
                                  {"kalman_full_error", r.kalman_full_error}, {"kalman_full_gain", r.kalman_full_gain},
                                  {"kalman_q_scale", r.kalman_q_scale},
                                  {"compared_perception_error", r.kalman_perception_error},
                                  {"ideal_filter_error", r.ideal_filter_error},
                                  {"kalman_context_ratio", r.kalman_context_ratio},
                                  {"kalman_scalar_error", r.kalman_scalar_error},
                                  {"best_kalman_scalar_gain", r.best_kalman_scalar_gain},
                                  {"kalman_latent_error", r.kalman_latent_error}, {"fixed_latent_error", r.fixed_latent_error},
                                  {"encoding_latent_error", r.encoding_latent_error}}},
                      {"final_losses", {{"prediction", r.loss_pred.back()}, {"variance", r.loss_var.back()},
                                        {"covariance", r.loss_cov.back()}, {"inverse_dynamics", r.loss_idm.back()},
                                        {"polish_prediction", r.loss_polish.empty() ? nlohmann::json() : nlohmann::json(r.loss_polish.back())}}},
                      {"level2", {{"parameters", r2.parameters},
                                  {"seconds", r2.seconds},
                                  {"min_latent_std", min_std2},
                                  {"latent_std", r2.latent_std},
                                  {"final_prediction_loss", r2.loss_pred.back()},
                                  {"final_distance_bound_loss", r2.loss_var.back()},
                                  {"final_distance_spread_loss", r2.loss_cov.back()},
                                  {"distance_per_step", r2.bound_ratio},
                                  {"p2_place_accuracy", r2.p2_place_accuracy},
                                  {"stay_place_accuracy", r2.stay_place_accuracy},
                                  {"places", r2.places},
                                  {"proposed_edges", r2.proposed_edges},
                                  {"edges", r2.edges},
                                  {"edges_uncalibrated", r2.raw_edges},
                                  {"p2_reach_ratio", r2.p2_reach_ratio},
                                  {"p2_reach_scale", r2.p2_reach_scale},
                                  {"experience_edges", r2.experience_edges},
                                  {"reachable_pairs", r2.reachable_pairs}}},
                      {"mode1", mode1_json(r.mode1, tp.mode1)},
                      {"model", out}};
  return j;
}

// train's readable summary.
void print_train_summary(const ModelFile& mf, const Level1Report& r, const Level2Report& r2, const Level1TrainParams& tp,
                         long parameters, double seconds, const std::string& out) {
  const float min_std = *std::min_element(r.latent_std.begin(), r.latent_std.end());
  if (mf.train.exploration.sequences != tp.exploration.sequences)
    std::printf("collected %d exploration sequences: train.sequences %d x (sigma_motion / train.sequences_motion_ref %.2f)^2, at most %gx\n",
                mf.train.exploration.sequences, tp.exploration.sequences, tp.exploration.motion_ref, kMaxDataGrowth);
  std::printf("trained level 1 in %.1f s: %ld parameters; probe R^2 %.4f (%.3f units on noise-free frames); min latent std %.3f; "
              "colour accuracy %.3f\n",
              r.seconds, r.parameters, r.probe_r2, r.probe_error, min_std, r.colour_accuracy);
  auto at = [](const std::vector<double>& e, size_t k) { return e.empty() ? 0.0 : e[std::min(k, e.size()) - 1]; };
  std::printf("k-step predicted-latent probe error (units): k=1 %.3f, k=4 %.3f, k=8 %.3f, k=16 %.3f\n",
              at(r.kstep_probe_error, 1), at(r.kstep_probe_error, 4), at(r.kstep_probe_error, 8), at(r.kstep_probe_error, 16));
  if (mf.level1.z_values() > 1)
    std::printf("latent z: %d values; k=8 error with the best z %.3f, with the believed z %.3f\n", mf.level1.z_values(),
                at(r.kstep_probe_error_best_z, 8), at(r.kstep_probe_error_believed_z, 8));
  if (!r.kstep_probe_error_true_z.empty())
    std::printf("z from the gates (train.z_source gates): k=8 error under each sequence's own gate configuration %.3f\n",
                at(r.kstep_probe_error_true_z, 8));
  std::printf("belief (gain %.2f) position error %.3f units; raw encoding %.3f; raw perception %.3f\n", r.belief_gain,
              r.belief_error, r.encoding_error, r.perception_error);
  std::printf("belief, odd held-out sequences: Kalman settling at %.2f: %.3f units (at the fitted gain %.2f: %.3f; full "
              "gain matrix %.3f); best fixed gain %.2f: %.3f; raw perception %.3f\n",
              r.best_kalman_steady_gain, r.kalman_error, r.fitted_gain, r.kalman_fitted_error, r.kalman_full_error,
              r.best_fixed_gain, r.fixed_error, r.kalman_perception_error);
  std::printf("  an ideal position filter (knows the world and its noise, reads the perceived positions): %.3f units; "
              "the probe's own error on noise-free frames adds to the belief's\n",
              r.ideal_filter_error);
  std::printf("  the Kalman belief's process noise follows the clearance ahead; with one process noise for every move "
              "(the ablation), settling at %.2f: %.3f units\n",
              r.best_kalman_scalar_gain, r.kalman_scalar_error);
  std::printf("  in the latent (RMS distance to the encoding without perception noise): Kalman %.4f; fixed %.4f; "
              "raw encoding %.4f\n",
              r.kalman_latent_error, r.fixed_latent_error, r.encoding_latent_error);
  std::printf("trained level 2 in %.1f s: %ld parameters; P2 lands in the right place %.1f%% of held-out windows (staying put: %.1f%%)\n",
              r2.seconds, r2.parameters, 100 * r2.p2_place_accuracy, 100 * r2.stay_place_accuracy);
  std::printf("distance in h per step apart (held-out, 1..K steps in one sequence): %.3f\n", r2.bound_ratio);
  std::printf("place graph: %d places, %d P2 edges (of %d place pairs P2 landed on), %.1f%% of place pairs connected; "
              "%d edges experienced\n",
              r2.places, r2.edges, r2.proposed_edges, 100 * r2.reachable_pairs, r2.experience_edges);
  if (r2.p2_reach_scale != 1)
    std::printf("  P2's moves stretched %.2fx: its straight moves reach %.2fx less far than experienced ones (%d edges "
                "without the stretch)\n",
                r2.p2_reach_scale, r2.p2_reach_ratio, r2.raw_edges);
  std::printf("trained the Mode-1 policy in %.1f s: %ld parameters; %d DAgger rounds; held-out imitation error %.1f deg "
              "(%.0f%% within 30 deg)\n",
              r.mode1.seconds, r.mode1.parameters, tp.mode1.rounds, r.mode1.heldout_error, 100 * r.mode1.heldout_within_30);
  std::printf("total: %ld parameters, %.1f s\n", parameters, seconds);
  std::printf("wrote %s\n", out.c_str());
}

int cmd_train(int argc, char** argv) {
  CLI::App app{"Train both levels of the H-JEPA and its Mode-1 policy on a map and write a model file.", "hjepa train"};
  MapChoice map;
  std::string out;
  uint64_t seed = 1;
  bool json = false;
  EnvParams env_params;
  Level1TrainParams tp;
  Level2TrainParams tp2;
  add_map_options(app, map, true);
  app.add_option("--out", out, "Model file to write")->required();
  app.add_option("--seed", seed, "Training seed (data, initialisation, batches); default 1")->check(seed_check());
  add_train_options(app, tp, tp2);
  add_env_options(app, env_params);
  std::vector<std::string> settings;
  app.add_option("--set", settings,
                 "Override one training or world parameter, e.g. --set train.z_values=4 or --set env.ray_max=1.5 "
                 "(repeatable, after the flags; names, ranges and defaults: hjepa bench --help-config)");
  app.add_flag("--json", json, "Print exactly one JSON object on stdout");
  return run_command(app, argc, argv, [&] {
    RunConfig run_config;  // for env.*: the flags above, then --set in order
    run_config.env = env_params;
    apply_set_options(settings, [](const std::string& s) { return is_train_setting(s) || s.rfind("env.", 0) == 0; },
                      run_config, &tp, &tp2,
                      "not a training or world parameter (expected train.* or env.*); agent parameters are not part of "
                      "a model: pass them to hjepa run or hjepa bench");
    env_params = run_config.env;
    const World world = make_world(map);
    if (const std::string problem = z_source_problem(world, tp); !problem.empty()) throw UsageError(problem);
    // Checked before minutes of training, not after (save_model still reports any later failure).
    if (std::error_code ec; !std::filesystem::is_directory(std::filesystem::absolute(out).parent_path(), ec))
      throw UsageError("--out: the directory of " + out + " does not exist; expected a file in an existing directory");
    Level1Report r;
    Level2Report r2;
    const ModelFile mf = train_model(world, env_params, tp, tp2, seed, "hjepa train", r, r2, progress_lines(),
                                     [](int step, int steps, const Level2Report& l2) {
                                       if (step % 500 == 0 || step == steps - 1)
                                         std::fprintf(stderr, "train level 2: step %d/%d  distance bound %.4f  spread %.4f  P2 prediction %.4f\n",
                                                      step + 1, steps, l2.loss_var.back(), l2.loss_cov.back(), l2.loss_pred.back());
                                     });
    if (!r.finite || !r2.finite) {  // not a usage error: the run itself failed (exit status 1)
      std::fprintf(stderr, "hjepa train: %s; no model written to %s\n", (!r.finite ? r.message : r2.message).c_str(), out.c_str());
      return 1;
    }
    const long parameters = r.parameters + r2.parameters + r.mode1.parameters;
    const double seconds = r.seconds + r2.seconds + r.mode1.seconds;
    try {
      save_model(mf, out);
    } catch (const ModelError& e) {
      throw UsageError(e.what());
    }
    if (json) std::printf("%s\n", train_json(mf, r, r2, tp, parameters, seconds, out).dump().c_str());
    else print_train_summary(mf, r, r2, tp, parameters, seconds, out);
    return 0;
  });
}

}  // namespace hjepa
