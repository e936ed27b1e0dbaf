// hjepa._core: the C++ side of the `hjepa` Python package (python/hjepa/__init__.py wraps it in the
// Gymnasium API). The world, the envs (one and batched on worker threads), training, model files,
// agents and the oracle, each through the same checks as the CLI: every bad argument raises
// ValueError with the message the parameter table, the map reader, the task parser or the model
// reader gives; nothing is checked here twice. No drawing: render() lives in python/render.cpp.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/config.hpp"
#include "agent/jepa/model_file.hpp"
#include "agent/jepa/train_model.hpp"
#include "app/agent_factory.hpp"
#include "app/gui/session.hpp"
#include "app/model_cache.hpp"
#include "app/usage_error.hpp"
#include "python/core.hpp"
#include "sim/map_gen.hpp"
#include "sim/map_io.hpp"
#include "sim/oracle.hpp"
#include "sim/rng.hpp"

namespace py = pybind11;

namespace hjepa::python {

// ---------------------------------------------------------------------------------------------
// Arguments: keyword parameters, maps, tasks, seeds.

[[noreturn]] void value_error(const std::string& message) { throw py::value_error(message); }

namespace {

// The value as the table's readers take it: Python's own spelling (shortest round-trip float).
std::string value_text(const py::handle& v) {
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>() ? "1" : "0";
  return py::str(v).cast<std::string>();
}

// A keyword name: the table's dotted name, or its short form (the part after `prefix`, dots as
// underscores: agent.planner.horizon -> planner_horizon) for one of `prefixes`.
std::string resolve_name(const std::string& key, const std::vector<std::string>& prefixes, const std::string& source) {
  std::string known;
  for (const ParamSpec& p : params())
    for (const std::string& prefix : prefixes) {
      if (p.name.rfind(prefix, 0) != 0) continue;
      std::string alias = p.name.substr(prefix.size());
      for (char& c : alias)
        if (c == '.') c = '_';
      if (key == p.name || key == alias) return p.name;
      known += (known.empty() ? "" : ", ") + alias;
    }
  value_error(source + ": unknown parameter \"" + key + "\"; expected one of " + known);
}

}  // namespace

void apply_kwargs(ParamValues& values, const py::dict& kwargs, const std::vector<std::string>& prefixes,
                  const std::string& source) {
  for (const auto& [k, v] : kwargs) {
    const std::string name = resolve_name(py::str(k).cast<std::string>(), prefixes, source);
    try {
      apply_param_setting(values, name + "=" + value_text(v), source);
    } catch (const ConfigError& e) {
      value_error(e.what());
    }
  }
}

uint64_t seed_arg(const py::handle& v, const std::string& name) {
  if (!py::isinstance<py::int_>(v) || py::isinstance<py::bool_>(v))
    value_error(name + ": " + value_text(v) + " is not an integer; expected a non-negative integer");
  const unsigned long long seed = PyLong_AsUnsignedLongLong(v.ptr());  // OverflowError below 0 and from 2**64
  if (PyErr_Occurred()) {
    PyErr_Clear();
    value_error(name + ": " + value_text(v) + " is out of range; expected a non-negative integer below 2**64");
  }
  return seed;
}

World world_arg(const py::object& map, const py::object& map_seed, const py::dict& map_params, const std::string& source) {
  if (!map.is_none() && !map_seed.is_none()) value_error(source + ": map and map_seed: give one of them, not both");
  if (!map.is_none()) {
    if (map_params.size() > 0) value_error(source + ": map_params are for map_seed, not for a map given whole");
    try {
      if (py::isinstance<py::dict>(map)) {
        const std::string text = py::module_::import("json").attr("dumps")(map).cast<std::string>();
        return map_from_json(text, "map");
      }
      if (py::isinstance<py::str>(map) || py::hasattr(map, "__fspath__"))
        return load_map(py::module_::import("os").attr("fspath")(map).cast<std::string>());
    } catch (const MapError& e) {
      value_error(e.what());
    }
    value_error(source + ": map: expected a map as a dict (hjepa-map/1) or the path of a map file, got " +
                py::str(py::type::of(map)).cast<std::string>());
  }
  const uint64_t seed = map_seed.is_none() ? 1 : seed_arg(map_seed, "map_seed");
  ParamValues values;
  apply_kwargs(values, map_params, {"map."}, source + " map_params");
  if (const std::string problem = map_params_problem(values.map); !problem.empty()) value_error(source + ": map_params: " + problem);
  return generate_map(seed, values.map);
}

Task task_arg(const py::handle& task, const World& world) {
  if (task.is_none()) return default_task(world);  // the app's: three colours of the map
  std::string text;
  if (py::isinstance<py::str>(task)) {
    text = task.cast<std::string>();
  } else if (py::isinstance<py::list>(task) || py::isinstance<py::tuple>(task)) {
    for (const auto& c : task) {
      if (!py::isinstance<py::str>(c)) value_error("task: " + value_text(c) + " is not a colour name; expected names such as \"red\"");
      text += (text.empty() ? "" : ",") + c.cast<std::string>();
    }
  } else {
    value_error("task: expected colour names as \"red,green\" or a list of them, got " + value_text(task));
  }
  Task out;
  if (const std::string err = parse_task(text, out); !err.empty()) value_error("task: " + err);
  if (const std::string err = task_map_problem(out, world); !err.empty()) value_error("task: " + err);
  return out;
}

py::dict map_dict(const World& world) {
  return py::module_::import("json").attr("loads")(map_to_json(world)).cast<py::dict>();
}

// ---------------------------------------------------------------------------------------------
// Observations.

int obs_size(const EnvParams& p) { return 2 + kNumColors + p.num_rays; }

void write_obs(const Observation& o, float* out) {
  out[0] = static_cast<float>(o.position.x);
  out[1] = static_cast<float>(o.position.y);
  for (int c = 0; c < kNumColors; ++c) out[2 + c] = static_cast<int>(o.color) == c ? 1.f : 0.f;
  for (int k = 0; k < o.num_rays; ++k) out[2 + kNumColors + k] = o.ranges[k];
}

py::object obs_object(const Observation& o, bool dict) {
  if (!dict) {
    py::array_t<float> a(2 + kNumColors + o.num_rays);
    write_obs(o, a.mutable_data());
    return a;
  }
  py::array_t<float> pos(2), ranges(o.num_rays);
  pos.mutable_data()[0] = static_cast<float>(o.position.x);
  pos.mutable_data()[1] = static_cast<float>(o.position.y);
  for (int k = 0; k < o.num_rays; ++k) ranges.mutable_data()[k] = o.ranges[k];
  py::dict d;
  d["position"] = pos;
  d["colour"] = static_cast<int>(o.color);
  d["ranges"] = ranges;
  return d;
}

// `h` as a C-contiguous array of doubles; empty when it cannot be one.
py::array_t<double, py::array::c_style | py::array::forcecast> as_doubles(const py::handle& h) {
  return py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(h);
}

// (x, y) from a tuple, list or array of two numbers.
Vec2 point_arg(const py::handle& h, const std::string& name) {
  const auto p = as_doubles(h);
  if (!p || p.size() != 2) value_error(name + ": " + value_text(h) + " is not a point; expected (x, y)");
  return {p.data()[0], p.data()[1]};
}

// An observation from Python (either layout) back into the simulator's type.
Observation obs_from_python(const py::handle& obs, int num_rays) {
  Observation o;
  o.num_rays = num_rays;
  auto floats = [](const py::handle& h, py::ssize_t n, const char* what) {
    const auto a = as_doubles(h);
    if (!a || a.size() != n) value_error(std::string("obs: ") + what + ": expected " + std::to_string(n) + " numbers");
    return a;
  };
  if (py::isinstance<py::dict>(obs)) {
    const py::dict d = py::reinterpret_borrow<py::dict>(obs);
    if (!d.contains("position") || !d.contains("colour") || !d.contains("ranges"))
      value_error("obs: expected a dict with position, colour and ranges (the env's dict observation)");
    const auto p = floats(d["position"], 2, "position");
    o.position = {p.data()[0], p.data()[1]};
    const int c = py::int_(d["colour"]).cast<int>();
    if (c < 0 || c >= kNumColors) value_error("obs: colour " + std::to_string(c) + " is out of range; expected 0 to 7");
    o.color = static_cast<Color>(c);
    const auto r = floats(d["ranges"], num_rays, "ranges");
    for (int k = 0; k < num_rays; ++k) o.ranges[k] = static_cast<float>(r.data()[k]);
    return o;
  }
  const auto a = floats(obs, 2 + kNumColors + num_rays, "array observation");
  const double* x = a.data();
  o.position = {x[0], x[1]};
  int best = 0;
  for (int c = 1; c < kNumColors; ++c)
    if (x[2 + c] > x[2 + best]) best = c;
  o.color = static_cast<Color>(best);
  for (int k = 0; k < num_rays; ++k) o.ranges[k] = static_cast<float>(x[2 + kNumColors + k]);
  return o;
}

// True when `obs` (as Python holds it, float32) is the float32 view of `exact`.
bool same_observation(const Observation& a, const Observation& exact) {
  if (a.color != exact.color || a.num_rays != exact.num_rays) return false;
  if (static_cast<float>(a.position.x) != static_cast<float>(exact.position.x) ||
      static_cast<float>(a.position.y) != static_cast<float>(exact.position.y))
    return false;
  for (int k = 0; k < a.num_rays; ++k)
    if (a.ranges[k] != exact.ranges[k]) return false;
  return true;
}

double heading_arg(const py::handle& action) {
  double h;
  if (PyFloat_CheckExact(action.ptr())) {
    h = PyFloat_AS_DOUBLE(action.ptr());
  } else if (PyLong_Check(action.ptr()) && !py::isinstance<py::bool_>(action)) {
    h = PyLong_AsDouble(action.ptr());
  } else {
    const auto a = as_doubles(action);
    if (!a || a.size() != 1 || a.ndim() > 1)
      value_error("action: " + value_text(action) + " is not a heading; expected a float (radians) or an array of shape (1,)");
    h = *a.data();
  }
  if (!std::isfinite(h)) value_error("action: " + value_text(action) + " is not finite; expected a heading in radians");
  return h;
}

// ---------------------------------------------------------------------------------------------
// One env.

CoreEnv::CoreEnv(std::shared_ptr<const World> w, Task t, EnvParams p, bool dict_obs)
    : world(std::move(w)), task(std::move(t)), dict_obs(dict_obs) {
  try {
    env = std::make_unique<Env>(*world, task, p);
  } catch (const std::invalid_argument& e) {
    value_error(e.what());
  }
}

py::tuple CoreEnv::reset(const py::object& seed, const py::object& start) {
  if (!seed.is_none()) ep.next_seed = seed_arg(seed, "seed");
  std::optional<Vec2> at;
  if (!start.is_none()) at = point_arg(start, "options[\"start\"]");
  ep.episode_seed = ep.next_seed++;
  try {
    ep.last = env->reset(ep.episode_seed, at);
  } catch (const std::invalid_argument& e) {
    value_error(std::string("options[\"start\"]: ") + e.what());
  }
  ep.started = true;
  ep.ended = false;
  ep.reward = 0;
  ep.trail.assign(1, env->state().position);
  return py::make_tuple(obs_object(ep.last, dict_obs), info());
}

py::dict CoreEnv::info() const {
  py::dict d;
  const EnvState& s = env->state();
  d["step"] = s.step;
  d["progress"] = s.progress;
  d["true_position"] = py::make_tuple(s.position.x, s.position.y);
  d["episode_seed"] = ep.episode_seed;
  return d;
}

py::tuple CoreEnv::step(const py::handle& action) {
  const double heading = heading_arg(action);
  if (!ep.started) throw std::runtime_error("step() before reset(): call reset() first");
  if (ep.ended) throw std::runtime_error("step() after the episode ended (terminated or truncated): call reset() first");
  if (env->done()) {  // the start already achieved the whole task: this step ends the episode, unmoved
    ep.ended = true;
    return py::make_tuple(obs_object(ep.last, dict_obs), 0.0, true, false, info());
  }
  const StepResult r = env->step(heading);
  ep.ended = r.terminated || r.truncated;
  ep.reward += r.reward;
  ep.last = r.obs;
  ep.trail.push_back(r.info.true_position);
  return py::make_tuple(obs_object(ep.last, dict_obs), r.reward, r.terminated, r.truncated, info());
}

// ---------------------------------------------------------------------------------------------
// Batched envs on worker threads.

namespace {

// Runs job(chunk) for chunk 0..T-1: chunk 0 on the calling thread, the others on T-1 workers that
// spin briefly after each job (a Python loop calls again within microseconds), then sleep.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int k = 1; k < threads; ++k) workers_.emplace_back([this, k] { loop(k); });
  }
  ~WorkerPool() {
    stop_ = true;
    generation_.fetch_add(1);
    generation_.notify_all();
    for (auto& t : workers_) t.join();
  }
  int size() const { return static_cast<int>(workers_.size()) + 1; }
  void run(const std::function<void(int)>& job) {
    job_ = &job;
    pending_.store(static_cast<int>(workers_.size()));
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    job(0);
    while (pending_.load(std::memory_order_acquire) > 0) std::this_thread::yield();
  }

