// User commands and playback timing of the desktop app; see app_state.hpp.
#include "app/gui/app_state.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "app/model_cache.hpp"

namespace hjepa {

namespace {

// A training run's optimiser work, for scaling a measured time to other step counts (a joint
// level-1 step costs about four of the others).
double training_work(const Level1TrainParams& a, const Level2TrainParams& b) {
  return static_cast<double>(a.steps) * 4 + a.polish_steps + b.distance_steps + b.steps;
}

}  // namespace

std::string AppState::cache_file() const {
  const std::string dir = model_cache_dir();
  if (dir.empty() || !session.world) return "";
  return dir + "/" + model_cache_name(*session.world, session.env_params, train_params, train2_params, train_seed);
}

double AppState::expected_training_seconds() const {
  // Measured: the defaults train in about 15 s on the project's 2-core machine (README, since the
  // product kernel of 2026-12-02); other settings scale with their optimiser steps. A run finished
  // in this app is the better guide.
  const Level1TrainParams d1;
  const Level2TrainParams d2;
  const double base = last_training_seconds_ > 0 ? last_training_seconds_ : 15.0;
  const double base_work = last_training_seconds_ > 0 ? last_training_work_ : training_work(d1, d2);
  return base * training_work(train_params, train2_params) / base_work;
}

void AppState::ensure_model() {
  if (!session.world || !agent_needs_model(session.agent_name) || session.model_problem().empty()) return;
  const std::string path = cache_file();
  std::error_code ec;
  if (!path.empty() && std::filesystem::exists(path, ec)) {
    try {
      session.set_model(std::make_shared<const ModelFile>(load_model(path, session.world->fingerprint())), "from cache " + path);
      model_message = "model: from cache " + path;
      std::fprintf(stderr, "hjepa gui: %s\n", model_message.c_str());
      if (session.model_problem().empty()) return;
    } catch (const ModelError& e) {
      std::fprintf(stderr, "hjepa gui: cached model unusable (%s); training a new one\n", e.what());
    }
  }
  if (auto_train) train_for_agent();
}

void AppState::train_for_agent() {
  if (!session.world) return;
  if (agent_needs_model(session.agent_name)) {
    waiting_agent = session.agent_name;
    session.agent_name = "oracle";  // stands in until the model is ready (poll_training hands over)
  }
  if (training.busy()) return;  // the run under way serves the waiting agent
  start_training();
  char text[160];
  std::snprintf(text, sizeof text, "training the %s model in the background (about %.0f s); the oracle drives meanwhile",
                waiting_agent.empty() ? "learned agents'" : waiting_agent.c_str(), expected_training_seconds());
  message = text;
  std::fprintf(stderr, "hjepa gui: %s\n", message.c_str());
}

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
      if (!waiting_agent.empty()) message = "training ended without a model: the oracle keeps driving";
      waiting_agent.clear();
    }
    return;
  }
  const double seconds = training.snapshot().seconds;
  last_training_seconds_ = seconds;
  last_training_work_ = training_work(train_params, train2_params);
  // Into the model cache too, under the key hjepa run and bench use (a model trained with other
  // env or training settings gets its own key).
  std::string cached = cache_file();
  if (!cached.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(cached).parent_path(), ec);
    try {
      save_model(*result, cached);
    } catch (const ModelError& e) {
      std::fprintf(stderr, "hjepa gui: could not cache the model (%s)\n", e.what());
      cached.clear();
    }
  }
  char text[160];
  std::snprintf(text, sizeof text, "trained here in %.0f s (seed %llu, %d steps)", seconds,
                static_cast<unsigned long long>(train_seed), result->train.steps);
  session.set_model(std::make_shared<const ModelFile>(std::move(*result)), text);
  if (!waiting_agent.empty()) {  // the oracle stood in: hand over
    session.agent_name = waiting_agent;
    waiting_agent.clear();
    reset_episode();
    message = "model ready after " + std::to_string(static_cast<int>(seconds + 0.5)) + " s of training: the " +
              (session.agent_name == "hjepa" ? std::string("H-JEPA") : session.agent_name) + " drives now";
    handover_caption = message;
    handover_frames = 240;  // shown over the map for a few seconds (frames at up to 60 per second)
  }
  model_message = "training finished; " + use_learned_agent() + " uses the new model" +
                  (cached.empty() ? "" : " (cached as " + cached + ")");
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
  if (after_step) after_step();
}

void AppState::reset_episode() {
  ensure_model();
  session.reset_episode();
  step_debt_ = 0;
  finished_for_ = 0;
}

void AppState::new_map() {
  ++session.map_seed;
  regenerate_map();
}

void AppState::regenerate_map() {
  if (const std::string problem = session.regenerate_map(); !problem.empty()) message = problem;
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

void AppState::toggle_gate(int gate) {
  message = session.set_gate_open(gate, !session.gate_open(gate));
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
    if (after_step) after_step();
    if (std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(30)) {
      step_debt_ = 0;
      break;
    }
  }
}

}  // namespace hjepa
