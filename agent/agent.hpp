// The Agent interface shared by every agent (random, oracle, and later the JEPA agents), the
// GUI and the headless runner: reset at the start of an episode, then one heading per observation.
#pragma once
#include <string>

#include "sim/env.hpp"

namespace hjepa {

class Agent {
 public:
  virtual ~Agent() = default;
  virtual std::string name() const = 0;
  // Called after Env::reset with the first observation.
  virtual void reset(const Observation& obs) = 0;
  // The heading (radians) for the next step.
  virtual double act(const Observation& obs) = 0;
};

}  // namespace hjepa
