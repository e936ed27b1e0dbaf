// One episode to a video file; see episode_recorder.hpp.
#include "app/render/episode_recorder.hpp"

#include <algorithm>
#include <chrono>

namespace hjepa {

EpisodeRecorder::EpisodeRecorder(const VideoOptions& options) : writer_(options), renderer_(options.width, options.height) {}

void EpisodeRecorder::update(Session& session) {
  if (ended_) return;
  if (episode_ < 0) {  // waiting for an episode at its start
    if (!session.env || session.env->state().step != 0) return;
    episode_ = session.episode;
    draw(session);
  } else if (!session.env || session.episode != episode_) {
    return finish();
  } else if (session.env->state().step > last_step_) {
    draw(session);
  }
  if (!session.running()) finish();
}

void EpisodeRecorder::draw(Session& session) {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  const auto t0 = Clock::now();
  session.refresh_traces();
  const auto traced = Clock::now();
  const RgbImage& frame = renderer_.render(session);
  const auto t1 = Clock::now();
  writer_.write(frame);
  frame_ms_.push_back(ms(traced, t1));
  render_ms_ += ms(t0, t1);
  encode_ms_ += ms(t1, Clock::now());
  last_step_ = session.env->state().step;
}

double EpisodeRecorder::median_frame_ms() const {
  if (frame_ms_.empty()) return 0;
  std::vector<double> sorted = frame_ms_;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  return sorted[sorted.size() / 2];
}

void EpisodeRecorder::finish() {
  ended_ = true;
  if (writer_.frames() == 0) throw VideoError("no episode started while recording; no file written");
  writer_.finish();
}

}  // namespace hjepa
