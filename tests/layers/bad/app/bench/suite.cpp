// Fixture for the layers test: the benchmark using CLI11 (forbidden: only the commands may).
#include <CLI/CLI.hpp>
