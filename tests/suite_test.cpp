// The benchmark's suite reader (app/bench/suite) directly: inputs found by fuzzing are read or
// refused with a message naming the file and what was expected, never a crash; every shipped suite
// reads back from the effective suite hjepa bench writes beside its results (suite_to_json).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "app/bench/plan.hpp"
#include "app/bench/results.hpp"
#include "app/bench/summary.hpp"
#include "app/bench/suite.hpp"
#include "app/usage_error.hpp"
#include "fuzz_regressions.hpp"
#include "sim/env.hpp"
#include "sim/oracle.hpp"
#include "workload.hpp"

using namespace hjepa;

TEST_CASE("inputs found by fuzzing are read or refused with a message, never a crash") {
  const auto inputs = test::fuzz_regressions("suite");
  CHECK(inputs.size() >= 2);
  for (const auto& [name, text] : inputs) {
    CAPTURE(name);
    std::optional<Suite> read;
    try {
      read = suite_from_json(text, "/tmp/fuzz/" + name);
    } catch (const UsageError& e) {
      const std::string message = e.what();
      CAPTURE(message);
      CHECK(message.rfind("/tmp/fuzz/" + name + ": ", 0) == 0);
      CHECK(message.find("; expected ") != std::string::npos);
    }
    if (read) {  // what hjepa bench writes beside its results reads back (no exception allowed here)
      const Suite again = suite_from_json(suite_to_json(*read), read->path);
      CHECK(suite_to_json(again) == suite_to_json(*read));
    }
  }
}

TEST_CASE("a number too large for a double is refused at its path (it used to escape as an exception)") {
  try {
    suite_from_json(R"({"format": "hjepa-suite/1", "seed": 1e999})", "big.json");
    FAIL("accepted");
  } catch (const UsageError& e) {
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(message == "big.json: $.seed: 1e999 is not finite; expected a finite number");
  }
}

TEST_CASE("every shipped suite reads back from its effective suite (one with tasks only in its map files too)") {
  const std::vector<std::string> names = suite_names();
  CHECK(std::find(names.begin(), names.end(), "hard") != names.end());
  for (const std::string& name : names) {
    CAPTURE(name);
    const Suite s = load_suite(name);
    const std::string written = suite_to_json(s, R"({"threads": 2})");
    const Suite again = suite_from_json(written, s.path);
    CHECK(suite_to_json(again) == suite_to_json(s));
    CHECK(again.maps.size() == s.maps.size());
    CHECK(again.tasks.size() == s.tasks.size());
  }
}

