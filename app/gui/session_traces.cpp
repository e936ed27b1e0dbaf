// The learned agents' traces decoded for drawing (Session::refresh_traces): level-1 rollouts,
// candidates, belief and energy sweep through the position probe; the H-JEPA agent's route and
// subgoal; the place graph once per model. The probe is for drawing only: no agent reads it.
#include <algorithm>
#include <cmath>
#include <limits>

#include "agent/jepa/hjepa_agent.hpp"
#include "agent/jepa/plan_cost.hpp"
#include "app/gui/session.hpp"

namespace hjepa {

namespace {

void append_probe(const Level1& m, const MatF& s, std::vector<Vec2>& out) {
  const MatF p = m.probe_xy(s);
  for (Eigen::Index c = 0; c < p.cols(); ++c) out.push_back({p(0, c), p(1, c)});
}

Vec2 probe_one(const Level1& m, const MatF& s) {
  const MatF p = m.probe_xy(s);
  return {p(0, 0), p(1, 0)};
}

// The edges (a < b, sorted) not implied by a detour through a nearer place: (a, b) is dropped
// when some c is linked to both and both legs are shorter than a-b (the relative neighbourhood
// rule, within the graph). Keeps the picture readable and cheap to draw.
std::vector<std::pair<int, int>> skeleton(const std::vector<std::pair<int, int>>& edges, const std::vector<Vec2>& at) {
  const int P = static_cast<int>(at.size());
  std::vector<std::vector<int>> next(P);
  for (const auto& [a, b] : edges) next[a].push_back(b), next[b].push_back(a);
  std::vector<std::pair<int, int>> kept;
  for (const auto& [a, b] : edges) {
    const double ab = dist(at[a], at[b]);
    bool implied = false;
    for (int c : next[a])
      if (c != b && std::find(next[b].begin(), next[b].end(), c) != next[b].end() &&
          std::max(dist(at[a], at[c]), dist(at[c], at[b])) < ab) {
        implied = true;
        break;
      }
    if (!implied) kept.emplace_back(a, b);
  }
  return kept;
}

}  // namespace

void Session::refresh_traces() {
  const AgentTrace a = agent_trace();
  if (place_graph.model_version != model_version || place_graph.graph != a.place_graph) decode_place_graph(a);
  if (traced_version_ == trace_version_) return;
  traced_version_ = trace_version_;
  level1_trace.valid = false;
  high_trace.valid = false;
  high_trace.subgoal_place = -1;
  if (!model || !a.belief || !a.plan || !a.planner) return;
  if (const HJepaTrace* t = a.hierarchy) {
    decode_level1(model->level1, *a.plan, a.belief->s, &a.belief->z, t->subgoal.size() > 0 ? &t->subgoal : nullptr,
                  t->target_colour, *a.planner);
    decode_high(a);
  } else {  // the flat agent aims at the next colour
    const int colour = a.progress >= 0 && a.progress < task.size() ? static_cast<int>(task.colors[a.progress]) : -1;
    decode_level1(model->level1, *a.plan, a.belief->s, &a.belief->z, nullptr, colour, *a.planner);
  }
}

bool Session::traces_current() const {
  return traced_version_ == trace_version_ && place_graph.model_version == model_version &&
         place_graph.graph == agent_trace().place_graph;
}

// The places and graph the agent plans over (a hierarchical agent's, else the model's P2 graph).
void Session::decode_place_graph(const AgentTrace& trace) {
  PlaceGraphView& g = place_graph;
  const int version = g.version + 1;
  g = PlaceGraphView{};
  g.model_version = model_version;
  g.graph = trace.place_graph;
  g.version = version;
  if (!model) return;
  const Level2& l2 = model->level2;
  const Places& places = trace.places ? *trace.places : l2.places;
  const PlaceGraph& graph = trace.place_graph ? *trace.place_graph : l2.graph();
  const int P = places.size();
  if (P == 0 || static_cast<int>(graph.size()) != P) return;
  append_probe(model->level1, places.subgoals.value, g.position);
  for (int p = 0; p < P; ++p) g.colour.push_back(places.colours.value.col(p).sum() > 0.5f ? places.dominant_colour(p) : -1);
  std::vector<std::pair<int, int>> all;
  for (int a = 0; a < P; ++a)
    for (const PlaceEdge& e : graph[a])
      if (g.colour[a] >= 0 && g.colour[e.to] >= 0) all.emplace_back(std::min(a, e.to), std::max(a, e.to));
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  g.connections = static_cast<int>(all.size());
  g.edges = skeleton(all, g.position);
}

// Probe positions of the belief, the chosen plan and the candidates, and the energy versus first
// heading, with the same cost terms the planner optimised (goal, colour, the acted-on range ring).
void Session::decode_level1(const Level1& m, const PlanResult& plan, const MatF& belief, const std::vector<float>* z_belief,
                            const MatF* goal, int colour, const PlannerParams& pp) {
  Level1Trace& t = level1_trace;
  t.encoding = probe_one(m, m.encode_observation(obs, env_params.ray_max));
  if (belief.size() == 0) return;
  t.belief = probe_one(m, belief);
  t.plan.clear();
  t.candidates.clear();
  t.candidate_costs.clear();
  t.sweep.clear();
  t.futures.clear();
  t.target_colour = colour;
  t.z_belief = z_belief && z_belief->size() == m.z_prior.size() ? *z_belief : m.z_prior;
  t.believed_z = most_probable_z(t.z_belief.data(), static_cast<int>(t.z_belief.size()));
  t.valid = true;
  if (plan.headings.empty() || plan.latents.empty()) return;
  for (const MatF& s : plan.latents) append_probe(m, s, t.plan);
  t.future_z = plan.future_z;
  t.future_weight = plan.future_weight;
  t.futures.assign(plan.future_z.size(), {});
  for (const MatF& s : plan.futures) {
    const MatF p = m.probe_xy(s);
    for (Eigen::Index a = 0; a < p.cols() && a < static_cast<Eigen::Index>(t.futures.size()); ++a)
      t.futures[a].push_back({p(0, a), p(1, a)});
  }
  t.chosen_heading = plan.headings.front();
  t.policy_heading = plan.policy_heading;
  t.policy_acted = pp.mode == LowMode::Policy;
  if (!env || env->state().step == 0) t.policy_gap.clear();
  if (const int step = env ? env->state().step : 0; step >= 1 && step <= 100000) {
    t.policy_gap.resize(static_cast<size_t>(step), std::numeric_limits<float>::quiet_NaN());
    t.policy_gap[step - 1] = std::isnan(plan.policy_heading) || t.policy_acted
                                 ? std::numeric_limits<float>::quiet_NaN()
                                 : static_cast<float>(std::fabs(std::remainder(plan.policy_heading - t.chosen_heading, 2 * kPi)) * 180 / kPi);
  }
  t.cost = plan.cost;
  const PlanCostSpec<float> spec = plan_cost_spec(pp, m, goal, colour, t.z_belief.data());
  const int H = static_cast<int>(plan.headings.size());
  const MatF& s0 = plan.latents.front();  // the belief the plan started from
  if (plan.candidate_headings.rows() == H && plan.candidate_headings.cols() > 0) {
    std::vector<float> costs;
    std::vector<MatF> lat;
    plan_cost<float>(m.predictor, m.fourier, m.colour_head, s0, plan.candidate_headings, spec, costs, nullptr, &lat);
    const Eigen::Index R = plan.candidate_headings.cols();
    t.candidates.assign(R, {});
    for (const MatF& s : lat) {
      const MatF p = m.probe_xy(s);
      for (Eigen::Index r = 0; r < R && r < p.cols(); ++r) t.candidates[r].push_back({p(0, r), p(1, r)});
    }
    t.candidate_costs = plan.candidate_costs;
  }
  MatF sweep(H, Level1Trace::kSweep);
  for (int k = 0; k < Level1Trace::kSweep; ++k) {
    for (int h = 0; h < H; ++h) sweep(h, k) = plan.headings[h];
    sweep(0, k) = static_cast<float>(-3.141592653589793 + 6.283185307179586 * k / Level1Trace::kSweep);
  }
  plan_cost<float>(m.predictor, m.fourier, m.colour_head, s0, sweep, spec, t.sweep, nullptr, nullptr);
}

namespace {

// Predicted steps of the edge a -> b in the place graph, with this episode's penalty.
float edge_cost(const PlaceGraph& graph, const EpisodeMemory* memory, int a, int b) {
  float cost = 0;
  for (const PlaceEdge& e : graph[a])
    if (e.to == b) cost = e.cost;
  if (memory)
    if (const auto it = memory->edge_penalties.find({a, b}); it != memory->edge_penalties.end()) cost += it->second;
  return cost;
}

}  // namespace

// The rest of the high-level route from the place the agent is in, and its subgoal.
void Session::decode_high(const AgentTrace& a) {
  const HJepaTrace& t = *a.hierarchy;
  HighTrace& h = high_trace;
  h.route.clear();
  h.route_colours.clear();
  h.achieves.clear();
  h.colour_sequence.clear();
  h.remaining_cost = 0;
  h.subgoal_place = t.subgoal.size() > 0 ? t.subgoal_place : -1;
  if (h.subgoal_place >= 0) h.subgoal = probe_one(model->level1, t.subgoal);
  const HighLevelPlan& plan = t.high;
  if (!plan.found || plan.places.empty()) return;
  size_t from = std::min<size_t>(t.plan_index, plan.places.size() - 1);
  for (size_t i = from; i < plan.places.size(); ++i)
    if (plan.places[i] == t.place) {
      from = i;
      break;
    }
  for (size_t i = from; i < plan.places.size(); ++i) {
    const int before = i == 0 ? plan.start_progress : plan.progress[i - 1];
    h.route.push_back(plan.places[i]);
    h.route_colours.push_back(plan.colours[i]);
    h.achieves.push_back(plan.progress[i] > before ? before : -1);
    if (h.colour_sequence.empty() || h.colour_sequence.back() != plan.colours[i]) h.colour_sequence.push_back(plan.colours[i]);
    if (i > from) h.remaining_cost += edge_cost(*a.place_graph, t.memory, plan.places[i - 1], plan.places[i]);
  }
  h.valid = true;
}

}  // namespace hjepa
