// User commands and playback timing of the desktop app; see app_state.hpp.
#include "app/gui/app_state.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace hjepa {

void AppState::start_training() {
  if (!session.world || training.busy()) return;
  training.start(*session.world, session.env_params, train_params, train2_params, train_seed);
  model_message = "training on " + session.map_source + " in the background";
  show_tab = Tab::Training;
}

void AppState::poll_training() {
  if (!training.busy()) return;
  std::optional<ModelFile> result = training.take_result();
  if (!result) {
    if (!training.busy()) {  // ended without a model
      const TrainingJob::Snapshot snap = training.snapshot();
      model_message = snap.phase == TrainPhase::Failed ? snap.error + "; the app did not use it and keeps the model it had"
                                                       : "training stopped; the result was discarded";
      std::fprintf(stderr, "hjepa gui: %s\n", model_message.c_str());
    }
    return;
  }
  char text[128];
  std::snprintf(text, sizeof text, "trained here (seed %llu, %d steps)", static_cast<unsigned long long>(train_seed),
                result->train.steps);
  session.set_model(std::make_shared<const ModelFile>(std::move(*result)), text);
  model_message = "training finished; " + use_learned_agent() + " uses the new model";
  std::fprintf(stderr, "hjepa gui: %s\n", model_message.c_str());
}

std::string AppState::use_learned_agent() {
  if (agent_needs_model(session.agent_name))
    return session.agent_name == "hjepa" ? "the H-JEPA agent" : "the " + session.agent_name + " agent";
  session.agent_name = "hjepa";
  reset_episode();
  return "the H-JEPA agent (Agent panel) now";
}

void AppState::load_model_file() {
  if (!session.world) return;
  try {
    auto m = std::make_shared<const ModelFile>(load_model(model_path, session.world->fingerprint()));
    session.set_model(std::move(m), model_path);
    model_message = "loaded " + model_path + "; " + use_learned_agent() + " uses it";
  } catch (const ModelError& e) {
    model_message = e.what();
  } catch (const std::exception& e) {
    model_message = "cannot load " + model_path + ": " + e.what();
  }
}

void AppState::save_model_file() {
  if (!session.model) {
    model_message = "no model to save: train one first";
    return;
  }
  try {
    save_model(*session.model, model_path);
    model_message = "saved " + model_path;
  } catch (const std::exception& e) {
    model_message = e.what();
  }
}

void AppState::toggle_play() {
  playing = !playing;
  if (playing && !session.running() && session.env) reset_episode();
}

void AppState::single_step() {
  playing = false;
  if (!session.running()) return;
  session.step_once();
}

void AppState::reset_episode() {
  session.reset_episode();
  step_debt_ = 0;
  finished_for_ = 0;
}

void AppState::new_map() {
  ++session.map_seed;
  regenerate_map();
}

void AppState::regenerate_map() {
  session.regenerate_map();
  reset_episode();
  fit_pending = true;
}

void AppState::append_task_color(Color c) {
  if (session.task.size() >= kMaxTaskLength) {
    message = "a task has at most " + std::to_string(kMaxTaskLength) + " colours";
    return;
  }
  session.task.colors.push_back(c);
  reset_episode();
}

void AppState::set_start(Vec2 p) {
  if (!session.world || !session.world->is_free(p)) {
    char text[96];
    std::snprintf(text, sizeof text, "(%.1f, %.1f) is not a free point: pick a spot outside the obstacles", p.x, p.y);
    message = text;
    return;
  }
  session.start = p;
  message.clear();
  reset_episode();
}

void AppState::advance(double dt) {
  const EpisodeStatus status = session.status;
  if (session.env && (status == EpisodeStatus::Success || status == EpisodeStatus::Truncated)) {
    if (!auto_reset || !playing) {
      playing = false;
      return;
    }
    finished_for_ += dt;
    if (finished_for_ >= kAutoResetPause) {
      ++session.episode_seed;
      reset_episode();
    }
    return;
  }
  if (!playing || !session.running()) return;

  int steps = fixed_steps_per_frame;
  if (steps <= 0) {
    step_debt_ += dt * steps_per_second;
    steps = static_cast<int>(std::floor(step_debt_));
    step_debt_ -= steps;
  }
  // Keep the window responsive when the agent is slow: at most ~30 ms of stepping per frame.
  const auto t0 = std::chrono::steady_clock::now();
  for (int k = 0; k < steps && session.running(); ++k) {
    session.step_once();
    if (std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(30)) {
      step_debt_ = 0;
      break;
    }
  }
}

}  // namespace hjepa
