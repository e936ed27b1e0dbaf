// Env.render() for the Python package: the app's world view of a CoreEnv's episode, drawn on the CPU
// by app/render's FrameRenderer (no display) into a (height, width, 3) uint8 numpy array.
#pragma once
#include <pybind11/pybind11.h>

namespace hjepa::python {

// Binds hjepa._core.Renderer(width, height) with render(env) -> numpy array.
void bind_render(pybind11::module_& m);

}  // namespace hjepa::python
