// User commands and playback timing of the desktop app; see app_state.hpp.
#include "app/gui/app_state.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace hjepa {

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
