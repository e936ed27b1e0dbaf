// See render.hpp. The renderer draws a Session (the app's state); a CoreEnv's episode is mirrored into
// one: the map and env built once per env drawn, then each frame the env state, last observation,
// trail, reward and status copied over.
#include "python/render.hpp"

#include <pybind11/numpy.h>

#include <cstring>
#include <memory>
#include <stdexcept>

#include "app/gui/session.hpp"
#include "app/render/frame_renderer.hpp"
#include "python/core.hpp"

namespace py = pybind11;

namespace hjepa::python {

namespace {

class CoreRenderer {
 public:
  CoreRenderer(int width, int height) try : renderer_(width, height) {
  } catch (const std::invalid_argument& e) {
    value_error(std::string("render_size: ") + e.what());
  }

  py::array_t<uint8_t> render(const CoreEnv& e) {
    if (!e.ep.started) value_error("render: the env has no episode yet; call reset() first");
    mirror(e);
    session_.refresh_traces();
    const RgbImage& img = renderer_.render(session_);
    py::array_t<uint8_t> out({img.height, img.width, 3});
    std::memcpy(out.mutable_data(), img.rgb.data(), img.rgb.size());
    return out;
  }

 private:
  void mirror(const CoreEnv& e) {
    if (mirrored_ != e.world.get()) {  // another env's map: rebuild the session's world and env
      session_.env.reset();
      session_.set_world(World(*e.world), "Python");
      session_.task = e.task;
      session_.env_params = e.env->params();
      session_.env = std::make_unique<Env>(*session_.world, e.task, e.env->params());
      mirrored_ = e.world.get();
    }
    session_.env->set_state(e.env->state());
    session_.obs = e.ep.last;
    session_.trail = e.ep.trail;
    session_.episode_reward = e.ep.reward;
    const EnvState& s = e.env->state();
    session_.status = !e.env->done() ? EpisodeStatus::Running
                      : s.progress >= e.task.size() ? EpisodeStatus::Success
                                                    : EpisodeStatus::Truncated;
  }
  FrameRenderer renderer_;
  Session session_;
  const World* mirrored_ = nullptr;
};

}  // namespace

void bind_render(py::module_& m) {
  py::class_<CoreRenderer>(m, "Renderer", "The app's world view drawn on the CPU (no display)")
      .def(py::init<int, int>(), py::arg("width"), py::arg("height"))
      .def("render", &CoreRenderer::render, py::arg("env"));
}

}  // namespace hjepa::python
