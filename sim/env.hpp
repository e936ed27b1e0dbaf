// The Gym-like environment: reset(seed, start) and step(heading) over a const World.
// EnvState is everything that changes (position, step count, task progress, RNG); the Env itself
// (world, task, params, ray directions) never changes after construction. As MuJoCo's
// mj_step(m, d), the const `step(state, heading)` advances any state, so a rollout copies an
// EnvState, not an Env; reset()/step(heading) do the same on the Env's own state. Same World, Task,
// params and seed give the same trajectory bit for bit.
#pragma once
#include <array>
#include <cstdint>
#include <optional>

#include "sim/rng.hpp"
#include "sim/task.hpp"
#include "sim/world.hpp"

namespace hjepa {

// The valid range of each EnvParams field. Env's constructor accepts exactly these; the parameter
// table (agent/config) cites them for the CLI, config files, suites and the app.
constexpr int kMaxRays = 32;
constexpr double kStepLengthMin = 0.01, kStepLengthMax = 10;
constexpr double kNoiseMax = 10;  // each of the three noise stds
constexpr double kRayMaxMin = 0.5, kRayMaxMax = 50;
constexpr int kMaxStepsMax = 1000000;

struct EnvParams {
  double step_length = 1.0;        // distance moved per step when unobstructed, world units, kStepLengthMin..kStepLengthMax
  double noise_motion = 0.05;      // std of Gaussian noise added to the landing point, units, 0..kNoiseMax
  double noise_perception = 0.1;   // std of Gaussian noise on the observed position, units, 0..kNoiseMax
  double noise_range = 0.05;       // std of Gaussian noise on each range reading, units, 0..kNoiseMax
  int num_rays = 8;                // range-ring rays, evenly spaced from heading 0, 0..kMaxRays
  double ray_max = 5.0;            // range-ring maximum reading, units, kRayMaxMin..kRayMaxMax
  int max_steps = 0;               // truncation limit, 0..kMaxStepsMax; 0 = auto: 2 * ceil((width+height)/step_length) * task length
};

struct Observation {
  Vec2 position;                        // perceived position (true + perception noise)
  Color color = Color::Red;             // colour of the region the agent truly stands in
  int num_rays = 0;                     // valid entries of ranges
  std::array<float, kMaxRays> ranges{}; // distance to the nearest wall/obstacle along ray k, noisy, in [0, ray_max]
};

struct EnvState {
  Vec2 position;      // true position
  int step = 0;       // steps taken since reset
  int progress = 0;   // task colours achieved
  Rng rng;            // the env's noise stream
  OpenGates open_gates = 0;  // the map's gates open this episode (drawn at reset; 0 on gate-less maps)
};

// The seed stream the gates of an episode are drawn from (derive_seed(episode seed, this)), apart
// from the noise stream, so a map's gates change neither its start points nor its noise.
constexpr uint64_t kGateSeedStream = 0x6a7e5;

struct StepInfo {
  int step = 0;              // elapsed steps after this one
  int progress = 0;          // task colours achieved so far
  bool progressed = false;   // this step achieved at least one colour
  Vec2 true_position;        // for evaluation and drawing only; agents must not read it
  Vec2 landing;              // where the move ended before the motion noise: measuring only (the ideal filter
                             // of train --json belief.ideal_filter_error); agents must not read it
};

struct StepResult {
  Observation obs;
  double reward = 0;        // -1 per step, +1 per colour achieved by this step
  bool terminated = false;  // task complete
  bool truncated = false;   // max_steps reached without completing
  StepInfo info;
};

class Env {
 public:
  // Throws std::invalid_argument if params are out of range or the task is empty or too long.
  Env(const World& world, Task task, EnvParams params = {});

  // Starts an episode. Without start, a free start point is drawn from the seed. Each gate is
  // closed with its p_closed, drawn from the seed's gate stream; starts avoid every gate, open or not.
  // Throws std::invalid_argument if start is not a free point of the map (every gate closed).
  Observation reset(uint64_t seed, std::optional<Vec2> start = std::nullopt);
  StepResult step(double heading);

  // The same on a state the caller owns: `start_state` fills `s` for a new episode and returns
  // the first observation; `step` advances `s` by one step. Throws as reset / step do.
  Observation start_state(EnvState& s, uint64_t seed, std::optional<Vec2> start = std::nullopt) const;
  StepResult step(EnvState& s, double heading) const;
  bool done(const EnvState& s) const { return s.progress >= task_.size() || s.step >= max_steps_; }

  const World& world() const { return *world_; }
  const Task& task() const { return task_; }
  const EnvParams& params() const { return params_; }
  int max_steps() const { return max_steps_; }
  const EnvState& state() const { return state_; }
  void set_state(const EnvState& s) { state_ = s; }
  bool done() const { return done(state_); }

  // Opens or closes gate g in `s` (the app's toggle). Throws std::invalid_argument for a gate the map
  // does not have, or for closing a gate on the agent standing in its doorway.
  void set_gate_open(EnvState& s, int gate, bool open) const;

  // Moves from p along unit direction d by up to len, stopping just short of the first hit, with
  // the gates `open` open (an episode's: state().open_gates).
  Vec2 move(Vec2 p, Vec2 d, double len, OpenGates open) const;
  Observation observe(EnvState& s) const;

 private:
  const World* world_;
  Task task_;
  EnvParams params_;
  int max_steps_ = 0;
  std::array<Vec2, kMaxRays> ray_dirs_{};  // unit directions of the range ring
  EnvState state_;
};

}  // namespace hjepa
