// The Training panel: train both levels on the current map in the background (progress, stop),
// level 1's losses and collapse diagnostics, level 2's place graph figures, and model load/save.
#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <imgui.h>

#include "agent/config.hpp"
#include "app/gui/panel_widgets.hpp"
#include "app/gui/panels.hpp"

namespace hjepa {
namespace {

void training_controls(AppState& app, const TrainingJob::Snapshot& snap) {
  const bool busy = app.training.busy();
  ImGui::BeginDisabled(busy);
  ImGui::PushItemWidth(-110);
  const ImGuiSliderFlags log = ImGuiSliderFlags_Logarithmic;
  declared_slider("train.steps", &app.train_params.steps, 100, 20000, log);
  declared_slider("train.sequences", &app.train_params.exploration.sequences, 10, 5000, log);
  declared_slider("train.sequences_motion_ref", &app.train_params.exploration.motion_ref, 0, 2, "%.2f");
  declared_slider("train.lr", &app.train_params.lr, 1e-4, 0.1, "%.4g", log);
  declared_slider("train.unroll", &app.train_params.unroll, 1, 16);
  declared_slider("train.polish_steps", &app.train_params.polish_steps, 0, 20000);
  declared_slider("train.polish_short_unroll", &app.train_params.polish_short_unroll, 0, 6);
  declared_slider("train.polish_from_belief", &app.train_params.polish_from_belief, 0, 1, "%.2f");
  declared_slider("train.head_steps", &app.train_params.head_steps, 100, 20000, log);
  declared_slider("train.probe_steps", &app.train_params.probe_steps, 100, 100000, log);
  declared_slider("train.distance_steps", &app.train2_params.distance_steps, 100, 20000, log);
  declared_slider("train.level2_steps", &app.train2_params.steps, 100, 20000, log);
  declared_slider("train.heldout_sequences", &app.train_params.heldout_sequences, 10, 2000, log);
  const uint64_t one = 1;
  ImGui::InputScalar("train seed", ImGuiDataType_U64, &app.train_seed, &one, nullptr, "%llu");
  tooltip("Training seed (data, initialisation, batches); CLI --seed");
  ImGui::PopItemWidth();
  if (ImGui::Button("Train levels 1 + 2", ImVec2(ImGui::GetContentRegionAvail().x * 0.6f, 0))) app.start_training();
  tooltip("Collect exploration data on this map and train level 1, then level 2 and its place graph, in the background");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!busy || snap.stop_requested);
  if (ImGui::Button("Stop", ImVec2(-1, 0))) app.training.request_stop();
  ImGui::EndDisabled();
  tooltip("Stop at the next logged step and discard the result");
  ImGui::Checkbox("train by itself", &app.auto_train);
  tooltip("When the chosen learned agent has no model for this map (none loaded, none in the model cache), train one "
          "in the background at once; the oracle drives until it is ready. Off: the Agent panel offers \"Train now\".");

