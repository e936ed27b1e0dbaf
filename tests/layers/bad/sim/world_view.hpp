// Fixture for the layers test: sim/ drawing itself with SFML and reading an agent (both forbidden).
#pragma once
#include <SFML/Graphics.hpp>
#include "agent/agent.hpp"