 private:
  void loop(int k) {
    uint64_t seen = 0;
    while (true) {
      for (int spin = 0; spin < 20000 && generation_.load(std::memory_order_acquire) == seen; ++spin) pause();
      generation_.wait(seen);
      seen = generation_.load(std::memory_order_acquire);
      if (stop_) return;
      (*job_)(k);
      pending_.fetch_sub(1, std::memory_order_release);
    }
  }
  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  std::vector<std::thread> workers_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
  const std::function<void(int)>* job_ = nullptr;
};

}  // namespace

struct CoreVecEnv::Impl {
  std::shared_ptr<const World> world;
  Env env;  // const: every env's state is in `states`
  std::vector<EnvState> states;
  std::vector<uint8_t> autoreset;  // the env ended at the last step: the next step resets it
  std::vector<uint64_t> episode;   // episodes started per env since the last seeded reset
  uint64_t base_seed = 1;
  WorkerPool pool;
  Impl(std::shared_ptr<const World> w, const Task& t, const EnvParams& p, int n, int threads)
      : world(std::move(w)), env(*world, t, p), states(n), autoreset(n, 0), episode(n, 0), pool(threads) {}
  uint64_t seed_of(int i) const { return base_seed + i + episode[i] * states.size(); }
  template <class F>
  void parallel(F&& body) {
    const int n = static_cast<int>(states.size()), t = pool.size();
    std::atomic<bool> failed{false};
    std::string what;
    const std::function<void(int)> job = [&](int chunk) {
      try {
        for (int i = n * chunk / t; i < n * (chunk + 1) / t; ++i) body(i);
      } catch (const std::exception& e) {  // no exception may leave a worker thread
        if (!failed.exchange(true)) what = e.what();
      }
    };
    pool.run(job);
    if (failed) throw std::runtime_error(what);
  }
};

