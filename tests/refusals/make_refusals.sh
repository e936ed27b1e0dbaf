#!/usr/bin/env bash
# Regenerates docs/REFUSALS.md: runs the real hjepa binary on every kind of bad file, flag and value
# and tabulates the exit status and the message it prints. Files are made in a scratch directory
# and named relatively, so the messages read as a user would see them.
# Usage: tests/refusals/make_refusals.sh [HJEPA binary, default build/app/hjepa] [OUT, default docs/REFUSALS.md]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
hjepa=$(realpath "${1:-$repo/build/app/hjepa}")
out=$(realpath -m "${2:-$repo/docs/REFUSALS.md}")
scratch=$(mktemp -d /tmp/hjepa-refusals.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
export HJEPA_CACHE_DIR="$scratch/cache" DISPLAY=
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_COUNT

# ---- the files the cases read ---------------------------------------------------------------
map_head='"format": "hjepa-map/1", "size": [20, 10]'
regions='"regions": [{"site": [5, 5], "color": "red"}, {"site": [15, 5], "color": "blue"}]'
good_map="{$map_head, $regions, \"obstacles\": []}"
echo "$good_map" > two_colours.json
echo '{"format": "hjepa-map/1", "size": [20, 10], ' > not_json.json
echo "{\"format\": \"hjepa-map/2\", \"size\": [20, 10], $regions, \"obstacles\": []}" > wrong_format.json
echo "{$map_head, \"obstacles\": []}" > no_regions.json
echo "{$map_head, $regions, \"obstacles\": [], \"walls\": []}" > unknown_field.json
echo "{\"format\": \"hjepa-map/1\", \"size\": [20, -10], $regions, \"obstacles\": []}" > negative_size.json
echo "{\"format\": \"hjepa-map/1\", \"size\": [500, 10], $regions, \"obstacles\": []}" > too_large.json
echo "{\"format\": \"hjepa-map/1\", \"size\": [\"20\", 10], $regions, \"obstacles\": []}" > string_size.json
echo "{$map_head, \"regions\": [{\"site\": [5, 5], \"color\": \"red\"}, {\"site\": [15, 5], \"color\": \"mauve\"}], \"obstacles\": []}" > unknown_colour.json
echo "{$map_head, \"regions\": [{\"site\": [5, 5], \"color\": \"red\"}, {\"site\": [25, 5], \"color\": \"blue\"}], \"obstacles\": []}" > site_outside.json
echo "{$map_head, \"regions\": [{\"site\": [5, 5], \"color\": \"red\"}, {\"site\": [5, 5], \"color\": \"blue\"}], \"obstacles\": []}" > repeated_site.json
echo "{$map_head, \"regions\": [{\"site\": [5, 5], \"color\": \"red\"}], \"obstacles\": []}" > one_region.json
echo "{$map_head, $regions, \"obstacles\": [{\"type\": \"circle\", \"center\": [5, 5], \"radius\": 1}]}" > site_in_obstacle.json
echo "{$map_head, $regions, \"obstacles\": [{\"type\": \"circle\", \"center\": [10, 2], \"radius\": 0}]}" > zero_radius.json
echo "{$map_head, $regions, \"obstacles\": [{\"type\": \"box\", \"min\": [12, 2], \"max\": [11, 3]}]}" > inverted_box.json
echo "{$map_head, $regions, \"obstacles\": [{\"type\": \"triangle\", \"center\": [10, 2]}]}" > unknown_obstacle.json
echo "{$map_head, $regions, \"obstacles\": [{\"type\": \"box\", \"min\": [9, -1], \"max\": [11, 11]}]}" > split_map.json
echo "{$map_head, $regions, \"obstacles\": [], \"obstacles\": []}" > duplicate_key.json
gate_wall='{"type": "box", "min": [9, 0], "max": [11, 4]}, {"type": "box", "min": [9, 6], "max": [11, 8]}'
echo "{$map_head, $regions, \"obstacles\": [$gate_wall, {\"type\": \"box\", \"min\": [9, 4], \"max\": [11, 6], \"p_closed\": 0}]}" > gate_zero.json
echo "{$map_head, $regions, \"obstacles\": [$gate_wall, {\"type\": \"box\", \"min\": [9, 4], \"max\": [11, 6], \"p_closed\": 1}]}" > gate_one.json
echo "{$map_head, $regions, \"obstacles\": [$gate_wall, {\"type\": \"box\", \"min\": [9, 4], \"max\": [11, 6], \"p_closed\": -0.2}]}" > gate_negative.json
echo "{$map_head, $regions, \"obstacles\": [$gate_wall, {\"type\": \"box\", \"min\": [9, 4], \"max\": [11, 6], \"p_closed\": \"half\"}]}" > gate_not_number.json
echo "{$map_head, $regions, \"obstacles\": [{\"type\": \"circle\", \"center\": [10, 5], \"radius\": 1, \"p_closed\": 0.5}]}" > gate_circle.json
echo "{$map_head, $regions, \"obstacles\": [{\"type\": \"box\", \"min\": [9, 0], \"max\": [11, 4]}, {\"type\": \"box\", \"min\": [9, 6], \"max\": [11, 10]}, {\"type\": \"box\", \"min\": [9, 4], \"max\": [11, 6], \"p_closed\": 0.5}]}" > gate_only_door.json
echo "{$map_head, $regions, \"obstacles\": [$gate_wall, {\"type\": \"box\", \"min\": [9, 4], \"max\": [11, 6], \"p_closed\": 0.5}], \"gates_shared\": 1}" > gates_shared_not_bool.json
echo "{$map_head, $regions, \"obstacles\": [], \"gates_shared\": true}" > gates_shared_no_gates.json

suite_head='"format": "hjepa-suite/1", "maps": {"seeds": [3]}'
echo "{$suite_head, \"tasks\": [{\"length\": 1, \"per_map\": 1}], \"max_steps\": 20, \"train\": {\"steps\": 20, \"sequences\": 10, \"polish_steps\": 20, \"head_steps\": 20, \"probe_steps\": 20, \"heldout_sequences\": 10}}" > tiny.json
echo "{$suite_head, \"tasks\": [{\"length\": 1, \"per_map\": 1}], \"colour\": 1}" > suite_unknown_key.json
echo "{$suite_head, \"tasks\": [{\"length\": 9, \"per_map\": 1}]}" > suite_long_task.json
echo "{$suite_head, \"tasks\": [{\"colors\": \"red,teal\"}]}" > suite_bad_colour.json
echo "{$suite_head, \"tasks\": [{\"length\": 1, \"per_map\": 1}], \"noise\": [{\"motion\": -0.1}]}" > suite_noise.json
echo "{$suite_head, \"tasks\": [{\"length\": 1, \"per_map\": 1}], \"model_seeds\": [\"a\"]}" > suite_model_seed.json
echo "{$suite_head, \"tasks\": [{\"length\": 1, \"per_map\": 1}], \"seed\": 1e999}" > suite_overflow.json
echo "{$suite_head, \"tasks\": [], \"tasks\": []}" > suite_twice.json
echo '{"format": "hjepa-suite/9", "maps": {"seeds": [3]}}' > suite_format.json
echo '{"format": "hjepa-suite/1", "maps": {"files": ["gone.json"]}, "tasks": [{"length": 1, "per_map": 1}]}' > suite_missing_map.json
echo '{"format": "hjepa-suite/1", "maps": {"files": ["two_colours.json"]}, "tasks": [{"colors": "red,green"}]}' > suite_absent_colour.json
echo '{"format": "hjepa-suite/1", "maps": {"seeds": [3]}}' > suite_no_tasks.json
echo "{$suite_head, \"tasks\": [{\"length\": 1, \"per_map\": 1}], \"map_params\": {\"regions\": 40}}" > suite_regions.json
echo "{$suite_head, \"tasks\": [{\"length\": 1, \"per_map\": 1}], \"map_params\": {\"style\": \"rooms\"}}" > suite_style.json
echo "{$suite_head, \"tasks\": [{\"length\": 1, \"per_map\": 1}], \"map_params\": {\"gates\": 2}}" > suite_gates.json
echo '{"agent": {"belief": {"gain": 2}}}' > config_range.json
echo '{"agent": {"planner": {"horizons": 3}}}' > config_unknown.json
echo '{"agent": {"planner": {"type": 3}}}' > config_type.json
echo '[1, 2]' > config_array.json
echo '{"agent": ' > config_broken.json

"$hjepa" train --map-seed 2 --out model.hjepa --steps 20 --sequences 10 --polish-steps 20 --head-steps 20 --probe-steps 20 --distance-steps 20 --level2-steps 20 \
  --set train.mode1.rounds=0 --set train.mode1.episodes=1 --set train.mode1.heldout_episodes=1 --set train.mode1.episode_steps=4 >/dev/null 2>&1
cp model.hjepa model_format8.hjepa  # the version field says 8: a file from before the belief's context ratios
printf '\x08' | dd of=model_format8.hjepa bs=1 seek=8 conv=notrunc status=none
head -c 1000 model.hjepa > model_truncated.hjepa
cp model.hjepa model_flipped.hjepa
printf '\x55' | dd of=model_flipped.hjepa bs=1 seek=2000 conv=notrunc status=none
printf 'HJEPAMDX%s' "$(head -c 64 /dev/zero | tr '\0' 'x')" > model_magic.hjepa
: > model_empty.hjepa
mkdir -p a_directory a_directory.mp4

"$hjepa" bench --suite tiny.json --agents random --out rows_a.csv >/dev/null 2>&1
"$hjepa" bench --suite tiny.json --agents random,oracle --out rows_b.csv >/dev/null 2>&1
{ head -1 rows_a.csv; echo "x,y"; } > rows_bad.csv

# ---- the table --------------------------------------------------------------------------------
md_cell() { sed -e 's/|/\\|/g' | tr '\n' ' ' | sed -e 's/ *$//'; }
table_head() {
  printf '\n## %s\n\n| what is wrong | command | exit | message (stderr) |\n|---|---|---|---|\n' "$1"
}
# case "what is wrong" "arguments" [environment assignments...]
case_row() {
  local what=$1 args=$2
  shift 2
  local status=0 err stdout
  stdout=$(env "$@" bash -c "\"$hjepa\" $args" 2>err.txt) || status=$?
  err=$(sed -e "s#$scratch/##g" -e "s#$repo#<repo>#g" err.txt | grep -v '^bench: suite\|^train: step\|^train level 2: step' || true)
  [ -z "$stdout" ] || err="$err (and stdout was not empty)"
  local prefix=""
  [ $# -eq 0 ] || prefix="$(printf '%s' "$*" | md_cell) "
  printf '| %s | `%shjepa %s` | %s | %s |\n' "$what" "$prefix" "$(printf '%s' "$args" | md_cell)" "$status" "$(printf '%s' "$err" | md_cell)"
}

{
cat <<'EOF'
# Refusals: every bad file, flag and value, and what hjepa says

Generated by `tests/refusals/make_refusals.sh` from the real binary (rerun it after changing a
message). Data goes to stdout and messages to stderr; a user error (file, flag, value) exits with
status 2 and writes nothing on stdout; a run that fails on its own (training diverged, an internal
error) exits with status 1. Paths are relative to the directory the commands ran in; `<repo>` is the
repository root. The library's unit tests cover the same refusals through the readers directly
(`tests/test_map_io.cpp`, `test_model_file.cpp`, `test_config.cpp`, `suite_test.cpp`), including those a
shell cannot easily make (every truncation and flipped byte of a model file, non-finite parameters).
EOF

table_head "Commands and common flags"
case_row "unknown command" "frobnicate"
case_row "unknown flag" "run --map-seed 1 --task red --agent oracle --bogus"
case_row "missing required flag" "run --map-seed 1 --agent oracle"
case_row "no map" "run --task red --agent oracle"
case_row "two maps" "run --map two_colours.json --map-seed 1 --task red --agent oracle"
case_row "negative map seed" "run --map-seed -4 --task red --agent oracle"
case_row "map seed not a number" "run --map-seed one --task red --agent oracle"
case_row "a value that is not a number" "run --map-seed 1 --task red --agent oracle --max-steps x"
case_row "a fraction where an integer is expected" "run --map-seed 1 --task red --agent oracle --max-steps 1.5"
case_row "negative episode seed" "run --map-seed 1 --task red --agent oracle --seed -3"
case_row "seed too large" "run --map-seed 1 --task red --agent oracle --seed 99999999999999999999"
case_row "noise out of range" "run --map-seed 1 --task red --agent oracle --noise-motion -1"
case_row "noise out of range" "run --map-seed 1 --task red --agent oracle --noise-perception 11"
case_row "range noise out of range" "run --map-seed 1 --task red --agent oracle --noise-range 20"
case_row "step length out of range" "run --map-seed 1 --task red --agent oracle --step-length 0"
case_row "step limit out of range" "run --map-seed 1 --task red --agent oracle --max-steps 2000000"
case_row "run: unknown parameter" "run --map-seed 1 --task red --agent oracle --set agent.nope=1"
case_row "run: parameter out of range" "run --map-seed 1 --task red --agent oracle --set agent.watch.passage_radius=500"
case_row "run: a training parameter" "run --map-seed 1 --task red --agent oracle --set train.lr=0.1"
case_row "run: a low-level mode that does not exist" "run --map-seed 2 --task red --agent flat --model model.hjepa --set agent.low.mode=fast"
case_row "train: an agent parameter" "train --map-seed 1 --out m.bin --set agent.planner.horizon=4"
case_row "train: a world parameter out of range" "train --map-seed 1 --out m.bin --set env.ray_max=0"

table_head "Tasks and start points (run)"
case_row "unknown colour" "run --map-seed 1 --task red,magenta --agent oracle"
case_row "too many colours" "run --map-seed 1 --task red,red,red,red,red,red,red --agent oracle"
case_row "empty task" "run --map-seed 1 --task '' --agent oracle"
case_row "colour not on the map" "run --map two_colours.json --task green --agent oracle"
case_row "unknown agent" "run --map-seed 1 --task red --agent dog"
case_row "unknown planner" "run --map-seed 1 --task red --agent flat --planner adam"
case_row "start outside the map" "run --map-seed 1 --task red --agent oracle --start 100,3"
case_row "start not a point" "run --map-seed 1 --task red --agent oracle --start abc"
case_row "start not finite" "run --map-seed 1 --task red --agent oracle --start nan,3"

table_head "Map files (--map FILE)"
for f in missing.json a_directory not_json.json wrong_format.json no_regions.json unknown_field.json negative_size.json \
         too_large.json string_size.json unknown_colour.json site_outside.json repeated_site.json one_region.json \
         site_in_obstacle.json zero_radius.json inverted_box.json unknown_obstacle.json split_map.json duplicate_key.json \
         gate_zero.json gate_one.json gate_negative.json gate_not_number.json gate_circle.json gate_only_door.json \
         gates_shared_not_bool.json gates_shared_no_gates.json; do
  case_row "${f%.json}" "run --map $f --task red --agent oracle"
done

table_head "Model files (--model FILE)"
case_row "missing file" "run --map-seed 2 --task red --agent flat --model missing.hjepa"
case_row "a directory" "run --map-seed 2 --task red --agent flat --model a_directory"
case_row "empty file" "run --map-seed 2 --task red --agent flat --model model_empty.hjepa"
case_row "not a model file" "run --map-seed 2 --task red --agent flat --model two_colours.json"
case_row "wrong magic" "run --map-seed 2 --task red --agent flat --model model_magic.hjepa"
case_row "truncated" "run --map-seed 2 --task red --agent flat --model model_truncated.hjepa"
case_row "a flipped byte" "run --map-seed 2 --task red --agent flat --model model_flipped.hjepa"
case_row "trained on another map" "run --map-seed 3 --task red --agent flat --model model.hjepa"
case_row "an older format (8: no context ratios for the Kalman belief)" "run --map-seed 2 --task red --agent flat --model model_format8.hjepa"
case_row "trained on another map (perf agent)" "perf agent --map-seed 3 --model model.hjepa --episodes 1"

table_head "map"
case_row "no seed" "map --out x.json"
case_row "no output" "map --map-seed 1"
case_row "directory does not exist" "map --map-seed 1 --out no_such_dir/m.json"
case_row "too many regions" "map --map-seed 1 --out x.json --regions 40"
case_row "too few regions" "map --map-seed 1 --out x.json --regions 2"
case_row "too many obstacles" "map --map-seed 1 --out x.json --obstacles 61"
case_row "too wide (map files allow 200)" "map --map-seed 1 --out x.json --width 500"
case_row "too narrow" "map --map-seed 1 --out x.json --height 1"
case_row "unknown map style" "map --map-seed 1 --out x.json --style labyrinth"
case_row "a style for a map file" "run --map two_colours.json --style maze --task red --agent oracle"
case_row "gates on an open map" "map --map-seed 1 --out x.json --gates 2"
case_row "too many gates" "map --map-seed 1 --out x.json --style maze --gates 40"
case_row "gates for a map file" "run --map two_colours.json --gates 1 --task red --agent oracle"

table_head "train"
case_row "no output" "train --map-seed 1"
case_row "directory does not exist" "train --map-seed 2 --out no_dir/m.hjepa --steps 1"
case_row "steps out of range" "train --map-seed 1 --out m.hjepa --steps 0"
case_row "too few sequences" "train --map-seed 1 --out m.hjepa --sequences 5"
case_row "learning rate out of range" "train --map-seed 1 --out m.hjepa --lr 0"
case_row "z from the gates of a map without gates" "train --map-seed 1 --out m.hjepa --set train.z_values=4 --set train.z_source=gates"
case_row "z from the gates: too few z values" "train --map-seed 3007 --style maze --gates 4 --out m.hjepa --set train.z_source=gates"
case_row "z source not a choice" "train --map-seed 1 --out m.hjepa --set train.z_source=oracle"
case_row "training diverges (no file written)" "train --map-seed 2 --out diverged.hjepa --steps 40 --sequences 20 --polish-steps 20 --head-steps 20 --probe-steps 20 --lr 1e6"

table_head "bench: suites"
case_row "no such suite" "bench --suite no_such_suite"
case_row "suite file missing" "bench --suite ./missing.json"
case_row "unknown key" "bench --suite suite_unknown_key.json"
case_row "task too long" "bench --suite suite_long_task.json"
case_row "unknown colour in a task" "bench --suite suite_bad_colour.json"
case_row "noise out of range" "bench --suite suite_noise.json"
case_row "model seed not an integer" "bench --suite suite_model_seed.json"
case_row "number too large" "bench --suite suite_overflow.json"
case_row "key twice" "bench --suite suite_twice.json"
case_row "wrong format tag" "bench --suite suite_format.json"
case_row "no tasks" "bench --suite suite_no_tasks.json"
case_row "map params out of range" "bench --suite suite_regions.json"
case_row "unknown map style" "bench --suite suite_style.json"
case_row "gates on an open map" "bench --suite suite_gates.json"
case_row "map file missing" "bench --suite suite_missing_map.json"
case_row "colour not on a map file" "bench --suite suite_absent_colour.json"

table_head "bench: flags, configs and merges"
case_row "unknown agent" "bench --suite tiny.json --agents random,dog"
case_row "agent twice" "bench --suite tiny.json --agents random,random"
case_row "empty agent name" "bench --suite tiny.json --agents random,"
case_row "threads out of range" "bench --suite tiny.json --threads 0"
case_row "shard out of range" "bench --suite tiny.json --shard 2/2"
case_row "shard not i/n" "bench --suite tiny.json --shard two/3"
case_row "shard without episodes" "bench --suite tiny.json --agents random --shard 5/9"
case_row "array task id without the count" "bench --suite tiny.json --agents random" SLURM_ARRAY_TASK_ID=1
case_row "output extension" "bench --suite tiny.json --out rows.txt"
case_row "output directory missing" "bench --suite tiny.json --out no_dir/rows.csv"
case_row "unknown planner" "bench --suite tiny.json --planner adam"
case_row "--set value out of range" "bench --suite tiny.json --agents random --set agent.planner.horizon=0"
case_row "--set unknown parameter" "bench --suite tiny.json --agents random --set agent.planner.horizons=3"
case_row "--set not KEY=VALUE" "bench --suite tiny.json --agents random --set agent.planner.horizon"
case_row "--set not a number" "bench --suite tiny.json --agents random --set env.noise_motion=lots"
case_row "--set not an integer" "bench --suite tiny.json --agents random --set agent.planner.horizon=2.5"
case_row "--set not a choice" "bench --suite tiny.json --agents random --set agent.planner.type=adam"
case_row "--config missing" "bench --suite tiny.json --agents random --config absent.json"
case_row "--config not JSON" "bench --suite tiny.json --agents random --config config_broken.json"
case_row "--config not an object" "bench --suite tiny.json --agents random --config config_array.json"
case_row "--config value out of range" "bench --suite tiny.json --agents random --config config_range.json"
case_row "--config unknown parameter" "bench --suite tiny.json --agents random --config config_unknown.json"
case_row "--config wrong type" "bench --suite tiny.json --agents random --config config_type.json"
case_row "merge: not a CSV file" "bench merge tiny.json"
case_row "merge: missing file" "bench merge absent.csv"
case_row "merge: the same shard twice" "bench merge rows_a.csv rows_a.csv"
case_row "merge: shards of different runs" "bench merge rows_a.csv rows_b.csv"
case_row "merge: a malformed row" "bench merge rows_bad.csv"

table_head "Video (run --video, gui --record)"
mkdir -p no_ffmpeg_bin && ln -sf "$(command -v bash)" no_ffmpeg_bin/bash  # a PATH with a shell and no ffmpeg
case_row "frame size not even (H.264 in yuv420p)" "run --map-seed 1 --task red --agent oracle --video v.mp4 --video-size 961x720"
case_row "frame size not WxH" "run --map-seed 1 --task red --agent oracle --video v.mp4 --video-size big"
case_row "frame size too small" "run --map-seed 1 --task red --agent oracle --video v.mp4 --video-size 8x8"
case_row "frames per second out of range" "run --map-seed 1 --task red --agent oracle --video v.mp4 --video-fps 0"
case_row "a video option without a video" "run --map-seed 1 --task red --agent oracle --video-fps 5"
case_row "not a video file name" "run --map-seed 1 --task red --agent oracle --video v.avi"
case_row "a directory" "run --map-seed 1 --task red --agent oracle --video a_directory.mp4"
case_row "directory does not exist" "run --map-seed 1 --task red --agent oracle --video no_dir/v.mp4"
case_row "ffmpeg not on PATH" "run --map-seed 1 --task red --agent oracle --video v.mp4" PATH=no_ffmpeg_bin
case_row "gui: directory does not exist" "gui --frames 1 --record no_dir/v.mp4"
case_row "gui: ffmpeg not on PATH" "gui --frames 1 --record v.mp4" PATH=no_ffmpeg_bin

table_head "perf and gui"
case_row "no subcommand" "perf"
case_row "unknown subcommand" "perf warp"
case_row "unknown planner" "perf plan --planner adam"
case_row "rounds out of range" "perf env --rounds 0"
case_row "map too wide" "perf env --map-seed 1 --width 500"
case_row "a map size for a map file" "perf oracle --map two_colours.json --width 80"
case_row "screenshot without frames" "gui --screenshot x.png"
case_row "unknown agent" "gui --agent dog --frames 1"
case_row "no display" "gui --frames 1"
case_row "bad training parameter in the test hook" "gui --frames 1" HJEPA_GUI_TRAIN=train.lr=0
} > "$out"
echo "wrote $out" >&2
