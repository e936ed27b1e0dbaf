// The tensor types and the trainable Parameter shared by every layer of the nn kit.
// Column-major Eigen matrices; a batch is columns: an activation is (features x batch).
// A Parameter carries its value and its accumulated gradient (optimisers keep their own state).
#pragma once
#include <Eigen/Core>
#include <string>
#include <vector>

namespace hjepa::nn {

template <typename T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

template <typename T>
struct Parameter {
  std::string name;  // unique within a module, e.g. "predictor.1.W"; checked by load()
  Mat<T> value;
  Mat<T> grad;     // accumulated by backward (+=); cleared by zero_grad
  bool decay = true;  // AdamW applies weight decay (true for weight matrices, false for biases)

  Parameter() = default;
  Parameter(std::string name_, Eigen::Index rows, Eigen::Index cols, bool decay_)
      : name(std::move(name_)), value(Mat<T>::Zero(rows, cols)), grad(Mat<T>::Zero(rows, cols)),
        decay(decay_) {}
  Eigen::Index size() const { return value.size(); }
};

template <typename T>
using ParamList = std::vector<Parameter<T>*>;
template <typename T>
using ConstParamList = std::vector<const Parameter<T>*>;

}  // namespace hjepa::nn
