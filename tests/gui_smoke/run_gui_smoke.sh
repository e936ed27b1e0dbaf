#!/usr/bin/env bash
# Renders `hjepa gui` under Xvfb with Mesa's software renderer, then checks the PNG.
# oracle: 60 frames with the default agent. flat / hjepa: first trains a small model with
# `hjepa train` and loads it through the HJEPA_GUI_MODEL test hook, then renders that agent
# (hjepa: 20 frames, mid-episode, and the check also looks for its subgoal mark).
# bench: the Bench tab runs the smoke suite (random and oracle) through the HJEPA_GUI_BENCH hook;
# the run must finish while the app renders.
# diverge: the HJEPA_GUI_TRAIN hook trains with a diverging learning rate; the app must report the
# training guard's message and keep running.
# first_launch: an empty model cache and --first-launch: the app chooses the H-JEPA, trains its
# (small, via HJEPA_GUI_TRAIN) model in the background while the oracle drives, hands over and
# caches the model; `hjepa bench` with the same training then says "model: from cache", and a later
# launch with the H-JEPA loads the model from the cache and drives from the first frame.
# small: on a 1280x720 screen the window (and so the screenshot) fits the screen.
# record: --record OUTPUT.mp4 for 12 frames: ffprobe reads H.264 with as many frames as the app says
# it recorded (one per step plus the reset), and no temporary file is left.
# Usage: run_gui_smoke.sh HJEPA CHECK_SCREENSHOT OUTPUT.png [oracle|flat|hjepa|bench|diverge|first_launch|small|record]
set -u
hjepa=$1 checker=$2 shot=$3 mode=${4:-oracle}
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "gui_smoke: xvfb-run not found; install it (Debian/Ubuntu: apt-get install xvfb, as in the README's setup)" >&2
  exit 1
fi
rm -f "$shot"
model="" frames=60 agent=() check=()
bench="" train="" screen=1800x1000
# A short Mode-1 phase (its imitation runs the planner: the slowest part of a small training).
small_mode1="train.mode1.rounds=1 train.mode1.episodes=2 train.mode1.heldout_episodes=1 train.mode1.episode_steps=8 train.mode1.steps=20"
mode1_flags=(--set train.mode1.rounds=1 --set train.mode1.episodes=2 --set train.mode1.heldout_episodes=1 --set train.mode1.episode_steps=8 --set train.mode1.steps=20)
small_training="train.steps=200 train.sequences=100 train.polish_steps=300 train.head_steps=800 train.probe_steps=800 train.distance_steps=600 train.level2_steps=300 train.heldout_sequences=10 $small_mode1"
train_flags=(--steps 300 --sequences 100 --polish-steps 300 --head-steps 1500 --probe-steps 1500 --distance-steps 600 --level2-steps 300 --heldout-sequences 10 "${mode1_flags[@]}")
# Sanitizer builds (HJEPA_TEST_WORKLOAD=small, tests/workload.hpp): the same code paths with smaller
# models' training, which runs several times slower there.
if [ "${HJEPA_TEST_WORKLOAD:-}" = small ]; then
  small_training="train.steps=60 train.sequences=40 train.polish_steps=60 train.head_steps=300 train.probe_steps=300 train.distance_steps=120 train.level2_steps=60 train.heldout_sequences=10 $small_mode1"
  train_flags=(--steps 60 --sequences 40 --polish-steps 60 --head-steps 300 --probe-steps 300 --distance-steps 120 --level2-steps 60 --heldout-sequences 10 "${mode1_flags[@]}")
fi
if [ "$mode" = first_launch ]; then
  HJEPA_CACHE_DIR=$(mktemp -d /tmp/hjepa-first-launch.XXXXXX)
  export HJEPA_CACHE_DIR
  train="$small_training" frames=20 agent=(--first-launch) check=(hjepa)
elif [ "$mode" = small ]; then
  screen=1280x720 check=(small)
elif [ "$mode" = record ]; then
  video="${shot%.png}.mp4"
  rm -f "$video"
  frames=12 agent=(--agent oracle --record "$video" --video-size 320x240 --video-fps 5)
elif [ "$mode" = bench ]; then
  bench=smoke frames=240 mode_log="${shot%.png}.log"
elif [ "$mode" = diverge ]; then
  # The Training tab trains with a learning rate that diverges at once: the app must show the
  # guard's message (term and step) and go on with the model it had (none here).
  train="train.lr=1e6 train.steps=40 train.sequences=20 train.polish_steps=50 train.head_steps=50 train.probe_steps=50 train.distance_steps=50 train.level2_steps=50" frames=120
  agent=(--agent oracle)  # the oracle drives meanwhile (the hook would pick H-JEPA, which has no model)
elif [ "$mode" != oracle ]; then
  model="${shot%.png}.hjepa"
  rm -f "$model"
  if ! "$hjepa" train --map-seed 3 "${train_flags[@]}" --out "$model" >/dev/null 2>&1; then
    echo "gui_smoke: 'hjepa train' failed" >&2
    exit 1
  fi
  agent=(--agent "$mode")
fi
if [ "$mode" = hjepa ]; then
  frames=20
  check=(hjepa)
