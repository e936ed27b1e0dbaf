// Training guards shared by level-1 and level-2 training: the first non-finite loss term, gradient
// or parameter value, by name, and a checkpoint of the last parameters whose losses and gradients
// were finite, so a diverging run stops with a message and keeps a usable model.
#pragma once
#include <initializer_list>
#include <string>
#include <vector>

#include "agent/nn/parameter.hpp"

namespace hjepa {

struct LossTerm {
  const char* name;  // e.g. "prediction"
  double value;
};

// "prediction loss (nan)" for the first non-finite term; "" when every term is finite.
std::string non_finite_loss(std::initializer_list<LossTerm> terms);
// "gradient of P1.1.W" for the first parameter with a non-finite gradient; "" when none.
std::string non_finite_gradient(const nn::ParamList<float>& params);
// "value of P1.1.W" for the first parameter with a non-finite value; "" when none.
std::string non_finite_value(const nn::ParamList<float>& params);

// The parameter values at one training step, to fall back to when a later step goes non-finite.
class Checkpoint {
 public:
  void save(const nn::ParamList<float>& params, int step);
  void restore(const nn::ParamList<float>& params) const;
  int step() const { return step_; }

 private:
  std::vector<nn::Mat<float>> values_;
  int step_ = 0;
};

// "<stage>: non-finite <fault> at step <step>; training stopped, keeping the model of step <kept>"
std::string training_stop_message(const std::string& stage, const std::string& fault, const std::string& step_name,
                                  int step, int kept);

}  // namespace hjepa
