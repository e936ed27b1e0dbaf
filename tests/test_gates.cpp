// Gates (issue 18, the world's part): boxes present in an episode with probability p_closed. Map
// files (round trip, refusals at the field's path, connectivity with every gate closed), the env's
// draw (per seed, frequency near p, nothing drawn on gate-less maps), ray casts and motion that see
// the episode's gates, the app's toggle, and the oracle and the oracle agent on both states.
#include <doctest/doctest.h>

#include <array>

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "agent/jepa/exploration.hpp"
#include "agent/jepa/model_file.hpp"
#include "agent/jepa/train_model.hpp"
#include "agent/oracle_agent.hpp"
#include "sim/env.hpp"
#include "sim/map_gen.hpp"
#include "sim/map_io.hpp"
#include "sim/oracle.hpp"
#include "tiny_training.hpp"

using namespace hjepa;
using nlohmann::json;

namespace {

// 30 x 20: a wall at x = 14..16 with a gated door at y = 8..10 and a gap at the top (y > 17), the
// way round. red | blue meet at x = 15.
const char* const kGatedMap = R"({"format": "hjepa-map/1", "size": [30, 20],
  "regions": [{"site": [5, 9], "color": "red"}, {"site": [25, 9], "color": "blue"}],
  "obstacles": [{"type": "box", "min": [14, 0], "max": [16, 8]},
                {"type": "box", "min": [14, 8], "max": [16, 10], "p_closed": 0.3},
                {"type": "box", "min": [14, 10], "max": [16, 17]}]})";

World gated() { return map_from_json(kGatedMap, "gated.json"); }

EnvParams exact() {
  EnvParams p;
  p.noise_motion = p.noise_perception = p.noise_range = 0;
  return p;
}

