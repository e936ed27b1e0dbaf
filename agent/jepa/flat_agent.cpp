// Belief update, progress tracking and colour-seeking planning for the flat level-1 agent.
#include "agent/jepa/flat_agent.hpp"


namespace hjepa {

FlatJepaAgent::FlatJepaAgent(const Level1& model, const Task& task, const EnvParams& env, std::unique_ptr<Planner> planner,
                             BeliefParams belief)
    : belief_params(belief), model_(&model), task_(task), env_(env), planner_(std::move(planner)) {}

void FlatJepaAgent::reset(const Observation& obs) {
  planner_->reset();
  belief_ = model_->encode_observation(obs, env_.ray_max);
  z_belief_ = model_->z_prior;
  belief_var_ = kalman_noise(*model_, belief_params).r;
  belief_gain_ = -1;
  progress_ = advance_progress(task_, 0, obs.color);
  has_last_ = false;
}

double FlatJepaAgent::act(const Observation& obs) {
  if (has_last_) {
    const BeliefUpdate u = update_belief(*model_, belief_, last_heading_, obs, env_.ray_max, belief_params, z_belief_, &belief_var_);
    belief_ = u.belief, belief_gain_ = u.gain;
  }
  progress_ = advance_progress(task_, progress_, obs.color);
  const int colour = progress_ < task_.size() ? static_cast<int>(task_.colors[progress_]) : -1;
  plan_ = planner_->plan(*model_, belief_, nullptr, colour, z_belief_.data());
  last_heading_ = plan_.headings.front();
  has_last_ = true;
  return last_heading_;
}

void FlatJepaAgent::set_params(const LiveAgentParams& p) {
  if (p.planner) planner_->params = *p.planner;
  if (p.belief) belief_params = *p.belief;
}

}  // namespace hjepa
