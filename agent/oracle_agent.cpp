// OracleAgent: pure pursuit along the oracle path with a one-step look at where each heading
// lands when a required colour is within reach, and replanning when pushed off the path.
#include "agent/oracle_agent.hpp"

#include <algorithm>
#include <cmath>

namespace hjepa {
namespace {

// Closest point to p on segment a-b, as a parameter in [0, 1].
double project(Vec2 p, Vec2 a, Vec2 b) {
  const Vec2 ab = b - a;
  const double l2 = norm2(ab);
  return l2 == 0 ? 0 : std::clamp(dot(p - a, ab) / l2, 0.0, 1.0);
}

double heading_to(Vec2 from, Vec2 to) { return std::atan2(to.y - from.y, to.x - from.x); }

}  // namespace

void OracleAgent::reset(const Observation&) {
  replans_ = 0;
  replan();
}

void OracleAgent::replan() {
  const EnvState& s = env_->state();
  path_ = plan_oracle(env_->world(), s.position, env_->task(), s.progress, params_.oracle);
  plan_progress_ = s.progress;
  segment_ = 0;
  ++replans_;
}

double OracleAgent::act(const Observation&) {
  const EnvState& s = env_->state();
  const Task& task = env_->task();
  const Vec2 p = s.position;
  if (!path_.found || path_.points.size() < 2) {
    replan();
    if (!path_.found || path_.points.size() < 2) return 0.0;  // nothing reachable: stand still-ish
  }
  const int first_stage_task = task.size() - static_cast<int>(path_.stage_point.size());
  const int stage = s.progress - first_stage_task;  // index into stage_point of the next colour
  const int last = static_cast<int>(path_.points.size()) - 1;
  const int stage_vertex = stage < static_cast<int>(path_.stage_point.size()) ? path_.stage_point[stage] : last;

  // Track the nearest segment a little ahead of the current one (never beyond the next stage point).
  double best = kNoHit;
  int best_seg = segment_;
  // A segment counts only if its closest point is in sight: across a thin wall, the path's way
  // back is near but not reachable (a hairpin around a wall's end).
  const World& world = env_->world();
  for (int k = segment_; k < std::min(stage_vertex, segment_ + 4); ++k) {
    const Vec2 a = path_.points[k], b = path_.points[k + 1], q = a + (b - a) * project(p, a, b);
    const double d = dist(p, q);
    if (d < best && (k == segment_ || world.segment_free(p, q))) best = d, best_seg = k;
  }
  segment_ = best_seg;
  const bool passed_stage = segment_ >= stage_vertex && s.progress < task.size();
  if (best > params_.replan_distance || passed_stage || stage < 0) {
    replan();
    if (!replanning_) {  // follow the fresh plan (once; a fresh plan never triggers again)
      replanning_ = true;
      const double h = act(Observation{});
      replanning_ = false;
      return h;
    }
  }

  const double step = env_->params().step_length;
  const Vec2 target = path_.points[stage_vertex];
  if (dist(p, target) <= step * 1.05 && s.progress < task.size()) {
    // The next colour is within reach: pick the heading whose landing point is in it and closest
    // to where the path goes next.
    const Color need = task.colors[s.progress];
    const Vec2 after = path_.points[std::min(stage_vertex + 1, last)];
    double best_score = kNoHit, best_heading = heading_to(p, target);
    for (int k = 0; k < 64; ++k) {
      const double h = 6.283185307179586 * k / 64;
      const Vec2 q = env_->move(p, heading_dir(h), step);
      if (env_->world().color_at(q) != need) continue;
      const double score = dist(q, after);
      if (score < best_score) best_score = score, best_heading = h;
    }
    return best_heading;
  }

  // Pure pursuit: a carrot 1.5 steps ahead along the path (never past the next colour point);
  // take the heading whose actual landing point (walls and obstacles included) is nearest to it.
  // If that heading barely moves (the carrot is behind a wall's end, at a hairpin), pursue the
  // farthest point of the path that is in sight instead.
  double best_heading = pursue(p, stage_vertex, false);
  if (dist(env_->move(p, heading_dir(best_heading), step), p) < 0.3 * step) best_heading = pursue(p, stage_vertex, true);
  return best_heading;
}

double OracleAgent::pursue(Vec2 p, int stage_vertex, bool in_sight) const {
  const World& world = env_->world();
  const double step = env_->params().step_length;
  const Vec2 a = path_.points[segment_], b = path_.points[segment_ + 1];
  Vec2 carrot = a + (b - a) * project(p, a, b);
  double remaining = 1.5 * step;
  for (int k = segment_ + 1; k <= stage_vertex && remaining > 0; ++k) {
    const double len = dist(carrot, path_.points[k]);
    const Vec2 next = len > remaining ? carrot + (path_.points[k] - carrot) * (remaining / len) : path_.points[k];
    if (in_sight && !world.segment_free(p, next)) {  // the last visible point of this stretch
      double lo = 0, hi = 1;
      for (int it = 0; it < 12; ++it) {
        const double mid = 0.5 * (lo + hi);
        (world.segment_free(p, carrot + (next - carrot) * mid) ? lo : hi) = mid;
      }
      carrot = carrot + (next - carrot) * lo;
      break;
    }
    remaining -= std::min(len, remaining);
    carrot = next;
  }
  double best_heading = heading_to(p, carrot);
  double best_gap = dist(env_->move(p, heading_dir(best_heading), step), carrot);
  for (int k = 0; k < 64; ++k) {
    const double h = 6.283185307179586 * k / 64;
    const double gap = dist(env_->move(p, heading_dir(h), step), carrot);
    if (gap < best_gap - 1e-9) best_gap = gap, best_heading = h;
  }
  return best_heading;
}

}  // namespace hjepa
