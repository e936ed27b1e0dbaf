#!/usr/bin/env bash
# Regenerates every results table of README.md and docs/BENCHMARK.md from the real binary: each
# table stands between <!-- results:NAME --> and <!-- /results:NAME --> and is replaced whole, with
# a line that says when, with which model format and commit, and on what machine it was measured.
# Usage: docs/make_results.sh [NAME ...]   (default: every table below; build/app/hjepa must exist)
#   HJEPA=path/to/hjepa   THREADS=2   OUT=results/   (raw CSV and suite files of each run)
# Not part of CI: the whole set takes about an hour on a 2-core machine (models are cached, so a
# second run takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
HJEPA=${HJEPA:-./build/app/hjepa}
THREADS=${THREADS:-2}
OUT=${OUT:-results}
mkdir -p "$OUT"

# name | suite | agents (in table order) | extra bench arguments
RUNS=(
  "hard|hard|random,flat,hjepa,oracle"
  "heldout|heldout|random,flat,hjepa,oracle"
  "noise|noise|flat,hjepa,hjepa-p2-raw,oracle"
  "noise-fitted|noise|flat,hjepa|--set agent.belief.mode=fitted"
  "noise-fixed|noise|flat,hjepa|--set agent.belief.mode=fixed"
  "maze|maze|random,flat,hjepa,oracle"
  "gates|gates|random,flat,hjepa,oracle,oracle-sighted"
  "big80|big80|flat,hjepa,oracle"
  "big160|big160|flat,hjepa,oracle"
  "ablations|ablations|flat,hjepa,hjepa-no-p2,hjepa-distance,hjepa-no-watch,hjepa-euclid,oracle"
)

. docs/results_lib.sh  # format, commit, machine, splice

wanted=("$@")
for run in "${RUNS[@]}"; do
  IFS='|' read -r name suite agents extra <<< "$run"
  read -r -a extra_args <<< "${extra:-}"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $name " ]]; then continue; fi
  echo "== $name: hjepa bench --suite $suite --agents $agents ${extra:-}" >&2
  start=$(date +%s)
  "$HJEPA" bench --suite "$suite" --agents "$agents" --threads "$THREADS" "${extra_args[@]}" --markdown --out "$OUT/$name.csv" > "$OUT/$name.md"
  seconds=$(( $(date +%s) - start ))
  body=$(mktemp)
  {
    echo
    echo "Measured $(date -u +%Y-%m-%d) with model format $format at commit $commit on a $machine:"
    echo "\`hjepa bench --suite $suite --agents $agents --threads $THREADS${extra:+ $extra} --markdown\` ($(( seconds / 60 )) min $(( seconds % 60 )) s, training included unless the models were cached)."
    echo
    grep '^|' "$OUT/$name.md"
    echo
  } > "$body"
  splice README.md "$name" "$body"
  splice docs/BENCHMARK.md "$name" "$body"
  rm -f "$body"
done
