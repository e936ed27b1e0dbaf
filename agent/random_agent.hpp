// RandomAgent: a uniform random heading every step, from its own seeded generator.
#pragma once
#include "agent/agent.hpp"

namespace hjepa {

class RandomAgent : public Agent {
 public:
  explicit RandomAgent(uint64_t seed) : seed_(seed), rng_(seed) {}
  std::string name() const override { return "random"; }
  void reset(const Observation&) override { rng_.reseed(seed_); }
  double act(const Observation&) override { return rng_.uniform(-3.141592653589793, 3.141592653589793); }

 private:
  uint64_t seed_;
  Rng rng_;
};

}  // namespace hjepa
