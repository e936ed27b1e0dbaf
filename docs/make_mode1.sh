#!/usr/bin/env bash
# Regenerates README.md's Mode-1 table (<!-- results:mode1 --> ... <!-- /results:mode1 -->) from the
# real binary: the hjepa agent on the `heldout` and `hard` suites with each low-level mode
# (agent.low.mode planner, policy, policy+planner) and, for comparison with policy+planner, the
# planner alone with the same reduced iteration count (agent.planner.iterations = the default
# agent.low.seeded_iterations). One row per (suite, mode) over all the suite's episodes.
# Usage: docs/make_mode1.sh   (build/app/hjepa must exist)   HJEPA=path/to/hjepa THREADS=2 OUT=results/
# Not part of CI: about 15 minutes on a 2-core machine when the models have to be trained (2 with
# the models cached). Needs python3 (the standard library) to read the CSV files.
set -euo pipefail
cd "$(dirname "$0")/.."
HJEPA=${HJEPA:-./build/app/hjepa}
THREADS=${THREADS:-2}
OUT=${OUT:-results}
mkdir -p "$OUT"

seeded=$("$HJEPA" bench --help-config | awk '$1 == "agent.low.seeded_iterations" && !found { print $3; found = 1 }')
[ -n "$seeded" ] || { echo "make_mode1.sh: cannot read agent.low.seeded_iterations' default from --help-config" >&2; exit 1; }
# label | --set settings (space-separated)
MODES=(
  "planner|agent.low.mode=planner"
  "policy|agent.low.mode=policy"
  "policy+planner|agent.low.mode=policy+planner"
  "planner, $seeded iterations|agent.low.mode=planner agent.planner.iterations=$seeded"
)

. docs/results_lib.sh  # format, commit, machine, splice

# One table row from a bench CSV (the task column holds commas inside quotes: read as CSV).
summarise() {
  python3 - "$@" <<'PY'
import csv, statistics, sys
suite, label, path = sys.argv[1:4]
rows = list(csv.DictReader(open(path, newline="")))
ok = [r for r in rows if r["success"] in ("1", "true")]
within = [r for r in ok if int(r["steps"]) <= 2 * int(r["oracle_steps"])]
ratio = statistics.median(int(r["steps"]) / int(r["oracle_steps"]) for r in ok) if ok else float("nan")
ms = statistics.median(float(r["ms_per_step"]) for r in rows)
calls = sum(int(r["predictor_calls"]) for r in rows) / len(rows)
n = len(rows)
print(f"| {suite} | {label} | {n} | {100 * len(ok) / n:.1f}% | {100 * len(within) / n:.1f}% | {ratio:.3f} | {ms:.4f} | {calls:.0f} |")
PY
}

rows=$(mktemp)
start=$(date +%s)
for suite in heldout hard; do
  for entry in "${MODES[@]}"; do
    IFS='|' read -r label settings <<< "$entry"
    csv="$OUT/mode1_${suite}_$(echo "$label" | tr -c 'a-z0-9+\n' '_').csv"
    set_args=()
    for setting in $settings; do set_args+=(--set "$setting"); done
    echo "== mode1: hjepa bench --suite $suite --agents hjepa ${set_args[*]}" >&2
    "$HJEPA" bench --suite "$suite" --agents hjepa --threads "$THREADS" "${set_args[@]}" --out "$csv" > /dev/null
    summarise "$suite" "$label" "$csv" >> "$rows"
  done
done
seconds=$(( $(date +%s) - start ))
body=$(mktemp)
{
  echo
  echo "Measured $(date -u +%Y-%m-%d) with model format $format at commit $commit on a $machine:"
  echo "\`docs/make_mode1.sh\` ($(( seconds / 60 )) min $(( seconds % 60 )) s, training included unless the models were cached): \`hjepa bench --suite S --agents hjepa --threads $THREADS --set ...\` per row; ms/step is the median over the episodes of each one's mean (agent decision + env step, wall time, $THREADS threads), P1 calls the mean per episode."
  echo
  echo "| suite | low level | episodes | success | ≤2× oracle | steps/oracle median | ms/step median | P1 calls/episode |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|"
  cat "$rows"
  echo
} > "$body"
splice README.md mode1 "$body"
rm -f "$rows" "$body"
