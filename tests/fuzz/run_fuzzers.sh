#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for SECONDS with a seed corpus:
# the map files in assets/maps and tests/fuzz/corpus/map (gates), the suites in assets/suites, the configs in tests/fuzz/corpus/config,
# a small saved model, and every regression input already in tests/data/fuzz/. New crashes are
# written to BUILD/fuzz-work/crashes/<target>/; copy each one to tests/data/fuzz/<reader>/ (the
# doctest suites replay those files) and fix the bug.
# Usage: tests/fuzz/run_fuzzers.sh [SECONDS per target, default 60] [BUILD dir, default build-fuzz]
# Needs: apt-get install -y clang libclang-rt-14-dev (plus the README's packages).
set -euo pipefail
seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m "${2:-$src/build-fuzz}")
targets=(fuzz_map_io fuzz_config fuzz_suite fuzz_model_file)

CXX=clang++ cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DHJEPA_FUZZ=ON -DHJEPA_SANITIZE=address,undefined \
  -DHJEPA_BUILD_APP=OFF -DHJEPA_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}" make_model_seed

work=$build/fuzz-work
rm -rf "$work/seeds"
mkdir -p "$work/seeds"/{fuzz_map_io,fuzz_config,fuzz_suite,fuzz_model_file}
cp "$src"/assets/maps/*.json "$src"/tests/fuzz/corpus/map/*.json "$work/seeds/fuzz_map_io/"
cp "$src"/assets/suites/*.json "$work/seeds/fuzz_suite/"
cp "$src"/tests/fuzz/corpus/config/* "$work/seeds/fuzz_config/"
"$build/tests/fuzz/make_model_seed" "$work/seeds/fuzz_model_file/small.hjepa"
for pair in fuzz_map_io:map fuzz_config:config fuzz_suite:suite fuzz_model_file:model; do
  target=${pair%%:*} reader=${pair#*:}
  if [ -d "$src/tests/data/fuzz/$reader" ]; then cp "$src/tests/data/fuzz/$reader"/* "$work/seeds/$target/" 2>/dev/null || true; fi
done

export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in "${targets[@]}"; do
  mkdir -p "$work/corpus/$target" "$work/crashes/$target"
  echo "== $target: ${seconds}s" >&2
  start=$(date +%s)
  # -fork=1 keeps fuzzing after a crash (each crash saved), so one run finds more than the first.
  if ! "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
      -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -artifact_prefix="$work/crashes/$target/" "$work/corpus/$target" "$work/seeds/$target" \
      >"$work/$target.log" 2>&1; then
    status=1
  fi
  found=$(find "$work/crashes/$target" -type f | wc -l)
  echo "$target: $(( $(date +%s) - start ))s, corpus $(ls "$work/corpus/$target" | wc -l) inputs, $found crash/timeout/oom inputs in $work/crashes/$target" >&2
  [ "$found" -eq 0 ] || status=1
done
exit $status
