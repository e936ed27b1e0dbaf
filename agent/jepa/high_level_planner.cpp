// Dijkstra over (place, progress) in the learned place graph (see high_level_planner.hpp).
#include "agent/jepa/high_level_planner.hpp"

#include <algorithm>
#include <limits>
#include <queue>

namespace hjepa {

namespace {

// Progress after standing in `place`: the next required colour (and its consecutive repeats) is
// achieved when the place offers it; one colour per place.
int advance_at(const Places& model, int place, const Task& task, int progress, double threshold,
               const EpisodeMemory* memory) {
  if (progress >= task.size()) return progress;
  const Color c = task.colors[progress];
  if (model.colour_probability(place, static_cast<int>(c)) < threshold) return progress;
  if (memory && memory->refuted_offers.contains({place, static_cast<int>(c)})) return progress;
  return advance_progress(task, progress, c);
}

}  // namespace

int HighLevelPlan::first_advance() const {
  for (size_t i = 0; i < places.size(); ++i)
    if (progress[i] > (i == 0 ? start_progress : progress[i - 1])) return static_cast<int>(i);
  return -1;
}

HighLevelPlan plan_high_level(const Places& model, const PlaceGraph& graph, int start_place, const Task& task, int progress,
                              const HighLevelParams& params, const EpisodeMemory* memory) {
  HighLevelPlan plan;
  const int P = model.size(), L = task.size() + 1;
  if (start_place < 0 || start_place >= P || static_cast<int>(graph.size()) != P) return plan;
  auto node = [L](int place, int k) { return place * L + k; };
  // Progress after standing in each place at each progress, computed once per plan.
  std::vector<int> advance(static_cast<size_t>(P) * L);
  for (int p = 0; p < P; ++p)
    for (int k = 0; k < L; ++k) advance[node(p, k)] = advance_at(model, p, task, k, params.colour_threshold, memory);
  const bool penalties = memory && !memory->edge_penalties.empty();
  std::vector<float> dist(static_cast<size_t>(P) * L, std::numeric_limits<float>::infinity());
  std::vector<int> parent(dist.size(), -1);
  using Item = std::pair<float, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
  const int k0 = advance[node(start_place, progress)];
  dist[node(start_place, k0)] = 0;
  open.push({0.f, node(start_place, k0)});
  int goal = -1;
  while (!open.empty()) {
    const auto [d, u] = open.top();
    open.pop();
    if (d > dist[u]) continue;
    const int place = u / L, k = u % L;
    if (k == task.size()) {
      goal = u;
      break;
    }
    for (const PlaceEdge& e : graph[place]) {
      const int v = node(e.to, advance[node(e.to, k)]);
      float cost = e.cost;
      if (penalties)
        if (const auto it = memory->edge_penalties.find({place, e.to}); it != memory->edge_penalties.end()) cost += it->second;
      if (d + cost < dist[v]) {
        dist[v] = d + cost;
        parent[v] = u;
        open.push({dist[v], v});
      }
    }
  }
  if (goal < 0) return plan;
  plan.found = true;
  plan.start_progress = progress;
  plan.cost = dist[goal];
  for (int v = goal; v >= 0; v = parent[v]) {
    plan.places.push_back(v / L);
    plan.progress.push_back(v % L);
  }
  std::reverse(plan.places.begin(), plan.places.end());
  std::reverse(plan.progress.begin(), plan.progress.end());
  for (size_t i = 0; i < plan.places.size(); ++i) {
    const int before = i == 0 ? progress : plan.progress[i - 1];
    plan.colours.push_back(plan.progress[i] > before ? task.colors[before]
                                                     : static_cast<Color>(model.dominant_colour(plan.places[i])));
  }
  return plan;
}

std::vector<Color> plan_colour_sequence(const HighLevelPlan& plan) {
  std::vector<Color> out;
  for (Color c : plan.colours)
    if (out.empty() || out.back() != c) out.push_back(c);
  return out;
}

std::string colour_sequence_text(const std::vector<Color>& colours, const char* arrow) {
  std::string out;
  for (Color c : colours) out += (out.empty() ? "" : arrow) + std::string(color_name(c));
  return out;
}

int blocks_at_passage(const Places& places, int from, int to, double radius, const EpisodeMemory& memory) {
  const MatF& c = places.centres.value;
  const float r = static_cast<float>(std::max(radius, 0.0));
  int count = 0;
  for (const auto& [a, b] : memory.blocked_edges)
    count += (c.col(a) - c.col(from)).norm() <= r && (c.col(b) - c.col(to)).norm() <= r;
  return count;
}

int penalise_passage(const Places& places, const PlaceGraph& graph, int from, int to, double radius, float penalty,
                     EpisodeMemory& memory) {
  if (radius <= 0) return 0;
  const MatF& c = places.centres.value;
  const float r = static_cast<float>(radius);
  int count = 0;
  for (int x = 0; x < static_cast<int>(graph.size()); ++x) {
    if ((c.col(x) - c.col(from)).norm() > r) continue;
    for (const PlaceEdge& e : graph[x])
      if (!(x == from && e.to == to) && (c.col(e.to) - c.col(to)).norm() <= r) {
        memory.edge_penalties[{x, e.to}] += penalty;
        ++count;
      }
  }
  return count;
}

}  // namespace hjepa
