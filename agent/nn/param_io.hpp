// Binary save/load of a module's parameters. Layout (little-endian): "HJNN", u32 version = 1,
// u32 sizeof(T), u64 count, then per parameter: u32 name length, name bytes, u64 rows, u64 cols,
// rows*cols raw T values (column-major). load checks every name and shape, reads everything
// before changing the module, and throws std::runtime_error naming the parameter and the mismatch.
#pragma once
#include <istream>
#include <ostream>

#include "agent/nn/parameter.hpp"

namespace hjepa::nn {

template <typename T>
void save_parameters(std::ostream& os, const ConstParamList<T>& params);
template <typename T>
void load_parameters(std::istream& is, const ParamList<T>& params);

// Any module with params() (Linear, MLP, ...).
template <typename Module>
void save(std::ostream& os, const Module& module) {
  save_parameters(os, module.params());
}
template <typename Module>
void load(std::istream& is, Module& module) {
  load_parameters(is, module.params());
}

}  // namespace hjepa::nn
