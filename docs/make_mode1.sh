#!/usr/bin/env bash
# Regenerates README.md's Mode-1 table (<!-- results:mode1 --> ... <!-- /results:mode1 -->) from the
# real binary: the hjepa agent on the `heldout` and `hard` suites with each low-level mode
# (agent.low.mode planner, policy, policy+planner) and, for comparison with policy+planner, the
# planner alone with the same reduced iteration count (agent.planner.iterations = the default
# agent.low.seeded_iterations). One row per (suite, mode) over all the suite's episodes.
# Usage: docs/make_mode1.sh   (build/app/hjepa must exist)   HJEPA=path/to/hjepa THREADS=2 OUT=results/
# Not part of CI: about 15 minutes on a 2-core machine when the models have to be trained.
set -euo pipefail
cd "$(dirname "$0")/.."
HJEPA=${HJEPA:-./build/app/hjepa}
THREADS=${THREADS:-2}
OUT=${OUT:-results}
mkdir -p "$OUT"

seeded=$("$HJEPA" bench --help-config | awk '$1 == "agent.low.seeded_iterations" { print $3; exit }')
[ -n "$seeded" ] || { echo "make_mode1.sh: cannot read agent.low.seeded_iterations' default from --help-config" >&2; exit 1; }
# label | --set arguments
MODES=(
  "planner|agent.low.mode=planner"
  "policy|agent.low.mode=policy"
  "policy+planner|agent.low.mode=policy+planner"
  "planner, $seeded iterations|agent.planner.iterations=$seeded"
)

format=$(grep -o 'kModelFormatVersion = [0-9]*' agent/jepa/model_file.hpp | grep -o '[0-9]*$')
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- agent sim app || echo "+changes")
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
machine="$(nproc)-core ${cpu}, $(. /etc/os-release && echo "$PRETTY_NAME"), $(g++ --version | head -1 | sed 's/ (.*)//')"

# The median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rows=$(mktemp)
start=$(date +%s)
for suite in heldout hard; do
  for entry in "${MODES[@]}"; do
    IFS='|' read -r label setting <<< "$entry"
    csv="$OUT/mode1_${suite}_$(echo "$label" | tr -c 'a-z0-9+\n' '_').csv"
    echo "== mode1: hjepa bench --suite $suite --agents hjepa --set $setting" >&2
    "$HJEPA" bench --suite "$suite" --agents hjepa --threads "$THREADS" --set "$setting" --out "$csv" > /dev/null
    # Columns by name from the header.
    col() { head -1 "$csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
    s=$(col success) st=$(col steps) o=$(col oracle_steps) c=$(col predictor_calls) m=$(col ms_per_step)
    read -r n ok within calls < <(awk -F, -v s="$s" -v st="$st" -v o="$o" -v c="$c" 'NR > 1 {
        n++; if ($s == "true" || $s == "1") { ok++; if ($st <= 2 * $o) within++ } calls += $c }
        END { printf "%d %d %d %.0f\n", n, ok, within, calls / n }' "$csv")
    ratio=$(awk -F, -v s="$s" -v st="$st" -v o="$o" 'NR > 1 && ($s == "true" || $s == "1") { print $st / $o }' "$csv" | median)
    ms=$(awk -F, -v m="$m" 'NR > 1 { print $m }' "$csv" | median)
    awk -v suite="$suite" -v label="$label" -v n="$n" -v ok="$ok" -v within="$within" -v ratio="$ratio" -v ms="$ms" -v calls="$calls" \
      'BEGIN { printf "| %s | %s | %d | %.1f%% | %.1f%% | %.3f | %.4f | %s |\n", suite, label, n, 100 * ok / n, 100 * within / n, ratio, ms, calls }' >> "$rows"
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
awk -v body="$body" '
  $0 == "<!-- results:mode1 -->" { print; while ((getline line < body) > 0) print line; skip = 1; next }
  $0 == "<!-- /results:mode1 -->" { skip = 0 }
  !skip { print }' README.md > README.md.tmp && mv README.md.tmp README.md
rm -f "$rows" "$body"
