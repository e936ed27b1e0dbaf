// The high-level planner of the H-JEPA: the cheapest path over (place, task progress) in the
// place graph that level 2 learned, satisfying the task's colour list in order. A place offers a
// colour when the colour head gives that colour at least `colour_threshold` probability there.
#pragma once
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "agent/jepa/level2.hpp"
#include "sim/task.hpp"

namespace hjepa {

struct HighLevelParams {
  double colour_threshold = 0.3;  // a place offers a colour at or above this mean probability, (0, 1]
  int replan_period = 10;         // replan at least every this many agent steps (0 = only on events)
};

struct HighLevelPlan {
  bool found = false;
  std::vector<int> places;     // from the current place to the place that completes the task
  std::vector<int> progress;   // task progress after standing in each place
  std::vector<Color> colours;  // the colour each place stands for (the one it achieves, else its dominant one)
  float cost = 0;              // predicted steps (sum of the edges' costs)
  int start_progress = 0;      // task progress when the plan was made
  // The index of the first place where progress advances (0 = the current place offers the next colour).
  int first_advance() const;
};

// What the agent learned about its own graph during an episode: extra predicted steps on edges
// (from, to) it found blocked, and (place, colour) offers it found false.
struct EpisodeMemory {
  std::map<std::pair<int, int>, float> edge_penalties;
  std::set<std::pair<int, int>> refuted_offers;
  std::vector<std::pair<int, int>> blocked_edges;  // every edge the stuck watch blocked, in order
  void clear() { edge_penalties.clear(), refuted_offers.clear(), blocked_edges.clear(); }
};

// How many of memory.blocked_edges run from a place within `radius` of `from` to a place within it of
// `to` (the edge from -> to itself included): the evidence that this passage is blocked.
int blocks_at_passage(const Places& places, int from, int to, double radius, const EpisodeMemory& memory);

// A blocked edge stands for a blocked passage (a closed gate is crossed by several place pairs): adds
// `penalty` to every edge of `graph` from a place within `radius` of `from` to a place within it of
// `to` (distances between place prototypes, in steps where the places live in E2's space), the edge
// from -> to itself excepted. Returns how many edges that was (0 for radius <= 0).
int penalise_passage(const Places& places, const PlaceGraph& graph, int from, int to, double radius, float penalty,
                     EpisodeMemory& memory);

// progress: colours already achieved. Returns found = false when the graph has no such path.
HighLevelPlan plan_high_level(const Places& places, const PlaceGraph& graph, int start_place, const Task& task, int progress,
                              const HighLevelParams& params, const EpisodeMemory* memory = nullptr);

// Regions the plan passes through, consecutive repeats collapsed: "red -> blue -> green".
std::vector<Color> plan_colour_sequence(const HighLevelPlan& plan);
std::string colour_sequence_text(const std::vector<Color>& colours, const char* arrow = " -> ");

}  // namespace hjepa
