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

// The best replacement found so far for vertex V between its neighbours P and Q (no Q at the end of
// the path); a colour point must stay in its colour.
struct VertexMove {
  const World& w;
  Vec2 P, Q;
  bool has_q;
  bool is_stage;
  Color need;  // the colour a colour point must stay in
  Vec2 best;
  double best_cost;

  // The length of P -> s -> Q.
  double cost(Vec2 s) const { return dist(P, s) + (has_q ? dist(s, Q) : 0.0); }
  // Takes s when it is shorter, keeps the colour and (as asked) the segments to P and Q stay free.
  bool consider(std::optional<Vec2> s, bool check_p, bool check_q) {
    if (!s || cost(*s) >= best_cost - 1e-12) return false;
    if (is_stage && w.color_at(*s) != need) return false;
    if (check_p && !w.segment_free(P, *s)) return false;
    if (check_q && has_q && !w.segment_free(*s, Q)) return false;
    best = *s, best_cost = cost(*s);
    return true;
  }
};

// A colour point enters its colour where the straight lines around it do, or at the exact
// minimiser over the border of its region (the cost is convex on each edge).
void enter_colour(const std::vector<VoronoiCell>& cells, Vec2 V, VertexMove& move) {
  const World& w = move.w;
  const Vec2 P = move.P, Q = move.Q;
  if (move.has_q) move.consider(first_point_of_color(w, P, Q, move.need), true, true);
  move.consider(first_point_of_color(w, P, V, move.need), false, true);
  if (move.has_q) move.consider(first_point_of_color(w, Q, V, move.need), true, false);
  const int r = w.region_at(V);
  const std::vector<Vec2>& poly = cells[r].points;
  for (size_t e = 0; e < poly.size(); ++e) {
    const Vec2 a = poly[e], b = poly[(e + 1) % poly.size()];
    double lo = 0, hi = 1;
    for (int it = 0; it < 60; ++it) {  // golden-section search on the edge
      const double m1 = lo + 0.381966 * (hi - lo), m2 = hi - 0.381966 * (hi - lo);
      if (move.cost(a + (b - a) * m1) < move.cost(a + (b - a) * m2)) hi = m2;
      else lo = m1;
    }
    const Vec2 x = a + (b - a) * (0.5 * (lo + hi));
    move.consider(x + (w.regions[r].site - x) * 1e-9, true, true);  // a hair inside the region
  }
}

// Any other vertex moves toward the chord P-Q, as far as the segments stay free.
void toward_chord(Vec2 V, VertexMove& move) {
  const Vec2 PQ = move.Q - move.P;
  const double l2 = norm2(PQ);
  const Vec2 M = l2 > 0 ? move.P + PQ * std::clamp(dot(V - move.P, PQ) / l2, 0.0, 1.0) : move.P;
  for (double a = 1; a > 1e-3; a *= 0.5)
    if (move.consider(V + (M - V) * a, true, true)) break;
}

// One pass over the vertices: each moves as enter_colour or toward_chord says, and a vertex that
// ends on its chord is dropped (with its pattern step). Adds the length gained to `gained`.
void tighten_vertices(const World& w, const std::vector<VoronoiCell>& cells, const Task& task, int p0, std::vector<Vec2>& pts,
                      std::vector<int>& stage, std::vector<double>& step, double& gained) {
  for (int i = 1; i < static_cast<int>(pts.size()); ++i) {
    const Vec2 P = pts[i - 1], V = pts[i];
    const bool has_q = i + 1 < static_cast<int>(pts.size());
    int first_stage = -1;
    for (int k = 0; k < static_cast<int>(stage.size()); ++k)
      if (stage[k] == i) { first_stage = k; break; }
    const bool is_stage = first_stage >= 0;
    VertexMove move{w, P, has_q ? pts[i + 1] : V, has_q, is_stage, is_stage ? task.colors[p0 + first_stage] : Color::Red, V, 0};
    move.best_cost = move.cost(V);
    if (is_stage) enter_colour(cells, V, move);
    else if (has_q) toward_chord(V, move);
    gained += move.cost(V) - move.best_cost;
    pts[i] = move.best;
    if (!is_stage && has_q && move.best_cost <= dist(P, move.Q) + 1e-12) {  // on the chord: drop the vertex
      pts.erase(pts.begin() + i);
      step.erase(step.begin() + i);
      for (int& sp : stage) sp -= sp > i;
      --i;
    }
  }
}

