// Finiteness checks and checkpoints for the training loops (see train_guard.hpp).
#include "agent/jepa/train_guard.hpp"

#include <cmath>

namespace hjepa {

std::string non_finite_loss(std::initializer_list<LossTerm> terms) {
  for (const LossTerm& t : terms)
    if (!std::isfinite(t.value)) {
      const char* value = std::isnan(t.value) ? "nan" : t.value > 0 ? "inf" : "-inf";
      return std::string(t.name) + " loss (" + value + ")";
    }
  return "";
}

std::string non_finite_gradient(const nn::ParamList<float>& params) {
  for (const nn::Parameter<float>* p : params)
    if (!p->grad.allFinite()) return "gradient of " + p->name;
  return "";
}

std::string non_finite_value(const nn::ParamList<float>& params) {
  for (const nn::Parameter<float>* p : params)
    if (!p->value.allFinite()) return "value of " + p->name;
  return "";
}

void Checkpoint::save(const nn::ParamList<float>& params, int step) {
  values_.resize(params.size());
  for (size_t i = 0; i < params.size(); ++i) values_[i] = params[i]->value;
  step_ = step;
}

void Checkpoint::restore(const nn::ParamList<float>& params) const {
  for (size_t i = 0; i < params.size() && i < values_.size(); ++i) params[i]->value = values_[i];
}

std::string training_stop_message(const std::string& stage, const std::string& fault, const std::string& step_name,
                                  int step, int kept) {
  return stage + ": non-finite " + fault + " at " + step_name + " " + std::to_string(step) +
         "; training stopped, keeping the model of " + step_name + " " + std::to_string(kept) +
         " (the last with finite losses and gradients)";
}

}  // namespace hjepa