fi
# Runs the app under Xvfb (with HJEPA_GUI_PRELOAD, sanitizer builds: libraries preloaded into the
# app only), its stderr to LOG too; sets status. xvfb-run -a looks for a free display number from
# -n upwards and can lose a race to another Xvfb starting at the same moment (CTest runs these
# tests one at a time, other jobs on the machine may not): each run starts its search at a random
# number, and a run whose app found no display (before it did anything) is retried, at most 3 times.
run_app() {
  local log=$1
  shift
  for attempt in 1 2 3 4 5; do
    LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -n $((100 + RANDOM % 800)) -e "${log%.log}.xvfb.log" -s "-screen 0 ${screen}x24" \
      env ${HJEPA_GUI_PRELOAD:+LD_PRELOAD="$HJEPA_GUI_PRELOAD"} "$hjepa" gui "$@" 2> >(tee "$log" >&2)
    status=$?
    sleep 0.2  # let tee finish
    if [ "$status" -eq 0 ] || ! grep -q "Failed to open X11 display" "$log"; then return; fi
    echo "gui_smoke: attempt $attempt found no X display (a display-number race?); Xvfb said:" >&2
    sed 's/^/  Xvfb: /' "${log%.log}.xvfb.log" >&2 || true
    echo "gui_smoke: retrying" >&2
    sleep $((attempt * 3))  # under load (sanitizer builds beside other jobs) Xvfb has been seen to refuse several in a row
  done
}
HJEPA_GUI_TRAIN="$train" HJEPA_GUI_BENCH="$bench" HJEPA_GUI_MODEL="$model" \
  run_app "${shot%.png}.log" --map-seed 3 "${agent[@]}" --frames "$frames" --screenshot "$shot"
if [ "$status" -ne 0 ]; then
  echo "gui_smoke: 'hjepa gui --frames $frames' ($mode agent) exited with status $status, expected 0" >&2
  exit 1
fi
if [ "$mode" = bench ] && ! grep -q "episodes 100%.*done" "${shot%.png}.log"; then
  echo "gui_smoke: the Bench tab's smoke run did not finish within $frames frames (see ${shot%.png}.log)" >&2
  exit 1
fi
if [ "$mode" = diverge ] && ! grep -q "hjepa gui: level 1: non-finite .* at step [0-9]*; training stopped" "${shot%.png}.log"; then
  echo "gui_smoke: the diverging training run did not end with the guard's message within $frames frames (see ${shot%.png}.log)" >&2
  exit 1
fi
if [ "$mode" = first_launch ]; then
  if ! grep -q "training finished; the H-JEPA agent uses the new model (cached as " "${shot%.png}.log"; then
    echo "gui_smoke: the first launch did not train and cache the H-JEPA's model (see ${shot%.png}.log)" >&2
    exit 1
  fi
  suite="${shot%.png}.suite.json"
  # The suite's "train" is the app's training above ("train.steps=200 ..." -> "steps": 200, ...;
  # "train.mode1.rounds=1" -> "mode1_rounds": 1).
  train_json=$(echo "$small_training" | sed -E 's/train\.mode1\./train.mode1_/g; s/train\.([a-z0-9_]+)=([0-9.e+-]+)/"\1": \2,/g; s/,$//')
  echo "{\"format\": \"hjepa-suite/1\", \"maps\": {\"seeds\": [3]}, \"tasks\": [{\"length\": 1, \"per_map\": 1}], \"max_steps\": 5,
    \"train\": {$train_json}}" > "$suite"
  if ! "$hjepa" bench --suite "$suite" --agents hjepa 2>&1 | tee "${shot%.png}.bench.log" | grep -q "model: from cache"; then
    echo "gui_smoke: hjepa bench with the app's training did not find the app's model in the cache (see ${shot%.png}.bench.log)" >&2
    exit 1
  fi
  # A later launch (not the first) that chooses the H-JEPA: its model comes from the cache at once,
  # and in the first frame the H-JEPA has planned (its subgoal mark is drawn).
  later="${shot%.png}_later.png"
  HJEPA_GUI_TRAIN_PARAMS="$small_training" run_app "${later%.png}.log" --map-seed 3 --agent hjepa --frames 1 --screenshot "$later"
  if ! grep -q "hjepa gui: model: from cache " "${later%.png}.log"; then
    echo "gui_smoke: a later launch with the H-JEPA did not load its model from the cache (see ${later%.png}.log)" >&2
    exit 1
  fi
  if ! "$checker" "$later" hjepa; then
    echo "gui_smoke: in the first frame of a later launch, the H-JEPA from the cache is not driving (see $later)" >&2
    exit 1
  fi
  rm -rf "$HJEPA_CACHE_DIR"
fi
if [ "$mode" = record ]; then
  recorded=$(sed -n 's/^hjepa gui: recorded \([0-9]*\) frames to .*/\1/p' "${shot%.png}.log")
  probed=$(ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=codec_name,width,height,nb_read_frames \
           -of csv=p=0 "$video")
  if [ -z "$recorded" ] || [ "$recorded" -lt 2 ] || [ "$probed" != "h264,320,240,$recorded" ]; then
    echo "gui_smoke: --record: the app said \"$recorded\" frames, ffprobe read \"$probed\" (expected h264,320,240,$recorded)" >&2
    exit 1
  fi
  if ls "$(dirname "$video")" | grep -q '\.partial-'; then
    echo "gui_smoke: --record left a temporary file in $(dirname "$video")" >&2
    exit 1
  fi
fi
exec "$checker" "$shot" "${check[@]}"