CoreVecEnv::CoreVecEnv(std::shared_ptr<const World> w, const Task& task, const EnvParams& p, int n, int threads) {
  if (n < 1 || n > 65536) value_error("num_envs: " + std::to_string(n) + " is out of range; expected an integer in [1, 65536]");
  if (threads < 1 || threads > 256) value_error("threads: " + std::to_string(threads) + " is out of range; expected an integer in [1, 256]");
  try {
    impl_ = std::make_unique<Impl>(std::move(w), task, p, n, std::min(threads, n));
  } catch (const std::invalid_argument& e) {
    value_error(e.what());
  }
  features_ = obs_size(p);
}

CoreVecEnv::~CoreVecEnv() = default;

int CoreVecEnv::num_envs() const { return static_cast<int>(impl_->states.size()); }
int CoreVecEnv::threads() const { return impl_->pool.size(); }
const Env& CoreVecEnv::env() const { return impl_->env; }

py::tuple CoreVecEnv::reset(const py::object& seed) {
  Impl& m = *impl_;
  const int n = num_envs();
  if (!seed.is_none()) {
    m.base_seed = seed_arg(seed, "seed");
    std::fill(m.episode.begin(), m.episode.end(), 0);
  } else if (started_) {
    for (auto& e : m.episode) ++e;
  }
  started_ = true;
  py::array_t<float> obs({n, features_});
  py::array_t<uint64_t> seeds(n);
  float* o = obs.mutable_data();
  uint64_t* sd = seeds.mutable_data();
  {
    py::gil_scoped_release release;
    m.parallel([&](int i) {
      sd[i] = m.seed_of(i);
      write_obs(m.env.start_state(m.states[i], sd[i]), o + static_cast<size_t>(i) * features_);
      m.autoreset[i] = 0;
    });
  }
  py::dict info;
  info["episode_seed"] = seeds;
  return py::make_tuple(obs, info);
}

