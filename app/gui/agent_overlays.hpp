// What the learned agents believe and plan, drawn over the world view: the H-JEPA agent's place
// graph (faint, in the cached static layer), its high-level route (numbered stops, the colours it
// expects to collect) and current subgoal, level 1's imagined rollout, candidates and belief; and
// the captions that say it in words: the plan line under the task chips and the legend.
// Positions are the session's probe-decoded traces (the probe is for drawing only).
#pragma once
#include <cstddef>
#include <imgui.h>
#include <vector>

#include "app/gui/camera.hpp"
#include "app/gui/session.hpp"
#include "app/gui/world_view.hpp"

namespace hjepa {

// Static layer: faint edges and small nodes coloured by each place's dominant colour.
void add_place_graph(ImDrawList& list, const Camera& camera, const PlaceGraphView& graph);

// Level 2 of the H-JEPA agent, in two parts so level 1's marks can go between them: the route's
// line from the belief through the plan's places, then its numbered stops ("gets blue" where the
// plan collects a task colour) and the subgoal mark.
void draw_route_line(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                     std::vector<ImVec2>& scratch);
void draw_route_stops(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                      const ViewFonts& fonts);
// Level 1 of the flat or H-JEPA agent: candidates (faint), the chosen rollout, the belief.
void draw_level1(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                 std::vector<ImVec2>& scratch);

// "Plan [red] -> [blue] -> [green]  23 steps predicted" from `pos` while the H-JEPA agent runs;
// returns the y below it (pos.y when nothing is drawn).
float draw_plan_caption(ImDrawList& list, ImVec2 pos, const Session& session, const ViewFonts& fonts);
// "level 2 replanned at step 12: subgoal reached" while the H-JEPA agent runs, else "".
void format_replan_note(const Session& session, char* out, size_t size);
// What the world refuted this episode, over the place graph: edges found blocked (red, dashed, with
// the steps added; edges penalised only as across the same passage thin and faint) and colour offers
// found false (the place crossed out).
void draw_corrections(ImDrawList& list, const Camera& camera, const Session& session, const ViewFonts& fonts);
// The key to the marks shown for the current agent: a strip along the bottom of the view, above
// the help line (`help_shown`).
void draw_legend(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                 const ViewFonts& fonts, bool help_shown);

}  // namespace hjepa