  // One bar over both levels' optimiser steps.
  const int total = snap.steps + snap.steps2, done = snap.step + snap.step2;
  const float fraction = total > 0 ? static_cast<float>(done) / total : 0.f;
  char overlay[96];
  if (snap.stop_requested)
    std::snprintf(overlay, sizeof overlay, "stopping... (%.0f s)", snap.seconds);
  else if (busy && snap.step2 > 0)
    std::snprintf(overlay, sizeof overlay, "level 2: %d/%d  %.0f s", snap.step2, snap.steps2, snap.seconds);
  else if (busy || snap.phase == TrainPhase::Done)
    std::snprintf(overlay, sizeof overlay, "level 1: %d/%d  %.0f s", snap.step, snap.steps, snap.seconds);
  else
    std::snprintf(overlay, sizeof overlay, "%s", train_phase_name(snap.phase));
  if (snap.phase == TrainPhase::Done) std::snprintf(overlay, sizeof overlay, "done in %.0f s", snap.seconds);
  ImGui::ProgressBar(fraction, ImVec2(-1, 0), overlay);
  if (busy) ImGui::TextDisabled("%s", train_phase_name(snap.phase));
  if (!app.model_message.empty()) ImGui::TextWrapped("%s", app.model_message.c_str());
}

void level1_figures(const Level1Report& r) {
  if (!r.loss_pred.empty()) {
    plot("prediction", r.loss_pred, "Latent prediction loss (k-step, against the stop-gradient encoder), every 50 steps");
    if (!r.loss_polish.empty())
      plot("polish", r.loss_polish, "Predictor polish: the same k-step prediction loss, P1 alone on the frozen encoder, every 50 steps");
    plot("variance", r.loss_var, "VICReg variance hinge on s0 (0 = no collapse)");
    plot("inverse dyn", r.loss_idm, "Inverse dynamics: (s_t, s_t+1) -> heading");
  }
  if (r.latent_std.empty()) return;
  const float top = *std::max_element(r.latent_std.begin(), r.latent_std.end());
  ImGui::PlotHistogram("##latentstd", r.latent_std.data(), static_cast<int>(r.latent_std.size()), 0, "latent std per dim", 0.f,
                       std::max(top, 1e-3f) * 1.1f, ImVec2(ImGui::GetContentRegionAvail().x, 40));
  tooltip("Held-out standard deviation of each latent dimension (a dimension near 0 has collapsed)");
  ImGui::Text("probe R^2 %.4f, own error %.3f u", r.probe_r2, r.probe_error);
  tooltip("Position probe (drawing and measuring only): R^2 on held-out observations, "
          "and its own mean error in units on E1 of noise-free held-out frames");
  ImGui::Text("colour accuracy %.3f", r.colour_accuracy);
  tooltip("Colour head: share of held-out observations whose colour it names right");
  std::vector<float> k(r.kstep_probe_error.begin(), r.kstep_probe_error.end());
  char kov[64];
  std::snprintf(kov, sizeof kov, "k-step probe err (k=1 %.2f, k=%zu %.2f)", k.empty() ? 0.f : k.front(), k.size(),
                k.empty() ? 0.f : k.back());
  ImGui::PlotLines("##kstep", k.data(), static_cast<int>(k.size()), 0, kov, 0.f, FLT_MAX,
                   ImVec2(ImGui::GetContentRegionAvail().x, 40));
  tooltip("Mean probe position error (units) of latents predicted k = 1..16 steps ahead, held out");
  ImGui::Text("belief err %.3f  enc %.3f  percept %.3f", r.belief_error, r.encoding_error, r.perception_error);
  tooltip("Held-out mean position error (units): probe on the filtered belief (gain 0.5), probe on the raw encoding, raw perceived position");
  ImGui::Text("Kalman %.3f  fixed %.3f", r.kalman_error, r.fixed_error);
  tooltip("Odd held-out sequences: the Kalman belief's mean position error against the fixed gain's (units), each at its "
          "best steady gain there");
  ImGui::Text("in latent: Kalman %.3f  fixed %.3f", r.kalman_latent_error, r.fixed_latent_error);
  tooltip("The same two beliefs in the latent: RMS distance to E1 of the frame without perception noise");
  ImGui::TextDisabled("level 1: %ld parameters, %.1f s", r.parameters, r.seconds);
}

void level2_figures(const Level2Report& r) {
  if (!r.loss_pred.empty()) plot("L2 prediction", r.loss_pred, "Level-2 latent prediction loss (K steps ahead), every 50 steps");
  if (r.latent_std.empty()) return;  // the rest is measured at the end
  const float top = *std::max_element(r.latent_std.begin(), r.latent_std.end());
  ImGui::PlotHistogram("##hstd", r.latent_std.data(), static_cast<int>(r.latent_std.size()), 0, "h std per dim", 0.f,
                       std::max(top, 1e-3f) * 1.1f, ImVec2(ImGui::GetContentRegionAvail().x, 34));
  tooltip("Held-out standard deviation of each dimension of the level-2 latent h (near 0 = collapsed)");
  ImGui::Text("P2 place acc %.1f%%  (stay %.1f%%)", 100 * r.p2_place_accuracy, 100 * r.stay_place_accuracy);
  tooltip("Held-out K-step windows whose P2 prediction lands in the true next place; \"stay\" is the baseline that "
          "predicts no change, which P2 must beat");
  ImGui::Text("%d places, %d/%d edges kept", r.places, r.edges, r.proposed_edges);
  tooltip("Places with members; place-graph edges kept (seen in experience) of those P2 proposed");
  ImGui::Text("reachable pairs %.1f%%", 100 * r.reachable_pairs);
  tooltip("Fraction of ordered place pairs connected by a path in the graph");
  ImGui::TextDisabled("level 2: %ld parameters, %.1f s", r.parameters, r.seconds);
}

void model_file_controls(AppState& app) {
  const Session& s = app.session;
  ImGui::Separator();
  if (s.model) {
    ImGui::TextWrapped("model: %s", s.model_source.c_str());
    if (s.world && s.model->map_fingerprint != s.world->fingerprint())
      ImGui::TextColored(ImVec4(1.f, 0.6f, 0.45f, 1), "model trained on another map - retrain");
  } else {
    ImGui::TextDisabled("no model");
  }
  ImGui::SetNextItemWidth(-1);
  input_text("##modelpath", app.model_path);
  tooltip("Model file path for Load / Save");
  if (ImGui::Button("Load model...")) app.load_model_file();
  tooltip("Load a model file trained on this map (hjepa train --out FILE)");
  ImGui::SameLine();
  ImGui::BeginDisabled(!s.model);
  if (ImGui::Button("Save model...")) app.save_model_file();
  ImGui::EndDisabled();
}

}  // namespace

void training_panel(AppState& app) {
  const TrainingJob::Snapshot snap = app.training.snapshot();
  training_controls(app, snap);
  if (!snap.report.loss_pred.empty() && ImGui::CollapsingHeader("Level 1", ImGuiTreeNodeFlags_DefaultOpen))
    level1_figures(snap.report);
  if (!snap.report2.loss_pred.empty() && ImGui::CollapsingHeader("Level 2", ImGuiTreeNodeFlags_DefaultOpen))
    level2_figures(snap.report2);
  model_file_controls(app);
}

}  // namespace hjepa
