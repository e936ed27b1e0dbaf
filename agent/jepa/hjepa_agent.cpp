// The hierarchical agent's step: belief, progress, place, level-2 replanning, level-1 planning.
#include "agent/jepa/hjepa_agent.hpp"

#include <chrono>

namespace hjepa {

HJepaAgent::HJepaAgent(const Level1& level1, const Level2& level2, const Task& task, const EnvParams& env,
                       std::unique_ptr<Planner> planner, HJepaParams p)
    : params(p), level1_(&level1), level2_(&level2), task_(task), env_(env), planner_(std::move(planner)) {}

void HJepaAgent::reset(const Observation& obs) {
  planner_->reset();
  trace_ = HJepaTrace{};
  first_plan_ = HighLevelPlan{};
  trace_.belief = level1_->encode_observation(obs, env_.ray_max);
  trace_.progress = advance_progress(task_, 0, obs.color);
  has_last_ = false;
  steps_since_plan_ = 0;
}

void HJepaAgent::replan(const std::string& reason) {
  const auto t0 = std::chrono::steady_clock::now();
  trace_.high = plan_high_level(*level2_, trace_.place, task_, trace_.progress, params.high);
  trace_.high_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  trace_.plan_index = 0;
  trace_.replan_reason = reason;
  ++trace_.replans;
  steps_since_plan_ = 0;
  if (trace_.replans == 1) first_plan_ = trace_.high;
}

double HJepaAgent::act(const Observation& obs) {
  HJepaTrace& tr = trace_;
  if (has_last_) {  // Kalman-like blend of what P1 expected with what E1 reads
    const MatF expected = level1_->predict(tr.belief, &last_heading_);
    tr.belief = expected + static_cast<float>(params.belief.gain) * (level1_->encode_observation(obs, env_.ray_max) - expected);
  }
  const int old_progress = tr.progress;
  tr.progress = advance_progress(task_, tr.progress, obs.color);
  tr.place = level2_->place_of(tr.belief);
  tr.replan_reason.clear();

  // Level 2: replan on events (start, progress, subgoal reached, strayed) or periodically.
  int at = -1;
  if (tr.high.found)
    for (size_t i = tr.plan_index; i < tr.high.places.size(); ++i)
      if (tr.high.places[i] == tr.place) {
        at = static_cast<int>(i);
        break;
      }
  if (tr.replans == 0) {
    replan("start");
  } else if (tr.progress != old_progress) {
    replan("task progressed");
  } else if (!tr.high.found) {
    replan("no plan");
  } else if (at < 0) {
    replan("strayed from the plan");
  } else if (at > tr.plan_index) {
    replan("subgoal reached");
  } else if (params.high.replan_period > 0 && steps_since_plan_ >= params.high.replan_period) {
    replan("periodic");
  }
  ++steps_since_plan_;

  // Level 1: aim at the next place's subgoal latent; add the colour cost when the next place is
  // where the plan achieves the next colour; colour cost alone when the current place offers it
  // (or when level 2 found no plan: the flat agent's behaviour).
  const int next_colour = tr.progress < task_.size() ? static_cast<int>(task_.colors[tr.progress]) : -1;
  tr.subgoal_place = -1;
  tr.subgoal.resize(0, 0);
  tr.target_colour = next_colour;
  if (tr.high.found && tr.high.places.size() > 1) {
    const int advance = tr.high.first_advance();
    if (advance != 0) {
      tr.subgoal_place = tr.high.places[std::min<size_t>(tr.plan_index + 1, tr.high.places.size() - 1)];
      tr.subgoal = level2_->subgoals.value.col(tr.subgoal_place);
      if (advance != tr.plan_index + 1) tr.target_colour = -1;
    }
  }
  tr.low = planner_->plan(*level1_, tr.belief, tr.subgoal.size() > 0 ? &tr.subgoal : nullptr, tr.target_colour);
  last_heading_ = tr.low.headings.front();
  has_last_ = true;
  tr.heading = last_heading_;
  return last_heading_;
}

}  // namespace hjepa