py::tuple CoreVecEnv::step(const py::handle& actions) {
  Impl& m = *impl_;
  const int n = num_envs();
  if (!started_) throw std::runtime_error("step() before reset(): call reset() first");
  const auto a = as_doubles(actions);
  if (!a || a.size() != n || !(a.ndim() == 1 || (a.ndim() == 2 && a.shape(1) == 1)))
    value_error("actions: expected " + std::to_string(n) + " headings in radians, shape (" + std::to_string(n) + ",) or (" +
                std::to_string(n) + ", 1)");
  const double* h = a.data();
  for (int i = 0; i < n; ++i)
    if (!std::isfinite(h[i])) value_error("actions[" + std::to_string(i) + "]: not finite; expected a heading in radians");
  py::array_t<float> obs({n, features_});
  py::array_t<double> reward(n);
  py::array_t<bool> terminated(n), truncated(n);
  py::array_t<int32_t> step(n), progress(n);
  float* o = obs.mutable_data();
  double* r = reward.mutable_data();
  bool* te = terminated.mutable_data();
  bool* tr = truncated.mutable_data();
  int32_t* st = step.mutable_data();
  int32_t* pr = progress.mutable_data();
  {
    py::gil_scoped_release release;
    m.parallel([&](int i) {
      float* oi = o + static_cast<size_t>(i) * features_;
      if (m.autoreset[i]) {  // next-step autoreset: this step starts the env's next episode
        ++m.episode[i];
        write_obs(m.env.start_state(m.states[i], m.seed_of(i)), oi);
        r[i] = 0;
        te[i] = tr[i] = false;
      } else if (m.env.done(m.states[i])) {  // the start already achieved the whole task: ends now, unmoved
        write_obs(m.env.observe(m.states[i]), oi);
        r[i] = 0;
        te[i] = true;
        tr[i] = false;
      } else {
        const StepResult s = m.env.step(m.states[i], h[i]);
        write_obs(s.obs, oi);
        r[i] = s.reward;
        te[i] = s.terminated;
        tr[i] = s.truncated;
      }
      m.autoreset[i] = te[i] || tr[i];
      st[i] = m.states[i].step;
      pr[i] = m.states[i].progress;
    });
  }
  py::dict info;
  info["step"] = step;
  info["progress"] = progress;
  return py::make_tuple(obs, reward, terminated, truncated, info);
}

