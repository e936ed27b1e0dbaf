// OracleAgent: steps along the oracle path by trying where each heading actually lands and
// keeping the landing point with the least cost to go, and replans when pushed off the path.
#include "agent/oracle_agent.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hjepa {
namespace {

// Closest point to p on segment a-b, as a parameter in [0, 1].
double project(Vec2 p, Vec2 a, Vec2 b) {
  const Vec2 ab = b - a;
  const double l2 = norm2(ab);
  return l2 == 0 ? 0 : std::clamp(dot(p - a, ab) / l2, 0.0, 1.0);
}

double heading_to(Vec2 from, Vec2 to) { return std::atan2(to.y - from.y, to.x - from.x); }

constexpr int kHeadings = 64;          // evenly spaced candidate headings
constexpr double kLookahead = 3.0;     // how far along the path a landing point is valued, steps
constexpr double kSampleSpacing = 0.1; // spacing of the path points tested for sight, steps
constexpr int kBisections = 10;        // bisection steps for the farthest visible point of a segment
constexpr double kHair = 1e-9;         // a turn too small to matter but larger than rounding, radians
constexpr double kFullGain = 0.9;      // a step gaining less than this along the path looks two ahead, steps

// A stretch of the path ahead, valued from a point q as the best, over points x of the stretch
// that q sees, of s(x) - |q - x| (s = arc length from the stretch's start): "walk straight to x,
// then follow the path". On a straight stretch that is how far along it q is; past a corner the
// path bends around, an overshoot still sees the path beyond and scores nearly as well as the
// corner, while a heading into the corner's box stops short and scores worse. (A carrot past the
// corner instead rewards the blocked heading whose stopping point is nearest it, which deadlocks
// at zero noise.)
struct Stretch {
  std::vector<Vec2> points;  // polyline from `from`, cut at `horizon` of arc length
  std::vector<double> arc;   // arc length of each point

  Stretch(const std::vector<Vec2>& path, Vec2 from, int next_vertex, int end_vertex, double horizon)
      : points{from}, arc{0.0} {
    for (int k = next_vertex; k <= end_vertex && arc.back() < horizon; ++k) {
      const double len = dist(points.back(), path[k]);
      if (arc.back() + len <= horizon) {
        points.push_back(path[k]), arc.push_back(arc.back() + len);
      } else {
        points.push_back(points.back() + (path[k] - points.back()) * ((horizon - arc.back()) / len));
        arc.push_back(horizon);
      }
    }
  }

  // Along one segment s(x) - |q - x| never decreases, so a segment's best visible point is its
  // farthest one: test samples from the far end, then bisect towards the hidden sample after it.
  double value(const World& world, Vec2 q, double sample) const {
    double best = -kNoHit;
    for (size_t k = 0; k + 1 < points.size(); ++k) {
      const Vec2 u = points[k], v = points[k + 1];
      const double len = arc[k + 1] - arc[k];
      const int n = std::max(1, static_cast<int>(std::ceil(len / sample)));
      for (int i = n; i >= 0; --i) {
        const double t = static_cast<double>(i) / n;
        if (arc[k] + len * t - dist(q, u + (v - u) * t) <= best) break;  // nothing here beats best
        if (!world.segment_free(q, u + (v - u) * t)) continue;
        double lo = t, hi = static_cast<double>(i + 1) / n;
        if (i < n)
          for (int it = 0; it < kBisections; ++it) {
            const double mid = 0.5 * (lo + hi);
            (world.segment_free(q, u + (v - u) * mid) ? lo : hi) = mid;
          }
        best = std::max(best, arc[k] + len * lo - dist(q, u + (v - u) * lo));
        break;
      }
    }
    return best;
  }
};

struct Landing {
  double heading;
  Vec2 q;  // where the env's move ends
};

// Where each candidate heading from `from` lands: `even` evenly spaced headings, plus the exact
// headings to the stretch's vertices (to graze a corner or slide along a face, which the even ones
// miss), each also turned a hair either way, since a heading's direction is rounded (cos(pi/2) > 0)
// and may tip into the face it runs along.
std::vector<Landing> landings(const Env& env, OpenGates gates, Vec2 from, int even, const Stretch& stretch) {
  const double step = env.params().step_length;
  std::vector<Landing> out;
  for (int k = 0; k < even; ++k) {
    const double h = 6.283185307179586 * k / even;
    out.push_back({h, env.move(from, heading_dir(h), step, gates)});
  }
  for (size_t k = 1; k < stretch.points.size(); ++k)
    if (dist(from, stretch.points[k]) > 1e-9)
      for (double turn : {0.0, -kHair, kHair}) {
        const double h = heading_to(from, stretch.points[k]) + turn;
        out.push_back({h, env.move(from, heading_dir(h), step, gates)});
      }
  return out;
}

// The distance from p to the box's nearest point (0 inside).
double box_distance(const Obstacle& b, Vec2 p) {
  const double dx = std::max({b.min.x - p.x, 0.0, p.x - b.max.x}), dy = std::max({b.min.y - p.y, 0.0, p.y - b.max.y});
  return std::hypot(dx, dy);
}

}  // namespace

