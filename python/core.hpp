// The C++ types behind the `hjepa` Python package (bound in python/module.cpp, wrapped in the
// Gymnasium API by python/hjepa/__init__.py). Every argument check raises ValueError (value_error)
// with the message of the project's own check: the parameter table, the map reader, the task parser,
// the env, the model reader.
#pragma once
#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/agent.hpp"
#include "agent/config.hpp"
#include "agent/jepa/model_file.hpp"
#include "sim/env.hpp"

namespace hjepa::python {

namespace py = pybind11;

[[noreturn]] void value_error(const std::string& message);

// Keyword parameters of the table: `prefixes` says which parts a call takes ({"env."}, {"agent."}...);
// a key is a dotted name or its short form (after the prefix, dots as underscores).
void apply_kwargs(ParamValues& values, const py::dict& kwargs, const std::vector<std::string>& prefixes, const std::string& source);
uint64_t seed_arg(const py::handle& v, const std::string& name);
// A map from a dict (hjepa-map/1) or a path, or generated from map_seed (default 1) and map.* params.
World world_arg(const py::object& map, const py::object& map_seed, const py::dict& map_params, const std::string& source);
// "red,green" or ["red", "green"], every colour on the map; None: three colours of the map (the app's default task).
Task task_arg(const py::handle& task, const World& world);
py::dict map_dict(const World& world);
// The array observation's length: position (2), colour one-hot (8), ranges (num_rays).
int obs_size(const EnvParams& p);
// A heading from a float or an array of shape (1,); finite.
double heading_arg(const py::handle& action);

// One env: the Env, its episode and the trail of true positions (for render()).
struct CoreEnv {
  CoreEnv(std::shared_ptr<const World> world, Task task, EnvParams params, bool dict_obs);
  py::tuple reset(const py::object& seed, const py::object& start);
  py::tuple step(const py::handle& action);
  py::dict info() const;
  std::shared_ptr<const World> world;
  Task task;
  bool dict_obs = false;
  std::unique_ptr<Env> env;     // never replaced: agents keep a reference to it
  // What the Python side adds to the env's state (get_state / set_state copy both).
  struct Episode {
    Observation last;           // the last observation, at full precision
    bool started = false;
    bool ended = false;         // step() returned terminated or truncated
    uint64_t next_seed = 1, episode_seed = 1;
    std::vector<Vec2> trail;    // true positions since reset
    double reward = 0;          // summed since reset
  } ep;
};

// n envs over one map, stepped on worker threads; next-step autoreset (Gymnasium 1.x vector envs).
// Env i's episode e has seed base + i + e * n whatever the thread count.
class CoreVecEnv {
 public:
  CoreVecEnv(std::shared_ptr<const World> world, const Task& task, const EnvParams& params, int n, int threads);
  ~CoreVecEnv();
  py::tuple reset(const py::object& seed);
  py::tuple step(const py::handle& actions);
  int num_envs() const;
  int threads() const;
  int features() const { return features_; }
  const Env& env() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int features_ = 0;
  bool started_ = false;
};

std::shared_ptr<const ModelFile> train(const World& world, const py::dict& kwargs, uint64_t seed, bool cache, py::dict& report);

// An agent of the table on a CoreEnv (which must outlive it: the Python wrapper keeps it alive).
class CoreAgent {
 public:
  CoreAgent(const std::string& name, std::shared_ptr<const ModelFile> model, CoreEnv& env, uint64_t seed, const py::dict& kwargs);
  void reset(const py::handle& obs);
  double act(const py::handle& obs);
  py::dict trace() const;
  const std::string& name() const { return name_; }

 private:
  // The observation as the agent takes it: the env's own (full precision) when `obs` is its float32 view or None.
  Observation observation(const py::handle& obs) const;
  std::string name_;
  std::shared_ptr<const ModelFile> model_;
  CoreEnv* env_;
  std::unique_ptr<Agent> agent_;
};

py::dict oracle(const World& world, const py::handle& start, const Task& task, double step_length);

}  // namespace hjepa::python
