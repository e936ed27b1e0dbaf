// The user error of the app's commands and of the readers they share with the desktop app (suites,
// the agent table, the model cache): no CLI11 here, so only app/cli_*.cpp and app/main.cpp see it.
#pragma once
#include <stdexcept>

namespace hjepa {

// A user error (file, flag, value): printed as "hjepa <command>: <message>", exit status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace hjepa