OpenGates OracleAgent::gates() const {
  const OpenGates actual = env_->state().open_gates;
  if (!params_.gates_on_sight) return actual;
  const World& world = env_->world();
  const int n = world.gate_count();
  const OpenGates all = n >= 64 ? ~OpenGates{0} : (OpenGates{1} << n) - 1;
  OpenGates known = (actual & seen_) | (all & ~seen_);
  if (!world.gates_shared) return known;
  // Gates drawn together (one uniform u, gate g closed when u < its p_closed): a gate seen closed at p
  // closes every gate at least as likely closed (the rest stay taken for open).
  auto p_closed = [&](int g) { return world.obstacles[world.gate_obstacle(g)].p_closed; };
  double least_closed = 2;  // the least p of a gate seen closed (2: none)
  for (int g = 0; g < n; ++g)
    if ((seen_ >> g & 1) && !(actual >> g & 1)) least_closed = std::min(least_closed, p_closed(g));
  for (int g = 0; g < n; ++g)
    if (!(seen_ >> g & 1) && p_closed(g) >= least_closed) known &= ~(OpenGates{1} << g);  // seen: as seen
  return known;
}

void OracleAgent::look() {
  if (!params_.gates_on_sight) return;
  const World& world = env_->world();
  const EnvState& s = env_->state();
  for (int g = 0; g < world.gate_count(); ++g) {
    const OpenGates bit = OpenGates{1} << g;
    if (seen_ & bit) continue;
    const Obstacle& gate = world.obstacles[world.gate_obstacle(g)];
    // In reach of the rays, and nothing but the gate itself between here and its centre.
    if (box_distance(gate, s.position) <= env_->params().ray_max && world.segment_free(s.position, gate.center, s.open_gates | bit))
      seen_ |= bit;
  }
}

void OracleAgent::reset(const Observation&) {
  replans_ = 0;
  seen_ = 0;
  look();
  replan();
}

void OracleAgent::replan() {
  const EnvState& s = env_->state();
  planned_gates_ = gates();
  gated_ = env_->world().gate_count() > 0;
  if (gated_) gated_world_ = env_->world().with_gates(planned_gates_);
  path_ = plan_oracle(episode_world(), s.position, env_->task(), s.progress, params_.oracle);
  plan_progress_ = s.progress;
  segment_ = 0;
  ++replans_;
}