// Pattern search on runs of 1-3 consecutive vertices translated together: slides vertices along
// obstacle boundaries and region borders, and moves clusters of colour points jointly. A vertex
// whose moves all fail halves its step. Adds the length gained to `gained`.
void pattern_search(const World& w, const Task& task, int p0, std::vector<Vec2>& pts, const std::vector<int>& stage,
                    std::vector<double>& step, double& gained) {
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
    tighten_vertices(w, cells, task, p0, pts, stage, step, gained);
    if (static_cast<int>(step.size()) != static_cast<int>(pts.size())) step.assign(pts.size(), 0.2);
    pattern_search(w, task, p0, pts, stage, step, gained);
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

// Per-thread search buffers reused across calls: fresh multi-megabyte arrays cost more in page
// faults than the search itself.
struct SearchBuffers {
  std::vector<float> h_cache;  // heuristic per node, -1 until computed
  std::vector<double> g;       // best known cost from the start
  std::vector<int> parent;
  std::vector<uint8_t> closed;
};

// A* with lazy Theta* parents over the product graph (grid cell, task layer): node = layer * N +
// cell for layers 0 .. L-1 (progress p0 .. K), and the exact start as node L * N. A cell whose
// centre lies in the next colour moves to the next layer at zero cost.
class ProductSearch {
 public:
  ProductSearch(const World& world, Vec2 start, const Task& task, int p0, const FreeGrid& grid, const ColourHeuristic& heuristic)
      : world_(world), start_(start), task_(task), p0_(p0), grid_(grid), heuristic_(heuristic), N_(grid.nx * grid.ny),
        L_(task.size() - p0 + 1), start_node_(L_ * N_), cell_color_(N_) {
    for (int j = 0; j < grid_.ny; ++j)
      for (int i = 0; i < grid_.nx; ++i) cell_color_[grid_.index(i, j)] = world_.color_at(grid_.center(i, j));
    thread_local SearchBuffers buffers;
    b_ = &buffers;
    b_->h_cache.assign(L_ * N_ + 1, -1.0f);
    b_->g.assign(L_ * N_ + 1, kNoHit);
    b_->parent.assign(L_ * N_ + 1, -1);
    b_->closed.assign(L_ * N_ + 1, 0);
  }

  int layer_of(int node) const { return node == start_node_ ? 0 : node / N_; }
  Vec2 pos(int node) const { return node == start_node_ ? start_ : grid_.center((node % N_) % grid_.nx, (node % N_) / grid_.nx); }
  int parent(int node) const { return b_->parent[node]; }

  // The goal node (a node of the last layer), or -1 when no route exists.
  int run() {
    b_->g[start_node_] = 0;
    open_.push({h(start_node_), start_node_});
    while (!open_.empty()) {
      const auto [fs, s] = open_.top();
      open_.pop();
      const double gs = b_->g[s];
      if (b_->closed[s] || fs > gs + h(s) + 1e-9) continue;  // closed, or a stale entry
      if (s != start_node_ && !world_.segment_free(pos(parent(s)), pos(s)) && !repair_parent(s, gs)) continue;
      b_->closed[s] = 1;
      const int l = layer_of(s);
      if (l == L_ - 1) return s;
      if (s == start_node_) connect_start();
      else if (!advance_layer(s, l)) expand(s, l);
    }
    return -1;
  }

 private:
  static constexpr int kDi[8] = {1, -1, 0, 0, 1, 1, -1, -1}, kDj[8] = {0, 0, 1, -1, 1, -1, 1, -1};

  // The heuristic, cached per node (shrunk a hair so float rounding never overestimates).
  double h(int node) {
    if (node == start_node_) return heuristic_.at(world_, start_, 0, world_.color_at(start_));
    float& v = b_->h_cache[node];
    if (v < 0) v = static_cast<float>(heuristic_.at(world_, pos(node), layer_of(node), cell_color_[node % N_]) * (1 - 1e-6));
    return v;
  }

  // Lazy Theta*: assume the grandparent sees n; verified when n is expanded.
  void relax(int s, int n) {
    const int p = b_->parent[s];
    const int via = (p >= 0 && layer_of(p) == layer_of(n)) ? p : s;
    const double cand = b_->g[via] + dist(pos(via), pos(n));
    if (cand < b_->g[n]) {
      b_->g[n] = cand;
      b_->parent[n] = via;
      open_.push({cand + h(n), n});
    }
  }

  // The assumed line of sight to s's parent failed: take the best closed neighbour with a free
  // edge. True when s can be closed now; false when it is unreachable this way (another push may
  // still reach it) or was pushed again at its higher cost.
  bool repair_parent(int s, double gs) {
    const int l = layer_of(s);
    const Vec2 ps = pos(s);
    b_->g[s] = kNoHit;
    const int c = s % N_, ci = c % grid_.nx, cj = c / grid_.nx;
    for (int k = 0; k < 8; ++k) {
      const int ni = ci + kDi[k], nj = cj + kDj[k];
      if (ni < 0 || nj < 0 || ni >= grid_.nx || nj >= grid_.ny) continue;
      const int n = l * N_ + grid_.index(ni, nj);
      if (!b_->closed[n]) continue;
      const double cand = b_->g[n] + dist(pos(n), ps);
      if (cand < b_->g[s] && world_.segment_free(pos(n), ps)) b_->g[s] = cand, b_->parent[s] = n;
    }
    if (b_->g[s] == kNoHit) return false;
    if (b_->g[s] > gs) {
      open_.push({b_->g[s] + h(s), s});
      return false;
    }
    return true;
  }

  // Connects the exact start to the free cells around it that it sees.
  void connect_start() {
    const int ci = std::min(grid_.nx - 1, static_cast<int>(start_.x / grid_.cell));
    const int cj = std::min(grid_.ny - 1, static_cast<int>(start_.y / grid_.cell));
    for (int dj = -1; dj <= 1; ++dj)
      for (int di = -1; di <= 1; ++di) {
        const int ni = ci + di, nj = cj + dj;
        if (ni < 0 || nj < 0 || ni >= grid_.nx || nj >= grid_.ny || !grid_.free[grid_.index(ni, nj)]) continue;
        const int n = grid_.index(ni, nj);
        if (!world_.segment_free(start_, pos(n))) continue;
        const double cand = dist(start_, pos(n));
        if (cand < b_->g[n]) b_->g[n] = cand, b_->parent[n] = start_node_, open_.push({cand + h(n), n});
      }
  }

  // Standing in the next colour, progress is achieved here at no cost: s's cell in the next layer.
  // True when it is (s then has no neighbours of its own).
  bool advance_layer(int s, int l) {
    const int c = s % N_;
    const int next = advance_progress(task_, p0_ + l, cell_color_[c]);
    if (next <= p0_ + l) return false;
    const int n = (next - p0_) * N_ + c;
    if (b_->g[s] < b_->g[n]) b_->g[n] = b_->g[s], b_->parent[n] = s, open_.push({b_->g[s] + h(n), n});
    return true;
  }

  // Relaxes s's free, open 8-neighbours in its layer.
  void expand(int s, int l) {
    const int c = s % N_, ci = c % grid_.nx, cj = c / grid_.nx;
    for (int k = 0; k < 8; ++k) {
      const int ni = ci + kDi[k], nj = cj + kDj[k];
      if (ni < 0 || nj < 0 || ni >= grid_.nx || nj >= grid_.ny) continue;
      const int nc = grid_.index(ni, nj);
      const int n = l * N_ + nc;
      if (!grid_.free[nc] || b_->closed[n]) continue;
      relax(s, n);
    }
  }

  const World& world_;
  const Vec2 start_;
  const Task& task_;
  const int p0_;
  const FreeGrid& grid_;
  const ColourHeuristic& heuristic_;
  const int N_, L_, start_node_;
  std::vector<Color> cell_color_;
  SearchBuffers* b_ = nullptr;
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> open_;
};

// Walks back from the goal to the start: the points in order, and per task colour the index of
// the point where it is achieved (the layer changes).
void trace_back(const ProductSearch& search, int goal, std::vector<Vec2>& pts, std::vector<int>& stage_pts) {
  std::vector<int> chain;
  for (int n = goal; n != -1; n = search.parent(n)) chain.push_back(n);
  int layer = 0;
  for (int k = static_cast<int>(chain.size()) - 1; k >= 0; --k) {
    const int n = chain[k];
    const Vec2 p = search.pos(n);
    if (pts.empty() || !(pts.back() == p)) pts.push_back(p);
    const int nl = search.layer_of(n);
    for (; layer < nl; ++layer) stage_pts.push_back(static_cast<int>(pts.size()) - 1);
  }
}

// String pulling: between consecutive fixed vertices (start, colour points, end), jump to the
// farthest visible vertex. Fills out.points and out.stage_point.
void string_pull(const World& world, const std::vector<Vec2>& pts, const std::vector<int>& stage_pts, OraclePath& out) {
  std::vector<int> fixed{0};  // indices into pts that string pulling must keep
  for (int sp : stage_pts)
    if (sp != fixed.back()) fixed.push_back(sp);
  if (fixed.back() != static_cast<int>(pts.size()) - 1) fixed.push_back(static_cast<int>(pts.size()) - 1);
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
  for (int l = p0; l < K; ++l)  // a required colour with no region at all: nothing to search
    if (std::none_of(world.regions.begin(), world.regions.end(), [&](const Region& r) { return r.color == task.colors[l]; }))
      return out;

  const FreeGrid grid = make_free_grid(world, params.cell);
  const std::vector<VoronoiCell> cells = voronoi_cells(world);
  const ColourHeuristic heuristic = make_heuristic(world, cells, task, p0);
  ProductSearch search(world, start, task, p0, grid, heuristic);
  const int goal = search.run();
  if (goal < 0) return out;
  std::vector<Vec2> pts;
  std::vector<int> stage_pts;
  trace_back(search, goal, pts, stage_pts);
  string_pull(world, pts, stage_pts, out);
  tighten(world, cells, task, p0, out.points, out.stage_point);
  for (size_t k = 1; k < out.points.size(); ++k) out.length += dist(out.points[k - 1], out.points[k]);
  out.found = true;
  return out;
}

}  // namespace hjepa