// ---------------------------------------------------------------------------------------------
// Models, agents, the oracle.

std::shared_ptr<const ModelFile> train(const World& world, const py::dict& kwargs, uint64_t seed, bool cache, py::dict& report) {
  ParamValues values;
  apply_kwargs(values, kwargs, {"train.", "env."}, "hjepa.train");
  Level1Report r1;
  Level2Report r2;
  ModelFile model;
  double seconds = 0;
  bool from_cache = false;
  try {
    py::gil_scoped_release release;
    if (cache) {
      ModelCacheResult c;
      model = cached_model(world, values.run.env, values.train, values.train2, seed, "hjepa (Python)", &c);
      r1 = c.report;
      seconds = c.train_seconds;
      from_cache = c.from_cache;
    } else {
      model = train_model(world, values.run.env, values.train, values.train2, seed, "hjepa (Python)", r1, r2);
      seconds = r1.seconds;
    }
  } catch (const UsageError& e) {
    value_error(e.what());
  }
  if (!r1.finite) value_error("hjepa.train: training stopped: " + r1.message);
  report["from_cache"] = from_cache;
  report["seconds"] = seconds;
  if (!from_cache) {
    report["probe_r2"] = r1.probe_r2;
    report["probe_error"] = r1.probe_error;
    report["colour_accuracy"] = r1.colour_accuracy;
    report["kstep_probe_error"] = r1.kstep_probe_error;
    if (!r1.kstep_probe_error_best_z.empty()) {
      report["kstep_probe_error_best_z"] = r1.kstep_probe_error_best_z;
      report["kstep_probe_error_believed_z"] = r1.kstep_probe_error_believed_z;
    }
    if (!r1.kstep_probe_error_true_z.empty()) report["kstep_probe_error_true_z"] = r1.kstep_probe_error_true_z;
    report["belief_error"] = r1.belief_error;
    report["encoding_error"] = r1.encoding_error;
    report["perception_error"] = r1.perception_error;
    report["kalman_error"] = r1.kalman_error;
    report["fixed_error"] = r1.fixed_error;
    report["kalman_fitted_error"] = r1.kalman_fitted_error;
    report["kalman_full_error"] = r1.kalman_full_error;
    report["ideal_filter_error"] = r1.ideal_filter_error;
    report["kalman_scalar_error"] = r1.kalman_scalar_error;
    report["fitted_gain"] = r1.fitted_gain;
    report["polish_gain"] = r1.polish_gain;
    report["kalman_latent_error"] = r1.kalman_latent_error;
    report["fixed_latent_error"] = r1.fixed_latent_error;
    report["encoding_latent_error"] = r1.encoding_latent_error;
    report["parameters"] = r1.parameters;
    report["mode1_heldout_error"] = r1.mode1.heldout_error;
    report["mode1_seconds"] = r1.mode1.seconds;
  }
  return std::make_shared<const ModelFile>(std::move(model));
}

