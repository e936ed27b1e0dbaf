// Fixture for the layers test: the desktop app reaching CLI11 through a command header (forbidden).
#include "app/cli_common.hpp"