namespace {

// The message of the UsageError reading `text` throws ("" when it is read).
std::string refusal(const std::string& text, const std::string& source) {
  try {
    suite_from_json(text, source);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("map_params.style: read, written back only when not open, and a bad value refused") {
  const std::string head = R"({"format": "hjepa-suite/1", "maps": {"seeds": [2001]}, "tasks": [{"length": 2, "per_map": 1}], )";
  const Suite maze = suite_from_json(head + R"("map_params": {"style": "maze", "width": 80, "height": 60}})", "maze.json");
  CHECK(maze.map_params.style == MapStyle::Maze);
  CHECK(maze.map_params.width == 80);
  CHECK(suite_to_json(maze).find(R"("style": "maze")") != std::string::npos);
  CHECK(suite_from_json(suite_to_json(maze), "again.json").map_params.style == MapStyle::Maze);

  const Suite open = suite_from_json(head + R"("map_params": {"style": "open"}})", "open.json");
  CHECK(open.map_params.style == MapStyle::Open);
  CHECK(suite_to_json(open).find("style") == std::string::npos);  // as every suite was written before the key
  CHECK(suite_from_json(head + R"("seed": 1})", "plain.json").map_params.style == MapStyle::Open);

  CHECK(refusal(head + R"("map_params": {"style": "labyrinth"}})", "bad.json") ==
        R"(bad.json: $.map_params.style: "labyrinth" is not a map style; expected one of open, maze)");
  CHECK(refusal(head + R"("map_params": {"style": 2}})", "num.json") ==
        "num.json: $.map_params.style: 2 is not a string; expected one of open, maze");
  CHECK(refusal(head + R"("map_params": {"styles": "maze"}})", "key.json").rfind("key.json: $.map_params.styles: unknown key", 0) == 0);
}

TEST_CASE("tasks entries with seeded_only skip map files; a file left without tasks is refused") {
  const std::string maps = R"("maps": {"seeds": [2001], "files": [{"file": "../maps/detour.json", "tasks": ["red,blue"]}]}, )";
  const Suite s = load_suite("ablations");
  CHECK(std::any_of(s.tasks.begin(), s.tasks.end(), [](const SuiteTasks& t) { return t.seeded_only; }));
  const Suite read = suite_from_json(R"({"format": "hjepa-suite/1", )" + maps +
                                         R"("tasks": [{"length": 2, "per_map": 1, "seeded_only": true}, {"colors": "red"}]})",
                                     std::string(HJEPA_ASSETS_DIR) + "/suites/x.json");
  REQUIRE(read.tasks.size() == 2);
  CHECK(read.tasks[0].seeded_only);
  CHECK_FALSE(read.tasks[1].seeded_only);
  CHECK(suite_to_json(suite_from_json(suite_to_json(read), read.path)) == suite_to_json(read));

  const std::string bare = R"("maps": {"seeds": [2001], "files": ["../maps/detour.json"]}, )";
  CHECK(refusal(R"({"format": "hjepa-suite/1", )" + bare + R"("tasks": [{"length": 2, "per_map": 1, "seeded_only": true}]})",
                std::string(HJEPA_ASSETS_DIR) + "/suites/y.json")
            .find("$.tasks: every entry is seeded_only and map file detour.json lists no tasks; expected") != std::string::npos);
  CHECK(refusal(R"({"format": "hjepa-suite/1", )" + maps + R"("tasks": [{"length": 2, "per_map": 1, "seeded_only": 1}]})", "z.json") ==
        "z.json: $.tasks[0].seeded_only: 1 is not a boolean; expected true or false");
}

TEST_CASE("map_params.gates: read, written back only when not 0, refused on an open map") {
  const std::string head = R"({"format": "hjepa-suite/1", "maps": {"seeds": [2001]}, "tasks": [{"length": 2, "per_map": 1}], )";
  const Suite gated = suite_from_json(head + R"("map_params": {"style": "maze", "gates": 2}})", "gated.json");
  CHECK(gated.map_params.num_gates == 2);
  CHECK(suite_to_json(gated).find(R"("gates": 2)") != std::string::npos);
  CHECK(suite_from_json(suite_to_json(gated), "again.json").map_params.num_gates == 2);
  const Suite maze = suite_from_json(head + R"("map_params": {"style": "maze"}})", "maze.json");
  CHECK(suite_to_json(maze).find("gates") == std::string::npos);  // as every suite was written before the key
  CHECK(refusal(head + R"("map_params": {"gates": 1}})", "open.json") ==
        R"(open.json: $.map_params.gates: 1 gates on an open map; expected "style": "maze" (gates are doors in a maze's walls) or no gates)");
  CHECK(refusal(head + R"("map_params": {"style": "maze", "gates": 17}})", "many.json") ==
        "many.json: $.map_params.gates: 17 is out of range; expected an integer in [0, 16]");
}

// For each case of `suite`: does the oracle's route length differ (by a tenth of a unit or more)
// between every gate open and every gate closed? From the case's start, as `hjepa bench` draws it.
std::vector<bool> gate_dependence(const Suite& suite) {
  const BenchPlan plan = expand_suite(suite, {"oracle"}, suite.seed);
  std::vector<bool> out;
  for (const BenchCase& c : plan.cases) {
    const World& world = plan.maps[c.map].world;
    Env env(world, c.task);
    for (uint64_t attempt = 0; attempt < 10000; ++attempt) {
      env.reset(derive_seed(c.seed, attempt));
      if (env.state().progress < c.task.size()) break;
    }
    const Vec2 start = env.state().position;
    const OraclePath open = plan_oracle(world.with_gates(~OpenGates{0}), start, c.task);
    const OraclePath closed = plan_oracle(world.with_gates(0), start, c.task);
    REQUIRE(open.found);
    REQUIRE(closed.found);
    out.push_back(closed.length - open.length >= 0.1);
  }
  return out;
}

TEST_CASE("the gates suite: the oracle's best route depends on a gate for most tasks") {
  Suite suite = load_suite("gates");
  CHECK(suite.maps.size() >= 20);
  if (test::small_workload()) suite.maps.resize(4);
  const std::vector<bool> dep = gate_dependence(suite);
  const auto depends = std::count(dep.begin(), dep.end(), true);
  MESSAGE("gates suite: " << depends << " of " << dep.size() << " tasks depend on a gate");
  CHECK(depends * 2 > static_cast<long>(dep.size()));  // most (the whole suite: 55 of 72)
}

TEST_CASE("a row keeps its start exactly, so `hjepa run --start X,Y --seed S` replays its episode") {
  EpisodeRow row;
  row.start_x = 1.0 / 3.0, row.start_y = 17.487243191847263;
  row.oracle_length = 2.0 / 3.0;
  round_for_output(row);
  const std::vector<EpisodeRow> back = rows_from_csv(rows_to_csv({row}), "rows.csv");
  REQUIRE(back.size() == 1);
  CHECK(back[0].start_x == 1.0 / 3.0);  // bit for bit (it was rounded to 1e-6, and replayed another episode)
  CHECK(back[0].start_y == 17.487243191847263);
  CHECK(back[0].oracle_length == 0.666667);  // lengths are only read, rounded to 1e-6
}

TEST_CASE("train.z_values and train.z_source: written when not the default, read back, a bad source refused") {
  const std::string head = R"({"format": "hjepa-suite/1", "maps": {"seeds": [3007]}, "map_params": {"style": "maze", "gates": 2},
    "tasks": [{"length": 1, "per_map": 1}], "train": )";
  const Suite s = suite_from_json(head + R"({"z_values": 4, "z_source": "gates"}})", "z.json");
  CHECK(s.train.z_values == 4);
  CHECK(s.train.z_from_gates);
  const Suite again = suite_from_json(suite_to_json(s), "z.json");
  CHECK(again.train.z_values == 4);
  CHECK(again.train.z_from_gates);
  const Suite plain = suite_from_json(head + "{}}", "plain.json");
  CHECK(suite_to_json(plain).find("z_") == std::string::npos);  // defaults are left out: older suites hash as before
  CHECK_THROWS_WITH(suite_from_json(head + R"({"z_source": "oracle"}})", "bad.json"),
                    doctest::Contains("$.train.z_source: \"oracle\"; expected one of \"learned\", \"gates\""));
}

TEST_CASE("the median's bootstrap interval: resamples whole clusters, brackets the median, is reproducible") {
  using Clusters = std::vector<std::vector<double>>;
  // Fewer than two clusters (or no values) give no interval.
  CHECK(std::isnan(bootstrap_median_interval(Clusters{{1.0, 1.2, 1.4}}, 500, 1).first));
  CHECK(std::isnan(bootstrap_median_interval(Clusters{{}, {}}, 500, 1).second));
  // Identical clusters: every resample has the same median.
  const auto same = bootstrap_median_interval(Clusters{{1.0, 1.5}, {1.0, 1.5}, {1.0, 1.5}}, 500, 1);
  CHECK(same.first == doctest::Approx(1.25));
  CHECK(same.second == doctest::Approx(1.25));
  // Spread-out clusters: the interval brackets the pooled median and stays within the values, and a
  // second set twice as spread gives a wider interval; the same seed gives the same interval.
  const Clusters tight = {{1.0, 1.1}, {1.1, 1.2}, {1.2, 1.3}, {1.3, 1.4}, {1.4, 1.5}, {1.5, 1.6}};
  Clusters wide = tight;
  for (auto& c : wide)
    for (double& v : c) v = 1 + 2 * (v - 1);
  const auto t = bootstrap_median_interval(tight, 2000, 7), w = bootstrap_median_interval(wide, 2000, 7);
  CHECK(t.first < 1.3);
  CHECK(t.second > 1.3);
  CHECK(t.first >= 1.0);
  CHECK(t.second <= 1.6);
  CHECK(w.second - w.first > 1.5 * (t.second - t.first));
  CHECK(bootstrap_median_interval(tight, 2000, 7) == t);
  // Whole clusters are resampled: one cluster of many equal values cannot be split, so the interval
  // of {20 x 1.0} against {1 x 2.0} reaches both ends (a resample may hold only one of them).
  const auto lumpy = bootstrap_median_interval(Clusters{std::vector<double>(20, 1.0), {2.0}}, 2000, 3);
  CHECK(lumpy.first == 1.0);
  CHECK(lumpy.second == 2.0);
}
