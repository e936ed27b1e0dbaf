// Training guards shared by level-1 and level-2 training: the first non-finite loss term, gradient
// or parameter value, by name, and a checkpoint of the last parameters whose losses and gradients
// were finite, so a diverging run stops with a message and keeps a usable model; and the guarded
// optimiser step every training loop takes.
#pragma once
#include <functional>
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

// "<stage>: non-finite ..." after restoring `params` from `last_good`: how a training loop stops.
std::string stop_training(const nn::ParamList<float>& params, const Checkpoint& last_good, const std::string& stage,
                          const std::string& fault, const std::string& step_name, int step);

struct StepGuard {
  int checkpoint_every = 50;  // steps between checkpoints of the last good parameters, >= 1
  double clip_norm = 10.0;    // the gradients' global L2 norm is clipped to this before the update; 0: not clipped
};

// One guarded optimiser step over `trained`: a loss fault, or else the first non-finite gradient,
// stops it before anything changes; otherwise a checkpoint (every guard.checkpoint_every steps), the
// clipped gradients, update() (the optimiser steps), the gradients cleared, and the values checked.
// Returns the fault ("... after the update" for a value), "" when the step was taken.
std::string guarded_step(const nn::ParamList<float>& trained, const std::string& loss_fault, Checkpoint& last_good, int step,
                         const std::function<void()>& update, const StepGuard& guard = {});

}  // namespace hjepa
