// The hierarchical agent's step: belief, progress, place, level-2 replanning, level-1 planning.
#include "agent/jepa/hjepa_agent.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "agent/jepa/plan_cost.hpp"

namespace hjepa {

HJepaAgent::HJepaAgent(const Level1& level1, const Level2& level2, const Task& task, const EnvParams& env,
                       std::unique_ptr<Planner> planner, HJepaParams p)
    : params(p), level1_(&level1), level2_(&level2), task_(task), env_(env), planner_(std::move(planner)) {}

void HJepaAgent::reset(const Observation& obs) {
  planner_->reset();
  trace_ = HJepaTrace{};
  first_plan_ = HighLevelPlan{};
  trace_.belief.reset(*level1_, obs, env_.ray_max, params.belief);
  trace_.believed_z = most_probable_z(trace_.belief.z.data(), static_cast<int>(trace_.belief.z.size()));
  trace_.progress = advance_progress(task_, 0, obs.color);
  has_last_ = false;
  steps_since_plan_ = 0;
  readings_.clear();
  predicted_moves_.clear();
  memory_.clear();
  edge_steps_.clear(), overdue_ = false;
  trace_.memory = &memory_;
  typical_move_ = 0;
  steps_in_achiever_ = 0;
  readings_.push_back(trace_.belief.s);
}

void HJepaAgent::replan(const std::string& reason) {
  const auto t0 = std::chrono::steady_clock::now();
  trace_.high = plan_high_level(places(), graph(), trace_.place, task_, trace_.progress, params.high, &memory_);
  trace_.high_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  trace_.plan_index = 0;
  trace_.replan_reason = reason;
  ++trace_.replans;
  steps_since_plan_ = 0;
  if (trace_.replans == 1) first_plan_ = trace_.high;
}

// The stuck watch forgets its window: only the latest reading stays.
void HJepaAgent::restart_watch() {
  readings_.erase(readings_.begin(), readings_.end() - 1);
  predicted_moves_.clear();
}

// Net displacement against net displacement: a plan that turns back (a colour reached, the next
// one behind) predicts little net motion and is not stuck for realising little. A plan that expects
// to stand still (a local minimum of the energy) is stuck too: the predicted motion is at least half
// the latent distance of a typical step of this episode per step.
// Without a noise level (stuck_noise = 0, or a model without noise estimates) the window is
// stuck_window steps and distances are compared. With it, the window grows (up to kMaxStuckWindow
// steps) until a shortfall to the ratio is at least stuck_noise standard deviations of the readings'
// noise along the predicted motion (two readings' encoder noise 2 R and w steps of process noise w Q,
// as the model estimated them), and the readings' motion along the predicted direction is compared:
// in a noisy world a short window sees the noise, not the block.
bool HJepaAgent::shortfall_seen(int* window) const {
  const int w0 = std::clamp(params.stuck_window, 2, kMaxStuckWindow);
  const int have = static_cast<int>(readings_.size()) - 1;  // moves with a reading at both ends
  const float ratio = static_cast<float>(params.stuck_ratio);
  const bool noisy = params.stuck_noise > 0 && level1_->has_belief_noise();
  const float z = static_cast<float>(params.stuck_noise);
  MatF net = MatF::Zero(readings_.back().rows(), 1);
  for (int w = 1; w <= std::min(have, noisy ? kMaxStuckWindow : w0); ++w) {
    net += predicted_moves_[predicted_moves_.size() - static_cast<size_t>(w)];
    if (w < w0) continue;
    const float norm = net.norm();
    const float predicted = std::max(norm, 0.5f * static_cast<float>(w) * typical_move_);
    const MatF moved = readings_.back() - readings_[readings_.size() - 1 - static_cast<size_t>(w)];
    float realised = moved.norm();
    if (noisy) {
      const Eigen::MatrixXf noise = 2 * level1_->belief_r + static_cast<float>(w) * level1_->belief_q;
      float sd = std::sqrt(std::max(0.f, noise.trace()));  // no predicted direction: the noise of every direction
      if (norm > 1e-6f) {
        const MatF dir = net / norm;
        sd = std::sqrt(std::max(0.f, (dir.transpose() * noise * dir)(0, 0)));
        realised = moved.cwiseProduct(dir).sum();
      }
      if ((1 - ratio) * predicted < z * sd) continue;  // this window cannot yet tell a block from noise
    }
    *window = w;
    return realised < ratio * predicted;
  }
  return false;
}

// True when the readings of the last stuck_window steps moved much less than P1 predicted.
bool HJepaAgent::watch_stuck(const Observation& obs) {
  if (params.stuck_ratio <= 0 || !shortfall_seen(&trace_.watch_window)) return false;
  // Side-step towards the more open side of the blocked heading, by the range rays.
  const double side[2] = {last_heading_ + 1.7453, last_heading_ - 1.7453};
  double open[2] = {0, 0};
  for (int k = 0; k < 2; ++k)
    for (int r = 0; r < obs.num_rays; ++r) {
      const double ray = 2 * 3.141592653589793 * r / obs.num_rays;
      open[k] += obs.ranges[r] * std::max(0.0, std::cos(ray - side[k]));
    }
  escape_heading_ = static_cast<float>(open[0] >= open[1] ? side[0] : side[1]);
  restart_watch();  // watch afresh after the escape
  return true;
}

// The belief's blend of what P1 expected with what E1 reads; keeps the stuck watch's window.
void HJepaAgent::update_belief(const Observation& obs) {
  HJepaTrace& tr = trace_;
  const MatF before = tr.belief.s;
  const BeliefUpdate u = tr.belief.update(*level1_, last_heading_, obs, env_.ray_max, params.belief);
  tr.believed_z = most_probable_z(tr.belief.z.data(), static_cast<int>(tr.belief.z.size()));
  predicted_moves_.push_back(u.expected - before);
  typical_move_ = std::max(typical_move_, 0.9f * typical_move_ + 0.1f * predicted_moves_.back().norm());
  readings_.push_back(u.reading);
  // The watch compares a window of up to kMaxStuckWindow steps: keep that many moves (and one more reading).
  if (readings_.size() > static_cast<size_t>(kMaxStuckWindow) + 1) readings_.erase(readings_.begin()), predicted_moves_.erase(predicted_moves_.begin());
}

// The stuck and offer watches: what the world refuted at this step goes into the episode's memory
// and the trace's correction. Returns true when a colour offer was refuted.
bool HJepaAgent::run_watches(const Observation& obs, int old_progress) {
  HJepaTrace& tr = trace_;
  tr.watch_window = 0;
  tr.stuck = tr.escape_left == 0 && tr.progress == old_progress && watch_stuck(obs);
  if (tr.stuck) {
    ++tr.stuck_events;
    tr.escape_left = params.escape_steps;
    if (tr.subgoal_place >= 0 && tr.subgoal_place != tr.place) {
      memory_.edge_penalties[{tr.place, tr.subgoal_place}] += static_cast<float>(params.stuck_penalty);
      memory_.blocked_edges.emplace_back(tr.place, tr.subgoal_place);
      const bool passage = blocks_at_passage(places(), tr.place, tr.subgoal_place, params.passage_radius, memory_) >=
                           params.passage_evidence;
      const int others = passage ? penalise_passage(places(), graph(), tr.place, tr.subgoal_place, params.passage_radius,
                                                    static_cast<float>(params.stuck_penalty), memory_)
                                 : 0;
      tr.correction = "edge " + std::to_string(tr.place) + " -> " + std::to_string(tr.subgoal_place) + " blocked: +" +
                      std::to_string(static_cast<int>(params.stuck_penalty)) + " predicted steps";
      if (others > 0) tr.correction += " (and " + std::to_string(others) + " edges across the same passage)";
    }
  }
  // Offer watch: standing in the place that should give the next colour, without seeing it.
  if (params.offer_patience > 0 && tr.high.found && tr.progress == old_progress && tr.progress < task_.size() &&
      tr.high.first_advance() == 0 && tr.place == tr.high.places.front()) {
    if (++steps_in_achiever_ >= params.offer_patience) {
      memory_.refuted_offers.insert({tr.place, static_cast<int>(task_.colors[tr.progress])});
      tr.correction = "place " + std::to_string(tr.place) + " does not offer " + std::string(color_name(task_.colors[tr.progress]));
      steps_in_achiever_ = 0;
      return true;
    }
  } else {
    steps_in_achiever_ = 0;
  }
  return false;
}

// The overdue watch (HJepaParams::overdue_factor): counts this step against the edge level 1 now
// heads along; past its budget the edge is penalised as a blocked one and the next step replans.
void HJepaAgent::watch_overdue() {
  HJepaTrace& tr = trace_;
  overdue_ = false;
  if (params.overdue_factor <= 0 || tr.subgoal_place < 0 || tr.subgoal_place == tr.place) return;
  float predicted = 1;
  for (const PlaceEdge& e : graph()[tr.place])
    if (e.to == tr.subgoal_place) predicted = e.cost;
  int& spent = edge_steps_[{tr.place, tr.subgoal_place}];
  if (++spent <= params.overdue_factor * predicted + kOverdueSlack) return;
  memory_.edge_penalties[{tr.place, tr.subgoal_place}] += static_cast<float>(params.stuck_penalty);
  if (!tr.correction.empty()) tr.correction += "; ";
  tr.correction += "edge " + std::to_string(tr.place) + " -> " + std::to_string(tr.subgoal_place) + " overdue (" +
                   std::to_string(spent) + " steps): +" + std::to_string(static_cast<int>(params.stuck_penalty)) + " predicted steps";
  spent = 0;
  overdue_ = true;
}

// Level 2 replans on events (start, stuck, refuted offer, progress, no plan, strayed, subgoal
// reached) or periodically.
void HJepaAgent::replan_on_events(int old_progress, bool refuted) {
  HJepaTrace& tr = trace_;
  int at = -1;
  if (tr.high.found)
    for (size_t i = tr.plan_index; i < tr.high.places.size(); ++i)
      if (tr.high.places[i] == tr.place) {
        at = static_cast<int>(i);
        break;
      }
  if (tr.replans == 0) {
    replan("start");
  } else if (tr.stuck) {
    replan("stuck: blocked where P1 predicted motion");
  } else if (overdue_) {
    replan("overdue: heading along an edge far longer than predicted");
  } else if (refuted) {
    replan("the colour this place offers was not seen");
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
}

// Level 1's target: the next place's subgoal latent; plus the colour cost when the next place is
// where the plan achieves the next colour; the colour cost alone when the current place offers it
// (or when level 2 found no plan: the flat agent's behaviour).
void HJepaAgent::aim_level1() {
  HJepaTrace& tr = trace_;
  tr.subgoal_place = -1;
  tr.subgoal.resize(0, 0);
  tr.target_colour = tr.progress < task_.size() ? static_cast<int>(task_.colors[tr.progress]) : -1;
  if (!tr.high.found || tr.high.places.size() <= 1) return;
  const int advance = tr.high.first_advance();
  if (advance == 0) return;
  tr.subgoal_place = tr.high.places[std::min<size_t>(tr.plan_index + 1, tr.high.places.size() - 1)];
  tr.subgoal = places().subgoals.value.col(tr.subgoal_place);
  if (advance != tr.plan_index + 1) tr.target_colour = -1;
}

double HJepaAgent::act(const Observation& obs) {
  HJepaTrace& tr = trace_;
  if (has_last_) update_belief(obs);
  const int old_progress = tr.progress;
  tr.progress = advance_progress(task_, tr.progress, obs.color);
  if (tr.progress != old_progress) restart_watch();  // a new target: the heading may turn back
  tr.place = level2_->place_of(tr.belief.s, params.graph);
  tr.replan_reason.clear();
  tr.correction.clear();
  const bool refuted = run_watches(obs, old_progress);
  replan_on_events(old_progress, refuted);
  aim_level1();
  watch_overdue();
  tr.low = planner_->plan(*level1_, tr.belief.s, tr.subgoal.size() > 0 ? &tr.subgoal : nullptr, tr.target_colour,
                          tr.belief.z.data());
  last_heading_ = tr.low.headings.front();
  if (tr.escape_left > 0) {  // side-stepping: the plan above is kept for the trace and the warm start
    --tr.escape_left;
    last_heading_ = escape_heading_;
  }
  has_last_ = true;
  tr.heading = last_heading_;
  return last_heading_;
}

AgentTrace HJepaAgent::trace() const {
  AgentTrace t;
  t.belief = &trace_.belief;
  t.plan = &trace_.low;
  t.planner = &planner_->params;
  t.progress = trace_.progress;
  t.hierarchy = &trace_;
  t.places = &places();
  t.place_graph = &graph();
  t.first_high_plan = &first_plan_;
  return t;
}

void HJepaAgent::set_params(const LiveAgentParams& p) {
  if (p.planner) planner_->params = *p.planner;
  if (p.hjepa) params = *p.hjepa;
}

}  // namespace hjepa
