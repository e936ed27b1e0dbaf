#!/usr/bin/env bash
# Writes the scaling table of docs/BENCHMARK.md (between <!-- results:scaling --> and
# <!-- /results:scaling -->): env steps, oracle plans, training and level-2 replanning on one
# generated open map at each of the suites' sizes (40x30, 80x60 as big80, 160x120 as big160), with
# the work each cost follows (area, the oracle's free cells, places), from the real binary.
# Usage: docs/make_scaling.sh   (build/app/hjepa must exist: a Release build; needs jq)
#   HJEPA=path/to/hjepa   RUNS=3 (runs of each perf measure; the table keeps the median)
#   OUT=results/scaling (the raw JSON of every run)
# Not part of CI: about a minute on a 2-core machine, most of it training the three models (in a
# temporary HJEPA_CACHE_DIR; the model files are deleted at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
HJEPA=${HJEPA:-./build/app/hjepa}
RUNS=${RUNS:-3}
OUT=${OUT:-results/scaling}
command -v jq > /dev/null || { echo "make_scaling.sh: needs jq (apt-get install -y jq)" >&2; exit 2; }
[ -x "$HJEPA" ] || { echo "make_scaling.sh: no hjepa binary at $HJEPA; expected a Release build (or set HJEPA)" >&2; exit 2; }
grep -q '^<!-- results:scaling -->$' docs/BENCHMARK.md ||
  { echo "make_scaling.sh: docs/BENCHMARK.md has no <!-- results:scaling --> block to fill" >&2; exit 2; }
mkdir -p "$OUT"
work=$(mktemp -d /tmp/hjepa-scaling.XXXXXX)
trap 'rm -rf "$work"' EXIT
export HJEPA_CACHE_DIR="$work/cache"

# label | map seed | width | height | regions | obstacles  (the first seed of standard, big80, big160)
SIZES=(
  "40x30|1001|40|30|10|20"
  "80x60|3001|80|60|12|40"
  "160x120|3101|160|120|16|60"
)

. docs/results_lib.sh  # format, commit, machine, splice
load() { sed 's/ .*//' /proc/loadavg; }  # the 1-minute load average
load_start=$(uptime | sed 's/.*load average: //')
niceness=$(ps -o ni= -p $$ | tr -d ' ')  # run under nice, the figures are those of a lower priority

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.10g\n", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# KEY's median over the JSON lines of FILE.
field() { jq -r ".$2" "$1" | median; }
# "12.3 (×4.1)": a figure and its ratio to the first map's.
with_ratio() { awk -v v="$1" -v base="$2" -v fmt="$3" 'BEGIN { printf fmt " (×%.1f)", v, v / base }'; }
# Thousands separated by thin spaces: 1234567 -> 1 234 567.
grouped() { printf "%.0f" "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\| \)/\1 \2\3/' -e 'ta'; }

rows="$work/rows"
: > "$rows"
declare -A base
first=1
for size in "${SIZES[@]}"; do
  IFS='|' read -r label seed width height regions obstacles <<< "$size"
  map=(--map-seed "$seed" --width "$width" --height "$height" --regions "$regions" --obstacles "$obstacles")
  raw="$OUT/$label"
  : > "$raw.env.json"; : > "$raw.oracle.json"; : > "$raw.agent.json"
  echo "== $label (map seed $seed): perf env, perf oracle x $RUNS (load $(load))" >&2
  for ((r = 0; r < RUNS; ++r)); do
    "$HJEPA" perf env "${map[@]}" --rounds 5 --steps 200000 --json >> "$raw.env.json"
    "$HJEPA" perf oracle "${map[@]}" --plans 20 --json >> "$raw.oracle.json"
  done
  echo "== $label: hjepa train (load $(load))" >&2
  "$HJEPA" train "${map[@]}" --out "$work/$label.hjepa" --json 2> "$raw.train.log" > "$raw.train.json"
  echo "== $label: perf agent x $RUNS (load $(load))" >&2
  for ((r = 0; r < RUNS; ++r)); do
    "$HJEPA" perf agent "${map[@]}" --model "$work/$label.hjepa" --episodes 5 --json >> "$raw.agent.json"
  done
  rm -f "$work/$label.hjepa"

  area=$(( width * height ))
  free=$(jq -r .free_cells "$raw.oracle.json" | head -1)
  env=$(field "$raw.env.json" steps_per_second)
  oracle=$(field "$raw.oracle.json" ms_per_plan); oracle_max=$(field "$raw.oracle.json" max_ms)
  t1=$(jq -r .level1_seconds "$raw.train.json"); t2=$(jq -r .level2.seconds "$raw.train.json")
  places=$(jq -r .level2.places "$raw.train.json"); parameters=$(jq -r .parameters "$raw.train.json")
  high=$(field "$raw.agent.json" high_level_ms_median); high_max=$(field "$raw.agent.json" high_level_ms_max)
  step=$(field "$raw.agent.json" ms_per_step); plans=$(field "$raw.agent.json" high_level_plans)
  if [ $first = 1 ]; then
    base=([area]=$area [free]=$free [places]=$places [env]=$env [oracle]=$oracle [t1]=$t1 [t2]=$t2 [high]=$high [step]=$step)
    first=0
  fi
  echo "| $label (seed $seed) | $(with_ratio "$area" "${base[area]}" "%d") | $(jq -r .regions "$raw.env.json" | head -1) / $(jq -r .obstacles "$raw.env.json" | head -1)" \
       "| $(grouped "$free") (×$(awk -v a="$free" -v b="${base[free]}" 'BEGIN { printf "%.1f", a / b }'))" \
       "| $(with_ratio "$places" "${base[places]}" "%d")" \
       "| $(grouped "$env") (×$(awk -v a="$env" -v b="${base[env]}" 'BEGIN { printf "%.1f", a / b }'))" \
       "| $(with_ratio "$oracle" "${base[oracle]}" "%.1f"), max $(printf "%.1f" "$oracle_max")" \
       "| $(with_ratio "$t1" "${base[t1]}" "%.1f") | $(with_ratio "$t2" "${base[t2]}" "%.1f") | $(grouped "$parameters")" \
       "| $(with_ratio "$(awk -v ms="$high" 'BEGIN { print 1000 * ms }')" "$(awk -v ms="${base[high]}" 'BEGIN { print 1000 * ms }')" "%.1f")," \
       "max $(awk -v ms="$high_max" 'BEGIN { printf "%.1f", 1000 * ms }') | $(printf "%.0f" "$plans")" \
       "| $(with_ratio "$step" "${base[step]}" "%.2f") |" >> "$rows"
done

body="$work/body"
{
  echo
  echo "Measured $(date -u +%Y-%m-%d) with model format $format at commit $commit on a $machine, by \`docs/make_scaling.sh\` (RUNS=$RUNS$([ "$niceness" = 0 ] || echo ", under nice $niceness"));" \
       "load average $load_start at the start and $(uptime | sed 's/.*load average: //') at the end (1, 5, 15 minutes)."
  echo
  echo "| map (seed) | area, units² | regions / obstacles | oracle free cells | places | env steps/s | oracle ms per plan | level-1 training s | level-2 training s | parameters | level-2 replanning µs (median) | replans | agent ms per step |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  cat "$rows"
  echo
} > "$body"
splice docs/BENCHMARK.md scaling "$body"
echo "wrote the scaling table of docs/BENCHMARK.md (raw JSON in $OUT/)" >&2
