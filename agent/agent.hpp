// The Agent interface shared by every agent (random, oracle, flat, hjepa), the GUI and the headless
// runner: reset at the start of an episode, then one heading per observation. What an agent
// believes and planned is published read-only through trace() (like Box2D's debug draw): the GUI,
// `hjepa run --json` and the tests read that, never the concrete agent type.
#pragma once
#include <string>
#include <vector>

#include "sim/env.hpp"

// Declared here so this header needs no Eigen: the latent type is Eigen::Matrix<float, Dynamic,
// Dynamic> (nn::Mat<float>); agent/jepa/level1.hpp declares MatF again, so a mismatch fails to compile.
namespace Eigen {
template <typename Scalar, int Rows, int Cols, int Options, int MaxRows, int MaxCols>
class Matrix;
}

namespace hjepa {

using MatF = Eigen::Matrix<float, -1, -1, 0, -1, -1>;
struct PlanResult;
struct PlannerParams;
struct BeliefParams;
struct BeliefState;
struct HJepaParams;
struct HJepaTrace;
struct HighLevelPlan;
struct Places;
struct PlaceEdge;
using PlaceGraph = std::vector<std::vector<PlaceEdge>>;
struct OraclePath;

// What an agent believes and planned at its last step, as const pointers into the agent (null when
// the agent has no such thing). A value, built on request: the agent keeps no copy to keep in step.
// The pointers stay valid until the agent's next reset or act, or its destruction.
struct AgentTrace {
  const BeliefState* belief = nullptr;           // flat, hjepa: the latent s, the belief over z, the last gain (belief.hpp)
  const PlanResult* plan = nullptr;              // flat, hjepa: level 1's last plan, with its candidates
  const PlannerParams* planner = nullptr;        // flat, hjepa: the parameters that plan was optimised with
  int progress = -1;                             // flat, hjepa: task colours achieved, as the agent tracks them
  const HJepaTrace* hierarchy = nullptr;         // hjepa (and its variants): level 2's route, subgoal, watches, corrections
  const Places* places = nullptr;                // hjepa: the places level 2 plans over (they differ by variant)
  const PlaceGraph* place_graph = nullptr;       // hjepa: the place graph over them (edge costs)
  const HighLevelPlan* first_high_plan = nullptr;  // hjepa: the episode's first level-2 plan
  const OraclePath* oracle_path = nullptr;       // oracle: the path it follows now
  int oracle_replans = 0;                        // oracle: replans this episode
};

// Parameters a running agent takes between steps without a reset (the app's live edits). Each agent
// copies the parts it uses; null parts are left alone.
struct LiveAgentParams {
  const PlannerParams* planner = nullptr;  // level-1 planner (flat, hjepa); its type stays (rebuild for that)
  const BeliefParams* belief = nullptr;    // belief filter (flat; hjepa reads hjepa->belief)
  const HJepaParams* hjepa = nullptr;      // high level, watches and belief (hjepa)
};

class Agent {
 public:
  virtual ~Agent() = default;
  virtual std::string name() const = 0;
  // Called after Env::reset with the first observation.
  virtual void reset(const Observation& obs) = 0;
  // The heading (radians) for the next step.
  virtual double act(const Observation& obs) = 0;
  // What it believes and planned (see AgentTrace); nothing by default.
  virtual AgentTrace trace() const { return {}; }
  // Live parameter edits (see LiveAgentParams); agents without such parameters ignore them.
  virtual void set_params(const LiveAgentParams&) {}
};

}  // namespace hjepa
