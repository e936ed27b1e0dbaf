// The oracle's planner: A* with lazy Theta* parents over (grid cell, task progress) and exact
// segment tests, string pulling between the fixed vertices (start, colour points, end), then a
// continuous tightening of the polyline.
#include "sim/oracle.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <queue>

#include "sim/free_space.hpp"
#include "sim/voronoi.hpp"

namespace hjepa {
namespace {

// The first point of colour c on the segment a->b (sampled every 0.02 units, then bisected).
std::optional<Vec2> first_point_of_color(const World& w, Vec2 a, Vec2 b, Color c) {
  if (w.color_at(a) == c) return a;
  const int n = std::max(1, static_cast<int>(std::ceil(dist(a, b) / 0.02)));
  for (int k = 1; k <= n; ++k) {
    double lo = static_cast<double>(k - 1) / n, hi = static_cast<double>(k) / n;
    if (w.color_at(a + (b - a) * hi) != c) continue;
    for (int it = 0; it < 40; ++it) {
      const double mid = 0.5 * (lo + hi);
      (w.color_at(a + (b - a) * mid) == c ? hi : lo) = mid;
    }
    return a + (b - a) * hi;
  }
  return std::nullopt;
}

// Local continuous improvement of a feasible path: each colour-achieving vertex slides to where
// the straight lines around it enter its colour, and every other vertex moves toward the chord of
// its neighbours while both segments stay free (the path tightens around obstacle corners and
// arcs). Never lengthens the path, never makes it infeasible.
void tighten(const World& w, const std::vector<VoronoiCell>& cells, const Task& task, int p0, std::vector<Vec2>& pts,
             std::vector<int>& stage) {
  std::vector<double> step(pts.size(), 0.2);  // pattern-search step per vertex
  double gained_since_reset = 0;
  for (int pass = 0, resets = 0; pass < 400; ++pass) {
    double gained = 0;
    for (int i = 1; i < static_cast<int>(pts.size()); ++i) {
      const Vec2 P = pts[i - 1], V = pts[i];
      const bool has_q = i + 1 < static_cast<int>(pts.size());
      const Vec2 Q = has_q ? pts[i + 1] : V;
      auto cost = [&](Vec2 s) { return dist(P, s) + (has_q ? dist(s, Q) : 0.0); };
      int first_stage = -1;
      for (int k = 0; k < static_cast<int>(stage.size()); ++k)
        if (stage[k] == i) { first_stage = k; break; }
      const bool is_stage = first_stage >= 0;
      const Color need = is_stage ? task.colors[p0 + first_stage] : Color::Red;
      Vec2 best = V;
      double best_cost = cost(V);
      auto consider = [&](std::optional<Vec2> s, bool check_p, bool check_q) {
        if (!s || cost(*s) >= best_cost - 1e-12) return false;
        if (is_stage && w.color_at(*s) != need) return false;
        if (check_p && !w.segment_free(P, *s)) return false;
        if (check_q && has_q && !w.segment_free(*s, Q)) return false;
        best = *s, best_cost = cost(*s);
        return true;
      };
      if (is_stage) {  // enter the colour where the straight lines around this vertex do
        if (has_q) consider(first_point_of_color(w, P, Q, need), true, true);
        consider(first_point_of_color(w, P, V, need), false, true);
        if (has_q) consider(first_point_of_color(w, Q, V, need), true, false);
        // The exact minimiser over the border of this vertex's region (convex cost on each edge).
        const int r = w.region_at(V);
        const std::vector<Vec2>& poly = cells[r].points;
        for (size_t e = 0; e < poly.size(); ++e) {
          const Vec2 a = poly[e], b = poly[(e + 1) % poly.size()];
          double lo = 0, hi = 1;
          for (int it = 0; it < 60; ++it) {  // golden-section search on the edge
            const double m1 = lo + 0.381966 * (hi - lo), m2 = hi - 0.381966 * (hi - lo);
            if (cost(a + (b - a) * m1) < cost(a + (b - a) * m2)) hi = m2;
            else lo = m1;
          }
          const Vec2 x = a + (b - a) * (0.5 * (lo + hi));
          consider(x + (w.regions[r].site - x) * 1e-9, true, true);  // a hair inside the region
        }
      } else if (has_q) {  // move toward the chord P-Q
        const Vec2 PQ = Q - P;
        const double l2 = norm2(PQ);
        const Vec2 M = l2 > 0 ? P + PQ * std::clamp(dot(V - P, PQ) / l2, 0.0, 1.0) : P;
        for (double a = 1; a > 1e-3; a *= 0.5)
          if (consider(V + (M - V) * a, true, true)) break;
      }
      gained += cost(V) - best_cost;
      pts[i] = best;
      if (!is_stage && has_q && best_cost <= dist(P, Q) + 1e-12) {  // on the chord: drop the vertex
        pts.erase(pts.begin() + i);
        step.erase(step.begin() + i);
        for (int& sp : stage) sp -= sp > i;
        --i;
      }
    }
    // Pattern search on runs of 1-3 consecutive vertices translated together: slides vertices
    // along obstacle boundaries and region borders, and moves clusters of colour points jointly.
    if (static_cast<int>(step.size()) != static_cast<int>(pts.size())) step.assign(pts.size(), 0.2);
    const int n = static_cast<int>(pts.size());
    for (int i = 1; i < n; ++i) {
      if (step[i] <= 1e-4) continue;
      bool moved = false;
      for (int g = 1; g <= 3 && i + g <= n && !moved; ++g)
        for (int k = 0; k < 8 && !moved; ++k) {
          const Vec2 d = heading_dir(0.7853981633974483 * k) * step[i];
          const int last = std::min(n - 1, i + g);  // the polyline pts[i-1 .. last] changes
          double before = 0, after = 0;
          std::vector<Vec2> trial(pts.begin() + (i - 1), pts.begin() + last + 1);
          for (int m = 1; m <= g; ++m) trial[m] = trial[m] + d;
          for (size_t m = 1; m < trial.size(); ++m) {
            before += dist(pts[i - 1 + m - 1], pts[i - 1 + m]);
            after += dist(trial[m - 1], trial[m]);
          }
          if (after >= before - 1e-12) continue;
          bool ok = true;
          for (int m = 1; m <= g && ok; ++m)
            for (int s = 0; s < static_cast<int>(stage.size()); ++s)
              if (stage[s] == i - 1 + m && w.color_at(trial[m]) != task.colors[p0 + s]) ok = false;
          for (size_t m = 1; m < trial.size() && ok; ++m) ok = w.segment_free(trial[m - 1], trial[m]);
          if (!ok) continue;
          for (int m = 1; m <= g; ++m) pts[i - 1 + m] = trial[m];
          gained += before - after;
          moved = true;
        }
      if (!moved) step[i] *= 0.5;
    }
    gained_since_reset += gained;
    if (gained < 1e-10 && *std::max_element(step.begin() + 1, step.end()) <= 1e-4) {
      // Converged at this scale; other vertices may have moved since a step shrank, so restart
      // the pattern steps while that still pays.
      if (gained_since_reset < 1e-6 || ++resets > 8) break;
      step.assign(pts.size(), 0.2);
      gained_since_reset = 0;
    }
  }
}

double point_segment_distance(Vec2 p, Vec2 a, Vec2 b) {
  const Vec2 ab = b - a;
  const double l2 = norm2(ab);
  const double t = l2 > 0 ? std::clamp(dot(p - a, ab) / l2, 0.0, 1.0) : 0.0;
  return dist(p, a + ab * t);
}

double point_polygon_distance(Vec2 p, const std::vector<Vec2>& poly) {  // p outside the polygon
  double d = kNoHit;
  for (size_t k = 0; k < poly.size(); ++k) d = std::min(d, point_segment_distance(p, poly[k], poly[(k + 1) % poly.size()]));
  return d;
}

double polygon_distance(const std::vector<Vec2>& a, const std::vector<Vec2>& b) {  // disjoint interiors
  double d = kNoHit;
  for (Vec2 v : a) d = std::min(d, point_polygon_distance(v, b));
  for (Vec2 v : b) d = std::min(d, point_polygon_distance(v, a));
  return d;
}

// A* heuristic over (cell, layer): the straight-line distance to the nearest region of the next
// colour, plus the smallest gaps between the regions of each later pair of colours. Both parts
// ignore obstacles, so it never overestimates, and it is consistent across zero-cost layer changes.
struct ColourHeuristic {
  std::vector<std::vector<int>> regions_of;  // per layer: regions of its next colour
  std::vector<double> tail;                  // per layer: lower bound for the colours after the next
  std::vector<std::vector<Vec2>> polys;
  double at(const World& w, Vec2 p, int layer, Color here) const {
    if (layer >= static_cast<int>(regions_of.size())) return 0;
    double d = 0;
    if (here != w.regions[regions_of[layer][0]].color) {
      d = kNoHit;
      for (int r : regions_of[layer]) d = std::min(d, point_polygon_distance(p, polys[r]));
    }
    return d + tail[layer];
  }
};

ColourHeuristic make_heuristic(const World& w, const std::vector<VoronoiCell>& cells, const Task& task, int p0) {
  ColourHeuristic h;
  for (const VoronoiCell& cell : cells) h.polys.push_back(cell.points);
  const int stages = task.size() - p0;
  h.regions_of.resize(stages);
  for (int l = 0; l < stages; ++l)
    for (int r = 0; r < static_cast<int>(w.regions.size()); ++r)
      if (w.regions[r].color == task.colors[p0 + l]) h.regions_of[l].push_back(r);
  h.tail.assign(stages, 0);
  for (int l = stages - 2; l >= 0; --l) {
    double gap = kNoHit;  // from a region of colour l+... to one of the colour after it
    for (int a : h.regions_of[l])
      for (int b : h.regions_of[l + 1]) gap = std::min(gap, a == b ? 0.0 : polygon_distance(h.polys[a], h.polys[b]));
    h.tail[l] = h.tail[l + 1] + (gap == kNoHit ? 0.0 : gap);
  }
  return h;
}

}  // namespace

OraclePath plan_oracle(const World& world, Vec2 start, const Task& task, int progress, const OracleParams& params) {
  OraclePath out;
  const int K = task.size();
  const int p0 = advance_progress(task, progress, world.color_at(start));
  out.points.push_back(start);
  if (p0 >= K) {
    out.found = true;
    return out;
  }

  const FreeGrid grid = make_free_grid(world, params.cell);
  const int N = grid.nx * grid.ny, L = K - p0 + 1;  // layers: progress p0 .. K
  std::vector<Color> cell_color(N);
  for (int j = 0; j < grid.ny; ++j)
    for (int i = 0; i < grid.nx; ++i) cell_color[grid.index(i, j)] = world.color_at(grid.center(i, j));

  const int start_node = L * N;
  auto layer_of = [&](int node) { return node == start_node ? 0 : node / N; };
  auto pos = [&](int node) { return node == start_node ? start : grid.center((node % N) % grid.nx, (node % N) / grid.nx); };

  for (int l = 0; l + 1 < L; ++l)  // a required colour with no region at all: nothing to search
    if (std::none_of(world.regions.begin(), world.regions.end(), [&](const Region& r) { return r.color == task.colors[p0 + l]; }))
      return out;
  const std::vector<VoronoiCell> cells = voronoi_cells(world);
  const ColourHeuristic heuristic = make_heuristic(world, cells, task, p0);
  // Per-thread buffers reused across calls: fresh multi-megabyte arrays cost more in page faults
  // than the search itself.
  thread_local std::vector<float> h_cache;
  thread_local std::vector<double> g;
  thread_local std::vector<int> parent;
  thread_local std::vector<uint8_t> closed;
  h_cache.assign(L * N + 1, -1.0f);
  g.assign(L * N + 1, kNoHit);
  parent.assign(L * N + 1, -1);
  closed.assign(L * N + 1, 0);
  auto h = [&](int node) -> double {
    if (node == start_node) return heuristic.at(world, start, 0, world.color_at(start));
    float& v = h_cache[node];
    if (v < 0) v = static_cast<float>(heuristic.at(world, pos(node), layer_of(node), cell_color[node % N]) * (1 - 1e-6));
    return v;
  };

  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> open;
  g[start_node] = 0;
  open.push({h(start_node), start_node});

  const int di[8] = {1, -1, 0, 0, 1, 1, -1, -1}, dj[8] = {0, 0, 1, -1, 1, -1, 1, -1};
  auto relax = [&](int s, int n) {
    // Lazy Theta*: assume the grandparent sees n; verified when n is expanded.
    const int p = parent[s];
    const int via = (p >= 0 && layer_of(p) == layer_of(n)) ? p : s;
    const double cand = g[via] + dist(pos(via), pos(n));
    if (cand < g[n]) {
      g[n] = cand;
      parent[n] = via;
      open.push({cand + h(n), n});
    }
  };

  int goal = -1;
  while (!open.empty()) {
    const auto [fs, s] = open.top();
    open.pop();
    const double gs = g[s];
    if (closed[s] || fs > gs + h(s) + 1e-9) continue;  // closed, or a stale entry
    const int l = layer_of(s);
    const Vec2 ps = pos(s);
    if (s != start_node && !world.segment_free(pos(parent[s]), ps)) {
      // The assumed line of sight failed: take the best closed neighbour with a free edge.
      g[s] = kNoHit;
      const int c = s % N, ci = c % grid.nx, cj = c / grid.nx;
      for (int k = 0; k < 8; ++k) {
        const int ni = ci + di[k], nj = cj + dj[k];
        if (ni < 0 || nj < 0 || ni >= grid.nx || nj >= grid.ny) continue;
        const int n = l * N + grid.index(ni, nj);
        if (!closed[n]) continue;
        const double cand = g[n] + dist(pos(n), ps);
        if (cand < g[s] && world.segment_free(pos(n), ps)) g[s] = cand, parent[s] = n;
      }
      if (g[s] == kNoHit) continue;  // unreachable this way; another push may still reach it
      if (g[s] > gs) {
        open.push({g[s] + h(s), s});
        continue;
      }
    }
    closed[s] = 1;
    if (l == L - 1) {
      goal = s;
      break;
    }
    if (s != start_node) {
      const int c = s % N;
      const int next = advance_progress(task, p0 + l, cell_color[c]);
      if (next > p0 + l) {  // standing in the next colour: progress is achieved here, at no cost
        const int n = (next - p0) * N + c;
        if (g[s] < g[n]) g[n] = g[s], parent[n] = s, open.push({g[s] + h(n), n});
        continue;
      }
    }
    if (s == start_node) {
      // Connect the exact start to the free cells around it.
      const int ci = std::min(grid.nx - 1, static_cast<int>(start.x / grid.cell));
      const int cj = std::min(grid.ny - 1, static_cast<int>(start.y / grid.cell));
      for (int dj2 = -1; dj2 <= 1; ++dj2)
        for (int di2 = -1; di2 <= 1; ++di2) {
          const int ni = ci + di2, nj = cj + dj2;
          if (ni < 0 || nj < 0 || ni >= grid.nx || nj >= grid.ny || !grid.free[grid.index(ni, nj)]) continue;
          const int n = grid.index(ni, nj);
          if (!world.segment_free(start, pos(n))) continue;
          const double cand = dist(start, pos(n));
          if (cand < g[n]) g[n] = cand, parent[n] = start_node, open.push({cand + h(n), n});
        }
      continue;
    }
    const int c = s % N, ci = c % grid.nx, cj = c / grid.nx;
    for (int k = 0; k < 8; ++k) {
      const int ni = ci + di[k], nj = cj + dj[k];
      if (ni < 0 || nj < 0 || ni >= grid.nx || nj >= grid.ny) continue;
      const int nc = grid.index(ni, nj);
      const int n = l * N + nc;
      if (!grid.free[nc] || closed[n]) continue;
      relax(s, n);
    }
  }
  if (goal < 0) return out;

  // Walk back to the start; layer changes mark where each colour is achieved.
  std::vector<int> chain;
  for (int n = goal; n != -1; n = parent[n]) chain.push_back(n);
  std::vector<Vec2> pts;
  std::vector<int> fixed;  // indices into pts that string pulling must keep
  int layer = 0;
  for (int k = static_cast<int>(chain.size()) - 1; k >= 0; --k) {
    const int n = chain[k];
    const Vec2 p = pos(n);
    if (pts.empty() || !(pts.back() == p)) pts.push_back(p);
    const int nl = layer_of(n);
    for (; layer < nl; ++layer) out.stage_point.push_back(static_cast<int>(pts.size()) - 1);
  }
  const std::vector<int> stage_pts = std::move(out.stage_point);
  fixed.push_back(0);
  for (int sp : stage_pts)
    if (sp != fixed.back()) fixed.push_back(sp);
  if (fixed.back() != static_cast<int>(pts.size()) - 1) fixed.push_back(static_cast<int>(pts.size()) - 1);

  // String pulling: between consecutive fixed vertices, jump to the farthest visible vertex.
  std::vector<int> new_index(pts.size(), 0);
  out.points.assign(1, pts[0]);
  out.stage_point.clear();
  for (size_t f = 0; f + 1 < fixed.size(); ++f) {
    for (int i = fixed[f]; i < fixed[f + 1];) {
      int j = fixed[f + 1];
      while (j > i + 1 && !world.segment_free(pts[i], pts[j])) --j;
      out.points.push_back(pts[j]);
      new_index[j] = static_cast<int>(out.points.size()) - 1;
      i = j;
    }
  }
  for (int sp : stage_pts) out.stage_point.push_back(new_index[sp]);
  tighten(world, cells, task, p0, out.points, out.stage_point);
  for (size_t k = 1; k < out.points.size(); ++k) out.length += dist(out.points[k - 1], out.points[k]);
  out.found = true;
  return out;
}

}  // namespace hjepa
