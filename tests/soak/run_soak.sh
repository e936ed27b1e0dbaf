#!/usr/bin/env bash
# The full soak: builds hjepa_soak with AddressSanitizer + UndefinedBehaviorSanitizer (the README's
# sanitizer build directory) and runs STEPS agent steps (default 100000) across map regenerations
# with every agent, leak checking on. Prints the soak's JSON figures and the wall time; exit status
# non-zero on any sanitizer report or broken invariant.
# Usage: tests/soak/run_soak.sh [STEPS, default 100000] [BUILD dir, default build-asan]
set -euo pipefail
steps=${1:-100000}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m "${2:-$src/build-asan}")
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DHJEPA_SANITIZE=address,undefined >/dev/null
cmake --build "$build" -j2 --target hjepa_soak
export ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
start=$(date +%s)
"$build/tests/soak/hjepa_soak" --steps "$steps" --steps-per-map 2000
echo "soak: $steps steps under ASan + UBSan + LSan in $(( $(date +%s) - start )) s wall, no sanitizer report" >&2