std::string refusal_of(const json& map) {
  try {
    map_from_json(map.dump(), "g.json");
  } catch (const MapError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

constexpr OpenGates kOpen = 1, kClosed = 0;

// One exact episode of the oracle agent (sighted or informed) from `start` with the gates `open` (bit
// g = gate g open); it must finish the task. `replans` and `first_length` (the first plan's length)
// when given.
int oracle_episode(const World& w, const Task& task, Vec2 start, OpenGates open, bool sighted, int* replans = nullptr,
                   double* first_length = nullptr) {
  Env env(w, task, exact());
  env.reset(1, start);
  EnvState s = env.state();
  for (int g = 0; g < w.gate_count(); ++g) env.set_gate_open(s, g, (open >> g) & 1);
  env.set_state(s);
  OracleAgentParams p;
  p.gates_on_sight = sighted;
  OracleAgent agent(env, p);
  Observation obs;
  agent.reset(obs);
  if (first_length) *first_length = agent.path().length;
  while (!env.done()) obs = env.step(agent.act(obs)).obs;
  CHECK(env.state().progress == 1);
  if (replans) *replans = agent.replans();
  return env.state().step;
}

}  // namespace

TEST_CASE("map files: p_closed reads, writes back exactly, and changes the fingerprint only of gates") {
  const World w = gated();
  REQUIRE(w.gate_count() == 1);
  CHECK(w.gate_obstacle(0) == 1);
  CHECK(w.gate_obstacle(1) == -1);
  CHECK(w.obstacles[1].p_closed == 0.3);
  const std::string text = map_to_json(w);
  CHECK(has(text, R"("p_closed": 0.3)"));
  const World back = map_from_json(text, "back.json");
  CHECK(back.obstacles[1].p_closed == 0.3);
  CHECK(back.fingerprint() == w.fingerprint());
  CHECK(map_to_json(back) == text);

  World plain = w;
  plain.obstacles[1].p_closed = 0;
  CHECK(plain.fingerprint() != w.fingerprint());
  CHECK_FALSE(has(map_to_json(plain), "p_closed"));  // a plain box is written as before
  CHECK(plain.with_gates(kOpen).fingerprint() == plain.fingerprint());
  CHECK(w.with_gates(kClosed).fingerprint() == plain.fingerprint());  // every gate closed: plain boxes
  CHECK(w.with_gates(kOpen).obstacles.size() == 2);
}

TEST_CASE("map files: bad gate values are refused at the field's path") {
  const json base = json::parse(kGatedMap);
  const std::string path = "g.json: $.obstacles[1].p_closed: ";
  for (const json& bad : {json(0), json(1), json(-0.5), json(1.5), json("0.5"), json(nullptr), json::array()}) {
    json m = base;
    m["obstacles"][1]["p_closed"] = bad;
    const std::string message = refusal_of(m);
    CAPTURE(message);
    CHECK(message.rfind(path, 0) == 0);
    CHECK(has(message, "; expected a probability 0 < p_closed < 1"));
  }
  json circle = base;
  circle["obstacles"].push_back(json::parse(R"({"type": "circle", "center": [5, 15], "radius": 1, "p_closed": 0.5})"));
  const std::string message = refusal_of(circle);
  CHECK(message.rfind("g.json: $.obstacles[3].p_closed: a gate on a circle; expected gates to be boxes", 0) == 0);

  World built = gated();  // the generator's path: validate_world
  built.obstacles[0].p_closed = 1;
  CHECK(validate_world(built).rfind("$.obstacles[0].p_closed: 1 is not strictly between 0 and 1", 0) == 0);
}

TEST_CASE("map files: free space must stay connected with every gate closed") {
  json m = json::parse(kGatedMap);
  m["obstacles"][2]["max"] = {16, 20};  // no way round: the gate is the only door
  CHECK(refusal_of(m) ==
        "g.json: $.obstacles: free space is split into 2 unconnected parts with every gate closed; expected every "
        "free point reachable from every other with every gate closed (a gate is a door with another way round)");
}

TEST_CASE("the env draws the gates from the episode seed, apart from the noise stream") {
  const World w = gated();
  World plain = w;
  plain.obstacles[1].p_closed = 0;
  Env env(w, Task{{Color::Blue}});
  Env plain_env(plain, Task{{Color::Blue}});
  int closed = 0;
  const int episodes = 2000;
  for (uint64_t seed = 0; seed < episodes; ++seed) {
    EnvState a, b, c;
    env.start_state(a, seed);
    env.start_state(b, seed);
    plain_env.start_state(c, seed);
    CHECK(a.open_gates == b.open_gates);  // same seed, same gates
    CHECK(a.open_gates <= 1);
    CHECK(c.open_gates == 0);             // a gate-less map draws nothing ...
    CHECK(a.position == c.position);      // ... and the gates change neither the start ...
    CHECK(a.rng.s[0] == c.rng.s[0]);      // ... nor the noise stream
    closed += a.open_gates == 0;
  }
  CHECK(closed / double(episodes) == doctest::Approx(0.3).epsilon(0.15));  // 3 s.e. is 0.03
}

TEST_CASE("ray casts and motion are blocked by a closed gate and not by an open one") {
  const World w = gated();
  const Vec2 east{1, 0};
  CHECK(w.raycast({10, 9}, east, 50, kClosed) == doctest::Approx(4));
  CHECK(w.raycast({10, 9}, east, 50, kOpen) == doctest::Approx(20));  // through the door to x = 30
  CHECK_FALSE(w.segment_free({10, 9}, {20, 9}, kClosed));
  CHECK(w.segment_free({10, 9}, {20, 9}, kOpen));
  CHECK_FALSE(w.is_free({15, 9}));
  CHECK(w.is_free({15, 9}, kOpen));

  Env env(w, Task{{Color::Blue}}, exact());
  EnvState s;
  env.start_state(s, 1, Vec2{13.5, 9});
  for (const bool open : {false, true}) {
    env.set_gate_open(s, 0, open);
    EnvState t = s;
    const StepResult r = env.step(t, 0);
    CHECK(r.info.true_position.x == doctest::Approx(open ? 14.5 : 14.0).epsilon(1e-6));
    CHECK(r.obs.ranges[0] == doctest::Approx(open ? 5.0f : 0.0f).epsilon(1e-4));  // ray 0 looks east
  }
}

TEST_CASE("the app's toggle: bad gates and closing on the agent are refused") {
  const World w = gated();
  Env env(w, Task{{Color::Blue}}, exact());
  EnvState s;
  env.start_state(s, 1, Vec2{10, 9});
  env.set_gate_open(s, 0, true);
  CHECK(s.open_gates == 1);
  env.set_gate_open(s, 0, false);
  CHECK(s.open_gates == 0);
  CHECK_THROWS_AS(env.set_gate_open(s, 1, true), std::invalid_argument);
  CHECK_THROWS_AS(env.set_gate_open(s, -1, true), std::invalid_argument);
  env.set_gate_open(s, 0, true);
  s.position = {15, 9};  // in the doorway
  CHECK_THROWS_WITH_AS(env.set_gate_open(s, 0, false), doctest::Contains("standing in its doorway"), std::invalid_argument);
  CHECK(s.open_gates == 1);
}

TEST_CASE("the oracle plans on the episode's gates; the oracle agent follows them and replans on a toggle") {
  const World w = gated();
  const Task task{{Color::Blue}};
  const OraclePath open = plan_oracle(w.with_gates(kOpen), {10, 9}, task);
  const OraclePath closed = plan_oracle(w.with_gates(kClosed), {10, 9}, task);
  REQUIRE(open.found);
  REQUIRE(closed.found);
  CHECK(open.length == doctest::Approx(5).epsilon(0.01));  // straight to x = 15, in the doorway
  CHECK(closed.length > 9.5);                               // round the top of the wall
  for (size_t k = 1; k < closed.points.size(); ++k) CHECK(w.segment_free(closed.points[k - 1], closed.points[k], kClosed));
  CHECK_FALSE(w.segment_free(open.points.front(), open.points.back(), kClosed));

  Env env(w, task, exact());
  for (const bool gate_open : {true, false}) {
    env.reset(1, Vec2{10, 9});
    EnvState s = env.state();
    env.set_gate_open(s, 0, gate_open);
    env.set_state(s);
    OracleAgent agent(env);
    Observation obs;
    agent.reset(obs);
    CHECK(agent.path().length == doctest::Approx((gate_open ? open : closed).length).epsilon(1e-9));
    int steps = 0;
    while (!env.done()) obs = env.step(agent.act(obs)).obs, ++steps;
    CHECK(env.state().progress == 1);
    CHECK(steps >= oracle_steps((gate_open ? open : closed).length, 1.0));
    CHECK(steps <= oracle_steps((gate_open ? open : closed).length, 1.0) + 1);  // x = 15 itself is red (ties go to region 0)
  }

  // Closed after the plan went through the door: the agent sees the new state and goes round.
  env.reset(1, Vec2{10, 9});
  EnvState s = env.state();
  env.set_gate_open(s, 0, true);
  env.set_state(s);
  OracleAgent agent(env);
  Observation obs;
  agent.reset(obs);
  obs = env.step(agent.act(obs)).obs;
  s = env.state();
  env.set_gate_open(s, 0, false);
  env.set_state(s);
  const int replans = agent.replans();
  while (!env.done()) obs = env.step(agent.act(obs)).obs;
  CHECK(agent.replans() > replans);
  CHECK(env.state().progress == 1);
  CHECK(env.state().step <= oracle_steps(closed.length, 1.0) + 4);
}

TEST_CASE("oracle-sighted: the gates it has not seen are open to it; it sees one within the rays' reach and goes round") {
  const World w = gated();
  const Task task{{Color::Blue}};
  const double closed_length = plan_oracle(w.with_gates(kClosed), {3, 9}, task).length;
  const double open_length = plan_oracle(w.with_gates(kOpen), {3, 9}, task).length;
  REQUIRE(closed_length > open_length + 2);  // round the top of the wall
  // Episode steps of an agent from (3, 9), 11 units from the door: the rays reach 5.
  auto episode = [&](bool gate_open, bool sighted, int* replans, double* first_length) {
    return oracle_episode(w, task, {3, 9}, gate_open ? kOpen : kClosed, sighted, replans, first_length);
  };
  int replans = 0, sighted_replans = 0;
  double first = 0, sighted_first = 0;
  // Open: it plans through the door like the oracle, step for step.
  CHECK(episode(true, true, &sighted_replans, &sighted_first) == episode(true, false, &replans, &first));
  CHECK(sighted_first == first);
  // Closed: the oracle goes round from the start; the sighted one heads for the door, sees it shut
  // at 5 units and replans round the top, paying the walk there and back.
  const int informed = episode(false, false, &replans, &first);
  const int sighted = episode(false, true, &sighted_replans, &sighted_first);
  CHECK(first == doctest::Approx(closed_length).epsilon(1e-9));
  CHECK(sighted_first == doctest::Approx(open_length).epsilon(1e-9));
  CHECK(sighted_replans > replans);
  CHECK(sighted > informed);
  CHECK(sighted <= informed + 4);  // it turned at about 5 units from the door, not at the door
  OracleAgentParams p;
  p.gates_on_sight = true;
  Env env(w, task, exact());
  CHECK(OracleAgent(env, p).name() == "oracle-sighted");
  CHECK(OracleAgent(env).name() == "oracle");
}

TEST_CASE("the generator: map.gates doors off the rooms' spanning tree, connected with every gate closed") {
  MapParams mp;
  mp.style = MapStyle::Maze;
  mp.num_obstacles = 8;
  const World plain = generate_map(3007, mp);
  mp.num_gates = 4;
  const World gated = generate_map(3007, mp);
  CHECK(plain.gate_count() == 0);
  REQUIRE(gated.gate_count() >= 1);
  CHECK(gated.gate_count() <= 4);
  CHECK(validate_world(gated).empty());  // connected with every gate closed, among the rest
  // The gates come last: the same map otherwise, and each gate fills a door of the gate-less map.
  REQUIRE(gated.obstacles.size() == plain.obstacles.size() + gated.gate_count());
  for (size_t k = 0; k < plain.obstacles.size(); ++k) CHECK(gated.obstacles[k].min == plain.obstacles[k].min);
  CHECK(gated.fingerprint() != plain.fingerprint());
  for (int g = 0; g < gated.gate_count(); ++g) {
    const Obstacle& gate = gated.obstacles[gated.gate_obstacle(g)];
    CHECK(gate.p_closed == 0.5);
    CHECK(plain.is_free(gate.center));
  }
  CHECK(map_params_problem(mp).empty());
  mp.style = MapStyle::Open;
  CHECK(map_params_problem(mp) ==
        "map.gates 4 on an open map; expected map.style maze (gates are doors in a maze's walls) or map.gates 0");
  CHECK_THROWS_AS(generate_map(1, mp), std::invalid_argument);
}

TEST_CASE("train.z_source gates: each sequence's z is its episode's gate configuration, measured as a ceiling") {
  const World w = gated();
  const EnvParams env;
  // Exploration records each sequence's gates as the env drew them (gate open with 1 - p_closed = 0.7).
  ExplorationParams ep;
  ep.sequences = 400, ep.sequence_length = 5;
  const ExplorationData d = collect_exploration(w, env, ep, 7, false);
  REQUIRE(d.open_gates.size() == 400u);
  int open = 0;
  for (uint64_t g : d.open_gates) {
    CHECK(g <= 1u);
    open += static_cast<int>(g);
  }
  CHECK(open > 0.6 * 400);
  CHECK(open < 0.8 * 400);

  Level1TrainParams tp = test::tiny_level1(40, 60);
  tp.z_values = 2;
  tp.z_from_gates = true;
  CHECK(z_source_problem(w, tp).empty());
  // Level 2 as little as possible (not measured here; its default training is minutes under the sanitizers).
  const Level2TrainParams tp2 = test::tiny_level2(40, 3);
  Level1Report r;
  Level2Report r2;
  const ModelFile mf = train_model(w, env, tp, tp2, 1, "test", r, r2);
  // The z shares are the gates' frequencies in the training data (no hard EM moves them).
  REQUIRE(r.z_usage.size() == 2u);
  const ExplorationData train_data = collect_exploration(w, env, tp.exploration, derive_seed(1, 2), false);
  double open_share = 0;
  for (uint64_t g : train_data.open_gates) open_share += static_cast<double>(g) / train_data.sequences;
  CHECK(r.z_usage[1] == doctest::Approx(open_share));
  CHECK(r.z_reassigned == 0);
  REQUIRE(r.kstep_probe_error_true_z.size() == r.kstep_probe_error.size());
  for (double e : r.kstep_probe_error_true_z) CHECK(std::isfinite(e));
  CHECK(mf.train.z_from_gates);

  // Learned z: no true-z measure.
  tp.z_from_gates = false;
  Level1Report learned;
  train_model(w, env, tp, tp2, 1, "test", learned, r2);
  CHECK(learned.kstep_probe_error_true_z.empty());

  // Refused: too few z values for the configurations, and a map without gates.
  tp.z_from_gates = true;
  tp.z_values = 1;
  CHECK(has(z_source_problem(w, tp), "train.z_values 1 is fewer than the map's 2 gate configurations"));
  CHECK_THROWS_AS(train_model(w, env, tp, tp2, 1, "test", learned, r2), std::invalid_argument);
  tp.z_values = 2;
  const World plain = map_from_json(R"({"format": "hjepa-map/1", "size": [20, 10],
    "regions": [{"site": [5, 5], "color": "red"}, {"site": [15, 5], "color": "blue"}], "obstacles": []})", "plain.json");
  CHECK(has(z_source_problem(plain, tp), "the map has no gates"));
}