CoreAgent::CoreAgent(const std::string& name, std::shared_ptr<const ModelFile> model, CoreEnv& env, uint64_t seed,
                     const py::dict& kwargs)
    : name_(name), model_(std::move(model)), env_(&env) {
  if (!is_agent_name(name)) value_error("agent: \"" + name + "\" is not an agent; expected one of " + agent_name_list());
  if (agent_needs_model(name) && !model_) value_error("agent " + name + ": needs a model (hjepa.train or hjepa.Model.load)");
  if (model_ && model_->map_fingerprint != env.world->fingerprint())
    value_error("model: trained on another map (fingerprint mismatch); expected a model trained on this env's map");
  if (!env.ep.started) value_error("agent " + name + ": the env has no episode yet; call env.reset() first");
  ParamValues values;
  apply_kwargs(values, kwargs, {"agent."}, "hjepa.make_agent");
  AgentSetup setup(*env.env, env.env->task(), env.env->params(), seed, model_.get());
  setup.take(values.run);
  try {
    agent_ = make_agent(name, setup);
  } catch (const UsageError& e) {
    value_error(std::string("model: ") + e.what());
  }
}

Observation CoreAgent::observation(const py::handle& obs) const {
  if (obs.is_none()) return env_->ep.last;
  const Observation o = obs_from_python(obs, env_->env->params().num_rays);
  return same_observation(o, env_->ep.last) ? env_->ep.last : o;  // the env's own, at full precision
}

void CoreAgent::reset(const py::handle& obs) { agent_->reset(observation(obs)); }

double CoreAgent::act(const py::handle& obs) {
  const Observation o = observation(obs);
  py::gil_scoped_release release;
  return agent_->act(o);
}

py::dict CoreAgent::trace() const {
  const AgentTrace t = agent_->trace();
  py::dict d;
  if (t.belief) {
    d["belief"] = std::vector<float>(t.belief->s.data(), t.belief->s.data() + t.belief->s.size());
    d["z_belief"] = t.belief->z;
    d["belief_gain"] = t.belief->gain >= 0 ? py::cast(t.belief->gain) : py::none();  // None before the first update
  }
  if (t.progress >= 0) d["progress"] = t.progress;
  if (t.plan) {
    d["plan_headings"] = t.plan->headings;
    d["plan_cost"] = t.plan->cost;
    if (!std::isnan(t.plan->policy_heading)) d["policy_heading"] = t.plan->policy_heading;
  }
  if (t.hierarchy) {
    const HJepaTrace& h = *t.hierarchy;
    d["place"] = h.place;
    d["route"] = h.high.places;
    d["route_cost"] = h.high.cost;
    d["subgoal_place"] = h.subgoal_place;
    d["target_colour"] = h.target_colour >= 0 ? py::cast(std::string(color_name(static_cast<Color>(h.target_colour)))) : py::none();
    d["replan_reason"] = h.replan_reason;
    d["correction"] = h.correction;
    d["replans"] = h.replans;
    d["stuck"] = h.stuck;
    d["watch_window"] = h.watch_window;
  }
  if (t.oracle_path) {
    std::vector<std::pair<double, double>> pts;
    for (Vec2 p : t.oracle_path->points) pts.emplace_back(p.x, p.y);
    d["oracle_path"] = pts;
    d["oracle_replans"] = t.oracle_replans;
  }
  return d;
}

py::dict oracle(const World& world, const py::handle& start, const Task& task, double step_length) {
  const Vec2 s = point_arg(start, "start");
  if (!world.is_free(s)) value_error("start: (" + value_text(start) + ") is not a free point of the map; expected a point in the map outside every obstacle");
  OraclePath path;
  {
    py::gil_scoped_release release;
    path = plan_oracle(world, s, task);
  }
  py::dict d;
  d["found"] = path.found;
  d["length"] = path.length;
  d["steps"] = path.found ? oracle_steps(path.length, step_length) : -1;
  std::vector<std::pair<double, double>> pts;
  for (Vec2 q : path.points) pts.emplace_back(q.x, q.y);
  d["points"] = pts;
  d["stage_point"] = path.stage_point;
  return d;
}

}  // namespace hjepa::python
