// The pybind11 module hjepa._core: binds python/core.hpp's types and functions. The Gymnasium-facing
// classes (hjepa.Env, hjepa.VecEnv, spaces, registration) are Python, in python/hjepa/__init__.py.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "app/agent_factory.hpp"
#include "python/core.hpp"
#include "python/render.hpp"
#include "sim/map_io.hpp"

namespace py = pybind11;
using namespace hjepa;
using namespace hjepa::python;

namespace {

EnvParams env_params_arg(const py::dict& kwargs, const std::string& source) {
  ParamValues values;
  apply_kwargs(values, kwargs, {"env."}, source);
  return values.run.env;
}

std::shared_ptr<const World> shared_world(const py::object& map, const py::object& map_seed, const py::dict& map_params,
                                          const std::string& source) {
  return std::make_shared<const World>(world_arg(map, map_seed, map_params, source));
}

// A copy of one env's episode (get_state / set_state), tied to its map.
struct StateCopy {
  EnvState state;
  uint64_t fingerprint = 0;
  CoreEnv::Episode episode;
};

py::list colour_names() {
  py::list l;
  for (auto n : kColorNames) l.append(std::string(n));
  return l;
}

py::list param_table() {
  py::list l;
  for (const ParamSpec& p : params()) {
    py::dict d;
    d["name"] = p.name;
    d["default"] = p.default_text();
    d["range"] = p.range_text();
    d["help"] = p.help_text();
    l.append(d);
  }
  return l;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "hjepa-sim's C++ core: worlds, envs, training, models, agents, the oracle (see the hjepa package)";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const std::invalid_argument& e) {  // a check of the simulator the bindings did not catch first
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
  m.attr("colour_names") = colour_names();
  m.attr("agent_names") = agent_names();
  m.attr("num_colours") = kNumColors;
  m.def("param_table", &param_table, "Every parameter of the table: name, default, range, help");

  py::class_<StateCopy>(m, "State", "A copy of one env's episode (Env.get_state / Env.set_state)")
      .def_property_readonly("position", [](const StateCopy& s) { return py::make_tuple(s.state.position.x, s.state.position.y); })
      .def_property_readonly("step", [](const StateCopy& s) { return s.state.step; })
      .def_property_readonly("progress", [](const StateCopy& s) { return s.state.progress; })
      .def_property_readonly("open_gates", [](const StateCopy& s) { return s.state.open_gates; })
      .def("__copy__", [](const StateCopy& s) { return s; })
      .def("__deepcopy__", [](const StateCopy& s, const py::dict&) { return s; });

  py::class_<CoreEnv>(m, "Env")
      .def(py::init([](const py::object& map, const py::object& map_seed, const py::dict& map_params, const py::handle& task,
                       const py::dict& env_params, const std::string& obs_mode) {
             if (obs_mode != "array" && obs_mode != "dict")
               value_error("obs_mode: \"" + obs_mode + "\" is not an observation layout; expected \"array\" or \"dict\"");
             auto world = shared_world(map, map_seed, map_params, "hjepa.Env");
             Task t = task_arg(task, *world);
             return std::make_unique<CoreEnv>(world, std::move(t), env_params_arg(env_params, "hjepa.Env"), obs_mode == "dict");
           }),
           py::arg("map"), py::arg("map_seed"), py::arg("map_params"), py::arg("task"), py::arg("env_params"), py::arg("obs_mode"))
      .def("reset", &CoreEnv::reset, py::arg("seed"), py::arg("start"))
      .def("step", &CoreEnv::step, py::arg("action"))
      .def("info", &CoreEnv::info)
      .def("get_state", [](const CoreEnv& e) {
        return StateCopy{e.env->state(), e.world->fingerprint(), e.ep};
      })
      .def("set_state", [](CoreEnv& e, const StateCopy& s) {
        if (s.fingerprint != e.world->fingerprint())
          value_error("state: taken from an env on another map; expected a state from get_state() of an env on this map");
        e.env->set_state(s.state);
        e.ep = s.episode;
      })
      .def("set_gate_open", [](CoreEnv& e, int gate, bool open) {
        if (!e.ep.started) value_error("set_gate_open: the env has no episode yet; call reset() first");
        if (gate < 0 || gate >= e.world->gate_count())
          value_error("gate: " + std::to_string(gate) + " is not a gate of this map; expected 0 to " + std::to_string(e.world->gate_count() - 1));
        EnvState s = e.env->state();
        e.env->set_gate_open(s, gate, open);
        e.env->set_state(s);
      })
      .def_property_readonly("done", [](const CoreEnv& e) { return e.ep.started && e.env->done(); })
      .def_property_readonly("features", [](const CoreEnv& e) { return obs_size(e.env->params()); })
      .def_property_readonly("num_rays", [](const CoreEnv& e) { return e.env->params().num_rays; })
      .def_property_readonly("ray_max", [](const CoreEnv& e) { return e.env->params().ray_max; })
      .def_property_readonly("step_length", [](const CoreEnv& e) { return e.env->params().step_length; })
      .def_property_readonly("max_steps", [](const CoreEnv& e) { return e.env->max_steps(); })
      .def_property_readonly("size", [](const CoreEnv& e) { return py::make_tuple(e.world->width, e.world->height); })
      .def_property_readonly("map", [](const CoreEnv& e) { return map_dict(*e.world); })
      .def_property_readonly("map_fingerprint", [](const CoreEnv& e) { return e.world->fingerprint(); })
      .def_property_readonly("gate_count", [](const CoreEnv& e) { return e.world->gate_count(); })
      .def_property_readonly("task", [](const CoreEnv& e) {
        std::vector<std::string> names;
        for (Color c : e.task.colors) names.emplace_back(color_name(c));
        return names;
      })
      .def_property_readonly("episode_seed", [](const CoreEnv& e) { return e.ep.episode_seed; })
      .def_property_readonly("true_position", [](const CoreEnv& e) {
        return py::make_tuple(e.env->state().position.x, e.env->state().position.y);
      });

  py::class_<CoreVecEnv>(m, "VecEnv")
      .def(py::init([](int n, const py::object& map, const py::object& map_seed, const py::dict& map_params, const py::handle& task,
                       const py::dict& env_params, int threads) {
             auto world = shared_world(map, map_seed, map_params, "hjepa.VecEnv");
             const Task t = task_arg(task, *world);
             return std::make_unique<CoreVecEnv>(world, t, env_params_arg(env_params, "hjepa.VecEnv"), n, threads);
           }),
           py::arg("num_envs"), py::arg("map"), py::arg("map_seed"), py::arg("map_params"), py::arg("task"), py::arg("env_params"),
           py::arg("threads"))
      .def("reset", &CoreVecEnv::reset, py::arg("seed"))
      .def("step", &CoreVecEnv::step, py::arg("actions"))
      .def_property_readonly("num_envs", &CoreVecEnv::num_envs)
      .def_property_readonly("threads", &CoreVecEnv::threads)
      .def_property_readonly("features", &CoreVecEnv::features)
      .def_property_readonly("num_rays", [](const CoreVecEnv& v) { return v.env().params().num_rays; })
      .def_property_readonly("ray_max", [](const CoreVecEnv& v) { return v.env().params().ray_max; })
      .def_property_readonly("max_steps", [](const CoreVecEnv& v) { return v.env().max_steps(); });

  py::class_<ModelFile, std::shared_ptr<ModelFile>>(m, "Model", py::dynamic_attr())
      .def_static("load", [](const std::string& path, std::optional<uint64_t> fingerprint) {
        try {
          return std::make_shared<ModelFile>(load_model(path, fingerprint));
        } catch (const ModelError& e) {
          value_error(e.what());
        }
      }, py::arg("path"), py::arg("fingerprint") = py::none())
      .def("save", [](const ModelFile& model, const std::string& path) {
        try {
          save_model(model, path);
        } catch (const ModelError& e) {
          value_error(e.what());
        }
      }, py::arg("path"))
      .def("describe", [](const ModelFile& model) { return describe_model(model); })
      .def_property_readonly("map_fingerprint", [](const ModelFile& model) { return model.map_fingerprint; })
      .def_property_readonly("train_seed", [](const ModelFile& model) { return model.train_seed; })
      .def_property_readonly("created_by", [](const ModelFile& model) { return model.created_by; });

  m.def("train", [](const py::object& map, const py::object& map_seed, const py::dict& map_params, const py::object& seed,
                    bool cache, const py::dict& params) {
    const World world = world_arg(map, map_seed, map_params, "hjepa.train");
    py::dict report;
    auto model = python::train(world, params, seed_arg(seed, "seed"), cache, report);
    return py::make_tuple(std::const_pointer_cast<ModelFile>(model), report);
  }, py::arg("map"), py::arg("map_seed"), py::arg("map_params"), py::arg("seed"), py::arg("cache"), py::arg("params"));

  py::class_<CoreAgent>(m, "Agent")
      .def(py::init([](const std::string& name, std::shared_ptr<ModelFile> model, CoreEnv& env, const py::object& seed,
                       const py::dict& params) {
             return std::make_unique<CoreAgent>(name, model, env, seed_arg(seed, "seed"), params);
           }),
           py::arg("name"), py::arg("model"), py::arg("env"), py::arg("seed"), py::arg("params"), py::keep_alive<1, 4>(),
           py::keep_alive<1, 3>())
      .def("reset", &CoreAgent::reset, py::arg("obs") = py::none())
      .def("act", &CoreAgent::act, py::arg("obs") = py::none())
      .def("trace", &CoreAgent::trace)
      .def_property_readonly("name", &CoreAgent::name);

  m.def("oracle", [](const py::object& map, const py::object& map_seed, const py::dict& map_params, const py::handle& start,
                     const py::handle& task, double step_length) {
    const World world = world_arg(map, map_seed, map_params, "hjepa.oracle");
    return python::oracle(world, start, task_arg(task, world), step_length);
  }, py::arg("map"), py::arg("map_seed"), py::arg("map_params"), py::arg("start"), py::arg("task"), py::arg("step_length") = 1.0);

  m.def("generate_map", [](const py::object& seed, const py::dict& map_params) {
    return map_dict(world_arg(py::none(), seed, map_params, "hjepa.generate_map"));
  }, py::arg("seed"), py::arg("map_params"));
  m.def("load_map", [](const std::string& path) { return map_dict(world_arg(py::str(path), py::none(), py::dict(), "hjepa.load_map")); },
        py::arg("path"));
  m.def("save_map", [](const py::dict& map, const std::string& path) {
    const World w = world_arg(map, py::none(), py::dict(), "hjepa.save_map");
    try {
      save_map(w, path);
    } catch (const MapError& e) {
      value_error(e.what());
    }
  }, py::arg("map"), py::arg("path"));
  m.def("check_map", [](const py::dict& map) { return map_dict(world_arg(map, py::none(), py::dict(), "hjepa.check_map")); },
        py::arg("map"));

  bind_render(m);
}
