// The environment's dynamics: blocked moves, motion and perception noise, the range ring and
// the task's progress, reward and termination.
#include "sim/env.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace hjepa {
namespace {

// Shortest readable form of a number in messages ("40", "0.05", "-1e+300").
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

}  // namespace

Env::Env(const World& world, Task task, EnvParams params) : world_(&world), task_(std::move(task)), params_(params) {
  require(task_.size() >= 1 && task_.size() <= kMaxTaskLength,
          "task has " + std::to_string(task_.size()) + " colours; expected 1 to " + std::to_string(kMaxTaskLength));
  // The table's ranges (sim/env.hpp), in its words: "step_length 0; expected a number in [0.01, 10]".
  auto in_range = [](const char* name, double v, double lo, double hi) {
    require(v >= lo && v <= hi, std::string(name) + " " + num(v) + "; expected a number in [" + num(lo) + ", " + num(hi) + "]");
  };
  in_range("step_length", params_.step_length, kStepLengthMin, kStepLengthMax);
  in_range("noise_motion", params_.noise_motion, 0, kNoiseMax);
  in_range("noise_perception", params_.noise_perception, 0, kNoiseMax);
  in_range("noise_range", params_.noise_range, 0, kNoiseMax);
  require(params_.num_rays >= 0 && params_.num_rays <= kMaxRays,
          "num_rays " + std::to_string(params_.num_rays) + "; expected an integer in [0, " + std::to_string(kMaxRays) + "]");
  in_range("ray_max", params_.ray_max, kRayMaxMin, kRayMaxMax);
  require(params_.max_steps >= 0 && params_.max_steps <= kMaxStepsMax,
          "max_steps " + std::to_string(params_.max_steps) + "; expected an integer in [0, " + std::to_string(kMaxStepsMax) + "] (0 = auto)");
  max_steps_ = params_.max_steps > 0
                   ? params_.max_steps
                   : 2 * static_cast<int>(std::ceil((world.width + world.height) / params_.step_length)) * task_.size();
  for (int k = 0; k < params_.num_rays; ++k) ray_dirs_[k] = heading_dir(6.283185307179586 * k / params_.num_rays);
}

Vec2 Env::move(Vec2 p, Vec2 d, double len, OpenGates open) const {
  const double t = world_->raycast(p, d, len, open);
  const Vec2 q = p + d * t;
  if (t == len ? world_->in_bounds(q) : world_->is_free(q, open)) return q;
  const Vec2 back = p + d * std::max(0.0, t - 1e-7);  // rounding landed on the wrong side: back off
  return world_->is_free(back, open) ? back : p;
}

void Env::set_gate_open(EnvState& s, int gate, bool open) const {
  const int count = world_->gate_count();
  require(gate >= 0 && gate < count, "gate " + std::to_string(gate) + "; expected " +
                                         (count == 0 ? std::string("none: this map has no gates")
                                                     : "a gate of this map (0 to " + std::to_string(count - 1) + ")"));
  if (!open && contains(world_->obstacles[world_->gate_obstacle(gate)], s.position))
    throw std::invalid_argument("gate " + std::to_string(gate) + " cannot close on the agent standing in its doorway; expected the agent outside it");
  const OpenGates bit = OpenGates{1} << gate;
  s.open_gates = open ? s.open_gates | bit : s.open_gates & ~bit;
}

Observation Env::observe(EnvState& s) const {
  Observation obs;
  const double sp = params_.noise_perception;
  obs.position = s.position;
  if (sp > 0) obs.position = obs.position + Vec2{sp * s.rng.normal(), sp * s.rng.normal()};
  obs.color = world_->color_at(s.position);
  obs.num_rays = params_.num_rays;
  if (obs.num_rays == 0) return obs;

  // Cull obstacles to those the ring can reach, then cast each ray against walls and those.
  const Vec2 p = s.position;
  const double r = params_.ray_max;
  const Obstacle* near[64];
  int num_near = 0;
  bool overflow = false;
  int gate = 0;
  for (const auto& ob : world_->obstacles) {
    if (open_gate(ob, gate, s.open_gates)) continue;  // first: the gate counter must see every obstacle
    if (ob.max.x <= p.x - r || ob.min.x >= p.x + r || ob.max.y <= p.y - r || ob.min.y >= p.y + r) continue;
    if (num_near == 64) { overflow = true; break; }
    near[num_near++] = &ob;
  }
  for (int k = 0; k < obs.num_rays; ++k) {
    const Vec2 d = ray_dirs_[k];
    double t;
    if (overflow) {
      t = world_->raycast(p, d, r, s.open_gates);
    } else {
      t = std::min(r, raycast_walls(p, d, world_->width, world_->height));
      for (int i = 0; i < num_near; ++i) t = std::min(t, raycast(*near[i], p, d));
    }
    if (params_.noise_range > 0) t += params_.noise_range * s.rng.normal();
    obs.ranges[k] = static_cast<float>(std::clamp(t, 0.0, r));
  }
  return obs;
}

Observation Env::reset(uint64_t seed, std::optional<Vec2> start) {
  return start_state(state_, seed, start);
}

Observation Env::start_state(EnvState& s, uint64_t seed, std::optional<Vec2> start) const {
  if (start && !world_->is_free(*start))  // checked first: a refused start leaves `s` as it was
    throw std::invalid_argument("start (" + num(start->x) + ", " + num(start->y) +
                                ") is not a free point; expected a point inside the " + num(world_->width) + " x " +
                                num(world_->height) + " map and outside every obstacle");
  s = EnvState{};
  s.rng.reseed(seed);
  if (world_->gate_count() > 0) {  // gate-less maps draw nothing: their episodes are as before
    Rng gate_rng(derive_seed(seed, kGateSeedStream));
    const double shared = world_->gates_shared ? gate_rng.uniform() : 0;  // one draw for every gate
    int gate = 0;
    for (const Obstacle& ob : world_->obstacles) {
      if (!ob.is_gate()) continue;
      const double u = world_->gates_shared ? shared : gate_rng.uniform();
      if (!(u < ob.p_closed)) s.open_gates |= OpenGates{1} << gate;  // closed with probability p_closed
      ++gate;
    }
  }
  if (start) {
    s.position = *start;
  } else {
    do {
      s.position = {s.rng.uniform(0, world_->width), s.rng.uniform(0, world_->height)};
    } while (!world_->is_free(s.position));
  }
  s.progress = advance_progress(task_, 0, world_->color_at(s.position));
  return observe(s);
}

StepResult Env::step(double heading) { return step(state_, heading); }

StepResult Env::step(EnvState& s, double heading) const {
  if (done(s)) throw std::logic_error("Env::step called after the episode ended; call reset first");
  StepResult r;
  Vec2 p = move(s.position, heading_dir(heading), params_.step_length, s.open_gates);
  const Vec2 landing = p;
  const double sm = params_.noise_motion;
  if (sm > 0) {
    const Vec2 n{sm * s.rng.normal(), sm * s.rng.normal()};
    const double len = norm(n);
    if (len > 0) p = move(p, n * (1.0 / len), len, s.open_gates);
  }
  s.position = p;
  ++s.step;
  const int before = s.progress;
  s.progress = advance_progress(task_, before, world_->color_at(p));
  r.obs = observe(s);
  r.reward = -1.0 + (s.progress - before);
  r.terminated = s.progress >= task_.size();
  r.truncated = !r.terminated && s.step >= max_steps_;
  r.info = {s.step, s.progress, s.progress > before, p, landing};
  return r;
}

}  // namespace hjepa
