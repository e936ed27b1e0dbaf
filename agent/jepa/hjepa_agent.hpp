// HJepaAgent: the full hierarchical agent. Level 2 plans which places (and so which colours) to
// pass through over its own place graph; level 1 fills the steps in by optimising headings through
// P1 towards the next place's subgoal latent (and, when the next place offers the required colour,
// towards that colour through the colour head). A latent belief filters the noisy observations.
// It sees only observations and tracks task progress from the colours it observes.
#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agent/agent.hpp"
#include "agent/jepa/flat_agent.hpp"
#include "agent/jepa/high_level_planner.hpp"

namespace hjepa {

constexpr int kMaxStuckWindow = 16;  // the longest stuck_window: the agent keeps this many steps of readings

struct HJepaParams {
  HighLevelParams high;
  PlaceGraphKind graph = PlaceGraphKind::P2;  // which places and graph level 2 plans over (agent variants)
  BeliefParams belief;
  // Offer watch: after `offer_patience` steps in a place the plan says offers the next colour
  // without seeing that colour, the agent marks the offer false for the episode and replans.
  int offer_patience = 3;      // steps, 0 = off
  // Stuck watch: over the last `stuck_window` steps (since the last progress) the encoder's
  // readings moved a net latent distance less than `stuck_ratio` x the net motion P1 predicted ->
  // the agent is blocked where its model says it is not. It then adds `stuck_penalty` predicted steps to the place-graph edge it was following,
  // replans, and side-steps for `escape_steps` steps towards the side its range rays say is open.
  int stuck_window = 3;        // steps, 2..kMaxStuckWindow
  double stuck_ratio = 0.35;   // 0 = never stuck
  // Noise level of the stuck watch: 0 = the fixed window above. z > 0 = the window grows (up to
  // kMaxStuckWindow) until a shortfall to stuck_ratio is at least z standard deviations of the
  // readings' noise along the predicted motion (2 R + w Q, the model's estimates, KALM), and the
  // motion along the predicted direction is compared (watch_stuck in hjepa_agent.cpp).
  double stuck_noise = 5;     // 0..10
  double stuck_penalty = 16;   // predicted steps added to a blocked edge (this episode only)
  // A blocked edge stands for a blocked passage (a closed gate is crossed by several place pairs):
  // the penalty also goes to every edge from a place within `passage_radius` (learned distance,
  // steps) of the blocked edge's start to a place within it of its end. 0 = that edge alone.
  double passage_radius = 9;  // steps, 0..100; 9 from the gates suite (0: 69% success, 9: 94%)
  // How many blocked edges within passage_radius of each other (ends near ends) it takes before the
  // whole passage is blocked: 1 = at the first; 2 = at the second (a closed door is met again on another
  // pair of places; a single block is more often a jamb or an obstacle, which another edge gets past).
  int passage_evidence = 2;   // 1..10
  int escape_steps = 2;        // side steps after getting stuck
  // Overdue watch: steps the agent has spent heading along a place-graph edge (from the place it is
  // in to the subgoal place), summed over the episode, beyond overdue_factor x the edge's predicted
  // steps + kOverdueSlack: the edge gets stuck_penalty as if blocked, and level 2 replans. It catches
  // what the stuck watch cannot see: the agent moving but not arriving (going back and forth between
  // two places, pressing along a wall). 0 = off.
  double overdue_factor = 4;   // 0..100
};

// Steps an edge may take beyond overdue_factor x its predicted steps (short edges are still crossed
// in a few noisy steps).
constexpr int kOverdueSlack = 4;

// Everything the agent believes and planned at its last step (read-only, for the GUI and tests).
struct HJepaTrace {
  BeliefState belief;         // the latent s, the belief over z, the Kalman variance, the last gain
  int believed_z = 0;         // the most probable z
  int progress = 0;           // colours achieved, as the agent tracks them
  int place = -1;             // the place the belief is in
  HighLevelPlan high;         // the current high-level plan (places, colours, predicted cost)
  int plan_index = 0;         // where the agent is along high.places
  int subgoal_place = -1;     // the place handed to level 1 (-1: none, colour cost only)
  MatF subgoal;               // its latent (D x 1), empty when none
  int target_colour = -1;     // the colour level 1 aims at through the colour head (-1: none)
  std::string replan_reason;  // why level 2 replanned at this step ("" when it did not)
  // What the world told the agent its model got wrong at this step ("" when nothing): a place-graph
  // edge found blocked ("edge 12 -> 15 blocked: +16 predicted steps") or a colour offer found false.
  std::string correction;
  int replans = 0;            // level-2 plans made this episode
  double high_ms = 0;         // time of the last level-2 plan
  PlanResult low;             // the level-1 plan: headings, imagined latents, candidates and energies
  double heading = 0;         // the heading returned
  bool stuck = false;         // the stuck watch fired at this step
  int escape_left = 0;        // side steps still to take (level 1 is bypassed while > 0)
  int stuck_events = 0;       // this episode
  int watch_window = 0;       // steps the stuck watch compared over at this step (0: it did not compare)
  const EpisodeMemory* memory = nullptr;  // blocked edges and refuted colour offers so far
};

class HJepaAgent : public Agent {
 public:
  HJepaAgent(const Level1& level1, const Level2& level2, const Task& task, const EnvParams& env,
             std::unique_ptr<Planner> planner, HJepaParams params = {});
  std::string name() const override { return "hjepa"; }
  void reset(const Observation& obs) override;
  double act(const Observation& obs) override;
  AgentTrace trace() const override;
  void set_params(const LiveAgentParams& p) override;

  const HJepaTrace& hjepa_trace() const { return trace_; }
  // The places and graph this agent plans over (they depend on params.graph).
  const Places& places() const { return level2_->places_for(params.graph); }
  const PlaceGraph& graph() const { return level2_->graph(params.graph); }
  // The first high-level plan of the episode (what `hjepa run --json` reports as high_level_plan).
  const HighLevelPlan& first_plan() const { return first_plan_; }
  Planner& planner() { return *planner_; }
  HJepaParams params;

 private:
  void replan(const std::string& reason);
  void update_belief(const Observation& obs);
  bool run_watches(const Observation& obs, int old_progress);
  void replan_on_events(int old_progress, bool refuted);
  void watch_overdue();
  void aim_level1();

  const Level1* level1_;
  const Level2* level2_;
  Task task_;
  EnvParams env_;
  std::unique_ptr<Planner> planner_;
  HJepaTrace trace_;
  HighLevelPlan first_plan_;
  bool shortfall_seen(int* window) const;
  bool watch_stuck(const Observation& obs);
  void restart_watch();

  int steps_since_plan_ = 0;
  std::map<std::pair<int, int>, int> edge_steps_;  // overdue watch: steps spent heading along each edge
  bool overdue_ = false;                          // an edge fell overdue at the last step: replan
  std::vector<MatF> readings_;        // the encoder's last readings (stuck watch)
  std::vector<MatF> predicted_moves_;   // P1(b, h) - b of the last steps
  EpisodeMemory memory_;                  // blocked edges and false colour offers found this episode
  float typical_move_ = 0;                // running typical latent distance of one step
  int steps_in_achiever_ = 0;             // steps spent in a place the plan says offers the next colour
  float escape_heading_ = 0;
  float last_heading_ = 0;
  bool has_last_ = false;
};

}  // namespace hjepa
