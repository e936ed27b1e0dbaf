// Fixture for the layers test: a command using CLI11 (allowed; must not be reported).
#include <CLI/CLI.hpp>