double OracleAgent::act(const Observation&) {
  const EnvState& s = env_->state();
  const Task& task = env_->task();
  const Vec2 p = s.position;
  if (!replanning_) look();
  if (!path_.found || path_.points.size() < 2 || gates() != planned_gates_) {
    replan();
    if (!path_.found || path_.points.size() < 2) return 0.0;  // nothing reachable: stand still-ish
  }
  const int first_stage_task = task.size() - static_cast<int>(path_.stage_point.size());
  const int stage = s.progress - first_stage_task;  // index into stage_point of the next colour
  const int last = static_cast<int>(path_.points.size()) - 1;
  const int stage_vertex = stage < static_cast<int>(path_.stage_point.size()) ? path_.stage_point[stage] : last;

  // The path up to where the colour just achieved was planned is behind: at a colour point on a
  // face the path comes back along itself, and its way in must not be taken for the way ahead.
  if (stage > 0) segment_ = std::max(segment_, path_.stage_point[stage - 1]);
  // Track the nearest segment a little ahead of the current one (never beyond the next stage point).
  double best = kNoHit;
  int best_seg = segment_;
  // A segment counts only if its closest point is in sight: across a thin wall, the path's way
  // back is near but not reachable (a hairpin around a wall's end).
  const World& world = episode_world();
  for (int k = segment_; k < std::min(stage_vertex, segment_ + 4); ++k) {
    const Vec2 a = path_.points[k], b = path_.points[k + 1], q = a + (b - a) * project(p, a, b);
    const double d = dist(p, q);
    if (d < best && (k == segment_ || world.segment_free(p, q))) best = d, best_seg = k;
  }
  segment_ = best_seg;
  const bool passed_stage = segment_ >= stage_vertex && s.progress < task.size();
  if (best > params_.replan_distance || passed_stage || stage < 0) {
    replan();
    if (!replanning_) {  // follow the fresh plan (once; a fresh plan never triggers again)
      replanning_ = true;
      const double h = act(Observation{});
      replanning_ = false;
      return h;
    }
  }

  const double step = env_->params().step_length;
  const Vec2 target = path_.points[stage_vertex];
  if (dist(p, target) <= step * 1.05 && s.progress < task.size()) {
    // The next colour is within reach: pick the heading whose landing point is in it and closest
    // to where the path goes next (if no heading lands in it, e.g. around a corner, go on below).
    const Color need = task.colors[s.progress];
    const OpenGates known = gates();
    const Vec2 after = path_.points[std::min(stage_vertex + 1, last)];
    double best_score = kNoHit, best_heading = 0;
    for (int k = 0; k < kHeadings; ++k) {
      const double h = 6.283185307179586 * k / kHeadings;
      const Vec2 q = env_->move(p, heading_dir(h), step, known);
      if (world.color_at(q) != need) continue;
      const double score = dist(q, after);
      if (score < best_score) best_score = score, best_heading = h;
    }
    if (best_score < kNoHit) return best_heading;
  }

  return step_along_path(p, stage_vertex);
}

// Steps by the value of its landing point on the stretch up to the next colour point (Stretch).
// Where no step gains nearly a full step (a corner, a doorway), fixed-length steps cannot follow a
// sharp turn, so the choice looks two steps ahead: the first step whose best second step is worth most.
double OracleAgent::step_along_path(Vec2 p, int stage_vertex) const {
  const World& world = episode_world();
  const double step = env_->params().step_length, sample = kSampleSpacing * step;
  const Vec2 a = path_.points[segment_], b = path_.points[segment_ + 1];
  const Stretch ahead(path_.points, a + (b - a) * project(p, a, b), segment_ + 1, stage_vertex, kLookahead * step);

  const OpenGates known = gates();
  const std::vector<Landing> first = landings(*env_, known, p, kHeadings, ahead);
  double best_value = -kNoHit, best_heading = heading_to(p, ahead.points.back());
  for (const Landing& l : first) {
    const double v = ahead.value(world, l.q, sample);
    if (v > best_value + 1e-9) best_value = v, best_heading = l.heading;
  }
  if (best_value >= ahead.value(world, p, sample) + kFullGain * step) return best_heading;

  double best_two = -kNoHit;
  for (size_t i = 0; i < first.size(); ++i) {
    const Vec2 q = first[i].q;
    const bool seen = std::any_of(first.begin(), first.begin() + i, [&](const Landing& l) { return l.q == q; });
    if (dist(p, q) < 1e-6 * step || seen) continue;  // standing still, or a landing already tried
    double v = -kNoHit;
    for (const Landing& l : landings(*env_, known, q, kHeadings / 2, ahead)) v = std::max(v, ahead.value(world, l.q, sample));
    if (v > best_two + 1e-9) best_two = v, best_heading = first[i].heading;
  }
  return best_heading;
}

}  // namespace hjepa
