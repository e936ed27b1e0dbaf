#!/usr/bin/env bash
# Renders 60 frames of `hjepa gui` under Xvfb with Mesa's software renderer, then checks the PNG.
# With "flat", first trains a small level-1 model with `hjepa train` and loads it through the
# HJEPA_GUI_MODEL test hook (which selects the flat JEPA agent).
# Usage: run_gui_smoke.sh HJEPA CHECK_SCREENSHOT OUTPUT.png [flat]
set -u
hjepa=$1 checker=$2 shot=$3 mode=${4:-oracle}
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "gui_smoke: xvfb-run not found; install it (Debian/Ubuntu: apt-get install xvfb, as in the README's setup)" >&2
  exit 1
fi
rm -f "$shot"
model=""
if [ "$mode" = flat ]; then
  model="${shot%.png}.hjepa"
  rm -f "$model"
  if ! "$hjepa" train --map-seed 3 --steps 300 --sequences 100 --head-steps 1500 --level2-steps 300 --out "$model" >/dev/null 2>&1; then
    echo "gui_smoke: 'hjepa train' failed" >&2
    exit 1
  fi
fi
# HJEPA_GUI_PRELOAD (sanitizer builds, see CMakeLists.txt): libraries preloaded into the app only.
HJEPA_GUI_MODEL="$model" LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x900x24" \
  env ${HJEPA_GUI_PRELOAD:+LD_PRELOAD="$HJEPA_GUI_PRELOAD"} "$hjepa" gui --map-seed 3 --frames 60 --screenshot "$shot"
status=$?
if [ "$status" -ne 0 ]; then
  echo "gui_smoke: 'hjepa gui --frames 60' ($mode agent) exited with status $status, expected 0" >&2
  exit 1
fi
exec "$checker" "$shot"
