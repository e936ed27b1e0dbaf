// The benchmark's suite reader (app/bench/suite) directly: inputs found by fuzzing are read or
// refused with a message naming the file and what was expected, never a crash; every shipped suite
// reads back from the effective suite hjepa bench writes beside its results (suite_to_json).
#include <doctest/doctest.h>

#include <optional>

#include "app/bench/suite.hpp"
#include "app/cli_common.hpp"
#include "fuzz_regressions.hpp"

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

TEST_CASE("a number too large for a double is refused as invalid JSON (it used to escape as an exception)") {
  try {
    suite_from_json(R"({"format": "hjepa-suite/1", "seed": 1e999})", "big.json");
    FAIL("accepted");
  } catch (const UsageError& e) {
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(message.rfind("big.json: $: not valid JSON (", 0) == 0);
    CHECK(message.find("number overflow") != std::string::npos);
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