TEST_CASE("gates_shared: one draw per episode closes gates of equal p together; read, written and refused at its path") {
  // Two gated doors in the wall of kGatedMap, both p_closed 0.5, the gap at the top the way round.
  json m = json::parse(kGatedMap);
  m["obstacles"] = json::parse(R"([{"type": "box", "min": [14, 0], "max": [16, 3]},
    {"type": "box", "min": [14, 3], "max": [16, 5], "p_closed": 0.5}, {"type": "box", "min": [14, 5], "max": [16, 8]},
    {"type": "box", "min": [14, 8], "max": [16, 10], "p_closed": 0.5}, {"type": "box", "min": [14, 10], "max": [16, 17]}])");
  const World apart = map_from_json(m.dump(), "apart.json");
  m["gates_shared"] = true;
  const World together = map_from_json(m.dump(), "together.json");
  REQUIRE(together.gate_count() == 2);
  CHECK(together.gates_shared);
  CHECK_FALSE(apart.gates_shared);
  CHECK(together.fingerprint() != apart.fingerprint());
  const std::string text = map_to_json(together);
  CHECK(has(text, R"("gates_shared": true)"));
  CHECK(map_from_json(text, "back.json").fingerprint() == together.fingerprint());
  CHECK(map_to_json(map_from_json(text, "back.json")) == text);
  CHECK_FALSE(has(map_to_json(apart), "gates_shared"));  // left out when false: files as before
  CHECK_FALSE(together.with_gates(kClosed).gates_shared);

  Env shared_env(together, Task{{Color::Blue}}), apart_env(apart, Task{{Color::Blue}});
  std::array<int, 4> shared_count{}, apart_count{};
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    EnvState a, b;
    shared_env.start_state(a, seed);
    apart_env.start_state(b, seed);
    ++shared_count[a.open_gates];
    ++apart_count[b.open_gates];
  }
  CHECK(shared_count[1] == 0);  // never one open and one closed
  CHECK(shared_count[2] == 0);
  CHECK(shared_count[0] / 2000.0 == doctest::Approx(0.5).epsilon(0.1));
  for (int k = 0; k < 4; ++k) CHECK(apart_count[k] / 2000.0 == doctest::Approx(0.25).epsilon(0.2));

  json not_bool = m;
  not_bool["gates_shared"] = "yes";
  CHECK(refusal_of(not_bool) == "g.json: $.gates_shared: \"yes\" is not a boolean; expected true or false");
  json no_gates = json::parse(kGatedMap);
  no_gates["obstacles"][1].erase("p_closed");
  no_gates["gates_shared"] = true;
  CHECK(refusal_of(no_gates) ==
        "g.json: $.gates_shared: true on a map without gates; expected gates (obstacles with p_closed) to draw "
        "together, or leave gates_shared out");
}

