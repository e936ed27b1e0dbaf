// Belief update, progress tracking and colour-seeking planning for the flat level-1 agent.
#include "agent/jepa/flat_agent.hpp"


namespace hjepa {

FlatJepaAgent::FlatJepaAgent(const Level1& model, const Task& task, const EnvParams& env, std::unique_ptr<Planner> planner,
                             BeliefParams belief)
    : belief_params(belief), model_(&model), task_(task), env_(env), planner_(std::move(planner)) {}

void FlatJepaAgent::reset(const Observation& obs) {
  planner_->reset();
  belief_.reset(*model_, obs, env_.ray_max, belief_params);
  progress_ = advance_progress(task_, 0, obs.color);
  has_last_ = false;
}

double FlatJepaAgent::act(const Observation& obs) {
  if (has_last_) belief_.update(*model_, last_heading_, obs, env_.ray_max, belief_params);
  progress_ = advance_progress(task_, progress_, obs.color);
  const int colour = progress_ < task_.size() ? static_cast<int>(task_.colors[progress_]) : -1;
  plan_ = planner_->plan(*model_, belief_.s, nullptr, colour, belief_.z.data());
  last_heading_ = plan_.headings.front();
  has_last_ = true;
  return last_heading_;
}

void FlatJepaAgent::set_params(const LiveAgentParams& p) {
  if (p.planner) planner_->params = *p.planner;
  if (p.belief) belief_params = *p.belief;
}

}  // namespace hjepa