TEST_CASE("oracle-sighted on gates drawn together: a gate seen closed closes every gate at least as likely closed") {
  // kGatedMap's wall with two gated doors, at the bottom (y 1..3) and in the middle (8..10), and the
  // gap at the top the way round; both closed. From (3, 9) the sighted oracle heads for the middle door
  // and sees it shut about 5 units before it; the bottom door is then the shorter way, if open.
  json m = json::parse(kGatedMap);
  m["obstacles"] = json::parse(R"([{"type": "box", "min": [14, 0], "max": [16, 1]},
    {"type": "box", "min": [14, 1], "max": [16, 3], "p_closed": 0.5}, {"type": "box", "min": [14, 3], "max": [16, 8]},
    {"type": "box", "min": [14, 8], "max": [16, 10], "p_closed": 0.5}, {"type": "box", "min": [14, 10], "max": [16, 17]}])");
  auto steps = [](const World& w, bool sighted) { return oracle_episode(w, Task{{Color::Blue}}, {3, 9}, kClosed, sighted); };
  const World apart = map_from_json(m.dump(), "apart.json");
  m["gates_shared"] = true;
  const World together = map_from_json(m.dump(), "together.json");
  const int informed = steps(together, false), inferred = steps(together, true), blind = steps(apart, true);
  CAPTURE(informed);
  CAPTURE(inferred);
  CAPTURE(blind);
  CHECK(steps(apart, false) == informed);
  // Apart, the bottom door is unknown after the middle one: it tries that one too before going round.
  CHECK(blind > inferred + 8);  // (30 against 17 steps when written)
  CHECK(inferred > informed);  // it still walked to see the first door
  // The bottom door less likely closed (0.3 < 0.5): the middle one shut says nothing of it.
  m["obstacles"][1]["p_closed"] = 0.3;
  m.erase("gates_shared");
  const World apart_unequal = map_from_json(m.dump(), "apart2.json");
  m["gates_shared"] = true;
  CHECK(steps(map_from_json(m.dump(), "together2.json"), true) == steps(apart_unequal, true));
}
